""""Next" in study mode: the weakest domain of the last recent exam-mode mock steers it to an exercise not passed yet."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from app.exam_store import ExamStore
from app.progress import ProgressStore
from app.study_next import recommend
from exercises.exams import Paper, PaperTask

ROOT = Path(__file__).resolve().parents[2]
DAY = 86400.0
EXERCISES = [SimpleNamespace(id=i, domain=d) for i, d in (
    ("storage-failed", "storage"), ("trouble-passed", "troubleshooting"), ("trouble-new", "troubleshooting"),
    ("trouble-failed", "troubleshooting"), ("net-new", "services-networking"))]
PAPER = Paper("cka-core/cka-mock", 1, (PaperTask(1, "trouble-new", "troubleshooting", "core", 4),))


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _finish(exams: ExamStore, mode: str, domains: dict[str, float]) -> str:
    attempt = exams.begin(PAPER, 120, 66, mode=mode)
    exams.clock.now += 3600
    result = {"percent": 50.0, "passed": False, "tasks": [],
              "domains": [{"domain": d, "percent": p} for d, p in sorted(domains.items(), key=lambda kv: kv[1])]}
    exams.finish(attempt, result)
    return attempt.attempt_id


def _stores(tmp_path):
    clock = Clock()
    progress = ProgressStore(tmp_path / "progress.sqlite3", clock)
    for exercise_id, passed in (("storage-failed", False), ("trouble-passed", True), ("trouble-failed", False)):
        progress.record_attempt(exercise_id, passed=passed, score=int(passed), max_score=1, answer="x")
    return clock, progress, ExamStore(tmp_path / "exams.sqlite3", clock)


def test_without_a_mock_the_schedule_alone_chooses(tmp_path):
    clock, progress, _exams = _stores(tmp_path)
    chosen = recommend(progress, EXERCISES, exam_path=tmp_path / "none.sqlite3", now=clock.now)
    assert chosen.exercise_id == "storage-failed" and chosen.reason("en") == "" and chosen.to_json() is None
    assert not (tmp_path / "none.sqlite3").exists(), "looking for a mock makes no exam file"


def test_the_weakest_domain_of_the_last_mock_steers_next_and_says_why(tmp_path):
    clock, progress, exams = _stores(tmp_path)
    attempt_id = _finish(exams, "exam", {"troubleshooting": 40.0, "storage": 90.0})
    chosen = recommend(progress, EXERCISES, exam_path=exams.path, now=clock.now)
    assert chosen.exercise_id == "trouble-failed"  # not storage's failed one, not the passed one: unpassed, failed first
    assert chosen.reason("en") == "weakest in your last mock: Troubleshooting 40%"
    assert "지난 모의시험에서 가장 약한 영역" in chosen.reason("ko") and "40%" in chosen.reason("ko")
    assert chosen.to_json() == {"domain": "troubleshooting", "percent": 40.0, "attempt": attempt_id}
    assert recommend(progress, EXERCISES, exclude="trouble-failed", exam_path=exams.path, now=clock.now).exercise_id == "trouble-new"


def test_training_attempts_old_mocks_and_a_domain_all_passed_do_not_steer(tmp_path):
    clock, progress, exams = _stores(tmp_path)
    _finish(exams, "exam", {"services-networking": 20.0, "troubleshooting": 80.0})
    _finish(exams, "training", {"troubleshooting": 5.0})  # later and worse, but training
    assert recommend(progress, EXERCISES, exam_path=exams.path, now=clock.now).exercise_id == "net-new"
    assert recommend(progress, EXERCISES, exam_path=exams.path, now=clock.now + 40 * DAY).domain is None  # not recent
    progress.record_attempt("net-new", passed=True, score=1, max_score=1, answer="x")
    chosen = recommend(progress, EXERCISES, exam_path=exams.path, now=clock.now)
    assert chosen.domain is None and chosen.exercise_id == "storage-failed"  # nothing unpassed there: the schedule


def test_stats_says_why_next_is_next(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    exams = ExamStore(data / "exams.sqlite3")
    attempt = exams.begin(PAPER, 120, 66)
    exams.finish(attempt, {"percent": 40.0, "passed": False, "tasks": [],
                           "domains": [{"domain": "troubleshooting", "percent": 40.0}, {"domain": "storage", "percent": 75.0}]})
    exams.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KUBEDOJO_DATA_DIR": str(data), "KUBEDOJO_CONFIG_DIR": str(tmp_path / "config"),
           "LANG": "C.UTF-8"}
    done = subprocess.run([sys.executable, "-m", "app.cli", "stats", "--json"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["next_because"]["domain"] == "troubleshooting" and report["next"].startswith("trouble")
    text = subprocess.run([sys.executable, "-m", "app.cli", "stats"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert "weakest in your last mock: Troubleshooting 40%" in " ".join(text.stdout.split())


def _hold(path: Path):
    """Another connection holding the exam database EXCLUSIVE (in WAL mode, readers are kept out too)."""
    import sqlite3

    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def test_a_locked_exam_database_leaves_next_to_the_schedule_and_says_why(tmp_path):
    clock, progress, exams = _stores(tmp_path)
    _finish(exams, "exam", {"troubleshooting": 40.0})
    exams.close()
    holder = _hold(exams.path)
    try:
        chosen = recommend(progress, EXERCISES, exam_path=exams.path, now=clock.now)
    finally:
        holder.close()
    assert chosen.exercise_id == "storage-failed" and chosen.domain is None  # the schedule alone
    assert len(chosen.notices) == 1 and "is locked by another program" in chosen.notices[0]
    assert "follows the study schedule alone" in chosen.notices[0] and "kept in memory" not in chosen.notices[0]
    assert recommend(progress, EXERCISES, exam_path=exams.path, now=clock.now).domain == "troubleshooting"  # free again


def test_a_damaged_exam_database_is_said_and_moved_aside(tmp_path):
    clock, progress, exams = _stores(tmp_path)
    exams.close()
    exams.path.write_text("these are my notes, not a database\n" * 200, encoding="utf-8")
    chosen = recommend(progress, EXERCISES, exam_path=exams.path, now=clock.now)
    assert chosen.exercise_id == "storage-failed" and chosen.domain is None
    assert len(chosen.notices) == 1 and "was damaged" in chosen.notices[0] and "moved to" in chosen.notices[0], chosen.notices
    assert [p for p in tmp_path.iterdir() if ".corrupt-" in p.name], "the damaged file is kept beside the new one"
