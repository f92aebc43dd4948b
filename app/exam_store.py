"""Mock-exam attempts in SQLite: every answer, flag and the deadline written on change, so a killed exam resumes."""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import progress_file as db
from app.progress_file import transaction
from app.progress_rows import as_int, as_text, as_time
from exercises.exam_attempt import MODES, ExamAttempt, Mode, SetupState
from exercises.exams import Paper

DB_NAME = "exams.sqlite3"
SCHEMA_VERSION = 2
"""1: attempts and tasks; 2: an attempt's mode and whether its clock started, and the live tasks' setup."""
RECENT_DAYS = 30
"""How old the last mock may be for its weakest domain to steer what study mode offers next."""
BUSY_TIMEOUT = 5.0
"""How long opening the file waits for another program's lock (a look that only reads may wait less)."""
RETRY_TIMEOUT = 0.2
SCHEMA = """
CREATE TABLE IF NOT EXISTS exam_schema (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS exam_attempts (
    id TEXT PRIMARY KEY, exam TEXT NOT NULL, paper TEXT NOT NULL, started_at REAL NOT NULL, deadline REAL NOT NULL,
    pass_mark INTEGER NOT NULL, lang TEXT NOT NULL, finished_at REAL, result TEXT, percent REAL, passed INTEGER,
    mode TEXT NOT NULL DEFAULT 'exam', clock_started INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS exam_tasks (
    attempt_id TEXT NOT NULL, number INTEGER NOT NULL, answer TEXT NOT NULL, flagged INTEGER NOT NULL,
    seconds REAL NOT NULL, saved_at REAL NOT NULL, PRIMARY KEY (attempt_id, number)
);
CREATE TABLE IF NOT EXISTS exam_setup (
    attempt_id TEXT NOT NULL, number INTEGER NOT NULL, ok INTEGER NOT NULL, detail TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (attempt_id, number)
);
"""
ADDED_COLUMNS = {"mode": "TEXT NOT NULL DEFAULT 'exam'", "clock_started": "INTEGER NOT NULL DEFAULT 1"}
"""Columns schema 2 added to exam_attempts: a version-1 file gets them, its attempts read as exam mode with their clock running."""
OPS = ("begin", "task", "finish", "clock", "setup", "discard")


def default_path() -> Path:
    from exercises.dirs import user_data_dir

    return user_data_dir() / DB_NAME


@dataclass(frozen=True)
class HistoryEntry:
    """A finished attempt as history lists it."""

    attempt_id: str
    exam_key: str
    started_at: float
    finished_at: float
    percent: float
    passed: bool
    result: dict[str, Any]
    mode: Mode = "exam"
    """A training attempt is listed, marked, but not counted in the trend or the weakest domain."""

    @property
    def training(self) -> bool:
        return self.mode == "training"

    def weakest(self) -> tuple[str, float] | None:
        """The domain with the lowest percent in this attempt, and that percent."""
        domains = [d for d in self.result.get("domains") or [] if isinstance(d, dict) and "domain" in d]
        if not domains:
            return None
        lowest = min(domains, key=lambda d: float(d.get("percent", 0.0)))
        return str(lowest["domain"]), float(lowest.get("percent", 0.0))


def _create(conn: sqlite3.Connection) -> None:
    with transaction(conn):
        for statement in filter(str.strip, SCHEMA.split(";")):
            conn.execute(statement)
        have = {row[1] for row in conn.execute("PRAGMA table_info(exam_attempts)")}
        for column, declared in ADDED_COLUMNS.items():
            if column not in have:  # a version-1 file: migrated in place, its attempts kept
                conn.execute(f"ALTER TABLE exam_attempts ADD COLUMN {column} {declared}")
        version = conn.execute("SELECT max(version) FROM exam_schema").fetchone()[0]
        if not isinstance(version, int) or version < SCHEMA_VERSION:
            conn.execute("DELETE FROM exam_schema")
            conn.execute("INSERT INTO exam_schema VALUES (?)", (SCHEMA_VERSION,))


def _connect(path: Path, timeout: float) -> sqlite3.Connection:
    """A checked connection (made if missing); raises db.Damaged, db.ProgressError, sqlite3.Error or OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=timeout)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and "exam_schema" not in tables:
            raise db.Damaged("not a kubedojo exam database (no exam_schema table)")
        if "exam_schema" in tables:
            version = conn.execute("SELECT max(version) FROM exam_schema").fetchone()[0]
            if isinstance(version, int) and version > SCHEMA_VERSION:
                raise db.ProgressError(f"{path} was written by a newer kubedojo (exam schema {version}); it is left untouched")
            check = conn.execute("PRAGMA quick_check(1)").fetchone()
            if check is None or check[0] != "ok":
                raise db.Damaged(f"it fails SQLite's integrity check: {check[0] if check else 'no answer'}")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")  # an answer written is an answer kept, power cut or not
        _create(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _apply(conn: sqlite3.Connection, op: dict[str, Any]) -> None:
    kind = op["kind"]
    if kind == "begin":
        conn.execute("INSERT OR REPLACE INTO exam_attempts (id, exam, paper, started_at, deadline, pass_mark, lang, mode, clock_started) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (op["id"], op["exam"], op["paper"], op["started_at"], op["deadline"], op["pass_mark"], op["lang"],
                      op.get("mode", "exam"), int(op.get("clock_started", True))))
    elif kind == "clock":
        conn.execute("UPDATE exam_attempts SET started_at = ?, deadline = ?, clock_started = 1 WHERE id = ?",
                     (op["started_at"], op["deadline"], op["id"]))
    elif kind == "setup":
        conn.execute("INSERT OR REPLACE INTO exam_setup (attempt_id, number, ok, detail, at) VALUES (?, ?, ?, ?, ?)",
                     (op["id"], op["number"], int(op["ok"]), op["detail"], op["at"]))
    elif kind == "discard":
        for table, column in (("exam_attempts", "id"), ("exam_tasks", "attempt_id"), ("exam_setup", "attempt_id")):
            conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (op["id"],))
    elif kind == "task":
        conn.execute("INSERT OR REPLACE INTO exam_tasks (attempt_id, number, answer, flagged, seconds, saved_at) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     (op["id"], op["number"], op["answer"], int(op["flagged"]), op["seconds"], op["at"]))
    elif kind == "finish":
        conn.execute("UPDATE exam_attempts SET finished_at = ?, result = ?, percent = ?, passed = ? WHERE id = ?",
                     (op["at"], op["result"], op["percent"], int(op["passed"]), op["id"]))


class ExamStore:
    """Exam attempts in one SQLite file. Locked or read-only, it never loses a write: writes wait in memory, are
    tried again on every write, and what is still unsaved at `close` is written beside the file and taken in at
    the next start (as app.progress does for study progress). `notices` say so."""

    def __init__(self, path: Path | None = None, clock: Callable[[], float] = time.time, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.clock, self.busy_timeout = clock, busy_timeout
        self.notices: list[str] = []
        self.state = "saved"
        self._unsaved: list[dict[str, Any]] = []
        self._lock = threading.RLock()
        self._conn = self._open()
        self._take_in_unsaved()

    def _notice(self, text: str) -> None:
        if text not in self.notices:
            self.notices.append(text)

    def _open(self) -> sqlite3.Connection:
        odd = db.not_a_regular_file(self.path)
        if odd:
            return self._memory("memory", f"{self.path} is {odd}, not an exam database; it is left as it is")
        read_only = db.read_only_reason(self.path)
        if read_only:
            return self._memory("read-only", f"{self.path} cannot be written ({read_only}): exam answers are kept in memory "
                                "and written beside it when kubedojo closes", copy_from_file=True)
        try:
            return _connect(self.path, self.busy_timeout)
        except db.Damaged as err:
            return self._start_again(str(err))
        except db.ProgressError as err:
            return self._memory("memory", str(err))
        except sqlite3.Error as err:
            if db.is_damaged(err):
                return self._start_again(str(err))
            if db.is_busy(err):
                return self._memory("busy", f"{self.path} is locked by another program: exam answers are kept in memory "
                                    "and saved as soon as it is free")
            return self._memory("memory", f"cannot open {self.path}: {err}")
        except OSError as err:
            return self._memory("memory", f"cannot open {self.path}: {err.strerror or err}")

    def _start_again(self, why: str) -> sqlite3.Connection:
        """Move a damaged file aside (kept, with a timestamp) and start a fresh one."""
        try:
            aside = db.move_aside(self.path, self.clock)
            conn = _connect(self.path, self.busy_timeout)
        except (OSError, sqlite3.Error, db.Damaged, db.ProgressError) as err:
            return self._memory("memory", f"{self.path} is damaged ({why}) and no new one could be started ({err})")
        self._notice(f"{self.path} was damaged ({why}); it was moved to {aside} and a new one started")
        return conn

    def _memory(self, state: str, notice: str, copy_from_file: bool = False) -> sqlite3.Connection:
        self.state = state
        self._notice(notice)
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        if copy_from_file and self.path.is_file():
            try:
                source = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=1.0)
                source.backup(conn)
                source.close()
            except sqlite3.Error as err:
                self._notice(f"the exam history shown may be incomplete: {self.path} could not be read ({err})")
        try:
            _create(conn)
        except sqlite3.Error:
            conn.close()
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            _create(conn)
        return conn

    # --- writes -----------------------------------------------------------------------------

    def _write(self, op: dict[str, Any]) -> None:
        with self._lock:
            if self.state != "saved":
                self.retry()
            if self.state == "saved":
                try:
                    with transaction(self._conn):
                        _apply(self._conn, op)
                    return
                except sqlite3.Error as err:
                    file_conn = self._conn
                    self._conn = self._memory("busy" if db.is_busy(err) else "read-only",
                                              f"{self.path} did not take an exam answer ({err}): answers are kept in memory "
                                              "and saved when it can be written", copy_from_file=True)
                    file_conn.close()
            with transaction(self._conn):
                _apply(self._conn, op)
            self._unsaved.append(op)

    def retry(self, timeout: float = RETRY_TIMEOUT) -> bool:
        """Save what waits in memory; True when nothing waits."""
        with self._lock:
            if self.state == "saved":
                return True
            if db.read_only_reason(self.path) or db.not_a_regular_file(self.path):
                return False
            try:
                conn = _connect(self.path, timeout)
                with transaction(conn):
                    for op in self._unsaved:
                        _apply(conn, op)
            except (sqlite3.Error, db.Damaged, db.ProgressError, OSError):
                return False
            count = len(self._unsaved)
            self._unsaved.clear()
            self._conn.close()
            self._conn, self.state = conn, "saved"
        self._notice(f"{self.path} can be written again: {count} exam write(s) that were waiting are saved")
        return True

    def close(self) -> None:
        with self._lock:
            if self._unsaved and not self.retry(BUSY_TIMEOUT) and self._unsaved:
                side = db.stamped(self.path, "unsaved", self.clock, f"-{os.getpid()}.json")
                try:
                    side.write_text(json.dumps(self._unsaved), encoding="utf-8")
                    self._notice(f"{len(self._unsaved)} exam write(s) could not be saved in {self.path}; they are kept in "
                                 f"{side} and saved the next time kubedojo starts")
                except OSError as err:
                    self._notice(f"{len(self._unsaved)} exam write(s) could not be saved anywhere ({err.strerror or err})")
            self._conn.close()

    def _take_in_unsaved(self) -> None:
        if self.state != "saved":
            return
        for side in db.unsaved_files(self.path):
            try:
                ops = json.loads(side.read_text(encoding="utf-8"))
                if not isinstance(ops, list) or not all(isinstance(o, dict) and o.get("kind") in OPS for o in ops):
                    raise ValueError("not a list of kubedojo exam writes")
                with self._lock, transaction(self._conn):
                    for op in ops:
                        _apply(self._conn, op)
            except (OSError, ValueError, KeyError, sqlite3.Error) as err:
                self._notice(f"{side} was not taken in ({err}); it is left as it is")
                continue
            side.unlink(missing_ok=True)
            self._notice(f"{len(ops)} exam write(s) an earlier session could not save ({side}) are saved")

    # --- the attempt ------------------------------------------------------------------------

    def begin(self, paper: Paper, duration_minutes: float, pass_mark: int, lang: str = "en", mode: Mode = "exam",
              start_clock: bool = True) -> ExamAttempt:
        """A new attempt, stored before the first task shows. Its deadline is fixed now, on the wall clock, unless
        `start_clock` is False (live tasks to set up first: `start_clock` fixes it when they are)."""
        if mode not in MODES:
            raise ValueError(f"no mode {mode!r}: {' or '.join(MODES)}")
        now = self.clock()
        attempt = ExamAttempt(f"{time.strftime('%Y%m%d-%H%M%S', time.gmtime(now))}-{secrets.token_hex(3)}", paper, now,
                              now + duration_minutes * 60, pass_mark, lang=lang, mode=mode, clock_started=start_clock)
        self._write({"kind": "begin", "id": attempt.attempt_id, "exam": paper.exam_key, "paper": json.dumps(paper.to_json()),
                     "started_at": attempt.started_at, "deadline": attempt.deadline, "pass_mark": pass_mark, "lang": lang,
                     "mode": mode, "clock_started": start_clock})
        return attempt

    def start_clock(self, attempt: ExamAttempt) -> None:
        """The live tasks are set up: the deadline is fixed now and stored (a resume counts from it)."""
        attempt.start_clock(self.clock())
        self._write({"kind": "clock", "id": attempt.attempt_id, "started_at": attempt.started_at, "deadline": attempt.deadline})

    def save_setup(self, attempt: ExamAttempt, number: int, state: SetupState) -> None:
        """How one live task's setup went: a resume does not set up again a task that is done."""
        attempt.setup[number] = state
        self._write({"kind": "setup", "id": attempt.attempt_id, "number": number, "ok": state.ok, "detail": state.detail,
                     "at": self.clock()})

    def discard(self, attempt: ExamAttempt) -> None:
        """Forget an attempt cancelled before its clock started (its setup failed, the candidate gave up)."""
        self._write({"kind": "discard", "id": attempt.attempt_id})

    def save_task(self, attempt: ExamAttempt, number: int) -> None:
        """Write one task's answer, flag and time spent (call on every change)."""
        self._write({"kind": "task", "id": attempt.attempt_id, "number": number, "answer": attempt.answers.get(number, ""),
                     "flagged": number in attempt.flags, "seconds": attempt.seconds.get(number, 0.0), "at": self.clock()})

    def finish(self, attempt: ExamAttempt, result: dict[str, Any]) -> None:
        attempt.finished_at = self.clock()
        self._write({"kind": "finish", "id": attempt.attempt_id, "at": attempt.finished_at, "result": json.dumps(result),
                     "percent": float(result.get("percent", 0.0)), "passed": bool(result.get("passed"))})

    def _rows(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._conn.execute(sql, args).fetchall()
            except sqlite3.Error as err:
                self._notice(f"{self.path} could not be read ({err}); the exams shown may be incomplete")
                return []

    def load(self, attempt_id: str) -> ExamAttempt | None:
        """The attempt with every stored answer and flag, or None when unknown or unreadable (said in notices)."""
        rows = self._rows("SELECT id, paper, started_at, deadline, pass_mark, lang, finished_at, mode, clock_started "
                          "FROM exam_attempts WHERE id = ?", (attempt_id,))
        if not rows:
            return None
        row = rows[0]
        try:
            paper = Paper.from_json(json.loads(as_text(row[1]) or ""))
        except (ValueError, KeyError, TypeError) as err:
            self._notice(f"{self.path}: attempt {attempt_id} has an unreadable paper ({err}); it is skipped")
            return None
        started, deadline, mark = as_time(row[2]), as_time(row[3]), as_int(row[4])
        if started is None or deadline is None or mark is None:
            self._notice(f"{self.path}: attempt {attempt_id} has no readable start, deadline or mark; it is skipped")
            return None
        mode = as_text(row[7])
        attempt = ExamAttempt(attempt_id, paper, started, deadline, mark, lang=as_text(row[5]) or "en", finished_at=as_time(row[6]),
                              mode=mode if mode in MODES else "exam", clock_started=row[8] != 0)  # type: ignore[arg-type]
        for number, ok, detail in self._rows("SELECT number, ok, detail FROM exam_setup WHERE attempt_id = ?", (attempt_id,)):
            n = as_int(number)
            if n is not None and 1 <= n <= len(paper.tasks):
                attempt.setup[n] = SetupState(bool(ok), as_text(detail) or "")
        for number, answer, flagged, seconds in self._rows(
                "SELECT number, answer, flagged, seconds FROM exam_tasks WHERE attempt_id = ?", (attempt_id,)):
            n = as_int(number)
            if n is None or not 1 <= n <= len(paper.tasks):
                continue
            attempt.answers[n] = as_text(answer) or ""
            if flagged:
                attempt.flags.add(n)
            attempt.seconds[n] = as_time(seconds) or 0.0
        return attempt

    def unfinished(self) -> list[str]:
        """Ids of attempts not finished yet, newest first (a killed exam, a closed terminal)."""
        return [r[0] for r in self._rows("SELECT id FROM exam_attempts WHERE finished_at IS NULL ORDER BY started_at DESC")
                if isinstance(r[0], str)]

    def history(self, exam_key: str | None = None) -> list[HistoryEntry]:
        """Finished attempts, oldest first."""
        sql = "SELECT id, exam, started_at, finished_at, percent, passed, result, mode FROM exam_attempts WHERE finished_at IS NOT NULL"
        args: tuple = ()
        if exam_key:
            sql, args = sql + " AND exam = ?", (exam_key,)
        found = []
        for row in self._rows(sql + " ORDER BY started_at, id", args):
            try:
                result = json.loads(as_text(row[6]) or "")
                mode = row[7] if row[7] in MODES else "exam"
                found.append(HistoryEntry(str(row[0]), str(row[1]), float(row[2]), float(row[3]), float(row[4]), bool(row[5]), result, mode))
            except (ValueError, TypeError) as err:
                self._notice(f"{self.path}: attempt {row[0]} has an unreadable result ({err}); it is skipped")
        return found

    def last_mock(self, now: float | None = None, within_days: float = RECENT_DAYS) -> HistoryEntry | None:
        """The latest finished exam-mode attempt, if it finished within `within_days` (training is not a mock's score)."""
        now = self.clock() if now is None else now
        exams = [e for e in self.history() if not e.training and now - e.finished_at <= within_days * 86400]
        return max(exams, key=lambda e: e.finished_at) if exams else None

