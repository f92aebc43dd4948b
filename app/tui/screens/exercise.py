"""The exercise screen: the task on the left, the answer and its results on the right."""

from __future__ import annotations

import threading
from typing import Any

from textual import work
from textual.app import ComposeResult, SuspendNotSupported
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input

from app.tui.keys import key, key_label, localize
from app.tui.messages import AnswerEdited, AttemptRecorded, GradeCrashed, Graded, LineChosen, StoreNotice
from app.tui.strings import t
from app.tui.widgets.command_answer import CommandAnswer
from app.tui.widgets.exercise_header import ExerciseHeader
from app.tui.widgets.manifest_editor import ManifestEditor
from app.tui.widgets.quiz_answer import QuizAnswer
from app.tui.widgets.results_list import ResultsList
from app.tui.widgets.task_panel import TaskPanel
from exercises.model import Exercise

DRAFT_DELAY = 0.5
"""Seconds of quiet typing before the draft is written."""


def last_answer(store: Any, exercise_id: str) -> str | None:
    """The answer to reopen when there is no draft: the last one that passed, else the last one checked."""
    answered = [a for a in store.attempts(exercise_id) if a.mode == "offline" and a.answer.strip()]
    passed = [a for a in answered if a.passed]
    return (passed or answered)[-1].answer if answered else None


def resume_line(text: str, starter: str) -> int:
    """The 1-based line to put the cursor on in a reopened answer: the last one changed from the starter, else the
    last line with text (a starter's open `image:`)."""
    lines, before = text.splitlines(), starter.splitlines()
    changed = [n for n, line in enumerate(lines, 1) if n > len(before) or line != before[n - 1]]
    if changed and text != starter:
        return changed[-1]
    filled = [n for n, line in enumerate(lines, 1) if line.strip()]
    return filled[-1] if filled else 1


class ExerciseScreen(Screen[None]):
    """One exercise: read, answer, check, take hints, see the solution. Drafts are saved as you type."""

    BINDINGS = [
        key("ctrl+s", "check", "check"),
        key("ctrl+g", "hint", "hint"),
        key("ctrl+o", "solution", "solution"),
        key("f4", "edit_in_editor", "editor", show=False),  # in f1; the footer keeps 80 columns for the rest
        key("ctrl+b", "kubectl_insert", "kubectl-insert", show=False),  # in f1
        key("ctrl+n", "next_exercise", "next-exercise"),
        key("escape", "back", "back", priority=True),
    ]

    def __init__(self, exercise: Exercise, store: Any) -> None:
        super().__init__(classes=f"-kind-{exercise.kind}")
        self.exercise = exercise
        self.store = store
        progress = store.progress(exercise.id)
        self.status = progress.status
        self.attempted = progress.attempts > 0
        self.report: Any = None
        self._graded_text = ""
        self._draft = store.draft(exercise.id)
        self._saved_text = self._draft if self._draft is not None else (last_answer(store, exercise.id) or exercise.starter or "")
        self._pending: str | None = None
        self._draft_timer: Timer | None = None
        self._draft_lock = threading.Lock()
        self._draft_seq = 0
        self._draft_written = 0
        self.grade_seq = 0
        """Bumped by every grading request, offline or live; results of older ones are dropped."""
        self._checking: str | None = None
        """The answer a check (ctrl+s) is grading now; pressing it again for the same answer adds nothing."""
        self._recorded: str | None = None
        """The answer of the last attempt recorded on this screen: checking it again is not a new attempt."""

    @property
    def lang(self) -> str:
        return self.app.lang  # type: ignore[attr-defined]

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield ExerciseHeader(id="exercise-header")
        yield from self.compose_live()
        with Horizontal(id="exercise-body"):
            yield TaskPanel(self.exercise, self.lang, id="task-panel")
            with Vertical(id="answer-side"):
                yield self._answer_widget()
                yield ResultsList(id="results")
        yield Footer(show_command_palette=False)  # ctrl+p is in the help (f1): every column is for keys

    def compose_live(self) -> ComposeResult:
        """The live screen adds its status bar here."""
        yield from ()

    def _answer_widget(self) -> Widget:
        text = self._saved_text
        if self.exercise.kind == "manifest":
            return ManifestEditor.for_yaml(text, id="answer")
        if self.exercise.kind == "command":
            return CommandAnswer(value=text.strip(), placeholder=t("ex.command_placeholder", self.lang), id="answer")
        return QuizAnswer(self.exercise.quiz, self.lang, id="answer")  # type: ignore[arg-type]

    @property
    def answer(self) -> Any:
        return self.query_one("#answer")

    def on_mount(self) -> None:
        if self.exercise.kind == "quiz" and self._saved_text:
            self.answer.set_answer(self._saved_text)
        self.watch(self.app, "lang", self._apply_lang, init=False)
        self._apply_lang(self.lang)
        if isinstance(self.answer, QuizAnswer):
            self.answer.focus_answer()
        elif isinstance(self.answer, ManifestEditor):
            self.answer.go_to(resume_line(self._saved_text, self.exercise.starter or ""))  # where the work was left
        else:
            self.answer.focus()

    def _apply_lang(self, lang: str) -> None:
        localize(self, lang)
        self.query_one(ExerciseHeader).show(self.exercise, lang, self.status)
        self.query_one(TaskPanel).lang = lang
        if isinstance(self.answer, QuizAnswer):
            self.answer.lang = lang
        elif isinstance(self.answer, CommandAnswer):
            self.answer.placeholder = t("ex.command_placeholder", lang)
        if self._checking is not None:
            self.grade(self._checking, lang, record=True)  # the check under way, asked again in the new language
        elif self.report is None:
            self.show_empty_results(lang)
        else:
            self.query_one(ResultsList).show_report(self.report, lang)  # offline or live: rendered again, not re-graded

    def show_empty_results(self, lang: str) -> None:
        """What the results box says before anything is checked."""
        self.query_one(ResultsList).show_empty(lang, self.key_label("check"))

    def key_label(self, binding_id: str) -> str:
        return key_label(getattr(self.app, "keymap_overrides", {}), binding_id)

    # --- drafts ------------------------------------------------------------------------------

    def on_answer_edited(self, event: AnswerEdited) -> None:
        if event.text == self._saved_text and self._pending is None:
            return
        self._pending = event.text
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self._flush_draft)

    def _flush_draft(self) -> None:
        if self._pending is None:
            return
        text, self._pending = self._pending, None
        self._saved_text = text
        self._draft_seq += 1
        self.save_draft(text, self._draft_seq)

    @work(thread=True, group="draft", exit_on_error=False)
    def save_draft(self, text: str, seq: int) -> None:
        with self._draft_lock:  # a later draft written first must not be overwritten by an earlier one
            if seq > self._draft_written:
                self.store.save_draft(self.exercise.id, text)
                self._draft_written = seq

    def flush_draft_now(self) -> None:
        """Write a pending draft before the screen or the app goes away."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if self._pending is not None:
            text, self._pending = self._pending, None
            self._saved_text = text
            with self._draft_lock:
                self._draft_seq += 1
                self.store.save_draft(self.exercise.id, text)
                self._draft_written = self._draft_seq

    def on_unmount(self) -> None:
        self.flush_draft_now()

    # --- checking ----------------------------------------------------------------------------

    def action_check(self) -> None:
        """Grade the answer; one attempt per distinct answer checked, however often the key is pressed."""
        text = self.answer.answer_text
        self._flush_draft()
        if text == self._checking:
            return  # this very answer is being graded now
        if self._checking is None and text == self._recorded and self._graded_text == text and self.report is not None:
            self.notify(t("ex.already_checked", self.lang), timeout=4)
            return
        self._checking = text
        self.query_one(ResultsList).show_checking(self.lang)
        self.grade(text, self.lang, record=True)

    def grade(self, text: str, lang: str, record: bool = True) -> None:
        self.grade_seq += 1
        self._grade(text, lang, record, self.grade_seq)

    @work(thread=True, exclusive=True, group="grade", exit_on_error=False)
    def _grade(self, text: str, lang: str, record: bool, seq: int) -> None:
        try:
            from graders.grade import grade

            report = grade(self.exercise, text, lang)
        except Exception as err:  # a grader bug: shown on screen, never swallowed
            self.post_message(GradeCrashed(f"{type(err).__name__}: {err}"))
            return
        self.post_message(Graded(report, text, None, record, seq))

    def on_graded(self, event: Graded) -> None:
        if event.seq != self.grade_seq:
            return  # an older request finished after a newer one was made
        self.report = event.report
        self._graded_text = event.answer
        self._checking = None  # the newest request is answered; an older check it replaced is not an attempt
        self.query_one(ResultsList).show_report(event.report, self.lang)
        if not event.recorded:
            return
        if event.report.mode == "offline":
            if event.report.usable and event.answer != self._recorded:
                self._recorded = event.answer  # decided here, on the UI thread: a check is recorded once
                self.record(event.report, event.answer)
        if event.report.usable and (event.report.mode == "live" or event.answer.strip()):
            self.attempted = True  # a real try unlocks the solution; an empty or ungradable answer does not
        if event.progress is not None:
            self._show_progress(event.progress)
        self.refresh_bindings()
        line = event.report.first_line()
        if line:
            column = next((e.column for e in event.report.errors if e.line == line and e.column), None)
            self.answer.go_to(line, column)

    def record(self, report: Any, answer: str) -> None:
        """Store the attempt in a worker of the app's, not the screen's: leaving the screen never cancels it."""
        from functools import partial

        self.app.run_worker(partial(self._store_attempt, report, answer), thread=True, group="record", exit_on_error=False)

    def _store_attempt(self, report: Any, answer: str) -> None:
        try:
            progress = self.store.record_attempt(
                self.exercise.id, passed=report.passed, score=report.score, max_score=report.max_score, answer=answer
            )
        except Exception as err:  # a bug or a file gone wrong: said, never swallowed
            self.app.post_message(StoreNotice(t("ex.not_recorded", self.lang, error=f"{type(err).__name__}: {err}")))
            return
        self.post_message(AttemptRecorded(progress, answer))

    def on_attempt_recorded(self, event: AttemptRecorded) -> None:
        self._show_progress(event.progress)

    def _show_progress(self, progress: Any) -> None:
        self.status = progress.status
        self.query_one(ExerciseHeader).show(self.exercise, self.lang, self.status)
        self.refresh_bindings()

    def on_grade_crashed(self, event: GradeCrashed) -> None:
        self._checking = None
        self.show_empty_results(self.lang)
        self.notify(t("ex.grader_crashed", self.lang, error=event.error), severity="error", timeout=10)

    def on_line_chosen(self, event: LineChosen) -> None:
        self.answer.go_to(event.line, event.column)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_check()

    # --- hints, solution, editor, back --------------------------------------------------------

    def action_hint(self) -> None:
        panel = self.query_one(TaskPanel)
        if not self.exercise.hints:
            self.notify(t("ex.no_hints", self.lang))
        elif panel.hints_shown >= len(self.exercise.hints):
            self.notify(t("ex.no_more_hints", self.lang))
        else:
            panel.hints_shown += 1

    def action_solution(self) -> None:
        if not self.attempted:
            self.notify(t("ex.solution_after_attempt", self.lang), severity="warning")
            return
        self.query_one(TaskPanel).solution_shown = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit_in_editor":
            return self.exercise.kind != "quiz"
        if action == "kubectl_insert":
            return self.exercise.kind == "manifest"
        return True

    def action_kubectl_insert(self) -> None:
        """Run a `kubectl ... --dry-run=client` command and put its YAML into the answer (app.kubectl_yaml)."""
        from app.tui.screens.kubectl_prompt import KubectlPrompt, insert_yaml

        def inserted(result: object) -> None:
            if result is not None:
                self._last_kubectl = " ".join(result.argv)  # type: ignore[attr-defined]
                lines = insert_yaml(self.answer, result.yaml)  # type: ignore[attr-defined]
                self.notify(t("kubectl.inserted", self.lang, lines=lines, command=self._last_kubectl), timeout=6, markup=False)
                self.answer.focus()

        self.app.push_screen(KubectlPrompt(getattr(self, "_last_kubectl", "")), inserted)

    def action_edit_in_editor(self) -> None:
        from app.tui.live import EditorTextError, edit_text

        suffix = ".yaml" if self.exercise.kind == "manifest" else ".sh"
        try:
            with self.app.suspend():
                text = edit_text(self.answer.answer_text, suffix)
        except SuspendNotSupported:
            self.notify(t("ex.no_suspend", self.lang), severity="warning")
            return
        except EditorTextError as err:
            self.notify(t("ex.editor_not_text", self.lang, why=err.why, path=err.path), severity="error", timeout=20)
            return
        except OSError as err:
            from app.tui.live import editor_command

            self.notify(t("ex.editor_failed", self.lang, editor=" ".join(editor_command()), error=err), severity="error")
            return
        self.answer.set_answer(text)
        self.post_message(AnswerEdited(text))

    def action_next_exercise(self) -> None:
        self.app.open_next(exclude=self.exercise.id)  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.flush_draft_now()
        self.app.pop_screen()
