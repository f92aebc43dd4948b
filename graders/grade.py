"""Grading an answer offline: a manifest, a command line or a quiz answer, into a GradeReport."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from exercises.model import Exercise
from graders.checks import RUNNERS, Subject, run_checks
from graders.report import AnswerError, GradeReport, unusable
from graders.source import Document, SourceError, parse_documents, strip_nulls


def _say(lang: str, en: str, ko: str) -> str:
    return ko if lang == "ko" else en


def _answer_error(err: SourceError, lang: str, fatal: bool = True) -> AnswerError:
    hint = (err.hint_ko or err.hint) if lang == "ko" else err.hint
    message = err.message.removeprefix(f"line {err.line}: ") if err.line else err.message
    return AnswerError(message, err.line, err.column, hint, fatal=fatal)


MAX_REPORTED_ERRORS = 10
"""Answer errors a report lists; the rest are counted in one last line (`... and 279,990 more`)."""
MAX_MESSAGE_CHARS = 2000
"""A message quotes values from the answer; one value of a megabyte must not make a megabyte of report."""


def grade(exercise: Exercise, answer: str, lang: str = "en", kubernetes_version: str | None = None) -> GradeReport:
    """Grade `answer` for `exercise` without a cluster. Never raises for any answer text."""
    if not isinstance(answer, str):
        return unusable(exercise.id, AnswerError(_say(lang, f"the answer is {type(answer).__name__}, expected text", f"답이 텍스트가 아닙니다 ({type(answer).__name__})")))
    if exercise.kind == "command":
        from graders.answers import grade_command

        report = grade_command(exercise, answer, lang)
    elif exercise.kind == "quiz":
        from graders.answers import grade_quiz

        report = grade_quiz(exercise, answer, lang)
    else:
        report = grade_manifest(exercise, answer, lang, kubernetes_version)
    return bounded(report, lang)


def bounded(report: GradeReport, lang: str = "en") -> GradeReport:
    """The report with at most MAX_REPORTED_ERRORS errors (the rest summed up) and no message over MAX_MESSAGE_CHARS."""
    long = MAX_MESSAGE_CHARS
    if len(report.errors) <= MAX_REPORTED_ERRORS and not any(len(e.message) > long or len(e.hint or "") > long for e in report.errors) \
            and not any(len(r.message) > long for r in report.results):
        return report  # the usual case: nothing to cut
    errors = [replace(e, message=_clip(e.message), hint=_clip(e.hint)) for e in report.errors[:MAX_REPORTED_ERRORS]]
    rest = report.errors[MAX_REPORTED_ERRORS:]
    if rest:
        more = len(rest)
        errors.append(AnswerError(_say(lang, f"... and {more:,} more", f"... 외 {more:,}건 더"), fatal=any(e.fatal for e in rest)))
    results = [replace(r, message=_clip(r.message)) for r in report.results]
    return replace(report, errors=tuple(errors), results=tuple(results))


def _clip(text: str | None) -> Any:
    if text is None or len(text) <= MAX_MESSAGE_CHARS:
        return text
    return f"{text[:MAX_MESSAGE_CHARS]}… ({len(text) - MAX_MESSAGE_CHARS:,} more characters)"


def grade_manifest(exercise: Exercise, answer: str, lang: str = "en", kubernetes_version: str | None = None) -> GradeReport:
    checks = list(exercise.checks)
    max_score = len(checks)
    if exercise.live_only:
        why = _say(lang, f"{exercise.id} is graded on a live cluster only: run `kubedojo check {exercise.id} --live`", f"{exercise.id}은(는) 실제 클러스터에서만 채점합니다: `kubedojo check {exercise.id} --live`를 실행하세요")
        return unusable(exercise.id, AnswerError(why), max_score=max_score)
    documents, source_errors = parse_documents(answer)
    if source_errors:
        return unusable(exercise.id, *(_answer_error(e, lang) for e in source_errors), max_score=max_score)
    if not documents:
        return unusable(exercise.id, AnswerError(_say(lang, "the answer is empty: write a Kubernetes manifest (YAML)", "답이 비어 있습니다: 쿠버네티스 매니페스트(YAML)를 작성하세요")), max_score=max_score)
    schema_errors = validate_all(documents, kubernetes_version)
    objects, line_for = objects_with_lines(documents)
    errors = [_answer_error(e, lang, fatal=False) for e in schema_errors]
    errors.extend(api_rejections(objects, line_for, lang))
    subject = Subject(objects=objects, line_for=line_for, default_ref=exercise.target, lang=lang)
    results = run_checks(checks, subject, RUNNERS)
    return GradeReport(exercise.id, tuple(results), tuple(errors), max_score=max_score)


def api_rejections(objects: list[dict[str, Any]], line_for: Any, lang: str) -> list[AnswerError]:
    """What the API server would refuse beyond the schema, as answer errors with their lines."""
    from graders.apivalidation import validate_object
    from graders.paths import display

    errors = []
    for obj in objects:
        for rejection in validate_object(obj):
            where = display(obj, rejection.path)
            errors.append(AnswerError(f"{where}: {_say(lang, rejection.en, rejection.ko)}", line_for(obj, rejection.path), fatal=False))
    return errors


def validate_all(documents: list[Document], kubernetes_version: str | None = None) -> list[SourceError]:
    from graders.schema import DEFAULT_KUBERNETES_VERSION, validate_document

    version = kubernetes_version or DEFAULT_KUBERNETES_VERSION
    errors: list[SourceError] = []
    for doc in documents:
        errors.extend(validate_document(doc, version))
    return errors


def objects_with_lines(documents: list[Document]) -> tuple[list[dict[str, Any]], Any]:
    """Plain objects (nulls dropped, as the API server would) and a lookup of their lines."""
    objects: list[dict[str, Any]] = []
    maps: dict[int, Any] = {}
    for doc in documents:
        obj = strip_nulls(doc.obj)
        objects.append(obj)
        maps[id(obj)] = doc.lines

    def line_for(obj: dict[str, Any], path: Any) -> int | None:
        lines = maps.get(id(obj))
        return lines.line_for(path) if lines is not None else None

    return objects, line_for
