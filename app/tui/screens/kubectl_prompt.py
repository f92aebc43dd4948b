"""Ask for a `kubectl ... --dry-run=client` command, run it, and hand its YAML back for the answer."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from app.tui.keys import key, localize
from app.tui.strings import t


class KubectlRan(Message):
    """The dry run ended (an app.kubectl_yaml.KubectlYaml)."""

    def __init__(self, result: Any) -> None:
        super().__init__()
        self.result = result


class KubectlPrompt(ModalScreen[Any]):
    """Dismissed with the KubectlYaml that has YAML; an error stays on screen with the command kept for fixing."""

    BINDINGS = [key("escape", "close", "close")]
    DEFAULT_CSS = """
    KubectlPrompt { align: center middle; }
    #kubectl-box { width: 90%; height: auto; border: round $accent; background: $surface; padding: 0 1; }
    #kubectl-error { color: $error; }
    """

    def __init__(self, last_command: str = "") -> None:
        super().__init__()
        self.last_command = last_command

    @property
    def lang(self) -> str:
        return self.app.lang  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        with Vertical(id="kubectl-box"):
            yield Static(t("kubectl.prompt", self.lang), id="kubectl-label")
            yield Input(value=self.last_command or "kubectl ", placeholder="kubectl run web --image=nginx --dry-run=client", select_on_focus=False, id="kubectl-command")
            yield Static(id="kubectl-error")
        yield Footer()

    def on_mount(self) -> None:
        localize(self, self.lang)
        command = self.query_one(Input)
        command.focus()
        command.cursor_position = len(command.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#kubectl-error", Static).update("…")
        self.run_kubectl(event.value)

    @work(thread=True, exclusive=True, group="kubectl", exit_on_error=False)
    def run_kubectl(self, command: str) -> None:
        from app.kubectl_yaml import kubectl_yaml

        self.post_message(KubectlRan(kubectl_yaml(command)))

    def on_kubectl_ran(self, event: KubectlRan) -> None:
        if event.result.yaml:
            self.dismiss(event.result)
        else:
            self.query_one("#kubectl-error", Static).update(Text(t("kubectl.failed", self.lang, why=event.result.error)))

    def action_close(self) -> None:
        self.dismiss(None)


def insert_yaml(editor: Any, text: str) -> int:
    """Insert `text` at the start of the cursor's line (after it, when the line has text), with `---` between
    it and YAML around it; the editor's other lines are kept. Returns the number of lines inserted."""
    row, _ = editor.cursor_location
    lines = editor.text.split("\n")
    at = row + 1 if row < len(lines) and lines[row].strip() else row
    above = "\n".join(lines[:at]).strip()
    below = "\n".join(lines[at:]).strip()
    block = text.rstrip("\n") + "\n"
    if above and not above.endswith("---"):
        block = "---\n" + block
    if below and not below.startswith("---"):
        block += "---\n"
    if at >= len(lines):  # after the last line, which has no newline of its own
        editor.insert("\n" + block.rstrip("\n"), location=(len(lines) - 1, len(lines[-1])))
    else:
        editor.insert(block, location=(at, 0))
    return block.count("\n")
