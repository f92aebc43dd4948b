"""The home screen's table of exercises, grouped by CKA domain."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowDoesNotExist

from app.tui.strings import t
from exercises.model import DOMAIN_TITLES, DOMAINS, pick

STATUS_STYLE = {"new": "dim", "failed": "bold red", "due": "bold yellow", "passed": "green"}
STATUS_MARK = {"new": "·", "failed": "✘", "due": "↻", "passed": "✔"}
DOMAIN_ROW = "domain:"
COLUMNS = ("status", "title", "kind", "level", "mode", "minutes", "id", "pack")


@dataclass(frozen=True)
class ExerciseRow:
    """What the table shows about one exercise."""

    exercise_id: str
    title: str
    domain: str
    kind: str
    difficulty: str
    mode: str
    """offline, both or live (the strings' `mode.*` keys)."""
    minutes: float
    status: str
    pack: str = ""


class ExerciseTable(DataTable):
    """Rows of exercises under a header row per domain; enter opens one."""

    class Opened(Message):
        """The learner chose an exercise."""

        def __init__(self, exercise_id: str) -> None:
            super().__init__()
            self.exercise_id = exercise_id

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]

    def show(self, rows: list[ExerciseRow], lang: str) -> None:
        """Replace the rows, keeping the cursor on the same exercise when it is still there."""
        current = self.selected_id
        self.clear()
        if not self.columns:
            for key in COLUMNS:
                self.add_column(key, key=key)
        for key in COLUMNS:
            column = self.columns[ColumnKey(key)]
            column.label = Text(t(f"home.col.{key}", lang) if key not in ("id", "pack") else key)
            column.content_width = max(column.content_width, column.label.cell_len)
        for domain in DOMAINS:
            in_domain = [r for r in rows if r.domain == domain]
            if not in_domain:
                continue
            title = Text(pick(DOMAIN_TITLES[domain], lang), style="bold")
            self.add_row("", title, "", "", "", "", "", "", key=DOMAIN_ROW + domain)
            for row in in_domain:
                status = Text(f"{STATUS_MARK[row.status]} {t('status.' + row.status, lang)}", style=STATUS_STYLE[row.status])
                self.add_row(
                    status,
                    Text("  " + row.title),
                    t(f"kind.{row.kind}", lang),
                    t(f"level.{row.difficulty}", lang),
                    t(f"mode.{row.mode}", lang),
                    Text(f"{row.minutes:g}", justify="right"),
                    Text(row.exercise_id, style="dim"),
                    Text(row.pack, style="dim"),
                    key=row.exercise_id,
                )
        self.select(current or "")

    def select(self, exercise_id: str | None) -> None:
        """Put the cursor on this exercise's row (or the first exercise)."""
        if exercise_id is None or not self.row_count:
            return
        try:
            self.move_cursor(row=self.get_row_index(exercise_id), animate=False)
        except RowDoesNotExist:  # filtered out: fall back to the first exercise row
            for index, row_key in enumerate(self.rows):
                if not str(row_key.value).startswith(DOMAIN_ROW):
                    self.move_cursor(row=index, animate=False)
                    return

    @property
    def selected_id(self) -> str | None:
        if not self.row_count:
            return None
        row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        value = str(row_key.value)
        return None if value.startswith(DOMAIN_ROW) else value

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        value = str(event.row_key.value)
        if not value.startswith(DOMAIN_ROW):
            self.post_message(self.Opened(value))
