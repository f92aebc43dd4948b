"""A live exercise with no cluster: every cluster key says why it waits, and `cluster up` and a retry are offered."""

from __future__ import annotations

from typing import Any

from textual import work

from app.tui.keys import key
from app.tui.screens import cluster_up
from app.tui.screens.cluster_up import ClusterUpScreen, UpDone, UpLine, UpRun
from app.tui.strings import t
from app.tui.widgets.cluster_offer import ClusterOffer

BINDINGS = [
    key("f10", "cluster_up", "cluster-up", show=False),
    key("ctrl+r", "cluster_retry", "cluster-retry", show=False),
]
"""Added to the live exercise screen's own; not in the footer, which keeps 80 columns: the offer line under the
live bar says both keys while no cluster answers, and f1 lists them."""

WHAT = {"live_setup": "live-setup", "live_check": "live-check", "live_reset": "live-reset", "live_shell": "live-shell", "terminal": "terminal", "check": "live-check"}


class NoClusterMixin:
    """For LiveExerciseScreen: `cluster_ready(action)` guards its cluster actions; `cluster up` runs in a thread."""

    up_run: UpRun | None = None

    def cluster_ready(self: Any, action: str) -> bool:
        """True when the cluster answers; otherwise say why `action` does nothing now, and what would help."""
        from app.tui.strings import binding_text

        if self.busy:
            self.notify(t("live.busy", self.lang), severity="warning")
            return False
        if self.cluster is not None and self.cluster.reachable:
            return True
        if self.cluster is None:
            self.notify(t("live.still_looking", self.lang), severity="warning")
            return False
        from app.tui.live import LiveStatus

        why = LiveStatus.of(self.cluster, self.lang).detail
        what = binding_text(WHAT.get(action, "live-check"), self.lang)[0]
        self.notify(t("live.why_not", self.lang, what=what, why=why, up=self.key_label("cluster-up"), retry=self.key_label("cluster-retry")),
                    severity="warning", timeout=10)
        return False

    def show_offer(self: Any) -> None:
        unreachable = self.cluster is not None and not self.cluster.reachable
        self.query_one(ClusterOffer).show(unreachable, self.lang, self.key_label("cluster-up"), self.key_label("cluster-retry"))

    def action_cluster_retry(self: Any) -> None:
        self.notify(t("live.looking_again", self.lang), timeout=3)
        self.probe()

    def action_cluster_up(self: Any) -> None:
        if self.up_run is None or (self.up_run.result is not None and not self.up_run.result.ok):
            self.up_run = UpRun()
            self.bring_cluster_up(self.lang)
        self.app.push_screen(ClusterUpScreen(self.up_run), self._up_closed)

    def _up_closed(self: Any, choice: str | None) -> None:
        if choice == "again":
            self.up_run = None
            self.action_cluster_up()

    @work(thread=True, exclusive=True, group="cluster-up", exit_on_error=False)
    def bring_cluster_up(self: Any, lang: str = "en") -> None:
        try:
            steps = cluster_up.default_bring_up()
            steps.lang = lang  # kubedojo's own lines in the app's language; kind's stay as kind prints them
            result = steps(lambda line: self.post_message(UpLine(line)))
        except Exception as err:  # a bug in the steps: shown in the dialog, never swallowed
            from app.cluster_up import UpResult

            result = UpResult(False, f"{type(err).__name__}: {err}")
        self.post_message(UpDone(result))

    def _up_dialog(self: Any) -> ClusterUpScreen | None:
        screen = self.app.screen
        return screen if isinstance(screen, ClusterUpScreen) and screen.run is self.up_run else None

    def on_up_line(self: Any, event: UpLine) -> None:
        if self.up_run is not None:
            self.up_run.lines.append(event.line)
            dialog = self._up_dialog()
            if dialog is not None and dialog.is_mounted:
                dialog.show_lines()

    def on_up_done(self: Any, event: UpDone) -> None:
        if self.up_run is None:
            return
        self.up_run.result = event.result
        dialog = self._up_dialog()
        if dialog is not None:  # one not mounted yet shows the outcome when it mounts: no toast to repeat it
            if dialog.is_mounted:
                dialog.show_lines()
                dialog.show_status()
        else:
            self.notify(t("up.finished", self.lang, message=event.result.message), severity="information" if event.result.ok else "error", timeout=10)
        self.probe()
