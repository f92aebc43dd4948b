"""The exam core (definitions, draw, attempt, grading, storage, exports) never imports Textual or the kubernetes client."""

import json
import subprocess
import sys

PROBE = """
import json, sys
import exercises.exams, exercises.exam_attempt, exercises.exam_lint, graders.exam_grade, app.exam_store, app.exam_export
from exercises.exams import draw_paper, find_exam, load_exams, pack_exercises
from exercises.loader import load_catalog
from graders.exam_grade import grade_paper
from app.exam_export import render
catalog = load_catalog(user=False)
exam = find_exam(load_exams(catalog)[0], "cka-mock")
exercises = {e.id: e for e in pack_exercises(catalog, exam.pack)}
paper = draw_paper(exam, list(exercises.values()), 1)
result = grade_paper(paper, exercises, {t.number: exercises[t.exercise_id].solution for t in paper.tasks}, pass_mark=66)
for fmt in ("text", "json", "junit", "markdown"):
    render(result, fmt)
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'kubernetes'))))
"""


def test_exam_core_never_imports_textual_or_the_kubernetes_client():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=600)
    assert json.loads(out.stdout) == []
