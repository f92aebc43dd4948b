"""autoscaling/v2: HorizontalPodAutoscaler replicas, scale target, metrics and scaling behavior."""

from __future__ import annotations

from typing import Any

from graders.apivalidation import fields as f
from graders.apivalidation.fields import Errors, Path, get, integer, items, mapping, text


METRIC_TYPES = ["ContainerResource", "External", "Object", "Pods", "Resource"]


METRIC_FIELDS = {"Object": "object", "Pods": "pods", "Resource": "resource", "External": "external",
                 "ContainerResource": "containerResource"}


def horizontal_pod_autoscaler(errors: Errors, obj: dict[str, Any]) -> None:
    spec = mapping(obj.get("spec"))
    low, high = integer(spec.get("minReplicas")), integer(spec.get("maxReplicas", 0 if obj.get("spec") is None else None))
    if low is not None and low < 0:  # 0 is allowed with an Object or External metric (HPAScaleToZero)
        errors.invalid(("spec", "minReplicas"), low, "must be greater than or equal to 0", "0 이상이어야 합니다")
    if high == 0:
        errors.required(("spec", "maxReplicas"), at=("spec", "maxReplicas"))
    elif high is not None and high < 0:
        errors.invalid(("spec", "maxReplicas"), high, "must be greater than or equal to 1", "1 이상이어야 합니다")
    low = 1 if low is None and "minReplicas" not in spec else low  # minReplicas defaults to 1
    if low is not None and high is not None and high < low:
        errors.invalid(("spec", "maxReplicas"), high, "must be greater than or equal to `minReplicas`",
                       "`minReplicas`보다 작을 수 없습니다")
    ref = spec.get("scaleTargetRef")
    if isinstance(ref, dict):
        _object_reference(errors, ref, ("spec", "scaleTargetRef"), allow_core=False)
    for i, metric in items(spec.get("metrics")):
        _metric(errors, metric, ("spec", "metrics", i))
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        for direction in ("scaleUp", "scaleDown"):
            if isinstance(behavior.get(direction), dict):
                _scaling_rules(errors, behavior[direction], ("spec", "behavior", direction))
    if low == 0 and not any(m.get("type") in ("Object", "External") for _, m in items(spec.get("metrics"))):
        errors.forbidden(("spec", "metrics"), "must specify at least one Object or External metric to support scaling "
                         "to zero replicas", "minReplicas가 0이면 Object나 External metric이 하나 이상 있어야 합니다",
                         at=("spec", "minReplicas"))


def _scaling_rules(errors: Errors, rules: dict[str, Any], path: Path) -> None:
    """validateScalingRules, after defaulting fills what the rules leave out (policies, selectPolicy)."""
    window = integer(rules.get("stabilizationWindowSeconds"))
    if window is not None and window < 0:
        errors.invalid(path + ("stabilizationWindowSeconds",), window, "must be greater than or equal to zero", "0 이상이어야 합니다")
    if window is not None and window > 3600:
        errors.invalid(path + ("stabilizationWindowSeconds",), window, "must be less than or equal to 3600", "3600 이하여야 합니다")
    select = rules.get("selectPolicy")
    if isinstance(select, str) and select not in ("Disabled", "Max", "Min"):
        errors.unsupported(path + ("selectPolicy",), select, ["Disabled", "Max", "Min"])
    policies = rules.get("policies")
    if isinstance(policies, list) and not policies:
        errors.required(path + ("policies",), "must specify at least one Policy", "policies가 하나 이상 있어야 합니다")
    for i, policy in items(policies):
        here = path + ("policies", i)
        kind = policy.get("type")
        if isinstance(kind, str) and kind not in ("Pods", "Percent"):
            errors.unsupported(here + ("type",), kind, ["Percent", "Pods"])
        value, period = integer(policy.get("value")), integer(policy.get("periodSeconds"))
        if value is not None and value <= 0:
            errors.invalid(here + ("value",), value, "must be greater than zero", "0보다 커야 합니다")
        if period is not None and period <= 0:
            errors.invalid(here + ("periodSeconds",), period, "must be greater than zero", "0보다 커야 합니다")
        if period is not None and period > 1800:
            errors.invalid(here + ("periodSeconds",), period, "must be less than or equal to 1800", "1800 이하여야 합니다")


def _object_reference(errors: Errors, ref: dict[str, Any], path: Path, allow_core: bool) -> None:
    for field in ("kind", "name"):
        value = ref.get(field)
        if value == "":
            errors.required(path + (field,))
        elif isinstance(value, str):
            f.check_name(errors, path + (field,), value, f.path_segment(value))
    version = text(ref.get("apiVersion"))
    group = version.rpartition("/")[0] if version.count("/") == 1 else None
    if version.count("/") > 1:
        errors.invalid(path + ("apiVersion",), version, f"unexpected GroupVersion string: {version}",
                       "apiVersion은 `그룹/버전` 형식이어야 합니다 (예: apps/v1)")
    elif not allow_core and not group:
        errors.invalid(path + ("apiVersion",), version, "apiVersion must specify API group",
                       "apiVersion에 API 그룹이 있어야 합니다 (예: Deployment는 apps/v1)", at=path + ("apiVersion",)
                       if "apiVersion" in ref else path)


def _metric(errors: Errors, metric: dict[str, Any], path: Path) -> None:
    kind = metric.get("type")
    if kind == "":
        errors.required(path + ("type",), "must specify a metric source type", "metric 종류(type)를 지정해야 합니다")
    if isinstance(kind, str) and kind not in METRIC_TYPES:
        errors.unsupported(path + ("type",), kind, METRIC_TYPES)
        errors.unsupported(path + ("type",), kind, METRIC_TYPES)  # the API server says it twice
    present = [name for name in ("object", "external", "pods", "resource", "containerResource")
               if metric.get(name) is not None]
    expected = METRIC_FIELDS.get(kind) if isinstance(kind, str) else None
    if present:
        source = mapping(metric.get(present[0]))
        if present[0] in ("resource", "containerResource"):
            _resource_metric(errors, source, path + (present[0],), container=present[0] == "containerResource")
        else:
            if present[0] == "object" and isinstance(source.get("describedObject"), dict):
                _object_reference(errors, source["describedObject"], path + ("object", "describedObject"), allow_core=True)
            name = get(source, "metric", "name")
            if not text(name):
                errors.required(path + (present[0], "metric", "name"), "must specify a metric name",
                                "metric 이름을 지정해야 합니다", at=path + (present[0],))
            else:
                f.check_name(errors, path + (present[0], "metric", "name"), name, f.path_segment(name))
            target = mapping(source.get("target"))
            _metric_target(errors, target, path + (present[0], "target"))
            if present[0] == "object" and target.get("value") is None and target.get("averageValue") is None:
                errors.required(path + ("object", "target", "averageValue"), "must set either a target value or averageValue",
                                "target의 value나 averageValue를 지정해야 합니다", at=path + ("object", "target"))
            elif present[0] == "pods" and target.get("averageValue") is None:
                errors.required(path + ("pods", "target", "averageValue"), "must specify a positive target averageValue",
                                "target의 averageValue를 지정해야 합니다", at=path + ("pods", "target"))
            elif present[0] == "external" and target.get("value") is None and target.get("averageValue") is None:
                errors.required(path + ("external", "target", "averageValue"),
                                "must set either a target value for metric or a per-pod target",
                                "target의 value나 averageValue를 지정해야 합니다", at=path + ("external", "target"))
            elif present[0] == "external" and target.get("value") is not None and target.get("averageValue") is not None:
                errors.forbidden(path + ("external", "target", "value"), "may not set both a target value for metric and "
                                 "a per-pod target", "value와 averageValue를 함께 쓸 수 없습니다")
    if expected and metric.get(expected) is None:
        errors.required(path + (expected,), "must populate information for the given metric source",
                        f"type이 {kind}이면 `{expected}`를 채워야 합니다", at=path)
    if len(present) != 1:
        for extra in present:
            if extra != expected:
                errors.forbidden(path + (extra,), "must populate the given metric source only",
                                 "type에 맞는 metric source 하나만 채워야 합니다")


def _resource_metric(errors: Errors, source: dict[str, Any], path: Path, container: bool) -> None:
    from graders.apivalidation.resources import resource_name

    name, target_container = source.get("name"), source.get("container")
    if name == "":
        errors.required(path + ("name",), "must specify a resource name", "리소스 이름을 지정해야 합니다")
    elif container and isinstance(name, str):
        resource_name(errors, name, path + ("name",))
    if container and target_container == "":
        errors.required(path + ("container",), "must specify a container", "컨테이너를 지정해야 합니다")
    elif container and isinstance(target_container, str):
        f.check_name(errors, path + ("container",), target_container, f.dns_label(target_container))
    target = mapping(source.get("target"))
    _metric_target(errors, target, path + ("target",))
    if target.get("averageUtilization") is None and target.get("averageValue") is None:
        errors.required(path + ("target", "averageUtilization"), "must set either a target raw value or a target utilization",
                        "averageUtilization이나 averageValue 중 하나를 지정해야 합니다", at=path + ("target",))
    if target.get("averageUtilization") is not None and target.get("averageValue") is not None:
        errors.forbidden(path + ("target", "averageValue"), "may not set both a target raw value and a target utilization",
                         "averageUtilization과 averageValue를 함께 쓸 수 없습니다")


def _metric_target(errors: Errors, target: dict[str, Any], path: Path) -> None:
    kind = target.get("type")
    if kind == "":
        errors.required(path + ("type",), "must specify a metric target type", "target의 type을 지정해야 합니다")
    if isinstance(kind, str) and kind not in ("Utilization", "Value", "AverageValue"):
        errors.invalid(path + ("type",), kind, "must be either Utilization, Value, or AverageValue",
                       "Utilization, Value, AverageValue 중 하나여야 합니다")
    for field in ("value", "averageValue"):
        amount = f.quantity_of(target.get(field)) if target.get(field) is not None else None
        if amount is not None and amount.value <= 0:
            errors.invalid(path + (field,), str(amount), "must be positive", "0보다 커야 합니다")
    utilization = integer(target.get("averageUtilization"))
    if utilization is not None and utilization < 1:
        errors.invalid(path + ("averageUtilization",), utilization, "must be greater than 0", "0보다 커야 합니다")

