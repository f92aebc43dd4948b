"""The exercise screen's top line: title, domain, kind, difficulty, time and status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from app.tui.strings import t
from app.tui.widgets.exercise_table import STATUS_MARK, STATUS_STYLE
from exercises.listing import DOMAIN_TITLES, pick

if TYPE_CHECKING:
    from exercises.model import Exercise


def exercise_mode(exercise: Exercise) -> str:
    """offline, both or live: the strings' `mode.*` keys."""
    if exercise.live_only:
        return "live"
    return "both" if exercise.live is not None else "offline"


class ExerciseHeader(Static):
    """Two lines: the title, then what kind of exercise it is and where the learner stands."""

    def show(self, exercise: Exercise, lang: str, status: str) -> None:
        text = Text()
        text.append(pick(exercise.title, lang), style="bold")
        text.append(f"   {exercise.id}\n", style="dim")
        parts = [
            pick(DOMAIN_TITLES[exercise.domain], lang),
            t(f"kind.{exercise.kind}", lang),
            t(f"level.{exercise.difficulty}", lang),
            t(f"mode.{exercise_mode(exercise)}", lang),
            t("ex.minutes", lang, n=f"{exercise.target_minutes:g}"),
        ]
        text.append(" · ".join(parts), style="dim")
        text.append("   ")
        text.append(f"{STATUS_MARK[status]} {t('status.' + status, lang)}", style=STATUS_STYLE[status])
        self.update(text)
