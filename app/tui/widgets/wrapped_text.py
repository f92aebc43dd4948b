"""Content wrapped by app.wrap at render time: long paths break at their dots, inline code stays on one line when it fits.

Textual wraps at every space and folds a long word mid-word: `livenessPro` / `be.periodSecond` in the feedback box,
`kubectl config` / `set-context`로 in a Korean hint. `Wrapped` is the same Content (same styles), cut where app.wrap
cuts it for the width it is rendered at; `TaskMarkdown` is Textual's Markdown with its paragraphs wrapped so.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.visual import Visual
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownParagraph

from app.wrap import break_offsets

CODE = ".code_inline"
"""The style Textual's Markdown gives an inline code span."""


def wrapped(content: Content, width: int, indent: int = 0) -> Content:
    """`content` with a newline wherever app.wrap breaks it at `width`, continuation lines indented by `indent`.

    Inline code spans break only when longer than a line; a line of its own hangs two cells under its own start.
    """
    keep = [(span.start, span.end) for span in content.spans if span.style == CODE]
    lines, offset = [], 0
    for n, line in enumerate(content.split("\n", allow_blank=True)):
        end = offset + len(line.plain)
        line_keep = [(max(a, offset) - offset, min(b, end) - offset) for a, b in keep if a < end and b > offset]
        hang = indent if n == 0 else len(line.plain) - len(line.plain.lstrip(" ")) + 2 if indent else 0
        cuts = [stop for _, stop in break_offsets(line.plain, width, hang, line_keep)][:-1]
        parts = [part.rstrip() for part in line.divide(cuts)] if cuts else [line]
        lines += [parts[0], *(Content(" " * hang) + part for part in parts[1:])]
        offset = end + 1
    return Content("\n").join(lines)


class Wrapped(Visual):
    """Content wrapped at render time to the width it gets."""

    def __init__(self, content: Content, indent: int = 0) -> None:
        self.content = content
        self.indent = indent

    def __str__(self) -> str:
        return self.content.plain

    def render_strips(self, width: int, height: int | None, style: Any, options: Any) -> list[Any]:
        return wrapped(self.content, width, self.indent).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: Any, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: Any) -> int:
        return self.content.get_minimal_width(rules)

    def get_height(self, rules: Any, width: int) -> int:
        return wrapped(self.content, width, self.indent).get_height(rules, width)


class CodeKeepingParagraph(MarkdownParagraph):
    def render(self) -> Any:
        content = super().render()
        return Wrapped(content) if isinstance(content, Content) and content.spans else content


class TaskMarkdown(Markdown):
    """Textual's Markdown with its paragraphs wrapped by app.wrap."""

    BLOCKS = {**Markdown.BLOCKS, "paragraph_open": CodeKeepingParagraph}
