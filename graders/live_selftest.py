"""`kubedojo lint --live`: prove an exercise on a practice cluster (setup, right answers pass, wrong ones fail, reset cleans up),
for every kind: manifests applied, kubectl and helm lines run, static pods written on a node; or say why there is nothing to prove."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from exercises.model import Exercise
from graders import cluster as live_cluster
from graders.cluster import Cluster, ClusterError, describe, selector
from graders.faults import FaultError
from graders.live import exercise_namespace, grade_live
from graders.live_answers import (
    ApplyRefused, NotRunnable, Undo, apply_answer, helm_argv, kubectl_argvs, remove_made, run_line, write_static_pods,
)
from graders.practice import reset_kinds

__all__ = ["ApplyRefused", "LiveSelfTest", "Trial", "answers", "cannot_test", "needs_a_kubelet", "self_test_live"]

WRONG_ANSWER_WAIT_SECONDS = 5.0
"""A counterexample's live checks wait at most this long: a wrong answer must fail anyway."""
KUBELET_CONFIG = "/var/lib/kubelet/config.yaml"
"""A node that has this file runs a kubelet that lint --live can hand a static pod manifest."""


@dataclass(frozen=True)
class Trial:
    """One answer put on the cluster and graded."""

    what: str
    """`solution`, `also_right 1` or `counterexample 2`."""
    why: str
    must_pass: bool
    passed: bool
    seconds: float
    detail: str = ""
    """Why it failed (a right answer) or that the API server refused it (a wrong one)."""
    not_run: str | None = None
    """Why this answer was not put on the cluster (a shell pipeline ...): a wrong one cannot get there either; a right one is not proved."""

    @property
    def ok(self) -> bool:
        return self.not_run is not None or self.passed == self.must_pass  # a right answer not run is a warning, not a failure


@dataclass
class LiveSelfTest:
    """What lint --live found for one exercise."""

    exercise_id: str
    namespace: str
    kind: str = "manifest"
    """How its answers get on the cluster: manifest, command, helm, static pod, or the exercise's kind when nothing does."""
    trials: list[Trial] = field(default_factory=list)
    setup_seconds: float = 0.0
    reset_seconds: float = 0.0
    seconds: float = 0.0
    """The whole self-test of the exercise."""
    leftovers: list[str] = field(default_factory=list)
    """What was still on the cluster after the last reset."""
    nothing_to_test: str | None = None
    """Why the exercise has nothing to prove live (a quiz, a read-only command): not a problem."""
    skipped: str | None = None
    """Why it could not be proved on this cluster (no node shell for a static pod, no helm on PATH): a warning."""
    error: str | None = None
    """The cluster failed midway (the message and hint)."""

    @property
    def ok(self) -> bool:
        return self.error is None and not self.leftovers and all(t.ok for t in self.trials)

    def to_json(self) -> dict[str, Any]:
        return {"exercise": self.exercise_id, "namespace": self.namespace, "kind": self.kind, "ok": self.ok,
                "nothing_to_test": self.nothing_to_test, "skipped": self.skipped, "error": self.error,
                "seconds": round(self.seconds, 3), "setup_seconds": round(self.setup_seconds, 3), "reset_seconds": round(self.reset_seconds, 3),
                "leftovers": self.leftovers,
                "trials": [{"answer": t.what, "why": t.why, "must_pass": t.must_pass, "passed": t.passed, "ok": t.ok,
                            "seconds": round(t.seconds, 3), "detail": t.detail, "not_run": t.not_run} for t in self.trials]}


def answer_kind(exercise: Exercise) -> str:
    """How lint --live puts this exercise's answers on a cluster."""
    if exercise.live is not None and any(c.type == "mirror_pod" for c in exercise.live.checks):
        return "static pod"
    if exercise.kind == "quiz" and exercise.solution.strip().removeprefix("$ ").startswith("helm "):
        return "helm"
    return exercise.kind


def nothing_to_test(exercise: Exercise) -> str | None:
    """Why the exercise has nothing to prove on a cluster, or None."""
    if exercise.live is None:
        return {"quiz": "a quiz: its answers are words or choices, self-tested offline",
                "command": "no live version: the command is graded offline, by what it does to the objects it acts on"
                }.get(exercise.kind, "no live version: self-tested offline")
    kind = answer_kind(exercise)
    try:
        if kind == "command":
            kubectl_argvs(exercise.solution)
        elif kind == "helm":
            helm_argv(exercise.solution)
        elif kind == "quiz":
            return "a quiz: its answer is not a command to run, so there is nothing to put on the cluster"
    except NotRunnable as err:
        return f"its solution is not run live: {err}"
    return None


def needs_a_kubelet(exercise: Exercise) -> str | None:
    """The check that only a node running containers can pass (a command run in one, a real restart, a mirror pod), or None."""
    from graders import matchers

    for check in exercise.live.checks if exercise.live else []:
        if check.type in ("exec", "mirror_pod"):
            return f"check {check.id} ({check.type})"
        if check.type == "restart_count" and not matchers.matches(check.expect, 0):
            return f"check {check.id} (a container that really restarts)"
    return None


def _nodes_are_kwoks(kube: Cluster) -> bool:
    """Every node is played by kwok (it writes statuses; no container runs)."""
    items = kube.list("Node").get("items") or []
    return bool(items) and all(((i.get("metadata") or {}).get("annotations") or {}).get("kwok.x-k8s.io/node") == "fake" for i in items)


def _unserved_kind(exercise: Exercise, kube: Cluster) -> str | None:
    """A kind the answer or the starting state uses that the cluster does not serve (and no CRD of the exercise brings)."""
    import yaml

    try:
        docs = [d for d in yaml.safe_load_all(exercise.solution) if isinstance(d, dict)]
    except yaml.YAMLError:
        docs = []
    docs += [dict(o) for o in exercise.live.setup] if exercise.live else []
    brought = {((d.get("spec") or {}).get("names") or {}).get("kind") for d in docs if d.get("kind") == "CustomResourceDefinition"}
    for doc in docs:
        kind = doc.get("kind")
        if not isinstance(kind, str) or kind in brought:
            continue
        try:
            kube.resource(kind, doc.get("apiVersion"))
        except ClusterError:
            return f"{kind} ({doc.get('apiVersion')})"
    return None


def cannot_test(exercise: Exercise, nodes: Any = None, node: str | None = None, kube: Cluster | None = None) -> str | None:
    """Why lint --live cannot prove this exercise on this cluster, or None (what has nothing to test is nothing_to_test's)."""
    kind = answer_kind(exercise)
    if exercise.live is not None and exercise.live.faults:
        return ("its starting state breaks nodes (live.faults): lint --live does not break a practice cluster's nodes; "
                "`kubedojo setup` does, and the project's test harness proves these exercises broken and repaired")
    if kind in ("command", "helm"):
        program = "kubectl" if kind == "command" else "helm"
        if shutil.which(program) is None:
            return f"{program} is not on PATH: lint --live runs the solution with it"
    if kind == "static pod":
        if nodes is None or node is None:
            return ("the cluster cannot take a static pod manifest here: lint --live writes it into a node's "
                    "/etc/kubernetes/manifests through a node shell (docker exec on kind nodes), and this cluster offers none")
        try:
            if nodes.read(node, KUBELET_CONFIG) is None:
                return f"the cluster cannot take a static pod manifest: {node} has no kubelet config ({KUBELET_CONFIG}) to read one"
        except FaultError as err:
            return f"the cluster cannot take a static pod manifest: {err}"
    if kube is not None:
        kubelet = needs_a_kubelet(exercise)
        if kubelet and _nodes_are_kwoks(kube):
            return f"{kubelet} needs a node that runs containers, and this cluster's nodes are kwok's (they only write statuses)"
        unserved = _unserved_kind(exercise, kube) if kind == "manifest" else None
        if unserved:
            return (f"the cluster does not serve {unserved}: install its CustomResourceDefinition first "
                    "(the Gateway API's, for Gateway and HTTPRoute: see the authors' guide)")
    return None


def answers(exercise: Exercise) -> list[tuple[str, str, str, bool]]:
    """(what, why, text, must pass) for the solution, every also_right and every counterexample."""
    return ([("solution", "the reference solution", exercise.solution, True)]
            + [(f"also_right {i + 1}", a.why, a.answer, True) for i, a in enumerate(exercise.also_right)]
            + [(f"counterexample {i + 1}", c.why, c.answer, False) for i, c in enumerate(exercise.counterexamples)])


def impatient(exercise: Exercise) -> Exercise:
    assert exercise.live is not None
    checks = [c.model_copy(update={"timeout_seconds": min(c.timeout_seconds, WRONG_ANSWER_WAIT_SECONDS)})
              if hasattr(c, "timeout_seconds") else c for c in exercise.live.checks]
    return exercise.model_copy(update={"live": exercise.live.model_copy(update={"checks": checks})})


Put = Callable[[str, list[Undo]], None]


def _putter(exercise: Exercise, kube: Cluster, namespace: str, nodes: Any, node: str | None, workdir: Path | None) -> Put:
    """How one answer text goes on the cluster; each undo it makes is added to the list first, so a half-done answer is undone too."""
    kind = answer_kind(exercise)

    def manifest(text: str, undos: list[Undo]) -> None:
        made: list[tuple[str, str | None, str]] = []
        undos.append(lambda: remove_made(kube, made))
        apply_answer(kube, text, namespace, made)

    def command(text: str, undos: list[Undo]) -> None:
        for argv in kubectl_argvs(text):
            run_line("kubectl", argv, kube, namespace, workdir)

    def helm(text: str, undos: list[Undo]) -> None:
        run_line("helm", helm_argv(text), kube, namespace, workdir)

    def static_pod(text: str, undos: list[Undo]) -> None:
        undos.append(write_static_pods(nodes, node, text, kube))

    return {"command": command, "helm": helm, "static pod": static_pod}.get(kind, manifest)


def a_worker(kube: Cluster, exercise: Exercise) -> str | None:
    """The node a static pod answer is written on: the one its mirror_pod check names, else the first worker."""
    named = next((c.node for c in (exercise.live.checks if exercise.live else []) if c.type == "mirror_pod" and c.node), None)
    if named:
        return named
    for item in kube.list("Node").get("items") or []:
        meta = item.get("metadata") or {}
        if "node-role.kubernetes.io/control-plane" not in (meta.get("labels") or {}):
            return meta.get("name")
    return None


def self_test_live(exercise: Exercise, kube: Cluster, said: Callable[[str], None] = lambda _line: None,
                   nodes: Any = None, workdir: Path | None = None) -> LiveSelfTest:
    """Every answer of the exercise on a fresh setup; a final reset must leave nothing of the exercise behind.

    `nodes` (graders.faults.Nodes: kind's through docker exec, or the test harness's) is where static pods are written;
    `workdir` is where command lines run (the pack folder, so a chart or overlay the pack ships is found)."""
    started = time.monotonic()
    namespace = exercise_namespace(exercise)
    result = LiveSelfTest(exercise.id, namespace, answer_kind(exercise), nothing_to_test=nothing_to_test(exercise))
    if result.nothing_to_test or exercise.live is None:
        return result
    try:
        node = a_worker(kube, exercise) if result.kind == "static pod" and nodes is not None else None
        result.skipped = cannot_test(exercise, nodes, node, kube)
        if result.skipped:
            return result
        put = _putter(exercise, kube, namespace, nodes, node, workdir)
        setup_objects, kinds = exercise.live.setup, reset_kinds(exercise)
        live_cluster.reset(kube, exercise.id, namespace, setup_objects, kinds, wait_namespace=True)
        for what, why, text, must_pass in answers(exercise):
            start = time.monotonic()
            live_cluster.setup(kube, exercise.id, namespace, setup_objects)
            result.setup_seconds = max(result.setup_seconds, time.monotonic() - start)
            undos: list[Undo] = []
            try:
                put(text, undos)
            except NotRunnable as err:
                trial = Trial(what, why, must_pass, False, time.monotonic() - start, not_run=str(err))
            except ApplyRefused as err:
                trial = Trial(what, why, must_pass, False, time.monotonic() - start, str(err))
            else:
                report = grade_live(exercise if must_pass else impatient(exercise), kube)
                failed = [f"{r.check_id}: {r.message}" for r in report.results if not r.passed] + [e.message for e in report.errors]
                trial = Trial(what, why, must_pass, report.passed, time.monotonic() - start, "; ".join(failed))
            result.trials.append(trial)
            said(f"{exercise.id}: {what} {'is not run' if trial.not_run else 'passes' if trial.passed else 'fails'} ({trial.seconds:.1f} s)")
            for undo in reversed(undos):
                undo()
            start = time.monotonic()
            done = live_cluster.reset(kube, exercise.id, namespace, setup_objects, kinds, wait_namespace=True)
            result.reset_seconds = max(result.reset_seconds, time.monotonic() - start)
        result.leftovers = list(done.pending) + leftovers(kube, exercise)
    except ClusterError as err:
        message, hint = describe(err.problem)
        result.error = message + (f" ({hint})" if hint else "")
    except FaultError as err:  # a node shell that fails midway
        result.error = str(err)
    finally:
        result.seconds = time.monotonic() - started
    return result


def leftovers(kube: Cluster, exercise: Exercise) -> list[str]:
    """Objects still on the cluster that carry the exercise's labels, or its namespace if kubedojo made it."""
    found = []
    kinds = {"Namespace"} | {o.get("kind") for o in (exercise.live.setup if exercise.live else []) if isinstance(o, dict)}
    for kind in sorted(k for k in kinds if isinstance(k, str)):
        for item in (kube.list(kind, None, labels=selector(exercise.id)).get("items") or []):
            meta = item.get("metadata") or {}
            found.append(f"{kind}/{meta.get('name')}" + (f" in {meta['namespace']}" if meta.get("namespace") else ""))
    return found
