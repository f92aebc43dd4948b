"""Grading an answer offline: a manifest, a command line or a quiz answer, into a GradeReport."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from exercises.model import Exercise
from graders.checks import RUNNERS, Subject, run_checks
from graders.subject import exercise_namespace, land
from graders.report import AnswerError, CheckResult, GradeReport, unusable
from graders.source import Document, SourceError, parse_documents, strip_nulls


from graders.messages import say as _say  # noqa: E402


def _answer_error(err: SourceError, lang: str, fatal: bool = True) -> AnswerError:
    message = err.message.removeprefix(f"line {err.line}: ") if err.line else err.message
    hint = _say(lang, err.hint, err.hint_ko or err.hint) if err.hint else None
    return AnswerError(message, err.line, err.column, hint, fatal=fatal)  # put in both languages once the report is cut


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
    return _in_both_languages(bounded(report, lang), lang)


def _in_both_languages(report: GradeReport, lang: str) -> GradeReport:
    """The parsers' English messages that made it into the report, as messages in both languages."""
    from graders.messages import Text
    from graders.parser_messages import translated

    if all(isinstance(e.message, Text) for e in report.errors):
        return report
    errors = tuple(e if isinstance(e.message, Text) else replace(e, message=translated(e.message, lang)) for e in report.errors)
    return replace(report, errors=errors)


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
    from graders.command_answer import is_command_answer

    if is_command_answer(answer):
        return _grade_commands(exercise, answer, lang)
    documents, source_errors = parse_documents(answer)
    if source_errors:
        return unusable(exercise.id, *(_answer_error(e, lang) for e in source_errors), max_score=max_score)
    if not documents:
        return unusable(exercise.id, AnswerError(_say(lang, "the answer is empty: write a Kubernetes manifest (YAML)", "답이 비어 있습니다: 쿠버네티스 매니페스트(YAML)를 작성하세요")), max_score=max_score)
    version = kubernetes_version
    objects, line_for = objects_with_lines(documents)
    errors: list[AnswerError] = []
    flawed: dict[int, list[AnswerError]] = {}  # id(object) -> its schema and API errors
    for doc, obj in zip(documents, objects):
        schema_errors = [_answer_error(e, lang, fatal=False) for e in validate_all([doc], version)]
        # the API server decodes before it validates: an object the schema refuses never reaches validation
        found = schema_errors or api_rejections([obj], line_for, lang)
        errors.extend(found)
        flawed[id(obj)] = found
    namespace = exercise_namespace(exercise)
    subject = Subject(objects=land(objects, namespace), line_for=line_for, default_ref=exercise.target, lang=lang, namespace=namespace)
    results = run_checks(checks, subject, RUNNERS)
    results, missing = _collapse_missing_objects(checks, results, subject)
    results = [_blame_earlier_error(r, objects, flawed, documents, lang) for r in results]
    return GradeReport(exercise.id, tuple(results), tuple(errors + missing), max_score=max_score)


def _grade_commands(exercise: Exercise, answer: str, lang: str) -> GradeReport:
    """kubectl command lines for a manifest exercise: the objects they make, graded by the same checks."""
    from graders.command_answer import objects_of

    checks = list(exercise.checks)
    namespace = exercise_namespace(exercise)
    objects, errors = objects_of(answer, lang, namespace)
    if any(e.fatal for e in errors) or not objects:
        return unusable(exercise.id, *errors, max_score=len(checks))
    errors += api_rejections(objects, lambda obj, path: None, lang)
    subject = Subject(objects=land(objects, namespace), default_ref=exercise.target, lang=lang, namespace=namespace)
    results, missing = _collapse_missing_objects(checks, run_checks(checks, subject, RUNNERS), subject)
    return GradeReport(exercise.id, tuple(results), tuple(errors + missing), max_score=len(checks))


def _collapse_missing_objects(checks: list[Any], results: list[CheckResult], subject: Subject) -> tuple[list[CheckResult], list[AnswerError]]:
    """Checks on an object the answer does not have fail for one reason: say it once, do not run them one by one.

    A Service where a Pod is asked gets "expected Pod `web`; found Service `web`", not one failure (and one
    unrelated hint) per check of the Pod.
    """
    kept: list[CheckResult] = []
    missing: dict[str, list[Any]] = {}
    for check, outcome in zip(checks, results):
        ref = getattr(check, "object", None) or subject.default_ref
        if outcome.status == "fail" and ref is not None:
            obj, why = subject.find(ref)
            if obj is None and outcome.message == why:
                missing.setdefault(why, [ref]).append(check)
                continue
        kept.append(outcome)
    errors = []
    for why, (ref, *skipped) in missing.items():
        wanted = f"{ref.kind} `{ref.name}`" if ref.name else f"a {ref.kind}"
        same_kind = [o for o in subject.objects if str(o.get("kind", "")).lower() == ref.kind.lower()]
        if same_kind and ref.name:
            line = subject.line_for(same_kind[0], ("metadata", "name")) if len(same_kind) == 1 else None
            hint = subject.say(f"Name it as the task asks: `metadata.name: {ref.name}`.",
                               f"문제에서 요구한 이름을 쓰세요: `metadata.name: {ref.name}`")
        else:
            line = subject.line_for(subject.objects[0], ("kind",)) if len(subject.objects) == 1 else None
            hint = subject.say(f"This exercise asks for {wanted}: write it with `kind: {ref.kind}`.",
                               f"이 문제는 {wanted}을(를) 요구합니다: `kind: {ref.kind}`로 작성하세요.")
        errors.append(AnswerError(
            subject.say(f"{why} ({len(skipped)} check(s) on it not run)", f"{why} (이 오브젝트에 대한 검사 {len(skipped)}개를 실행하지 않았습니다)"),
            line, hint=hint, fatal=False))
    return kept, errors


def _blame_earlier_error(outcome: CheckResult, objects: list[dict[str, Any]], flawed: dict[int, list[AnswerError]],
                         documents: list[Document], lang: str) -> CheckResult:
    """A failed check looking at a part of the answer that already has an error says so, and drops a hint that may not apply.

    `containerPort: "80"` makes `ports[?(@.containerPort==80)].protocol` find nothing: the error is the string port.
    """
    if outcome.status != "fail" or not outcome.line:
        return outcome
    for doc, obj in zip(documents, objects):
        below = [e for e in flawed.get(id(obj), ()) if e.line and e.line >= outcome.line]
        end = doc.lines.block_end(outcome.line) if below else None  # most objects have no errors: no walk
        inside = [e for e in below if end is not None and e.line <= end]
        if inside:
            first = inside[0].line
            note = _say(lang, f" (line {first} has an error, listed above: fix it first)", f" ({first}번째 줄에 먼저 고칠 오류가 있습니다: 위 목록 참고)")
            return CheckResult(outcome.check_id, outcome.status, outcome.message + note, outcome.path, outcome.line, None)
    return outcome


def api_rejections(objects: list[dict[str, Any]], line_for: Any, lang: str) -> list[AnswerError]:
    """What the API server would refuse beyond the schema, in its words, as answer errors with their lines."""
    from graders.apivalidation import validate_object

    errors = []
    for obj in objects:
        for rejection in validate_object(obj):
            hint = _say(lang, rejection.hint, rejection.hint_ko or rejection.hint) if rejection.hint else None
            errors.append(AnswerError(_say(lang, rejection.en, rejection.ko), line_for(obj, rejection.path), hint=hint, fatal=False))
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
