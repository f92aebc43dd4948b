"""Exam scoring: points per task, partial credit by check points, live tasks side by side, per-domain breakdown."""

from __future__ import annotations

import threading

from exercises.exams import Paper, PaperTask, draw_paper, find_exam, load_exams, pack_exercises
from exercises.loader import load_catalog
from exercises.model import Exercise
from graders import exam_grade
from graders.exam_grade import ExamResult, grade_paper, live_deadline
from graders.report import CheckResult, GradeReport

POD = {"id": "pod-two-checks", "kind": "manifest", "title": {"en": "t", "ko": "t"}, "task": {"en": "t", "ko": "t"},
       "domain": "workloads-scheduling", "solution": "x", "target": {"kind": "Pod", "name": "web"},
       "checks": [{"id": "image", "type": "field", "path": ".spec.containers[?(@.name==\"web\")].image", "expect": {"equals": "nginx:1.27"}, "points": 3},
                  {"id": "label", "type": "field", "path": ".metadata.labels.app", "expect": {"equals": "web"}}],
       "live": {"mode": "optional"}}
ANSWER = """apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: %s}}
spec:
  containers: [{name: web, image: nginx:1.27}]
"""


def _paper(*tasks: PaperTask) -> Paper:
    return Paper("test/exam", 1, tasks)


def test_partial_credit_is_the_share_of_check_points_that_pass():
    exercise = Exercise.model_validate(POD)
    paper = _paper(PaperTask(1, exercise.id, exercise.domain, "core", 8))
    half = grade_paper(paper, {exercise.id: exercise}, {1: ANSWER % "other"}, pass_mark=66)
    assert half.tasks[0].earned == 8 * 3 / 4
    assert [(c.check_id, c.earned) for c in half.tasks[0].checks] == [("image", 3), ("label", 0)]
    full = grade_paper(paper, {exercise.id: exercise}, {1: ANSWER % "web"}, pass_mark=66)
    assert full.tasks[0].earned == 8 and full.passed
    broken = grade_paper(paper, {exercise.id: exercise}, {1: "kind: [unclosed"}, pass_mark=66)
    assert broken.tasks[0].earned == 0 and broken.tasks[0].errors and not broken.passed
    empty = grade_paper(paper, {exercise.id: exercise}, {}, pass_mark=66)
    assert empty.tasks[0].earned == 0 and not empty.tasks[0].answered


def test_the_bundled_mock_scores_its_solutions_full_and_blanks_zero():
    catalog = load_catalog(user=False)
    exams, _ = load_exams(catalog)
    exam = find_exam(exams, "cka-mock")
    exercises = {e.id: e for e in pack_exercises(catalog, exam.pack)}
    paper = draw_paper(exam, list(exercises.values()), 7)
    solutions = {t.number: exercises[t.exercise_id].solution for t in paper.tasks}
    seen = []
    result = grade_paper(paper, exercises, solutions, pass_mark=exam.spec.pass_mark, progress=lambda d, n: seen.append((d, n)))
    assert result.percent == 100 and result.passed and result.possible == paper.total_points
    assert seen[-1] == (17, 17)
    blank = grade_paper(paper, exercises, {}, pass_mark=66)
    assert blank.earned == 0 and not blank.passed
    wrong_first = dict(solutions)
    first = paper.tasks[0]
    wrong_first.pop(first.number)
    result = grade_paper(paper, exercises, wrong_first, pass_mark=66)
    weakest = result.weakest_first()[0]
    assert weakest.domain == first.domain and weakest.percent < 100
    assert ExamResult.from_json(result.to_json()).to_json() == result.to_json()


def test_live_tasks_are_graded_side_by_side_by_the_live_grader():
    exercise = Exercise.model_validate(POD)
    tasks = tuple(PaperTask(n, exercise.id, exercise.domain, "core", 2, live=True) for n in range(1, 13))
    barrier = threading.Barrier(12, timeout=30)  # only a hang trips it: all twelve graders must run at once

    def live(ex: Exercise, deadline: threading.Event) -> GradeReport:
        barrier.wait()
        return GradeReport(ex.id, (CheckResult("image", "pass", "ok"), CheckResult("label", "fail", "no")), mode="live")

    result = grade_paper(_paper(*tasks), {exercise.id: exercise}, {}, pass_mark=50, live=live)
    assert [t.earned for t in result.tasks] == [1.5] * 12
    assert result.passed


def test_a_live_grader_that_raises_costs_its_task_only():
    exercise = Exercise.model_validate(POD)
    tasks = (PaperTask(1, exercise.id, exercise.domain, "core", 2, live=True), PaperTask(2, exercise.id, exercise.domain, "core", 2))

    def live(ex: Exercise, deadline: threading.Event) -> GradeReport:
        raise ConnectionError("connection refused")

    result = grade_paper(_paper(*tasks), {exercise.id: exercise}, {2: ANSWER % "web"}, pass_mark=50, live=live)
    assert result.tasks[0].earned == 0 and "connection refused" in result.tasks[0].errors[0]
    assert result.tasks[1].earned == 2
    no_cluster = grade_paper(_paper(*tasks), {exercise.id: exercise}, {}, pass_mark=50)
    assert no_cluster.tasks[0].errors and no_cluster.tasks[0].earned == 0


def test_at_the_deadline_the_live_graders_stop_waiting_and_hand_in_what_they_saw():
    exercise = Exercise.model_validate(POD)
    tasks = (PaperTask(1, exercise.id, exercise.domain, "core", 2, live=True), PaperTask(2, exercise.id, exercise.domain, "core", 2, live=True))
    told = []

    def live(ex: Exercise, deadline: threading.Event) -> GradeReport:
        told.append(deadline.wait(60))  # a check still waiting for a pod: only the deadline ends it here
        return GradeReport(ex.id, (CheckResult("image", "pass", "ok"), CheckResult("label", "fail", "not Ready after 0.2 s")), mode="live")

    result = grade_paper(_paper(*tasks), {exercise.id: exercise}, {}, pass_mark=50, live=live, deadline=0.2)
    assert told == [True, True]
    assert [t.earned for t in result.tasks] == [1.5, 1.5] and not any(t.errors for t in result.tasks)


def test_a_live_grader_that_ignores_the_deadline_costs_its_task_only(monkeypatch):
    monkeypatch.setattr(exam_grade, "STOP_GRACE", 0.2)
    exercise = Exercise.model_validate(POD)
    tasks = (PaperTask(1, exercise.id, exercise.domain, "core", 2, live=True), PaperTask(2, exercise.id, exercise.domain, "core", 2, live=True),
             PaperTask(3, exercise.id, exercise.domain, "core", 2))
    hung = threading.Event()

    def live(ex: Exercise, deadline: threading.Event) -> GradeReport:
        if threading.current_thread().name.endswith("_0"):
            hung.wait(60)  # a cluster that never answers, deaf to the deadline
        return GradeReport(ex.id, (CheckResult("image", "pass", "ok"), CheckResult("label", "pass", "ok")), mode="live")

    try:
        result = grade_paper(_paper(*tasks), {exercise.id: exercise}, {3: ANSWER % "web"}, pass_mark=50, live=live, deadline=0.1)
    finally:
        hung.set()
    stuck = [t for t in result.tasks if t.errors]
    assert len(stuck) == 1 and stuck[0].earned == 0 and "grading deadline (0 s)" in stuck[0].errors[0]
    assert sorted(t.earned for t in result.tasks) == [0, 2, 2]


def test_the_deadline_is_the_longest_live_check_timeout_and_some_grace():
    catalog = load_catalog(user=False)
    typo = catalog.get("trouble-image-typo")
    paper = _paper(PaperTask(1, typo.id, typo.domain, "core", 2, live=True))
    assert live_deadline(paper, {typo.id: typo}) == 90 + exam_grade.DEADLINE_GRACE
    assert live_deadline(_paper(PaperTask(1, typo.id, typo.domain, "core", 2)), {typo.id: typo}) == exam_grade.DEADLINE_GRACE
