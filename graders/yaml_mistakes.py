"""The classic YAML mistakes behind a parser error (tabs, `-name:`, `image:nginx`, mis-indented keys), with hints."""

from __future__ import annotations

import re
from typing import Any, Iterator

CHECK_INDENT = ("Check the indentation of this line and the one above: keys of the same mapping start at the same "
                 "column, and a field's children are indented under it with spaces.",
                 "이 줄과 윗줄의 들여쓰기를 확인하세요. 같은 레벨의 키는 같은 칸에서 시작하고, 하위 필드는 "
                 "스페이스로 한 단계 더 들여써야 합니다.")
# Patterns for the classic mistakes; plain strings, so `re` compiles them only when an answer has an error.
_TAB_INDENT = r"^[ \t-]*\t"  # a tab among the spaces and dashes before the content
_BARE_KEY = r"^( *)([A-Za-z_][\w.-]*) *$"
_DASH_NO_SPACE = r"^( *)-([A-Za-z_][\w.-]*) *:(?:\s|$)"
_COLON_NO_SPACE = r"^( *(?:- +)*)([A-Za-z_][\w.-]*):([^\s:/#{\[][^\s]*)\s*$"
_ENTRY = r"^( *)((?:- +)*)(?:([A-Za-z_\"'][^:#]*?) *:(?:\s|$))?"
_BLOCK_SCALAR = r"(?:^|[:-]) +[|>][-+0-9]* *(?:#.*)?$"
Mistake = tuple[int, int, str, str, str]  # line, column, what is wrong, hint, Korean hint


def first_tab(lines: list[str]) -> Mistake | None:
    """The first tab in indentation, wherever it is: the parser may trip over it only later."""
    for number, raw in enumerate(lines, 1):
        tab = re.match(_TAB_INDENT, raw)
        if tab:
            return (number, tab.end(), "tab character used for indentation",
                    "Indent with spaces, not tabs: YAML does not allow tab characters in indentation.",
                    "YAML 들여쓰기에는 탭을 쓸 수 없습니다. 스페이스(보통 2칸)로 들여쓰기 하세요.")
    return None


def unclosed(exc: Any, error_line: int) -> Mistake | None:
    """A quote, `[` or `{` opened and never closed: the parser says where it was opened."""
    context, mark = getattr(exc, "context", None) or "", getattr(exc, "context_mark", None)
    if mark is None or not any(what in context for what in ("quoted scalar", "flow sequence", "flow mapping")):
        return None
    line, column = mark.line + 1, mark.column + 1
    if "quoted" in context:
        return (line, column, "this quote is never closed", "Close the quote on the same line: `\"nginx:1.14\"`.",
                "따옴표가 닫히지 않았습니다. 같은 줄에서 같은 따옴표로 닫으세요: `\"nginx:1.14\"`")
    opening, closing, example = (("[", "]", '["sleep", "1000"]') if "sequence" in context else
                                 ("{", "}", "{app: web, tier: front}"))
    return (line, column, f"this `{opening}` is not closed, or misses a comma, before line {error_line}",
            f"Close it with `{closing}`, and separate the items with commas: `{example}`.",
            f"`{opening}`를 `{closing}`로 닫고, 항목 사이는 쉼표(,)로 구분하세요: `{example}`")


def classic_mistake(lines: list[str], error_line: int) -> Mistake | None:
    """The classic mistake on the parser's error line or the three above it (a parser stops soon after).

    A missing space after a dash or a colon, or a key without its colon, before a mis-indented key.
    """
    found: list[tuple[int, Mistake]] = []  # (rank, mistake)
    for number in range(max(1, error_line - 3), len(lines) + 1):
        raw = lines[number - 1]
        dash, colon = re.match(_DASH_NO_SPACE, raw), re.match(_COLON_NO_SPACE, raw)
        bare = re.match(_BARE_KEY, raw) if number < len(lines) else None
        if bare and len(lines[number]) - len(lines[number].lstrip(" ")) >= len(bare.group(1)) \
                and re.match(_ENTRY, lines[number]).group(0).strip():
            key = bare.group(2)
            found.append((0, (number, len(bare.group(1)) + len(key) + 1, f"`{key}` has no colon after it",
                              f"Add a colon after the key: `{key}:`.",
                              f"키 뒤에 콜론(:)이 빠졌습니다: `{key}:`")))
        if dash:
            key = dash.group(2)
            found.append((0, (number, len(dash.group(1)) + 1, f"no space after the dash in `-{key}:`",
                              f"Put a space after the dash: `- {key}:`.",
                              f"대시(-) 뒤에는 반드시 한 칸을 띄워야 합니다: `- {key}:`")))
        if colon:
            key, value = colon.group(2), colon.group(3)
            found.append((0, (number, len(colon.group(1)) + len(key) + 1, f"no space after the colon in "
                              f"`{key}:{value}`", f"Put a space after the colon: `{key}: {value}`.",
                              f"콜론(:) 뒤에는 반드시 한 칸을 띄워야 합니다: `{key}: {value}`")))
    if not "".join(lines).lstrip().startswith(("{", "[")):
        found += [(1, m) for m in _misindented(lines) if m[0] >= error_line - 3]
    return min(found, key=lambda f: (f[0], error_line - f[1][0]))[1] if found else None


def _misindented(lines: list[str]) -> Iterator[Mistake]:
    """Keys that line up with no key above them, or sit under the dash of an indented list."""
    stack: list[tuple[int, int | None, bool]] = []  # open columns: (column, a dash's item column, indentless)
    opened, block = True, -1  # the line above ends in `key:` or `-`; the indentation of a block scalar's key
    for number, raw in enumerate(lines, 1):
        indent, content = len(raw) - len(raw.lstrip(" ")), raw.strip()
        if block >= 0 and (indent > block or not content):
            continue
        block = -1
        if not content or content[0] == "#" or raw[indent] == "\t":
            continue
        entry = re.match(_ENTRY, raw)
        dashes, key = entry.group(2), entry.group(3)
        if not dashes and key is None:  # a continued scalar or flow collection: not ours to judge
            opened = False
            continue
        deeper = None  # the nearest column deeper than this line, when it closes blocks
        while stack and stack[-1][0] > indent:
            deeper = stack.pop()[0]
        top = stack[-1] if stack else None
        if top and key is not None and not dashes:
            if top[0] == indent and top[1] is not None and not top[2]:
                yield _indent_mistake(number, indent, key, top[1], "lines up with the dash of the list above")
            elif top[0] < indent and deeper is not None:
                nearer = top[1] is None and indent - top[0] < deeper - indent  # a dash column holds no key
                yield _indent_mistake(number, indent, key, top[0] if nearer else deeper,
                                      "does not line up with any key above it")
            elif top[0] < indent and not opened:
                yield _indent_mistake(number, indent, key, top[0], "is indented deeper than the key above it")
        item = indent + len(dashes) if dashes else None
        if top and top[0] == indent:
            stack[-1] = (indent, item, bool(dashes) and (top[2] or top[1] is None))
        else:
            stack.append((indent, item, False))
        if item is not None and key is not None:
            stack.append((item, None, False))
        after = content.split(" #")[0].rstrip()
        opened = after.endswith(":") or after == "-" or after.endswith(" -")
        if re.search(_BLOCK_SCALAR, after):
            block = indent


def _indent_mistake(number: int, column: int, key: str, target: int, why: str) -> Mistake:
    shift = target - column
    more = f"{abs(shift)} {'more' if shift > 0 else 'fewer'} space{'s' if abs(shift) != 1 else ''}"
    more_ko = f"{abs(shift)}칸 {'더' if shift > 0 else '덜'} 들여쓰기"
    return (number, column + 1, f"`{key}:` is mis-indented: it {why}",
            f"Indent `{key}:` {more}, to column {target + 1}, so it lines up with its sibling keys.",
            f"`{key}:` 필드의 들여쓰기가 잘못되었습니다. 같은 레벨의 키들과 맞도록 {more_ko} 하세요 "
            f"({target + 1}번째 칸).")
