"""Damaged progress databases (tests/fixtures/hostile/databases): a clear message, never a traceback, nothing lost."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.progress import ProgressStore
from tests.app.conftest import PACK

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "fixtures" / "hostile" / "databases"
HANG_BOUND = 60  # seconds; only a hang trips it (a healthy run takes well under one)


def header(path: Path) -> dict[str, str]:
    """The `-- key: value` lines at the top of a case."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-- ") and ":" in line:
            key, _, value = line[3:].partition(":")
            found[key.strip()] = value.strip()
    return found


def build(case: Path, db: Path) -> None:
    """Make the damaged database the case describes, at db."""
    spec = header(case)
    base = spec.get("base", "kubedojo")
    if base == "kubedojo":
        store = ProgressStore(db)
        store.record_attempt("web-pod", passed=False, score=0, max_score=2, answer="first try")
        store.record_attempt("web-pod", passed=True, score=2, max_score=2, answer="second try")
        store.record_attempt("cmd-logs", passed=False, score=0, max_score=1, answer="k logs")
        store.save_draft("web-pod", "a draft")
        store.save_draft("cmd-logs", "kubectl logs")
        store.close()
    if base != "none":
        conn = sqlite3.connect(db)
        conn.executescript(case.read_text(encoding="utf-8"))
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    damage = spec.get("bytes")
    if damage == "empty":
        db.write_bytes(b"")
    elif damage == "text":
        db.write_text("these are my notes, not a database\n" * 200, encoding="utf-8")
    elif damage == "truncate":
        db.write_bytes(db.read_bytes()[:4096])
    elif damage == "header":
        data = db.read_bytes()
        db.write_bytes(b"\x07" * 100 + data[100:])
    elif damage == "zero-page":
        conn = sqlite3.connect(db)
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'attempts'").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        conn.close()
        data = bytearray(db.read_bytes())
        data[(root - 1) * size: root * size] = b"\x00" * size
        db.write_bytes(bytes(data))
    where = spec.get("path")
    if where == "fifo":
        os.mkfifo(db)
    elif where == "folder":
        db.mkdir()
    elif where == "dev-zero":
        db.symlink_to("/dev/zero")


def expectation(case: Path) -> tuple[str, str]:
    outcome, _, words = header(case)["expect"].partition(" ")
    return outcome, words


def fingerprint(db: Path) -> bytes | str:
    if db.is_symlink():
        return f"link to {os.readlink(db)}"
    if not db.is_file():
        return "not a file"
    return db.read_bytes()


def all_aside(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if ".corrupt-" in p.name and not p.name.endswith(("-wal", "-shm")))


ALL = sorted(CASES.glob("*.sql"))


def test_the_corpus_is_there():
    assert len(ALL) >= 20
    for case in ALL:
        assert expectation(case)[0] in {"fine", "repaired", "moved", "memory"}, case.name


@pytest.mark.parametrize("case", ALL, ids=lambda p: p.stem)
def test_every_damaged_database_is_said_and_nothing_is_lost(case, tmp_path):
    db = tmp_path / "progress.sqlite3"
    build(case, db)
    before = fingerprint(db)
    outcome, words = expectation(case)
    store = ProgressStore(db)
    try:
        ids = ["web-pod", "cmd-logs", "never-tried"]
        progress = store.all_progress(ids)  # what `stats` and the home screen read
        store.next_exercise(ids)
        for exercise_id in ids:
            store.progress(exercise_id)
            store.attempts(exercise_id)
            store.last_answer(exercise_id)
            store.draft(exercise_id)
        after = store.record_attempt("web-pod", passed=True, score=2, max_score=2, answer="after the damage")
        assert after.status == "passed" and after.box >= 2
        store.save_draft("cmd-logs", "still typing")
        assert store.draft("cmd-logs") == "still typing"
        said = " | ".join(store.notices).replace(str(tmp_path), "<tmp>")
        if outcome == "fine":
            assert store.notices == [], said
        else:
            assert words.lower() in said.lower(), said
        if outcome in ("fine", "repaired"):
            assert store.persistent and store.readable and not all_aside(tmp_path), said
            assert "damaged" not in said
            if header(case).get("base", "kubedojo") == "kubedojo":
                assert progress["cmd-logs"].attempts == 1  # a bad row never hides the good ones
        elif outcome == "moved":
            aside = all_aside(tmp_path)
            assert len(aside) == 1 and "moved to" in said, said
            assert aside[0].read_bytes() == before, "the damaged file is kept as it was"
            assert store.persistent
        else:  # memory: left exactly as it is, and the progress shown is not passed off as the file's
            assert not store.persistent and not store.readable and not all_aside(tmp_path), said
            assert "damaged" not in said
    finally:
        store.close()
    if outcome == "memory":
        assert fingerprint(db) == before


def kubedojo(*args: str, data: Path, timeout: int = HANG_BOUND) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KUBEDOJO_DATA_DIR": str(data),
           "KUBEDOJO_CONFIG_DIR": str(data / "config"), "KUBECONFIG": "/nonexistent"}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=timeout)


@pytest.mark.parametrize("case", ALL, ids=lambda p: p.stem)
def test_kubedojo_stats_on_every_damaged_database(case, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    build(case, data / "progress.sqlite3")
    outcome, words = expectation(case)
    done = kubedojo("stats", "--json", "--pack", str(PACK), data=data)
    assert "Traceback" not in done.stderr, done.stderr
    report = json.loads(done.stdout)  # one JSON object, whatever happens
    if header(case).get("stats") == "quiet" or outcome == "fine":
        assert "kubedojo:" not in done.stderr, done.stderr  # nothing stats reads is wrong
    else:
        assert words.lower() in done.stderr.lower(), done.stderr
    if outcome == "memory":  # zeros would be a lie: it says it cannot read the progress, and exits 1
        assert done.returncode == 1 and "cannot be read now" in report["error"], done.stderr
        return
    assert done.returncode == 0, done.stderr
    assert {r["domain"] for r in report["domains"]}
    if outcome in ("fine", "repaired") and header(case).get("base", "kubedojo") == "kubedojo":
        assert sum(r["attempts"] for r in report["domains"]) >= 3  # the good rows are all counted


def test_kubedojo_stats_as_a_table_says_what_it_repaired(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    build(CASES / "due_at_text.sql", data / "progress.sqlite3")
    done = kubedojo("stats", "--pack", str(PACK), data=data)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "due_at = 'x' (read as due now)" in done.stderr and "workloads" in done.stdout.lower()
