"""The exercise model: what an instructor writes in a pack, as pydantic models."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

LANGUAGES = ("en", "ko")

Domain = Literal[
    "cluster-architecture",
    "workloads-scheduling",
    "services-networking",
    "storage",
    "troubleshooting",
]
DOMAINS: tuple[str, ...] = Domain.__args__  # type: ignore[attr-defined]
DOMAIN_TITLES = {
    "cluster-architecture": {"en": "Cluster Architecture, Installation & Configuration", "ko": "클러스터 아키텍처, 설치 및 구성"},
    "workloads-scheduling": {"en": "Workloads & Scheduling", "ko": "워크로드와 스케줄링"},
    "services-networking": {"en": "Services & Networking", "ko": "서비스와 네트워킹"},
    "storage": {"en": "Storage", "ko": "스토리지"},
    "troubleshooting": {"en": "Troubleshooting", "ko": "트러블슈팅"},
}
Difficulty = Literal["quick", "core", "deep"]
ExerciseKind = Literal["manifest", "command", "quiz"]


def _has_required_languages(value: dict[str, str]) -> dict[str, str]:
    missing = [lang for lang in LANGUAGES if not (value.get(lang) or "").strip()]
    if missing:
        raise ValueError(f"missing text for language(s): {', '.join(missing)}")
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        raise ValueError(f"unknown language(s): {', '.join(unknown)} (known: {', '.join(LANGUAGES)})")
    return value


LocalText = Annotated[dict[str, str], AfterValidator(_has_required_languages)]
"""Text in every language kubedojo speaks: `{en: ..., ko: ...}`."""


def pick(text: dict[str, str] | None, lang: str) -> str:
    """The text in `lang`, falling back to English."""
    if not text:
        return ""
    return text.get(lang) or text.get("en") or next(iter(text.values()), "")


class Strict(BaseModel):
    """Base for every model read from a user's or an instructor's file."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --- matchers -------------------------------------------------------------------------------

Scalar = Union[str, int, float, bool]


class Matcher(Strict):
    """What a value must be; exactly one field is set."""

    equals: Any = None
    """The value must equal this (numbers compare by value, `80` equals `"80"` only for strings of digits)."""
    one_of: list[Any] | None = None
    """The value must equal one of these."""
    matches: str | None = None
    """The value, as text, must match this regular expression (fully)."""
    contains: Any = None
    """A text must contain this substring; a list must contain this item."""
    exists: bool | None = None
    """`true`: the field must be present (any value)."""
    absent: bool | None = None
    """`true`: the field must not be present."""
    set_equals: list[Any] | None = None
    """The value (a list) must hold exactly these items, in any order."""
    at_least: float | None = None
    """The value must be a number >= this."""
    at_most: float | None = None
    """The value must be a number <= this."""
    quantity_equals: Scalar | None = None
    """The value is a Kubernetes quantity equal to this one (`0.5` equals `500m`)."""
    quantity_at_least: Scalar | None = None
    """The value is a Kubernetes quantity >= this one."""
    quantity_at_most: Scalar | None = None
    """The value is a Kubernetes quantity <= this one."""
    checks_file: str | None = None
    """The value is a command (exec probe) that succeeds only when this file exists: ls, cat, test -f/-e, stat, or an `sh -c` form."""
    command_runs: str | None = None
    """The value is a command (list) that runs this program, directly or through `sh -c`."""

    @model_validator(mode="after")
    def _exactly_one(self) -> "Matcher":
        chosen = self.chosen()
        if len(chosen) != 1:
            names = ", ".join(chosen) if chosen else "none"
            raise ValueError(f"a matcher sets exactly one of {', '.join(type(self).model_fields)}; this one sets {names}")
        return self

    def chosen(self) -> list[str]:
        """The names of the fields that are set."""
        return [name for name in type(self).model_fields if getattr(self, name) is not None]

    @property
    def op(self) -> str:
        return self.chosen()[0]

    @property
    def operand(self) -> Any:
        return getattr(self, self.op)


# --- checks ---------------------------------------------------------------------------------


class ObjectRef(Strict):
    """Which Kubernetes object a check looks at."""

    kind: str
    """The object's kind, e.g. `Pod`."""
    name: str | None = None
    """Its metadata.name; unset means the only object of that kind."""
    namespace: str | None = None
    """Its namespace, when it matters (live grading fills in the exercise's namespace)."""


class CheckBase(Strict):
    """What every check has."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """Unique within the exercise; shown in reports and JSON."""
    description: LocalText | None = None
    """What the check verifies, in words, for the report."""
    remediation: LocalText | None = None
    """What to do when it fails."""
    object: ObjectRef | None = None
    """The object to look at; defaults to the exercise's `target`."""
    satisfied_by: list[str] = []
    """Ids of live checks (an `exec` that reads the container's environment ...) that prove what this check asks of
    the spec another way: live, when they all pass, this check's failure does not count (what the container does wins)."""


class FieldCheck(CheckBase):
    """A field of the object, addressed by kubectl-style JSONPath, must satisfy a matcher."""

    type: Literal["field"]
    path: str | list[str]
    """kubectl-style JSONPath: `.spec.containers[?(@.name=="web")].image`. List items by name, never by index.
    Several paths: the check passes when any one of them does (a sidecar in `containers` or `initContainers`)."""
    expect: Matcher
    """What the value must be."""
    default: Any = None
    """The value Kubernetes assumes when the field is absent (e.g. `TCP` for a port's protocol)."""
    all: bool = False
    """When the path finds several values: `true` means every one must match, otherwise one is enough."""
    collect: bool = False
    """Match the list of every value found, in order, as one value (the order of init containers)."""

    @property
    def paths(self) -> list[str]:
        return [self.path] if isinstance(self.path, str) else list(self.path)


class ObjectExistsCheck(CheckBase):
    """The answer (or the cluster) has this object."""

    type: Literal["object_exists"]


class CountCheck(CheckBase):
    """The number of values the path finds (or of objects of a kind) must satisfy a matcher."""

    type: Literal["count"]
    path: str | None = None
    """Count the values found at this path in the object; unset: count objects of `object.kind`."""
    expect: Matcher


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


Check = Annotated[
    Union[
        FieldCheck,
        ObjectExistsCheck,
        CountCheck,
        PodPhaseCheck,
        PodReadyCheck,
        ContainerStateCheck,
        RestartCountCheck,
        EventCheck,
        ExecCheck,
        MirrorPodCheck,
        EndpointsCheck,
    ],
    Field(discriminator="type"),
]
CHECK_MODELS: dict[str, type[CheckBase]] = {
    m.model_fields["type"].annotation.__args__[0]: m for m in Check.__origin__.__args__  # type: ignore[attr-defined]
}
"""Check type name -> its model."""
LIVE_ONLY_CHECK_TYPES = frozenset(
    {"pod_phase", "pod_ready", "container_state", "restart_count", "event", "exec", "mirror_pod", "endpoints"}
)


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
    container, context) fail when an answer adds them unasked; list here the ones this task allows anyway."""


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
    accepted_patterns: list[str] = []
    """Regular expressions a short answer may fully match instead."""

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


class Counterexample(Strict):
    """A wrong answer that must fail; proves the checks bite."""

    answer: str
    why: str
    """What is wrong with it, for whoever reads the pack."""


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
    tags: list[str] = []

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
