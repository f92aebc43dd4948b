"""Notifications wrapped by app.wrap: a URL in a toast is never broken, and the toast widens to hold it whole."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import _toast

from app.tui.widgets.wrapped_text import Wrapped, WrappedSelection, linked
from app.wrap import urls

FRAME = 3
"""A toast's padding (one cell either side) and its left border."""


class WrappedToast(WrappedSelection, _toast.Toast):
    """Textual's Toast, its message wrapped by app.wrap, its URLs links; as wide as its longest URL needs, up to the screen."""

    def __init__(self, notification: Any) -> None:
        super().__init__(notification)
        message = notification.message
        plain = (Content.from_markup(message) if notification.markup else Content(message)).plain
        longest = max((cell_len(plain[a:b]) + 2 for a, b in urls(plain)), default=0)  # with its brackets
        if longest + FRAME > 60:  # Textual's toast: 60 cells, at most half the screen
            self.styles.width = longest + FRAME
            self.styles.max_width = "100%"

    def render(self) -> Any:
        return Wrapped(linked(super().render()))


def install() -> None:
    """Textual's toast rack makes WrappedToasts (it names its Toast class when it mounts one: textual 8's _toast)."""
    _toast.Toast = WrappedToast  # type: ignore[misc]
