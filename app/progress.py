"""The learner's progress: attempts, a Leitner schedule, last answers and drafts, kept in SQLite."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app import progress_file as db
from app.progress_file import BOX_INTERVALS, DAY, SCHEMA_VERSION, TOP_BOX, Damaged, ProgressError, transaction
from app.progress_rows import (AttemptRow, Op, ScheduleRow, as_text, ops_from_text, ops_to_text, read_attempt_row,
                               read_schedule_row)

__all__ = ["BOX_INTERVALS", "DAY", "SCHEMA_VERSION", "TOP_BOX", "Attempt", "ExerciseProgress", "ProgressError",
           "ProgressStore", "default_path"]

DB_NAME = "progress.sqlite3"
BUSY_TIMEOUT = 5.0
"""Seconds to wait for another program's lock before a write is kept in memory (and saved later)."""
RETRY_TIMEOUT = 0.2
"""While writes wait in memory, how long each new try to save them waits for the lock."""
MAX_UNSAVED_FILE = 64 * 1024 * 1024

Status = Literal["new", "failed", "passed", "due"]
Mode = Literal["offline", "live"]
State = Literal["saved", "busy", "read-only", "memory"]
STATUSES: tuple[Status, ...] = ("new", "failed", "due", "passed")
_OPEN_ERRORS = (sqlite3.Error, Damaged, ProgressError, OSError)
_Row = AttemptRow | ScheduleRow


@dataclass(frozen=True)
class Attempt:
    """One graded answer."""

    exercise_id: str
    at: float
    mode: Mode
    passed: bool
    score: int
    max_score: int
    answer: str


@dataclass(frozen=True)
class ExerciseProgress:
    """Where a learner stands on one exercise."""

    exercise_id: str
    status: Status
    box: int = 0
    """Leitner box (1..6): a failure puts it in 1, each pass one up; 0 before the first attempt."""
    due_at: float | None = None
    attempts: int = 0
    passes: int = 0
    last_at: float | None = None


def default_path() -> Path:
    from exercises.dirs import user_data_dir

    return user_data_dir() / DB_NAME


class ProgressStore:
    """Progress in one SQLite file (WAL, every write one transaction); safe to call from worker threads.

    A file that is not a progress database, or fails SQLite's integrity check, is moved aside (never deleted)
    and a fresh one started. A file locked by another program, or read-only, is never called damaged: writes
    wait in memory, are tried again (`retry`, and on every write), and at `close` what is still not saved is
    written beside the file and taken in at the next start. `notices` (and `on_notice` for later ones) say so.
    """

    def __init__(self, path: Path | None = None, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.clock = clock
        self.notices: list[str] = []
        self.on_notice: Callable[[str], None] | None = None
        """Called (from any thread) with each notice made after opening."""
        self.state: State = "saved"
        """saved: writes reach the file; busy / read-only: they wait in memory; memory: the file cannot be used."""
        self.readable = True
        """False when the progress shown is not the file's (it was locked at start, or cannot be read)."""
        self._unsaved: list[Op] = []
        self._can_retry = True
        self._lock = threading.RLock()
        self._conn = self._open()
        self._take_in_unsaved_files()

    @property
    def persistent(self) -> bool:
        """Whether writes reach the file now."""
        return self.state == "saved"

    @property
    def unsaved(self) -> int:
        """How many writes wait in memory to be saved."""
        return len(self._unsaved)

    def _notice(self, text: str) -> None:
        if text in self.notices:
            return
        self.notices.append(text)
        if self.on_notice is not None:
            self.on_notice(text)

    # --- opening ---------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        not_a_file = db.not_a_regular_file(self.path)
        if not_a_file:
            self._can_retry, self.readable = False, False
            return self._in_memory(None, "memory", f"{self.path} is {not_a_file}, not a progress database; it is left as it is")
        read_only = db.read_only_reason(self.path)
        if read_only:
            return self._open_read_only(read_only)
        try:
            return db.connect(self.path, BUSY_TIMEOUT, notice=self._notice)
        except ProgressError as err:
            self._can_retry, self.readable = False, False
            return self._in_memory(None, "memory", str(err))
        except Damaged as err:
            return self._start_again(str(err))
        except sqlite3.Error as err:
            self.readable = not self.path.exists()
            if db.is_damaged(err):
                self.readable = True
                return self._start_again(str(err))
            if db.is_busy(err):
                return self._in_memory(None, "busy", self._busy_notice(at_start=True))
            if db.error_code(err) == sqlite3.SQLITE_READONLY:
                self.readable = True
                return self._open_read_only(str(err))
            return self._in_memory(None, "memory", f"cannot open the progress file {self.path}: {err}; it is left as it is")
        except OSError as err:
            self.readable = not self.path.exists()
            return self._in_memory(None, "memory", f"cannot open the progress file {self.path}: {err.strerror or err}")

    def _start_again(self, why: str) -> sqlite3.Connection:
        """Move a damaged file aside (kept, with a timestamp) and start a fresh one."""
        try:
            aside = db.move_aside(self.path, self.clock)
        except OSError as err:
            self._can_retry, self.readable = False, False
            return self._in_memory(None, "memory", f"{self.path} is damaged ({why}) and could not be moved aside: {err}")
        self._notice(f"{self.path} was damaged ({why}); it was moved to {aside} and a new one started")
        try:
            return db.connect(self.path, BUSY_TIMEOUT, notice=self._notice)
        except _OPEN_ERRORS as err:
            return self._in_memory(None, "memory", f"cannot start a new progress file at {self.path}: {err}")

    def _open_read_only(self, why: str) -> sqlite3.Connection:
        """Show the file's progress, keep new writes in memory, and never call the file damaged."""
        later = ("saved when it can be written, or else written beside it when kubedojo closes"
                 if db.folder_writable(self.path) else "lost when kubedojo closes unless it can be written by then")
        notice = f"{self.path} cannot be written ({why}): new attempts and drafts are kept in memory, {later}"
        if not self.path.exists():
            return self._in_memory(None, "read-only", notice)
        try:
            source = db.connect(self.path, BUSY_TIMEOUT, read_only=True)
        except _OPEN_ERRORS as err:
            self.readable = False
            return self._in_memory(None, "read-only", f"{notice}; it cannot be read either ({err}), and is left as it is")
        try:
            return self._in_memory(source, "read-only", notice)
        finally:
            source.close()

    def _in_memory(self, source: sqlite3.Connection | None, state: State, notice: str | None) -> sqlite3.Connection:
        """Reads and writes go to memory from now on (a copy of `source` when given)."""
        self.state = state
        if notice:
            self._notice(notice)
        if state == "memory":
            self._notice("progress is kept in memory for this session" + (
                "; what is not saved is written beside the file when kubedojo closes" if db.folder_writable(self.path) else ""))
        conn, failed = db.memory_copy(source)
        if failed:
            self.readable = False
            self._notice(f"the progress shown may be incomplete: {self.path} could not be read ({failed})")
        return conn

    def _busy_notice(self, at_start: bool) -> str:
        shown = "progress is not shown yet; " if at_start else ""
        return (f"{self.path} is locked by another program (waited {BUSY_TIMEOUT:g} s); {shown}attempts and drafts "
                "are kept in memory and saved as soon as it is free")

    # --- writes that wait ------------------------------------------------------------------

    def _take_in_unsaved_files(self) -> None:
        """Writes earlier sessions could not save: into the file now, or into memory to be saved with the rest."""
        if not self._can_retry:
            return
        for side in db.unsaved_files(self.path):
            if self.state == "saved":
                claimed = db.claim(side)
                if claimed is None:
                    continue  # another session took it
                side = claimed
            try:
                if db.not_a_regular_file(side) or side.stat().st_size > MAX_UNSAVED_FILE:
                    raise ValueError("not a regular file of at most 64 MiB")
                ops, skipped = ops_from_text(side.read_text(encoding="utf-8"), str(side))
            except (OSError, ValueError) as err:
                db.release(side)
                self._notice(f"{side} was not taken in ({err}); it is left as it is")
                continue
            if skipped:
                self._notice(f"{side}: {skipped} entries are not kubedojo writes and were left out")
            try:
                with self._lock, transaction(self._conn):
                    for op in ops:
                        db.apply(self._conn, op, replay=True)
            except sqlite3.Error as err:
                self._notice(f"{side} could not be taken in ({err}); it is left for the next time")
                db.release(side)
                continue
            if self.state == "saved":
                self._forget(side)
                where = "saved"
            else:
                self._unsaved.extend(ops)
                where = "kept in memory until they can be saved"
            self._notice(f"{len(ops)} attempts and drafts an earlier session could not save ({side}) are {where}")

    def _forget(self, side: Path) -> None:
        try:
            side.unlink()
        except OSError as err:
            self._notice(f"{side} was taken in but cannot be removed ({err.strerror}); remove it by hand")

    def retry(self, timeout: float = RETRY_TIMEOUT) -> bool:
        """Try to save what waits in memory; True when nothing waits any more."""
        with self._lock:
            if self.state == "saved":
                return True
            if not self._can_retry or db.read_only_reason(self.path) or db.not_a_regular_file(self.path):
                return False
            try:
                conn = db.connect(self.path, timeout, integrity=False, notice=self._notice)
            except _OPEN_ERRORS:
                return False
            try:
                with transaction(conn):
                    for op in self._unsaved:
                        db.apply(conn, op, replay=True)
            except sqlite3.Error:
                conn.close()
                return False
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            count, origins = len(self._unsaved), {op.origin for op in self._unsaved if op.origin}
            self._unsaved.clear()
            self._conn.close()
            self._conn, self.state, self.readable = conn, "saved", True
        for origin in sorted(origins):
            self._forget(Path(origin))
        self._notice(f"{self.path} can be written again: {count} attempts and drafts that were waiting are saved")
        return True

    def _write(self, op: Op) -> None:
        """Apply one write: to the file when it takes it, else in memory, kept to be saved later."""
        if op.mode not in ("offline", "live"):
            raise ValueError(f"mode must be offline or live, not {op.mode!r}")
        with self._lock:
            if self.state != "saved":
                self.retry()
            if self.state == "saved":
                try:
                    with transaction(self._conn):
                        db.apply(self._conn, op)
                    return
                except sqlite3.Error as err:
                    self._file_refused(err)
            try:
                with transaction(self._conn):
                    db.apply(self._conn, op)
            except sqlite3.Error as err:  # the copy has the file's strange schema (a trigger, a view): start afresh
                self._conn.close()
                self._conn = self._in_memory(None, self.state, f"the progress shown may be incomplete ({err})")
                with transaction(self._conn):
                    db.apply(self._conn, op)
            if op.kind != "attempt":  # of a draft only the newest write matters
                self._unsaved = [o for o in self._unsaved if o.kind == "attempt" or o.exercise_id != op.exercise_id]
            self._unsaved.append(op)

    def _file_refused(self, err: sqlite3.Error) -> None:
        """The file did not take a write: from now on writes wait in memory, on a copy of the file's progress.

        Locked or read-only, it is tried again later; a file whose tables refuse the write (a trigger, a view,
        a constraint kubedojo did not make) would refuse it again, so what waits is written beside it at close.
        """
        if db.is_busy(err):
            state: State = "busy"
            notice = self._busy_notice(at_start=False)
        elif isinstance(err, (sqlite3.IntegrityError, sqlite3.ProgrammingError)) or db.error_code(err) == sqlite3.SQLITE_ERROR:
            state, self._can_retry = "memory", False
            notice = (f"{self.path} refuses kubedojo's writes ({err}); new attempts and drafts are kept in memory "
                      "and written beside it when kubedojo closes")
        else:
            state = "read-only"
            notice = (f"{self.path} cannot be written ({err}): new attempts and drafts are kept in memory and "
                      "saved when it can be written")
        file_conn = self._conn
        self._conn = self._in_memory(file_conn, state, notice)
        file_conn.close()

    def close(self) -> None:
        """Save what waits (waiting for a lock as long as a write would); else write it beside the file."""
        with self._lock:
            if self._unsaved:
                self.retry(BUSY_TIMEOUT)
            fresh = [op for op in self._unsaved if op.origin is None]
            if fresh:
                self._write_unsaved_file(fresh)
            self._conn.close()

    def _write_unsaved_file(self, ops: list[Op]) -> None:
        side = db.stamped(self.path, "unsaved", self.clock, f"-{os.getpid()}.json")
        tmp = side.with_name(side.name + ".tmp")
        try:
            tmp.write_text(ops_to_text(ops), encoding="utf-8")
            os.replace(tmp, side)
        except OSError as err:
            self._notice(f"{len(ops)} attempts and drafts could not be saved anywhere ({err.strerror or err}); "
                         "they are lost")
            return
        self._notice(f"{len(ops)} attempts and drafts could not be saved in {self.path}; they are kept in {side} "
                     "and saved the next time kubedojo starts")

    # --- attempts and the schedule ----------------------------------------------------------

    def record_attempt(
        self, exercise_id: str, *, passed: bool, score: int, max_score: int, answer: str, mode: Mode = "offline"
    ) -> ExerciseProgress:
        """Store a graded answer and move the exercise between Leitner boxes, in one transaction."""
        op = Op("attempt", exercise_id, self.clock(), passed, score, max_score, answer, mode)
        self._write(op)
        return self.progress(exercise_id)

    def _rows(self, sql: str, args: tuple = ()) -> list[tuple]:
        """A query's rows; a file that fails mid-session is said, never a crash (it is left as it is)."""
        with self._lock:
            try:
                return self._conn.execute(sql, args).fetchall()
            except sqlite3.Error as err:
                if not (db.is_busy(err) and self.state == "saved"):
                    self._notice(f"{self.path} could not be read ({err}); the progress shown may be incomplete")
                    return []
                self._file_refused(err)  # locked against readers too: stop waiting on it for every read
            try:
                return self._conn.execute(sql, args).fetchall()
            except sqlite3.Error as err:
                self._notice(f"the progress shown may be incomplete ({err})")
                return []

    def attempts(self, exercise_id: str) -> list[Attempt]:
        rows = self._rows(
            "SELECT exercise_id, at, mode, passed, score, max_score, answer FROM attempts WHERE exercise_id = ? ORDER BY at, id",
            (exercise_id,),
        )
        found = []
        for row in rows:
            read = self._checked(read_attempt_row(row), "attempt")
            if isinstance(read, AttemptRow):
                found.append(Attempt(read.exercise_id, read.at, read.mode, read.passed, read.score, read.max_score, read.answer))  # type: ignore[arg-type]
        return found

    def _checked(self, read: _Row | str, what: str) -> _Row | None:
        """A row as read; a skipped or repaired one is said once (the next write of the exercise mends it)."""
        if isinstance(read, str):
            self._notice(f"{self.path}: {read}")
            return None
        if read.problems:
            self._notice(f"{self.path}: the {what} row of {read.exercise_id} has {', '.join(read.problems)}")
        return read

    def last_answer(self, exercise_id: str) -> str | None:
        rows = self._rows("SELECT answer FROM attempts WHERE exercise_id = ? ORDER BY at DESC, id DESC LIMIT 1", (exercise_id,))
        return as_text(rows[0][0]) if rows else None

    def progress(self, exercise_id: str) -> ExerciseProgress:
        return self.all_progress([exercise_id])[exercise_id]

    def all_progress(self, exercise_ids: Iterable[str] | None = None) -> dict[str, ExerciseProgress]:
        """Progress for these exercises (every id gets an entry, `new` when never tried); None: all tried ones."""
        now = self.clock()
        schedule = self._rows("SELECT exercise_id, box, due_at, last_passed, last_at FROM schedule")
        counts = self._rows(
            "SELECT exercise_id, count(*), sum(CASE WHEN typeof(passed) IN ('integer', 'real') AND passed <> 0 "
            "THEN 1 ELSE 0 END) FROM attempts GROUP BY exercise_id"
        )
        tally = {r[0]: (r[1], r[2] or 0) for r in counts if isinstance(r[0], str)}
        known: dict[str, ExerciseProgress] = {}
        for row in schedule:
            read = self._checked(read_schedule_row(row), "schedule")
            if not isinstance(read, ScheduleRow):
                continue
            status: Status = "failed" if not read.passed else ("due" if read.due_at <= now else "passed")
            tried, passes = tally.get(read.exercise_id, (0, 0))
            known[read.exercise_id] = ExerciseProgress(read.exercise_id, status, read.box, read.due_at, tried, passes, read.last_at)
        if exercise_ids is None:
            return known
        return {i: known.get(i) or ExerciseProgress(i, "new") for i in exercise_ids}

    def next_exercise(self, exercise_ids: Sequence[str], exclude: str | None = None) -> str | None:
        """What to practise: failed ones first, then due ones (longest waiting first), then new ones, then the rest."""
        progress = self.all_progress(exercise_ids)
        order = {"failed": 0, "due": 1, "new": 2, "passed": 3}
        candidates = [p for p in progress.values() if p.exercise_id != exclude] or list(progress.values())
        if not candidates:
            return None
        position = {exercise_id: n for n, exercise_id in enumerate(exercise_ids)}
        best = min(candidates, key=lambda p: (order[p.status], p.due_at or 0.0, position[p.exercise_id]))
        return best.exercise_id

    # --- drafts ---------------------------------------------------------------------------

    def save_draft(self, exercise_id: str, text: str) -> None:
        self._write(Op("draft", exercise_id, self.clock(), answer=text))

    def draft(self, exercise_id: str) -> str | None:
        rows = self._rows("SELECT text FROM drafts WHERE exercise_id = ?", (exercise_id,))
        return as_text(rows[0][0]) if rows else None

    def clear_draft(self, exercise_id: str) -> None:
        self._write(Op("clear_draft", exercise_id, self.clock()))
