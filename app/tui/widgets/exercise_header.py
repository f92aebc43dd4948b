"""The exercise screen's top line: title, domain, kind, difficulty, time and status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.widgets import Static

from app.tui.listing import exercise_mode
from app.tui.strings import t
from app.tui.widgets.exercise_table import STATUS_MARK, STATUS_STYLE
from exercises.listing import DOMAIN_TITLES, pick

if TYPE_CHECKING:
    from exercises.model import Exercise


class ExerciseHeader(Static):
    """Two lines: the title, then what kind of exercise it is and where the learner stands."""

    def show(self, exercise: Exercise, lang: str, status: str) -> None:
        self._shown = (exercise, lang, status)
        width = self.content_size.width or self.app.size.width - 2  # inside the header's padding
        text = Text()
        text.append(pick(exercise.title, lang), style="bold")
        text.append(f"   {exercise.id}\n", style="dim")
        domain = pick(DOMAIN_TITLES[exercise.domain], lang)
        rest = [
            t(f"kind.{exercise.kind}", lang),
            t(f"level.{exercise.difficulty}", lang),
            t(f"mode.{exercise_mode(exercise)}", lang),
            t("ex.minutes", lang, n=f"{exercise.target_minutes:g}"),
        ]
        mark = f"{STATUS_MARK[status]} {t('status.' + status, lang)}"
        over = cell_len(" · ".join([domain, *rest]) + "   " + mark) - (width - 1)
        if over > 0 and width:  # the status stays on the line: the domain's long title gives way (80 columns, Korean)
            domain = set_cell_size(domain, max(8, cell_len(domain) - over - 1)).rstrip() + "…"
        text.append(" · ".join([domain, *rest]), style="dim")
        text.append("   ")
        text.append(mark, style=STATUS_STYLE[status])
        self.update(text)

    def on_resize(self) -> None:
        if getattr(self, "_shown", None):
            self.show(*self._shown)
