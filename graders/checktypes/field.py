"""`field`: a field of the object, addressed by kubectl-style JSONPath, satisfies a matcher."""

from __future__ import annotations

import re
from typing import Any, Literal

from exercises.base import CheckBase, Matcher
from graders.checktypes.base import CheckType, lazy
from graders.subject import Subject, result
from graders.report import CheckResult

matchers, paths = lazy("graders.matchers"), lazy("graders.paths")


class FieldCheck(CheckBase):
    """A field of the object, addressed by kubectl-style JSONPath, must satisfy a matcher."""

    type: Literal["field"]
    path: str | list[str]
    """kubectl-style JSONPath: `.spec.containers[?(@.name=="web")].image`. List items by name, never by index.
    Several paths: the check passes when any one of them does (a sidecar in `containers` or `initContainers`)."""
    expect: Matcher
    """What the value must be."""
    default: Any = None
    """The value Kubernetes assumes when the field is absent (e.g. `TCP` for a port's protocol)."""
    all: bool = False
    """When the path finds several values: `true` means every one must match, otherwise one is enough."""
    collect: bool = False
    """Match the list of every value found, in order, as one value (the order of init containers)."""

    @property
    def paths(self) -> list[str]:
        return [self.path] if isinstance(self.path, str) else list(self.path)


SHOWN_VALUES = 5
"""Values a failed check's message quotes; an answer may hold thousands at one path."""


def _missing_item_note(obj: dict[str, Any], miss: paths.Miss, subject: Subject) -> str | None:
    """When a name filter finds no list item: say which names the list has."""
    node: Any = obj
    for part in miss.path:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and -len(node) <= part < len(node):
            node = node[part]
        else:
            node = None
    wanted = re.match(r"\[\?\(?@\.name\s*==\s*[\"']([^\"']*)[\"']", miss.step)
    if not (isinstance(node, list) and wanted):
        return None
    names = [str(i.get("name")) for i in node if isinstance(i, dict) and "name" in i]
    have = ", ".join(f"`{n}`" for n in names) or "—"
    where = paths.display(obj, miss.path)
    return subject.say(
        f"{where} has no item named `{wanted[1]}` (it has {have})",
        f"{where}에 이름이 `{wanted[1]}`인 항목이 없습니다 (있는 항목: {have})",
    )


def _defaulted(obj: dict[str, Any], check: FieldCheck, expression: str) -> list[paths.Found]:
    """Kubernetes fills in `default` where the field's parent exists but the field is unset."""
    split = paths.without_last_step(expression)
    if check.default is None or split is None:
        return []
    parent, field_name = split
    return [paths.Found(check.default, p.path + (field_name,)) for p in paths.find(obj, parent) if isinstance(p.value, dict)]


def run_field(check: FieldCheck, subject: Subject) -> CheckResult:
    obj, why = subject.find(check.object)
    if obj is None:
        return result(check, subject, False, why)
    outcomes = []
    for expression in check.paths:
        outcome = _field_at(check, expression, obj, subject)
        if ".env[" in expression:
            from graders.env_check import env_field  # an env value is judged on the effective environment (envFrom, valueFrom)

            outcome = env_field(check, expression, obj, subject, outcome)
        if outcome.passed:
            return outcome
        outcomes.append(outcome)
    return outcomes[0]


def _field_at(check: FieldCheck, expression: str, obj: dict[str, Any], subject: Subject) -> CheckResult:
    found = paths.find(obj, expression) or _defaulted(obj, check, expression)
    if found and check.collect:
        found = [paths.Found([f.value for f in found], found[0].path)]
    if not found:
        miss = paths.deepest(obj, expression)
        line = subject.line_for(obj, miss.path)
        shown = paths.display_expression(expression)
        if matchers.matches(check.expect, matchers.MISSING):
            return result(check, subject, True, subject.say(f"{shown} is not set", f"{shown} 필드가 없습니다"), shown, line)
        message = _missing_item_note(obj, miss, subject) or subject.say(
            f"{shown}: expected {matchers.expected_text(check.expect, 'en')}, found {matchers.found_text(matchers.MISSING, 'en')}",
            f"{shown}: 기대한 값은 {matchers.expected_text(check.expect, 'ko')}, 실제로는 {matchers.found_text(matchers.MISSING, 'ko')}",
        )
        return result(check, subject, False, message, shown, line)
    verdicts = [matchers.matches(check.expect, f.value) for f in found]
    ok = all(verdicts) if check.all else any(verdicts)
    shown_item = found[verdicts.index(True)] if ok else found[verdicts.index(False)]
    where = paths.display_expression(expression) if check.collect else paths.display(obj, shown_item.path)
    line = subject.line_for(obj, shown_item.path)
    if ok:
        value = matchers.found_text(shown_item.value, subject.lang, check.expect)
        message = subject.say(f"{where} is {value}", f"{where} 값은 {value}입니다")
    else:
        found_values = ", ".join(matchers.found_text(f.value, subject.lang, check.expect) for f in found[:SHOWN_VALUES])
        if len(found) > SHOWN_VALUES:
            found_values += subject.say(f" and {len(found) - SHOWN_VALUES:,} more", f" 외 {len(found) - SHOWN_VALUES:,}개")
        message = subject.say(
            f"{where}: expected {matchers.expected_text(check.expect, 'en')}, found {found_values}",
            f"{where}: 기대한 값은 {matchers.expected_text(check.expect, 'ko')}, 실제 값은 {found_values}",
        )
    return result(check, subject, ok, message, where, line)


TYPE = CheckType("field", FieldCheck, run_field)
