"""The exercise screen's left side: the task in Markdown, hints so far, docs links, and the solution once revealed."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Markdown

from app.tui.strings import t
from exercises.model import Exercise, pick


_BOLD_CODE_BEFORE_WORD = re.compile(r"\*\*(`[^`\n]+`)\*\*(?=\w)")


def readable(markdown: str) -> str:
    """CommonMark leaves `**`code`**` unbolded before a letter (Korean particles: **`web`**을); drop the stars there."""
    return _BOLD_CODE_BEFORE_WORD.sub(r"\1", markdown)


class TaskPanel(VerticalScroll):
    """Reads the exercise; the screen sets `lang`, `hints_shown` and `solution_shown`."""

    lang: reactive[str] = reactive("en", init=False)
    hints_shown: reactive[int] = reactive(0, init=False)
    solution_shown: reactive[bool] = reactive(False, init=False)

    def __init__(self, exercise: Exercise, lang: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.exercise = exercise
        self.set_reactive(TaskPanel.lang, lang)

    def compose(self) -> ComposeResult:
        yield Markdown(self._task_markdown(), id="task")
        yield Markdown(self._hints_markdown(), id="hints")
        yield Markdown(self._docs_markdown(), id="docs")
        yield Markdown(self._solution_markdown(), id="solution")

    def _task_markdown(self) -> str:
        return readable(pick(self.exercise.task, self.lang))  # a quiz's options are on the answer side

    def _hints_markdown(self) -> str:
        shown = self.exercise.hints[: self.hints_shown]
        return "\n\n".join(f"**{t('ex.hint_n', self.lang, n=n)}.** {readable(pick(h, self.lang))}" for n, h in enumerate(shown, 1))

    def _docs_markdown(self) -> str:
        if not self.exercise.docs:
            return ""
        links = "\n".join(f"- [{url.removeprefix('https://')}]({url})" for url in self.exercise.docs)
        return f"**{t('ex.docs', self.lang)}**\n\n{links}"

    def _solution_markdown(self) -> str:
        if not self.solution_shown:
            return ""
        fence = {"manifest": "yaml", "command": "bash"}.get(self.exercise.kind, "text")
        text = f"### {t('ex.solution', self.lang)}\n\n```{fence}\n{self.exercise.solution.rstrip()}\n```"
        if self.exercise.explanation:
            text += f"\n\n**{t('ex.explanation', self.lang)}.** {readable(pick(self.exercise.explanation, self.lang))}"
        return text

    def _set(self, part: str, text: str) -> None:
        markdown = self.query_one(f"#{part}", Markdown)
        markdown.display = bool(text)
        markdown.update(text)

    def on_mount(self) -> None:
        for part, text in (("hints", self._hints_markdown()), ("docs", self._docs_markdown()), ("solution", self._solution_markdown())):
            self.query_one(f"#{part}", Markdown).display = bool(text)

    def watch_lang(self) -> None:
        self._set("task", self._task_markdown())
        self._set("hints", self._hints_markdown())
        self._set("docs", self._docs_markdown())
        self._set("solution", self._solution_markdown())

    def watch_hints_shown(self) -> None:
        self._set("hints", self._hints_markdown())
        self.call_after_refresh(self.scroll_to_widget, self.query_one("#hints"), animate=False)

    def watch_solution_shown(self) -> None:
        self._set("solution", self._solution_markdown())
        self.call_after_refresh(self.scroll_to_widget, self.query_one("#solution"), animate=False)
