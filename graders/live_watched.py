"""Live checks that watch something besides a pod's status: events, mirror pods, endpoints, `.status` fields."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from exercises.model import EndpointsCheck, EventCheck, FieldCheck, MirrorPodCheck
from graders.checks import Subject, result, run_field
from graders.live_view import LiveView
from graders.report import CheckResult

MIRROR_ANNOTATION = "kubernetes.io/config.mirror"


def run_event(check: EventCheck, subject: Subject) -> CheckResult:
    view: LiveView = subject.cluster
    ref = check.object or subject.default_ref
    if ref is None or not ref.name:
        return CheckResult(check.id, "error", "the pack's event check needs an object with a name")

    def hits(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [e for e in items if e.get("reason") == check.reason and (check.message_contains is None or check.message_contains in (e.get("message") or ""))]

    def done(items: list[dict[str, Any]]) -> bool:
        seen = ", ".join(sorted({str(e.get("reason")) for e in items})) or "—"
        view.note(check, f"no {check.reason} event yet (seen: {seen})", f"{check.reason} 이벤트 아직 없음 (있는 이벤트: {seen})")
        return bool(hits(items))

    fields = f"involvedObject.name={ref.name},involvedObject.kind={ref.kind}"
    there = subject.find(ref)[0] is not None  # no object, no new events about it: look once, do not wait
    timeout = view.timeout(check) if there else 0
    events = view.wait_for("Event", ref.namespace or view.namespace, done, timeout, fields=fields)
    found = hits(events)
    if found:
        return result(check, subject, True, subject.say(f"event {check.reason}: {found[0].get('message', '')}", f"이벤트 {check.reason}: {found[0].get('message', '')}"))
    reasons = ", ".join(sorted({str(e.get("reason")) for e in events})) or "—"
    return result(check, subject, False, subject.say(f"no {check.reason} event about {ref.kind} `{ref.name}` (events seen: {reasons})", f"{ref.kind} `{ref.name}`에 대한 {check.reason} 이벤트가 없습니다 (있는 이벤트: {reasons})")
                  + (view.waited(check, subject, timeout) if there else ""))


def run_mirror_pod(check: MirrorPodCheck, subject: Subject) -> CheckResult:
    view: LiveView = subject.cluster
    ref = check.object or subject.default_ref
    if ref is None or not ref.name:
        return CheckResult(check.id, "error", "the pack's mirror_pod check needs a pod name")

    def mirrors(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [p for p in items if MIRROR_ANNOTATION in ((p.get("metadata") or {}).get("annotations") or {})
                and p["metadata"].get("name") == f"{ref.name}-{(p.get('spec') or {}).get('nodeName')}"
                and (check.node is None or (p.get("spec") or {}).get("nodeName") == check.node)]

    def done(items: list[dict[str, Any]]) -> bool:
        view.note(check, f"no mirror pod {ref.name}-<node> yet", f"미러 파드 {ref.name}-<노드> 아직 없음")
        return bool(mirrors(items))

    timeout = view.timeout(check)
    pods = view.wait_for("Pod", ref.namespace or view.namespace, done, timeout)
    found = mirrors(pods)
    if found:
        return result(check, subject, True, subject.say(f"static pod `{ref.name}` runs on {found[0]['spec']['nodeName']} (mirror pod `{found[0]['metadata']['name']}`)", f"static 파드 `{ref.name}`이(가) {found[0]['spec']['nodeName']}에서 실행 중입니다 (미러 파드 `{found[0]['metadata']['name']}`)"))
    where = check.node or subject.say("any node", "어느 노드에도")
    return result(check, subject, False, subject.say(f"no mirror pod `{ref.name}-<node>` on {where}: the kubelet starts static pods from the manifests in /etc/kubernetes/manifests on the node", f"{where}에 미러 파드 `{ref.name}-<노드>`가 없습니다: kubelet은 노드의 /etc/kubernetes/manifests에 있는 매니페스트로 static 파드를 실행합니다")
                  + view.waited(check, subject, timeout))


def _ready_addresses(slices: list[dict[str, Any]]) -> int:
    return sum(len(ep.get("addresses") or []) for s in slices for ep in s.get("endpoints") or [] if (ep.get("conditions") or {}).get("ready") is not False)


def run_endpoints(check: EndpointsCheck, subject: Subject) -> CheckResult:
    view: LiveView = subject.cluster
    service, why = subject.find(check.object or subject.default_ref)
    if service is None:
        return result(check, subject, False, why)
    name = service["metadata"]["name"]

    def done(items: list[dict[str, Any]]) -> bool:
        view.note(check, f"{_ready_addresses(items)}/{check.min_ready} ready endpoints", f"준비된 엔드포인트 {_ready_addresses(items)}/{check.min_ready}개")
        return _ready_addresses(items) >= check.min_ready

    timeout = view.timeout(check)
    slices = view.wait_for("EndpointSlice", service["metadata"].get("namespace") or view.namespace, done, timeout, labels=f"kubernetes.io/service-name={name}")
    count = _ready_addresses(slices)
    ok = count >= check.min_ready
    hint = "" if ok else subject.say(" (does the service's selector match the pods' labels, and are they Ready?)", " (서비스의 selector가 파드 레이블과 맞는지, 파드가 Ready인지 확인하세요)")
    return result(check, subject, ok, subject.say(f"service `{name}` has {count} ready endpoint(s), expected at least {check.min_ready}{hint}", f"서비스 `{name}`의 준비된 엔드포인트 {count}개, 기대한 값은 {check.min_ready}개 이상{hint}")
                  + ("" if ok else view.waited(check, subject, timeout)))


def generation_behind(obj: dict[str, Any]) -> bool:
    """The object's status was written for an older spec (its controller reports observedGeneration)."""
    seen, generation = (obj.get("status") or {}).get("observedGeneration"), (obj.get("metadata") or {}).get("generation")
    return isinstance(seen, int) and isinstance(generation, int) and seen < generation


CONTROLLER_SPEC_FIELDS = (".spec.nodeName", ".spec.volumeName", ".spec.claimRef")
"""Spec fields a controller fills in after the object is made (the scheduler's binding, the PV controller's): watched like `.status`."""


def reads_status(check: Any) -> bool:
    """A field check on `.status` (or a spec field a controller writes), which comes a moment after the spec."""
    return check.type == "field" and any(str(p).lstrip().startswith((".status", *CONTROLLER_SPEC_FIELDS)) for p in check.paths)


def run_status_field(check: FieldCheck, subject: Subject) -> CheckResult:
    """A field check, as offline; on a live object's `.status`, watched until it holds (or the view's settle time passes)."""
    first = run_field(check, subject)
    obj = subject.find(check.object)[0]
    if obj is None or not reads_status(check) or subject.cluster is None or (first.passed and not generation_behind(obj)):
        return first
    view: LiveView = subject.cluster
    meta = obj.get("metadata") or {}
    kind = str(obj.get("kind"))

    def holds(items: list[dict[str, Any]]) -> bool:
        if not items:
            return False
        if generation_behind(items[0]):
            view.note(check, f"the {kind} controller has not seen the latest spec yet", f"{kind} 컨트롤러가 아직 최신 spec을 반영하지 않았습니다")
            return False
        outcome = run_field(check, replace(subject, objects=[items[0]], default_ref=None))
        view.note(check, outcome.message, outcome.message)
        return outcome.passed

    timeout = 0.0 if view.look_once or view.stopped() else view.status_settle_seconds
    items = view.wait_for(kind, meta.get("namespace") or view.namespace, holds, timeout, fields=f"metadata.name={meta.get('name')}")
    if items:
        subject.objects = [items[0] if o is obj else o for o in subject.objects]
    return run_field(check, subject)
