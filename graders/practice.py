"""The practice cluster as one service for the CLI and the app: probe, set up, check, reset, status and node shells, as data."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, replace
from typing import Any

from graders.cluster import Cluster, ClusterError, ClusterProblem, MANAGED_BY, Outcome, describe, is_practice
from graders.faults import FaultError, apply_faults, undo_faults
from graders.report import AnswerError, GradeReport, unusable

KIND_CLUSTER = "kubedojo"
INSTALL = {
    "docker": "docker is not installed: get Docker Engine (https://docs.docker.com/engine/install/) or Docker Desktop",
    "kind": "kind is not installed: `go install sigs.k8s.io/kind@latest`, or a release binary (https://kind.sigs.k8s.io/docs/user/quick-start/#installation)",
}
INSTALL_KO = {
    "docker": "docker가 설치되어 있지 않습니다: Docker Engine(https://docs.docker.com/engine/install/)이나 Docker Desktop을 설치하세요",
    "kind": "kind가 설치되어 있지 않습니다: `go install sigs.k8s.io/kind@latest`, 또는 릴리스 바이너리(https://kind.sigs.k8s.io/docs/user/quick-start/#installation)를 쓰세요",
}


def _say(lang: str, en: str, ko: str) -> str:
    return ko if lang == "ko" else en


@dataclass(frozen=True)
class Probe:
    """Whether the cluster answers; `problem` says why not."""

    context: str | None
    server: str = ""
    problem: ClusterProblem | None = None

    @property
    def reachable(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class ActionResult:
    """What setup or reset did, or why it could not."""

    action: str
    exercise_id: str
    namespace: str
    context: str | None = None
    server: str | None = None
    outcome: Outcome | None = None
    problem: ClusterProblem | None = None
    refusal: tuple[str, str] | None = None
    """(en, ko) when the exercise itself cannot be done on a cluster."""

    @property
    def ok(self) -> bool:
        return self.outcome is not None

    def error(self, lang: str = "en") -> tuple[str, str | None] | None:
        """(message, hint) when it failed."""
        if self.refusal is not None:
            return _say(lang, *self.refusal), None
        return describe(self.problem, lang) if self.problem is not None else None

    def summary(self, lang: str = "en") -> str:
        """One line: what was applied or deleted, what is still going away, how long it took."""
        if self.outcome is None:
            message, hint = self.error(lang) or ("", None)
            return message + (f" ({hint})" if hint else "")
        done = ", ".join(self.outcome.objects) or _say(lang, "nothing to do", "할 일 없음")
        if self.outcome.pending:
            done += _say(lang, f"; still going away: {', '.join(self.outcome.pending)}", f"; 아직 삭제 중: {', '.join(self.outcome.pending)}")
        return done + _say(lang, f" ({self.outcome.seconds:.2f} s)", f" ({self.outcome.seconds:.2f}초)")

    def to_json(self, lang: str = "en") -> dict[str, Any]:
        error = self.error(lang)
        payload: dict[str, Any] = {"exercise": self.exercise_id, "action": self.action, "ok": self.ok, "context": self.context,
                                   "server": self.server, "namespace": self.namespace}
        if self.outcome is not None:
            payload.update(objects=list(self.outcome.objects), pending=list(self.outcome.pending), seconds=round(self.outcome.seconds, 3))
        payload["errors"] = [{"message": error[0], "hint": error[1]}] if error else []
        return payload


@dataclass(frozen=True)
class NodeShell:
    """How to open a shell on a node: the command to run, or why there is none."""

    argv: tuple[str, ...] = ()
    problem: str | None = None


def reset_kinds(exercise: Any) -> list[str]:
    """The kinds reset empties in the exercise's own namespace: the target's and those the checks look at."""
    refs = [exercise.target] + [c.object for c in exercise.all_checks()]
    return sorted({r.kind for r in refs if r is not None})


def node_ready(node: dict[str, Any]) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in (node.get("status") or {}).get("conditions") or [])


@dataclass
class Practice:
    """One practice cluster: a kubeconfig context, and the contexts besides kind-* that kubedojo may change."""

    context: str | None = None
    kubeconfig: str | None = None
    allowed: tuple[str, ...] = ()

    def connect(self, practice_only: bool = False) -> Cluster:
        """A connection whose server answered /version; with `practice_only`, a context that is not a practice one
        is refused before it is ever contacted. Raises ClusterError."""
        from graders.cluster import connect, read_context

        info = read_context(self.context, self.kubeconfig)
        if practice_only and not is_practice(info.name, self.allowed):
            raise ClusterError(ClusterProblem("not-practice", info.name, info.server))
        return connect(info.name, self.kubeconfig)

    def probe(self) -> Probe:
        """Read the kubeconfig and ask the server for /version."""
        from graders.cluster import read_context

        try:
            info = read_context(self.context, self.kubeconfig)
        except ClusterError as err:
            return Probe(err.problem.context or self.context, err.problem.server, err.problem)
        try:
            self.connect()
        except ClusterError as err:
            return Probe(info.name, info.server, err.problem)
        return Probe(info.name, info.server)

    def check(self, exercise: Any, lang: str = "en", progress: Any = None, deadline: Any = None) -> GradeReport:
        """A live report; an unusable cluster, or an exercise with no live version, is a report with a fatal error.
        `deadline` (a threading.Event), once set, ends the checks' waits (graders.live.grade_live)."""
        from graders.live import grade_live

        max_score = len(exercise.all_checks())
        if exercise.live is None:
            why = _say(lang, f"{exercise.id} has no live version: grade it with --file or --answer", f"{exercise.id}은(는) 실제 클러스터용 문제가 아닙니다: --file 또는 --answer로 채점하세요")
            return unusable(exercise.id, AnswerError(why), max_score=max_score, mode="live")
        try:
            return grade_live(exercise, self.connect(), lang, progress, deadline)
        except ClusterError as err:
            message, hint = describe(err.problem, lang)
            return unusable(exercise.id, AnswerError(message, hint=hint), max_score=max_score, mode="live")

    def setup(self, exercise: Any) -> ActionResult:
        return self._act("setup", exercise)

    def reset(self, exercise: Any) -> ActionResult:
        return self._act("reset", exercise)

    def _act(self, action: str, exercise: Any) -> ActionResult:
        from graders import cluster as live_cluster
        from graders.live import exercise_namespace

        namespace = exercise_namespace(exercise)
        if exercise.live is None:
            return ActionResult(action, exercise.id, namespace, self.context, refusal=(
                f"{exercise.id} has no live version (nothing to {action} on a cluster)", f"{exercise.id}은(는) 실제 클러스터용 문제가 아닙니다"))
        faults = exercise.live.faults
        if faults and missing_tools("docker"):
            why = missing_tools("docker")
            return ActionResult(action, exercise.id, namespace, self.context, refusal=(
                f"{exercise.id} breaks a node, which kubedojo does on kind nodes with docker: {why}",
                f"{exercise.id}은(는) 노드를 고장 내는 문제라 docker로 kind 노드에서만 할 수 있습니다: {why}"))
        try:
            cluster = self.connect(practice_only=True)
            if action == "setup" and not faults:
                outcome = live_cluster.setup(cluster, exercise.id, namespace, exercise.live.setup)
            elif action == "setup":
                # The namespace, then the faults, then the objects: a probe pod made on a node whose kubelet already
                # stopped never runs, where one made before would still look Ready for the node's grace period.
                outcome = live_cluster.setup(cluster, exercise.id, namespace, [])
                broken = apply_faults(exercise.id, faults, self.nodes())
                objects = live_cluster.setup(cluster, exercise.id, namespace, exercise.live.setup).objects if exercise.live.setup else ()
                outcome = replace(outcome, objects=tuple(dict.fromkeys(outcome.objects + broken.done + objects)))
            else:
                undone = undo_faults(exercise.id, faults, self.nodes()) if faults else ()
                if undone:
                    answers_again(cluster)
                outcome = live_cluster.reset(cluster, exercise.id, namespace, exercise.live.setup, reset_kinds(exercise))
                outcome = replace(outcome, objects=undone + outcome.objects)
        except ClusterError as err:
            return ActionResult(action, exercise.id, namespace, err.problem.context or self.context, err.problem.server or None, problem=err.problem)
        except FaultError as err:
            return ActionResult(action, exercise.id, namespace, self.context, refusal=(str(err), str(err)))
        return ActionResult(action, exercise.id, namespace, cluster.info.name, cluster.info.server, outcome)

    def nodes(self) -> Any:
        """Where node faults are carried out: the kind nodes, through docker exec."""
        from graders.kind_nodes import KindNodes

        return KindNodes(kind_node)

    def status(self) -> dict[str, Any]:
        """The context, server, version, nodes and kubedojo's namespaces. Raises ClusterError."""
        kube = self.connect()
        version = kube.version().get("gitVersion")
        nodes = kube.list("Node").get("items") or []
        namespaces = kube.list("Namespace", labels=f"{MANAGED_BY}=kubedojo").get("items") or []
        return {
            "context": kube.info.name,
            "server": kube.info.server,
            "practice": is_practice(kube.info.name, self.allowed),
            "version": version,
            "nodes": [{"name": n["metadata"]["name"], "ready": node_ready(n),
                       "roles": sorted(k.rsplit("/", 1)[-1] for k in (n["metadata"].get("labels") or {}) if k.startswith("node-role.kubernetes.io/"))} for n in nodes],
            "namespaces": [{"name": n["metadata"]["name"], "exercise": (n["metadata"].get("labels") or {}).get("kubedojo.dev/exercise"),
                            "phase": (n.get("status") or {}).get("phase")} for n in namespaces],
        }

    def node_shell(self, node: str) -> NodeShell:
        """A shell on a kind node (`docker exec`), as `ssh node01` in the exam."""
        problem = missing_tools("docker")
        if problem:
            return NodeShell(problem=problem)
        container = kind_node(node)
        if container is None:
            return NodeShell(problem=f"{node} is not a kind node on this machine (`kind get nodes --name {KIND_CLUSTER}` lists them); node-shell works on kind clusters only")
        return NodeShell(("docker", "exec", "-it", container, "sh", "-c", "command -v bash >/dev/null && exec bash || exec sh"))


def answers_again(cluster: Cluster, timeout: float = 90) -> None:
    """Wait until the API server answers (a repaired control-plane static pod takes a moment to come back)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        try:
            cluster.version()
            return
        except ClusterError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def missing_tools(*tools: str, lang: str = "en") -> str | None:
    """What stops kind from working here, with how to get it; None when docker (and kind) are ready."""
    for tool in tools:
        if shutil.which(tool) is None:
            return (INSTALL_KO if lang == "ko" else INSTALL)[tool]
    if "docker" in tools:
        try:
            info = subprocess.run(["docker", "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True, timeout=15)
        except subprocess.TimeoutExpired:
            return _say(lang, "docker is installed but its engine does not answer (docker info timed out)",
                        "docker는 설치되어 있지만 엔진이 응답하지 않습니다 (docker info 시간 초과)")
        if info.returncode != 0 or not info.stdout.strip():
            reason = (info.stderr.strip().splitlines() or ["no answer"])[-1]
            return _say(lang, f"docker is installed but its engine is not running ({reason}): start it (`sudo systemctl start docker`, or Docker Desktop)",
                        f"docker는 설치되어 있지만 엔진이 실행 중이 아닙니다 ({reason}): 엔진을 시작하세요 (`sudo systemctl start docker`, 또는 Docker Desktop)")
    return None


def kind_node(name: str) -> str | None:
    """The docker container of a kind node called `name` (or `kubedojo-name`), if there is one."""
    for candidate in (name, f"{KIND_CLUSTER}-{name}"):
        probe = subprocess.run(["docker", "inspect", "--format", '{{ index .Config.Labels "io.x-k8s.kind.role" }}', candidate], capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.strip() not in ("", "<no value>"):
            return candidate
    return None

