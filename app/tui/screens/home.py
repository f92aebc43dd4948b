"""The home screen: every exercise grouped by CKA domain, with filters, progress and "next"."""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header

from app.tui.keys import key, localize
from app.tui.widgets.exercise_table import ExerciseRow, ExerciseTable
from app.tui.widgets.filter_bar import FilterBar, Filters
from app.tui.widgets.progress_summary import ProgressSummary
from app.tui.strings import t
from exercises.listing import pick


class HomeScreen(Screen[None]):
    """Pick an exercise: by hand, by filter, by search (command palette) or with "next"."""

    BINDINGS = [
        key("n", "next", "next"),
        key("d", "cycle('domain')", "filter-domain"),
        key("k", "cycle('kind')", "filter-kind"),
        key("s", "cycle('status')", "filter-status"),
        key("slash", "search", "search"),
    ]
    AUTO_FOCUS = "#exercise-table"

    def __init__(self) -> None:
        super().__init__()
        self.filters = Filters()

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield FilterBar(id="filters")
        yield ExerciseTable(id="exercise-table")
        yield ProgressSummary(id="summary")
        yield Footer(show_command_palette=False)  # ctrl+p is in the help (f1): every column is for keys

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._apply_lang, init=False)
        self._apply_lang(self.app.lang)  # type: ignore[attr-defined]

    def on_screen_resume(self) -> None:
        self.refresh_rows()

    def _apply_lang(self, lang: str) -> None:
        localize(self, lang)
        self.query_one(FilterBar).lang = lang
        self.refresh_rows()

    def refresh_rows(self) -> None:
        """Re-read progress (a quick SQLite read) and show the rows the filters let through."""
        app = self.app
        lang = app.lang  # type: ignore[attr-defined]
        listing = app.listing  # type: ignore[attr-defined]
        listed = listing.rows if listing else []
        progress = app.store.all_progress([e.id for e in listed])  # type: ignore[attr-defined]
        rows = [
            ExerciseRow(e.id, pick(e.title, lang), e.domain, e.kind, e.difficulty, e.mode, e.target_minutes, progress[e.id].status, e.pack)
            for e in listed
        ]
        f = self.filters
        shown = [
            r for r in rows
            if (f.domain is None or r.domain == f.domain) and (f.kind is None or r.kind == f.kind) and (f.status is None or r.status == f.status)
        ]
        table = self.query_one(ExerciseTable)
        table.show(shown, lang)
        table.display = bool(shown)
        summary = self.query_one(ProgressSummary)
        if listing is None:
            summary.update(t("home.loading", lang))
            return
        summary.show([r.status for r in rows], lang, problems=listing.errors)
        if not shown:
            summary.update(t("home.empty", lang))
        if app.ready_at is None:  # type: ignore[attr-defined]
            app.ready_at = time.perf_counter()  # type: ignore[attr-defined]

    def on_filter_bar_changed(self, event: FilterBar.Changed) -> None:
        self.filters = event.filters
        self.refresh_rows()

    def on_exercise_table_opened(self, event: ExerciseTable.Opened) -> None:
        self.app.open_exercise(event.exercise_id)  # type: ignore[attr-defined]

    def action_cycle(self, which: str) -> None:
        self.query_one(FilterBar).cycle(which)

    def action_search(self) -> None:
        self.app.when_loaded(self._open_search)  # type: ignore[attr-defined]

    def _open_search(self) -> None:
        from textual.command import CommandPalette

        from app.tui.commands import exercise_search

        if self.app.screen is self and not CommandPalette.is_open(self.app):
            self.app.push_screen(exercise_search(t("search.placeholder", self.app.lang)))  # type: ignore[attr-defined]

    def action_next(self) -> None:
        self.app.open_next()  # type: ignore[attr-defined]
