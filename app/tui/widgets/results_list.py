"""The exercise screen's results: each check passed or failed with its message; choosing one jumps to its line."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from app.tui.messages import LineChosen
from app.tui.strings import t
from app.tui.widgets.wrapped_text import Wrapped

MARKS = {"pass": ("✔", "green"), "fail": ("✘", "red"), "error": ("!", "magenta"), "skip": ("–", "dim")}


class ResultsList(OptionList):
    """A GradeReport as a list; options with a line carry the id `line:<line>:<column>`.

    Each message wraps under its own start, and a long path breaks at its dots and brackets (app.tui.widgets.wrapped_text).
    """

    def show_empty(self, lang: str, check_key: str) -> None:
        self.clear_options()
        self.add_option(Option(Text(t("ex.results_empty", lang, key=check_key), style="dim"), disabled=True))

    def show_message(self, text: str) -> None:
        self.clear_options()
        self.add_option(Option(Text(text, style="dim"), disabled=True))

    def show_checking(self, lang: str) -> None:
        self.clear_options()
        self.add_option(Option(Text(t("ex.checking", lang), style="dim italic"), disabled=True))

    def show_report(self, report: Any, lang: str) -> None:
        self.clear_options()
        report = report.rendered(lang)  # the grader's words in the reader's language, without grading again
        if not report.usable:
            head = Text(t("ex.unusable", lang), style="bold red")
        elif report.passed:
            head = Text(t("ex.passed", lang, score=report.score, max=report.max_score), style="bold green")
        else:
            head = Text(t("ex.failed", lang, score=report.score, max=report.max_score), style="bold red")
        self.add_option(Option(head, id="head"))
        for n, err in enumerate(report.errors):
            text = Text("! ", style="bold red")
            if err.line and not err.message.startswith(("line ", "줄 ")):
                text.append(t("ex.line", lang, n=err.line) + ": ", style="dim")
            text.append(err.message)
            if err.hint:
                text.append(f"\n  {t('ex.hint', lang)}: ", style="yellow")
                text.append(err.hint)
            where = f"line:{err.line}:{err.column or 0}:e{n}" if err.line else None
            self.add_option(Option(Wrapped(Content.from_rich_text(text), 2), id=where))
        for n, result in enumerate(report.results):
            mark, style = MARKS.get(result.status, ("?", "dim"))
            text = Text(f"{mark} ", style=f"bold {style}")
            text.append(result.check_id, style="bold")
            text.append("  ")
            if result.line:
                text.append(t("ex.line", lang, n=result.line) + ": ", style="dim")
            text.append(result.message)
            if result.remediation and not result.passed:
                text.append(f"\n  {t('ex.fix', lang)}: ", style="yellow")
                text.append(result.remediation)
            where = f"line:{result.line}:0:r{n}" if result.line else None
            self.add_option(Option(Wrapped(Content.from_rich_text(text), 2), id=where))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("line:"):
            _, line, column, _ = option_id.split(":")
            self.post_message(LineChosen(int(line), int(column) or None))
