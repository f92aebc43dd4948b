"""The `cluster up` dialog: its output as it comes, then how it ended, with a retry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Log, Static

from app.tui.keys import key, localize
from app.tui.strings import t
from app.tui.widgets.wrapped_text import WrappedStatic, shown


def default_bring_up() -> Any:
    """The real steps (kind, docker); tests replace this with a fake runner."""
    from app.cluster_up import ClusterUp

    return ClusterUp()


@dataclass
class UpRun:
    """One run of `cluster up` from the app: the lines so far and, once done, its app.cluster_up.UpResult."""

    lines: list[str] = field(default_factory=list)
    result: Any = None

    @property
    def running(self) -> bool:
        return self.result is None


class UpLine(Message):
    """A line of `cluster up` output (posted from its thread)."""

    def __init__(self, line: str) -> None:
        super().__init__()
        self.line = line


class UpDone(Message):
    """`cluster up` ended (an app.cluster_up.UpResult)."""

    def __init__(self, result: Any) -> None:
        super().__init__()
        self.result = result


class ClusterUpScreen(ModalScreen[str | None]):
    """Shows a run; escape hides it (the run goes on), the retry key asks for a new run once it failed."""

    BINDINGS = [key("escape", "close", "close"), key("f10", "again", "up-again")]
    DEFAULT_CSS = """
    ClusterUpScreen { align: center middle; }
    #up-box { width: 90%; height: 80%; border: round $accent; background: $surface; padding: 0 1; }
    #up-title { text-style: bold; }
    #up-log { height: 1fr; }
    #up-status.-failed { color: $error; }
    """

    def __init__(self, run: UpRun) -> None:
        super().__init__()
        self.run = run
        self.shown = 0
        """How many of the run's lines the log has."""

    @property
    def lang(self) -> str:
        return self.app.lang  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        with Vertical(id="up-box"):
            yield Static(t("up.title", self.lang), id="up-title")
            yield Log(id="up-log", auto_scroll=True)
            yield WrappedStatic(id="up-status")  # a URL in it (how to install kind) is never broken
        yield Footer()

    def on_mount(self) -> None:
        localize(self, self.lang)
        self.show_lines()
        self.show_status()

    def show_lines(self) -> None:
        """Write the run's lines the log does not have yet."""
        new = self.run.lines[self.shown:]
        self.shown += len(new)
        self.query_one(Log).write_lines(new)

    def show_status(self) -> None:
        status = self.query_one("#up-status", WrappedStatic)
        result = self.run.result
        if result is None:
            status.update(shown(t("up.running", self.lang)))
        elif result.ok:
            status.update(shown(t("up.done", self.lang, message=result.message)))
        else:
            status.update(shown(t("up.failed", self.lang, message=result.message, key="f10")))
        status.set_class(result is not None and not result.ok, "-failed")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "again":
            return self.run.result is not None and not self.run.result.ok
        return True

    def action_close(self) -> None:
        self.dismiss(None)

    def action_again(self) -> None:
        self.dismiss("again")
