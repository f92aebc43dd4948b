"""`http_route`: HTTP requests reach the backends the task names through a Gateway's HTTPRoutes, and nothing else does."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from exercises.base import CheckBase, ObjectRef, Strict
from graders.checktypes.base import CheckType, lazy
from graders.report import CheckResult
from graders.subject import Subject, result
from graders.meaning.shape import mapping

httproute = lazy("graders.meaning.httproute")

MESSAGES = {
    "goes": ("{request} goes to {backends} ({route})", "{request} 요청이 {backends}(으)로 갑니다 ({route})"),
    "none": ("{request} matches no route (404)", "{request} 요청에 맞는 라우트가 없습니다 (404)"),
    "wrong": ("{request} goes to {got} ({route}); expected {wanted}", "{request} 요청이 {got}(으)로 갑니다 ({route}). 기대한 곳은 {wanted}"),
    "unrouted": ("{request} matches no route (404); expected {wanted}", "{request} 요청에 맞는 라우트가 없습니다 (404). 기대한 곳은 {wanted}"),
    "routed": ("{request} goes to {got} ({route}); it should match no route", "{request} 요청이 {got}(으)로 갑니다 ({route}). 어떤 라우트에도 맞지 않아야 합니다"),
    "redirect": ("a redirect", "리다이렉트"),
    "nothing": ("no backend (500)", "백엔드 없음 (500)"),
}


class BackendSpec(Strict):
    name: str
    port: int
    namespace: str | None = None
    """Default: the namespace of the route."""


class RequestSpec(Strict):
    """A request and where it must go: `backends` (each gets a share), or `[]` for "no route matches"."""

    host: str
    path: str = Field("/", pattern=r"^/")
    method: str = "GET"
    headers: dict[str, str] = {}
    backends: list[BackendSpec]


class HttpRouteCheck(CheckBase):
    """Through the HTTPRoutes of `namespace` attached to `gateway`, each request reaches exactly its backends."""

    type: Literal["http_route"]
    gateway: ObjectRef
    """The Gateway the requests arrive at (its listeners' hostnames count, and a route must attach to it)."""
    gateway_object: dict[str, Any] | None = None
    """The Gateway as the task gives it, when the answer holds only routes (live, the cluster's own is read)."""
    namespace: str | None = None
    """Where the HTTPRoutes are; default: the gateway's namespace, else the exercise's."""
    requests: list[RequestSpec] = Field(min_length=1)


def _request_text(request: RequestSpec) -> str:
    return f"{request.method} http://{request.host}{request.path}" + "".join(f" [{k}: {v}]" for k, v in sorted(request.headers.items()))


def _in_namespace(obj: dict[str, Any], subject: Subject) -> dict[str, Any]:
    """The object with the namespace it lands in written out (offline, `kubectl apply` puts it in the subject's)."""
    meta = dict(mapping(obj.get("metadata")))
    meta["namespace"] = subject.namespace_of(obj)
    return {**obj, "metadata": meta}


def run_http_route(check: HttpRouteCheck, subject: Subject) -> CheckResult:
    gateway, why = subject.find(check.gateway)
    if gateway is None and check.gateway_object is not None and not subject.of_kind("Gateway"):
        gateway = check.gateway_object
    if gateway is None:
        return result(check, subject, False, why)
    gateway = _in_namespace(gateway, subject)
    namespace = check.namespace or check.gateway.namespace
    routes = [_in_namespace(o, subject) for o in subject.of_kind("HTTPRoute")]
    if namespace is not None:
        routes = [r for r in routes if r["metadata"]["namespace"] == namespace]
    grants = [_in_namespace(o, subject) for o in subject.of_kind("ReferenceGrant")]
    shown = []
    for wanted in check.requests:
        request = httproute.Request(wanted.host, wanted.path, wanted.method, wanted.headers)
        outcome = httproute.route(request, routes, gateway, grants)
        text = _request_text(wanted)
        got = {(b.name, b.port, b.namespace, b.kind) for b in outcome.backends}
        default_ns = namespace or gateway["metadata"]["namespace"]
        expected = {(b.name, b.port, b.namespace or default_ns, "Service") for b in wanted.backends}
        got_text = ", ".join(sorted(b.text() for b in outcome.backends)) or subject.tell(MESSAGES, "redirect" if outcome.filtered else "nothing")
        wanted_text = ", ".join(sorted(f"{b.namespace or default_ns}/{b.name}:{b.port}" for b in wanted.backends))
        if not outcome.matched:
            if expected:
                return result(check, subject, False, subject.tell(MESSAGES, "unrouted", request=text, wanted=wanted_text))
            shown.append(subject.tell(MESSAGES, "none", request=text))
            continue
        if not expected:
            return result(check, subject, False, subject.tell(MESSAGES, "routed", request=text, got=got_text, route=outcome.route))
        if got != expected or outcome.filtered:
            return result(check, subject, False, subject.tell(MESSAGES, "wrong", request=text, got=got_text, route=outcome.route, wanted=wanted_text))
        shown.append(subject.tell(MESSAGES, "goes", request=text, backends=got_text, route=outcome.route))
    return result(check, subject, True, "; ".join(shown))


def needs(check: HttpRouteCheck, target: ObjectRef | None) -> list[ObjectRef]:
    namespace = check.namespace or check.gateway.namespace
    elsewhere = sorted({b.namespace for r in check.requests for b in r.backends if b.namespace and b.namespace != namespace})
    return [check.gateway, ObjectRef(kind="HTTPRoute", namespace=namespace)] + [ObjectRef(kind="ReferenceGrant", namespace=n) for n in elsewhere]


TYPE = CheckType("http_route", HttpRouteCheck, run_http_route, needs)
