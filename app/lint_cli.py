"""`kubedojo lint`: check packs an instructor wrote, and self-test their exercises (offline, and with --live on a practice cluster)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from app.cli import cluster_options
from app.render import json_text, terminal_safe
from exercises.lint import lint_catalog
from exercises.loader import PackProblem, line_of, load_catalog


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--no-self-test", is_flag=True, help="Skip grading each solution and counterexample.")
@click.option("--live", is_flag=True, help="Also prove every live exercise on your practice cluster: setup, answers, reset.")
@cluster_options
@click.option("--strict", is_flag=True, help="Warnings fail too.")
@click.option("--json", "as_json", is_flag=True, help="One JSON array of problems on stdout (with --live: an object with problems and live).")
def lint(paths: tuple[Path, ...], no_self_test: bool, live: bool, context: str | None, kubeconfig: str | None,
         allow_context: tuple[str, ...], strict: bool, as_json: bool) -> None:
    """Lint packs (default: the bundled ones). Exit 0 clean, 1 problems, 2 nothing to lint (or no cluster for --live)."""
    catalog = load_catalog(paths, bundled=not paths, user=False)
    packs = [p for p in catalog.packs + catalog.shadowed if not paths or any(p.path.resolve().is_relative_to(Path(x).resolve()) for x in paths)]
    problems = lint_catalog(catalog, packs, self_test=not no_self_test)
    if not packs:
        problems = [p for p in catalog.problems]
    reports: list[Any] = []
    if live and packs:
        reports, live_problems, unusable = _live(packs, context, kubeconfig, allow_context, quiet=as_json)
        problems += live_problems
        if unusable:
            _print(problems, packs, as_json, reports)
            click.secho(f"kubedojo: {terminal_safe(unusable)}", err=True, fg="red")
            sys.exit(2)
    _print(problems, packs, as_json, reports if live else None)
    failing = [p for p in problems if p.severity == "error" or strict]
    sys.exit(2 if not packs else (1 if failing else 0))


def _print(problems: list[PackProblem], packs: list[Any], as_json: bool, reports: list[Any] | None) -> None:
    rows = [{"file": p.file, "line": p.line, "severity": p.severity, "message": p.message} for p in problems]
    if as_json:
        click.echo(json_text(rows if reports is None else {"problems": rows, "live": [r.to_json() for r in reports]}))
        return
    for problem in problems:
        click.secho(terminal_safe(problem), fg="red" if problem.severity == "error" else "yellow")
    failing = [p for p in problems if p.severity == "error"]
    count = sum(len(p.exercise_files) for p in packs)
    click.secho(f"{len(packs)} pack(s), {count} exercise(s): {len(problems)} problem(s)", bold=True, fg="green" if not failing else "red")


def _live(packs: list[Any], context: str | None, kubeconfig: str | None, allow_context: tuple[str, ...],
          quiet: bool) -> tuple[list[Any], list[PackProblem], str | None]:
    """Every live exercise of the packs proved on the practice cluster; (reports, problems, why the cluster cannot be used)."""
    from app.cluster_cli import practice_for
    from exercises.loader import load_exercise
    from graders.cluster import ClusterError, describe
    from graders.live_selftest import self_test_live
    from graders.practice import missing_tools

    practice = practice_for(context, kubeconfig, allow_context)
    try:
        kube = practice.connect(practice_only=True)
    except ClusterError as err:
        message, hint = describe(err.problem)
        return [], [], message + (f" (hint: {hint})" if hint else "")
    nodes = practice.nodes() if not missing_tools("docker") else None  # a static pod is written on a kind node
    reports, problems = [], []
    for pack in packs:
        for path in pack.exercise_files.values():
            exercise, _ = load_exercise(path)
            if exercise is None:
                continue
            report = self_test_live(exercise, kube, nodes=nodes, workdir=pack.path)
            reports.append(report)
            problems += _live_problems(report, exercise, path)
            if not quiet:
                _print_report(report)
    return reports, problems, None


def _live_problems(report: Any, exercise: Any, path: Path) -> list[PackProblem]:
    if report.skipped:
        return [PackProblem(str(path), f"live: not proved on the cluster: {report.skipped}", line_of(path, ("live",)), "warning")]
    if report.error:
        return [PackProblem(str(path), f"live: the cluster failed midway: {report.error}", line_of(path, ("live",)))]
    if report.nothing_to_test:
        return []
    found = []
    locations = {"solution": ("solution",), **{f"also_right {i + 1}": ("also_right", i) for i in range(len(exercise.also_right))},
                 **{f"counterexample {i + 1}": ("counterexamples", i) for i in range(len(exercise.counterexamples))}}
    for trial in report.trials:
        if trial.not_run and trial.must_pass:
            found.append(PackProblem(str(path), f"live: {trial.what} ({trial.why}) is not run live: {trial.not_run}", line_of(path, locations[trial.what]), "warning"))
        elif not trial.ok:
            said = f"fails live: {trial.detail}" if trial.must_pass else "passes live, but it must fail"
            found.append(PackProblem(str(path), f"live: {trial.what} ({trial.why}) {said}", line_of(path, locations[trial.what])))
    if report.leftovers:
        found.append(PackProblem(str(path), f"live: reset leaves {', '.join(report.leftovers)} behind", line_of(path, ("live",))))
    return found


def _print_report(report: Any) -> None:
    if report.nothing_to_test:
        click.secho(f"live {report.exercise_id} ({report.kind}): nothing to test live: {terminal_safe(report.nothing_to_test)}", dim=True)
        return
    if report.skipped:
        click.secho(f"live {report.exercise_id} ({report.kind}): skipped ({terminal_safe(report.skipped)})", fg="yellow")
        return
    if report.error:
        click.secho(f"live {report.exercise_id} ({report.kind}) ✘  the cluster failed midway: {terminal_safe(report.error)}", fg="red")
        return
    mark = "✔" if report.ok else "✘"
    click.secho(f"live {report.exercise_id} ({report.kind}) {mark}  {report.seconds:.1f} s: setup ≤ {report.setup_seconds:.1f} s, "
                f"reset ≤ {report.reset_seconds:.1f} s" + (f", left behind: {', '.join(report.leftovers)}" if report.leftovers else ""),
                fg="green" if report.ok else "red")
    for trial in report.trials:
        verdict = "not run" if trial.not_run else "passes" if trial.passed else "fails"
        line = f"  {'✔' if trial.ok else '✘'} {trial.what:<17} {verdict:<6} {trial.seconds:5.1f} s  {terminal_safe(trial.why)}"
        why = trial.not_run or (trial.detail if not trial.ok else "")
        click.secho(line + (f": {terminal_safe(why)}" if why else ""), fg=None if trial.ok else "red")
