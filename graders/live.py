"""Grading a live cluster: read the objects an exercise names, judge their own fields at once, then watch behaviour side by side."""

from __future__ import annotations

import queue
import threading
from dataclasses import replace
from typing import Any

from exercises.model import Exercise, ObjectRef
from graders.checks import RUNNERS, Runner, Subject, needs, run_checks
from graders.subject import exercise_namespace
from graders.cluster import Cluster
from graders.live_exec import run_exec
from graders.live_pods import run_container_state, run_pod_phase, run_pod_ready, run_restart_count
from graders.live_view import Clock, LiveView, Progress, ProgressCallback
from graders.live_watched import reads_status, run_endpoints, run_event, run_mirror_pod, run_status_field
from graders.report import CheckResult, GradeReport

NOT_FETCHED = frozenset({"mirror_pod"})
STATUS_SETTLE_SECONDS = 15.0
"""How long a failing field check on `.status` watches for a controller to catch up (a PVC binding, replicas ready)."""
PROGRESS_SECONDS = 1.0
"""How often a progress callback hears how the behaviour checks are doing."""


class LiveSubject(Subject):
    """The objects read from a cluster; a missing one is reported with the namespace it was looked for in."""

    def _not_found(self, ref: ObjectRef, same_kind: list[dict[str, Any]]) -> str:
        if same_kind or self.cluster is None:
            return super()._not_found(ref, same_kind)
        what = f"{ref.kind} `{ref.name}`" if ref.name else ref.kind
        if not self.cluster.cluster.resource(ref.kind)[2]:
            return self.say(f"there is no {what} in the cluster", f"클러스터에 {what}이(가) 없습니다")
        where = ref.namespace or self.cluster.namespace
        return self.say(f"there is no {what} in namespace {where}", f"네임스페이스 {where}에 {what}이(가) 없습니다")

    def lookup(self, kind: str, name: str, namespace: str | None = None) -> dict[str, Any] | None:
        """Among the objects read, else from the cluster (read once per grading)."""
        found = super().lookup(kind, name, namespace)
        if found is not None or self.cluster is None:
            return found
        found = self.lookup_live(kind, name, namespace)
        if found is not None:
            self.objects = [*self.objects, found]
        return found

    def lookup_live(self, kind: str, name: str, namespace: str | None = None) -> dict[str, Any] | None:
        """The object as the cluster has it now."""
        view: LiveView = self.cluster
        return view.cluster.get(kind, name, namespace or view.namespace)


def is_behaviour(check: Any) -> bool:
    """A check on what the cluster does (it may wait), as opposed to the answer's own fields."""
    return check.type in LIVE_RUNNERS and (check.type != "field" or reads_status(check))


def grade_live(exercise: Exercise, cluster: Cluster, lang: str = "en", progress: ProgressCallback | None = None,
               settle_seconds: float | None = None, deadline: threading.Event | None = None) -> GradeReport:
    """Grade what is on the cluster; a cluster that fails midway raises ClusterError for the caller to render.

    `settle_seconds` (default STATUS_SETTLE_SECONDS) is how long a failing `.status` field watches for a controller.

    The answer's own fields are judged first. When one already fails, the answer is wrong whatever the
    cluster does next: behaviour checks then look once instead of waiting. Those that wait do so side by
    side, each within its timeout, and `progress` hears about them every PROGRESS_SECONDS. `deadline`, once set
    (a mock exam's grading deadline), ends every wait: each check then judges what it saw.
    """
    namespace = exercise_namespace(exercise)
    checks = exercise.all_checks()
    objects = read_objects(cluster, _refs(exercise, checks), namespace)
    view = LiveView(cluster, namespace, lang=lang, deadline=deadline,
                    status_settle_seconds=STATUS_SETTLE_SECONDS if settle_seconds is None else settle_seconds)
    subject = LiveSubject(objects=objects, default_ref=exercise.target, lang=lang, cluster=view, namespace=namespace)
    spec_checks = [c for c in checks if not is_behaviour(c)]
    results = dict(zip((c.id for c in spec_checks), run_checks(spec_checks, subject, ALL_RUNNERS)))
    wrong = next((c.id for c in spec_checks if not results[c.id].passed and not c.satisfied_by), None)
    if wrong is not None:
        view.look_once = (f"check {wrong} already fails", f"{wrong} 검사가 이미 실패했습니다")
    results.update(run_side_by_side([c for c in checks if is_behaviour(c)], subject, view, progress))
    ordered = _count_what_the_container_does(checks, [results[c.id] for c in checks], subject)
    return GradeReport(exercise.id, tuple(ordered), mode="live", max_score=len(checks))


def run_side_by_side(checks: list[Any], subject: Subject, view: LiveView, progress: ProgressCallback | None = None) -> dict[str, CheckResult]:
    """Run each check in its own thread (daemon: an interrupted grading never keeps a process alive), under one deadline."""
    if not checks:
        return {}
    finished: queue.Queue[tuple[str, Any]] = queue.Queue()

    def work(check: Any) -> None:
        own = replace(subject, objects=list(subject.objects))  # a check may replace objects with what it watched
        try:
            finished.put((check.id, run_checks([check], own, ALL_RUNNERS)[0]))
        except BaseException as err:  # handed to the grading thread, which raises it there
            finished.put((check.id, err))

    budget = max(view.status_settle_seconds if c.type == "field" else float(getattr(c, "timeout_seconds", 0)) for c in checks)
    clock = Clock()
    for check in checks:
        threading.Thread(target=work, args=(check,), name=f"kubedojo-check-{check.id}", daemon=True).start()
    results: dict[str, CheckResult] = {}
    try:
        while len(results) < len(checks):
            try:
                check_id, outcome = finished.get(timeout=PROGRESS_SECONDS)
            except queue.Empty:
                pass
            else:
                if isinstance(outcome, BaseException):
                    raise outcome
                results[check_id] = outcome
            if progress is not None and len(results) < len(checks) and view.look_once is None:  # looking once takes no time to report
                waiting = tuple((c.id, view.notes.get(c.id, "")) for c in checks if c.id not in results)
                progress(Progress(clock(), budget, len(results), len(checks), waiting))
    finally:
        view.stop.set()  # an error or an interrupt: every check still watching ends within a watch segment
    return results


def _count_what_the_container_does(checks: list[Any], results: list[CheckResult], subject: Subject) -> list[CheckResult]:
    """A failed spec check whose `satisfied_by` checks all passed live: the container has what was asked, however the spec says it."""
    by_id = {r.check_id: r for r in results}
    out = []
    for check, outcome in zip(checks, results):
        proof = [by_id[i] for i in check.satisfied_by if i in by_id]
        if outcome.status == "fail" and proof and all(p.passed for p in proof):
            names = ", ".join(p.check_id for p in proof)
            outcome = CheckResult(check.id, "pass", subject.say(f"{outcome.message}; but check {names} shows the container has what was asked, and that is what counts",
                                                                f"{outcome.message}. 그러나 {names} 검사에서 컨테이너가 요구한 대로 동작함을 확인했고, 그것이 기준입니다"),
                                  outcome.path, outcome.line)
        out.append(outcome)
    return out


def _refs(exercise: Exercise, checks: list[Any]) -> list[ObjectRef]:
    refs = [exercise.target] if exercise.target else []
    for check in checks:
        if check.type not in NOT_FETCHED:
            refs.extend(needs(check, exercise.target))  # each check type says what it reads
    return list(dict.fromkeys(refs))


def read_objects(cluster: Cluster, refs: list[ObjectRef], namespace: str) -> list[dict[str, Any]]:
    """One GET per named object, one LIST per kind asked for without a name; the shape offline grading sees."""
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for ref in refs:
        where = ref.namespace or namespace
        if ref.name:
            objs = [o for o in [cluster.get(ref.kind, ref.name, where)] if o]
        else:
            objs = cluster.list(ref.kind, where).get("items") or []
        for obj in objs:
            meta = obj.get("metadata") or {}
            found[(str(obj.get("kind")), meta.get("namespace") or "", meta.get("name") or "")] = obj
    return list(found.values())


LIVE_RUNNERS: dict[str, Runner] = {
    "field": run_status_field,
    "pod_phase": run_pod_phase,
    "pod_ready": run_pod_ready,
    "container_state": run_container_state,
    "restart_count": run_restart_count,
    "event": run_event,
    "exec": run_exec,
    "mirror_pod": run_mirror_pod,
    "endpoints": run_endpoints,
}
"""Check type -> runner, for the checks that need a live cluster (and `field`, which waits for `.status` live)."""
ALL_RUNNERS: dict[str, Runner] = {**RUNNERS, **LIVE_RUNNERS}
