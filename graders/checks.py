"""Running an exercise's checks over plain objects: the runners of the registered check types, and errors kept as data."""

from __future__ import annotations

from typing import Any

from exercises.base import ObjectRef
from graders import paths
from graders.checktypes import REGISTRY
from graders.checktypes.field import run_field
from graders.meaning.selectors import SelectorError
from graders.patterns import PatternTimeout
from graders.report import CheckResult
from graders.subject import LineLookup, Runner, Subject, result

__all__ = ["RUNNERS", "LineLookup", "Runner", "Subject", "needs", "result", "run_checks", "run_field"]

RUNNERS: dict[str, Runner] = {name: t.run for name, t in REGISTRY.items() if "offline" in t.modes}
"""Check type -> runner, for the checks that work on plain objects (offline and live)."""


def needs(check: Any, target: ObjectRef | None) -> list[ObjectRef]:
    """The objects a check reads, for live grading to fetch; the named object (or target) for types not registered here."""
    kind = REGISTRY.get(check.type)
    if kind is not None:
        return kind.needs(check, target)
    ref = check.object or target
    return [ref] if ref is not None else []


def run_checks(checks: list[Any], subject: Subject, runners: dict[str, Runner] = RUNNERS) -> list[CheckResult]:
    """Run each check; a check that blows up is an `error` result, never an exception."""
    results = []
    for check in checks:
        runner = runners.get(check.type)
        if runner is None:
            results.append(CheckResult(check.id, "skip", subject.say(f"{check.type} checks need a live cluster", f"{check.type} 검사는 실제 클러스터가 필요합니다")))
            continue
        try:
            results.append(runner(check, subject))
        except paths.PathError as err:
            results.append(CheckResult(check.id, "error", subject.say(f"the pack's check is broken: {err}", f"팩의 검사가 잘못되었습니다: {err}")))
        except PatternTimeout as err:
            results.append(CheckResult(check.id, "error", err.say(subject.lang)))
        except (SelectorError, ValueError, TypeError, AttributeError, KeyError, IndexError) as err:  # an answer shaped unlike any object
            what = f"{type(err).__name__}: {err}"[:160]
            results.append(CheckResult(check.id, "error", subject.say(
                f"this check could not read the answer ({what}); fix the errors above first",
                f"이 검사는 답을 읽을 수 없습니다 ({what}). 위의 오류부터 고치세요")))
    return results
