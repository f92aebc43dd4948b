"""The home screen's one-line tally of the learner's progress."""

from __future__ import annotations

from collections import Counter

from textual.widgets import Static

from app.tui.strings import t


class ProgressSummary(Static):
    """`3/12 passed · 1 due again · ...`, plus pack problems when there are any."""

    def show(self, statuses: list[str], lang: str, problems: int = 0) -> None:
        counts = Counter(statuses)
        text = t("home.summary", lang, total=len(statuses), **{s: counts.get(s, 0) for s in ("passed", "due", "failed", "new")})
        if problems:
            text += "   " + t("home.problems", lang, n=problems)
        self.update(text)
