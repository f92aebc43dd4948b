"""Live pod checks on a workload: every pod it selects, once its controller has rolled the latest spec out."""

from __future__ import annotations

import time
from typing import Any, Callable

from graders.checks import Subject, result
from graders.live_pods import describe_pod, status_lag
from graders.live_view import LiveView
from graders.report import CheckResult


def rollout_lag(workload: dict[str, Any]) -> tuple[str, str] | None:
    """(en, ko) while the controller has not yet rolled out the workload's latest spec (as `kubectl rollout status` sees it)."""
    kind, meta = workload.get("kind"), workload.get("metadata") or {}
    spec, status = workload.get("spec") or {}, workload.get("status") or {}
    seen, generation = status.get("observedGeneration"), meta.get("generation")
    if isinstance(generation, int) and (not isinstance(seen, int) or seen < generation) and kind != "Job":
        return (f"the {kind} controller has not seen generation {generation} yet", f"{kind} 컨트롤러가 아직 generation {generation}을(를) 반영하지 않았습니다")
    if kind in ("Deployment", "StatefulSet"):
        want = spec.get("replicas", 1)
        updated, total = status.get("updatedReplicas") or 0, status.get("replicas") or 0
        if kind == "StatefulSet" and status.get("updateRevision") and status.get("currentRevision") != status.get("updateRevision") and (spec.get("updateStrategy") or {}).get("type") != "OnDelete":
            return (f"{updated}/{want} pods of the StatefulSet run the new revision", f"StatefulSet의 파드 {updated}/{want}개가 새 revision입니다")
        if updated < want or total > updated:
            return (f"rollout: {updated}/{want} pods updated, {total - updated} old one(s) left", f"롤아웃 중: 파드 {updated}/{want}개 업데이트, 이전 파드 {total - updated}개 남음")
    if kind == "DaemonSet":
        desired, updated = status.get("desiredNumberScheduled") or 0, status.get("updatedNumberScheduled") or 0
        if updated < desired:
            return (f"rollout: {updated}/{desired} pods updated", f"롤아웃 중: 파드 {updated}/{desired}개 업데이트")
    return None


def selector_query(selector: Any) -> str:
    """A workload's label selector as the API's `labelSelector` query (matchLabels and matchExpressions), "" when it has none."""
    selector = selector if isinstance(selector, dict) else {}
    terms = [f"{k}={v}" for k, v in (selector.get("matchLabels") or {}).items()]
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression.get("key"), expression.get("operator"), expression.get("values") or []
        if operator in ("In", "NotIn"):
            terms.append(f"{key} {operator.lower()} ({','.join(map(str, values))})")
        elif operator in ("Exists", "DoesNotExist"):
            terms.append(key if operator == "Exists" else f"!{key}")
    return ",".join(terms)


def workload_check(check: Any, subject: Subject, workload: dict[str, Any], ok: Callable[[dict[str, Any]], bool],
                   give_up: Callable[[dict[str, Any]], bool], state: tuple[str, str]) -> CheckResult:
    """Every pod the workload selects is in `state`, there are as many as it asks for, and its rollout is done."""
    view: LiveView = subject.cluster
    kind, meta, spec = workload.get("kind"), workload.get("metadata") or {}, workload.get("spec") or {}
    name, namespace = meta.get("name"), meta.get("namespace") or view.namespace
    query = selector_query(spec.get("selector"))
    if not query:
        return CheckResult(check.id, "error", subject.say(f"{kind} `{name}` has no selector to find its pods by", f"{kind} `{name}`에 파드를 찾을 selector가 없습니다"))
    current = {"workload": workload}
    only_the_rollout = [False]
    """Set when the pods are all as asked and only the workload's status lags: that is watched on the workload, since
    the controller's last status update (old pods counted out) comes with no pod event to wake a watch on pods."""

    def want() -> int:
        obj = current["workload"]
        return (obj.get("status") or {}).get("desiredNumberScheduled", 1) if kind == "DaemonSet" else (obj.get("spec") or {}).get("replicas", 1) if kind != "Job" else 1

    def alive(pods: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [p for p in pods if not (p.get("metadata") or {}).get("deletionTimestamp")]

    def done(pods: list[dict[str, Any]]) -> bool:
        pods = alive(pods)
        if any(give_up(p) for p in pods):
            return True
        lagging = next((lag for p in pods if (lag := status_lag(p)) is not None), None)
        if lagging is None and len(pods) >= want() and all(ok(p) for p in pods):
            current["workload"] = view.cluster.get(str(kind), str(name), namespace) or current["workload"]
            lagging = rollout_lag(current["workload"])
            if lagging is None:
                return True
            only_the_rollout[0] = True
        good = sum(1 for p in pods if ok(p))
        view.note(check, f"{good}/{want()} pods {state[0]}" + (f"; {lagging[0]}" if lagging else ""), f"파드 {good}/{want()}개 {state[1]}" + (f"; {lagging[1]}" if lagging else ""))
        return only_the_rollout[0]

    def moved(seen: dict[str, Any]) -> Callable[[list[dict[str, Any]]], bool]:
        """The workload is gone, rolled out, or its status changed from `seen`'s: time to look at the pods again."""
        return lambda items: not items or rollout_lag(items[0]) is None or items[0].get("status") != seen.get("status")

    deadline = time.monotonic() + view.timeout(check)
    while True:
        only_the_rollout[0] = False
        pods = alive(view.wait_for("Pod", namespace, done, max(0.0, deadline - time.monotonic()), labels=query))
        if not only_the_rollout[0] or time.monotonic() >= deadline or view.stopped():
            break
        changed = moved(current["workload"])
        seen = view.wait_for(str(kind), namespace, changed, max(0.0, deadline - time.monotonic()), fields=f"metadata.name={name}")
        if not seen or not changed(seen):
            break  # gone, out of time or stopped: judged as it stands
    current["workload"] = view.cluster.get(str(kind), str(name), namespace) or current["workload"]
    good = [p for p in pods if ok(p)]
    lag = rollout_lag(current["workload"])
    passed = len(pods) >= want() and len(good) == len(pods) and lag is None
    count = f"{len(good)}/{max(want(), len(pods))}"
    message = subject.say(f"{count} pods of {kind} `{name}` are {state[0]}", f"{kind} `{name}`의 파드 {count}개가 {state[1]} 상태입니다")
    bad = next((p for p in pods if not ok(p)), None)
    if bad is not None:
        message += subject.say(f"; pod `{bad['metadata']['name']}` is {describe_pod(bad, subject)}", f"; 파드 `{bad['metadata']['name']}`: {describe_pod(bad, subject)}")
    if lag is not None and len(good) == len(pods):
        message += subject.say(f"; {lag[0]}", f"; {lag[1]}")
    if not passed and not any(give_up(p) for p in pods):
        message += view.waited(check, subject, view.timeout(check))
    return result(check, subject, passed, message)
