"""Prints how fast offline grading is: one `kubedojo check` process, and answers graded per second in-process."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exercises.loader import load_catalog  # noqa: E402
from graders.grade import grade  # noqa: E402

PROCESS_RUNS = 15


def process_median(exercise_id: str, answer: str) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as handle:
        handle.write(answer)
    times = []
    for _ in range(PROCESS_RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "app.cli", "check", exercise_id, "--file", handle.name, "--json"], cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    Path(handle.name).unlink()
    return statistics.median(times)


def main() -> None:
    catalog = load_catalog(bundled=True, user=False)
    exercises = [e for e in catalog.exercises() if e.offline]
    answers = [(e, a) for e in exercises for a in [e.solution, *(c.answer for c in e.counterexamples)]]
    print(f"bundled: {len(exercises)} offline exercises, {len(answers)} answers (solutions + counterexamples)")

    by_kind = {}
    for e in exercises:
        by_kind.setdefault(e.kind, e)
    for kind, exercise in sorted(by_kind.items()):
        print(f"`kubedojo check` process, median of {PROCESS_RUNS} ({kind}: {exercise.id}): {process_median(exercise.id, exercise.solution) * 1000:.0f} ms")

    for exercise, answer in answers:  # warm caches (schemas, compiled paths) as a long-lived app would be
        grade(exercise, answer)
    rounds = 5
    start = time.perf_counter()
    for _ in range(rounds):
        for exercise, answer in answers:
            grade(exercise, answer)
    elapsed = time.perf_counter() - start
    print(f"in-process grading: {rounds * len(answers) / elapsed:.0f} answers/s ({elapsed / (rounds * len(answers)) * 1000:.2f} ms each)")
    manifests = [(e, a) for e, a in answers if e.kind == "manifest"]
    start = time.perf_counter()
    for exercise, answer in manifests * rounds:
        grade(exercise, answer)
    elapsed = time.perf_counter() - start
    if manifests:
        print(f"in-process, manifests only: {rounds * len(manifests) / elapsed:.0f} answers/s")


if __name__ == "__main__":
    main()
