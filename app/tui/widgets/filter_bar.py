"""The home screen's filters: domain, kind and progress status."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Select

from app.progress import STATUSES
from app.tui.strings import t
from exercises.model import DOMAIN_TITLES, DOMAINS, pick

KINDS = ("manifest", "command", "quiz")


@dataclass(frozen=True)
class Filters:
    """What the table shows; None means any."""

    domain: str | None = None
    kind: str | None = None
    status: str | None = None


class FilterBar(Horizontal):
    """Three selects; posts Changed whenever one changes."""

    lang: reactive[str] = reactive("en", init=False)

    class Changed(Message):
        def __init__(self, filters: Filters) -> None:
            super().__init__()
            self.filters = filters

    def compose(self) -> ComposeResult:
        yield Select(self._options("domain"), prompt=t("home.filter.domain", self.lang), id="filter-domain", allow_blank=True, compact=True)
        yield Select(self._options("kind"), prompt=t("home.filter.kind", self.lang), id="filter-kind", allow_blank=True, compact=True)
        yield Select(self._options("status"), prompt=t("home.filter.status", self.lang), id="filter-status", allow_blank=True, compact=True)

    def _options(self, which: str) -> list[tuple[str, str]]:
        if which == "domain":
            return [(pick(DOMAIN_TITLES[d], self.lang), d) for d in DOMAINS]
        if which == "kind":
            return [(t(f"kind.{k}", self.lang), k) for k in KINDS]
        return [(t(f"status.{s}", self.lang), s) for s in STATUSES]

    def watch_lang(self) -> None:
        for which in ("domain", "kind", "status"):
            select = self.query_one(f"#filter-{which}", Select)
            value = select.value
            select.prompt = t(f"home.filter.{which}", self.lang)
            select.set_options(self._options(which))
            if value is not Select.NULL:
                select.value = value

    @property
    def filters(self) -> Filters:
        values = [self.query_one(f"#filter-{w}", Select).value for w in ("domain", "kind", "status")]
        domain, kind, status = (None if v is Select.NULL else str(v) for v in values)
        return Filters(domain, kind, status)

    def cycle(self, which: str) -> None:
        """Move one filter to its next value (after the last: any)."""
        select = self.query_one(f"#filter-{which}", Select)
        values = [value for _, value in self._options(which)]
        current = select.value
        if current is Select.NULL:
            select.value = values[0]
        elif values.index(current) + 1 < len(values):
            select.value = values[values.index(current) + 1]
        else:
            select.clear()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self.filters))
