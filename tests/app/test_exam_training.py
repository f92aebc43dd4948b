"""Training mode, driven by Pilot with a fake wall clock: no clock, hints, a check per task, the solution, resumed as training."""

from __future__ import annotations

import pytest

from app.exam_store import ExamStore
from app.tui.exam_results import ExamResultsScreen
from app.tui.exam_screen import ExamScreen
from exercises.exams import draw_paper, find_exam, load_exams, pack_exercises
from exercises.loader import load_catalog
from tests.app.test_exam_screen import SIZE, Clock, Host


@pytest.fixture(scope="module")
def bundled():
    catalog = load_catalog(user=False)
    exams, _ = load_exams(catalog)
    exam = find_exam(exams, "cka-short")
    return exam, {e.id: e for e in pack_exercises(catalog, exam.pack)}


def _training(bundled, tmp_path, lang="en"):
    exam, exercises = bundled
    clock = Clock()
    store = ExamStore(tmp_path / "exams.sqlite3", clock)
    paper = draw_paper(exam, list(exercises.values()), 4)
    attempt = store.begin(paper, exam.spec.duration_minutes, exam.spec.pass_mark, lang, "training")
    screen = ExamScreen(attempt, exercises, store, title="CKA short", clock=clock, lang=lang)
    return Host(screen), screen, clock, store, attempt


def _text(screen) -> str:
    return str(screen.query_one("#exam-task-text").source)


def _results(screen) -> str:
    results = screen.query_one("#exam-check")
    return "\n".join(str(results.get_option_at_index(i).prompt) for i in range(results.option_count))


async def test_training_hint_check_solution_and_no_clock(bundled, tmp_path):
    _exam, exercises = bundled
    app, screen, clock, store, attempt = _training(bundled, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        header = str(screen.query_one("#exam-clock").render())
        assert "training" in header and "time left" not in header
        task = next(t for t in attempt.paper.tasks if exercises[t.exercise_id].kind == "manifest" and exercises[t.exercise_id].hints)
        exercise = exercises[task.exercise_id]
        await screen._switch(task.number)
        await pilot.pause()
        assert "Hint 1" not in _text(screen)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert "Hint 1" in _text(screen)
        await pilot.press("ctrl+o")  # as in study mode: the solution after a try
        await pilot.pause()
        assert "### Solution" not in _text(screen)
        assert any("Check an answer first" in n.message for n in app._notifications)
        screen.query_one(".exam-editor").load_text(exercise.solution)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = _results(screen)
        assert "Passed" in shown and exercise.checks[0].id in shown  # the verdict at once, with its checks
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "### Solution" in _text(screen) and exercise.solution.splitlines()[0] in _text(screen)
        # another task has its own (empty) check; coming back shows this one's again
        await pilot.press("f7" if task.number < len(attempt.paper.tasks) else "f6")
        await pilot.pause()
        assert screen.current != task.number  # f6/f7 move on from inside the editor too
        assert "Passed" not in _results(screen)
        await screen._switch(task.number)
        await pilot.pause()
        assert "Passed" in _results(screen)
        # no clock: far past the exam's duration nothing is given, nothing times out
        clock.now = attempt.deadline + 3600
        screen._tick()
        await pilot.pause()
        assert screen.alerts_given == [] and not isinstance(app.screen, ExamResultsScreen)
        await pilot.press("f10")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        assert "training" in str(app.screen.query_one("#exam-verdict").render())
    entry = store.history()[-1]
    assert entry.mode == "training" and entry.training


async def test_training_resumes_as_training(bundled, tmp_path):
    _exam, exercises = bundled
    app, screen, clock, store, attempt = _training(bundled, tmp_path, lang="ko")
    attempt.set_answer(1, "kind: Pod\n")
    store.save_task(attempt, 1)
    back = ExamStore(tmp_path / "exams.sqlite3", clock).load(attempt.attempt_id)
    assert back.mode == "training" and back.answers[1] == "kind: Pod\n"
    again = ExamScreen(back, exercises, store, title="CKA short", clock=clock, lang="ko")
    async with Host(again).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "연습 모드" in str(again.query_one("#exam-clock").render())
        assert again.check_action("training_hint", ()) is True


async def test_exam_mode_has_no_hints_checks_or_solutions(bundled, tmp_path):
    exam, exercises = bundled
    clock = Clock()
    store = ExamStore(tmp_path / "exams.sqlite3", clock)
    attempt = store.begin(draw_paper(exam, list(exercises.values()), 4), 30, 66)
    screen = ExamScreen(attempt, exercises, store, clock=clock)
    async with Host(screen).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not any(screen.check_action(a, ()) for a in ("training_hint", "training_check", "training_solution"))
        await pilot.press("ctrl+g", "ctrl+s", "ctrl+o")
        await app_settled(pilot)
        assert screen.hints == {} and screen.reports == {} and screen.solutions == set()
        assert not screen.query_one("#exam-check").display


async def app_settled(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_next_in_the_app_follows_the_last_mock_and_says_why(isolated):
    import os
    from pathlib import Path

    from exercises.exams import Paper, PaperTask
    from tests.app.conftest import loaded, make_app, settle

    exams = ExamStore(Path(os.environ["KUBEDOJO_DATA_DIR"]) / "exams.sqlite3")
    paper = Paper("app/mock", 1, (PaperTask(1, "web-pod", "workloads-scheduling", "core", 2),))
    exams.finish(exams.begin(paper, 30, 66), {"percent": 40.0, "passed": False, "tasks": [],
                                              "domains": [{"domain": "workloads-scheduling", "percent": 40.0},
                                                          {"domain": "troubleshooting", "percent": 90.0}]})
    exams.close()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen.exercise.id == "web-pod"  # the schedule alone opens the first new one, cmd-logs
        assert any(n.message == "weakest in your last mock: Workloads & Scheduling 40%" for n in app._notifications)


async def test_the_palette_offers_exam_and_training_and_starts_in_the_mode_chosen(isolated):
    from app.tui.exam_open import ExamCommands
    from app.tui.main import KubedojoApp
    from tests.app.conftest import loaded, settle

    app = KubedojoApp(lang="en", bundled=True, user=False)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        commands = {name: run for name, run, _help in ExamCommands(app.screen)._commands()}
        assert {"Exam: CKA short mock (30 minutes)", "Training: CKA short mock (30 minutes)"} <= set(commands)
        commands["Training: CKA short mock (30 minutes)"]()
        await settle(app, pilot)
        assert isinstance(app.screen, ExamScreen) and app.screen.attempt.training
        assert "training" in str(app.screen.query_one("#exam-clock").render())
        attempt_id = app.screen.attempt.attempt_id
    store = ExamStore()
    assert store.load(attempt_id).mode == "training"
    store.close()
