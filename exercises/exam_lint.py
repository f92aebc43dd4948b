"""Linting a pack's mock exams: what the model cannot see (unknown exercises, a draw the pack cannot fill)."""

from __future__ import annotations

from exercises.exams import Exam, ExamError, draw_paper, exam_files, load_exam, pack_exercises
from exercises.loader import Catalog, Pack, PackProblem, line_of


def lint_pack_exams(catalog: Catalog, pack: Pack) -> list[PackProblem]:
    """Every problem of the pack's `exams/*.yaml`, with file and line."""
    problems: list[PackProblem] = []
    exercises = None
    for path in exam_files(pack):
        exam, found = load_exam(path, pack)
        problems.extend(found)
        if exam is None:
            continue
        if exercises is None:
            exercises = pack_exercises(catalog, pack)
        problems.extend(lint_exam(exam, exercises))
    return problems


def lint_exam(exam: Exam, exercises: list) -> list[PackProblem]:
    spec, path = exam.spec, exam.path
    by_id = {e.id: e for e in exercises}
    problems: list[PackProblem] = []

    def say(message: str, loc: tuple = (), severity: str = "error") -> None:
        problems.append(PackProblem(str(path), message, line=line_of(path, loc) if loc else None, severity=severity))

    for i, task in enumerate(spec.fixed):
        exercise = by_id.get(task.exercise)
        if exercise is None:
            say(f"fixed task {i + 1}: no exercise {task.exercise!r} in pack {exam.pack.meta.id!r}", ("fixed", i, "exercise"))
        elif task.live and exercise.live is None:
            say(f"fixed task {i + 1}: {task.exercise} is marked live but has no `live` section", ("fixed", i, "live"))
        elif exercise.live_only and not task.live:
            say(f"fixed task {i + 1}: {task.exercise} works only on a cluster; it is done live", ("fixed", i), "warning")
    for i, exercise_id in enumerate(spec.exclude):
        if exercise_id not in by_id:
            say(f"exclude names {exercise_id!r}, which is not an exercise of the pack", ("exclude", i), "warning")
    if spec.drawn:
        for domain in spec.domain_weights():
            if not any(e.domain == domain for e in exercises):
                say(f"domain {domain} has a weight but the pack has no exercise in it; its share goes to the others",
                    ("domains", domain), "warning")
        try:
            for problem in sorted(set().union(*(paper_problems(exam, draw_paper(exam, exercises, seed)) for seed in DRAW_SEEDS))):
                say(problem, ("tasks",))
        except ExamError as err:
            say(str(err), ("tasks",))
        capable = sum(1 for e in exercises if e.live is not None and e.id not in spec.exclude)
        if spec.live_tasks > capable:
            say(f"live_tasks is {spec.live_tasks} but the pack has only {capable} exercise(s) with a `live` section",
                ("live_tasks",), "warning")
    return problems


DRAW_SEEDS = range(64)
"""How many papers lint draws: the share of each domain and level depends only on the pack, so a
problem any seed can meet shows in these; what varies with the seed (which exercises, which done live) is checked on each."""


def paper_problems(exam: Exam, paper) -> set[str]:
    """What is wrong with one drawn paper: its size, a repeated exercise, more live tasks than the exam allows."""
    spec, problems = exam.spec, set()
    ids = [task.exercise_id for task in paper.tasks]
    if len(ids) != spec.tasks:
        problems.add(f"a draw gives {len(ids)} task(s), not {spec.tasks}")
    if len(set(ids)) != len(ids):
        problems.add("a draw repeats an exercise")
    live = sum(1 for task in paper.tasks if task.live)
    if live > spec.live_tasks:
        problems.add(f"a draw has {live} live task(s) but live_tasks is {spec.live_tasks}: the pack's live-only exercises are drawn live whatever the exam says"
                     " (exclude them, or raise live_tasks)")
    return problems
