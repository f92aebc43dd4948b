"""The home screen's filters: domain, kind and progress status, one line; keys or clicks cycle them."""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from app.progress import STATUSES
from app.tui.strings import t
from exercises.listing import DOMAIN_TITLES, DOMAINS, pick

KINDS = ("manifest", "command", "quiz")
CHOICES = {"domain": DOMAINS, "kind": KINDS, "status": STATUSES}


@dataclass(frozen=True)
class Filters:
    """What the table shows; None means any."""

    domain: str | None = None
    kind: str | None = None
    status: str | None = None


class FilterBar(Static):
    """A line such as `Domain: All domains · Kind: manifest · Status: Any status` (three Selects cost 0.2 s at start-up)."""

    lang: reactive[str] = reactive("en", init=False)
    filters: reactive[Filters] = reactive(Filters, init=False)

    class Changed(Message):
        def __init__(self, filters: Filters) -> None:
            super().__init__()
            self.filters = filters

    def _label(self, which: str, value: str | None) -> str:
        if value is None:
            return t(f"home.filter.{which}", self.lang)
        if which == "domain":
            return pick(DOMAIN_TITLES[value], self.lang)
        return t(f"{which}.{value}", self.lang)

    def _show(self) -> None:
        from rich.markup import escape

        parts = []
        for which, shortcut in (("domain", "d"), ("kind", "k"), ("status", "s")):
            value = getattr(self.filters, which)
            style = "bold $accent" if value else "$text-muted"
            parts.append(f"[dim]{shortcut}[/] [{style} @click=cycle('{which}')]{escape(self._label(which, value))} ▾[/]")
        self.update("   ".join(parts))

    def on_mount(self) -> None:
        self._show()

    def watch_lang(self) -> None:
        self._show()

    def watch_filters(self) -> None:
        self._show()
        self.post_message(self.Changed(self.filters))

    def action_cycle(self, which: str) -> None:
        self.cycle(which)

    def cycle(self, which: str) -> None:
        """Move one filter to its next value (after the last: any)."""
        values = CHOICES[which]
        current = getattr(self.filters, which)
        following = values[0] if current is None else (values[values.index(current) + 1] if values.index(current) + 1 < len(values) else None)
        self.filters = replace(self.filters, **{which: following})
