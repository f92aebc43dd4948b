"""Linting a pack: what the model cannot see, and a self-test of every exercise's solution and counterexamples."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from exercises.loader import Catalog, Pack, PackProblem, line_of, load_exercise
from exercises.model import CountCheck, Exercise, FieldCheck


def lint_catalog(catalog: Catalog, packs: list[Pack] | None = None, self_test: bool = True) -> list[PackProblem]:
    """Every problem in the given packs (default: all), loading problems included."""
    chosen = packs if packs is not None else catalog.packs
    problems: list[PackProblem] = []
    chosen_dirs = {str(p.path) for p in chosen}
    problems.extend(p for p in catalog.problems if any(p.file.startswith(d) for d in chosen_dirs))
    for pack in chosen:
        for exercise_id, path in pack.exercise_files.items():
            exercise, load_problems = load_exercise(path)
            if exercise is None:
                if not any(p.file == str(path) for p in problems):
                    problems.extend(load_problems)
                continue
            problems.extend(lint_exercise(exercise, path, pack, self_test=self_test))
        from exercises.exam_lint import lint_pack_exams

        problems.extend(lint_pack_exams(catalog, pack))
    return problems


def _check_paths(exercise: Exercise) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(location in the file, JSONPath) of every check that has a path."""
    sections = [(("checks",), exercise.checks), (("live", "checks"), exercise.live.checks if exercise.live else [])]
    for where, checks in sections:
        for i, check in enumerate(checks):
            if isinstance(check, FieldCheck):
                for expression in check.paths:
                    yield (*where, i, "path"), expression
            elif isinstance(check, CountCheck) and check.path:
                yield (*where, i, "path"), check.path


def lint_exercise(exercise: Exercise, path: Path, pack: Pack | None = None, self_test: bool = True) -> list[PackProblem]:
    from graders.paths import PathError, compile_path

    problems: list[PackProblem] = []
    file = str(path)

    def warn(message: str, loc: tuple[Any, ...] = (), severity: str = "warning") -> None:
        problems.append(PackProblem(file, message, line=line_of(path, loc) if loc else None, severity=severity))

    for loc, expression in _check_paths(exercise):
        try:
            compile_path(expression)
        except PathError as err:
            warn(str(err), loc, "error")
    if len(exercise.hints) < 2:
        warn("give at least two hints, from gentle to explicit", ("hints",))
    if not exercise.docs:
        warn("link the kubernetes.io page the candidate may open in the exam (docs)")
    for i, url in enumerate(exercise.docs):
        if not url.startswith("https://"):
            warn(f"docs link {url!r} is not an https URL", ("docs", i), "error")
    if exercise.explanation is None:
        warn("add an explanation, shown after an attempt", ("solution",))
    if exercise.kind != "quiz" and not exercise.counterexamples:
        warn("add counterexamples (wrong answers that must fail): they prove the checks bite", ("checks",))
    if len(exercise.also_right) < 2:
        warn("add at least two also_right answers (right, but written unlike the solution): they prove the checks accept every form",
             ("also_right",) if exercise.also_right else ("solution",))
    if pack is not None:
        missing = [lang for lang in pack.meta.languages if lang not in exercise.title]
        if missing:
            warn(f"the pack promises {', '.join(missing)} but the title has none", ("title",), "error")
    if self_test and not any(p.severity == "error" for p in problems):
        problems.extend(self_test_exercise(exercise, path))
    return problems


def self_test_exercise(exercise: Exercise, path: Path) -> list[PackProblem]:
    """The solution and every also_right answer must pass, every counterexample must fail (offline-gradable exercises)."""
    if not exercise.offline:
        return []
    from graders.grade import grade

    problems: list[PackProblem] = []
    if exercise.kind == "command" and exercise.command and exercise.command.start:
        from graders.kubectl_grade import start_problem

        why = start_problem(exercise)
        if why:
            problems.append(PackProblem(str(path), f"command.start is given but the solution cannot be applied to it: {why}",
                                        line=line_of(path, ("command", "start"))))
    report = grade(exercise, exercise.solution)
    if not report.passed:
        reasons = [e.message for e in report.errors] + [f"{r.check_id}: {r.message}" for r in report.results if not r.passed]
        problems.append(PackProblem(str(path), "the solution does not pass: " + "; ".join(reasons), line=line_of(path, ("solution",))))
    for i, other in enumerate(exercise.also_right):
        report = grade(exercise, other.answer)
        if not report.passed:
            reasons = [e.message for e in report.errors] + [f"{r.check_id}: {r.message}" for r in report.results if not r.passed]
            problems.append(PackProblem(str(path), f"also_right {i + 1} ({other.why}) fails: " + "; ".join(reasons), line=line_of(path, ("also_right", i))))
    for i, counter in enumerate(exercise.counterexamples):
        if grade(exercise, counter.answer).passed:
            problems.append(
                PackProblem(str(path), f"counterexample {i + 1} ({counter.why}) passes, but it must fail", line=line_of(path, ("counterexamples", i)))
            )
    return problems
