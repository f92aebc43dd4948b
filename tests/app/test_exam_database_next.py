"""The home screen and "next" read the exam database in workers: a locked one never freezes them, a damaged one is said."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from app.exam_store import ExamStore
from exercises.exams import Paper, PaperTask
from tests.app.conftest import SIZE, loaded, make_app, settle

STEER = "weakest in your last mock: Workloads & Scheduling 40%"


def _exam_db() -> Path:
    """An exam database whose last mock steers "next" to web-pod (the schedule alone would open cmd-logs)."""
    exams = ExamStore(Path(os.environ["KUBEDOJO_DATA_DIR"]) / "exams.sqlite3")
    paper = Paper("app/mock", 1, (PaperTask(1, "web-pod", "workloads-scheduling", "core", 2),))
    exams.finish(exams.begin(paper, 30, 66), {"percent": 40.0, "passed": False, "tasks": [],
                                              "domains": [{"domain": "workloads-scheduling", "percent": 40.0}]})
    exams.close()
    return exams.path


def _hold(path: Path) -> sqlite3.Connection:
    """Another connection holding the exam database EXCLUSIVE (in WAL mode, this keeps readers out too)."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def _said(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_locked_exam_database_freezes_neither_the_home_screen_nor_next(isolated, monkeypatch):
    import app.study_next

    monkeypatch.setattr(app.study_next, "LOOK_TIMEOUT", 3.0)  # long enough to see the screen answer keys meanwhile
    holder = _hold(_exam_db())
    try:
        kubedojo = make_app()
        async with kubedojo.run_test(size=SIZE) as pilot:
            while not kubedojo.loaded:
                await pilot.pause(0.05)
            home = kubedojo.screen
            await pilot.press("n")
            await pilot.pause()
            assert any(w.group == "next" and not w.is_finished for w in kubedojo.workers), "next waits for the lock in a worker"
            await pilot.press("d")  # meanwhile the home screen still answers keys
            await pilot.pause()
            assert kubedojo.screen is home and home.filters.domain is not None
            await settle(kubedojo, pilot)
            assert kubedojo.screen.exercise.id == "cmd-logs"  # the recommendation still comes: the schedule's, without the mock
            said = _said(kubedojo)
            assert STEER not in said
            assert any("is locked by another program" in m and "follows the study schedule alone" in m for m in said), said
            assert any("cannot tell now whether an exam was left unfinished" in m for m in said), said  # the start-up look
            assert not any("Traceback" in m or "kept in memory" in m for m in said), said
    finally:
        holder.close()


async def test_a_damaged_exam_database_is_said_when_next_reads_it(isolated):
    path = _exam_db()
    kubedojo = make_app()
    async with kubedojo.run_test(size=SIZE) as pilot:
        await loaded(kubedojo, pilot)
        await settle(kubedojo, pilot)  # the start-up look is done with the file before it is spoilt
        path.write_text("these are my notes, not a database\n" * 200, encoding="utf-8")
        for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            side.unlink(missing_ok=True)
        await pilot.press("n")
        await settle(kubedojo, pilot)
        assert kubedojo.screen.exercise.id == "cmd-logs"  # nothing to steer by any more: the schedule's pick
        damaged = [n for n in kubedojo._notifications if "was damaged" in n.message]
        assert len(damaged) == 1 and "moved to" in damaged[0].message and damaged[0].severity == "warning"
        assert not any("Traceback" in m for m in _said(kubedojo))
    assert [p for p in path.parent.iterdir() if ".corrupt-" in p.name], "the damaged file is kept beside a new one"


async def test_a_damaged_exam_database_is_said_when_the_app_starts(isolated):
    path = Path(os.environ["KUBEDOJO_DATA_DIR"]) / "exams.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    kubedojo = make_app()
    async with kubedojo.run_test(size=SIZE) as pilot:
        await loaded(kubedojo, pilot)
        await settle(kubedojo, pilot)
        said = _said(kubedojo)
        assert any("was damaged" in m and "moved to" in m for m in said), said  # before, this notice was dropped
        assert not any("Traceback" in m for m in said)


async def test_the_home_screen_offers_an_unfinished_exam_back_and_the_palette_resumes_it(isolated):
    from app.tui.exam_open import ExamCommands
    from app.tui.exam_screen import ExamScreen
    from app.tui.main import KubedojoApp
    from exercises.exams import draw_paper, find_exam, load_exams, pack_exercises
    from exercises.loader import load_catalog

    catalog = load_catalog(user=False)
    exam = find_exam(load_exams(catalog)[0], "cka-short")
    store = ExamStore()
    attempt = store.begin(draw_paper(exam, pack_exercises(catalog, exam.pack), 5), exam.spec.duration_minutes, exam.spec.pass_mark)
    attempt.answers[2] = "my answer, kept"
    store.save_task(attempt, 2)
    store.close()  # as a killed app leaves it
    kubedojo = KubedojoApp(lang="en", bundled=True, user=False)
    async with kubedojo.run_test(size=SIZE) as pilot:
        await loaded(kubedojo, pilot)
        await settle(kubedojo, pilot)
        assert any(f"An exam was left unfinished ({attempt.attempt_id})" in m for m in _said(kubedojo)), _said(kubedojo)
        commands = {name: run for name, run, _help in ExamCommands(kubedojo.screen)._commands()}
        commands["Resume exam"]()
        await settle(kubedojo, pilot)
        assert isinstance(kubedojo.screen, ExamScreen) and kubedojo.screen.attempt.attempt_id == attempt.attempt_id
        assert kubedojo.screen.attempt.answers[2] == "my answer, kept"
