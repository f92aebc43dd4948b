"""How long grading a full offline mock takes in-process: `python bench/exam_bench.py [ROUNDS]` prints the figures."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from exercises.exams import draw_paper, find_exam, load_exams, pack_exercises  # noqa: E402
from exercises.loader import load_catalog  # noqa: E402
from graders.exam_grade import grade_paper  # noqa: E402


def main(rounds: int) -> None:
    catalog = load_catalog(user=False)
    exams, _ = load_exams(catalog)
    exam = find_exam(exams, "cka-mock")
    exercises = {e.id: e for e in pack_exercises(catalog, exam.pack)}
    warm = draw_paper(exam, list(exercises.values()), 0)
    grade_paper(warm, exercises, {t.number: exercises[t.exercise_id].solution for t in warm.tasks}, pass_mark=66)  # imports, schemas
    times = []
    for seed in range(1, rounds + 1):
        paper = draw_paper(exam, list(exercises.values()), seed)
        answers = {t.number: exercises[t.exercise_id].solution for t in paper.tasks}
        start = time.perf_counter()
        result = grade_paper(paper, exercises, answers, pass_mark=exam.spec.pass_mark)
        times.append(time.perf_counter() - start)
        assert result.percent == 100, (seed, result.to_json())
    print(f"grading a full offline mock ({len(paper.tasks)} tasks, solutions as answers), {rounds} papers:")
    print(f"  median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms, min {min(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
