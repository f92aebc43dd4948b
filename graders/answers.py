"""Grading the answers that are not manifests: a kubectl command line, a quiz choice or short answer."""

from __future__ import annotations

import re
from typing import Any

from exercises.model import CommandSpec, Exercise, FlagRule, QuizSpec, pick
from graders.kubectl import CommandParseError, KubectlCommand, parse_kubectl
from graders.matchers import show
from graders.patterns import IGNORECASE, PatternTimeout, full_match
from graders.report import AnswerError, CheckResult, GradeReport, unusable


MEANINGFUL_FLAGS = frozenset({"dry-run", "all-namespaces", "namespace", "selector", "field-selector", "all", "previous", "context", "kubeconfig", "container"})
"""Flags that change what a command acts on: an answer adding one the task did not ask for fails."""


def _say(lang: str, en: str, ko: str) -> str:
    return ko if lang == "ko" else en


def _words(values: Any) -> str:
    if isinstance(values, (list, tuple)):
        return ", ".join(f"`{v}`" for v in values) if values else "—"
    return f"`{values}`"


def _flag_check(name: str, rule: FlagRule, cmd: KubectlCommand, lang: str) -> CheckResult:
    given = cmd.flag(name)
    shown = f"--{name}"
    if rule is True:
        ok = cmd.has_flag(name)
        message = _say(lang, f"{shown} is given" if ok else f"{shown} is missing", f"{shown} 옵션이 있습니다" if ok else f"{shown} 옵션이 빠졌습니다")
    elif rule is False:
        ok = not cmd.has_flag(name)
        message = _say(lang, f"{shown} is not given" if ok else f"{shown} must not be used here", f"{shown} 옵션이 없습니다" if ok else f"여기서는 {shown} 옵션을 쓰면 안 됩니다")
    else:
        accepted = rule if isinstance(rule, list) else [rule]
        ok = given is not None and given in accepted
        if ok:
            message = f"{shown}={given}"
        else:
            found = f"`{given}`" if given is not None else _say(lang, "nothing", "없음")
            message = _say(lang, f"{shown}: expected {_words(accepted)}, found {found}", f"{shown}: 기대한 값은 {_words(accepted)}, 실제로는 {found}")
    return CheckResult(f"flag-{name}", "pass" if ok else "fail", message, shown)


def grade_command(exercise: Exercise, text: str, lang: str = "en") -> GradeReport:
    """Parse the command line and compare what it does with the exercise's `command` spec."""
    spec: CommandSpec = exercise.command  # type: ignore[assignment]
    lines = [line for line in text.strip().splitlines() if line.strip() and not line.strip().startswith("#")]
    max_score = _command_max_score(spec)
    if len(lines) != 1:
        why = _say(lang, "the answer is empty: type one kubectl command", "답이 비어 있습니다: kubectl 명령 한 줄을 입력하세요") if not lines else _say(lang, "type one command on one line", "명령은 한 줄에 하나만 입력하세요")
        return unusable(exercise.id, AnswerError(why), max_score=max_score)
    try:
        cmd = parse_kubectl(lines[0])
    except CommandParseError as err:
        return unusable(exercise.id, AnswerError(str(err), line=1, column=err.column), max_score=max_score)
    results: list[CheckResult] = []

    def compare(check_id: str, ok: bool, good: tuple[str, str], bad: tuple[str, str]) -> None:
        en, ko = good if ok else bad
        results.append(CheckResult(check_id, "pass" if ok else "fail", _say(lang, en, ko)))

    verb = " ".join(filter(None, [cmd.verb, cmd.subverb]))
    want = " ".join(filter(None, [spec.verb, spec.subverb]))
    compare(
        "verb",
        cmd.verb == spec.verb and (spec.subverb is None or cmd.subverb == spec.subverb),
        (f"kubectl {verb}", f"kubectl {verb}"),
        (f"expected `kubectl {want}`, found `kubectl {verb}`", f"`kubectl {want}`이어야 하는데 `kubectl {verb}`입니다"),
    )
    if spec.resource is not None:
        have = cmd.resource or "—"
        compare(
            "resource",
            cmd.resource == spec.resource,
            (f"resource {have}", f"리소스 {have}"),
            (f"expected resource `{spec.resource}`, found `{have}`", f"리소스는 `{spec.resource}`이어야 하는데 `{have}`입니다"),
        )
    if spec.names is not None:
        have = _words(list(cmd.names))
        compare(
            "names",
            sorted(cmd.names) == sorted(spec.names),
            (f"names {have}", f"이름 {have}"),
            (f"expected name(s) {_words(spec.names)}, found {have}", f"이름은 {_words(spec.names)}이어야 하는데 {have}입니다"),
        )
    if spec.namespace is not None:
        have = cmd.namespace or "—"
        compare(
            "namespace",
            cmd.namespace == spec.namespace,
            (f"namespace {have}", f"네임스페이스 {have}"),
            (f"expected namespace `{spec.namespace}` (-n), found `{have}`", f"네임스페이스는 `{spec.namespace}`(-n)이어야 하는데 `{have}`입니다"),
        )
    if spec.assignments is not None:
        have = _words(list(cmd.assignments))
        compare(
            "assignments",
            sorted(cmd.assignments) == sorted(spec.assignments),
            (f"sets {have}", f"설정 {have}"),
            (f"expected {_words(spec.assignments)}, found {have}", f"{_words(spec.assignments)}이어야 하는데 {have}입니다"),
        )
    results.extend(_flag_check(name, rule, cmd, lang) for name, rule in spec.flags.items())
    unexpected = sorted(f for f in cmd.flags if f in MEANINGFUL_FLAGS and f not in spec.flags and f not in spec.harmless_flags and not (f == "namespace" and spec.namespace))
    if unexpected:
        shown = ", ".join(f"--{f}" for f in unexpected)
        compare("extra-flags", False, ("", ""), (f"{shown} changes what the command does here", f"{shown} 옵션은 여기서 명령의 동작을 바꿉니다"))
    if spec.command is not None:
        have = _words(list(cmd.command))
        compare(
            "command",
            list(cmd.command) in spec.command,
            (f"runs {have}", f"실행 명령 {have}"),
            (
                f"after `--` expected {' or '.join(_words(c) for c in spec.command)}, found {have}",
                f"`--` 뒤에는 {' 또는 '.join(_words(c) for c in spec.command)}이(가) 와야 하는데 {have}입니다",
            ),
        )
    if spec.redirect is not None:
        have = cmd.redirect or "—"
        compare(
            "redirect",
            cmd.redirect == spec.redirect,
            (f"output goes to {have}", f"출력이 {have}에 저장됩니다"),
            (
                f"expected the output redirected to `{spec.redirect}` (> {spec.redirect}), found `{have}`",
                f"출력을 `{spec.redirect}`에 저장해야 합니다 (> {spec.redirect}); 실제로는 `{have}`",
            ),
        )
    return GradeReport(exercise.id, tuple(results), max_score=max_score)


def _command_max_score(spec: CommandSpec) -> int:
    optional = [spec.resource, spec.names, spec.namespace, spec.assignments, spec.command, spec.redirect]
    return 1 + sum(1 for part in optional if part is not None) + len(spec.flags)


_NORMALISE = re.compile(r"[\s`'\"]+")


def normalise_short(text: str) -> str:
    return _NORMALISE.sub(" ", text).strip().rstrip(".").strip().casefold()


def grade_quiz(exercise: Exercise, text: str, lang: str = "en") -> GradeReport:
    """A choice (ids such as `b` or `a, c`) or a short answer compared with the accepted ones."""
    quiz: QuizSpec = exercise.quiz  # type: ignore[assignment]
    answer = text.strip()
    if not answer:
        return unusable(exercise.id, AnswerError(_say(lang, "the answer is empty", "답이 비어 있습니다")), max_score=1)
    if quiz.style == "short":
        given = normalise_short(answer)
        try:
            ok = given in {normalise_short(a) for a in quiz.accepted} or any(
                full_match(p, answer, IGNORECASE) for p in quiz.accepted_patterns
            )
        except PatternTimeout as err:
            return GradeReport(exercise.id, (CheckResult("answer", "error", err.say(lang)),), max_score=1)
        shown = show(answer)
        message = _say(lang, "right" if ok else f"{shown} is not the answer", "정답입니다" if ok else f"{shown}은(는) 답이 아닙니다")
        return GradeReport(exercise.id, (CheckResult("answer", "pass" if ok else "fail", message),), max_score=1)
    ids = {o.id.casefold(): o.id for o in quiz.options}
    chosen_raw = [part for part in re.split(r"[\s,;/]+", answer) if part]
    unknown = [part for part in chosen_raw if part.casefold() not in ids]
    if unknown:
        options = ", ".join(o.id for o in quiz.options)
        return unusable(exercise.id, AnswerError(_say(lang, f"unknown option {_words(unknown)}: choose among {options}", f"없는 보기 {_words(unknown)}: {options} 중에서 고르세요")), max_score=1)
    chosen = {ids[part.casefold()] for part in chosen_raw}
    if quiz.style == "single" and len(chosen) != 1:
        return unusable(exercise.id, AnswerError(_say(lang, "choose exactly one option", "보기 하나만 고르세요")), max_score=1)
    right = set(quiz.answer)
    ok = chosen == right
    if ok:
        message = _say(lang, "right", "정답입니다")
    elif quiz.style == "multiple":
        hits = len(chosen & right)
        message = _say(lang, f"{hits} of your {len(chosen)} choice(s) are right, and {len(right)} option(s) are right in all", f"고른 {len(chosen)}개 중 {hits}개가 맞습니다. 정답은 모두 {len(right)}개입니다")
    else:
        option = next(o for o in quiz.options if o.id in chosen)
        message = _say(lang, f"`{option.id}` is not the answer", f"`{option.id}`은(는) 답이 아닙니다") + f": {pick(option.text, lang)}"
    return GradeReport(exercise.id, (CheckResult("answer", "pass" if ok else "fail", message),), max_score=1)
