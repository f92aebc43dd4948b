"""The YAML editor for manifest answers."""

from __future__ import annotations

from textual.widgets import TextArea

from app.tui.messages import AnswerEdited


class ManifestEditor(TextArea):
    """A code editor with YAML highlighting that reports every edit and can jump to a line."""

    @classmethod
    def for_yaml(cls, text: str, **kwargs: object) -> "ManifestEditor":
        return cls.code_editor(text, language="yaml", theme="css", **kwargs)  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._follow_theme)

    def _follow_theme(self, _theme: str) -> None:
        """The app theme's colours for dark themes; a light syntax palette on light ones."""
        self.theme = "css" if self.app.current_theme.dark else "github_light"

    @property
    def answer_text(self) -> str:
        return self.text

    def set_answer(self, text: str) -> None:
        self.load_text(text)

    def go_to(self, line: int, column: int | None = None) -> None:
        """Cursor to 1-based `line` and column; without a column, to the line's end (where a wrong value is fixed)."""
        row = max(0, min(line - 1, self.document.line_count - 1))
        text = self.document.get_line(row)
        col = (column - 1) if column else len(text.rstrip())
        self.cursor_location = (row, max(0, min(col, len(text))))
        self.scroll_cursor_visible(center=True)
        self.focus()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.post_message(AnswerEdited(self.text))
