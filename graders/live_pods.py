"""Live checks on pods (phase, readiness, container state, restarts), judged only once the status describes the spec."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any, Callable

from exercises.model import ContainerStateCheck, PodPhaseCheck, PodReadyCheck, RestartCountCheck
from graders import matchers
from graders.checks import Subject, result
from graders.live_view import LiveView
from graders.report import CheckResult

# A container waiting for one of these, about the image the spec asks for, will not get better by waiting.
HOPELESS_WAITS = frozenset({"ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull", "CreateContainerConfigError"})
PULL_WAITS = frozenset({"ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull"})
WORKLOADS = frozenset({"deployment", "replicaset", "statefulset", "daemonset", "job"})
"""Kinds whose pods a pod_phase or pod_ready check looks at, found by the workload's selector."""
IMAGE_IN_MESSAGE = re.compile(r'image "([^"]+)"')
MISSING_SOURCE = re.compile(r'\b(configmap|secret) "([^"]+)" not found', re.IGNORECASE)
MISSING_KEY = re.compile(r"couldn't find key (\S+) in (ConfigMap|Secret) ([^/\s]+)/(\S+)")
Lookup = Callable[[str, str, str], "dict[str, Any] | None"]


def statuses(pod: dict[str, Any]) -> list[dict[str, Any]]:
    status = pod.get("status") or {}
    return [s for key in ("initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses") for s in status.get(key) or []]


def container_status(pod: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((s for s in statuses(pod) if s.get("name") == name), None)


def state_of(status: dict[str, Any] | None) -> tuple[str, str]:
    """(running|waiting|terminated|unknown, reason)."""
    for state, detail in ((status or {}).get("state") or {}).items():
        if isinstance(detail, dict):
            return state, str(detail.get("reason") or "")
    return "unknown", ""


def is_ready(pod: dict[str, Any]) -> bool:
    conditions = (pod.get("status") or {}).get("conditions") or []
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)


def same_image(a: str, b: str) -> bool:
    """`redis`, `redis:latest` and `docker.io/library/redis:latest` are one image."""
    def bare(image: str) -> str:
        for prefix in ("docker.io/library/", "docker.io/", "index.docker.io/library/", "index.docker.io/"):
            image = image.removeprefix(prefix)
        return image if ":" in image.rsplit("/", 1)[-1] or "@" in image else image + ":latest"

    return bare(a) == bare(b)


def _spec_images(pod: dict[str, Any]) -> dict[str, str]:
    spec = pod.get("spec") or {}
    return {c.get("name"): str(c.get("image") or "") for key in ("initContainers", "containers") for c in spec.get(key) or [] if isinstance(c, dict)}


def _time(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


def image_set_at(pod: dict[str, Any], container: str) -> datetime | None:
    """When a manager that owns the container's image last wrote the pod (managedFields), if anyone did."""
    latest = None
    for entry in (pod.get("metadata") or {}).get("managedFields") or []:
        if entry.get("subresource"):
            continue
        spec = ((entry.get("fieldsV1") or {}).get("f:spec")) or {}
        owns = False
        for section in ("f:containers", "f:initContainers"):
            for key, fields in (spec.get(section) or {}).items():
                try:
                    named = key.startswith("k:") and json.loads(key[2:]).get("name") == container
                except ValueError:
                    named = False
                owns = owns or (named and isinstance(fields, dict) and "f:image" in fields)
        when = _time(entry.get("time")) if owns else None
        if when and (latest is None or when > latest):
            latest = when
    return latest


def status_lag(pod: dict[str, Any], lookup: Lookup | None = None) -> tuple[str, str, bool] | None:
    """(en, ko, definite) when the pod's status still describes an older spec, or a world that has changed since; else None.

    Definite: observedGeneration behind, a container that never ran still showing another image, a pull
    failure about another image. Likely: a container that started before its image was changed and runs
    another image (runtimes may name an image by another of its tags, so this alone never fails a check),
    a CreateContainerConfigError about a ConfigMap or Secret that is there now.
    """
    meta, status = pod.get("metadata") or {}, pod.get("status") or {}
    seen, generation = status.get("observedGeneration"), meta.get("generation")
    behind = None
    if isinstance(seen, int) and isinstance(generation, int) and seen < generation:
        behind = (f"the kubelet has not reported on the pod's latest spec yet (observedGeneration {seen} < generation {generation})",
                  f"kubelet이 아직 파드의 최신 spec을 반영하지 않았습니다 (observedGeneration {seen} < generation {generation})", True)
    container = _container_lag(pod, lookup)
    if container is not None:  # the more telling reason, definite when the generation says so too
        return container[0], container[1], container[2] or behind is not None
    return behind


def _container_lag(pod: dict[str, Any], lookup: Lookup | None) -> tuple[str, str, bool] | None:
    meta = pod.get("metadata") or {}
    wanted = _spec_images(pod)
    for cs in statuses(pod):
        name, image = cs.get("name"), str(cs.get("image") or "")
        if name not in wanted:
            continue
        state, reason = state_of(cs)
        detail = ((cs.get("state") or {}).get(state)) or {}
        ran_before = ((cs.get("lastState") or {}).get("terminated")) or (detail if state != "waiting" else None)
        if state == "waiting" and reason in PULL_WAITS:
            named = IMAGE_IN_MESSAGE.search(str(detail.get("message") or ""))
            if named and not same_image(named[1], wanted[name]):
                return (f"container {name}'s {reason} is about image {named[1]}; the spec now asks for {wanted[name]}",
                        f"컨테이너 {name}의 {reason}는 이미지 {named[1]}에 대한 것입니다. spec은 이제 {wanted[name]}입니다", True)
        if image and not same_image(image, wanted[name]):
            if not ran_before:
                return (f"container {name} still shows image {image}; the spec asks for {wanted[name]}",
                        f"컨테이너 {name}은(는) 아직 이미지 {image}로 보입니다. spec은 {wanted[name]}입니다", True)
            started, changed = _time(ran_before.get("startedAt")), image_set_at(pod, name)
            if started and changed and started < changed:
                return (f"container {name} started before its image was changed to {wanted[name]} (it shows {image})",
                        f"컨테이너 {name}은(는) 이미지가 {wanted[name]}(으)로 바뀌기 전에 시작되었습니다 (현재 {image})", False)
        if state == "waiting" and reason == "CreateContainerConfigError" and lookup is not None:
            there = _config_source_there(str(detail.get("message") or ""), meta.get("namespace") or "", lookup)
            if there:
                return (f"container {name} could not start without {there}, which is there now", f"컨테이너 {name}은(는) {there}이(가) 없어 시작하지 못했는데, 지금은 있습니다", False)
    return None


def _config_source_there(message: str, namespace: str, lookup: Lookup) -> str | None:
    """The ConfigMap or Secret a CreateContainerConfigError says is missing, when it exists now (with the key)."""
    missing = MISSING_SOURCE.search(message)
    if missing:
        kind = "ConfigMap" if missing[1].lower() == "configmap" else "Secret"
        return f"{kind} {missing[2]}" if lookup(kind, missing[2], namespace) is not None else None
    missing_key = MISSING_KEY.search(message)
    if missing_key:
        key, kind, obj_namespace, name = missing_key.groups()
        obj = lookup(kind, name, obj_namespace) or {}
        if key in (obj.get("data") or {}) or key in (obj.get("binaryData") or {}):
            return f"{kind} {name} (key {key})"
    return None


def hopeless(pod: dict[str, Any], lookup: Lookup | None = None) -> bool:
    """The pod, as its status shows it for its current spec, will not become Running/Ready without a change."""
    if status_lag(pod, lookup) is not None:
        return False
    if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
        return True
    wanted = _spec_images(pod)
    for cs in statuses(pod):
        state, reason = state_of(cs)
        if state == "waiting" and reason in HOPELESS_WAITS and same_image(str(cs.get("image") or ""), wanted.get(cs.get("name"), "")):
            return True
    return False


def describe_pod(pod: dict[str, Any], subject: Subject) -> str:
    """`phase Pending, container redis waiting (ImagePullBackOff)`: what a user would look for in kubectl describe."""
    phase = (pod.get("status") or {}).get("phase") or subject.say("no phase yet", "아직 phase 없음")
    parts = [f"phase {phase}"]
    for cs in statuses(pod):
        state, reason = state_of(cs)
        if state != "running":
            parts.append(subject.say(f"container {cs.get('name')} {state}", f"컨테이너 {cs.get('name')} {state}") + (f" ({reason})" if reason else ""))
    return ", ".join(parts)


def _lookup(subject: Subject) -> Lookup | None:
    return getattr(subject, "lookup_live", None)


def settle(check: Any, subject: Subject, pod: dict[str, Any], ok: Callable[[dict[str, Any]], bool],
           give_up: Callable[[dict[str, Any]], bool] = lambda p: False, note: Callable[[dict[str, Any]], tuple[str, str]] | None = None) -> dict[str, Any] | None:
    """The pod once its status describes its spec and `ok` (or `give_up`) holds, watched for up to the check's timeout;
    the latest state seen, None if it was deleted."""
    view: LiveView = subject.cluster
    lookup = _lookup(subject)

    def settled(p: dict[str, Any]) -> bool:
        lag = status_lag(p, lookup)
        if lag is not None:
            view.note(check, lag[0], lag[1])
            return False
        view.note(check, *(note(p) if note else (describe_pod(p, subject),) * 2))
        return ok(p) or give_up(p)

    if settled(pod):
        return pod
    meta = pod.get("metadata") or {}
    items = view.wait_for("Pod", meta.get("namespace") or view.namespace, lambda items: bool(items) and settled(items[0]),
                          view.timeout(check), fields=f"metadata.name={meta.get('name')}")
    latest = items[0] if items else None
    subject.objects = [o for o in subject.objects if o is not pod] + ([latest] if latest else [])
    return latest


def pod_for(check: Any, subject: Subject, workloads: bool = False) -> tuple[dict[str, Any] | None, str]:
    ref = check.object or subject.default_ref
    if ref is not None and ref.kind.lower() != "pod" and not (workloads and ref.kind.lower() in WORKLOADS):
        return None, subject.say(f"a {check.type} check looks at a Pod, not a {ref.kind}", f"{check.type} 검사는 {ref.kind}가 아니라 Pod를 봅니다")
    return subject.find(ref)


def _pod_check(check: Any, subject: Subject, ok: Callable[[dict[str, Any]], bool], give_up: Callable[[dict[str, Any]], bool],
               passed: Callable[[dict[str, Any]], tuple[str, str]], wanted: Callable[[dict[str, Any]], tuple[str, str]], state: tuple[str, str] | None = None,
               note: Callable[[dict[str, Any]], tuple[str, str]] | None = None) -> CheckResult:
    pod, why = pod_for(check, subject, workloads=state is not None)
    if pod is None:
        return result(check, subject, False, why)
    if str(pod.get("kind", "")).lower() in WORKLOADS and state is not None:
        from graders.live_workloads import workload_check

        return workload_check(check, subject, pod, ok, give_up, state)
    view: LiveView = subject.cluster
    name = (pod.get("metadata") or {}).get("name")
    latest = settle(check, subject, pod, ok, give_up, note)
    if latest is None:
        return result(check, subject, False, subject.say(f"pod `{name}` was deleted while kubedojo waited", f"기다리는 동안 파드 `{name}`이(가) 삭제되었습니다"))
    want = wanted(latest)
    lag = status_lag(latest, _lookup(subject))
    if lag is not None and lag[2]:
        seconds = view.timeout(check)
        if not seconds:
            return result(check, subject, False, subject.say(f"pod `{name}`: {want[0]}, but {lag[0]}", f"파드 `{name}`: {want[1]}. 그러나 {lag[1]}") + view.waited(check, subject, 0))
        return result(check, subject, False, subject.say(f"pod `{name}`: {want[0]}; after {seconds:g} s the status still lags the spec: {lag[0]}",
                                                         f"파드 `{name}`: {want[1]}; {seconds:g}초 기다렸지만 상태가 아직 spec을 따라오지 않았습니다: {lag[1]}"))
    if ok(latest):
        return result(check, subject, True, subject.say(*passed(latest)))
    waited = "" if give_up(latest) else view.waited(check, subject, view.timeout(check))
    return result(check, subject, False, subject.say(f"pod `{name}`: {want[0]}; it is {describe_pod(latest, subject)}", f"파드 `{name}`: {want[1]}; 현재 {describe_pod(latest, subject)}") + waited)


def _give_up(subject: Subject) -> Callable[[dict[str, Any]], bool]:
    lookup = _lookup(subject)
    return lambda p: hopeless(p, lookup)


def run_pod_phase(check: PodPhaseCheck, subject: Subject) -> CheckResult:
    def ok(p: dict[str, Any]) -> bool:
        return (p.get("status") or {}).get("phase") == check.phase

    give_up = _give_up(subject) if check.phase == "Running" else (lambda p: False)
    return _pod_check(check, subject, ok, give_up, lambda p: (f"pod `{p['metadata']['name']}` is {check.phase}", f"파드 `{p['metadata']['name']}`은(는) {check.phase} 상태입니다"),
                      lambda p: (f"expected phase {check.phase}", f"기대한 phase는 {check.phase}"), (check.phase, check.phase))


def run_pod_ready(check: PodReadyCheck, subject: Subject) -> CheckResult:
    def ok(p: dict[str, Any]) -> bool:
        return is_ready(p) == check.ready

    word = ("Ready", "Ready") if check.ready else ("not Ready", "Ready 아님")
    return _pod_check(check, subject, ok, _give_up(subject) if check.ready else (lambda p: False),
                      lambda p: (f"pod `{p['metadata']['name']}` is {word[0]}", f"파드 `{p['metadata']['name']}`은(는) {word[1]} 상태입니다"),
                      lambda p: (f"expected it {word[0]}", f"기대한 상태는 {word[1]}"), word)


def run_container_state(check: ContainerStateCheck, subject: Subject) -> CheckResult:
    def ok(p: dict[str, Any]) -> bool:
        status = container_status(p, check.container) or {}
        states = [state_of(status)]
        if check.state == "terminated":  # an OOMKilled container that restarted shows it in lastState
            states += [("terminated", str(d.get("reason") or "")) for k, d in (status.get("lastState") or {}).items() if k == "terminated" and isinstance(d, dict)]
        return any(s == check.state and (check.reason is None or r == check.reason) for s, r in states)

    want = check.state + (f" ({check.reason})" if check.reason else "")
    return _pod_check(check, subject, ok, _give_up(subject) if check.state == "running" else (lambda p: False),
                      lambda p: (f"container `{check.container}` is {want}", f"컨테이너 `{check.container}`은(는) {want} 상태입니다"),
                      lambda p: (f"expected container `{check.container}` {want}", f"컨테이너 `{check.container}`이(가) {want} 상태여야 합니다"))


def run_restart_count(check: RestartCountCheck, subject: Subject) -> CheckResult:
    def count(p: dict[str, Any]) -> Any:
        status = container_status(p, check.container)
        return None if status is None else status.get("restartCount", 0)

    def ok(p: dict[str, Any]) -> bool:
        return count(p) is not None and matchers.matches(check.expect, count(p))

    expected = (matchers.expected_text(check.expect, "en"), matchers.expected_text(check.expect, "ko"))

    def wanted(p: dict[str, Any]) -> tuple[str, str]:
        return f"restart count of `{check.container}` expected {expected[0]}, it is {count(p)}", f"`{check.container}`의 재시작 횟수는 {expected[1]}이어야 합니다 (현재 {count(p)})"

    return _pod_check(check, subject, ok, lambda p: False,
                      lambda p: (f"container `{check.container}` restarted {count(p)} time(s)", f"컨테이너 `{check.container}` 재시작 횟수 {count(p)}"), wanted, note=wanted)
