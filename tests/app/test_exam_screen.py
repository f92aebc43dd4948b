"""The exam screen driven by Pilot with a fake wall clock: start, answer, flag, jump, alerts, time out, results, review."""

from __future__ import annotations

import pytest
from textual.app import App

from app.exam_store import ExamStore
from app.tui.exam_results import ExamResultsScreen, ExamReviewScreen, answer_diff, sparkline
from app.tui.exam_screen import ExamScreen
from exercises.exams import draw_paper, find_exam, load_exams, pack_exercises
from exercises.loader import load_catalog

SIZE = (120, 40)


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


class Host(App[None]):
    """Just the exam screen, as the app pushes it."""

    def __init__(self, screen: ExamScreen) -> None:
        super().__init__()
        self.exam_screen = screen

    def on_mount(self) -> None:
        self.push_screen(self.exam_screen)


@pytest.fixture(scope="module")
def bundled():
    catalog = load_catalog(user=False)
    exams, _ = load_exams(catalog)
    exam = find_exam(exams, "cka-short")
    exercises = {e.id: e for e in pack_exercises(catalog, exam.pack)}
    return exam, exercises


def _start(bundled, tmp_path, lang="en", seed=4):
    exam, exercises = bundled
    clock = Clock()
    store = ExamStore(tmp_path / "exams.sqlite3", clock)
    paper = draw_paper(exam, list(exercises.values()), seed)
    attempt = store.begin(paper, exam.spec.duration_minutes, exam.spec.pass_mark, lang)
    screen = ExamScreen(attempt, exercises, store, title="CKA short", clock=clock, lang=lang)
    return Host(screen), screen, clock, store, attempt


def _first(attempt, exercises, kind):
    return next(t for t in attempt.paper.tasks if exercises[t.exercise_id].kind == kind)


async def test_a_whole_exam_answer_flag_jump_time_out_results_review(bundled, tmp_path):
    _exam, exercises = bundled
    app, screen, clock, store, attempt = _start(bundled, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "30:00" in str(screen.query_one("#exam-clock").render())
        manifest = _first(attempt, exercises, "manifest")
        await screen._switch(manifest.number)
        await pilot.pause()
        editor = screen.query_one(".exam-editor")
        editor.load_text(exercises[manifest.exercise_id].solution)
        await pilot.pause()
        assert attempt.answers[manifest.number] == exercises[manifest.exercise_id].solution
        await pilot.press("f5")
        assert attempt.flags == {manifest.number}
        await pilot.press("f8")
        await pilot.pause()
        for ch in "2":
            await pilot.press(ch)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current == 2
        clock.now += 60
        await pilot.press("f7")
        assert screen.current == 3 and attempt.seconds[2] == 60
        # the stored attempt has every answer and flag: what a killed app leaves behind
        back = ExamStore(tmp_path / "exams.sqlite3", clock).load(attempt.attempt_id)
        assert back.answers[manifest.number] == attempt.answers[manifest.number] and back.flags == {manifest.number}
        # the alerts, read off the wall clock
        clock.now = attempt.deadline - 16 * 60
        screen._tick()
        clock.now = attempt.deadline - 4 * 60
        screen._tick()
        assert screen.alerts_given == [15, 5]  # a 30-minute exam starts at 30:00: no "30 minutes left" alert
        assert not isinstance(app.screen, ExamResultsScreen), "no verdict before the end"
        clock.now = attempt.deadline + 1
        screen._tick()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        assert results.result.tasks[manifest.number - 1].full
        assert not results.result.tasks[1].answered
        assert "FAIL" in str(results.query_one("#exam-verdict").render())
        assert store.unfinished() == [] and len(store.history()) == 1
        results.query_one("#exam-tasks").focus()
        results.query_one("#exam-tasks").highlighted = manifest.number - 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamReviewScreen)
        assert app.screen.score.number == manifest.number
        review = str(app.screen.query_one("#exam-review").source)
        assert "Solution" in review and exercises[manifest.exercise_id].checks[0].id in review


async def test_korean_exam_screen_and_a_wrong_jump(bundled, tmp_path):
    app, screen, clock, store, attempt = _start(bundled, tmp_path, lang="ko")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "남음" in str(screen.query_one("#exam-clock").render())
        await pilot.press("f8", "9", "9", "enter")
        await pilot.pause()
        assert screen.current == 1
        await pilot.press("f10")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        assert "불합격" in str(app.screen.query_one("#exam-verdict").render())


def test_diff_and_sparkline():
    assert "-image: nginx" in answer_diff("image: nginx\n", "image: nginx:1.27\n")
    assert sparkline([0, 50, 100]) == "▁▅█"


async def test_the_full_mock_alerts_at_30_15_and_5_minutes_once_each_by_the_wall_clock(tmp_path):
    catalog = load_catalog(user=False)
    exams, _ = load_exams(catalog)
    exam = find_exam(exams, "cka-mock")
    exercises = {e.id: e for e in pack_exercises(catalog, exam.pack)}
    clock = Clock()
    store = ExamStore(tmp_path / "exams.sqlite3", clock)
    attempt = store.begin(draw_paper(exam, list(exercises.values()), 2), exam.spec.duration_minutes, exam.spec.pass_mark)
    screen = ExamScreen(attempt, exercises, store, title="CKA", clock=clock)
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "time left 120:00" in str(screen.query_one("#exam-clock").render())
        for left in (31, 29.5, 29, 14, 13, 4.5, 4):  # the app asleep between ticks: each mark crossed is said once
            clock.now = attempt.deadline - left * 60
            screen._tick()
        assert screen.alerts_given == [30, 15, 5]
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert [m for m in said if m.endswith("minutes left")] == ["30 minutes left", "15 minutes left", "5 minutes left"]
        assert not isinstance(app.screen, ExamResultsScreen)
    store.close()
