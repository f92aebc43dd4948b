"""The one-line input for command answers (a kubectl command line)."""

from __future__ import annotations

from textual.widgets import Input

from app.tui.messages import AnswerEdited


class CommandAnswer(Input):
    """An Input that reports every edit; enter asks the screen to check."""

    @property
    def answer_text(self) -> str:
        return self.value

    def set_answer(self, text: str) -> None:
        self.value = text.strip().splitlines()[0] if text.strip() else ""

    def go_to(self, line: int, column: int | None = None) -> None:
        self.cursor_position = max(0, (column or 1) - 1)
        self.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(AnswerEdited(self.value))
