"""`routes_to`: a Service sends its port to the pods the task means, on the container port they listen on."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from exercises.base import CheckBase, ObjectRef, Strict
from graders.checktypes.base import CheckType, lazy, the_target
from graders.report import CheckResult
from graders.subject import Subject, result
from graders.meaning.shape import mapping

ports, workloads = lazy("graders.meaning.ports"), lazy("graders.meaning.workloads")

MESSAGES = {
    "routes": ("port {port} of Service `{service}` reaches {pods} on {target}", "서비스 `{service}`의 포트 {port}이(가) {pods}의 {target}번 포트로 갑니다"),
    "no-port": ("Service `{service}` has no port {port} ({protocol}); it has {ports}", "서비스 `{service}`에 {port}({protocol}) 포트가 없습니다. 있는 포트: {ports}"),
    "misses": ("Service `{service}`'s selector {selector} does not select {pods}: it has no endpoints there", "서비스 `{service}`의 selector {selector}이(가) {pods}을(를) 선택하지 않아 엔드포인트가 없습니다"),
    "wrong-target": ("port {port} of Service `{service}` goes to {got} on {pods}; they listen on {target}", "서비스 `{service}`의 포트 {port}이(가) {pods}의 {got}(으)로 갑니다. 파드는 {target}에서 요청을 받습니다"),
    "unknown-name": ("port {port} of Service `{service}` targets the port name `{name}`, which {pods} do not have", "서비스 `{service}`의 포트 {port}이(가) 포트 이름 `{name}`을(를) 가리키는데 {pods}에는 그런 이름이 없습니다"),
    "headless": ("Service `{service}` is headless (clusterIP: None): it has no virtual IP to route port {port}", "서비스 `{service}`는 headless(clusterIP: None)라 포트 {port}을(를) 전달할 가상 IP가 없습니다"),
    "externalname": ("Service `{service}` is an ExternalName: it only answers DNS", "서비스 `{service}`는 ExternalName이라 DNS에만 답합니다"),
    "no-selector": ("Service `{service}` has no selector, so it gets no endpoints", "서비스 `{service}`에 selector가 없어 엔드포인트가 생기지 않습니다"),
    "no-pods": ("{kind} `{name}` (the pods to reach) is not there", "접속할 파드의 {kind} `{name}`이(가) 없습니다"),
    "pods": ("the pods {labels}", "파드 {labels}"),
}


class PortSpec(Strict):
    containerPort: int
    name: str | None = None
    protocol: Literal["TCP", "UDP", "SCTP"] = "TCP"


class PodsSpec(Strict):
    """The pods to reach, as the task describes them: their labels and their (named) container ports."""

    labels: dict[str, str] = Field(min_length=1)
    ports: list[PortSpec] = []


class RoutesToCheck(CheckBase):
    """Service port `port` reaches the pods (`pods`, or the template of `workload`) on container port `target_port`."""

    type: Literal["routes_to"]
    port: int
    """The Service's port."""
    target_port: int
    """The container port the traffic must land on (a named targetPort is resolved through the pods)."""
    protocol: Literal["TCP", "UDP", "SCTP"] = "TCP"
    pods: PodsSpec | None = None
    workload: ObjectRef | None = None
    """The Deployment (or other workload) whose pods it must reach; read from the answer or the cluster, else `pods`."""

    @model_validator(mode="after")
    def _pods(self) -> "RoutesToCheck":
        if self.pods is None and self.workload is None:
            raise ValueError("say which pods it must reach: `pods` (labels, ports) or `workload`")
        return self


def _pods(check: RoutesToCheck, subject: Subject) -> tuple[dict[str, str], dict[str, Any]] | str:
    if check.workload is not None:
        workload = subject.find(check.workload)[0]
        template = workloads.pod_template(workload) if workload is not None else None
        if template is not None:
            return workloads.labels(template[0]), template[1]
        if check.pods is None:
            return subject.tell(MESSAGES, "no-pods", kind=check.workload.kind, name=check.workload.name)
    assert check.pods is not None
    spec = {"containers": [{"name": "pod", "ports": [p.model_dump(exclude_none=True) for p in check.pods.ports]}]}
    return dict(check.pods.labels), spec


def run_routes_to(check: RoutesToCheck, subject: Subject) -> CheckResult:
    service, why = subject.find(check.object)
    if service is None:
        return result(check, subject, False, why)
    found = _pods(check, subject)
    if isinstance(found, str):
        return result(check, subject, False, found)
    labels, spec = found
    name = mapping(service.get("metadata")).get("name")
    shown_pods = subject.tell(MESSAGES, "pods", labels="{" + ", ".join(f"{k}={v}" for k, v in sorted(labels.items())) + "}")
    values = {"service": name, "port": check.port, "target": check.target_port, "pods": shown_pods, "protocol": check.protocol}
    routes = ports.routing(service, labels, spec)
    if routes.why_not:
        return result(check, subject, False, subject.tell(MESSAGES, routes.why_not, **values))
    if not routes.selects:
        selector = mapping(mapping(service.get("spec")).get("selector"))
        shown = "{" + ", ".join(f"{k}={v}" for k, v in sorted(selector.items())) + "}"
        return result(check, subject, False, subject.tell(MESSAGES, "misses", selector=shown, **values), "spec.selector", subject.line_for(service, ("spec", "selector")))
    route = next((r for r in routes.routes if r.port == check.port and r.protocol == check.protocol), None)
    if route is None:
        shown_ports = ", ".join(f"{r.port}/{r.protocol}" for r in routes.routes) or "—"
        return result(check, subject, False, subject.tell(MESSAGES, "no-port", ports=shown_ports, **values), "spec.ports", subject.line_for(service, ("spec", "ports")))
    index = next(i for i, p in enumerate(mapping(service.get("spec")).get("ports") or []) if isinstance(p, dict) and p.get("port") == check.port and (p.get("protocol") or "TCP") == check.protocol)
    line = subject.line_for(service, ("spec", "ports", index, "targetPort"))
    if route.target is None:
        target = (mapping(service.get("spec")).get("ports") or [])[index].get("targetPort")
        return result(check, subject, False, subject.tell(MESSAGES, "unknown-name", name=target, **values), "spec.ports", line)
    if route.target != check.target_port:
        return result(check, subject, False, subject.tell(MESSAGES, "wrong-target", got=route.target, **values), "spec.ports", line)
    return result(check, subject, True, subject.tell(MESSAGES, "routes", **values), "spec.ports", line)


def needs(check: RoutesToCheck, target: ObjectRef | None) -> list[ObjectRef]:
    return the_target(check, target) + ([check.workload] if check.workload else [])


TYPE = CheckType("routes_to", RoutesToCheck, run_routes_to, needs)
