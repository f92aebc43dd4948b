"""`kubedojo exam grade EXAM --class DIR`: a class's answer folders graded into one table (CSV, JSON) and a JUnit file per student."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from app.cli import Unusable
from app.render import json_text, terminal_safe


def _say(lang: str, en: str, ko: str) -> str:
    return ko if lang == "ko" else en


def write_atomically(path: Path, text: str) -> None:
    """The file appears whole or not at all (a class's results are never left half written)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def grade_class_command(exam_name: str, class_dir: Path, out: Path, seed: int | None, packs: tuple[Path, ...], lang: str, as_json: bool) -> None:
    """Grade every student's folder in `class_dir` and write the table and the JUnit files under `out`."""
    from app.exam_class import csv_text, grade_class, json_data, junit_name, junit_xml
    from app.exam_cli import _exam_or_fail, _exams
    from exercises.exams import pack_exercises

    if not class_dir.is_dir():
        raise Unusable(_say(lang, f"{class_dir} is not a folder of students' folders", f"{class_dir}은(는) 학생 폴더들을 담은 폴더가 아닙니다"))
    catalog, exams = _exams(packs)
    exam = _exam_or_fail(exams, exam_name, lang)
    exercises = {e.id: e for e in pack_exercises(catalog, exam.pack)}
    results = grade_class(class_dir, exam, exercises, lang, seed)
    if not results.students:
        for problem in results.problems:
            click.secho(f"kubedojo: {terminal_safe(problem)}", err=True, fg="red")
        raise Unusable(_say(lang, f"{class_dir} has no student's folder to grade", f"{class_dir}에 채점할 학생 폴더가 없습니다"))
    try:
        (out / "junit").mkdir(parents=True, exist_ok=True)
        write_atomically(out / "results.csv", csv_text(results))
        data = json_data(results)
        write_atomically(out / "results.json", json_text(data) + "\n")
        taken: set[str] = set()
        for student in results.students:
            name = junit_name(student.student)
            while name in taken:
                name += "_"
            taken.add(name)
            write_atomically(out / "junit" / f"{name}.xml", junit_xml(student, exam, lang))
    except OSError as err:
        raise Unusable(_say(lang, f"cannot write the results to {out}: {err.strerror or err}", f"{out}에 결과를 쓸 수 없습니다: {err.strerror or err}")) from None
    for problem in results.problems:
        click.secho(f"kubedojo: {terminal_safe(problem)}", err=True, fg="yellow")
    if as_json:
        click.echo(json_text(data))
        return
    for student in results.students:
        result = student.result
        score = f"{result.earned:g}/{result.possible} ({result.percent:.0f}%)" if result else "-"
        verdict = (_say(lang, "pass", "합격") if result.passed else _say(lang, "fail", "불합격")) if result else _say(lang, "not graded", "채점 안 됨")
        click.secho(f"{terminal_safe(student.student):<24} {score:<16} {verdict}", fg="green" if result and result.passed else "red")
        for problem in student.problems:
            click.secho(f"    {terminal_safe(problem)}", fg="yellow")
    click.echo(_say(lang, f"{len(results.students)} student(s): {out / 'results.csv'}, {out / 'results.json'}, {out / 'junit'}/",
                    f"학생 {len(results.students)}명: {out / 'results.csv'}, {out / 'results.json'}, {out / 'junit'}/"))
