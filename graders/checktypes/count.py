"""`count`: how many values a path finds, or how many objects of a kind there are."""

from __future__ import annotations

from typing import Literal

from exercises.base import CheckBase, Matcher, ObjectRef
from graders.checktypes.base import CheckType, lazy
from graders.report import CheckResult
from graders.subject import Subject, result

matchers, paths = lazy("graders.matchers"), lazy("graders.paths")


class CountCheck(CheckBase):
    """The number of values the path finds (or of objects of a kind) must satisfy a matcher."""

    type: Literal["count"]
    path: str | None = None
    """Count the values found at this path in the object; unset: count objects of `object.kind`."""
    expect: Matcher


def run_count(check: CountCheck, subject: Subject) -> CheckResult:
    if check.path is None:
        kind = (check.object or subject.default_ref or ObjectRef(kind="?")).kind
        count = sum(1 for o in subject.objects if str(o.get("kind", "")).lower() == kind.lower())
        what, line, where = kind, None, None
    else:
        obj, why = subject.find(check.object)
        if obj is None:
            return result(check, subject, False, why)
        found = paths.find(obj, check.path)
        count = len(found[0].value) if len(found) == 1 and isinstance(found[0].value, list) else len(found)
        where = paths.display_expression(check.path)
        what = where
        line = subject.line_for(obj, found[0].path if found else paths.parent_path(obj, check.path))
    ok = matchers.matches(check.expect, count)
    message = subject.say(
        f"{what}: count {count}" + ("" if ok else f", expected {matchers.expected_text(check.expect, 'en')}"),
        f"{what}: 개수 {count}" + ("" if ok else f", 기대한 값은 {matchers.expected_text(check.expect, 'ko')}"),
    )
    return result(check, subject, ok, message, where, line)


def needs(check: CountCheck, target: ObjectRef | None) -> list[ObjectRef]:
    ref = check.object or target
    if ref is None:
        return []
    return [ObjectRef(kind=ref.kind, namespace=ref.namespace)] if check.path is None else [ref]  # counting objects: list them all


TYPE = CheckType("count", CountCheck, run_count, needs)
