"""Snapshots of the exam screen, its results and the history, at 120x40, in English and Korean (fake clock, fixed seed)."""

from __future__ import annotations

import pytest
from textual.app import App

from app.exam_store import ExamStore, HistoryEntry
from app.tui.exam_results import ExamHistoryScreen
from app.tui.exam_screen import ExamScreen
from exercises.exams import draw_paper, find_exam, load_exams, pack_exercises
from exercises.loader import load_catalog
from tests.app.conftest import SIZE
from tests.app.test_exam_screen import Clock, Host


def _bundled():
    catalog = load_catalog(user=False)
    exam = find_exam(load_exams(catalog)[0], "cka-short")
    return exam, {e.id: e for e in pack_exercises(catalog, exam.pack)}


def _exam_app(tmp_path, lang: str) -> tuple[Host, ExamScreen, Clock]:
    exam, exercises = _bundled()
    clock = Clock()
    store = ExamStore(tmp_path / "exams.sqlite3", clock)
    paper = draw_paper(exam, list(exercises.values()), 4)
    attempt = store.begin(paper, exam.spec.duration_minutes, exam.spec.pass_mark, lang)
    attempt.set_answer(2, exercises[paper.tasks[1].exercise_id].solution)
    attempt.toggle_flag(3)
    clock.now += 7 * 60 + 12
    screen = ExamScreen(attempt, exercises, store, title="CKA short", clock=clock, lang=lang)
    return Host(screen), screen, clock


async def _still(pilot) -> None:
    from textual.widgets import Input, TextArea

    await pilot.pause()
    for widget in pilot.app.screen.query(TextArea).results():
        widget.cursor_blink = False
    for widget in pilot.app.screen.query(Input).results():
        widget.cursor_blink = False
    pilot.app.screen.set_focus(None)
    await pilot.pause()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_exam_screen(snap_compare, tmp_path, lang):
    app, _screen, _clock = _exam_app(tmp_path, lang)
    assert snap_compare(app, terminal_size=SIZE, run_before=_still)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_exam_results(snap_compare, tmp_path, lang):
    app, screen, _clock = _exam_app(tmp_path, lang)

    async def finished(pilot) -> None:
        await pilot.pause()
        await pilot.press("f10")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        await _still(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=finished)


class HistoryHost(App[None]):
    def __init__(self, entries, lang: str) -> None:
        super().__init__()
        self.entries, self.lang = entries, lang

    def on_mount(self) -> None:
        self.push_screen(ExamHistoryScreen(self.entries, lang=self.lang))


def _entry(n: int, percent: float, domains: dict[str, float]) -> HistoryEntry:
    result = {"percent": percent, "domains": [{"domain": d, "percent": p} for d, p in domains.items()]}
    return HistoryEntry(f"attempt-{n}", "cka-core/cka-mock", 1_800_000_000.0 + n * 86400, 1_800_007_200.0 + n * 86400,
                        percent, percent >= 66, result)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_exam_history(snap_compare, lang):
    entries = [_entry(1, 41.0, {"troubleshooting": 20, "storage": 75, "services-networking": 50}),
               _entry(2, 58.5, {"troubleshooting": 45, "storage": 80, "services-networking": 60}),
               _entry(3, 71.2, {"troubleshooting": 62, "storage": 100, "services-networking": 70})]
    assert snap_compare(HistoryHost(entries, lang), terminal_size=SIZE, run_before=_still)


def _training_app(tmp_path, lang: str) -> Host:
    exam, exercises = _bundled()
    clock = Clock()
    store = ExamStore(tmp_path / "exams.sqlite3", clock)
    paper = draw_paper(exam, list(exercises.values()), 4)
    attempt = store.begin(paper, exam.spec.duration_minutes, exam.spec.pass_mark, lang, "training")
    attempt.set_answer(1, exercises[paper.tasks[0].exercise_id].solution)
    attempt.toggle_flag(3)
    clock.now += 7 * 60 + 12
    return Host(ExamScreen(attempt, exercises, store, title="CKA short", clock=clock, lang=lang))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_exam_training(snap_compare, tmp_path, lang):
    async def hint_and_check(pilot) -> None:
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await _still(pilot)

    assert snap_compare(_training_app(tmp_path, lang), terminal_size=SIZE, run_before=hint_and_check)
