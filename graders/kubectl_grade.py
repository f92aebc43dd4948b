"""Grading a kubectl command line: by its effect on the exercise's objects when it has some, else by what it says,
and in both cases only when kubectl would run it and nothing else in the line does more than was asked."""

from __future__ import annotations

from typing import Any

from exercises.model import CommandSpec, Exercise, FlagRule
from graders.kubectl import KubectlCommand, parse_kubectl
from graders.kubectl_line import AnswerLine, read_line, same_file
from graders.kubectl_shell import CommandParseError
from graders.kubectl_verbs import TAKES_COMMAND, TARGETING_FLAGS, VERB_TARGETING_FLAGS, path_of, refusals
from graders.report import AnswerError, CheckResult, GradeReport, unusable
from graders.answers import _say, _words  # one wording of these for quizzes and commands

_EXPECTED: dict[int, tuple[Exercise, Any]] = {}  # id(exercise) -> (exercise, the solution's outcome)


def grade_command(exercise: Exercise, text: str, lang: str = "en") -> GradeReport:
    """Grade one kubectl command line (with whatever pipes, `&&` or redirects it has) for a command exercise."""
    spec: CommandSpec = exercise.command  # type: ignore[assignment]
    lines = [line for line in text.replace("\\\n", " ").strip().splitlines()
             if line.strip() and not line.strip().startswith("#")]
    expected = _expected(exercise)
    max_score = len(_effect_ids(exercise)) if expected is not None else len(_form_ids(spec))
    if len(lines) != 1:
        why = _say(lang, "the answer is empty: type one kubectl command", "답이 비어 있습니다: kubectl 명령 한 줄을 입력하세요") if not lines else _say(lang, "type one command on one line", "명령은 한 줄에 하나만 입력하세요")
        return unusable(exercise.id, AnswerError(why), max_score=max_score)
    try:
        answer = read_line(lines[0], spec.verb, spec.subverb, by_effect=expected is not None, asked_file=spec.redirect,
                           outputs=_known_outputs(exercise) if expected is not None else None)
    except CommandParseError as err:
        from graders.parser_messages import translated

        return unusable(exercise.id, AnswerError(translated(err.message, lang), line=1, column=err.column), max_score=max_score)
    if expected is not None:
        results = _effect_checks(exercise, answer, expected, lang)
    else:
        results = _form_checks(spec, answer, lang)
    results += [_accepted(answer.command, lang), _whole_line(answer, lang)]
    return GradeReport(exercise.id, tuple(results), max_score=len(results))


def _known_outputs(exercise: Exercise) -> dict[str, str]:
    """What read-only commands print on the starting objects, for `$(...)` in an answer."""
    outputs: dict[str, str] = {}
    for obj in _start(exercise):
        if obj.get("kind") == "Config" and isinstance(obj.get("current-context"), str) and obj["current-context"]:
            outputs["kubectl config current-context"] = obj["current-context"]
    return outputs


# --- the parts every answer is judged on ------------------------------------------------------------------


def _accepted(command: KubectlCommand, lang: str) -> CheckResult:
    refused = refusals(command)
    if not refused:
        return CheckResult("kubectl-accepts", "pass", _say(lang, "kubectl accepts the command as written", "kubectl이 이 명령을 그대로 받아들입니다"))
    shown = "; ".join(refused)
    return CheckResult("kubectl-accepts", "fail", _say(lang, f"kubectl refuses `{command.raw}`: {shown}", f"kubectl이 `{command.raw}`을(를) 거부합니다: {shown}"))


def _whole_line(answer: AnswerLine, lang: str) -> CheckResult:
    if not answer.issues:
        return CheckResult("whole-line", "pass", _say(lang, "nothing else in the line does more than the task asks", "명령줄의 다른 부분도 문제에서 요구한 것 이상을 하지 않습니다"))
    shown = "; ".join(_say(lang, issue.en, issue.ko) for issue in answer.issues)
    return CheckResult("whole-line", "fail", shown)


# --- by effect ------------------------------------------------------------------------------------------


def _start(exercise: Exercise) -> list[dict[str, Any]]:
    spec: CommandSpec = exercise.command  # type: ignore[assignment]
    return list(spec.start) or (list(exercise.live.setup) if exercise.live else [])


def _expected(exercise: Exercise) -> Any:
    """The solution's outcome on the exercise's objects, or None when the exercise is graded by form."""
    cached = _EXPECTED.get(id(exercise))
    if cached is not None and cached[0] is exercise:
        return cached[1]
    outcome = None
    start = _start(exercise)
    if start:
        from graders.kubectl_effect import run_commands, start_state

        try:
            solution = read_line(exercise.solution, exercise.command.verb, exercise.command.subverb, by_effect=True)  # type: ignore[union-attr]
        except CommandParseError:
            solution = None
        if solution is not None:
            first = start_state(start)
            outcome = (first, run_commands(solution.commands, solution.ops, first))
            if outcome[1].failures:
                outcome = None  # the solution itself cannot be applied offline: grade by form
    _EXPECTED[id(exercise)] = (exercise, outcome)
    return outcome


def start_problem(exercise: Exercise) -> str | None:
    """Why the exercise's solution cannot be applied to its starting objects (then it is graded by form), or None."""
    from graders.kubectl_effect import run_commands, start_state

    try:
        solution = read_line(exercise.solution, exercise.command.verb, exercise.command.subverb, by_effect=True)  # type: ignore[union-attr]
    except CommandParseError as err:
        return err.message
    outcome = run_commands(solution.commands, solution.ops, start_state(_start(exercise)))
    return "; ".join(f"`{command.raw}`: {failure.en}" for command, failure in outcome.failures) or None


def _effect_ids(exercise: Exercise) -> list[str]:
    return ["kubectl-runs", "effect", *(c.id for c in exercise.checks), "kubectl-accepts", "whole-line"]


def _effect_checks(exercise: Exercise, answer: AnswerLine, expected: Any, lang: str) -> list[CheckResult]:
    from graders.kubectl_effect import differences, run_commands

    first, solution = expected
    outcome = run_commands(answer.commands, answer.ops, first)
    found = differences(outcome.state, solution.state, first)
    if found:
        shown = "; ".join(_say(lang, en, ko) for en, ko in found)
        effect = CheckResult("effect", "fail", shown)
    else:
        effect = CheckResult("effect", "pass", _say(lang, "the objects end up as the task asks, and nothing else changes", "오브젝트가 문제에서 요구한 상태가 되고, 다른 것은 바뀌지 않습니다"))
    if outcome.failures:
        shown = "; ".join(f"`{command.raw}`: {_say(lang, failure.en, failure.ko)}" for command, failure in outcome.failures)
        runs = CheckResult("kubectl-runs", "fail", _say(lang, f"kubectl would fail: {shown}", f"kubectl이 실패합니다: {shown}"))
    else:
        runs = CheckResult("kubectl-runs", "pass", _say(lang, "every kubectl command in the line succeeds", "명령줄의 kubectl 명령이 모두 성공합니다"))
    if not exercise.checks:
        return [runs, effect]
    from graders.checks import RUNNERS, Subject, run_checks

    subject = Subject(objects=outcome.state.objects, default_ref=exercise.target, lang=lang)
    return [runs, effect, *run_checks(list(exercise.checks), subject, RUNNERS)]


# --- by form --------------------------------------------------------------------------------------------


def _form_ids(spec: CommandSpec) -> list[str]:
    ids = ["verb"]
    ids += [name for name in ("resource", "names", "namespace", "assignments") if getattr(spec, name) is not None]
    ids += [f"flag-{name}" for name in spec.flags] + ["extra-flags"]
    if spec.command is not None or spec.verb in TAKES_COMMAND or f"{spec.verb} {spec.subverb}" in TAKES_COMMAND:
        ids.append("command")
    if spec.redirect is not None:
        ids.append("redirect")
    return ids + ["kubectl-accepts", "whole-line"]


def _same(a: KubectlCommand, b: KubectlCommand) -> bool:
    return (a.verb, a.subverb, a.variant, a.resource, sorted(a.names), dict(a.flags), sorted(a.assignments), a.command, a.env) \
        == (b.verb, b.subverb, b.variant, b.resource, sorted(b.names), dict(b.flags), sorted(b.assignments), b.command, b.env)


def _form_checks(spec: CommandSpec, answer: AnswerLine, lang: str) -> list[CheckResult]:
    cmd = answer.command
    for line in spec.equivalent:
        try:
            other = parse_kubectl(line)
        except CommandParseError:
            continue
        if _same(cmd, other) and (answer.output == other.redirect or same_file(answer.output, other.redirect)):
            return [CheckResult("equivalent", "pass", _say(lang, f"does what the task asks, as `{line}` does", f"`{line}`와(과) 같이 문제에서 요구한 일을 합니다"))]
    results: list[CheckResult] = []

    def compare(check_id: str, ok: bool, good: tuple[str, str], bad: tuple[str, str]) -> None:
        """`good` and `bad` follow the check id on screen ("resource  pods"): they do not name it again."""
        en, ko = good if ok else bad
        results.append(CheckResult(check_id, "pass" if ok else "fail", _say(lang, en, ko)))

    verb = " ".join(filter(None, [cmd.verb, cmd.subverb]))
    want = " ".join(filter(None, [spec.verb, spec.subverb]))
    compare("verb", cmd.verb == spec.verb and (spec.subverb is None or cmd.subverb == spec.subverb),
            (f"kubectl {verb}", f"kubectl {verb}"),
            (f"expected `kubectl {want}`, found `kubectl {verb}`", f"`kubectl {want}`이어야 하는데 `kubectl {verb}`입니다"))
    if spec.resource is not None:
        have = cmd.resource or "—"
        compare("resource", cmd.resource == spec.resource, (have, have),
                (f"expected `{spec.resource}`, found `{have}`", f"`{spec.resource}`이어야 하는데 `{have}`입니다"))
    if spec.names is not None:
        have = _words(list(cmd.names))
        compare("names", sorted(cmd.names) == sorted(spec.names), (have, have),
                (f"expected {_words(spec.names)}, found {have}", f"{_words(spec.names)}이어야 하는데 {have}입니다"))
    if spec.namespace is not None:
        have = cmd.namespace or "—"
        compare("namespace", cmd.namespace == spec.namespace, (have, have),
                (f"expected `{spec.namespace}` (-n), found `{have}`", f"`{spec.namespace}`(-n)이어야 하는데 `{have}`입니다"))
    if spec.assignments is not None:
        have = _words(list(cmd.assignments))
        compare("assignments", sorted(cmd.assignments) == sorted(spec.assignments), (f"sets {have}", f"설정 {have}"),
                (f"expected {_words(spec.assignments)}, found {have}", f"{_words(spec.assignments)}이어야 하는데 {have}입니다"))
    results.extend(_flag_check(name, rule, cmd, lang) for name, rule in spec.flags.items())
    results.append(_extra_flags(spec, cmd, lang))
    command = _command_check(spec, cmd, lang)
    if command is not None:
        results.append(command)
    if spec.redirect is not None:
        have = answer.output or "—"
        compare("redirect", same_file(answer.output, spec.redirect), (f"output goes to {have}", f"출력이 {have}에 저장됩니다"),
                (f"expected the output redirected to `{spec.redirect}` (> {spec.redirect}), found `{have}`",
                 f"출력을 `{spec.redirect}`에 저장해야 합니다 (> {spec.redirect}); 실제로는 `{have}`"))
    return results


def _flag_check(name: str, rule: FlagRule, cmd: KubectlCommand, lang: str) -> CheckResult:
    given = cmd.flag(name)
    shown = f"--{name}"
    if rule is True:
        ok = cmd.has_flag(name) and given != "false"
        message = _say(lang, f"{shown} is given" if ok else f"{shown} is missing", f"{shown} 옵션이 있습니다" if ok else f"{shown} 옵션이 빠졌습니다")
    elif rule is False:
        ok = not cmd.has_flag(name) or given == "false"
        message = _say(lang, f"{shown} is not given" if ok else f"{shown} must not be used here", f"{shown} 옵션이 없습니다" if ok else f"여기서는 {shown} 옵션을 쓰면 안 됩니다")
    else:
        accepted = rule if isinstance(rule, list) else [rule]
        ok = given is not None and any(_same_value(name, given, want) for want in accepted)
        if ok:
            message = f"{shown}={given}"
        else:
            found = f"`{given}`" if given is not None else _say(lang, "nothing", "없음")
            message = _say(lang, f"{shown}: expected {_words(accepted)}, found {found}", f"{shown}: 기대한 값은 {_words(accepted)}, 실제로는 {found}")
    return CheckResult(f"flag-{name}", "pass" if ok else "fail", message, shown)


def _same_value(flag: str, given: str, wanted: str) -> bool:
    """A flag's value as kubectl would use it: an image by its full reference, a file by its path."""
    if given == wanted:
        return True
    if flag == "image":
        from graders.meaning.images import same_image

        return same_image(given, wanted)
    if flag in ("filename", "kustomize"):
        return same_file(given, wanted)
    return False


def _extra_flags(spec: CommandSpec, cmd: KubectlCommand, lang: str) -> CheckResult:
    """Flags the task did not ask for that change what the command acts on or does."""
    targeting = TARGETING_FLAGS | VERB_TARGETING_FLAGS.get(cmd.verb, set())
    allowed = set(spec.flags) | set(spec.harmless_flags) | ({"namespace"} if spec.namespace else set())
    unexpected = sorted(f"--{f}" for f in cmd.flags if f in targeting and f not in allowed and not _default(f, cmd))
    unexpected += [f"{e.partition('=')[0]}=" for e in cmd.env if e.startswith("KUBECONFIG=") and "kubeconfig" not in allowed]
    if not unexpected:
        return CheckResult("extra-flags", "pass", _say(lang, "no flag changes what the command does", "명령의 동작을 바꾸는 옵션이 없습니다"))
    shown = ", ".join(unexpected)
    return CheckResult("extra-flags", "fail", _say(lang, f"{shown} changes what the command does here, and the task did not ask for it",
                                                   f"{shown} 옵션은 여기서 명령의 동작을 바꾸는데, 문제에서 요구하지 않았습니다"))


_TRUE_BY_DEFAULT = frozenset({"show-events"})
"""Boolean flags that are on unless turned off: `--show-events=false` is the change."""
_DEFAULTS = {"dry-run": "none", "cascade": "background", "protocol": "TCP", "type": "ClusterIP", "tail": "-1"}


def _default(flag: str, cmd: KubectlCommand) -> bool:
    """Whether the flag is given with the value it has anyway (`--dry-run=none`, `--all-namespaces=false`)."""
    if flag in _TRUE_BY_DEFAULT:
        return cmd.flag(flag) == "true"
    return cmd.flag(flag) in (_DEFAULTS.get(flag), "false")


def _command_check(spec: CommandSpec, cmd: KubectlCommand, lang: str) -> CheckResult | None:
    takes = path_of(cmd) in TAKES_COMMAND or cmd.verb in TAKES_COMMAND
    have = _words(list(cmd.command))
    if spec.command is not None:
        ok = list(cmd.command) in spec.command
        return CheckResult("command", "pass" if ok else "fail", _say(lang, f"runs {have}", f"실행 명령 {have}") if ok else _say(
            lang, f"after `--` expected {' or '.join(_words(c) for c in spec.command)}, found {have}",
            f"`--` 뒤에는 {' 또는 '.join(_words(c) for c in spec.command)}이(가) 와야 하는데 {have}입니다"))
    if not (takes or spec.verb in TAKES_COMMAND or f"{spec.verb} {spec.subverb}" in TAKES_COMMAND):
        return None
    if not cmd.command:
        return CheckResult("command", "pass", _say(lang, "no command or arguments for the container", "컨테이너 명령이나 인자를 덧붙이지 않았습니다"))
    return CheckResult("command", "fail", _say(
        lang, f"{have} would become the container's command or arguments, which the task did not ask for",
        f"{have}은(는) 컨테이너의 명령이나 인자가 되는데, 문제에서 요구하지 않았습니다"))
