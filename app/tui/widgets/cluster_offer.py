"""The way forward when no cluster answers: the keys that start one and look again."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from app.tui.strings import t


class ClusterOffer(Static):
    """Shown under the live bar while no cluster answers; hidden otherwise."""

    DEFAULT_CSS = """
    ClusterOffer { display: none; padding: 0 1; color: $text-warning; }
    ClusterOffer.-shown { display: block; }
    """

    def show(self, shown: bool, lang: str, up_key: str, retry_key: str) -> None:
        self.set_class(shown, "-shown")
        if shown:
            self.update(Text(t("up.offer", lang, up=up_key, retry=retry_key)))
