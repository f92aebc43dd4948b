"""The YAML editor for manifest answers: a code editor's habits (indent kept on enter, two-space tabs, comments)."""

from __future__ import annotations

import re

from textual import events
from textual.widgets import TextArea

from app.tui.keys import key
from app.tui.messages import AnswerEdited

INDENT = 2
"""YAML in Kubernetes is indented by two spaces."""
_OPENS_A_BLOCK = re.compile(r"^\s*(- )?[^#]*:\s*(#.*)?$|^\s*-\s*$")
"""`spec:`, `- name:`, a lone `-`: the next line goes one level deeper."""
_LIST_ITEM = re.compile(r"^(\s*)- ")


def next_indent(line: str) -> str:
    """The indentation a new line after `line` starts with: kept, one level deeper after a key that opens a block,
    or under a list item's first key (`- name: web` -> the next key of that item)."""
    indent = line[: len(line) - len(line.lstrip(" "))]
    item = _LIST_ITEM.match(line)
    if item:
        indent = item.group(1) + " " * INDENT
    if line.strip() and _OPENS_A_BLOCK.match(line) and not line.rstrip().endswith(("|", ">")):
        return indent + " " * INDENT
    if line.rstrip().endswith(("|", ">", "|-", ">-")):
        return indent + " " * INDENT
    return indent


def toggle_comment(lines: list[str]) -> list[str]:
    """`# ` in front of every non-blank line at their common indentation; taken off when they all have it."""
    filled = [line for line in lines if line.strip()]
    if not filled:
        return lines
    if all(line.lstrip().startswith("#") for line in filled):
        return [re.sub(r"^(\s*)# ?", r"\1", line, count=1) for line in lines]
    at = min(len(line) - len(line.lstrip()) for line in filled)
    return [line[:at] + "# " + line[at:] if line.strip() else line for line in lines]


class ManifestEditor(TextArea):
    """A code editor with YAML highlighting that reports every edit and can jump to a line."""

    BINDINGS = [
        key("ctrl+a", "select_all", "select-all", show=False),
        key("ctrl+underscore,ctrl+slash", "toggle_comment", "comment", show=False),
        key("ctrl+z", "undo", "undo", show=False),
        key("ctrl+y", "redo", "redo", show=False),
        key("f6", "select_line", "select-line", show=False),
        key("ctrl+k", "delete_to_end_of_line_or_delete_line", "delete-to-end", show=False),
    ]

    @classmethod
    def for_yaml(cls, text: str, **kwargs: object) -> "ManifestEditor":
        editor = cls.code_editor(text, language="yaml", theme="css", **kwargs)
        editor.indent_width = INDENT
        return editor  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._follow_theme)

    def _follow_theme(self, _theme: str) -> None:
        """The app theme's colours for dark themes; a light syntax palette on light ones."""
        self.theme = "css" if self.app.current_theme.dark else "github_light"

    async def _on_key(self, event: events.Key) -> None:
        """Enter keeps the indentation; every other key goes on to TextArea's own `_on_key` (Textual calls each class's)."""
        if self.read_only:
            return
        if event.key == "escape":
            event.prevent_default()  # not TextArea's "focus the next widget": escape goes back, as the footer says
            return
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            row, column = self.cursor_location
            before = self.document.get_line(row)[:column]
            start, end = self.selection
            self.replace("\n" + next_indent(before), start, end, maintain_selection_offset=False)

    def action_toggle_comment(self) -> None:
        """Comment out the selected lines (or the cursor's line), or uncomment them."""
        start, end = sorted(self.selection)
        last = end[0] if end[1] > 0 or end[0] == start[0] else end[0] - 1
        lines = [self.document.get_line(row) for row in range(start[0], last + 1)]
        changed = toggle_comment(lines)
        if changed != lines:
            cursor = self.cursor_location
            self.replace("\n".join(changed), (start[0], 0), (last, len(lines[-1])))
            shift = len(changed[cursor[0] - start[0]]) - len(lines[cursor[0] - start[0]]) if start[0] <= cursor[0] <= last else 0
            self.cursor_location = (cursor[0], max(0, cursor[1] + shift))

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
