"""rbac.authorization.k8s.io/v1: rules need verbs, bindings need a roleRef to a Role or ClusterRole and known subjects."""

from __future__ import annotations

from typing import Any

from graders.apivalidation import fields as f
from graders.apivalidation.fields import Errors, Path, items, text

GROUP = "rbac.authorization.k8s.io"


def role(errors: Errors, obj: dict[str, Any]) -> None:
    namespaced = obj.get("kind") == "Role"
    for i, rule in items(obj.get("rules")):
        _rule(errors, rule, ("rules", i), namespaced)
    aggregation = obj.get("aggregationRule")
    if not namespaced and isinstance(aggregation, dict):
        selectors = aggregation.get("clusterRoleSelectors")
        if not selectors:
            errors.required(("aggregationRule", "clusterRoleSelectors"),
                            "at least one clusterRoleSelector required if aggregationRule is non-nil",
                            "aggregationRule을 쓰면 clusterRoleSelectors가 하나 이상 있어야 합니다", at=("aggregationRule",))
        for i, selector in items(selectors):
            f.validate_selector(errors, selector, ("aggregationRule", "clusterRoleSelectors", i))
            if not f.selector_is_readable(selector):
                errors.invalid(("aggregationRule", "clusterRoleSelectors", i), None, "invalid label selector.",
                               "label selector를 읽을 수 없습니다")


def _rule(errors: Errors, rule: dict[str, Any], path: Path, namespaced: bool) -> None:
    if "verbs" in rule and not rule.get("verbs"):
        errors.required(path + ("verbs",), "", "verbs에 값이 하나 이상 있어야 합니다")
    urls = rule.get("nonResourceURLs")
    if urls:
        if namespaced:
            errors.invalid(path + ("nonResourceURLs",), urls, "namespaced rules cannot apply to non-resource URLs",
                           "Role(네임스페이스 범위)의 규칙에는 nonResourceURLs를 쓸 수 없습니다. ClusterRole을 쓰세요")
        if rule.get("apiGroups") or rule.get("resources") or rule.get("resourceNames"):
            errors.invalid(path + ("nonResourceURLs",), urls, "rules cannot apply to both regular resources and "
                           "non-resource URLs", "한 규칙에 리소스와 nonResourceURLs를 함께 쓸 수 없습니다")
        return
    if not rule.get("apiGroups"):
        errors.required(path + ("apiGroups",), "resource rules must supply at least one api group",
                        "apiGroups에 값이 하나 이상 있어야 합니다 (core 그룹은 \"\")", at=path)
    if not rule.get("resources"):
        errors.required(path + ("resources",), "resource rules must supply at least one resource",
                        "resources에 값이 하나 이상 있어야 합니다", at=path)


def role_binding(errors: Errors, obj: dict[str, Any]) -> None:
    namespaced = obj.get("kind") == "RoleBinding"
    ref = obj.get("roleRef")
    if isinstance(ref, dict):
        group = ref.get("apiGroup")
        if isinstance(group, str) and group and group != GROUP:  # an empty one is defaulted
            errors.unsupported(("roleRef", "apiGroup"), group, [GROUP])
        kind = ref.get("kind")
        allowed = ["Role", "ClusterRole"] if namespaced else ["ClusterRole"]
        if isinstance(kind, str) and kind not in allowed:
            errors.unsupported(("roleRef", "kind"), kind, allowed)
        name = ref.get("name")
        if name == "":
            errors.required(("roleRef", "name"))
        elif isinstance(name, str):
            f.check_name(errors, ("roleRef", "name"), name, f.path_segment(name))
    for i, subject in items(obj.get("subjects")):
        _subject(errors, subject, ("subjects", i), namespaced)


def _subject(errors: Errors, subject: dict[str, Any], path: Path, namespaced: bool) -> None:
    name, kind, group = subject.get("name"), subject.get("kind"), text(subject.get("apiGroup"))
    if name == "":
        errors.required(path + ("name",))
    if kind == "ServiceAccount":
        if isinstance(name, str) and name:
            f.check_name(errors, path + ("name",), name, f.dns_subdomain(name))
        if group:
            errors.unsupported(path + ("apiGroup",), group, [""])
        if not namespaced and not text(subject.get("namespace")):
            errors.required(path + ("namespace",), at=path)
    elif kind in ("User", "Group"):
        if group and group != GROUP:  # an empty one is defaulted
            errors.unsupported(path + ("apiGroup",), group, [GROUP])
    elif isinstance(kind, str):
        errors.unsupported(path + ("kind",), kind, ["ServiceAccount", "User", "Group"])
