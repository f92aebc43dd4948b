"""The home screen's table of exercises, grouped by CKA domain."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from app.tui.strings import t
from app.wrap import clip
from exercises.listing import DOMAIN_TITLES, DOMAINS, pick

STATUS_STYLE = {"new": "dim", "failed": "bold red", "due": "bold yellow", "passed": "green"}
STATUS_MARK = {"new": "·", "failed": "✘", "due": "↻", "passed": "✔"}
DOMAIN_ROW = "domain:"
COLUMNS = ("status", "title", "kind", "level", "mode", "minutes", "id", "pack")


DROPPED_FIRST = ("pack", "level", "mode", "kind")
"""On a narrow screen these columns go, in this order, before titles get shorter than MIN_TITLE."""
MIN_TITLE = 32


def fitting_columns(widths: list[int], table_width: int, padding: int) -> dict[int, int]:
    """Column index -> width for the columns that fit in `table_width`; the title takes the room that is left."""
    title = COLUMNS.index("title")
    shown = list(range(len(COLUMNS)))
    room = table_width - 2  # the vertical scrollbar

    def title_room() -> int:
        return room - sum(widths[i] + 2 * padding for i in shown if i != title) - 2 * padding

    for name in DROPPED_FIRST:
        if title_room() >= min(MIN_TITLE, widths[title]):
            break
        shown.remove(COLUMNS.index(name))
    fitted = {i: widths[i] for i in shown}
    fitted[title] = max(min(widths[title], title_room()), min(12, widths[title]))
    return fitted


def fitted(cell: Text, cells: int) -> Text:
    """A title cut to its column by cells (app.wrap.clip): `기본 네임…`, not rich's `기본 네 …`."""
    return Text(clip(cell.plain, cells), style=cell.style, no_wrap=True) if cell.cell_len > cells else cell


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
        """Replace the rows, keeping the cursor on the same exercise when it is still there.

        The columns are made anew each time, sized to this language's words and to the table's width: titles
        are cut with an ellipsis before the id is, and the least needed columns go first on a narrow screen.
        """
        self._shown = (rows, lang)
        current = self.selected_id
        cells: list[tuple[str, tuple[Text, ...]]] = []
        for domain in DOMAINS:
            in_domain = [r for r in rows if r.domain == domain]
            if not in_domain:
                continue
            title = Text(pick(DOMAIN_TITLES[domain], lang), style="bold", no_wrap=True, overflow="ellipsis")
            cells.append((DOMAIN_ROW + domain, (Text(""), title, *(Text("") for _ in COLUMNS[2:]))))
            for row in in_domain:
                cells.append((row.exercise_id, (
                    Text(f"{STATUS_MARK[row.status]} {t('status.' + row.status, lang)}", style=STATUS_STYLE[row.status]),
                    Text("  " + row.title, no_wrap=True, overflow="ellipsis"),
                    Text(t(f"kind.{row.kind}", lang)),
                    Text(t(f"level.{row.difficulty}", lang)),
                    Text(t(f"mode.{row.mode}", lang)),
                    Text(f"{row.minutes:g}", justify="right"),
                    Text(row.exercise_id, style="dim"),
                    Text(row.pack, style="dim"),
                )))
        labels = [Text(t(f"home.col.{key}", lang) if key not in ("id", "pack") else key) for key in COLUMNS]
        exercise_cells = [c for c in cells if not c[0].startswith(DOMAIN_ROW)]  # a domain's name may be cut
        widths = [max([labels[i].cell_len] + [c[1][i].cell_len for c in exercise_cells or cells]) for i in range(len(COLUMNS))]
        self._shown_width = self.size.width or self.app.size.width
        shown = fitting_columns(widths, self._shown_width, self.cell_padding)
        self.clear(columns=True)
        for i in shown:
            self.add_column(labels[i], key=COLUMNS[i], width=shown[i])
        title = COLUMNS.index("title")
        for row_key, row_cells in cells:
            self.add_row(*(fitted(row_cells[i], shown[i]) if i == title else row_cells[i] for i in shown), key=row_key)
        self.select(current or "")

    def on_resize(self) -> None:
        width = self.size.width or self.app.size.width
        if getattr(self, "_shown", None) and width != getattr(self, "_shown_width", None):
            self.show(*self._shown)

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
