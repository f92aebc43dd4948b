"""The live exercise's terminal beside the task: a shell whose kubectl uses the exercise's namespace (on a copy of the kubeconfig)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from app.tui.keys import key
from app.tui.strings import t
from app.tui.widgets.terminal import Terminal

SERVED_ENV = "KUBEDOJO_SERVED"
"""Set by `kubedojo serve` (app.serve_cli.SERVED_ENV; not imported, it would bring click in)."""
TOGGLE = "ctrl+t"
BINDINGS = [key(TOGGLE, "terminal", "terminal", show=False)]  # in f1; the footer keeps 80 columns
"""Added to the live exercise screen's own."""


def shell_allowed() -> bool:
    """Not when `kubedojo serve` runs the app without --allow-shell: every visitor would get a shell here."""
    return os.environ.get(SERVED_ENV) != "no-shell"


class TerminalPaneMixin:
    """For LiveExerciseScreen: ctrl+t opens the pane, moves the focus into it and back out."""

    _terminal_dir: tempfile.TemporaryDirectory[str] | None = None

    def terminal(self: Any) -> Terminal | None:
        found = self.query(Terminal)
        return found.first() if found else None

    def action_terminal(self: Any) -> None:
        pane = self.terminal()
        if pane is not None:
            if pane.has_focus:
                self.answer.focus()
            else:
                pane.focus()
            return
        if not shell_allowed():
            self.notify(t("term.no_shell", self.lang), severity="warning", timeout=10)
            return
        self.open_terminal()  # with no cluster too: a shell is where one starts it or mends the kubeconfig

    def open_terminal(self: Any) -> None:
        from app.tui.live import namespaced_kubeconfig, shell_command

        folder = tempfile.TemporaryDirectory(prefix="kubedojo-term-")
        try:
            path, context = namespaced_kubeconfig(self.target, self.namespace, Path(folder.name))
        except (OSError, ValueError) as err:
            folder.cleanup()
            self.notify(t("term.failed", self.lang, error=err), severity="error")
            return
        self._terminal_dir = folder
        env = {**os.environ, "KUBECONFIG": str(path), "KUBEDOJO_EXERCISE": self.exercise.id, "TERM": "linux"}
        pane = Terminal(shell_command(), env, kept=frozenset({TOGGLE, "ctrl+q"}), id="terminal")
        pane.border_title = t("term.title", self.lang, context=context or "-", namespace=self.namespace)
        self.answer.display = False  # the cluster is the answer; the pane takes the editor's place
        self.query_one("#answer-side").mount(pane, before=0)
        pane.focus()

    def on_terminal_ended(self: Any, event: Terminal.Ended) -> None:
        event.stop()
        event.terminal.remove()
        self.answer.display = True
        self.answer.focus()
        if self._terminal_dir is not None:
            self._terminal_dir.cleanup()
            self._terminal_dir = None
        if event.error:
            self.notify(t("term.failed", self.lang, error=event.error), severity="error")
        else:
            self.notify(t("term.ended", self.lang, code=event.code, key=TOGGLE), timeout=6)
        self.probe()

    def on_unmount(self: Any) -> None:  # the pane's own on_unmount ends the shell
        self.close_terminal_dir()

    def close_terminal_dir(self: Any) -> None:
        if self._terminal_dir is not None:
            self._terminal_dir.cleanup()
            self._terminal_dir = None
