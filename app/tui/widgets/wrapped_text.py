"""Content wrapped by app.wrap at render time: long paths break at their dots, inline code stays on one line when it fits.

Textual wraps at every space and folds a long word mid-word: `livenessPro` / `be.periodSecond` in the feedback box,
`kubectl config` / `set-context`로 in a Korean hint. `Wrapped` is the same Content (same styles), cut where app.wrap
cuts it for the width it is rendered at; `TaskMarkdown` is Textual's Markdown with its paragraphs wrapped so.
A URL, and a link's text, are never broken: a line that holds one and is still too long is cropped, not folded, and
the URL stays one link (`linked`) and one piece when selected and copied (`WrappedSelection`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.content import Content
from textual.style import Style
from textual.visual import Visual
from textual.widgets import Markdown, Static
from textual.widgets._markdown import MarkdownParagraph

from app.wrap import break_offsets, urls

CODE = ".code_inline"
"""The style Textual's Markdown gives an inline code span."""


def wrapped(content: Content, width: int, indent: int = 0) -> Content:
    """`content` with a newline wherever app.wrap breaks it at `width`, continuation lines indented by `indent`.

    Inline code spans break only when longer than a line; a line of its own hangs two cells under its own start.
    """
    keep = [(span.start, span.end) for span in content.spans if span.style == CODE]
    links = [(span.start, span.end) for span in content.spans if is_link(span.style)]
    lines, offset = [], 0
    for n, line in enumerate(content.split("\n", allow_blank=True)):
        end = offset + len(line.plain)

        def here(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
            return [(max(a, offset) - offset, min(b, end) - offset) for a, b in spans if a < end and b > offset]

        hang = indent if n == 0 else len(line.plain) - len(line.plain.lstrip(" ")) + 2 if indent else 0
        cuts = [stop for _, stop in break_offsets(line.plain, width, hang, here(keep), here(links))][:-1]
        parts = [part.rstrip() for part in line.divide(cuts)] if cuts else [line]
        lines += [parts[0], *(Content(" " * hang) + part for part in parts[1:])]
        offset = end + 1
    return Content("\n").join(lines)


def is_link(style: Any) -> bool:
    """A span Textual's Markdown made of a link (its click opens the URL), or one `linked` made."""
    return isinstance(style, Style) and (style.link is not None or str(style.meta.get("@click", "")).startswith("link("))


def linked(content: Content) -> Content:
    """`content` with each URL in it a link: a terminal opens the whole URL, even from a line cropped short."""
    for start, end in urls(content.plain):
        content = content.stylize(Style(link=content.plain[start:end]), start, end)
    return content


class _Uncut:
    """A widget's style rules, but lines are not wrapped again: one too long (a URL's) is cropped with `…`."""

    OWN = {"text_wrap": "nowrap", "text_overflow": "ellipsis"}

    def __init__(self, rules: Any) -> None:
        self.rules = rules

    def get(self, key: str, default: Any = None) -> Any:
        return self.OWN[key] if key in self.OWN else self.rules.get(key, default)


class Wrapped(Visual):
    """Content wrapped at render time to the width it gets."""

    def __init__(self, content: Content, indent: int = 0) -> None:
        self.content = content
        self.indent = indent

    def __str__(self) -> str:
        return self.content.plain

    def lines(self, width: int) -> Content:
        """The content as it shows at `width`."""
        return wrapped(self.content, width, self.indent)

    def render_strips(self, width: int, height: int | None, style: Any, options: Any) -> list[Any]:
        uncut = replace(options, rules=_Uncut(options.rules))
        return self.lines(width).render_strips(width, height, style, uncut)  # only a URL's line is too long: cropped

    def get_optimal_width(self, rules: Any, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: Any) -> int:
        return self.content.get_minimal_width(rules)

    def get_height(self, rules: Any, width: int) -> int:
        return len(self.lines(width).split("\n", allow_blank=True))  # a cropped line is one line


class WrappedSelection:
    """For a widget that renders Wrapped: a selection copies what it shows (a URL whole) instead of nothing."""

    def get_selection(self: Any, selection: Any) -> tuple[str, str] | None:
        visual = self._render()
        if isinstance(visual, Wrapped):
            return selection.extract(visual.lines(self.content_region.width).plain), "\n"
        return super().get_selection(selection)  # type: ignore[misc]


def shown(text: Any, indent: int = 0) -> Wrapped:
    """A str or a rich Text as a Static shows it: wrapped by app.wrap, its URLs whole and links."""
    if isinstance(text, str):
        text = Content(text)
    content = text if isinstance(text, Content) else Content.from_rich_text(text)
    return Wrapped(linked(content), indent)


class WrappedStatic(WrappedSelection, Static):
    """A Static to update with `shown(...)`: selecting its text copies what it shows."""


class CodeKeepingParagraph(WrappedSelection, MarkdownParagraph):
    def render(self) -> Any:
        content = super().render()
        return Wrapped(content) if isinstance(content, Content) and content.spans else content


class TaskMarkdown(Markdown):
    """Textual's Markdown with its paragraphs wrapped by app.wrap."""

    BLOCKS = {**Markdown.BLOCKS, "paragraph_open": CodeKeepingParagraph}
