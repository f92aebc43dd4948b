"""`kubedojo stats`: progress per domain without opening the app."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.progress import ProgressStore
from tests.app.conftest import PACK

ROOT = Path(__file__).resolve().parents[2]


def kubedojo(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, cwd=ROOT, env=os.environ.copy(), timeout=60)


def test_stats_counts_by_domain_and_names_what_is_next(isolated):
    store = ProgressStore()
    store.record_attempt("web-pod", passed=True, score=2, max_score=2, answer="x")
    store.record_attempt("cmd-logs", passed=False, score=0, max_score=1, answer="y")
    store.close()
    done = kubedojo("stats", "--json", "--pack", str(PACK))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    rows = {r["domain"]: r for r in data["domains"]}
    assert rows["workloads-scheduling"]["passed"] == 1
    assert rows["troubleshooting"]["failed"] == 1 and rows["troubleshooting"]["attempts"] == 1
    assert data["next"] == "cmd-logs"
    text = kubedojo("stats", "--pack", str(PACK), "--lang", "ko")
    assert text.returncode == 0 and "트러블슈팅" in text.stdout and "다음 문제" in text.stdout
