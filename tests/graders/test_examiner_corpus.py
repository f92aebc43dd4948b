"""Answers an examiner wrote to bundled exercises without looking at the checks (tests/fixtures/examiner/<exercise>/):
`right-*` answers are correct but written unlike the solution and must pass, `wrong-*` answers are subtly wrong and
must fail; the rest of each file name says what it shows. The truth of each was settled by the API server
(`kubectl apply --dry-run=server`) and by kubectl itself, not by kubedojo."""

from __future__ import annotations

from pathlib import Path

import pytest

from exercises.loader import load_catalog
from graders.grade import grade

ROOT = Path(__file__).parents[1] / "fixtures" / "examiner"
CATALOG = load_catalog(bundled=True, user=False)
BY_ID = {exercise.id: exercise for exercise in CATALOG.exercises()}
ANSWERS = sorted(path for path in ROOT.glob("*/*") if path.suffix in (".yaml", ".sh", ".txt"))  # .txt: a quiz answer


def _why(report) -> str:
    return "; ".join([e.message for e in report.errors] + [f"{r.check_id}: {r.message}" for r in report.results if not r.passed])


def test_the_corpus_is_there():
    assert len(ANSWERS) >= 80
    assert len({path.parent.name for path in ANSWERS}) >= 40
    for path in ANSWERS:
        assert path.parent.name in BY_ID, f"{path.parent.name} is not a bundled exercise"
        assert path.name.startswith(("right-", "wrong-")), path.name


@pytest.mark.parametrize("path", ANSWERS, ids=[f"{p.parent.name}/{p.name}" for p in ANSWERS])
def test_examiner_answer(path: Path):
    exercise = BY_ID[path.parent.name]
    report = grade(exercise, path.read_text(encoding="utf-8"))
    assert report.usable or path.name.startswith("wrong-"), _why(report)
    if path.name.startswith("right-"):
        assert report.passed, _why(report)
    else:
        assert not report.passed, "a wrong answer passes"
