"""Schema errors put into words: what the OpenAPI schema refused, where, and the fix for the classic mistakes."""

from __future__ import annotations

import difflib
import json
import re
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from graders.source import LineMap, SourceError

if TYPE_CHECKING:
    from graders.schema import _Schemas

_PLAIN_NAME = re.compile(r"[A-Za-z0-9_-]+")
_INT_RANGES = {"int32": (-2**31, 2**31 - 1), "int64": (-2**63, 2**63 - 1)}


def _fits(value: Any, fmt: Any) -> bool:
    from graders.schema import _fits as fits

    return fits(value, fmt)

def _did_you_mean(name: str, choices: Any) -> str | None:
    """The allowed name the user most likely meant: same letters in another case, or a near spelling."""
    bare = name.strip().lstrip("-").strip()
    by_lower = {str(c).lower(): str(c) for c in choices}
    for candidate in (bare, bare.rstrip("s"), bare + "s"):
        if candidate.lower() in by_lower and by_lower[candidate.lower()] != name:
            return by_lower[candidate.lower()]
    close = difflib.get_close_matches(bare.lower(), list(by_lower), n=1, cutoff=0.75)
    return by_lower[close[0]] if close else None


def _dotted(obj: Any, path: Sequence[Any]) -> str:
    """A kubectl-style path, naming list items by their `name` when they have one."""
    out, node = "", obj
    for step in path:
        if isinstance(node, list) and isinstance(step, int):
            node = node[step] if 0 <= step < len(node) else None
            name = node.get("name") if isinstance(node, dict) else None
            out += f"[{name}]" if isinstance(name, str) and name else f"[{step}]"
        else:
            text = str(step)
            out += (("." if out else "") + text) if _PLAIN_NAME.fullmatch(text) else f"[{text}]"
            node = node.get(step) if isinstance(node, dict) else None
    return out or "the object"


def _got(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"a string (\"{value[:40]}\")"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    return f"a {type(value).__name__} value"


_TYPE_NAMES = {"integer": "an integer", "number": "a number", "string": "a string", "boolean": "true or false",
               "array": "a list", "object": "a mapping of fields"}

# (error, path of the object, the field an unknown key was taken for | "!" + a missing required field)
Explained = Iterator[tuple[SourceError, tuple[Any, ...], "str | None"]]


def _explain(error: Any, obj: Any, lines: LineMap, schemas: _Schemas) -> Explained:
    """One jsonschema error in the words of a Kubernetes instructor, with its line and a hint."""
    path = tuple(error.absolute_path)
    where = _dotted(obj, path)
    line, column = lines.position_for(path)
    keyword, value = error.validator, error.instance
    if keyword == "additionalProperties" and error.validator_value is False and isinstance(value, dict):
        allowed = error.schema.get("properties", {})
        for key in value:
            if key not in allowed:
                yield _unknown_field(obj, lines, path, str(key), allowed)
    elif keyword == "required" and isinstance(value, dict):
        for field in error.validator_value:
            if field not in value:
                yield (SourceError(f"line {line}: {where}: missing required field \"{field}\"", line, column,
                                   f"Add `{field}:` to {where}.", f"{where}에 `{field}:` 필드를 추가하세요."),
                       path, "!" + field)
    elif keyword == "type":
        expected = [t for t in ([error.validator_value] if isinstance(error.validator_value, str)
                                else error.validator_value) if t != "null"]
        hint = _type_hint(path[-1] if path else "", value, expected)
        names = " or ".join(_TYPE_NAMES.get(t, t) for t in expected)
        yield SourceError(f"line {line}: {where}: expected {names}, got {_got(value)}", line, column,
                          *hint), path, None
    elif keyword == "oneOf" and error.schema is schemas.quantity:
        if isinstance(value, str):
            fixed = re.sub(r"([KMGTPE])[Bb]$", r"\1i", value)
            example = f"`{fixed}`" if fixed != value else "`128Mi`, `1Gi`, `500m` or `0.5`"
            yield (SourceError(f"line {line}: {where}: \"{value}\" is not a valid quantity", line, column,
                               f"Write a quantity such as {example}: a number with an optional suffix "
                               "(m, k, M, G, Ki, Mi, Gi).",
                               f"{example}처럼 숫자 뒤에 단위(m, k, M, G, Ki, Mi, Gi)를 붙여 쓰세요."), path, None)
        else:
            yield (SourceError(f"line {line}: {where}: expected a quantity (a number or a string such as "
                               f"\"128Mi\"), got {_got(value)}", line, column), path, None)
    elif keyword == "oneOf" and error.schema is schemas.int_or_string and not _fits(value, "int32"):
        yield (SourceError(f"line {line}: {where}: {value} does not fit an int32 (from {-2**31} to {2**31 - 1})", line,
                           column, "Use a smaller number, or a percentage such as `25%`.",
                           "더 작은 숫자나 `25%` 같은 퍼센트를 쓰세요."), path, None)
    elif keyword == "oneOf" and error.schema is schemas.int_or_string:
        yield (SourceError(f"line {line}: {where}: expected an integer or a string, got {_got(value)}", line,
                           column), path, None)
    elif keyword == "format" and error.validator_value in _INT_RANGES:
        low, high = _INT_RANGES[error.validator_value]
        yield (SourceError(f"line {line}: {where}: {value} does not fit an {error.validator_value} (from {low} to {high})",
                           line, column, f"Use a number from {low} to {high}.",
                           f"{low}부터 {high} 사이의 숫자를 쓰세요 ({where}는 {error.validator_value}입니다)."), path, None)
    elif keyword == "enum":
        choices = ", ".join(f"\"{c}\"" for c in error.validator_value if c is not None)
        guess = _did_you_mean(str(value), [c for c in error.validator_value if c is not None])
        tail = f"; did you mean \"{guess}\"?" if guess else ""
        yield (SourceError(f"line {line}: {where}: \"{value}\" is not one of {choices}{tail}", line, column,
                           f"Use `{path[-1]}: {guess}`." if guess and path else None), path, None)
    else:
        yield SourceError(f"line {line}: {where}: {error.message}", line, column), path, None


def _unknown_field(obj: Any, lines: LineMap, path: tuple[Any, ...], key: str, allowed: dict) -> Any:
    """An unknown field: a misplaced key, a dash with no space, or a typo of an allowed field."""
    line, column = lines.position_for((*path, key))
    message = f"line {line}: {_dotted(obj, (*path, key))}: unknown field \"{key}\""
    if re.match(r"-[A-Za-z_]", key):  # `-name:` parses as a key named "-name"
        bare = key[1:].strip()
        return (SourceError(message + "; a list item needs a space after the dash", line, column,
                            f"Put a space after the dash: `- {bare}:`.",
                            f"대시(-) 뒤에는 반드시 한 칸을 띄워야 합니다: `- {bare}:`"), path, None)
    misplaced = lines.indent_hint((*path, key))
    if misplaced:
        return SourceError(message, line, column, *misplaced), path, None
    guess = _did_you_mean(key, allowed)
    if guess is None:
        return (SourceError(message, line, column, f"Remove `{key}:`, or move it to the object it belongs to.",
                            f"`{key}:` 필드를 지우거나, 이 필드가 속한 오브젝트 아래로 옮기세요."), path, None)
    message += f"; did you mean \"{guess}\"?"
    return (SourceError(message, line, column, f"Rename `{key}` to `{guess}`.",
                        f"필드 이름의 철자를 확인하세요: `{key}` → `{guess}`"), path, guess)


def _type_hint(field: Any, value: Any, expected: list[str]) -> tuple[str | None, str | None]:
    """A fix for the type mistakes people make in manifests."""
    if "integer" in expected and isinstance(value, str) and value.strip().isdigit():
        return (f"Remove the quotes: `{field}: {value.strip()}`.",
                f"따옴표를 빼고 숫자로 쓰세요: `{field}: {value.strip()}`")
    if expected == ["array"] and isinstance(value, str):
        items = ", ".join(json.dumps(word) for word in value.split()) or '""'
        return (f"Write it as a list: `{field}: [{items}]`, or one `- item` per line.",
                f"리스트로 써야 합니다: `{field}: [{items}]` 또는 줄마다 `- 항목` 형식으로 쓰세요.")
    if expected == ["array"] and isinstance(value, dict):
        return (f"`{field}` is a list: start each item with a dash, as in `- name: ...`.",
                f"`{field}` 필드는 리스트입니다. 각 항목을 대시(-)로 시작하세요: `- name: ...`")
    if expected == ["object"] and isinstance(value, list):
        return (f"`{field}` holds fields directly, not a list: remove the dash (`- `) before them.",
                f"`{field}` 아래에는 리스트가 아니라 필드가 바로 와야 합니다. 앞의 대시(- )를 지우세요.")
    if expected == ["object"] and isinstance(value, str) and re.match(r"[A-Za-z_][\w.-]*:\S", value):
        key, _, rest = value.partition(":")
        return (f"Put a space after the colon: `{key}: {rest}`.",
                f"콜론(:) 뒤에는 반드시 한 칸을 띄워야 합니다: `{key}: {rest}`")
    if expected == ["string"] and isinstance(value, (bool, int, float)):
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        return (f"Quote the value so it stays a string: `{field}: \"{shown}\"`.",
                f"값을 따옴표로 감싸 문자열로 쓰세요: `{field}: \"{shown}\"`")
    return None, None
