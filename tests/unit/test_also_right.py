"""Every bundled exercise lists right answers written unlike its solution, and each one passes (offline ones here)."""

from __future__ import annotations

import pytest

from exercises.loader import load_catalog
from exercises.model import LANGUAGES, Exercise
from graders.grade import grade

CATALOG = load_catalog(bundled=True, user=False)
EXERCISES: list[Exercise] = CATALOG.exercises()
ALSO_RIGHT = [(ex, i) for ex in EXERCISES if ex.offline for i in range(len(ex.also_right))]


def _why_not(report) -> str:
    return "; ".join([e.message for e in report.errors] + [f"{r.check_id}: {r.message}" for r in report.results if not r.passed])


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.id)
def test_every_exercise_has_two_other_right_answers(exercise: Exercise):
    assert len(exercise.also_right) >= 2
    answers = [a.answer for a in exercise.also_right]
    assert exercise.solution not in answers and exercise.solution.strip() not in answers
    assert len(set(answers)) == len(answers)
    assert all(a.why.strip() for a in exercise.also_right)


@pytest.mark.parametrize(("exercise", "index"), ALSO_RIGHT, ids=[f"{ex.id}#{i + 1}" for ex, i in ALSO_RIGHT])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_also_right_passes(exercise: Exercise, index: int, lang: str):
    report = grade(exercise, exercise.also_right[index].answer, lang)
    assert report.passed, f"{exercise.also_right[index].why}: {_why_not(report)}"


ANSWERS = [(ex, kind, i) for ex in EXERCISES if ex.offline
           for kind, n in (("solution", 1), ("also_right", len(ex.also_right)), ("counterexamples", len(ex.counterexamples))) for i in range(n)]


@pytest.mark.parametrize(("exercise", "kind", "index"), ANSWERS, ids=[f"{ex.id}/{k}#{i + 1}" for ex, k, i in ANSWERS])
def test_no_check_breaks_on_a_bundled_answer(exercise: Exercise, kind: str, index: int):
    answer = exercise.solution if kind == "solution" else getattr(exercise, kind)[index].answer
    report = grade(exercise, answer)
    broken = [f"{r.check_id}: {r.message}" for r in report.results if r.status in ("error", "skip")]
    assert not broken, broken
