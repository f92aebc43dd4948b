"""A progress database locked by another process: nothing moved aside, every attempt still there once it is free."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.progress import ProgressStore
from tests.app.conftest import PACK, SIZE, make_app, settle
from tests.app.test_flows import RIGHT, open_exercise, results_text

ROOT = Path(__file__).resolve().parents[2]
HANG_BOUND = 60  # seconds; only a hang trips it
HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "readers-too":
    conn.execute("PRAGMA locking_mode=EXCLUSIVE")  # in WAL mode, this is what keeps readers out
conn.execute("BEGIN EXCLUSIVE")
conn.execute("INSERT INTO attempts (exercise_id, at, mode, passed, score, max_score, answer) "
             "VALUES ('cmd-logs', 1.0, 'offline', 1, 1, 1, 'written by the lock holder')")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
conn.close()
print("released", flush=True)
"""


class Holder:
    """Another process holding an exclusive transaction on the database until `release`."""

    def __init__(self, db: Path, mode: str) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), mode], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline().strip() == "released"
        self.process.wait(timeout=HANG_BOUND)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def kubedojo(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=HANG_BOUND)


def seeded(data: Path) -> Path:
    store = ProgressStore()
    store.record_attempt("web-pod", passed=False, score=1, max_score=2, answer="first try")
    store.record_attempt("cmd-logs", passed=False, score=0, max_score=1, answer="k logs")
    store.close()
    return data / "progress.sqlite3"


def answers_in(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return sorted(row[0] for row in conn.execute("SELECT answer FROM attempts"))
    finally:
        conn.close()


def nothing_moved_aside(data: Path) -> bool:
    return not [p for p in data.iterdir() if ".corrupt-" in p.name]


@pytest.fixture
def quick(monkeypatch):
    """Wait 1 s for a lock instead of 5, and retry saving every 0.2 s: the same code, a shorter test."""
    import app.progress
    import app.tui.main

    monkeypatch.setattr(app.progress, "BUSY_TIMEOUT", 1.0)
    monkeypatch.setattr(app.tui.main, "RETRY_SECONDS", 0.2)


async def wait_until_saved(app, pilot) -> None:
    deadline = time.monotonic() + HANG_BOUND
    while app.store.state != "saved" or app.store.unsaved:
        assert time.monotonic() < deadline, "the waiting attempts were never saved"
        await pilot.pause(0.1)
    await settle(app, pilot)


@pytest.mark.parametrize("mode", ["writers", "readers-too"])
async def test_a_locked_database_is_waited_for_and_nothing_is_lost(isolated, quick, mode):
    data = isolated / "data"
    db = seeded(data)
    holder = Holder(db, mode)
    try:
        stats = kubedojo("stats", "--json", "--pack", str(PACK))
        assert "Traceback" not in stats.stderr and "damaged" not in stats.stderr, stats.stderr
        if mode == "writers":  # WAL: reading goes on while another process writes
            assert stats.returncode == 0, stats.stderr
            assert sum(r["attempts"] for r in json.loads(stats.stdout)["domains"]) == 2
        else:  # it waited, then said so, and changed nothing
            assert stats.returncode == 1 and "locked by another program" in stats.stderr, stats.stderr
            assert "cannot be read now" in json.loads(stats.stdout)["error"]
        answer = isolated / "web.yaml"
        answer.write_text(RIGHT)
        check = kubedojo("check", "web-pod", "--file", str(answer), "--pack", str(PACK), "--json")
        assert check.returncode == 0 and json.loads(check.stdout)["passed"], check.stderr  # grading never waits for it
        assert nothing_moved_aside(data)

        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_exercise(app, pilot, "web-pod")
            screen.answer.load_text(RIGHT)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert "Passed" in results_text(screen)  # the verdict is shown and kept, in memory for now
            assert app.store.state == "busy" and app.store.unsaved >= 1
            assert app.store.progress("web-pod").status == "passed"
            said = [n.message for n in app._notifications]
            assert any("locked by another program" in m and "saved as soon as it is free" in m for m in said), said
            assert not any("damaged" in m for m in said)
            assert nothing_moved_aside(data)
            holder.release()
            await wait_until_saved(app, pilot)
            assert any("can be written again" in n.message for n in app._notifications)
            assert app.store.progress("web-pod").status == "passed"
        app.store.close()
    finally:
        holder.stop()
    assert nothing_moved_aside(data)
    after = kubedojo("stats", "--json", "--pack", str(PACK))  # the next start takes in what a locked-out process kept beside
    assert after.returncode == 0, after.stderr
    # Two seeded, the lock holder's, the CLI check's and the app's: none lost, whichever process wrote it when.
    assert answers_in(db) == sorted(["first try", "k logs", "written by the lock holder", RIGHT, RIGHT])
    rows = {r["domain"]: r for r in json.loads(after.stdout)["domains"]}
    assert rows["workloads-scheduling"]["passed"] == 1 and sum(r["attempts"] for r in rows.values()) == 5


def test_attempts_still_locked_out_at_close_are_kept_beside_and_taken_in_later(isolated, quick):
    data = isolated / "data"
    db = seeded(data)
    holder = Holder(db, "writers")
    try:
        store = ProgressStore()
        store.record_attempt("web-pod", passed=True, score=2, max_score=2, answer="while it was locked")
        assert store.unsaved == 1 and store.progress("web-pod").status == "passed"
        store.close()  # still locked: it waits once more, then keeps the attempt beside the file
        kept = [p for p in data.iterdir() if ".unsaved-" in p.name]
        assert len(kept) == 1 and any(str(kept[0]) in n for n in store.notices), store.notices
        holder.release()
    finally:
        holder.stop()
    assert nothing_moved_aside(data)
    stats = kubedojo("stats", "--json", "--pack", str(PACK))  # the next start takes it in
    assert stats.returncode == 0 and "an earlier session could not save" in stats.stderr, stats.stderr
    assert answers_in(db) == sorted(["first try", "k logs", "written by the lock holder", "while it was locked"])
    assert not [p for p in data.iterdir() if ".unsaved-" in p.name]
    again = ProgressStore()
    assert again.progress("web-pod").status == "passed" and again.notices == []
    again.close()


def test_copying_a_file_locked_against_readers_gives_up_instead_of_waiting_forever(isolated):
    from app.progress_file import memory_copy

    db = seeded(isolated / "data")
    source = sqlite3.connect(db, check_same_thread=False)  # opened, not yet read: the lock can still be taken
    holder = Holder(db, "readers-too")
    try:
        started = time.monotonic()
        copy, failed = memory_copy(source, timeout=0.5)  # sqlite3's own backup would retry for as long as the lock lasts
        assert time.monotonic() - started < HANG_BOUND
        assert failed == "it is locked by another program"
        assert copy.execute("SELECT count(*) FROM attempts").fetchone() == (0,)  # empty, with the tables
        holder.release()
    finally:
        holder.stop()
        source.close()
