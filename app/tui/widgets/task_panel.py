"""The exercise screen's left side: the task in Markdown, hints so far, docs links, and the solution once revealed."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Markdown

from app.tui.strings import t
from app.tui.widgets.wrapped_text import TaskMarkdown
from exercises.model import Exercise, pick


_BOLD_CODE_BEFORE_WORD = re.compile(r"\*\*(`[^`\n]+`)\*\*(?=\w)")


def readable(markdown: str) -> str:
    """CommonMark leaves `**`code`**` unbolded before a letter (Korean particles: **`web`**을); drop the stars there."""
    return _BOLD_CODE_BEFORE_WORD.sub(r"\1", markdown)


_STARTS_A_BLOCK = re.compile(r"\s*(```|~~~|[-*+] |\d+[.)] |#|>|\|)")


def labelled(label: str, markdown: str) -> str:
    """`label` before `markdown`: on its own line when the text opens with a block (a YAML fence, a list), which
    a label in front would flatten into one paragraph."""
    return f"{label}\n\n{markdown}" if _STARTS_A_BLOCK.match(markdown) else f"{label} {markdown}"


def hints_markdown(exercise: Exercise, lang: str, shown: int) -> str:
    """The first `shown` hints, numbered (study mode and the exam's training mode show them alike)."""
    hints = exercise.hints[:shown]
    return "\n\n".join(labelled(f"**{t('ex.hint_n', lang, n=n)}.**", readable(pick(h, lang))) for n, h in enumerate(hints, 1))


def solution_markdown(exercise: Exercise, lang: str) -> str:
    """The solution in a fence, and why."""
    fence = {"manifest": "yaml", "command": "bash"}.get(exercise.kind, "text")
    text = f"### {t('ex.solution', lang)}\n\n```{fence}\n{exercise.solution.rstrip()}\n```"
    if exercise.explanation:
        text += "\n\n" + labelled(f"**{t('ex.explanation', lang)}.**", readable(pick(exercise.explanation, lang)))
    return text


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
        yield TaskMarkdown(self._task_markdown(), id="task")  # inline code kept on one line when it fits
        yield TaskMarkdown(self._hints_markdown(), id="hints")
        yield TaskMarkdown(self._docs_markdown(), id="docs")
        yield TaskMarkdown(self._solution_markdown(), id="solution")

    def _task_markdown(self) -> str:
        return readable(pick(self.exercise.task, self.lang))  # a quiz's options are on the answer side

    def _hints_markdown(self) -> str:
        return hints_markdown(self.exercise, self.lang, self.hints_shown)

    def _docs_markdown(self) -> str:
        if not self.exercise.docs:
            return ""
        links = "\n".join(f"- [{url.removeprefix('https://')}]({url})" for url in self.exercise.docs)
        return f"**{t('ex.docs', self.lang)}**\n\n{links}"

    def _solution_markdown(self) -> str:
        return solution_markdown(self.exercise, self.lang) if self.solution_shown else ""

    def _set(self, part: str, text: str) -> AwaitComplete:
        markdown = self.query_one(f"#{part}", Markdown)
        markdown.display = bool(text)
        return markdown.update(text)

    def on_mount(self) -> None:
        for part, text in (("hints", self._hints_markdown()), ("docs", self._docs_markdown()), ("solution", self._solution_markdown())):
            self.query_one(f"#{part}", Markdown).display = bool(text)

    async def watch_lang(self) -> None:
        await self._set("task", self._task_markdown())
        await self._set("hints", self._hints_markdown())
        await self._set("docs", self._docs_markdown())
        await self._set("solution", self._solution_markdown())

    async def watch_hints_shown(self) -> None:
        await self._set("hints", self._hints_markdown())
        self._bring_into_view(self.query_one("#hints"), last=True)

    async def watch_solution_shown(self) -> None:
        await self._set("solution", self._solution_markdown())
        self._bring_into_view(self.query_one("#solution"), last=False)

    def _bring_into_view(self, part: Markdown, last: bool) -> None:
        """Scroll so what was just added is seen: the newest hint (down to its end), or the solution's top."""
        def scroll() -> None:
            if last:
                self.scroll_to(y=part.virtual_region.bottom - self.scrollable_content_region.height, animate=False)
            else:
                self.scroll_to_widget(part, animate=False, top=True)

        self.call_after_refresh(scroll)
