"""A manifest exercise answered with kubectl commands (`kubectl run`, `kubectl create deployment` ...): the objects they
would make, graded by the exercise's own object checks, as a hand-written manifest is."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from graders.report import AnswerError

_COMMAND = re.compile(r"^\s*(?:\$\s+)?(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?:kubectl|k)(?:\s|$)")
_DESCRIBING = ("dry-run", "output", "save-config", "validate", "field-manager")  # change how it is sent, not what


from graders.messages import say as _say  # noqa: E402


def lines_of(answer: str) -> list[str]:
    """The answer's command lines: continuations joined, blank lines and comments dropped."""
    return [line.strip() for line in answer.replace("\\\n", " ").splitlines() if line.strip() and not line.strip().startswith("#")]


def is_command_answer(answer: str) -> bool:
    """Whether the answer is kubectl command lines rather than YAML (its first line runs kubectl)."""
    lines = lines_of(answer)
    return bool(lines) and _COMMAND.match(lines[0]) is not None


def objects_of(answer: str, lang: str = "en", namespace: str = "default") -> tuple[list[dict[str, Any]], list[AnswerError]]:
    """The objects the command lines leave behind, run in order on an empty cluster whose context is in `namespace`
    (the exercise's); a command that `--dry-run`s with `-o yaml` counts as the object it prints, which names no
    namespace unless it was given one, as a manifest. Errors say, per line, what kubectl would refuse."""
    from graders.kubectl_effect import apply, start_state
    from graders.kubectl_effect_verbs import Failed
    from graders.kubectl_line import read_line
    from graders.kubectl_shell import CommandParseError

    state = start_state([], namespace)
    errors: list[AnswerError] = []
    for number, line in enumerate(lines_of(answer), start=1):
        try:
            output = read_line(line, by_effect=True).output
            answer_line = read_line(line, by_effect=True, asked_file=output)
        except CommandParseError as err:
            from graders.parser_messages import translated

            errors.append(AnswerError(translated(err.message, lang), number, err.column))
            continue
        for issue in answer_line.issues:
            errors.append(AnswerError(_say(lang, issue.en, issue.ko), number, fatal=False))
        for command in answer_line.commands:
            flags = {k: v for k, v in command.flags.items() if k not in _DESCRIBING}
            try:
                state = apply(replace(command, flags=flags), state)
            except Failed as failure:
                errors.append(AnswerError(_say(lang, failure.en, failure.ko), number, fatal=False))
    objects = [o for o in state.objects if o.get("kind") != "Config"]
    if not objects and not errors:
        errors.append(AnswerError(_say(lang, "these commands create no object: the task asks for one",
                                       "이 명령으로는 오브젝트가 만들어지지 않습니다: 문제에서는 오브젝트가 필요합니다")))
    return objects, errors
