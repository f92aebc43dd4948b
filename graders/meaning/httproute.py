"""Gateway API: which backends an HTTP request reaches through a Gateway's HTTPRoutes, by the spec's matching rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from graders.meaning.shape import items, mapping

GROUP = "gateway.networking.k8s.io"


@dataclass(frozen=True)
class Request:
    host: str
    path: str = "/"
    method: str = "GET"
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Backend:
    name: str
    port: int | None
    namespace: str
    kind: str = "Service"

    def text(self) -> str:
        where = f"{self.kind} {self.namespace}/{self.name}" if self.kind != "Service" else f"{self.namespace}/{self.name}"
        return f"{where}:{self.port}" if self.port is not None else where


@dataclass(frozen=True)
class Outcome:
    """Where a request goes: the route and rule chosen, and the backends with a share of the traffic."""

    route: str = ""
    backends: tuple[Backend, ...] = ()
    filtered: str = ""
    """A filter that answers instead of a backend (RequestRedirect), or ""."""

    @property
    def matched(self) -> bool:
        return bool(self.route)


def host_matches(pattern: str, host: str) -> bool:
    """`*.example.com` matches any host with one or more labels before `.example.com`, never `example.com` itself."""
    pattern, host = pattern.lower().rstrip("."), host.lower().rstrip(".")
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
    return pattern == host


def _path_matches(kind: str, value: str, path: str) -> bool:
    if kind == "Exact":
        return path == value
    if kind == "PathPrefix":
        prefix = value.rstrip("/")
        return prefix == "" or path == prefix or path.startswith(prefix + "/")
    return False  # RegularExpression is implementation-specific: kubedojo does not guess


def _match_rank(match: Mapping[str, Any], request: Request) -> tuple | None:
    """None when the match does not take the request, else a sort key: the spec's precedence, most specific first."""
    path = mapping(match.get("path"))
    kind, value = str(path.get("type") or "PathPrefix"), str(path.get("value") or "/")
    if not _path_matches(kind, value, request.path):
        return None
    method = match.get("method")
    if method is not None and str(method) != request.method:
        return None
    headers = [mapping(h) for h in items(match.get("headers"))]
    given = {k.lower(): v for k, v in request.headers.items()}
    for header in headers:
        if str(header.get("type") or "Exact") != "Exact" or given.get(str(header.get("name")).lower()) != header.get("value"):
            return None
    if items(match.get("queryParams")):
        return None  # the requests in checks carry no query string
    return (0 if kind == "Exact" else 1, -len(value.rstrip("/") if kind == "PathPrefix" else value), 0 if method else 1, -len(headers))


def attaches(route: Mapping[str, Any], gateway: Mapping[str, Any]) -> bool:
    """The route names the gateway as a parent (and a listener of it, if it names one) and the listener lets it in."""
    route_ns = str(mapping(route.get("metadata")).get("namespace") or "default")
    gw_meta = mapping(gateway.get("metadata"))
    gw_ns, gw_name = str(gw_meta.get("namespace") or "default"), gw_meta.get("name")
    listeners = [mapping(item) for item in items(mapping(gateway.get("spec")).get("listeners"))]
    for ref in (mapping(r) for r in items(mapping(route.get("spec")).get("parentRefs"))):
        if (ref.get("group") or GROUP) != GROUP or (ref.get("kind") or "Gateway") != "Gateway" or ref.get("name") != gw_name:
            continue
        if str(ref.get("namespace") or route_ns) != gw_ns:
            continue
        for listener in listeners:
            if ref.get("sectionName") not in (None, listener.get("name")) or ref.get("port") not in (None, listener.get("port")):
                continue
            if str(listener.get("protocol")) not in ("HTTP", "HTTPS"):
                continue
            allowed = str(mapping(mapping(listener.get("allowedRoutes")).get("namespaces")).get("from") or "Same")
            if allowed == "All" or (allowed == "Same" and route_ns == gw_ns) or allowed == "Selector":
                return True
    return False


def _listener_hosts(gateway: Mapping[str, Any] | None) -> list[str | None]:
    if gateway is None:
        return [None]
    hosts = [mapping(item).get("hostname") for item in items(mapping(gateway.get("spec")).get("listeners"))
             if str(mapping(item).get("protocol")) in ("HTTP", "HTTPS")]
    return [None if h is None else str(h) for h in hosts] or [None]


def granted(grants: list[Mapping[str, Any]], route_namespace: str, backend: Backend) -> bool:
    """A backend in another namespace is only reached when a ReferenceGrant there lets HTTPRoutes of the route's namespace in."""
    if backend.namespace == route_namespace:
        return True
    for grant in grants:
        if str(mapping(grant.get("metadata")).get("namespace") or "default") != backend.namespace:
            continue
        spec = mapping(grant.get("spec"))
        sources = any(mapping(f).get("group") == GROUP and mapping(f).get("kind") == "HTTPRoute" and mapping(f).get("namespace") == route_namespace
                      for f in items(spec.get("from")))
        targets = any(str(mapping(t).get("group") or "") == "" and mapping(t).get("kind") == backend.kind
                      and mapping(t).get("name") in (None, backend.name) for t in items(spec.get("to")))
        if sources and targets:
            return True
    return False


def route(request: Request, routes: list[Mapping[str, Any]], gateway: Mapping[str, Any] | None = None,
          grants: list[Mapping[str, Any]] | None = None) -> Outcome:
    """Where `request` goes through these HTTPRoutes (those attached to `gateway`, when it is given); `grants`: the ReferenceGrants."""
    if gateway is not None and not any(h is None or host_matches(h, request.host) for h in _listener_hosts(gateway)):
        return Outcome()
    candidates = []
    for obj in routes:
        if gateway is not None and not attaches(obj, gateway):
            continue
        meta, spec = mapping(obj.get("metadata")), mapping(obj.get("spec"))
        hostnames = [str(h) for h in items(spec.get("hostnames"))]
        if hostnames and not any(host_matches(h, request.host) for h in hostnames):
            continue
        for index, rule in enumerate(mapping(r) for r in items(spec.get("rules"))):
            matches = [mapping(m) for m in items(rule.get("matches"))] or [{}]
            for match in matches:
                rank = _match_rank(match, request)
                if rank is not None:
                    candidates.append((rank, str(meta.get("creationTimestamp") or ""), str(meta.get("namespace") or "default"),
                                       str(meta.get("name") or ""), index, rule))
    if not candidates:
        return Outcome()
    _, _, namespace, name, index, rule = min(candidates, key=lambda c: c[:5])
    for f in (mapping(x) for x in items(rule.get("filters"))):
        if f.get("type") == "RequestRedirect":
            return Outcome(f"{name} rule {index + 1}", (), "RequestRedirect")
    backends = []
    for ref in (mapping(b) for b in items(rule.get("backendRefs"))):
        weight = ref.get("weight", 1)
        if isinstance(weight, int) and weight <= 0:
            continue
        port = ref.get("port")
        backend = Backend(str(ref.get("name")), port if isinstance(port, int) else None, str(ref.get("namespace") or namespace),
                          str(ref.get("kind") or "Service") if (ref.get("group") or "") == "" else f"{ref.get('kind')}.{ref.get('group')}")
        if granted(grants or [], namespace, backend):
            backends.append(backend)
    return Outcome(f"{name} rule {index + 1}", tuple(backends))
