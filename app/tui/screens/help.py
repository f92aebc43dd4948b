"""The help screen: every key of the app, as remapped, in the current language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from app.tui.keys import key
from app.tui.strings import binding_text, t


class HelpScreen(ModalScreen[None]):
    """A table per screen: key, what it does, and the id to remap it with."""

    BINDINGS = [key("escape,f1,q", "dismiss", "close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Markdown(self.text(), id="help-text")

    def text(self) -> str:
        from app.config import config_path
        from app.tui.main import KubedojoApp
        from app.tui.screens.exercise import ExerciseScreen
        from app.tui.screens.home import HomeScreen
        from app.tui.screens.live_exercise import LiveExerciseScreen

        lang = self.app.lang  # type: ignore[attr-defined]
        keymap = getattr(self.app, "keymap_overrides", {})
        parts = [f"# {t('help.title', lang)}"]
        sections = [
            ("help.app", KubedojoApp.BINDINGS),
            ("help.home", HomeScreen.BINDINGS),
            ("help.exercise", ExerciseScreen.BINDINGS),
            ("help.live", LiveExerciseScreen.BINDINGS),
        ]
        for title, bindings in sections:
            parts.append(f"## {t(title, lang)}\n")
            parts.append(f"| {t('help.key', lang)} | {t('help.action', lang)} | id |\n|---|---|---|")
            for binding in bindings:
                if not isinstance(binding, Binding) or not binding.id:
                    continue
                label, tooltip = binding_text(binding.id, lang)
                keys = (keymap.get(binding.id) or binding.key).replace(",", ", ")
                parts.append(f"| `{keys}` | **{label}**: {tooltip} | `{binding.id}` |")
            parts.append("")
        parts.append(t("help.remap", lang, path=f"`{config_path()}`"))
        parts.append("\n" + t("help.close", lang))
        return "\n".join(parts)
