"""Matchers: does a value found in an object satisfy what the check expects, and how to say so."""

from __future__ import annotations

import json
import re
import shlex
from decimal import Decimal
from typing import Any

from exercises.base import Matcher
from graders import patterns
from graders.quantity import parse as parse_quantity

MISSING: Any = object()
"""Stands for a field that is not there."""

SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})
FILE_READERS = frozenset({"ls", "cat", "stat", "head", "tail", "wc"})
TEST_FILE_FLAGS = frozenset({"-f", "-e", "-s", "-r", "-a"})


SHOWN_CHARS = 200
"""A value longer than this is cut in messages."""


def show(value: Any) -> str:
    """A value as it reads in a message: `nginx:1.14`, `["ls", "/tmp/healthy"]`."""
    if value is MISSING:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(text) > SHOWN_CHARS:
        text = f"{text[:SHOWN_CHARS]}… ({len(text) - SHOWN_CHARS:,} more characters)"
    return f"`{text}`"


def quantity(value: Any) -> Decimal | None:
    """A Kubernetes quantity as a number (`500m` -> 0.5), or None if it is not one.

    Read as the API server reads what kubectl sends: an unquoted `0.2` is exactly 0.2, not the float's binary value.
    """
    if value is MISSING:
        return None
    parsed = parse_quantity(value)
    return parsed.value if parsed is not None else None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is MISSING:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return None


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    na, nb = _number(a), _number(b)
    if na is not None and nb is not None:
        return na == nb
    return a == b


def argv(command: Any) -> list[str] | None:
    """A command as a list of words; `sh -c "script"` becomes the script's words when it is one command.

    A container (a mapping) stands for what it runs: its `command` followed by its `args`.
    """
    if isinstance(command, dict):
        if not isinstance(command.get("command"), list):
            return None  # only args: what runs depends on the image's entrypoint
        command = list(command["command"]) + list(command.get("args") or [])
    if not isinstance(command, list) or not command or not all(isinstance(w, (str, int, float)) for w in command):
        return None
    words = [str(w) for w in command]
    program = words[0].rsplit("/", 1)[-1]
    if program in SHELLS and len(words) >= 3 and words[1] in ("-c", "-ec", "-ce"):
        try:
            inner = shlex.split(words[2])
        except ValueError:
            return None
        if any(w in ("&&", "||", ";", "|") for w in inner):
            return None
        if inner[:1] == ["exec"] and len(inner) > 1:
            inner = inner[1:]  # the shell replaces itself with the program: the same process runs it
        return argv(inner)
    return [program] + words[1:]


def checked_file(command: Any) -> str | None:
    """The file a probe command checks for (`ls /tmp/healthy`, `test -f ...`, `sh -c "cat ..."`)."""
    words = argv(command)
    if not words:
        return None
    program, args = words[0], words[1:]
    if program == "[" and args[-1:] == ["]"]:
        program, args = "test", args[:-1]
    if program in FILE_READERS:
        operands = [a for a in args if not a.startswith("-")]
        return operands[0] if len(operands) == 1 else None
    if program == "test" and len(args) == 2 and args[0] in TEST_FILE_FLAGS:
        return args[1]
    return None


def _runs(value: Any, target: str) -> bool:
    words = argv(value)
    return words is not None and words == argv(shlex.split(target))


def matches(matcher: Matcher, value: Any) -> bool:
    """Whether `value` (or MISSING) satisfies the matcher; patterns.PatternTimeout when a pack's pattern runs away."""
    op, want = matcher.op, matcher.operand
    if op == "exists":
        return (value is not MISSING) == want
    if op == "absent":
        return (value is MISSING) == want
    if value is MISSING:
        return op == "one_of" and None in want  # `one_of: [null, "false"]`: not set counts as one of them
    if op == "equals":
        return _same(value, want)
    if op == "one_of":
        return any(_same(value, w) for w in want)
    if op == "matches":
        return isinstance(value, (str, int, float)) and patterns.full_match(want, str(value))
    if op == "contains":
        if isinstance(value, str):
            return isinstance(want, str) and want in value
        return isinstance(value, list) and any(_same(item, want) for item in value)
    if op == "set_equals":
        return isinstance(value, list) and sorted(map(json.dumps, value)) == sorted(map(json.dumps, want))
    if op in ("at_least", "at_most"):
        number = _number(value)
        return number is not None and (number >= want if op == "at_least" else number <= want)
    if op.startswith("quantity_"):
        have, limit = quantity(value), quantity(want)
        if have is None or limit is None:
            return False
        return {"quantity_equals": have == limit, "quantity_at_least": have >= limit, "quantity_at_most": have <= limit}[op]
    if op == "checks_file":
        return checked_file(value) == want
    if op == "command_runs":
        return _runs(value, want)
    raise ValueError(f"unknown matcher {op}")


_EXPECTED = {
    "equals": ("{v}", "{v}"),
    "one_of": ("one of {vs}", "{vs} 중 하나"),
    "matches": ("text matching /{raw}/", "/{raw}/ 형식의 값"),
    "contains": ("a value containing {v}", "{v}을(를) 포함하는 값"),
    "exists": ("the field to be set", "필드가 설정되어 있어야 함"),
    "absent": ("the field not to be set", "필드가 없어야 함"),
    "set_equals": ("exactly {vs} (any order)", "순서와 상관없이 정확히 {vs}"),
    "at_least": ("a number ≥ {raw}", "{raw} 이상의 숫자"),
    "at_most": ("a number ≤ {raw}", "{raw} 이하의 숫자"),
    "quantity_equals": ("the quantity {v}", "{v}와(과) 같은 양"),
    "quantity_at_least": ("a quantity ≥ {v}", "{v} 이상의 양"),
    "quantity_at_most": ("a quantity ≤ {v}", "{v} 이하의 양"),
    "checks_file": (
        "a command that checks that {v} exists (e.g. `ls {raw}`)",
        "{v} 파일이 있는지 확인하는 명령 (예: `ls {raw}`)",
    ),
    "command_runs": ("a command that runs {v}", "{v}을(를) 실행하는 명령"),
}


def expected_text(matcher: Matcher, lang: str = "en") -> str:
    """What the matcher asks for, in words."""
    en, ko = _EXPECTED[matcher.op]
    want = matcher.operand
    values = ", ".join(show(w) for w in want) if isinstance(want, list) else show(want)
    return (ko if lang == "ko" else en).format(v=show(want), vs=values, raw=want)


def found_text(value: Any, lang: str = "en", matcher: Matcher | None = None) -> str:
    """A value found, as the matcher sees it (a container's command line, not the whole container)."""
    if value is MISSING:
        return "필드가 없음" if lang == "ko" else "nothing (the field is not set)"
    if isinstance(value, str) and matcher is not None and _is_number(matcher.operand):
        return f"`{json.dumps(value)}`" + (" (문자열)" if lang == "ko" else " (a string)")  # `"80"` is not 80
    if isinstance(value, dict) and matcher is not None and matcher.op in ("command_runs", "checks_file"):
        words = argv(value)
        return show(shlex.join(words)) if words else ("command 없음" if lang == "ko" else "no command")
    return show(value)
