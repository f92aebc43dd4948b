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


V1_SCHEMA = """
CREATE TABLE exam_schema (version INTEGER NOT NULL);
CREATE TABLE exam_attempts (
    id TEXT PRIMARY KEY, exam TEXT NOT NULL, paper TEXT NOT NULL, started_at REAL NOT NULL, deadline REAL NOT NULL,
    pass_mark INTEGER NOT NULL, lang TEXT NOT NULL, finished_at REAL, result TEXT, percent REAL, passed INTEGER
);
CREATE TABLE exam_tasks (
    attempt_id TEXT NOT NULL, number INTEGER NOT NULL, answer TEXT NOT NULL, flagged INTEGER NOT NULL,
    seconds REAL NOT NULL, saved_at REAL NOT NULL, PRIMARY KEY (attempt_id, number)
);
INSERT INTO exam_schema VALUES (1);
"""


def test_a_version_1_database_opens_and_its_attempts_read_as_exam_mode(tmp_path):
    import json

    path = tmp_path / "exams.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(V1_SCHEMA)
    paper = json.dumps(PAPER.to_json())
    result = json.dumps({"percent": 40.0, "passed": False, "domains": [{"domain": "storage", "percent": 40.0}], "tasks": []})
    old.execute("INSERT INTO exam_attempts VALUES ('old-done', 'cka-core/cka-mock', ?, 100.0, 7300.0, 66, 'en', 7000.0, ?, 40.0, 0)",
                (paper, result))
    old.execute("INSERT INTO exam_attempts (id, exam, paper, started_at, deadline, pass_mark, lang) "
                "VALUES ('old-open', 'cka-core/cka-mock', ?, 200.0, 7400.0, 66, 'ko')", (paper,))
    old.execute("INSERT INTO exam_tasks VALUES ('old-open', 2, 'kind: Pod', 1, 12.0, 300.0)")
    old.commit()
    old.close()
    store = ExamStore(path, Clock(1000.0))
    assert store.notices == []
    assert [(h.attempt_id, h.mode, h.training) for h in store.history()] == [("old-done", "exam", False)]
    back = store.load("old-open")
    assert back.mode == "exam" and back.clock_started and back.answers == {2: "kind: Pod"} and back.flags == {2}
    assert back.remaining(1000.0) == 6400.0 and back.setup == {}
    new = store.begin(PAPER, 30, 66, mode="training")  # the migrated file takes the new columns
    store.close()
    again = ExamStore(path, Clock(1000.0))
    assert again.load(new.attempt_id).mode == "training"
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT max(version) FROM exam_schema").fetchone()[0] == 2
    assert {r[1] for r in conn.execute("PRAGMA table_info(exam_attempts)")} >= {"mode", "clock_started"}
    conn.close()


def test_the_clock_starts_after_setup_and_training_is_not_a_mock(tmp_path):
    from exercises.exam_attempt import SetupState

    clock = Clock()
    store = ExamStore(tmp_path / "exams.sqlite3", clock)
    attempt = store.begin(PAPER, 30, 66, start_clock=False)
    clock.now += 500  # the setup
    assert not attempt.timed_out(clock.now + 10_000) and attempt.remaining(clock.now) == 1800
    store.save_setup(attempt, 1, SetupState(False, "no cluster"))
    store.start_clock(attempt)
    back = ExamStore(tmp_path / "exams.sqlite3", clock).load(attempt.attempt_id)
    assert back.clock_started and back.deadline == clock.now + 1800 and back.setup == {1: SetupState(False, "no cluster")}
    store.finish(attempt, {"percent": 60.0, "passed": False, "domains": [{"domain": "storage", "percent": 60.0}], "tasks": []})
    training = store.begin(PAPER, 30, 66, mode="training")
    clock.now += 60
    store.finish(training, {"percent": 10.0, "passed": False, "domains": [{"domain": "storage", "percent": 10.0}], "tasks": []})
    assert store.last_mock().attempt_id == attempt.attempt_id  # the later training attempt is not a mock's score
    assert store.last_mock(now=clock.now + 31 * 86400) is None  # an old mock does not steer
