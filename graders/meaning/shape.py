"""What an answer's field holds when it is the wrong type: nothing (schema errors already say what is wrong)."""

from __future__ import annotations

from typing import Any


def items(value: Any) -> list[Any]:
    """The list, or [] for anything that is not one (a scalar where a list belongs)."""
    return value if isinstance(value, list) else []


def mapping(value: Any) -> dict[str, Any]:
    """The mapping, or {} for anything that is not one."""
    return value if isinstance(value, dict) else {}
