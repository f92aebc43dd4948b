"""PodDisruptionBudgets: how many pods of a workload may be evicted at once, as the disruption controller counts it."""

from __future__ import annotations

import math
import re
from typing import Any, Mapping

_PERCENT = re.compile(r"^(\d+)%$")


class BudgetError(ValueError):
    """A budget the API server would refuse (both fields, a malformed percentage, a negative number)."""


def _scaled(value: Any, total: int) -> int:
    """An int as it is; "N%" of `total`, rounded up (intstr.GetScaledValueFromIntOrPercent with roundUp, as the controller calls it)."""
    if isinstance(value, bool):
        raise BudgetError(f"{value!r} is neither a number nor a percentage")
    if isinstance(value, int):
        if value < 0:
            raise BudgetError(f"{value} is negative")
        return value
    match = _PERCENT.match(value) if isinstance(value, str) else None
    if match is None:
        raise BudgetError(f"{value!r} is neither a number nor a percentage like \"50%\"")
    percent = int(match.group(1))
    if percent > 100:
        raise BudgetError(f"{value} is more than 100%")
    return math.ceil(percent * total / 100)


def allowed_disruptions(spec: Mapping[str, Any], replicas: int) -> int:
    """How many of `replicas` healthy pods the budget lets be evicted at once."""
    has_min, has_max = spec.get("minAvailable") is not None, spec.get("maxUnavailable") is not None
    if has_min and has_max:
        raise BudgetError("minAvailable and maxUnavailable cannot both be set")
    if has_max:
        desired = max(0, replicas - _scaled(spec["maxUnavailable"], replicas))  # the controller counts past zero; pods cannot
    elif has_min:
        desired = _scaled(spec["minAvailable"], replicas)
    else:
        return replicas  # a budget with neither field protects nothing
    return max(0, replicas - desired)
