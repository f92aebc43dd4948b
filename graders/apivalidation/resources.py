"""A container's resources: resource names, quantities, and requests against limits."""

from __future__ import annotations

from typing import Any

from graders.apivalidation import fields as f
from graders.apivalidation.fields import Errors, Key, Path, mapping


STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")


def container_resources(errors: Errors, resources: dict[str, Any], path: Path) -> None:
    limits, requests = mapping(resources.get("limits")), mapping(resources.get("requests"))
    for section, values in (("limits", limits), ("requests", requests)):
        for name, value in values.items():
            here = path + (section, Key(name))
            if isinstance(name, str):
                resource_name(errors, name, here)
            amount = f.quantity_of(value)
            if amount is None:
                continue  # the schema says it is not a quantity
            amount = amount.rounded_up(3)
            if amount.value < 0:
                errors.invalid(here, str(amount), *f.NEGATIVE)
            if section == "requests" and name in limits and f.quantity_of(limits[name]) is not None:
                cap = f.quantity_of(limits[name]).rounded_up(3)  # type: ignore[union-attr]
                if not _overcommitable(name) and amount.value != cap.value:
                    errors.invalid(path + ("requests",), str(amount), f"must be equal to {name} limit of {cap}",
                                   f"{name} limit({cap})과 같아야 합니다", at=here)
                elif amount.value > cap.value:
                    errors.invalid(path + ("requests",), str(amount), f"must be less than or equal to {name} limit of {cap}",
                                   f"{name} limit({cap})보다 클 수 없습니다", at=here)
            elif section == "requests" and not _overcommitable(str(name)):
                errors.required(path + ("limits",), "Limit must be set for non overcommitable resources",
                                "이 리소스는 limit을 반드시 지정해야 합니다", at=here)


def _overcommitable(name: str) -> bool:
    native = "/" not in name or "kubernetes.io/" in name  # helper.IsOvercommitAllowed: native and not hugepages
    return native and not name.startswith("hugepages-")


def resource_name(errors: Errors, name: str, path: Path) -> None:
    """ValidateContainerResourceName: cpu, memory, ephemeral-storage, hugepages-*, or a qualified extended name."""
    messages = f.qualified_name(name)
    f.check_name(errors, path, name, messages)
    if "/" in name:
        return
    if not name.startswith("hugepages-") and name not in STANDARD_CONTAINER_RESOURCES:
        if not messages and name not in _STANDARD_RESOURCES:
            errors.invalid(path, name, "must be a standard resource type or fully qualified", "표준 리소스 이름이거나 "
                           "도메인을 붙인 이름(예: example.com/gpu)이어야 합니다")
        errors.invalid(path, name, "must be a standard resource for containers", "컨테이너에 쓸 수 있는 표준 리소스"
                       "(cpu, memory, ephemeral-storage, hugepages-*)가 아닙니다")


_STANDARD_RESOURCES = {"cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory",
                       "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods",
                       "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps",
                       "persistentvolumeclaims", "requests.storage", "services.nodeports", "services.loadbalancers",
                       "storage"}

