"""The quiz answer: radio buttons (single choice), a selection list (multiple) or an input (short answer)."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widgets import Input, RadioButton, RadioSet, SelectionList
from textual.widgets.selection_list import Selection

from app.tui.messages import AnswerEdited
from app.tui.strings import t
from exercises.model import QuizSpec, pick


class OptionButton(RadioButton):
    """A radio button whose label wraps: the word that decides the answer is never behind an ellipsis."""

    DEFAULT_CSS = """
    OptionButton {
        height: auto;
        text-wrap: wrap;
        text-overflow: fold;
    }
    """

    def _make_label(self, label: object) -> Content:
        return Content.from_text(label).rstrip()  # type: ignore[arg-type]  # every line, not only the first

    def _lines(self, width: int) -> list[Content]:
        """The label wrapped beside the button, its later lines indented under its first."""
        button = self._button
        indent = button.cell_length
        label_style = self.get_visual_style("toggle--label")
        wrapped = self._label.wrap(max(8, width - indent - 2)) or [Content("")]
        lines = [Content.assemble(button, wrapped[0].pad(1, 1).stylize_before(label_style))]
        lines += [Content.assemble(" " * indent, line.pad(1, 1).stylize_before(label_style)) for line in wrapped[1:]]
        return lines

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.content_region.width or 80))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))


class QuizAnswer(Vertical):
    """One quiz's options; `answer_text` is what the grader reads (`b`, `a, c`, or the short answer)."""

    lang: reactive[str] = reactive("en", init=False)

    def __init__(self, quiz: QuizSpec, lang: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.quiz = quiz
        self.set_reactive(QuizAnswer.lang, lang)

    def _label(self, option_id: str) -> str:
        option = next(o for o in self.quiz.options if o.id == option_id)
        return f"{option.id}) {pick(option.text, self.lang)}"

    def compose(self) -> ComposeResult:
        if self.quiz.style == "single":
            with RadioSet(id="quiz-options"):
                for option in self.quiz.options:
                    yield OptionButton(self._label(option.id), name=option.id)
        elif self.quiz.style == "multiple":
            yield SelectionList[str](*(Selection(self._label(o.id), o.id) for o in self.quiz.options), id="quiz-options")
        else:
            yield Input(placeholder=t("ex.short_placeholder", self.lang), id="quiz-short")

    @property
    def answer_text(self) -> str:
        if self.quiz.style == "single":
            pressed = self.query_one(RadioSet).pressed_button
            return (pressed.name or "") if pressed else ""
        if self.quiz.style == "multiple":
            return ", ".join(self.query_one(SelectionList).selected)
        return self.query_one(Input).value

    def set_answer(self, text: str) -> None:
        if self.quiz.style == "short":
            self.query_one(Input).value = text
            return
        chosen = {part for part in re.split(r"[\s,;/]+", text.strip()) if part}
        if self.quiz.style == "single":
            for button in self.query(RadioButton):
                button.value = button.name in chosen
        else:
            selections = self.query_one(SelectionList)
            for option in self.quiz.options:
                (selections.select if option.id in chosen else selections.deselect)(option.id)

    def go_to(self, line: int, column: int | None = None) -> None:
        self.query_one("#quiz-options, #quiz-short").focus()

    def focus_answer(self) -> None:
        self.query_one("#quiz-options, #quiz-short").focus()

    def watch_lang(self) -> None:
        if self.quiz.style == "single":
            for button in self.query(RadioButton):
                button.label = self._label(button.name or "")
        elif self.quiz.style == "multiple":
            selections = self.query_one(SelectionList)
            chosen = set(selections.selected)
            selections.clear_options()
            selections.add_options([Selection(self._label(o.id), o.id, o.id in chosen) for o in self.quiz.options])
        else:
            self.query_one(Input).placeholder = t("ex.short_placeholder", self.lang)

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.post_message(AnswerEdited(self.answer_text))

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        self.post_message(AnswerEdited(self.answer_text))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(AnswerEdited(self.answer_text))
