"""Grading the answers that are not manifests: a kubectl command line, a quiz choice or short answer."""

from __future__ import annotations

import re
from typing import Any

from exercises.model import Exercise, QuizSpec, pick
from graders.matchers import show
from graders.patterns import IGNORECASE, PatternTimeout, full_match
from graders.report import AnswerError, CheckResult, GradeReport, unusable
from graders.subject import local


from graders.messages import say as _say  # noqa: E402


def _words(values: Any) -> str:
    if isinstance(values, (list, tuple)):
        return ", ".join(f"`{v}`" for v in values) if values else "—"
    return f"`{values}`"


def grade_command(exercise: Exercise, text: str, lang: str = "en") -> GradeReport:
    """Grade a kubectl command line: by its effect on the exercise's objects, or by what it says (kubectl_grade)."""
    from graders.kubectl_grade import grade_command as grade

    return grade(exercise, text, lang)


_NORMALISE = re.compile(r"[\s`'\"]+")


def normalise_short(text: str) -> str:
    return _NORMALISE.sub(" ", text).strip().rstrip(".").strip().casefold()


_MARKS = "().:`'\""
"""What people write around an option's id: `(b)`, `b)`, `b.` (a YAML list `[a, b]` stays unreadable: it is not an answer)."""
_JOINERS = frozenset({"and", "그리고", "및"})
"""Words between ids that only join them: `a and c`, `a 및 c`."""


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
    chosen_raw = [part for part in (p.strip(_MARKS) for p in re.split(r"[\s,;/&+]+", answer)) if part and part.casefold() not in _JOINERS]
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
        message = _say(lang, f"`{option.id}` is not the answer", f"`{option.id}`은(는) 답이 아닙니다") + (": " + local(option.text, lang))
    return GradeReport(exercise.id, (CheckResult("answer", "pass" if ok else "fail", message),), max_score=1)
