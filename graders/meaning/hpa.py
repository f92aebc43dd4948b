"""HorizontalPodAutoscaler: what it scales, between which bounds, on which metrics (v1 and v2 alike)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping
from graders.meaning.shape import items

DEFAULT_CPU_UTILIZATION = 80


@dataclass(frozen=True)
class Metric:
    """One metric target, normalised: `Resource cpu Utilization 50`."""

    type: str
    """Resource, ContainerResource, Pods, Object, External."""
    name: str
    """The resource (cpu, memory) or the metric's name."""
    target: str
    """Utilization, AverageValue or Value."""
    value: Any
    """The number (utilization percent) or quantity text."""
    container: str = ""
    described: str = ""
    """For Object metrics: `Kind/name` of the object."""

    def text(self) -> str:
        unit = "%" if self.target == "Utilization" else ""
        where = f" of container {self.container}" if self.container else f" of {self.described}" if self.described else ""
        return f"{self.type} {self.name}{where}: {self.target} {self.value}{unit}"

    def same(self, other: "Metric") -> bool:
        from graders.matchers import quantity

        if (self.type, self.name, self.target, self.container, self.described) != (other.type, other.name, other.target, other.container, other.described):
            return False
        if self.target == "Utilization":
            return str(self.value) == str(other.value)
        mine, theirs = quantity(self.value), quantity(other.value)
        return mine is not None and mine == theirs


@dataclass(frozen=True)
class Autoscaler:
    target_kind: str
    target_name: str
    target_group: str
    min_replicas: int
    max_replicas: int | None
    metrics: tuple[Metric, ...]
    frozen: tuple[str, ...] = ()
    """The directions it never scales in (`behavior.scaleUp/scaleDown.selectPolicy: Disabled`): "up", "down"."""


def _target(item: Mapping[str, Any]) -> tuple[str, Any]:
    target = item.get("target") if isinstance(item.get("target"), Mapping) else {}
    kind = str(target.get("type") or "")
    field = {"Utilization": "averageUtilization", "AverageValue": "averageValue", "Value": "value"}.get(kind, "")
    return kind, target.get(field)


def _metric(item: Mapping[str, Any]) -> Metric | None:
    kind = str(item.get("type") or "")
    body_key = {"Resource": "resource", "ContainerResource": "containerResource", "Pods": "pods", "Object": "object", "External": "external"}.get(kind)
    body = item.get(body_key) if body_key else None
    if not isinstance(body, Mapping):
        return None
    target, value = _target(body)
    if kind in ("Resource", "ContainerResource"):
        return Metric(kind, str(body.get("name") or ""), target, value, str(body.get("container") or ""))
    metric = body.get("metric") if isinstance(body.get("metric"), Mapping) else {}
    described = ""
    if kind == "Object" and isinstance(body.get("describedObject"), Mapping):
        described = f"{body['describedObject'].get('kind')}/{body['describedObject'].get('name')}"
    return Metric(kind, str(metric.get("name") or ""), target, value, described=described)


def autoscaler(obj: Mapping[str, Any]) -> Autoscaler:
    """The HPA with the API server's defaults: minReplicas 1, and 80% CPU when no metric is given."""
    spec = obj.get("spec") if isinstance(obj.get("spec"), Mapping) else {}
    ref = spec.get("scaleTargetRef") if isinstance(spec.get("scaleTargetRef"), Mapping) else {}
    group = str(ref.get("apiVersion") or "").rpartition("/")[0] if "/" in str(ref.get("apiVersion") or "") else ""
    version = str(obj.get("apiVersion") or "")
    if version.endswith("/v1"):
        percent = spec.get("targetCPUUtilizationPercentage", DEFAULT_CPU_UTILIZATION)
        metrics: tuple[Metric, ...] = (Metric("Resource", "cpu", "Utilization", percent),)
    else:
        found = [m for m in (_metric(i) for i in items(spec.get("metrics")) if isinstance(i, Mapping)) if m is not None]
        metrics = tuple(found) if spec.get("metrics") else (Metric("Resource", "cpu", "Utilization", DEFAULT_CPU_UTILIZATION),)
    minimum = spec.get("minReplicas", 1)
    maximum = spec.get("maxReplicas")
    behavior = spec.get("behavior") if isinstance(spec.get("behavior"), Mapping) else {}
    frozen = tuple(way for way, key in (("up", "scaleUp"), ("down", "scaleDown"))
                   if isinstance(behavior.get(key), Mapping) and behavior[key].get("selectPolicy") == "Disabled")
    return Autoscaler(str(ref.get("kind") or ""), str(ref.get("name") or ""), group,
                      minimum if isinstance(minimum, int) else 1, maximum if isinstance(maximum, int) else None, metrics, frozen)


def metric_from_check(value: Mapping[str, Any]) -> Metric:
    """A metric as a check writes it: `{resource: cpu, utilization: 50}`, `{resource: memory, average_value: 500Mi}`, ..."""
    for target, key in (("Utilization", "utilization"), ("AverageValue", "average_value"), ("Value", "value")):
        if key in value:
            amount = value[key]
            break
    else:
        raise ValueError("a metric needs utilization, average_value or value")
    if "resource" in value:
        kind = "ContainerResource" if value.get("container") else "Resource"
        return Metric(kind, str(value["resource"]), target, amount, str(value.get("container") or ""))
    kind = str(value.get("type") or "Pods")
    return Metric(kind, str(value.get("metric") or ""), target, amount, described=str(value.get("object") or ""))
