"""The help screen: every key of the app, as remapped, in the current language."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from app.tui.keys import key
from app.tui.strings import binding_text, t

KEY_NAMES = {"slash": "/", "question_mark": "?", "escape": "esc", "ctrl+underscore": "ctrl+/", "ctrl+slash": "ctrl+/"}


def sections() -> list[tuple[str, list[Binding]]]:
    """(title key, bindings) for every place keys work."""
    from app.tui.main import KubedojoApp
    from app.tui.screens.cluster_up import ClusterUpScreen
    from app.tui.screens.exercise import ExerciseScreen
    from app.tui.screens.home import HomeScreen
    from app.tui.screens.live_exercise import LiveExerciseScreen
    from app.tui.widgets.manifest_editor import ManifestEditor

    return [
        ("help.app", KubedojoApp.BINDINGS),
        ("help.home", HomeScreen.BINDINGS),
        ("help.exercise", ExerciseScreen.BINDINGS),
        ("help.live", LiveExerciseScreen.BINDINGS),
        ("help.editor", ManifestEditor.BINDINGS),
        ("help.cluster_up", ClusterUpScreen.BINDINGS),
    ]  # type: ignore[list-item]


class HelpScreen(ModalScreen[None]):
    """A table per screen: key, what it does, and the id to remap it with."""

    BINDINGS = [key("escape,f1,q", "dismiss", "close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(self.render_help(), id="help-text")

    def render_help(self) -> Group:
        from app.config import config_path

        lang = self.app.lang  # type: ignore[attr-defined]
        keymap = getattr(self.app, "keymap_overrides", {})
        parts: list[object] = [Text(t("help.title", lang), style="bold", justify="center")]
        for title, bindings in sections():
            table = Table(title=t(title, lang), title_justify="left", title_style="bold", expand=True, box=None, padding=(0, 1))
            table.add_column(t("help.key", lang), style="bold", width=14)
            table.add_column(t("help.action", lang), ratio=1)
            table.add_column("id", style="dim", width=16)
            for binding in bindings:
                if not binding.id:
                    continue
                label, tooltip = binding_text(binding.id, lang)
                keys = keymap.get(binding.id) or binding.key
                shown = ", ".join(dict.fromkeys(KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(",")))
                table.add_row(shown, f"{label}: {tooltip}", binding.id)
            if title == "help.app":
                table.add_row("ctrl+p", t("help.palette", lang), "")
            if title == "help.editor":  # TextArea's own keys, which are not remapped here
                for keys, what in (("enter", "help.enter"), ("tab", "help.tab"), ("ctrl+x, ctrl+c, ctrl+v", "help.clipboard"),
                                   ("shift+arrows", "help.select")):
                    table.add_row(keys, t(what, lang), "")
            parts += [Text(""), table]
        parts += [Text(""), Text(t("help.remap", lang, path=str(config_path())), style="dim"), Text(t("help.close", lang), style="dim")]
        return Group(*parts)  # type: ignore[arg-type]

    @property
    def plain(self) -> str:
        """The help as plain text (for tests and screen readers' logs)."""
        import io

        from rich.console import Console

        console = Console(width=110, file=io.StringIO())
        console.print(self.render_help())
        return console.file.getvalue()  # type: ignore[attr-defined]
