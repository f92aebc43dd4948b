"""What a check type is: its parameters (a pydantic model), the objects it needs, its runner, its modes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from exercises.base import CheckBase, ObjectRef
from graders.subject import Runner
from graders.meaning.shape import items

OFFLINE_AND_LIVE = frozenset({"offline", "live"})


class lazy:  # noqa: N801 - it stands for a module
    """A module imported on first use: loading a pack needs the check types' parameters, not their evaluators."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        import importlib

        return getattr(importlib.import_module(self._name), attribute)


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


@dataclass(frozen=True)
class Pods:
    """The pods an object runs: the object, its pod metadata and spec, and where the spec sits in it."""

    obj: dict[str, Any]
    meta: dict[str, Any]
    spec: dict[str, Any]
    prefix: tuple[str, ...]

    def line(self, subject: Any, *path: str | int) -> int | None:
        return subject.line_for(self.obj, self.prefix + tuple(path))

    def index(self, name: str) -> tuple[str, int] | None:
        """("containers"|"initContainers", index) of a container, for line numbers."""
        for key in ("containers", "initContainers"):
            for i, c in enumerate(items(self.spec.get(key))):
                if isinstance(c, dict) and c.get("name") == name:
                    return key, i
        return None


def pods_of(check: Any, subject: Any) -> Pods | str:
    """The pod spec of the object a check names (a Pod, or a workload's template), or why there is none."""
    from graders.meaning.workloads import pod_template, spec_path

    obj, why = subject.find(check.object)
    if obj is None:
        return why
    found = pod_template(obj)
    if found is None:
        return subject.say(f"a {obj.get('kind')} runs no pods", f"{obj.get('kind')}은(는) 파드를 실행하지 않습니다")
    return Pods(obj, found[0], found[1], spec_path(obj))
