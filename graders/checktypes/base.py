"""What a check type is: its parameters (a pydantic model), the objects it needs, its runner, its modes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from exercises.base import CheckBase, ObjectRef
from graders.subject import Runner

OFFLINE_AND_LIVE = frozenset({"offline", "live"})


def the_target(check: Any, target: ObjectRef | None) -> list[ObjectRef]:
    """The object the check names, else the exercise's target: what most check types read."""
    ref = check.object or target
    return [ref] if ref is not None else []


@dataclass(frozen=True)
class CheckType:
    """One registered check type."""

    name: str
    model: type[CheckBase]
    run: Runner
    """Works on plain objects (an answer's, or the ones read from a cluster), so offline and live alike."""
    needs: Callable[[Any, ObjectRef | None], list[ObjectRef]] = the_target
    """The objects live grading must read for it (a ref without a name lists every object of the kind)."""
    modes: frozenset[str] = field(default=OFFLINE_AND_LIVE)
