"""`kubedojo exam grade EXAM --class DIR`: a class's answer folders graded into one table (CSV, JSON) and a JUnit file per student."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from app.cli import Unusable, catalog_for, lang_option, pack_option, resolve_lang
from app.render import json_text, terminal_safe


def _say(lang: str, en: str, ko: str) -> str:
    return ko if lang == "ko" else en


def find_exam_or_fail(name: str, packs: tuple[Path, ...], lang: str):  # type: ignore[no-untyped-def]
    from exercises.exams import find_exam, load_exams

    catalog = catalog_for(packs)
    exams, problems = load_exams(catalog)
    exam = find_exam(exams, name)
    if exam is None:
        broken = [str(p) for p in problems if Path(p.file).stem == name.rsplit("/", 1)[-1]]
        known = ", ".join(e.key for e in exams) or _say(lang, "none", "없음")
        raise Unusable(_say(lang, f"no exam {name!r}" + (f" that loads: {'; '.join(broken)}" if broken else f" (exams: {known})"),
                            f"시험 {name!r}이(가) 없습니다" + (f": {'; '.join(broken)}" if broken else f" (시험: {known})")))
    return catalog, exam


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


def grade_class_command(exam_name: str, class_dir: Path, out: Path, packs: tuple[Path, ...], lang: str | None, as_json: bool) -> None:
    from exercises.exams import pack_exercises
    from graders.class_grade import csv_text, grade_class, json_data, junit_name, junit_xml

    lang = resolve_lang(lang)
    if not class_dir.is_dir():
        raise Unusable(_say(lang, f"{class_dir} is not a folder of students' folders", f"{class_dir}은(는) 학생 폴더들을 담은 폴더가 아닙니다"))
    catalog, exam = find_exam_or_fail(exam_name, packs, lang)
    exercises = {e.id: e for e in pack_exercises(catalog, exam.pack)}
    results = grade_class(class_dir, exam, exercises, lang)
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
            write_atomically(out / "junit" / f"{name}.xml", junit_xml(student, exam))
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


@click.group("exam")
def exam() -> None:
    """Mock exams."""


@exam.command("grade")
@click.argument("exam_name", metavar="EXAM")
@click.option("--class", "class_dir", required=True, type=click.Path(path_type=Path),
              help="A folder with one folder of answers per student (files named by task number or exercise id).")
@click.option("--out", type=click.Path(path_type=Path), default=Path("results"), show_default=True,
              help="Where results.csv, results.json and junit/<student>.xml are written.")
@pack_option
@lang_option
@click.option("--json", "as_json", is_flag=True, help="The class's table as one JSON object on stdout too.")
def exam_grade(exam_name: str, class_dir: Path, out: Path, packs: tuple[Path, ...], lang: str | None, as_json: bool) -> None:
    """Grade a class's answers to EXAM (`pack/exam`): one row per student, per task and per domain."""
    grade_class_command(exam_name, class_dir, out, packs, lang, as_json)
    sys.exit(0)
