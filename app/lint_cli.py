"""`kubedojo lint`: check packs an instructor wrote, and self-test their exercises."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from app.render import json_text, terminal_safe
from exercises.lint import lint_catalog
from exercises.loader import load_catalog


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--no-self-test", is_flag=True, help="Skip grading each solution and counterexample.")
@click.option("--strict", is_flag=True, help="Warnings fail too.")
@click.option("--json", "as_json", is_flag=True, help="One JSON array of problems on stdout.")
def lint(paths: tuple[Path, ...], no_self_test: bool, strict: bool, as_json: bool) -> None:
    """Lint packs (default: the bundled ones). Exit 0 clean, 1 problems, 2 nothing to lint."""
    catalog = load_catalog(paths, bundled=not paths, user=False)
    packs = [p for p in catalog.packs if not paths or any(p.path.resolve().is_relative_to(Path(x).resolve()) for x in paths)]
    problems = lint_catalog(catalog, packs, self_test=not no_self_test)
    if not packs:
        problems = [p for p in catalog.problems]
    failing = [p for p in problems if p.severity == "error" or strict]
    if as_json:
        click.echo(json_text([{"file": p.file, "line": p.line, "severity": p.severity, "message": p.message} for p in problems]))
    else:
        for problem in problems:
            click.secho(terminal_safe(problem), fg="red" if problem.severity == "error" else "yellow")
        count = sum(len(p.exercise_files) for p in packs)
        click.secho(f"{len(packs)} pack(s), {count} exercise(s): {len(problems)} problem(s)", bold=True, fg="green" if not failing else "red")
    sys.exit(2 if not packs else (1 if failing else 0))
