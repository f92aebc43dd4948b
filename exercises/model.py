"""The exercise model: what an instructor writes in a pack, as pydantic models."""

from __future__ import annotations

import copy
from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, Field, model_validator

from exercises.base import LANGUAGES, CheckBase, LocalText, Matcher, ObjectRef, Scalar, Strict, pick, runnable_pattern
from exercises.listing import DOMAIN_TITLES, DOMAINS
from exercises.versions import kubedojo_requirement
from graders.checktypes import REGISTRY
from graders.checktypes.count import CountCheck
from graders.checktypes.field import FieldCheck
from graders.checktypes.object_exists import ObjectExistsCheck
from graders.faults import Fault

Domain = Literal[
    "cluster-architecture",
    "workloads-scheduling",
    "services-networking",
    "storage",
    "troubleshooting",
]
if Domain.__args__ != DOMAINS:  # type: ignore[attr-defined]
    raise AssertionError("exercises.model.Domain and exercises.listing.DOMAINS name different domains")
Difficulty = Literal["quick", "core", "deep"]
ExerciseKind = Literal["manifest", "command", "quiz"]


class PodPhaseCheck(CheckBase):
    """Live: the pod reaches a phase (Running, Succeeded, ...)."""

    type: Literal["pod_phase"]
    phase: str = "Running"
    timeout_seconds: float = 30


class PodReadyCheck(CheckBase):
    """Live: the pod is Ready (every container ready)."""

    type: Literal["pod_ready"]
    ready: bool = True
    timeout_seconds: float = 30


class ContainerStateCheck(CheckBase):
    """Live: a container is in a state (running, waiting, terminated), optionally with a reason."""

    type: Literal["container_state"]
    container: str
    state: Literal["running", "waiting", "terminated"]
    reason: str | None = None
    """e.g. ImagePullBackOff, CrashLoopBackOff, OOMKilled."""
    timeout_seconds: float = 30


class RestartCountCheck(CheckBase):
    """Live: a container's restart count satisfies a matcher."""

    type: Literal["restart_count"]
    container: str
    expect: Matcher
    timeout_seconds: float = 30


class EventCheck(CheckBase):
    """Live: an event about the object exists with this reason (and message text)."""

    type: Literal["event"]
    reason: str
    message_contains: str | None = None
    timeout_seconds: float = 30


class ExecCheck(CheckBase):
    """Live: a command run in a container through the exec API exits as expected."""

    type: Literal["exec"]
    container: str | None = None
    command: list[str]
    exit_code: int = 0
    output: Matcher | None = None
    timeout_seconds: float = 15


class MirrorPodCheck(CheckBase):
    """Live: a static pod's mirror pod exists on a node (name `<name>-<node>`)."""

    type: Literal["mirror_pod"]
    node: str | None = None
    """The node the static pod must run on; unset means any node."""
    timeout_seconds: float = 60


class EndpointsCheck(CheckBase):
    """Live: a service has ready endpoints (at least `min_ready`)."""

    type: Literal["endpoints"]
    min_ready: int = 1
    timeout_seconds: float = 30


LIVE_ONLY_MODELS: tuple[type[CheckBase], ...] = (
    PodPhaseCheck, PodReadyCheck, ContainerStateCheck, RestartCountCheck, EventCheck, ExecCheck, MirrorPodCheck, EndpointsCheck,
)
"""Check types that need a cluster; their runners are in graders/live.py."""

Check = Annotated[
    Union[tuple(t.model for t in REGISTRY.values()) + LIVE_ONLY_MODELS],  # type: ignore[valid-type]
    Field(discriminator="type"),
]
CHECK_MODELS: dict[str, type[CheckBase]] = {
    m.model_fields["type"].annotation.__args__[0]: m for m in Check.__origin__.__args__  # type: ignore[attr-defined]
}
"""Check type name -> its model."""
LIVE_ONLY_CHECK_TYPES = frozenset(name for name, model in CHECK_MODELS.items() if model in LIVE_ONLY_MODELS)


# --- command and quiz answers ---------------------------------------------------------------

FlagRule = Union[bool, str, list[str]]


class CommandSpec(Strict):
    """What a kubectl command line must do; the line is parsed, never compared as text."""

    verb: str
    """get, describe, logs, exec, run, create, delete, ..."""
    subverb: str | None = None
    """The second word where the verb has one: `create deployment` -> `deployment`."""
    resource: str | None = None
    """Canonical plural resource (`pods`); short names in the answer are expanded before comparing."""
    names: list[str] | None = None
    """The object names, in any order; `[]` means no name may be given."""
    namespace: str | None = None
    """The namespace the command must act in (`-n`)."""
    flags: dict[str, FlagRule] = {}
    """Canonical long flag -> `true` (must be given), `false` (must not), a value, or a list of accepted values."""
    assignments: list[str] | None = None
    """The KEY=VALUE (or KEY-) words of set image, label, annotate, taint: exactly these, in any order."""
    command: list[list[str]] | None = None
    """For exec/run: the command after `--` must be one of these."""
    redirect: str | None = None
    """Output must be redirected to this file (`> redis.yaml`)."""
    harmless_flags: list[str] = []
    """Flags that change what a command acts on (dry-run, namespace, all-namespaces, selector, all, previous,
    container, context, and per verb e.g. drain --force) fail when an answer adds them unasked; list here the
    ones this task allows anyway."""
    equivalent: list[str] = []
    """Other command lines that do what the task asks: an answer whose kubectl command reads the same as one of
    them passes too (`kubectl rollout undo deploy/web -n shop` when revision 2 is the previous one)."""
    start: list[dict[str, Any]] = []
    """The objects the command acts on (a `kind: Config` among them stands for the kubeconfig). When given, or when
    the exercise has `live.setup`, the answer is graded by its effect: applied to these objects offline, it must
    leave them as the solution does, and the exercise's checks run on the result."""


class QuizOption(Strict):
    """One choice of a quiz."""

    id: str
    text: LocalText


class QuizSpec(Strict):
    """A quiz: single or multiple choice, or a short answer with accepted variants."""

    style: Literal["single", "multiple", "short"]
    options: list[QuizOption] = []
    answer: list[str] = []
    """The ids of the right options (choice quizzes)."""
    accepted: list[str] = []
    """Short answers accepted, compared without case and extra spaces."""
    accepted_patterns: list[Annotated[str, AfterValidator(lambda p, info: runnable_pattern(p, ignore_case=True, info=info))]] = []
    """Regular expressions a short answer may fully match instead (case is ignored)."""

    @model_validator(mode="after")
    def _consistent(self) -> "QuizSpec":
        ids = [o.id for o in self.options]
        if self.style == "short":
            if not (self.accepted or self.accepted_patterns):
                raise ValueError("a short-answer quiz needs `accepted` or `accepted_patterns`")
        else:
            if len(ids) < 2:
                raise ValueError("a choice quiz needs at least two options")
            if len(set(ids)) != len(ids):
                raise ValueError("option ids must be unique")
            unknown = [a for a in self.answer if a not in ids]
            if unknown:
                raise ValueError(f"answer names unknown option(s): {', '.join(unknown)}")
            if not self.answer or (self.style == "single" and len(self.answer) != 1):
                raise ValueError(f"a {self.style}-choice quiz needs {'one' if self.style == 'single' else 'at least one'} answer")
        return self


# --- live clusters --------------------------------------------------------------------------


class LiveSpec(Strict):
    """How the exercise is set up and graded on a real cluster."""

    mode: Literal["optional", "only"] = "optional"
    """`optional`: offline or live; `only`: it needs a cluster (e.g. static pods)."""
    namespace: str | None = None
    """The namespace the task is set in; kubedojo creates it on setup."""
    setup: list[dict[str, Any]] = []
    """Objects applied on setup (the starting state: a broken pod to fix, ...)."""
    checks: list[Check] = []
    """Checks that only make sense live (phase, readiness, exec, mirror pod ...), run after the common ones."""
    faults: list[Fault] = []
    """How setup breaks the nodes after applying `setup` (graders/faults.py: kubelet_stopped, kubelet_restarted, file_moved,
    manifest_flag_set, manifest_flag_removed); reset undoes them. An exercise with faults is live only."""

    @model_validator(mode="after")
    def _faults_need_the_cluster(self) -> "LiveSpec":
        if self.faults and self.mode != "only":
            raise ValueError("an exercise that breaks nodes (`faults`) can only be done live: set `mode: only`")
        return self


class Counterexample(Strict):
    """A wrong answer that must fail; proves the checks bite."""

    answer: str
    why: str
    """What is wrong with it, for whoever reads the pack."""


class AlsoRight(Strict):
    """A right answer written differently from the solution; it must pass (proves the checks accept every form)."""

    answer: str
    why: str
    """How it differs from the solution, for whoever reads the pack."""


class Exercise(Strict):
    """One exercise of a pack."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: ExerciseKind
    title: LocalText
    task: LocalText
    """The task, in Markdown."""
    domain: Domain
    difficulty: Difficulty = "core"
    weight: int = Field(default=1, ge=1, le=20)
    """How much it counts in a mock exam (the CKA weighs tasks 2-13%)."""
    target_minutes: float = Field(default=5, gt=0, le=60)
    """How long it should take a prepared candidate."""
    docs: list[str] = []
    """Links to kubernetes.io pages allowed in the exam."""
    hints: list[LocalText] = []
    """From gentle to explicit, revealed one at a time."""
    solution: str
    """The reference answer: YAML, a command line, or the quiz answer."""
    explanation: LocalText | None = None
    """Why the solution is right; shown after an attempt."""
    starter: str | None = None
    """Text the answer editor starts with (a file to fix)."""
    target: ObjectRef | None = None
    """The object the exercise asks about (manifest exercises)."""
    checks: list[Check] = []
    """Checks run offline and live on the same objects."""
    command: CommandSpec | None = None
    quiz: QuizSpec | None = None
    live: LiveSpec | None = None
    """Present when the exercise can be done on a cluster."""
    counterexamples: list[Counterexample] = []
    also_right: list[AlsoRight] = []
    """Right answers in other forms than the solution (another verb, matchExpressions, a named port ...)."""
    tags: list[str] = []

    @model_validator(mode="before")
    @classmethod
    def _was_from_the_start(cls, data: Any) -> Any:
        """An `unchanged` check without `was` compares with the object the exercise starts from: the one of that kind
        and name in `live.setup`, else in the `starter` manifest."""
        def wanting(raw: Any) -> list[dict[str, Any]]:
            live = raw.get("live") if isinstance(raw.get("live"), dict) else {}
            return [c for checks in (raw.get("checks"), live.get("checks")) if isinstance(checks, list) for c in checks
                    if isinstance(c, dict) and c.get("type") == "unchanged" and "was" not in c]

        if not isinstance(data, dict) or not wanting(data):
            return data
        data = copy.deepcopy(data)  # the caller's dict stays as it was read
        live = data.get("live") if isinstance(data.get("live"), dict) else {}
        start = [o for o in live.get("setup") or [] if isinstance(o, dict)] if isinstance(live.get("setup"), list) else []
        if isinstance(data.get("starter"), str) and data["starter"].strip():
            from graders.source import parse_documents

            start += [d.obj for d in parse_documents(data["starter"])[0] if isinstance(d.obj, dict)]
        for check in wanting(data):
            ref = check.get("object") if isinstance(check.get("object"), dict) else {}
            found = [o for o in start if o.get("kind") == ref.get("kind") and isinstance(o.get("metadata"), dict)
                     and o["metadata"].get("name") == ref.get("name")]
            if not found:
                raise ValueError(f"check {check.get('id')}: `was` is left out, and neither live.setup nor the starter has "
                                 f"{ref.get('kind')} {ref.get('name')} to take it from: give `was`")
            check["was"] = copy.deepcopy(found[0])
        return data

    @model_validator(mode="after")
    def _kind_fields(self) -> "Exercise":
        if self.kind == "manifest":
            if self.target is None:
                raise ValueError("a manifest exercise needs a `target` (the object it asks about)")
            if not self.checks and not (self.live and self.live.checks):
                raise ValueError("a manifest exercise needs at least one check")
        if self.kind == "command" and self.command is None:
            raise ValueError("a command exercise needs a `command` section")
        if self.kind == "quiz" and self.quiz is None:
            raise ValueError("a quiz exercise needs a `quiz` section")
        if self.kind != "command" and self.command is not None:
            raise ValueError("only a command exercise has a `command` section")
        if self.kind != "quiz" and self.quiz is not None:
            raise ValueError("only a quiz exercise has a `quiz` section")
        live_only = [c.id for c in self.checks if c.type in LIVE_ONLY_CHECK_TYPES]
        if live_only:
            raise ValueError(f"live-only check(s) {', '.join(live_only)} belong under `live.checks`")
        ids = [c.id for c in self.all_checks()]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"check ids must be unique: {', '.join(dupes)}")
        live_ids = {c.id for c in (self.live.checks if self.live else [])}
        for check in self.all_checks():
            wrong = [i for i in check.satisfied_by if i not in live_ids or i == check.id]
            if wrong:
                raise ValueError(f"check {check.id}: satisfied_by names {', '.join(wrong)}, which is not another check under `live.checks`")
        return self

    @property
    def live_only(self) -> bool:
        return self.live is not None and self.live.mode == "only"

    @property
    def offline(self) -> bool:
        """Whether it can be graded without a cluster."""
        return not self.live_only

    def all_checks(self) -> list[Any]:
        return list(self.checks) + (list(self.live.checks) if self.live else [])


class PackMeta(Strict):
    """pack.yaml: who wrote the pack and what it is."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: LocalText
    version: str
    languages: list[str] = list(LANGUAGES)
    authors: list[str] = []
    description: LocalText | None = None
    kubernetes_version: str | None = None
    """The Kubernetes version the pack's manifests are validated against (default: kubedojo's)."""
    requires: Annotated[str, AfterValidator(kubedojo_requirement)] | None = None
    """The kubedojo versions the pack works with, as a requirement: `kubedojo >=0.2` or `kubedojo >=0.2,<1`."""
