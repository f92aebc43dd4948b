"""Ports: named ports resolved through the pod, and where a Service sends each of its ports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from graders.meaning.selectors import SelectorError, map_selector
from graders.meaning.workloads import containers
from graders.meaning.shape import items


def container_port(spec: Mapping[str, Any], port: Any, protocol: str = "TCP", container: str | None = None) -> int | None:
    """The number a port field means: an int as it is, a digit string refused (None), a name looked up."""
    if isinstance(port, bool):
        return None
    if isinstance(port, int):
        return port
    if not isinstance(port, str) or not port or port.isdigit():
        return None  # "80" as a string is a port name to the API server, and names need a letter: it is refused
    for c in containers(spec, None):
        if container is not None and c.get("name") != container:
            continue
        for item in items(c.get("ports")):
            if isinstance(item, Mapping) and item.get("name") == port and str(item.get("protocol") or "TCP") == protocol:
                number = item.get("containerPort")
                return number if isinstance(number, int) else None
    return None


@dataclass(frozen=True)
class Route:
    """One Service port and where it lands on one pod (None: that pod is not an endpoint for it)."""

    port: int
    name: str
    protocol: str
    target: int | None


@dataclass(frozen=True)
class Routing:
    """What a Service does with traffic for a set of pods."""

    selects: bool
    """The selector picks these pods."""
    routes: tuple[Route, ...]
    why_not: str = ""
    """headless, externalname, no-selector, or "" (it routes)."""


def routing(service: Mapping[str, Any], pod_labels: Mapping[str, str], pod_spec: Mapping[str, Any]) -> Routing:
    """How `service` sends traffic to a pod with these labels and this spec."""
    spec = service.get("spec") if isinstance(service.get("spec"), Mapping) else {}
    kind = str(spec.get("type") or "ClusterIP")
    selector = spec.get("selector")
    try:
        selects = map_selector(selector).matches(pod_labels)
    except SelectorError:  # not a mapping: the API server refuses it, and it selects nothing here
        selects = False
    routes = []
    for item in items(spec.get("ports")):
        if not isinstance(item, Mapping) or not isinstance(item.get("port"), int):
            continue
        protocol = str(item.get("protocol") or "TCP")
        target = item.get("targetPort", item["port"])
        number = container_port(pod_spec, target, protocol)  # a name resolves per pod; "8080" as a string is refused
        routes.append(Route(item["port"], str(item.get("name") or ""), protocol, number))
    why = ""
    if kind == "ExternalName":
        why = "externalname"
    elif spec.get("clusterIP") == "None" or any(str(ip) == "None" for ip in items(spec.get("clusterIPs"))):
        why = "headless"
    elif not selector:
        why = "no-selector"
    return Routing(selects, tuple(routes), why)
