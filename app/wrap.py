"""Wrapping feedback to a width: long paths break at their separators, never mid-word, and lines hang under their start.

Rich and Textual wrap at spaces and fold what is left mid-word, so `spec.containers[probe].livenessProbe.periodSeconds`
came out as `...livenessPro` / `be.periodSecond`. Here a word too long for its line breaks after `.`, `/`, `,`, `-`,
`=` or `:`, or before `[`, `#`, `?` or `&`; only a piece with none of them that is longer than a whole line is folded.
A URL (or a link's text) is never broken: it goes whole to a line of its own when it does not fit the rest of one, and
stays whole even when longer than a line (the CLI prints that line unwrapped, as `show` prints docs links; the app
crops it, keeping the link). Used by the CLI on a terminal (app.render) and by the app (app.tui.widgets.wrapped_text);
no Textual here.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.text import Text

_PIECE = re.compile(r"[^./,\-=:\[#?&]*(?:[./,\-=:]+|(?=[\[#?&])|$)|[\[#?&]")
_WORD = re.compile(r"(\S+)(\s*)")
_URL = re.compile(r"https?://[^\s<>()\[\]{}\"'`]+")


def urls(plain: str) -> list[tuple[int, int]]:
    """(start, end) of each URL in `plain`, without the `.`, `,` or `:` that ends its sentence."""
    found = []
    for match in _URL.finditer(plain):
        url = match.group().rstrip(".,;:!?")
        found.append((match.start(), match.start() + len(url)))
    return found


def _with_brackets(plain: str, start: int, end: int) -> tuple[int, int]:
    """A URL with the bracket around it and the mark after it, so that `(` and `).` move with it to its line."""
    if start and plain[start - 1] in "(<[\"'":
        start -= 1
    stop = end
    while stop < len(plain) and stop - end < 3 and plain[stop] in ")>]\"'.,;:!?":
        stop += 1
    return start, stop


def clip(text: str, cells: int) -> str:
    """`text` in at most `cells` terminal cells: whole when it fits, else cut by cells and ended by `…`.

    Rich's ellipsis halves a Korean letter that straddles the edge into a space (`기본 네 …`, read as a word and
    an ellipsis); here the letter that does not fit is left out, and so are spaces before the `…`.
    """
    if cell_len(text) <= cells:
        return text
    kept, used = [], 0
    for char in text:
        used += cell_len(char)
        if used > cells - 1:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…" if cells > 0 else ""


def pieces(word: str) -> list[str]:
    """`word` cut where a path or URL may break: `spec.`, `containers`, `[probe].`, `livenessProbe.`, ..."""
    out: list[str] = []
    for found in _PIECE.finditer(word):
        piece = found.group()
        if not piece:
            continue
        if out and out[-1] in "[#?&" and len(out[-1]) == 1:
            out[-1] += piece  # a `[` stays with what follows it: `[probe].`
        else:
            out.append(piece)
    return out or [word]


def _joined(plain: str, keep: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(start, end, end of its spaces) of each unit to place: a word, or a kept span (inline code) with its spaces inside."""
    units: list[tuple[int, int, int]] = []
    for match in _WORD.finditer(plain):
        start, end, spaces = match.start(1), match.end(1), match.end(2)
        if units and any(a < start < b for a, b in keep):  # inside a kept span: one unit with the word before it
            units[-1] = (units[-1][0], end, spaces)
        else:
            units.append((start, end, spaces))
    return units


def break_offsets(plain: str, width: int, indent: int, keep: list[tuple[int, int]] = [],  # noqa: B006
                  whole: list[tuple[int, int]] = []) -> list[tuple[int, int]]:  # noqa: B006
    """(start, end) of each line of `plain` wrapped to `width`; lines after the first have `indent` cells less room.

    A `keep` range (start, end), such as an inline code span, is not broken at its spaces when it fits on a line.
    A `whole` range (a link's text) and every URL in `plain` are never broken, not even when longer than a line.
    """
    whole = sorted({_with_brackets(plain, a, b) for a, b in [*whole, *urls(plain)]})
    keep = [*keep, *whole]
    lines: list[tuple[int, int]] = []
    start, used = 0, cell_len(plain) - cell_len(plain.lstrip())  # the current line's first character, and its cells

    def room() -> int:
        return max(1, width - (indent if lines else 0))

    def new_line(at: int) -> None:
        nonlocal start, used
        lines.append((start, at))
        start, used = at, 0

    for unit_start, unit_end, spaces_end in _joined(plain, keep):
        word, at, spaces = plain[unit_start:unit_end], unit_start, plain[unit_end:spaces_end]
        fresh = max(1, width - indent)  # the room of any line after the first
        if " " in word and cell_len(word) > fresh:  # a kept span longer than a line: its words are placed one by one
            for match in _WORD.finditer(word):
                part = match.group(1)
                if used and used + cell_len(part) > room():
                    new_line(at + match.start(1))
                used += cell_len(part) + len(match.group(2))
            used += len(spaces)
            continue
        if used and used + cell_len(word) > room() and cell_len(word) <= fresh:
            new_line(at)  # a word that fits a line of its own goes whole to the next one
        if cell_len(word) <= room() - used:
            used += cell_len(word) + len(spaces)
            continue
        edges = {edge - unit_start for span in keep for edge in span}
        cuts = sorted(edge for edge in edges if 0 < edge < unit_end - unit_start)
        segments = [word[i:j] for i, j in zip([0, *cuts], [*cuts, len(word)])]  # code glued to a word (`x`에) may part from it
        kept = {(a - unit_start, b - unit_start) for a, b in keep}
        unbroken = {(a - unit_start, b - unit_start) for a, b in whole}
        units, offset, urls_here = [], 0, set()
        for segment in segments:
            span = (offset, offset + len(segment))
            if span in unbroken:
                urls_here.add(len(units))
            units += [segment] if span in unbroken or (span in kept and cell_len(segment) <= fresh) else pieces(segment)
            offset += len(segment)
        for n, piece in enumerate(units):  # too long for a whole line: break it at its separators (and around its inline code)
            if used and used + cell_len(piece) > room():
                new_line(at)
            if cell_len(piece) <= room() - used or n in urls_here:  # a URL longer than a line has that line to itself
                used += cell_len(piece)
                at += len(piece)
                continue
            for char in piece:  # no separator in a piece longer than a line: folded, the last resort
                if used and used + cell_len(char) > room():
                    new_line(at)
                used += cell_len(char)
                at += len(char)
        used += len(spaces)
    lines.append((start, len(plain)))
    return lines


def wrap(text: Text, width: int, indent: int = 0) -> list[Text]:
    """`text` as lines at most `width` cells wide, each line after the first indented by `indent` spaces.

    A line of its own in `text` (after a newline, such as "  hint: ...") hangs two cells under its own start.
    """
    out: list[Text] = []
    for n, paragraph in enumerate(text.split("\n", allow_blank=True)):
        own = len(paragraph.plain) - len(paragraph.plain.lstrip(" "))
        out += _wrap_line(paragraph, width, indent if n == 0 else own + 2)
    return out


def _wrap_line(text: Text, width: int, indent: int) -> list[Text]:
    plain = text.plain
    out = []
    for n, (start, end) in enumerate(break_offsets(plain, width, indent)):
        line = text[start:end]
        line.rstrip()
        if n and indent:
            line = Text(" " * indent) + line
        line.no_wrap = True
        line.overflow = "ignore"
        out.append(line)
    return out
