"""kubectl-style JSONPath: compile once, find values with their concrete paths, name list items."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jsonpath_ng import DatumInContext, Fields, Index
from jsonpath_ng.exceptions import JsonPathParserError
from jsonpath_ng.ext import filter as _filter
from jsonpath_ng.ext.parser import ExtendedJsonPathParser
from jsonpath_ng.jsonpath import JSONPath

Path = tuple[str | int, ...]


class PathError(ValueError):
    """A path an instructor wrote that is not kubectl-style JSONPath we can use."""


@dataclass(frozen=True)
class Found:
    """A value found at a concrete place in an object."""

    value: Any
    path: Path


_NUMERIC_INDEX = re.compile(r"\[\s*(-?\d+\s*(:[^\]]*)?|-?\d*\s*:[^\]]*)\]")


def normalise(expression: str) -> str:
    """`{.spec.containers[?(@.name=="x")].image}` -> `$.spec.containers[?(@.name=="x")].image`."""
    text = expression.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1].strip()
    if text.startswith("."):
        text = "$" + text
    elif not text.startswith("$"):
        text = "$." + text
    return text


_PARSER_LOCK = threading.Lock()


class _Comparison(_filter.Expression):
    """A filter comparison (`@.port==80`) that skips an item whose value cannot be compared (a list, a mapping)."""

    def find(self, datum: Any) -> list[Any]:
        try:
            return super().find(datum)
        except TypeError:  # jsonpath-ng's int() and < catch only ValueError; the answer's shape is not ours
            return []


class _Filter(_filter.Filter):
    """`[?(...)]` over the items of a list only, as kubectl's filter; jsonpath-ng turns a mapping it meets into
    the list of its values and writes that list back into the answer, which would change what later checks see."""

    def find(self, datum: Any) -> list[Any]:
        if isinstance(DatumInContext.wrap(datum).value, dict):
            return []
        return super().find(datum)


def _guarded(node: Any, expression: str, depth: int = 0) -> Any:
    """Refuse `=~` (kubectl has no regex filter, and a pack's pattern must not run unbounded) and make
    every comparison skip values of another shape; the tree is jsonpath-ng's, walked by its attributes."""
    if depth > 200:
        raise PathError(f"{expression}: nested too deeply")
    if isinstance(node, _filter.Expression):
        if node.op == "=~":
            raise PathError(f"{expression}: `=~` is not kubectl JSONPath; compare with ==")
        node.__class__ = _Comparison
    elif type(node) is _filter.Filter:
        node.__class__ = _Filter
    for value in vars(node).values() if isinstance(node, JSONPath) else ():
        for child in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(child, JSONPath):
                _guarded(child, expression, depth + 1)
    return node


@lru_cache(maxsize=1)
def _parser() -> ExtendedJsonPathParser:
    """One reused parser: jsonpath-ng (>= 1.10) ships its LALR tables, so building it reads them (~2 ms).

    `jsonpath_ng.ext.parse()` would build a new parser on every call; a ply parser also holds state
    while it parses, hence the lock in compile_path.
    """
    return ExtendedJsonPathParser()


@lru_cache(maxsize=2048)
def compile_path(expression: str) -> Any:
    """Parse once per expression."""
    text = normalise(expression)
    if _NUMERIC_INDEX.search(text):
        raise PathError(f"{expression}: list items are matched by name ([?(@.name==\"...\")]), never by index")
    try:
        with _PARSER_LOCK:  # one ply parser holds state while it parses
            parsed = _parser().parse(text)
    except (JsonPathParserError, Exception) as err:  # jsonpath-ng raises bare Exceptions from its lexer
        raise PathError(f"{expression}: not a JSONPath: {err}") from None
    return _guarded(parsed, expression)


def find(obj: Any, expression: str) -> list[Found]:
    """Every value at `expression` in `obj`, each with its concrete path."""
    return [Found(match.value, concrete_path(match)) for match in compile_path(expression).find(obj)]


def concrete_path(match: DatumInContext) -> Path:
    parts: list[str | int] = []
    datum: DatumInContext | None = match
    while datum is not None and datum.context is not None:
        step = datum.path
        if isinstance(step, Fields):
            parts.append(step.fields[0])
        elif isinstance(step, Index):
            parts.append(step.indices[0])
        datum = datum.context
    parts.reverse()
    return tuple(parts)


@dataclass(frozen=True)
class Miss:
    """Where a path stops finding anything: the deepest place found, and the step that found nothing."""

    path: Path
    step: str


def deepest(obj: Any, expression: str) -> Miss:
    """The deepest concrete place that exists on the way to `expression` (for "missing" messages)."""
    steps = split_steps(normalise(expression))
    for i in range(len(steps) - 1, 0, -1):
        found = compile_path("$" + "".join(steps[:i])).find(obj)
        if found:
            return Miss(concrete_path(found[0]), steps[i])
    return Miss((), steps[0] if steps else "")


def parent_path(obj: Any, expression: str) -> Path:
    return deepest(obj, expression).path


def without_last_step(expression: str) -> tuple[str, str] | None:
    """`$.a.b.c` -> (`$.a.b`, `c`) when the last step is a plain field (`$.a` -> (`$`, `a`)), else None."""
    steps = split_steps(normalise(expression))
    if not steps or not re.fullmatch(r"\.[A-Za-z0-9_-]+", steps[-1]):
        return None
    return "$" + "".join(steps[:-1]), steps[-1][1:]


def split_steps(text: str) -> list[str]:
    """`$.a.b[?(@.x=="y.z")].c` -> [".a", ".b", "[?(@.x==\"y.z\")]", ".c"] (dots inside brackets kept)."""
    body = text[1:]
    steps: list[str] = []
    depth = 0
    quote = ""
    current = ""
    for ch in body:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "[":
            if depth == 0 and current:
                steps.append(current)
                current = ""
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "." and depth == 0 and current:
            steps.append(current)
            current = ""
        current += ch
    if current:
        steps.append(current)
    return steps


def display(obj: Any, path: Path) -> str:
    """`spec.containers[nginx-container].image`: list items by their name when they have one."""
    out = ""
    node = obj
    for part in path:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            name = item.get("name") if isinstance(item, dict) else None
            out += f"[{name}]" if isinstance(name, str) else f"[{part}]"
            node = item
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


def display_expression(expression: str) -> str:
    """The expression as a reader would write it: `spec.containers[nginx-container].image`."""
    text = normalise(expression)[2:]
    return re.sub(r"\[\?\(?@?\.name\s*==\s*[\"']([^\"']*)[\"']\)?\]", r"[\1]", text)
