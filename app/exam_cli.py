"""`kubedojo exam`: list, start, resume, history and export mock exams; grade a folder of answers without the app."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from typing import Any

import click

from app.cli import EXIT_FAIL, EXIT_PASS, EXIT_UNUSABLE, Unusable, catalog_for, cluster_options, lang_option, pack_option, resolve_lang, warn
from app.exam_export import FORMATS, minutes, render, say
from app.render import json_text, terminal_safe
from exercises.exam_attempt import MODES
from exercises.base import pick

TASK_FILE = re.compile(r"^(?:task[-_]?)?0*(\d+)$", re.IGNORECASE)
"""An answer file named after its task's number: 3.yaml, 03.yaml, task-3.yaml."""


def _exams(packs: tuple[Path, ...]) -> tuple[Any, list[Any]]:
    from exercises.exams import load_exams

    catalog = catalog_for(packs)
    exams, problems = load_exams(catalog)
    warn(problems)
    return catalog, exams


def _exam_or_fail(exams: list[Any], name: str, lang: str) -> Any:
    from exercises.exams import find_exam

    exam = find_exam(exams, name)
    if exam is None:
        known = ", ".join(e.key for e in exams) or say(lang, "none", "없음")
        raise Unusable(say(lang, f"no exam {name!r} (known: {known})", f"시험 {name!r}이(가) 없습니다 (있는 시험: {known})"))
    return exam


def _paper(catalog: Any, exam: Any, seed: int | None, lang: str) -> tuple[Any, dict[str, Any]]:
    from exercises.exams import ExamError, draw_paper, pack_exercises

    exercises = pack_exercises(catalog, exam.pack)
    try:
        return draw_paper(exam, exercises, seed), {e.id: e for e in exercises}
    except ExamError as err:
        raise Unusable(str(err)) from None


def _store() -> Any:
    from app.exam_store import ExamStore

    store = ExamStore()
    for notice in store.notices:
        click.secho(f"kubedojo: {terminal_safe(notice)}", err=True, fg="yellow")
    return store


@click.group("exam")
def exam() -> None:
    """Timed mock exams: a CKA-like paper, a wall clock, a score by domain."""


@exam.command("list")
@pack_option
@lang_option
@click.option("--json", "as_json", is_flag=True, help="One JSON array on stdout.")
def list_exams(packs: tuple[Path, ...], lang: str | None, as_json: bool) -> None:
    """The exams of every pack."""
    lang = resolve_lang(lang)
    _catalog, exams = _exams(packs)
    rows = [{"exam": e.key, "title": pick(e.spec.title, lang), "tasks": e.spec.tasks or len(e.spec.fixed),
             "minutes": e.spec.duration_minutes, "pass_mark": e.spec.pass_mark, "drawn": e.spec.drawn} for e in exams]
    if as_json:
        click.echo(json_text(rows))
        return
    for row in rows:
        how = say(lang, "drawn", "무작위 출제") if row["drawn"] else say(lang, "fixed", "고정 출제")
        click.echo(f"{row['exam']:<28} {terminal_safe(row['title'])}  " + say(
            lang, f"{row['tasks']} tasks, {row['minutes']} min, pass {row['pass_mark']} %, {how}",
            f"{row['tasks']}문제, {row['minutes']}분, 합격선 {row['pass_mark']} %, {how}"))


@exam.command("start")
@click.argument("name")
@click.option("--seed", type=int, default=None, help="Draw this paper (the same seed gives the same tasks).")
@click.option("--mode", type=click.Choice(MODES), default="exam", show_default=True,
              help="exam: a clock, no hints, no verdict until the end; training: no clock, hints, a check per task, solutions.")
@click.option("--no-app", is_flag=True, help="Start the attempt and print its tasks instead of opening the app.")
@pack_option
@lang_option
@click.option("--json", "as_json", is_flag=True, help="With --no-app: the attempt as JSON.")
def start(name: str, seed: int | None, mode: str, no_app: bool, packs: tuple[Path, ...], lang: str | None, as_json: bool) -> None:
    """Start an attempt at exam NAME (`pack/exam`, or the exam id): timed (exam mode), or for training."""
    lang = resolve_lang(lang)
    catalog, exams = _exams(packs)
    exam_def = _exam_or_fail(exams, name, lang)
    paper, _ = _paper(catalog, exam_def, seed, lang)
    store = _store()
    live = not no_app and any(t.live for t in paper.tasks)  # the app sets the live tasks up, then starts the clock
    attempt = store.begin(paper, exam_def.spec.duration_minutes, exam_def.spec.pass_mark, lang, mode, start_clock=not live)  # type: ignore[arg-type]
    store.close()
    if no_app:
        _print_attempt(attempt, lang, as_json)
        return
    from app.tui.main import run_app

    run_app(packs=packs, lang=lang, exam_attempt=attempt.attempt_id)  # type: ignore[call-arg]


@exam.command("resume")
@click.argument("attempt_id", required=False)
@click.option("--no-app", is_flag=True, help="Print the attempt's state (answers, flags, time left) instead of opening the app.")
@pack_option
@lang_option
@click.option("--json", "as_json", is_flag=True, help="With --no-app: the attempt as JSON.")
def resume(attempt_id: str | None, no_app: bool, packs: tuple[Path, ...], lang: str | None, as_json: bool) -> None:
    """Go back to an unfinished attempt (default: the newest), with the time left on its deadline."""
    lang = resolve_lang(lang)
    store = _store()
    open_ids = store.unfinished()
    attempt_id = attempt_id or (open_ids[0] if open_ids else None)
    attempt = store.load(attempt_id) if attempt_id else None
    store.close()
    if attempt is None:
        raise Unusable(say(lang, "no unfinished exam to resume (`kubedojo exam start NAME` starts one)",
                           "이어서 볼 시험이 없습니다 (`kubedojo exam start NAME`으로 시작하세요)"))
    if no_app:
        _print_attempt(attempt, lang, as_json)
        return
    from app.tui.main import run_app

    run_app(packs=packs, lang=lang, exam_attempt=attempt.attempt_id)  # type: ignore[call-arg]


def _print_attempt(attempt: Any, lang: str, as_json: bool) -> None:
    left = attempt.remaining(time.time())
    data = {"attempt": attempt.attempt_id, "exam": attempt.paper.exam_key, "seed": attempt.paper.seed, "mode": attempt.mode,
            "deadline": None if attempt.training else attempt.deadline,
            "remaining_seconds": None if attempt.training else round(left, 1),
            "tasks": [{**t.to_json(), "state": attempt.state(t.number), "answer": attempt.answers.get(t.number, "")}
                      for t in attempt.paper.tasks]}
    if as_json:
        click.echo(json_text(data))
        return
    if attempt.training:
        click.echo(say(lang, f"training attempt {attempt.attempt_id} of {attempt.paper.exam_key} (seed {attempt.paper.seed}): no clock",
                       f"{attempt.paper.exam_key} 연습 {attempt.attempt_id} (seed {attempt.paper.seed}): 시간 제한 없음"))
    else:
        click.echo(say(lang, f"attempt {attempt.attempt_id} of {attempt.paper.exam_key} (seed {attempt.paper.seed}): {minutes(left)} left",
                       f"{attempt.paper.exam_key} 응시 {attempt.attempt_id} (seed {attempt.paper.seed}): {minutes(left)} 남음"))
    for task in data["tasks"]:
        click.echo(f"  {task['number']:>2}. {task['exercise']:<28} {task['domain']:<22} {task['points']:>2}  {task['state']}")


@exam.command("history")
@click.argument("name", required=False)
@lang_option
@click.option("--json", "as_json", is_flag=True, help="One JSON array on stdout.")
def history(name: str | None, lang: str | None, as_json: bool) -> None:
    """Finished attempts, oldest first, with their score and weakest domain."""
    lang = resolve_lang(lang)
    store = _store()
    entries = store.history()
    store.close()
    if name:
        entries = [e for e in entries if e.exam_key == name or e.exam_key.split("/")[-1] == name]
    if as_json:
        click.echo(json_text([{"attempt": e.attempt_id, "exam": e.exam_key, "mode": e.mode, "counted": not e.training,
                               "finished_at": e.finished_at, "percent": e.percent, "passed": e.passed,
                               "domains": e.result.get("domains", [])} for e in entries]))
        return
    if not entries:
        click.echo(say(lang, "no finished exam yet", "아직 끝낸 시험이 없습니다"))
    from app.exam_export import domain_title

    for e in entries:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(e.finished_at))
        word = say(lang, "pass", "합격") if e.passed else say(lang, "fail", "불합격")
        weakest = (e.result.get("domains") or [{}])[0].get("domain", "")
        if e.training:  # kept, but not an exam score: not in the trend, not the weakest domain
            click.echo(f"{when}  {e.attempt_id}  {e.exam_key:<24} {e.percent:5.1f} %  "
                       + say(lang, "[training: not counted]", "[연습: 점수에 넣지 않음]"))
            continue
        click.echo(f"{when}  {e.attempt_id}  {e.exam_key:<24} {e.percent:5.1f} %  {word:<6} "
                   + say(lang, f"weakest: {domain_title(weakest, lang)}", f"가장 약한 영역: {domain_title(weakest, lang)}"))


def _write(text: str, output: Path | None, lang: str) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as err:
        raise Unusable(say(lang, f"cannot write {output}: {err.strerror or err}", f"{output}에 쓸 수 없습니다: {err.strerror or err}")) from None


@exam.command("export")
@click.argument("attempt_id", required=False)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None, help="Write to this file instead of stdout.")
@lang_option
def export(attempt_id: str | None, fmt: str, output: Path | None, lang: str | None) -> None:
    """A finished attempt (default: the newest) as JSON, JUnit XML or Markdown, from what was stored: never re-graded."""
    from graders.exam_grade import ExamResult

    lang = resolve_lang(lang)
    store = _store()
    entries = store.history()
    store.close()
    chosen = [e for e in entries if e.attempt_id == attempt_id] if attempt_id else entries[-1:]
    if not chosen:
        raise Unusable(say(lang, f"no finished attempt {attempt_id or ''}".strip() + " (`kubedojo exam history` lists them)",
                           f"끝난 응시 {attempt_id or ''}이(가) 없습니다 (`kubedojo exam history`로 확인하세요)"))
    entry = chosen[0]
    try:
        result = ExamResult.from_json(entry.result)
    except (KeyError, TypeError, ValueError) as err:
        raise Unusable(say(lang, f"attempt {entry.attempt_id} has an unreadable result ({err})",
                           f"응시 {entry.attempt_id}의 결과를 읽을 수 없습니다 ({err})")) from None
    meta = {"attempt": entry.attempt_id, "mode": entry.mode, "started_at": entry.started_at, "finished_at": entry.finished_at}
    _write(render(result, fmt, lang, meta=meta, timestamp=entry.finished_at, mode=entry.mode), output, lang)


def read_answers(folder: Path, paper: Any, lang: str) -> tuple[dict[int, str], dict[int, str], list[str]]:
    """Answer files -> {task number: text}; files named after the exercise id or the task number (3.yaml, task-03.txt).

    Returns the answers, the tasks whose file could not be read (with why), and notes on files that match no task.
    """
    from graders.files import FileReadError, read_text_file
    from graders.source import MAX_ANSWER_BYTES

    by_exercise = {t.exercise_id: t.number for t in paper.tasks}
    answers: dict[int, str] = {}
    unreadable: dict[int, str] = {}
    notes: list[str] = []
    seen: dict[int, Path] = {}
    for path in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
        stem = path.name.split(".")[0]
        match = TASK_FILE.match(stem)
        number = by_exercise.get(stem) or (int(match.group(1)) if match and 1 <= int(match.group(1)) <= len(paper.tasks) else None)
        if number is None:
            notes.append(say(lang, f"{path.name} matches no task of the paper; it is not graded",
                             f"{path.name}은(는) 시험지의 어느 문제와도 맞지 않아 채점하지 않습니다"))
            continue
        if number in seen:
            unreadable[number] = say(lang, f"two answer files for task {number}: {seen[number].name} and {path.name}; keep one",
                                     f"{number}번 문제의 답 파일이 둘입니다: {seen[number].name}, {path.name}. 하나만 두세요")
            continue
        seen[number] = path
        try:
            answers[number] = read_text_file(path, MAX_ANSWER_BYTES)
        except FileReadError as err:
            unreadable[number] = say(lang, f"cannot use {err}", f"사용할 수 없습니다: {err}")
    return answers, unreadable, notes


@exam.command("grade")
@click.argument("name")
@click.option("--answers", "folder", default=None, type=click.Path(path_type=Path, exists=True, file_okay=False),
              help="A folder of answer files, named after the exercise id or the task number (web-pod.yaml, 3.txt).")
@click.option("--class", "class_dir", default=None, type=click.Path(path_type=Path),
              help="Instead: a folder with one such folder per student; writes results.csv, results.json and junit/ under --out.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("results"), show_default=True, help="Where --class writes.")
@click.option("--seed", type=int, default=None, help="The paper's seed (a drawn exam without a fixed seed needs it).")
@click.option("--live", is_flag=True, help="Grade the paper's live tasks on the cluster.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None, help="Write to this file instead of stdout.")
@cluster_options
@pack_option
@lang_option
def grade(name: str, folder: Path | None, class_dir: Path | None, out: Path, seed: int | None, live: bool, fmt: str, output: Path | None,
          context: str | None, kubeconfig: str | None, allow_context: tuple[str, ...], packs: tuple[Path, ...], lang: str | None) -> None:
    """Grade a folder of a student's answers to exam NAME (or a class's folders with --class), without the app. Exit 0 pass, 1 fail, 2 unusable."""
    from graders.exam_grade import grade_paper, replace_errors

    lang = resolve_lang(lang)
    if (folder is None) == (class_dir is None):
        raise Unusable(say(lang, "give one of --answers DIR (a student's answers) or --class DIR (a folder of students' folders)",
                           "--answers DIR(학생 한 명의 답) 또는 --class DIR(학생 폴더들을 담은 폴더) 중 하나를 주세요"))
    if class_dir is not None:
        if live:
            raise Unusable(say(lang, "--class grades the answer files the students handed in: leave out --live",
                               "--class는 학생들이 낸 답 파일을 채점합니다: --live를 빼세요"))
        from app.class_cli import grade_class_command

        grade_class_command(name, class_dir, out, seed, packs, lang, fmt == "json")
        sys.exit(EXIT_PASS)
    catalog, exams = _exams(packs)
    exam_def = _exam_or_fail(exams, name, lang)
    if exam_def.spec.drawn and exam_def.spec.seed is None and seed is None:
        raise Unusable(say(lang, f"{exam_def.key} draws its tasks: give --seed (the attempt's, shown by `kubedojo exam start`)",
                           f"{exam_def.key}은(는) 문제를 무작위로 뽑습니다: --seed를 주세요 (`kubedojo exam start`가 보여 주는 값)"))
    paper, exercises = _paper(catalog, exam_def, seed, lang)
    answers, unreadable, notes = read_answers(folder, paper, lang)
    for note in notes:
        click.secho(f"kubedojo: {terminal_safe(note)}", err=True, fg="yellow")
    grader = None
    if live:
        from app.cluster_cli import practice_for

        practice = practice_for(context, kubeconfig, allow_context)
        grader = lambda exercise, deadline: practice.check(exercise, lang, deadline=deadline)  # noqa: E731
    result = grade_paper(paper, exercises, {n: a for n, a in answers.items() if n not in unreadable}, pass_mark=exam_def.spec.pass_mark,
                         live=grader, lang=lang)
    result = replace_errors(result, unreadable)
    _write(render(result, fmt, lang, title=pick(exam_def.spec.title, lang), meta={"answers": str(folder)}), output, lang)
    sys.exit(EXIT_PASS if result.passed else EXIT_FAIL)


__all__ = ["exam", "read_answers", "EXIT_UNUSABLE"]
