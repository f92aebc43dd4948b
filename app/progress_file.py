"""The progress file itself: what kind of file it is, opening and checking it, moving a damaged one aside, the write SQL."""

from __future__ import annotations

import glob
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from app.progress_rows import Op, as_box, as_time

SCHEMA_VERSION = 1
DAY = 24 * 3600.0
BOX_INTERVALS = {1: 0.0, 2: 1 * DAY, 3: 3 * DAY, 4: 7 * DAY, 5: 16 * DAY, 6: 35 * DAY}
"""Leitner box -> how long after a pass the exercise is due again."""
TOP_BOX = max(BOX_INTERVALS)

COLUMNS = {
    "schema_version": ("version",),
    "attempts": ("id", "exercise_id", "at", "mode", "passed", "score", "max_score", "answer"),
    "schedule": ("exercise_id", "box", "due_at", "last_passed", "last_at"),
    "drafts": ("exercise_id", "text", "saved_at"),
}
SCHEMA = """
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


class Damaged(Exception):
    """The file is not a kubedojo progress database, or fails SQLite's integrity check."""


def error_code(err: sqlite3.Error) -> int:
    """SQLite's primary result code of an error (0 when unknown)."""
    return (getattr(err, "sqlite_errorcode", None) or 0) & 0xFF


def is_busy(err: sqlite3.Error) -> bool:
    """Another connection holds a lock: the file is fine, only not free now."""
    return error_code(err) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def is_damaged(err: sqlite3.Error) -> bool:
    return error_code(err) in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def not_a_regular_file(path: Path) -> str | None:
    """What the path is when it is not a regular file: a FIFO or a device would hang SQLite or feed it garbage."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as err:
        return f"unreadable ({err.strerror or err})"
    if stat.S_ISREG(mode):
        return None
    return "a folder" if stat.S_ISDIR(mode) else "not a regular file (a FIFO, a device or a socket)"


def folder_writable(path: Path) -> bool:
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return False
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def read_only_reason(path: Path) -> str | None:
    """Why the file (or its folder, where SQLite keeps its journal) cannot be written, if it cannot."""
    folder = path.parent
    if not folder.exists():
        return None  # made on connect, or an OSError there
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "the file system is mounted read-only"
    except OSError:
        pass
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(folder, os.W_OK):
        return f"its folder {folder} is read-only"
    return None


def connect(path: Path, timeout: float, *, read_only: bool = False, integrity: bool = True,
            notice: Callable[[str], None] = lambda _: None) -> sqlite3.Connection:
    """A checked connection to a kubedojo progress file (made if missing, unless read-only).

    Raises Damaged, ProgressError (a newer schema), sqlite3.Error (busy, read-only, ...) or OSError.
    """
    if read_only:
        conn = _connect_read_only(path, timeout)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=timeout)
    try:  # read and check first: a file that is not ours is moved aside exactly as it was
        version = _schema_version(conn)
        if version is not None and version > SCHEMA_VERSION:
            raise ProgressError(
                f"{path} was written by a newer kubedojo (schema {version}, this one knows {SCHEMA_VERSION}); "
                "it is left untouched"
            )
        missing = _missing_tables(conn) if version is not None else set(COLUMNS)
        if integrity and version is not None:
            check = conn.execute("PRAGMA quick_check(1)").fetchone()
            if check is None or check[0] != "ok":
                raise Damaged(f"it fails SQLite's integrity check: {check[0] if check else 'no answer'}")
        if not read_only:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            if missing:
                with transaction(conn):
                    create_tables(conn)
                    if version is None:
                        conn.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))
                if version is not None:
                    notice(f"{path} had no {', '.join(sorted(missing))} table; an empty one was made")
    except BaseException:
        conn.close()
        raise
    return conn


def _connect_read_only(path: Path, timeout: float) -> sqlite3.Connection:
    """Read-only; in a folder SQLite cannot write its WAL index into, read the file as immutable."""
    base = f"file:{quote(str(path.absolute()))}?mode=ro"
    try:
        conn = sqlite3.connect(base, uri=True, isolation_level=None, check_same_thread=False, timeout=timeout)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as err:
        if error_code(err) != sqlite3.SQLITE_CANTOPEN:
            raise
    return sqlite3.connect(base + "&immutable=1", uri=True, isolation_level=None, check_same_thread=False)


def create_tables(conn: sqlite3.Connection) -> None:
    for statement in filter(str.strip, SCHEMA.split(";")):
        conn.execute(statement)


def _schema_version(conn: sqlite3.Connection) -> int | None:
    row = conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='schema_version'").fetchone()
    if row is None:
        if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise Damaged("not a kubedojo progress database (no schema_version table)")
        return None
    try:
        found = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    except sqlite3.OperationalError as err:
        if error_code(err) != sqlite3.SQLITE_ERROR:  # busy, an I/O error: not the file's fault
            raise
        raise Damaged(f"its schema_version table cannot be read ({err})") from None
    if isinstance(found, bool) or not isinstance(found, int):
        raise Damaged(f"its schema_version is {found!r}, not a version number")
    return found


def _missing_tables(conn: sqlite3.Connection) -> set[str]:
    """Tables that are not there; a table without the columns kubedojo needs is damage."""
    missing = set()
    for table, columns in COLUMNS.items():
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if not have:
            missing.add(table)
        elif not set(columns) <= have:
            raise Damaged(f"its {table} table has no {', '.join(c for c in columns if c not in have)} column")
    return missing


class _GaveUp(Exception):
    """The copy waited long enough for another program's lock."""


def memory_copy(source: sqlite3.Connection | None, timeout: float = 1.0) -> tuple[sqlite3.Connection, str | None]:
    """A memory database with the tables, a copy of `source` when given; and why the copy failed, if it did."""
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    failed = None
    if source is not None:
        deadline = time.monotonic() + timeout

        def give_up(status: int, _remaining: int, _total: int) -> None:
            # sqlite3's backup retries a locked source forever; this is what bounds it
            if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
                raise _GaveUp
        try:
            source.backup(conn, progress=give_up, sleep=0.05)
        except _GaveUp:
            failed = "it is locked by another program"
        except sqlite3.Error as err:
            failed = "it is locked by another program" if is_busy(err) else str(err)
    with transaction(conn):
        for (trigger,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            conn.execute(f'DROP TRIGGER "{trigger.replace(chr(34), chr(34) * 2)}"')  # kubedojo makes none
        create_tables(conn)
    return conn, failed


def stamped(path: Path, label: str, clock: Callable[[], float], suffix: str = "") -> Path:
    """path.<label>-<local time>[-n]<suffix>, a name not taken yet."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(clock()))
    candidate, n = path.with_name(f"{path.name}.{label}-{stamp}{suffix}"), 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.{label}-{stamp}-{n}{suffix}")
    return candidate


def move_aside(path: Path, clock: Callable[[], float]) -> Path:
    """Move a damaged file (and its WAL) to path.corrupt-<time>; raises OSError."""
    aside = stamped(path, "corrupt", clock)
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, aside.with_name(aside.name + suffix))
    return aside


def unsaved_files(path: Path) -> list[Path]:
    """Files of writes earlier sessions could not save, and ones a session that died was taking in."""
    base = glob.escape(str(path))
    found = [Path(p) for p in glob.glob(base + ".unsaved-*.json")]
    for claimed in glob.glob(base + ".unsaved-*.json.taking-*"):
        pid = claimed.rpartition("-")[2]
        if pid.isdigit() and not _alive(int(pid)):
            found.append(Path(claimed))
    return sorted(found)


def claim(side: Path) -> Path | None:
    """Rename a file of unsaved writes to mark it ours, so two sessions never take it in twice."""
    claimed = side.with_name(side.name.partition(".taking-")[0] + f".taking-{os.getpid()}")
    try:
        os.replace(side, claimed)
    except OSError:
        return None
    return claimed


def release(side: Path) -> None:
    """Give a claimed file of unsaved writes its name back, for the next session to try."""
    original = side.with_name(side.name.partition(".taking-")[0])
    if original != side:
        try:
            os.replace(side, original)
        except OSError:
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def apply(conn: sqlite3.Connection, op: Op, replay: bool = False) -> None:
    """One write, inside the caller's transaction; the same SQL for the file, memory, and saving later.

    A replayed write (one that waited) never overrides a newer one another program saved meanwhile:
    its attempt joins the history, but the schedule and the draft stay as the newer write left them.
    """
    if op.kind != "attempt" or op.passed:  # a write of the draft; a pass clears it
        row = conn.execute("SELECT saved_at FROM drafts WHERE exercise_id = ?", (op.exercise_id,)).fetchone()
        if not (replay and row is not None and (as_time(row[0]) or 0.0) > op.at):
            if op.kind == "draft":
                _upsert(conn, "drafts", op.exercise_id, text=op.answer, saved_at=op.at)
            else:
                conn.execute("DELETE FROM drafts WHERE exercise_id = ?", (op.exercise_id,))
    if op.kind != "attempt":
        return
    conn.execute(
        "INSERT INTO attempts (exercise_id, at, mode, passed, score, max_score, answer) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (op.exercise_id, op.at, op.mode, int(op.passed), op.score, op.max_score, op.answer),
    )
    row = conn.execute("SELECT box, last_at FROM schedule WHERE exercise_id = ?", (op.exercise_id,)).fetchone()
    if replay and row is not None and (as_time(row[1]) or 0.0) > op.at:
        return
    box = min((as_box(row[0]) if row else 1) + 1, TOP_BOX) if op.passed else 1
    due = op.at + BOX_INTERVALS[box] if op.passed else op.at
    _upsert(conn, "schedule", op.exercise_id, box=box, due_at=due, last_passed=int(op.passed), last_at=op.at)


def _upsert(conn: sqlite3.Connection, table: str, exercise_id: str, **values: object) -> None:
    """Update the exercise's row, or insert it; works on a file whose table lost its primary key too."""
    names = list(values)
    assignments = ", ".join(f"{n} = ?" for n in names)
    updated = conn.execute(f"UPDATE {table} SET {assignments} WHERE exercise_id = ?", (*values.values(), exercise_id))
    if updated.rowcount == 0:
        columns = ", ".join(["exercise_id", *names])
        marks = ", ".join("?" * (len(names) + 1))
        conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", (exercise_id, *values.values()))


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error (a failed COMMIT included)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
