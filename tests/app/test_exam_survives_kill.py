"""A mock exam killed with SIGKILL in a real terminal resumes with every answer, the flag, and the time left to a second."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[2]
HANG = 120
"""Seconds after which a wait counts as a hang (only a hang trips it)."""


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "KUBEDOJO_DATA_DIR": str(tmp_path / "data"),
            "KUBEDOJO_CONFIG_DIR": str(tmp_path / "config"), "TERM": "xterm-256color", "LANG": "C.UTF-8",
            "KUBECONFIG": "/nonexistent/kubeconfig"}


def _wait_for(predicate, what: str) -> None:
    deadline = time.monotonic() + HANG
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"hung waiting for {what}")
        time.sleep(0.2)


def test_resume_after_sigkill_keeps_answers_flag_and_time(tmp_path):
    from app.exam_store import ExamStore
    from exercises.exams import draw_paper, find_exam, load_exams, pack_exercises
    from exercises.loader import load_catalog

    catalog = load_catalog(user=False)
    exam = find_exam(load_exams(catalog)[0], "cka-short")
    exercises = {e.id: e for e in pack_exercises(catalog, exam.pack)}
    seed = next(s for s in range(200) if exercises[draw_paper(exam, list(exercises.values()), s).tasks[0].exercise_id].kind == "command")
    spawned = time.time()
    child = pexpect.spawn(sys.executable, ["-m", "app.cli", "exam", "start", "cka-short", "--seed", str(seed)], env=_env(tmp_path),
                          cwd=str(ROOT), dimensions=(40, 120), encoding="utf-8", codec_errors="replace", timeout=HANG)
    db = tmp_path / "data" / "exams.sqlite3"
    try:
        child.expect("kubectl", timeout=HANG)  # the first task's command input is on screen
        time.sleep(1.0)
        child.send("kubectl get pods -A")
        child.send("\x1b[15~")  # F5: flag
        store_view = lambda: ExamStore(db).load(ExamStore(db).unfinished()[0])  # noqa: E731

        def saved() -> bool:
            attempt = store_view()
            return attempt.answers.get(1) == "kubectl get pods -A" and attempt.flags == {1}

        _wait_for(saved, "the answer and the flag to be written")
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    finally:
        if child.isalive():
            child.kill(signal.SIGKILL)
    attempt = store_view()
    env = _env(tmp_path)
    assert spawned <= attempt.started_at and abs(attempt.deadline - attempt.started_at - exam.spec.duration_minutes * 60) < 1e-6
    before = time.time()
    done = subprocess.run([sys.executable, "-m", "app.cli", "exam", "resume", "--no-app", "--json"], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=HANG)
    after = time.time()
    state = json.loads(done.stdout)
    assert state["attempt"] == attempt.attempt_id and state["deadline"] == attempt.deadline
    assert state["tasks"][0]["answer"] == "kubectl get pods -A" and state["tasks"][0]["state"] == "flagged"
    # the time left is the stored deadline less the wall clock when it was read: the kill did not stop or restart it
    assert attempt.deadline - after - 1 <= state["remaining_seconds"] <= attempt.deadline - before + 1
    # and the app takes the attempt back: the same answer in the input
    child = pexpect.spawn(sys.executable, ["-m", "app.cli", "exam", "resume"], env=env, cwd=str(ROOT), dimensions=(40, 120),
                          encoding="utf-8", codec_errors="replace", timeout=HANG)
    try:
        child.expect("get pods -A", timeout=HANG)
    finally:
        child.kill(signal.SIGKILL)
        child.wait()
