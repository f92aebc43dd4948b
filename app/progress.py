"""The learner's progress: attempts, a Leitner schedule, last answers and drafts, kept in SQLite."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

SCHEMA_VERSION = 1
DB_NAME = "progress.sqlite3"
DAY = 24 * 3600.0
BOX_INTERVALS = {1: 0.0, 2: 1 * DAY, 3: 3 * DAY, 4: 7 * DAY, 5: 16 * DAY, 6: 35 * DAY}
"""Leitner box -> how long after a pass the exercise is due again."""
TOP_BOX = max(BOX_INTERVALS)

Status = Literal["new", "failed", "passed", "due"]
Mode = Literal["offline", "live"]
STATUSES: tuple[Status, ...] = ("new", "failed", "due", "passed")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY,
    exercise_id TEXT NOT NULL,
    at REAL NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('offline', 'live')),
    passed INTEGER NOT NULL,
    score INTEGER NOT NULL,
    max_score INTEGER NOT NULL,
    answer TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_by_exercise ON attempts (exercise_id, at);
CREATE TABLE IF NOT EXISTS schedule (
    exercise_id TEXT PRIMARY KEY,
    box INTEGER NOT NULL,
    due_at REAL NOT NULL,
    last_passed INTEGER NOT NULL,
    last_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS drafts (
    exercise_id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    saved_at REAL NOT NULL
);
"""


class ProgressError(Exception):
    """The progress database cannot be used; the message says why and what was done about it."""


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
    from exercises.loader import user_data_dir

    return user_data_dir() / DB_NAME


class ProgressStore:
    """Progress in one SQLite file (WAL, every write one transaction); safe to call from worker threads.

    A corrupt file is moved aside (never deleted) and a fresh one started; `notices` says so.
    When no file can be written at all, progress lives in memory for the session and `notices` says that too.
    """

    def __init__(self, path: Path | None = None, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.clock = clock
        self.notices: list[str] = []
        self.persistent = True
        self._lock = threading.RLock()
        self._conn = self._open()

    # --- opening ---------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect(self.path)
        except ProgressError as err:
            self.notices.append(str(err))
        except sqlite3.DatabaseError as err:
            moved = self._move_aside(err)
            if moved is not None:
                try:
                    return self._connect(self.path)
                except (sqlite3.Error, ProgressError, OSError) as again:
                    self.notices.append(f"cannot start a new progress file at {self.path}: {again}")
        except OSError as err:
            self.notices.append(f"cannot open the progress file {self.path}: {err}")
        self.persistent = False
        self.notices.append("progress is kept in memory only for this session")
        return self._connect(Path(":memory:"))

    def _connect(self, path: Path) -> sqlite3.Connection:
        memory = str(path) == ":memory:"
        if not memory:
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=5)
        try:
            if not memory:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
            version = self._schema_version(conn)
            if version is not None and version > SCHEMA_VERSION:
                raise ProgressError(
                    f"{path} was written by a newer kubedojo (schema {version}, this one knows {SCHEMA_VERSION}); "
                    "it is left untouched"
                )
            if version is None:
                with _transaction(conn):
                    for statement in filter(str.strip, _SCHEMA.split(";")):
                        conn.execute(statement)
                    conn.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))
            else:
                conn.execute("SELECT count(*) FROM attempts").fetchone()
                conn.execute("SELECT count(*) FROM schedule").fetchone()
                conn.execute("SELECT count(*) FROM drafts").fetchone()
        except BaseException:
            conn.close()
            raise
        return conn

    @staticmethod
    def _schema_version(conn: sqlite3.Connection) -> int | None:
        row = conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='schema_version'").fetchone()
        if row is None:
            if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise sqlite3.DatabaseError("not a kubedojo progress database (no schema_version table)")
            return None
        found = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        if found is None:
            raise sqlite3.DatabaseError("the schema_version table is empty")
        return int(found)

    def _move_aside(self, err: Exception) -> Path | None:
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(self.clock()))
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        try:
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    os.replace(side, aside.with_name(aside.name + suffix))
        except OSError as move_err:
            self.notices.append(f"{self.path} is damaged ({err}) and could not be moved aside: {move_err}")
            return None
        self.notices.append(f"{self.path} was damaged ({err}); it was moved to {aside} and a new one started")
        return aside

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock, _transaction(self._conn):
            yield self._conn

    # --- attempts and the schedule ----------------------------------------------------------

    def record_attempt(
        self, exercise_id: str, *, passed: bool, score: int, max_score: int, answer: str, mode: Mode = "offline"
    ) -> ExerciseProgress:
        """Store a graded answer and move the exercise between Leitner boxes, in one transaction."""
        now = self.clock()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO attempts (exercise_id, at, mode, passed, score, max_score, answer) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (exercise_id, now, mode, int(passed), score, max_score, answer),
            )
            row = conn.execute("SELECT box FROM schedule WHERE exercise_id = ?", (exercise_id,)).fetchone()
            box = min((row[0] if row else 1) + 1, TOP_BOX) if passed else 1
            due = now + BOX_INTERVALS[box] if passed else now
            conn.execute(
                "INSERT INTO schedule (exercise_id, box, due_at, last_passed, last_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (exercise_id) DO UPDATE SET box = excluded.box, due_at = excluded.due_at, "
                "last_passed = excluded.last_passed, last_at = excluded.last_at",
                (exercise_id, box, due, int(passed), now),
            )
            if passed:
                conn.execute("DELETE FROM drafts WHERE exercise_id = ?", (exercise_id,))
        return self.progress(exercise_id)

    def attempts(self, exercise_id: str) -> list[Attempt]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT exercise_id, at, mode, passed, score, max_score, answer FROM attempts WHERE exercise_id = ? ORDER BY at, id",
                (exercise_id,),
            ).fetchall()
        return [Attempt(r[0], r[1], r[2], bool(r[3]), r[4], r[5], r[6]) for r in rows]

    def last_answer(self, exercise_id: str) -> str | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT answer FROM attempts WHERE exercise_id = ? ORDER BY at DESC, id DESC LIMIT 1", (exercise_id,)
            ).fetchone()
        return row[0] if row else None

    def progress(self, exercise_id: str) -> ExerciseProgress:
        return self.all_progress([exercise_id])[exercise_id]

    def all_progress(self, exercise_ids: Iterable[str] | None = None) -> dict[str, ExerciseProgress]:
        """Progress for these exercises (every id gets an entry, `new` when never tried); None: all tried ones."""
        now = self.clock()
        with self._lock:
            schedule = self._conn.execute("SELECT exercise_id, box, due_at, last_passed, last_at FROM schedule").fetchall()
            counts = self._conn.execute(
                "SELECT exercise_id, count(*), sum(passed) FROM attempts GROUP BY exercise_id"
            ).fetchall()
        tally = {r[0]: (r[1], r[2] or 0) for r in counts}
        known: dict[str, ExerciseProgress] = {}
        for exercise_id, box, due_at, last_passed, last_at in schedule:
            status: Status = "failed" if not last_passed else ("due" if due_at <= now else "passed")
            tried, passes = tally.get(exercise_id, (0, 0))
            known[exercise_id] = ExerciseProgress(exercise_id, status, box, due_at, tried, passes, last_at)
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
        with self._write() as conn:
            conn.execute(
                "INSERT INTO drafts (exercise_id, text, saved_at) VALUES (?, ?, ?) "
                "ON CONFLICT (exercise_id) DO UPDATE SET text = excluded.text, saved_at = excluded.saved_at",
                (exercise_id, text, self.clock()),
            )

    def draft(self, exercise_id: str) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT text FROM drafts WHERE exercise_id = ?", (exercise_id,)).fetchone()
        return row[0] if row else None

    def clear_draft(self, exercise_id: str) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM drafts WHERE exercise_id = ?", (exercise_id,))


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
