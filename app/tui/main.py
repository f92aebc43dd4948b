"""The kubedojo Textual app, and `run_app` which `kubedojo` (no arguments) calls."""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App
from textual.reactive import reactive

from app.config import ConfigError, Settings, SettingsFile, default_lang, read_settings, save_setting
from app.progress import ProgressStore
from app.tui.commands import ExerciseSearch
from app.tui.exam_open import ExamCommands
from app.tui.keys import check_keymap, key, localize
from app.tui.messages import ExercisesLoaded, ListingRead, NextChosen, StoreNotice
from app.tui.strings import t


RETRY_SECONDS = 5.0
"""While progress waits in memory (a locked or read-only file), how often the app tries to save it."""


class KubedojoApp(App[None]):
    """A study session: the home list, exercises, help; progress and drafts kept in SQLite."""

    CSS_PATH = Path(__file__).parent / "styles" / "app.tcss"
    TITLE = "kubedojo"
    COMMANDS = App.COMMANDS | {ExerciseSearch, ExamCommands}
    BINDINGS = [
        key("f1", "help", "help"),
        key("f2", "switch_language", "language"),
        key("ctrl+q", "quit", "quit", priority=True),
    ]

    lang: reactive[str] = reactive("en", init=False)

    def __init__(
        self,
        packs: Sequence[Path] = (),
        lang: str | None = None,
        *,
        bundled: bool = True,
        user: bool = True,
        store: ProgressStore | None = None,
        open_exercise: str | None = None,
        exam_attempt: str | None = None,
    ) -> None:
        self.started_at = time.perf_counter()
        self.ready_at: float | None = None
        super().__init__()
        loaded, self.settings_error = _read_settings()
        self.settings = loaded.settings
        self.keymap_overrides, key_warnings = check_keymap(loaded.settings.keys, loaded.where)
        self.settings_warnings = loaded.warnings + key_warnings
        self.set_reactive(KubedojoApp.lang, lang or default_lang(self.settings if not self.settings_error else None))
        self._sources = (list(packs), bundled, user)
        self.catalog: Any = None  # listed and read in a worker, after the home screen shows
        self.exercises: list[Any] = []
        self.exercise_by_id: dict[str, Any] = {}
        self.listing: Any = None  # app.tui.listing.Listing: the home's rows, from the last start's listing or the models
        self.loaded = False
        self._listing_shown = threading.Event()
        self._when_loaded: list[Callable[[], None]] = []
        self.store = store if store is not None else ProgressStore()
        self._open_first = open_exercise
        self._open_exam = exam_attempt

    def on_mount(self) -> None:
        from app.tui.screens.home import HomeScreen

        if self.keymap_overrides:
            self.set_keymap(self.keymap_overrides)
        if self.settings.theme and self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        localize(self, self.lang)
        self.sub_title = t("app.subtitle", self.lang)
        self.push_screen(HomeScreen())
        self.load_exercises()
        self._catch_hang_up()
        if self.settings_error:
            self.notify(t("config.broken", self.lang, error=self.settings_error), severity="error", timeout=15)
        for warning in self.settings_warnings:
            self.notify(warning, severity="warning", timeout=15)
        for notice in self.store.notices:
            self.notify(notice, severity="warning", timeout=15)
        self.store.on_notice = lambda text: self.post_message(StoreNotice(text))  # post_message is thread-safe
        self.set_interval(RETRY_SECONDS, self._retry_saving)

    def notify(self, message: str, *args: Any, **kwargs: Any) -> None:
        """Textual's notify, its toast wrapped by app.wrap (a URL in it is never broken; imported when first used)."""
        from app.tui.widgets.toast import install

        install()
        super().notify(message, *args, **kwargs)

    def _retry_saving(self) -> None:
        trying = any(w.group == "progress-retry" and not w.is_finished for w in self.workers)
        if not trying and (self.store.unsaved or self.store.state in ("busy", "read-only")):
            self._save_waiting_progress()

    @work(thread=True, group="progress-retry", exit_on_error=False)
    def _save_waiting_progress(self) -> None:
        self.store.retry()

    def on_store_notice(self, event: StoreNotice) -> None:
        """Something happened to the progress file mid-session (locked, saved again, a bad row): say it."""
        from app.tui.screens.home import HomeScreen

        self.notify(event.text, severity="warning", timeout=15)
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen) and self.loaded:
                screen.refresh_rows()

    def _catch_hang_up(self) -> None:
        """A closed terminal (SIGHUP) or a polite kill (SIGTERM) writes the draft before the app goes."""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGHUP, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, self._hang_up)
            except (NotImplementedError, RuntimeError, ValueError, AttributeError):
                pass  # Windows, or not the main thread (tests)

    def _hang_up(self) -> None:
        self._flush_drafts()
        self.exit()

    def _flush_drafts(self) -> None:
        from app.tui.screens.exercise import ExerciseScreen

        for screen in self.screen_stack:
            if isinstance(screen, ExerciseScreen):
                screen.flush_draft_now()

    @work(thread=True, exclusive=True, group="catalog", exit_on_error=False)
    def load_exercises(self) -> None:
        """The home's rows from the last start's listing when no pack file changed since (shown first, and the models
        read once they are on the screen), then the exercise models, from their cache or the YAML files."""
        from app.tui.listing import Listing, listed, read_listing, write_listing
        from exercises.finding import fingerprint, pack_sources

        packs, bundled, user = self._sources
        sources, problems = pack_sources(packs, bundled=bundled, user=user)
        files = fingerprint(sources)
        quick = read_listing(files)
        if quick is not None:
            self.post_message(ListingRead(quick))
            self._listing_shown.wait(timeout=2.0)  # the first screen first: the models' import would slow its drawing

        from app.tui.catalog import load_exercises
        from exercises.loader import catalog_of

        catalog = catalog_of(sources, problems)
        exercises = load_exercises(catalog)
        rows = [listed(e, pack.meta.id if (pack := catalog.pack_of(e.id)) else "") for e in exercises]
        listing = Listing(rows, len([p for p in catalog.problems if p.severity == "error"]))
        write_listing(files, listing)
        self.post_message(ExercisesLoaded(catalog, exercises, listing))

    def on_listing_read(self, event: ListingRead) -> None:
        from app.tui.screens.home import HomeScreen

        if self.loaded:
            return
        self.listing = event.listing
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.refresh_rows()
        self.call_after_refresh(self._listing_shown.set)

    def when_loaded(self, callback: Callable[[], None]) -> None:
        """Run `callback` now if the exercise models are read, else as soon as they are (a key pressed in the moment
        between the home's rows and the models waits for them instead of finding nothing)."""
        if self.loaded:
            callback()
        else:
            self._when_loaded.append(callback)

    def on_exercises_loaded(self, event: ExercisesLoaded) -> None:
        from app.tui.screens.home import HomeScreen

        self.catalog = event.catalog
        self.exercises = event.exercises
        self.exercise_by_id = {e.id: e for e in event.exercises}
        self.listing = event.listing
        self.loaded = True
        self._listing_shown.set()
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.refresh_rows()
        waiting, self._when_loaded = self._when_loaded, []
        for callback in waiting:
            callback()
        if self._open_first:
            self.open_exercise(self._open_first)
        from app.tui.exam_open import open_attempt

        open_attempt(self, self._open_exam) if self._open_exam else self.offer_unfinished()

    @work(thread=True, exclusive=True, group="exam-offer", exit_on_error=False)
    def offer_unfinished(self) -> None:
        """Say on the home screen that an exam was left unfinished, and what the exam database had to say (read here,
        in a worker: a locked file never holds the home screen)."""
        from app.tui.exam_open import unfinished_offer

        try:
            offer, notices = unfinished_offer(self.lang)
        except Exception as err:  # a bug: shown, never swallowed
            self.call_from_thread(self.notify, t("exam.offer_failed", self.lang, error=f"{type(err).__name__}: {err}"),
                                  severity="error", timeout=10)
            return
        for notice in notices:
            self.call_from_thread(self.notify, notice, severity="warning", timeout=15)
        if offer:
            self.call_from_thread(self.notify, offer, timeout=15)

    # --- preferences -------------------------------------------------------------------------

    def watch_lang(self, lang: str) -> None:
        localize(self, lang)
        self.sub_title = t("app.subtitle", lang)
        self._save(lang=lang)

    def watch_theme(self, theme: str) -> None:
        self._save(theme=theme)

    def _save(self, **changes: Any) -> None:
        """Remember a preference in config.yaml (its other lines and comments kept); a broken file is left alone."""
        if self.settings_error or all(getattr(self.settings, k) == v for k, v in changes.items()):
            return
        self.settings = self.settings.replace(**changes)
        for name, value in changes.items():
            try:
                save_setting(name, value)
            except (ConfigError, OSError) as err:
                why = f"{err.strerror}: {err.filename}" if isinstance(err, OSError) and err.strerror else str(err)
                self.notify(t("config.not_saved", self.lang, name=name, error=why), severity="warning", timeout=10)

    # --- actions -----------------------------------------------------------------------------

    def action_switch_language(self) -> None:
        self.lang = "ko" if self.lang == "en" else "en"

    def action_help(self) -> None:
        from app.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def open_exercise(self, exercise_id: str) -> None:
        from app.tui.screens.exercise import ExerciseScreen

        if not self.loaded:
            self._open_first = exercise_id  # opened as soon as the exercises are read
            return
        exercise = self.exercise_by_id.get(exercise_id)
        if exercise is None:
            why = "; ".join(p.message for p in self.catalog.problems_for(exercise_id)) or exercise_id
            self.notify(t("ex.broken", self.lang, id=exercise_id, why=why), severity="error", timeout=10)
            return
        if isinstance(self.screen, ExerciseScreen):
            self.screen.flush_draft_now()
            self.pop_screen()
        if exercise.live is not None:
            from app.tui.live import ClusterTarget
            from app.tui.screens.live_exercise import LiveExerciseScreen

            target = ClusterTarget(self.settings.context, self.settings.kubeconfig, tuple(self.settings.allowed_contexts))
            self.push_screen(LiveExerciseScreen(exercise, self.store, target))
        else:
            self.push_screen(ExerciseScreen(exercise, self.store))

    def open_next(self, exclude: str | None = None) -> None:
        """Open what to practise next: failed, then due, then new exercises (the Leitner schedule), in the weakest
        domain of the last mock exam when it has one not passed yet (app.study_next); the reason is said. The exam
        database is read in a worker: a locked one never freezes the screen."""
        asked_on = self.screen
        self.when_loaded(lambda: self._choose_next(exclude, asked_on))

    @work(thread=True, exclusive=True, group="next", exit_on_error=False)
    def _choose_next(self, exclude: str | None, asked_on: Any) -> None:
        from app.study_next import recommend

        try:
            chosen = recommend(self.store, self.exercises, exclude=exclude, lang=self.lang)
        except Exception as err:  # a bug: shown, never swallowed
            self.post_message(NextChosen(None, asked_on, f"{type(err).__name__}: {err}"))
            return
        self.post_message(NextChosen(chosen, asked_on))

    def on_next_chosen(self, event: NextChosen) -> None:
        if event.error is not None:
            self.notify(t("home.next_failed", self.lang, error=event.error), severity="error", timeout=10)
            return
        chosen = event.chosen
        for notice in chosen.notices:  # the exam database: locked, damaged and moved aside
            self.notify(notice, severity="warning", timeout=15)
        if self.screen is not event.asked_on:
            return  # the learner went elsewhere meanwhile: nothing opens over it
        if chosen.exercise_id is None:
            self.notify(t("home.next_none", self.lang))
            return
        self.open_exercise(chosen.exercise_id)
        if chosen.reason(self.lang):
            self.notify(chosen.reason(self.lang), timeout=8)

    async def action_quit(self) -> None:
        self._flush_drafts()
        recording = [w for w in self.workers if w.group == "record" and not w.is_finished]
        if recording:  # an attempt whose verdict is on screen is stored before the app goes
            from textual.worker import WorkerCancelled, WorkerFailed

            try:
                await self.workers.wait_for_complete(recording)
            except (WorkerCancelled, WorkerFailed):
                pass  # said by the worker itself (ex.not_recorded)
        self.exit()


def _read_settings() -> tuple[SettingsFile, str | None]:
    try:
        return read_settings(), None
    except ConfigError as err:
        from app.config import config_path

        return SettingsFile(config_path(), Settings()), str(err)


def run_app(packs: Sequence[Path] = (), lang: str | None = None, **options: Any) -> None:
    """Open the app (what `kubedojo` with no arguments does)."""
    import sys

    app = KubedojoApp(packs=packs, lang=lang, **options)
    try:
        app.run()
    finally:
        app.store.on_notice = None
        said = len(app.store.notices)
        app.store.close()  # saves what waited in memory, or keeps it beside the file; what it did is said here
        for notice in app.store.notices[said:]:
            print(f"kubedojo: {notice}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> None:
    """`python -m app.tui.main`: the app with test-friendly switches."""
    parser = argparse.ArgumentParser(prog="python -m app.tui.main")
    parser.add_argument("--pack", action="append", default=[], type=Path)
    parser.add_argument("--lang", choices=["en", "ko"])
    parser.add_argument("--no-bundled", action="store_true", help="Leave out the bundled packs.")
    parser.add_argument("--no-user", action="store_true", help="Leave out the user's packs.")
    parser.add_argument("--open", dest="open_exercise", help="Open this exercise at once.")
    args = parser.parse_args(argv)
    run_app(args.pack, args.lang, bundled=not args.no_bundled, user=not args.no_user, open_exercise=args.open_exercise)


if __name__ == "__main__":
    main()
