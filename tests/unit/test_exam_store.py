"""Exam attempts in SQLite: every answer and flag kept, the deadline from the wall clock, a locked file loses nothing."""

from __future__ import annotations

import sqlite3

from app.exam_store import ExamStore
from exercises.exam_attempt import alerts_crossed
from exercises.exams import Paper, PaperTask

PAPER = Paper("cka-core/cka-mock", 42, tuple(PaperTask(n, f"ex-{n}", "storage", "core", 2) for n in range(1, 6)))


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_answers_flags_and_deadline_survive_a_reopen(tmp_path):
    clock = Clock()
    store = ExamStore(tmp_path / "exams.sqlite3", clock)
    attempt = store.begin(PAPER, 120, 66)
    attempt.set_answer(2, "kind: Pod")
    attempt.toggle_flag(3)
    attempt.spend(2, 61.5)
    store.save_task(attempt, 2)
    store.save_task(attempt, 3)
    # no close: a killed process closes nothing
    clock.now += 1800
    again = ExamStore(tmp_path / "exams.sqlite3", clock)
    assert again.unfinished() == [attempt.attempt_id]
    back = again.load(attempt.attempt_id)
    assert back.answers[2] == "kind: Pod" and back.flags == {3} and back.seconds[2] == 61.5
    assert back.remaining(clock()) == 90 * 60
    assert back.paper == PAPER
    again.finish(back, {"percent": 50.0, "passed": False, "tasks": []})
    assert again.unfinished() == []
    assert [h.percent for h in again.history()] == [50.0]


def test_a_locked_file_keeps_writes_in_memory_and_saves_them_later(tmp_path):
    path = tmp_path / "exams.sqlite3"
    store = ExamStore(path, Clock())
    attempt = store.begin(PAPER, 30, 66)
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    import app.exam_store as module

    module.BUSY_TIMEOUT, saved = 0.1, module.BUSY_TIMEOUT
    try:
        store._conn.execute("PRAGMA busy_timeout = 100")
        attempt.set_answer(1, "a")
        store.save_task(attempt, 1)
        assert store.state != "saved" and any("kept in memory" in n for n in store.notices)
        assert store.load(attempt.attempt_id).answers == {1: "a"}
        locker.execute("ROLLBACK")
        attempt.set_answer(4, "b")
        store.save_task(attempt, 4)
    finally:
        module.BUSY_TIMEOUT = saved
        locker.close()
    assert store.state == "saved"
    assert ExamStore(path, Clock()).load(attempt.attempt_id).answers == {1: "a", 4: "b"}


def test_a_file_that_is_not_an_exam_database_is_moved_aside_not_lost(tmp_path):
    path = tmp_path / "exams.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    store = ExamStore(path, Clock())
    assert any("moved to" in n for n in store.notices)
    assert store.begin(PAPER, 30, 66).attempt_id in store.unfinished()
    assert len(list(tmp_path.glob("exams.sqlite3.corrupt-*"))) == 1


def test_alerts_at_30_15_and_5_minutes_even_when_a_reading_skips_one():
    assert alerts_crossed(31 * 60, 29 * 60) == [30]
    assert alerts_crossed(30 * 60 + 1, 30 * 60) == [30]
    assert alerts_crossed(16 * 60, 4 * 60) == [15, 5]
    assert alerts_crossed(29 * 60, 28 * 60) == []
