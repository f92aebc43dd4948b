"""The progress store: the Leitner schedule, transactions, drafts, and what happens to a damaged file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from app.progress import BOX_INTERVALS, DAY, ProgressStore


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path, clock) -> ProgressStore:
    s = ProgressStore(tmp_path / "progress.sqlite3", clock=clock)
    yield s
    s.close()


def attempt(store: ProgressStore, exercise_id: str, passed: bool) -> None:
    store.record_attempt(exercise_id, passed=passed, score=int(passed), max_score=1, answer=f"{exercise_id} {passed}")


def test_an_exercise_never_tried_is_new(store):
    assert store.progress("a").status == "new"
    assert store.progress("a").attempts == 0


def test_a_pass_moves_up_a_box_and_is_due_after_its_interval(store, clock):
    attempt(store, "a", True)
    p = store.progress("a")
    assert (p.status, p.box, p.due_at) == ("passed", 2, clock.now + BOX_INTERVALS[2])
    clock.now += BOX_INTERVALS[2] + 1
    assert store.progress("a").status == "due"
    attempt(store, "a", True)
    assert store.progress("a").box == 3


def test_a_failure_goes_back_to_box_one_and_is_due_at_once(store, clock):
    attempt(store, "a", True)
    attempt(store, "a", True)
    attempt(store, "a", False)
    p = store.progress("a")
    assert (p.status, p.box, p.due_at, p.attempts, p.passes) == ("failed", 1, clock.now, 3, 2)


def test_the_box_stops_at_the_top(store, clock):
    for _ in range(12):
        attempt(store, "a", True)
        clock.now += 100 * DAY
    assert store.progress("a").box == max(BOX_INTERVALS)


def test_next_picks_failed_then_due_then_new(store, clock):
    ids = ["new1", "passed1", "due1", "failed1"]
    attempt(store, "passed1", True)
    attempt(store, "due1", True)
    clock.now += 2 * DAY
    attempt(store, "passed1", True)  # box 3, due in 3 days
    attempt(store, "failed1", False)
    assert store.next_exercise(ids) == "failed1"
    attempt(store, "failed1", True)
    assert store.next_exercise(ids) == "due1"
    attempt(store, "due1", True)
    assert store.next_exercise(ids) == "new1"
    assert store.next_exercise(ids, exclude="new1") in {"failed1", "due1", "passed1"}
    assert store.next_exercise([]) is None


def test_last_answer_and_attempts_are_kept(store):
    store.record_attempt("a", passed=False, score=0, max_score=2, answer="first", mode="offline")
    store.record_attempt("a", passed=True, score=2, max_score=2, answer="second", mode="live")
    assert store.last_answer("a") == "second"
    assert [(x.mode, x.passed, x.answer) for x in store.attempts("a")] == [("offline", False, "first"), ("live", True, "second")]


def test_drafts_are_saved_replaced_and_cleared_by_a_pass(store):
    assert store.draft("a") is None
    store.save_draft("a", "one")
    store.save_draft("a", "two 한국어")
    assert store.draft("a") == "two 한국어"
    attempt(store, "a", False)
    assert store.draft("a") == "two 한국어"
    attempt(store, "a", True)
    assert store.draft("a") is None


def test_a_failed_write_leaves_nothing_half_done_and_the_attempt_waits_in_memory(store, tmp_path):
    attempt(store, "a", True)
    conn = sqlite3.connect(tmp_path / "progress.sqlite3")
    conn.execute("CREATE TRIGGER no_schedule BEFORE UPDATE ON schedule BEGIN SELECT RAISE(ABORT, 'no'); END")
    conn.commit()
    conn.close()
    store.record_attempt("a", passed=False, score=0, max_score=1, answer="x")  # the attempt row goes in, then the schedule refuses
    assert store.unsaved == 1 and any("refuses kubedojo's writes" in n for n in store.notices)
    assert (store.progress("a").status, store.progress("a").attempts) == ("failed", 2)  # shown from memory
    check = sqlite3.connect(tmp_path / "progress.sqlite3")
    assert check.execute("SELECT count(*) FROM attempts").fetchone()[0] == 1  # the half write was rolled back
    check.close()


def test_a_caller_mistake_is_refused_before_anything_is_written(store):
    with pytest.raises(ValueError):
        store.record_attempt("a", passed=True, score=1, max_score=1, answer="x", mode="bogus")  # type: ignore[arg-type]
    assert store.attempts("a") == [] and store.unsaved == 0


def test_progress_survives_reopening(tmp_path, clock):
    path = tmp_path / "p.sqlite3"
    first = ProgressStore(path, clock=clock)
    attempt(first, "a", False)
    first.save_draft("b", "draft")
    first.close()
    second = ProgressStore(path, clock=clock)
    assert second.progress("a").status == "failed"
    assert second.draft("b") == "draft"
    assert second.notices == []
    second.close()


def test_a_corrupt_file_is_moved_aside_not_lost(tmp_path, clock):
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    store = ProgressStore(path, clock=clock)
    assert store.persistent
    assert len(store.notices) == 1 and "moved to" in store.notices[0]
    aside = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not a database")
    attempt(store, "a", True)
    assert store.progress("a").status == "passed"
    store.close()


def test_a_foreign_sqlite_file_is_moved_aside(tmp_path, clock):
    path = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE other (x)")
    conn.commit()
    conn.close()
    store = ProgressStore(path, clock=clock)
    assert "moved to" in store.notices[0]
    store.close()


def test_a_newer_schema_is_left_untouched(tmp_path, clock):
    path = tmp_path / "progress.sqlite3"
    ProgressStore(path, clock=clock).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.commit()
    conn.close()
    store = ProgressStore(path, clock=clock)
    assert not store.persistent
    assert "newer kubedojo" in store.notices[0]
    attempt(store, "a", True)  # still works, in memory
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM attempts").fetchone()[0] == 0
    conn.close()


def test_an_unwritable_place_keeps_progress_in_memory(tmp_path, clock):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = ProgressStore(blocker / "sub" / "progress.sqlite3", clock=clock)
    assert not store.persistent and store.notices
    attempt(store, "a", False)
    assert store.progress("a").status == "failed"


def test_writes_from_threads_do_not_interleave(store):
    import threading

    def work(n: int) -> None:
        for i in range(20):
            store.save_draft(f"d{n}", str(i))
            attempt(store, f"e{n}", i % 2 == 0)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(len(store.attempts(f"e{n}")) == 20 for n in range(4))


@pytest.mark.parametrize("content, said", [
    ("not json at all {", "not JSON"),
    ('{"writes": "none"}', "not a file of unsaved kubedojo writes"),
    ("[" * 100_000 + "]" * 100_000, "not JSON"),
    (None, "not a regular file"),
])
def test_a_hostile_file_of_unsaved_writes_is_said_and_left_alone(tmp_path, clock, content, said):
    import os

    side = tmp_path / "progress.sqlite3.unsaved-20260101-000000-1.json"
    if content is None:
        os.mkfifo(side)
    else:
        side.write_text(content)
    store = ProgressStore(tmp_path / "progress.sqlite3", clock=clock)
    assert any(said in n and "left as it is" in n for n in store.notices), store.notices
    assert side.exists() and store.persistent
    store.close()


def test_the_good_entries_of_a_file_of_unsaved_writes_are_taken_in(tmp_path, clock):
    import json

    side = tmp_path / "progress.sqlite3.unsaved-20260101-000000-1.json"
    good = {"kind": "attempt", "exercise_id": "a", "at": 5.0, "passed": True, "score": 1, "max_score": 1,
            "answer": "x", "mode": "offline"}
    bad = [{"kind": "attempt", "exercise_id": None, "at": 1.0}, {"kind": "drop table"}, 7,
           {**good, "mode": "telepathy"}, {**good, "score": "ten"}, {**good, "at": "noon"}]
    side.write_text(json.dumps({"writes": [good, *bad, {"kind": "draft", "exercise_id": "b", "at": 6.0, "answer": "d"}]}))
    store = ProgressStore(tmp_path / "progress.sqlite3", clock=clock)
    assert [a.answer for a in store.attempts("a")] == ["x"] and store.draft("b") == "d"
    assert any("6 entries are not kubedojo writes" in n for n in store.notices), store.notices
    assert not side.exists()
    store.close()


def test_progress_module_does_not_import_textual():
    code = "import sys, app.progress, app.stats_cli; print([m for m in sys.modules if m.startswith('textual')])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
