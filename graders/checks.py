"""The check types that run on plain objects, offline and live alike, and the registry of them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Protocol

from exercises.model import CheckBase, CountCheck, FieldCheck, ObjectExistsCheck, ObjectRef, pick
from graders import matchers, paths
from graders.matchers import MISSING
from graders.patterns import PatternTimeout
from graders.report import CheckResult


SHOWN_VALUES = 5
"""Values a failed check's message quotes; an answer may hold thousands at one path."""


class LineLookup(Protocol):
    def __call__(self, obj: dict[str, Any], path: paths.Path) -> int | None: ...


def _no_lines(obj: dict[str, Any], path: paths.Path) -> int | None:
    return None


@dataclass
class Subject:
    """The objects a check looks at: parsed from an answer, or read from a cluster."""

    objects: list[dict[str, Any]]
    line_for: LineLookup = _no_lines
    default_ref: ObjectRef | None = None
    lang: str = "en"
    cluster: Any = None
    """The live cluster handle for live-only checks; None offline."""

    def say(self, en: str, ko: str) -> str:
        return ko if self.lang == "ko" else en

    def find(self, ref: ObjectRef | None) -> tuple[dict[str, Any] | None, str]:
        """The object `ref` names, or None with a sentence saying what is there instead."""
        ref = ref or self.default_ref
        if ref is None:
            return (self.objects[0], "") if len(self.objects) == 1 else (None, self.say("no object to check", "검사할 오브젝트가 없습니다"))
        same_kind = [o for o in self.objects if str(o.get("kind", "")).lower() == ref.kind.lower()]
        if ref.name is None:
            if len(same_kind) == 1:
                return same_kind[0], ""
        else:
            for obj in same_kind:
                meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
                if meta.get("name") == ref.name and (ref.namespace is None or meta.get("namespace") in (None, ref.namespace)):
                    return obj, ""
        return None, self._not_found(ref, same_kind)

    def _not_found(self, ref: ObjectRef, same_kind: list[dict[str, Any]]) -> str:
        wanted = f"{ref.kind} `{ref.name}`" if ref.name else f"one {ref.kind}"
        names = [matchers.show((o.get("metadata") or {}).get("name", "?"))[1:-1] for o in same_kind if isinstance(o.get("metadata"), dict)]
        if names:
            have = ", ".join(f"`{n}`" for n in names)
            return self.say(f"expected {wanted}; found {ref.kind} {have}", f"{wanted}이(가) 있어야 하는데 {ref.kind} {have}만 있습니다")
        kinds = sorted({matchers.show(o["kind"])[1:-1] if "kind" in o else self.say("no kind", "kind 없음") for o in self.objects})
        have_kinds = ", ".join(kinds) if kinds else self.say("nothing", "아무것도 없음")
        return self.say(f"expected {wanted}; found {have_kinds}", f"{wanted}이(가) 있어야 하는데 {have_kinds}이(가) 있습니다")


Runner = Callable[[Any, Subject], CheckResult]


def result(check: CheckBase, subject: Subject, ok: bool, message: str, path: str | None = None, line: int | None = None) -> CheckResult:
    remediation = pick(check.remediation, subject.lang) if (check.remediation and not ok) else None
    return CheckResult(check.id, "pass" if ok else "fail", message, path, line, remediation)


def _missing_item_note(obj: dict[str, Any], miss: paths.Miss, subject: Subject) -> str | None:
    """When a name filter finds no list item: say which names the list has."""
    node: Any = obj
    for part in miss.path:  # the answer's shape may differ from the path's (a mapping where a list should be)
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
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
        if matchers.matches(check.expect, MISSING):
            return result(check, subject, True, subject.say(f"{shown} is not set", f"{shown} 필드가 없습니다"), shown, line)
        message = _missing_item_note(obj, miss, subject) or subject.say(
            f"{shown}: expected {matchers.expected_text(check.expect, 'en')}, found {matchers.found_text(MISSING, 'en')}",
            f"{shown}: 기대한 값은 {matchers.expected_text(check.expect, 'ko')}, 실제로는 {matchers.found_text(MISSING, 'ko')}",
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


def run_object_exists(check: ObjectExistsCheck, subject: Subject) -> CheckResult:
    obj, why = subject.find(check.object)
    ref = check.object or subject.default_ref
    if obj is None:
        return result(check, subject, False, why)
    name = (obj.get("metadata") or {}).get("name")
    kind = ref.kind if ref else obj.get("kind")
    return result(check, subject, True, subject.say(f"{kind} `{name}` is there", f"{kind} `{name}`이(가) 있습니다"), "metadata.name", subject.line_for(obj, ("metadata", "name")))


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


RUNNERS: dict[str, Runner] = {
    "field": run_field,
    "object_exists": run_object_exists,
    "count": run_count,
}
"""Check type -> runner, for the checks that work on plain objects (offline and live)."""


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
            results.append(CheckResult(check.id, "error", f"the pack's check is broken: {err}"))
        except PatternTimeout as err:
            results.append(CheckResult(check.id, "error", err.say(subject.lang)))
    return results
