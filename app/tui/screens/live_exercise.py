"""The exercise screen for exercises that can be done on a cluster: Setup, Check live, Reset, a shell."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult, SuspendNotSupported
from textual.message import Message
from textual.widgets.option_list import Option

from app.tui.keys import key
from app.tui.live import LiveStatus, namespaced_kubeconfig, run_shell
from app.tui.messages import ClusterActionDone, ClusterStatus, GradeCrashed, Graded
from app.tui import no_cluster, terminal_pane
from app.tui.screens.exercise import ExerciseScreen
from app.tui.strings import t
from app.tui.widgets.live_bar import LiveBar
from app.tui.widgets.results_list import ResultsList
from exercises.model import Exercise


REPROBE_SECONDS = 15.0


class LiveProgress(Message):
    """A live grading is still waiting: what for (a graders.live_view.Progress)."""

    def __init__(self, progress: Any, seq: int) -> None:
        super().__init__()
        self.progress = progress
        self.seq = seq


class LiveExerciseScreen(no_cluster.NoClusterMixin, terminal_pane.TerminalPaneMixin, ExerciseScreen):
    """An exercise with a `live` section; the offline answer stays available when no cluster answers."""

    BINDINGS = [
        key("f3", "live_setup", "live-setup"),
        key("f5", "live_check", "live-check"),
        key("f8", "live_reset", "live-reset"),
        key("f9", "live_shell", "live-shell"),
        *no_cluster.BINDINGS,
        *terminal_pane.BINDINGS,
    ]

    def __init__(self, exercise: Exercise, store: Any, target: Any) -> None:
        super().__init__(exercise, store)
        self.target = target
        """The practice cluster (graders.practice.Practice): every cluster action goes through it."""
        self.cluster: Any = None
        """The last probe (graders.practice.Probe), None until the first one answers."""
        self.busy = False

    @property
    def namespace(self) -> str:
        return (self.exercise.live.namespace if self.exercise.live else None) or "default"

    def compose_live(self) -> ComposeResult:
        yield LiveBar(id="live-bar")
        yield no_cluster.ClusterOffer(id="cluster-offer")

    def on_mount(self) -> None:  # ExerciseScreen.on_mount runs too (Textual calls every class's handler)
        self.probe()
        self.set_interval(REPROBE_SECONDS, self._reprobe)

    def _reprobe(self) -> None:
        """While no cluster answers, look again now and then: starting one should not need a key."""
        if not self.busy and self.cluster is not None and not self.cluster.reachable:
            self.probe()

    def _apply_lang(self, lang: str) -> None:
        super()._apply_lang(lang)
        self._show_cluster()
        self._show_cluster_keys()

    def _show_cluster(self) -> None:
        status = None if self.cluster is None else LiveStatus.of(self.cluster, self.lang)
        self.query_one(LiveBar).show(status, self.namespace, self.lang, self.exercise.live_only, self.key_label("check"))
        self.show_offer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action.startswith("live_") or (action == "check" and self.exercise.live_only):
            return True  # with no cluster (or busy) the key says why it waits (NoClusterMixin.cluster_ready)
        if action in ("cluster_up", "cluster_retry"):
            return self.cluster is not None and not self.cluster.reachable
        return super().check_action(action, parameters)

    def _show_cluster_keys(self) -> None:
        """The cluster keys are in the footer while a cluster answers; without one they still say why when pressed,
        and the footer keeps its columns for the keys that work (f1 lists them all)."""
        from dataclasses import replace

        shown = self.cluster is not None and self.cluster.reachable
        bindings = self._bindings.key_to_bindings  # the per-instance copy `localize` relabels too
        for name, items in bindings.items():
            bindings[name] = [replace(b, show=shown) if b.action.startswith("live_") else b for b in items]
        self.refresh_bindings()

    def show_empty_results(self, lang: str) -> None:
        if self.exercise.live_only:
            self.query_one(ResultsList).show_message(t("live.results_empty", lang, key=self.key_label("live-check"), check=self.key_label("check")))
        else:
            super().show_empty_results(lang)

    # --- the cluster -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="probe", exit_on_error=False)
    def probe(self) -> None:
        self.post_message(ClusterStatus(self.target.probe()))

    def on_cluster_status(self, event: ClusterStatus) -> None:
        self.cluster = event.status
        self._show_cluster()
        self._show_cluster_keys()

    def action_check(self) -> None:
        if not self.exercise.live_only:
            super().action_check()
        elif self.cluster_ready("check"):
            self.notify(t("live.only_check", self.lang, key=self.key_label("live-check")))
            self.action_live_check()

    def action_live_check(self) -> None:
        if not self.cluster_ready("live_check"):
            return
        self.busy = True
        self.refresh_bindings()
        self.query_one(ResultsList).show_checking(self.lang)
        self.grade_seq += 1
        self.grade_live(self.lang, self.grade_seq)

    @work(thread=True, exclusive=True, group="cluster", exit_on_error=False)
    def grade_live(self, lang: str, seq: int) -> None:
        try:
            report = self.target.check(self.exercise, lang, progress=lambda p: self.post_message(LiveProgress(p, seq)))
            progress = None
            if report.usable:
                progress = self.store.record_attempt(
                    self.exercise.id, passed=report.passed, score=report.score, max_score=report.max_score, answer="", mode="live"
                )
        except Exception as err:  # a grader bug: shown on screen, never swallowed
            self.post_message(GradeCrashed(f"{type(err).__name__}: {err}"))
            return
        self.post_message(Graded(report, "", progress, True, seq))

    def on_live_progress(self, event: LiveProgress) -> None:
        """While the checks wait, the results list says what for (the report replaces it)."""
        if event.seq == self.grade_seq and self.busy:
            results = self.query_one(ResultsList)
            results.clear_options()
            results.add_option(Option(Text(event.progress.line(self.lang), style="dim italic"), disabled=True))

    def on_graded(self, event: Graded) -> None:
        self.busy = False  # ExerciseScreen.on_graded shows the report
        if event.report.mode == "live" and not event.report.usable:
            self.probe()

    def on_grade_crashed(self, event: GradeCrashed) -> None:
        self.busy = False
        self.refresh_bindings()

    def action_live_setup(self) -> None:
        if self.cluster_ready("live_setup"):
            self._act("setup")

    def action_live_reset(self) -> None:
        if self.cluster_ready("live_reset"):
            self._act("reset")

    def _act(self, action: str) -> None:
        self.busy = True
        self.refresh_bindings()
        self.notify(f"{t('live.checking', self.lang)} ({action})", timeout=2)
        self.run_action(action, self.lang)

    @work(thread=True, exclusive=True, group="cluster", exit_on_error=False)
    def run_action(self, action: str, lang: str) -> None:
        try:
            done = self.target.setup(self.exercise) if action == "setup" else self.target.reset(self.exercise)
        except Exception as err:  # a bug: shown, never swallowed
            self.post_message(ClusterActionDone(action, error=f"{type(err).__name__}: {err}"))
            return
        self.post_message(ClusterActionDone(action, done.summary(lang), error=None if done.ok else done.summary(lang)))

    def on_cluster_action_done(self, event: ClusterActionDone) -> None:
        self.busy = False
        self.refresh_bindings()
        what = t("live.setup_done" if event.action == "setup" else "live.reset_done", self.lang, detail=event.detail)
        if event.error:
            self.notify(t("live.failed", self.lang, what=event.action, error=event.error), severity="error", timeout=12)
        else:
            self.notify(what, timeout=6)

    def action_live_shell(self) -> None:
        """Suspend into $SHELL with KUBECONFIG pointing at a copy whose context has the exercise's namespace.

        It opens without a reachable cluster too: `kubectl ... --dry-run=client -o yaml` needs none."""
        if self.busy:
            self.notify(t("live.busy", self.lang), severity="warning", timeout=8)
            return
        with tempfile.TemporaryDirectory(prefix="kubedojo-shell-") as tmp:
            try:
                path, context = namespaced_kubeconfig(self.target, self.namespace, Path(tmp))
            except (OSError, ValueError) as err:
                self.notify(t("live.failed", self.lang, what="shell", error=err), severity="error")
                return
            env = {**os.environ, "KUBECONFIG": str(path), "KUBEDOJO_EXERCISE": self.exercise.id}
            banner = t("live.shell_banner", self.lang, id=self.exercise.id, namespace=self.namespace, context=context)
            try:
                with self.app.suspend():
                    run_shell(env, banner)
            except SuspendNotSupported:
                self.notify(t("ex.no_suspend", self.lang), severity="warning")
                return
            except OSError as err:
                self.notify(t("live.failed", self.lang, what="shell", error=err), severity="error")
                return
        self.notify(t("live.back", self.lang, key=self.key_label("live-check")))
        self.probe()
