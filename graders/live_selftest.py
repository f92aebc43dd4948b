"""`kubedojo lint --live`: prove a live exercise on a practice cluster (setup, right answers pass, wrong ones fail, reset cleans up)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from exercises.model import Exercise
from graders import cluster as live_cluster
from graders.cluster import Cluster, ClusterError, describe, selector
from graders.live import exercise_namespace, grade_live
from graders.practice import reset_kinds

WRONG_ANSWER_WAIT_SECONDS = 5.0
"""A counterexample's live checks wait at most this long: a wrong answer must fail anyway."""


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

    @property
    def ok(self) -> bool:
        return self.passed == self.must_pass


@dataclass
class LiveSelfTest:
    """What lint --live found for one exercise."""

    exercise_id: str
    namespace: str
    trials: list[Trial] = field(default_factory=list)
    setup_seconds: float = 0.0
    reset_seconds: float = 0.0
    leftovers: list[str] = field(default_factory=list)
    """What was still on the cluster after the last reset."""
    skipped: str | None = None
    error: str | None = None
    """The cluster failed midway (the message and hint)."""

    @property
    def ok(self) -> bool:
        return self.error is None and not self.leftovers and all(t.ok for t in self.trials)

    def to_json(self) -> dict[str, Any]:
        return {"exercise": self.exercise_id, "namespace": self.namespace, "ok": self.ok, "skipped": self.skipped,
                "error": self.error, "setup_seconds": round(self.setup_seconds, 3), "reset_seconds": round(self.reset_seconds, 3),
                "leftovers": self.leftovers,
                "trials": [{"answer": t.what, "why": t.why, "must_pass": t.must_pass, "passed": t.passed, "ok": t.ok,
                            "seconds": round(t.seconds, 3), "detail": t.detail} for t in self.trials]}


def cannot_test(exercise: Exercise) -> str | None:
    """Why lint --live cannot put this exercise's answers on a cluster, or None."""
    if exercise.live is None:
        return "no live version"
    if exercise.kind != "manifest":
        return f"a {exercise.kind} exercise's answers are not manifests to apply (it is self-tested offline)"
    if any(c.type == "mirror_pod" for c in exercise.live.checks):
        return "a static pod's answer is a file on a node, which lint --live does not write"
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


class ApplyRefused(Exception):
    """The answer cannot be put on the cluster (not YAML, or the API server refuses it)."""


def apply_answer(kube: Cluster, text: str, namespace: str, made: list[tuple[str, str | None, str]]) -> None:
    """`kubectl apply --server-side --force-conflicts -n NS -f -`, with `kubectl replace --force` where a pod cannot change;
    `made` gets each object as it is sent, so what a half-applied answer made is removed too."""
    from graders.source import parse_documents

    documents, errors = parse_documents(text)
    if errors:
        raise ApplyRefused(errors[0].message)
    for document in documents:
        obj = json.loads(json.dumps(document.obj))
        if not isinstance(obj, dict) or not obj.get("kind") or not isinstance(obj.get("metadata"), dict) or not obj["metadata"].get("name"):
            raise ApplyRefused("an object without kind or metadata.name")
        obj.pop("status", None)
        meta = obj["metadata"]
        try:
            if kube.resource(obj["kind"], obj.get("apiVersion"))[2]:
                meta["namespace"] = meta.get("namespace") or namespace
            else:
                meta.pop("namespace", None)
            path = kube.path(obj["kind"], meta.get("namespace"), meta["name"], obj.get("apiVersion"))
            made.append((obj["kind"], meta.get("namespace"), meta["name"]))
            if obj["kind"] == "Pod" and kube.get("Pod", meta["name"], meta["namespace"]):
                _replace(kube, path, obj)
                continue
            try:
                _apply(kube, path, obj)
            except ClusterError as err:
                if not any(word in err.problem.detail for word in ("immutable", "may not change", "Forbidden: pod updates")):
                    raise
                _replace(kube, path, obj)
        except ClusterError as err:
            if err.problem.kind != "api":  # the cluster, not the answer, is the trouble
                raise
            raise ApplyRefused(f"the API server refuses it: {err.problem.detail}") from None


def _apply(kube: Cluster, path: str, obj: dict[str, Any]) -> None:
    kube.request("PATCH", path, [("fieldManager", "kubectl"), ("force", "true")], json.dumps(obj), content_type="application/apply-patch+yaml")


def _replace(kube: Cluster, path: str, obj: dict[str, Any]) -> None:
    kube.request("DELETE", path, [("gracePeriodSeconds", 0)], missing_ok=True)
    kube.wait_for(obj["kind"], obj["metadata"].get("namespace"), lambda items: not items, 30, fields=f"metadata.name={obj['metadata']['name']}")
    _apply(kube, path, obj)


def _remove_made(kube: Cluster, made: list[tuple[str, str | None, str]]) -> None:
    """What the answer applied (reset takes what setup made and the exercise's own namespace; in `default`, or elsewhere,
    the answer's objects are the self-test's to remove)."""
    for kind, obj_namespace, name in made:
        kube.request("DELETE", kube.path(kind, obj_namespace, name), [("gracePeriodSeconds", 0)], missing_ok=True)


def self_test_live(exercise: Exercise, kube: Cluster, said: Callable[[str], None] = lambda _line: None) -> LiveSelfTest:
    """Every answer of the exercise on a fresh setup; a final reset must leave nothing of the exercise behind."""
    namespace = exercise_namespace(exercise)
    result = LiveSelfTest(exercise.id, namespace, skipped=cannot_test(exercise))
    if result.skipped or exercise.live is None:
        return result
    setup_objects, kinds = exercise.live.setup, reset_kinds(exercise)
    try:
        live_cluster.reset(kube, exercise.id, namespace, setup_objects, kinds, wait_namespace=True)
        for what, why, text, must_pass in answers(exercise):
            start = time.monotonic()
            live_cluster.setup(kube, exercise.id, namespace, setup_objects)
            result.setup_seconds = max(result.setup_seconds, time.monotonic() - start)
            made: list[tuple[str, str | None, str]] = []
            try:
                apply_answer(kube, text, namespace, made)
            except ApplyRefused as err:
                trial = Trial(what, why, must_pass, False, time.monotonic() - start, str(err))
            else:
                report = grade_live(exercise if must_pass else impatient(exercise), kube)
                failed = [f"{r.check_id}: {r.message}" for r in report.results if not r.passed] + [e.message for e in report.errors]
                trial = Trial(what, why, must_pass, report.passed, time.monotonic() - start, "; ".join(failed))
            result.trials.append(trial)
            said(f"{exercise.id}: {what} {'passes' if trial.passed else 'fails'} ({trial.seconds:.1f} s)")
            _remove_made(kube, made)
            start = time.monotonic()
            done = live_cluster.reset(kube, exercise.id, namespace, setup_objects, kinds, wait_namespace=True)
            result.reset_seconds = max(result.reset_seconds, time.monotonic() - start)
        result.leftovers = list(done.pending) + leftovers(kube, exercise)
    except ClusterError as err:
        message, hint = describe(err.problem)
        result.error = message + (f" ({hint})" if hint else "")
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
