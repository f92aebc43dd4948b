"""Grading a live cluster: read the objects an exercise names, run the common checks and the live-only ones."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable

from exercises.model import (
    ContainerStateCheck,
    EndpointsCheck,
    EventCheck,
    ExecCheck,
    FieldCheck,
    Exercise,
    MirrorPodCheck,
    ObjectRef,
    PodPhaseCheck,
    PodReadyCheck,
    RestartCountCheck,
)
from graders import matchers
from graders.checks import RUNNERS, Runner, Subject, needs, result, run_checks, run_field
from graders.cluster import Cluster
from graders.report import CheckResult, GradeReport

# A container waiting for one of these with the image the spec asks for will not get better by waiting.
HOPELESS_WAITS = frozenset({"ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull", "CreateContainerConfigError"})
MIRROR_ANNOTATION = "kubernetes.io/config.mirror"
NOT_FETCHED = frozenset({"mirror_pod"})
STATUS_SETTLE_SECONDS = 15.0
"""How long a failing field check on `.status` watches for a controller to catch up (a PVC binding, replicas ready)."""
WORKLOADS = frozenset({"deployment", "replicaset", "statefulset", "daemonset", "job"})
"""Kinds whose pods a pod_phase or pod_ready check looks at, found by the workload's selector."""


@dataclass
class LiveView:
    """What live runners reach through `Subject.cluster`: the connection and the exercise's namespace."""

    cluster: Cluster
    namespace: str


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


def exercise_namespace(exercise: Exercise) -> str:
    """The namespace the task is set in: `live.namespace`, else `default`."""
    return (exercise.live.namespace if exercise.live else None) or "default"


def grade_live(exercise: Exercise, cluster: Cluster, lang: str = "en") -> GradeReport:
    """Grade what is on the cluster; a cluster that fails midway raises ClusterError for the caller to render."""
    namespace = exercise_namespace(exercise)
    checks = exercise.all_checks()
    objects = read_objects(cluster, _refs(exercise, checks), namespace)
    subject = LiveSubject(objects=objects, default_ref=exercise.target, lang=lang, cluster=LiveView(cluster, namespace))
    results = run_checks(checks, subject, ALL_RUNNERS)
    return GradeReport(exercise.id, tuple(results), mode="live", max_score=len(checks))


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


# --- pods -----------------------------------------------------------------------------------


def _pod(check: Any, subject: Subject, workloads: bool = False) -> tuple[dict[str, Any] | None, str]:
    ref = check.object or subject.default_ref
    if ref is not None and ref.kind.lower() != "pod" and not (workloads and ref.kind.lower() in WORKLOADS):
        return None, subject.say(f"a {check.type} check looks at a Pod, not a {ref.kind}", f"{check.type} 검사는 {ref.kind}가 아니라 Pod를 봅니다")
    return subject.find(ref)


def _statuses(pod: dict[str, Any]) -> list[dict[str, Any]]:
    status = pod.get("status") or {}
    return [s for key in ("initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses") for s in status.get(key) or []]


def _container(pod: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((s for s in _statuses(pod) if s.get("name") == name), None)


def _state(status: dict[str, Any] | None) -> tuple[str, str]:
    """(running|waiting|terminated|unknown, reason)."""
    for state, detail in ((status or {}).get("state") or {}).items():
        if isinstance(detail, dict):
            return state, str(detail.get("reason") or "")
    return "unknown", ""


def _ready(pod: dict[str, Any]) -> bool:
    conditions = (pod.get("status") or {}).get("conditions") or []
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)


def _same_image(a: str, b: str) -> bool:
    def bare(image: str) -> str:
        for prefix in ("docker.io/library/", "docker.io/"):
            image = image.removeprefix(prefix)
        return image if ":" in image.rsplit("/", 1)[-1] or "@" in image else image + ":latest"

    return bare(a) == bare(b)


def _hopeless(pod: dict[str, Any]) -> bool:
    """The pod will not become Running/Ready without a change to it."""
    if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
        return True
    wanted = {c.get("name"): c.get("image", "") for c in (pod.get("spec") or {}).get("containers") or []}
    for status in _statuses(pod):
        state, reason = _state(status)
        if state == "waiting" and reason in HOPELESS_WAITS and _same_image(status.get("image") or "", wanted.get(status.get("name"), "")):
            return True
    return False


def describe_pod(pod: dict[str, Any], subject: Subject) -> str:
    """`phase Pending, container redis waiting (ImagePullBackOff)`: what a user would look for in kubectl describe."""
    phase = (pod.get("status") or {}).get("phase") or subject.say("no phase yet", "아직 phase 없음")
    parts = [f"phase {phase}"]
    for status in _statuses(pod):
        state, reason = _state(status)
        if state != "running":
            parts.append(subject.say(f"container {status.get('name')} {state}", f"컨테이너 {status.get('name')} {state}") + (f" ({reason})" if reason else ""))
    return ", ".join(parts)


def settle(check: Any, subject: Subject, pod: dict[str, Any], ok: Callable[[dict[str, Any]], bool], hopeless: Callable[[dict[str, Any]], bool] = lambda p: False) -> dict[str, Any] | None:
    """The pod once `ok` (or hopeless), watched for up to the check's timeout; the latest state seen, None if deleted."""
    if ok(pod) or hopeless(pod):
        return pod
    view: LiveView = subject.cluster
    meta = pod.get("metadata") or {}
    items = view.cluster.wait_for("Pod", meta.get("namespace") or view.namespace, lambda items: bool(items) and (ok(items[0]) or hopeless(items[0])),
                                  check.timeout_seconds, fields=f"metadata.name={meta.get('name')}")
    latest = items[0] if items else None
    if latest is None:
        subject.objects = [o for o in subject.objects if o is not pod]
    else:
        subject.objects = [latest if o is pod else o for o in subject.objects]
    return latest


def _pod_check(check: Any, subject: Subject, ok: Callable[[dict[str, Any]], bool], hopeless: Callable[[dict[str, Any]], bool], passed: Callable[[dict[str, Any]], tuple[str, str]], wanted: tuple[str, str], state: tuple[str, str] | None = None) -> CheckResult:
    pod, why = _pod(check, subject, workloads=state is not None)
    if pod is None:
        return result(check, subject, False, why)
    if str(pod.get("kind", "")).lower() in WORKLOADS and state is not None:
        return _workload_check(check, subject, pod, ok, hopeless, state)
    name = (pod.get("metadata") or {}).get("name")
    latest = settle(check, subject, pod, ok, hopeless)
    if latest is None:
        return result(check, subject, False, subject.say(f"pod `{name}` was deleted while kubedojo waited", f"기다리는 동안 파드 `{name}`이(가) 삭제되었습니다"))
    if ok(latest):
        return result(check, subject, True, subject.say(*passed(latest)))
    waited = "" if hopeless(latest) else subject.say(f" after {check.timeout_seconds:g} s", f" ({check.timeout_seconds:g}초 기다림)")
    return result(check, subject, False, subject.say(f"pod `{name}`: {wanted[0]}; it is {describe_pod(latest, subject)}{waited}", f"파드 `{name}`: {wanted[1]}; 현재 {describe_pod(latest, subject)}{waited}"))


def _workload_check(check: Any, subject: Subject, workload: dict[str, Any], ok: Callable[[dict[str, Any]], bool], hopeless: Callable[[dict[str, Any]], bool], state: tuple[str, str]) -> CheckResult:
    """Every pod the workload selects is in `state`, and there are as many as it asks for."""
    view: LiveView = subject.cluster
    kind, meta, spec = workload.get("kind"), workload.get("metadata") or {}, workload.get("spec") or {}
    labels = ((spec.get("selector") or {}).get("matchLabels")) or {}
    if not labels:
        return CheckResult(check.id, "error", subject.say(f"{kind} `{meta.get('name')}` has no selector.matchLabels to find its pods by", f"{kind} `{meta.get('name')}`에 파드를 찾을 selector.matchLabels가 없습니다"))
    want = (workload.get("status") or {}).get("desiredNumberScheduled", 1) if kind == "DaemonSet" else spec.get("replicas", 1) if kind != "Job" else 1

    def alive(pods: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [p for p in pods if not (p.get("metadata") or {}).get("deletionTimestamp")]

    def done(pods: list[dict[str, Any]]) -> bool:
        return (len(alive(pods)) >= want and all(ok(p) for p in alive(pods))) or any(hopeless(p) for p in alive(pods))

    pods = alive(view.cluster.wait_for("Pod", meta.get("namespace") or view.namespace, done, check.timeout_seconds, labels=",".join(f"{k}={v}" for k, v in labels.items())))
    good = [p for p in pods if ok(p)]
    passed = len(pods) >= want and len(good) == len(pods)
    count = f"{len(good)}/{max(want, len(pods))}"
    message = subject.say(f"{count} pods of {kind} `{meta.get('name')}` are {state[0]}", f"{kind} `{meta.get('name')}`의 파드 {count}개가 {state[1]} 상태입니다")
    bad = next((p for p in pods if not ok(p)), None)
    if bad is not None:
        message += subject.say(f"; pod `{bad['metadata']['name']}` is {describe_pod(bad, subject)}", f"; 파드 `{bad['metadata']['name']}`: {describe_pod(bad, subject)}")
    return result(check, subject, passed, message)


def run_pod_phase(check: PodPhaseCheck, subject: Subject) -> CheckResult:
    def ok(p: dict[str, Any]) -> bool:
        return (p.get("status") or {}).get("phase") == check.phase

    hopeless = _hopeless if check.phase == "Running" else (lambda p: False)
    return _pod_check(check, subject, ok, hopeless, lambda p: (f"pod `{p['metadata']['name']}` is {check.phase}", f"파드 `{p['metadata']['name']}`은(는) {check.phase} 상태입니다"),
                      (f"expected phase {check.phase}", f"기대한 phase는 {check.phase}"), (check.phase, check.phase))


def run_pod_ready(check: PodReadyCheck, subject: Subject) -> CheckResult:
    def ok(p: dict[str, Any]) -> bool:
        return _ready(p) == check.ready

    word = ("Ready", "Ready") if check.ready else ("not Ready", "Ready 아님")
    return _pod_check(check, subject, ok, _hopeless if check.ready else (lambda p: False),
                      lambda p: (f"pod `{p['metadata']['name']}` is {word[0]}", f"파드 `{p['metadata']['name']}`은(는) {word[1]} 상태입니다"),
                      (f"expected it {word[0]}", f"기대한 상태는 {word[1]}"), word)


def run_container_state(check: ContainerStateCheck, subject: Subject) -> CheckResult:
    def ok(p: dict[str, Any]) -> bool:
        status = _container(p, check.container) or {}
        states = [_state(status)]
        if check.state == "terminated":  # an OOMKilled container that restarted shows it in lastState
            states += [("terminated", str(d.get("reason") or "")) for k, d in (status.get("lastState") or {}).items() if k == "terminated" and isinstance(d, dict)]
        return any(s == check.state and (check.reason is None or r == check.reason) for s, r in states)

    want = check.state + (f" ({check.reason})" if check.reason else "")
    return _pod_check(check, subject, ok, _hopeless if check.state == "running" else (lambda p: False),
                      lambda p: (f"container `{check.container}` is {want}", f"컨테이너 `{check.container}`은(는) {want} 상태입니다"),
                      (f"expected container `{check.container}` {want}", f"컨테이너 `{check.container}`이(가) {want} 상태여야 합니다"))


def run_restart_count(check: RestartCountCheck, subject: Subject) -> CheckResult:
    def count(p: dict[str, Any]) -> Any:
        status = _container(p, check.container)
        return None if status is None else status.get("restartCount", 0)

    def ok(p: dict[str, Any]) -> bool:
        return count(p) is not None and matchers.matches(check.expect, count(p))

    expected = (matchers.expected_text(check.expect, "en"), matchers.expected_text(check.expect, "ko"))
    return _pod_check(check, subject, ok, lambda p: False,
                      lambda p: (f"container `{check.container}` restarted {count(p)} time(s)", f"컨테이너 `{check.container}` 재시작 횟수 {count(p)}"),
                      (f"restart count of `{check.container}` expected {expected[0]}", f"`{check.container}`의 재시작 횟수는 {expected[1]}이어야 합니다"))


# --- events, exec, mirror pods, endpoints -------------------------------------------------------


def run_event(check: EventCheck, subject: Subject) -> CheckResult:
    view: LiveView = subject.cluster
    ref = check.object or subject.default_ref
    if ref is None or not ref.name:
        return CheckResult(check.id, "error", "the pack's event check needs an object with a name")

    def hits(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [e for e in items if e.get("reason") == check.reason and (check.message_contains is None or check.message_contains in (e.get("message") or ""))]

    fields = f"involvedObject.name={ref.name},involvedObject.kind={ref.kind}"
    there = subject.find(ref)[0] is not None  # no object, no new events about it: look once, do not wait
    events = view.cluster.wait_for("Event", ref.namespace or view.namespace, lambda items: bool(hits(items)), check.timeout_seconds if there else 0, fields=fields)
    found = hits(events)
    if found:
        return result(check, subject, True, subject.say(f"event {check.reason}: {found[0].get('message', '')}", f"이벤트 {check.reason}: {found[0].get('message', '')}"))
    reasons = ", ".join(sorted({str(e.get("reason")) for e in events})) or "—"
    return result(check, subject, False, subject.say(f"no {check.reason} event about {ref.kind} `{ref.name}` (events seen: {reasons})", f"{ref.kind} `{ref.name}`에 대한 {check.reason} 이벤트가 없습니다 (있는 이벤트: {reasons})"))


def run_exec(check: ExecCheck, subject: Subject) -> CheckResult:
    pod, why = _pod(check, subject)
    if pod is None:
        return result(check, subject, False, why)
    container = check.container or ((pod.get("spec") or {}).get("containers") or [{}])[0].get("name")
    latest = settle(check, subject, pod, lambda p: _state(_container(p, container))[0] == "running", _hopeless)
    if latest is None or _state(_container(latest, container))[0] != "running":
        state = describe_pod(latest, subject) if latest else "deleted"
        return result(check, subject, False, subject.say(f"container `{container}` is not running ({state}): cannot run {' '.join(check.command)}", f"컨테이너 `{container}`이(가) 실행 중이 아닙니다 ({state}): {' '.join(check.command)}을(를) 실행할 수 없습니다"))
    meta = latest["metadata"]
    try:
        code, output = exec_in(subject.cluster.cluster, meta["namespace"], meta["name"], container, check.command, check.timeout_seconds)
    except ExecFailed as err:
        return CheckResult(check.id, "error", subject.say(f"could not run {' '.join(check.command)} in `{container}`: {err}", f"`{container}`에서 {' '.join(check.command)}을(를) 실행할 수 없습니다: {err}"))
    shown = output.strip()[:200] or subject.say("(no output)", "(출력 없음)")
    if code != check.exit_code:
        return result(check, subject, False, subject.say(f"{' '.join(check.command)} exited {code}, expected {check.exit_code}: {shown}", f"{' '.join(check.command)}의 종료 코드는 {code}, 기대한 값은 {check.exit_code}: {shown}"))
    if check.output is not None and not matchers.matches(check.output, output.rstrip("\n")):
        return result(check, subject, False, subject.say(f"output of {' '.join(check.command)}: expected {matchers.expected_text(check.output, 'en')}, got {shown}", f"{' '.join(check.command)}의 출력: 기대한 값은 {matchers.expected_text(check.output, 'ko')}, 실제로는 {shown}"))
    return result(check, subject, True, subject.say(f"{' '.join(check.command)} exited {code}: {shown}", f"{' '.join(check.command)} 종료 코드 {code}: {shown}"))


class ExecFailed(Exception):
    """The exec API could not run the command (no kubelet, no permission, timeout)."""


def exec_in(cluster: Cluster, namespace: str, pod: str, container: str, command: list[str], timeout: float) -> tuple[int, str]:
    """Run `command` through the exec API; (exit code, stdout+stderr)."""
    from kubernetes.client import CoreV1Api
    from kubernetes.stream import stream

    try:
        client = stream(CoreV1Api(cluster.api).connect_get_namespaced_pod_exec, pod, namespace, command=command, container=container,
                        stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False, _request_timeout=timeout)
        client.run_forever(timeout=timeout)
        if client.is_open():
            client.close()
            raise ExecFailed(f"it did not finish within {timeout:g} s")
        output = client.read_stdout() + client.read_stderr()
        code = client.returncode
    except ExecFailed:
        raise
    except Exception as err:  # the websocket layer raises ApiException, WebSocketException, OSError ...
        raise ExecFailed(str(getattr(err, "reason", None) or err).strip().splitlines()[0][:300]) from None
    return (code if code is not None else -1), output


def run_mirror_pod(check: MirrorPodCheck, subject: Subject) -> CheckResult:
    view: LiveView = subject.cluster
    ref = check.object or subject.default_ref
    if ref is None or not ref.name:
        return CheckResult(check.id, "error", "the pack's mirror_pod check needs a pod name")

    def mirrors(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [p for p in items if MIRROR_ANNOTATION in ((p.get("metadata") or {}).get("annotations") or {})
                and p["metadata"].get("name") == f"{ref.name}-{(p.get('spec') or {}).get('nodeName')}"
                and (check.node is None or (p.get("spec") or {}).get("nodeName") == check.node)]

    pods = view.cluster.wait_for("Pod", ref.namespace or view.namespace, lambda items: bool(mirrors(items)), check.timeout_seconds)
    found = mirrors(pods)
    if found:
        return result(check, subject, True, subject.say(f"static pod `{ref.name}` runs on {found[0]['spec']['nodeName']} (mirror pod `{found[0]['metadata']['name']}`)", f"static 파드 `{ref.name}`이(가) {found[0]['spec']['nodeName']}에서 실행 중입니다 (미러 파드 `{found[0]['metadata']['name']}`)"))
    where = check.node or subject.say("any node", "어느 노드에도")
    return result(check, subject, False, subject.say(f"no mirror pod `{ref.name}-<node>` on {where}: the kubelet starts static pods from the manifests in /etc/kubernetes/manifests on the node", f"{where}에 미러 파드 `{ref.name}-<노드>`가 없습니다: kubelet은 노드의 /etc/kubernetes/manifests에 있는 매니페스트로 static 파드를 실행합니다"))


def _ready_addresses(slices: list[dict[str, Any]]) -> int:
    return sum(len(ep.get("addresses") or []) for s in slices for ep in s.get("endpoints") or [] if (ep.get("conditions") or {}).get("ready") is not False)


def run_endpoints(check: EndpointsCheck, subject: Subject) -> CheckResult:
    view: LiveView = subject.cluster
    service, why = subject.find(check.object or subject.default_ref)
    if service is None:
        return result(check, subject, False, why)
    name = service["metadata"]["name"]
    slices = view.cluster.wait_for("EndpointSlice", service["metadata"].get("namespace") or view.namespace, lambda items: _ready_addresses(items) >= check.min_ready,
                                   check.timeout_seconds, labels=f"kubernetes.io/service-name={name}")
    count = _ready_addresses(slices)
    ok = count >= check.min_ready
    hint = "" if ok else subject.say(" (does the service's selector match the pods' labels, and are they Ready?)", " (서비스의 selector가 파드 레이블과 맞는지, 파드가 Ready인지 확인하세요)")
    return result(check, subject, ok, subject.say(f"service `{name}` has {count} ready endpoint(s), expected at least {check.min_ready}{hint}", f"서비스 `{name}`의 준비된 엔드포인트 {count}개, 기대한 값은 {check.min_ready}개 이상{hint}"))


def run_status_field(check: FieldCheck, subject: Subject) -> CheckResult:
    """A field check, as offline; on a live object's `.status`, which controllers write a moment later, watched until it holds."""
    first = run_field(check, subject)
    obj = subject.find(check.object)[0]
    paths = check.paths if hasattr(check, "paths") else [check.path]
    if first.passed or obj is None or not any(str(p).lstrip().startswith(".status") for p in paths) or subject.cluster is None:
        return first
    view: LiveView = subject.cluster
    meta = obj.get("metadata") or {}
    kind = str(obj.get("kind"))

    def holds(items: list[dict[str, Any]]) -> bool:
        return bool(items) and run_field(check, replace(subject, objects=[items[0]], default_ref=None)).passed

    items = view.cluster.wait_for(kind, meta.get("namespace") or view.namespace, holds, STATUS_SETTLE_SECONDS, fields=f"metadata.name={meta.get('name')}")
    if items:
        subject.objects = [items[0] if o is obj else o for o in subject.objects]
    return run_field(check, subject)


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
