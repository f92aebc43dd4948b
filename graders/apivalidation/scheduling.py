"""Where a pod may run: tolerations, node and pod affinity, topology spread constraints."""

from __future__ import annotations

from typing import Any

from graders.apivalidation import fields as f
from graders.apivalidation.fields import Errors, Path, integer, items, mapping, text


def tolerations(errors: Errors, tolerations: Any, path: Path) -> None:
    for i, toleration in items(tolerations):
        here = path + (i,)
        key, operator, value = text(toleration.get("key")), text(toleration.get("operator")), text(toleration.get("value"))
        effect = text(toleration.get("effect"))
        if key:
            f.check_name(errors, here + ("key",), key, f.qualified_name(key))
        if not key and operator != "Exists":
            errors.invalid(here + ("operator",), operator, "operator must be Exists when `key` is empty, which means "
                           "\"match all values and all keys\"", "`key`가 비어 있으면(모든 키와 값을 뜻함) operator는 "
                           "Exists여야 합니다")
        if toleration.get("tolerationSeconds") is not None and effect != "NoExecute":
            errors.invalid(here + ("effect",), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set",
                           "`tolerationSeconds`를 쓰려면 effect가 'NoExecute'여야 합니다")
        if operator in ("Equal", ""):
            messages = f.label_value(value)
            if messages:
                errors.invalid(here + ("operator",), value, ";".join(m[0] for m in messages),
                               ";".join(m[1] for m in messages), at=here + ("value",))
        elif operator == "Exists":
            if value:
                errors.invalid(here + ("operator",), value, "value must be empty when `operator` is 'Exists'",
                               "`operator`가 'Exists'이면 value를 비워야 합니다", at=here + ("value",))
        else:
            errors.unsupported(here + ("operator",), operator, ["Equal", "Exists"])
        if effect and effect not in ("NoSchedule", "PreferNoSchedule", "NoExecute"):
            errors.unsupported(here + ("effect",), effect, ["NoSchedule", "PreferNoSchedule", "NoExecute"])


def affinity(errors: Errors, affinity: dict[str, Any], path: Path) -> None:
    node = mapping(affinity.get("nodeAffinity"))
    required = node.get("requiredDuringSchedulingIgnoredDuringExecution")
    here = path + ("nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution")
    if isinstance(required, dict):
        terms = required.get("nodeSelectorTerms")
        if isinstance(terms, list) and not terms:
            errors.required(here + ("nodeSelectorTerms",), "must have at least one node selector term",
                            "nodeSelectorTerms가 하나 이상 있어야 합니다")
        for i, term in items(terms):
            node_selector_term(errors, term, here + ("nodeSelectorTerms", i), strict=True)
    preferred = path + ("nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution")
    for i, term in items(node.get("preferredDuringSchedulingIgnoredDuringExecution")):
        _weight(errors, term.get("weight"), preferred + (i, "weight"))
        node_selector_term(errors, mapping(term.get("preference")), preferred + (i, "preference"), strict=False)
    for kind in ("podAffinity", "podAntiAffinity"):
        rules = mapping(affinity.get(kind))
        for i, term in items(rules.get("requiredDuringSchedulingIgnoredDuringExecution")):
            _pod_affinity_term(errors, term, path + (kind, "requiredDuringSchedulingIgnoredDuringExecution", i))
        for i, term in items(rules.get("preferredDuringSchedulingIgnoredDuringExecution")):
            here = path + (kind, "preferredDuringSchedulingIgnoredDuringExecution", i)
            _weight(errors, term.get("weight"), here + ("weight",))
            _pod_affinity_term(errors, mapping(term.get("podAffinityTerm")), here + ("podAffinityTerm",))


def _weight(errors: Errors, value: Any, path: Path) -> None:
    weight = integer(value)
    if weight is not None and not 1 <= weight <= 100:
        errors.invalid(path, weight, "must be in the range 1-100", "1부터 100 사이여야 합니다")


def node_selector_term(errors: Errors, term: dict[str, Any], path: Path, strict: bool) -> None:
    for i, req in items(term.get("matchExpressions")):
        here = path + ("matchExpressions", i)
        operator, values = text(req.get("operator")), req.get("values") or []
        if operator in ("In", "NotIn") and not values:
            errors.required(here + ("values",), "must be specified when `operator` is 'In' or 'NotIn'",
                            "`operator`가 'In'이나 'NotIn'이면 values가 있어야 합니다")
        elif operator in ("Exists", "DoesNotExist") and values:
            errors.forbidden(here + ("values",), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                             "`operator`가 'Exists'나 'DoesNotExist'이면 values를 쓸 수 없습니다")
        elif operator in ("Gt", "Lt") and (not isinstance(values, list) or len(values) != 1):
            errors.required(here + ("values",), "must be specified single value when `operator` is 'Lt' or 'Gt'",
                            "`operator`가 'Lt'나 'Gt'이면 값을 하나만 써야 합니다")
        elif operator not in ("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt") and "operator" in req:
            errors.invalid(here + ("operator",), operator, "not a valid selector operator", "올바른 selector 연산자가 아닙니다")
        if isinstance(req.get("key"), str):
            f.check_name(errors, here + ("key",), req["key"], f.qualified_name(req["key"]))
        for j, value in enumerate(values if strict and isinstance(values, list) else []):
            if isinstance(value, str):
                f.check_name(errors, here + ("values", j), value, f.label_value(value))


def _pod_affinity_term(errors: Errors, term: dict[str, Any], path: Path) -> None:
    f.validate_selector(errors, term.get("labelSelector"), path + ("labelSelector",))
    f.validate_selector(errors, term.get("namespaceSelector"), path + ("namespaceSelector",))
    key = term.get("topologyKey")
    if key == "":
        errors.required(path + ("topologyKey",), "can not be empty", "비어 있으면 안 됩니다")
    if isinstance(key, str):
        f.check_name(errors, path + ("topologyKey",), key, f.qualified_name(key))


def topology_spread(errors: Errors, constraints: Any, path: Path) -> None:
    for i, constraint in items(constraints):
        here = path + (i,)
        skew = integer(constraint.get("maxSkew"))
        if skew is not None and skew <= 0:
            errors.invalid(here + ("maxSkew",), skew, "must be greater than zero", "0보다 커야 합니다")
        key, action = constraint.get("topologyKey"), constraint.get("whenUnsatisfiable")
        if key == "":
            errors.required(here + ("topologyKey",), "can not be empty", "비어 있으면 안 됩니다")
        if isinstance(action, str) and action not in ("DoNotSchedule", "ScheduleAnyway"):  # not defaulted: "" too
            errors.unsupported(here + ("whenUnsatisfiable",), action, ["DoNotSchedule", "ScheduleAnyway"])
        for _, later in items(constraints[i + 1:]):
            if (later.get("topologyKey"), later.get("whenUnsatisfiable")) == (key, action):
                errors.duplicate(here + ("{topologyKey, whenUnsatisfiable}",), f"{{{text(key)}, {text(action)}}}", at=here)
                break
        for policy in ("nodeAffinityPolicy", "nodeTaintsPolicy"):
            value = constraint.get(policy)
            if isinstance(value, str) and value not in ("Honor", "Ignore"):
                errors.unsupported(here + (policy,), value, ["Honor", "Ignore"])
        f.validate_selector(errors, constraint.get("labelSelector"), here + ("labelSelector",))

