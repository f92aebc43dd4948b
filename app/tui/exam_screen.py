"""The exam screen: a wall-clock countdown with 30/15/5-minute alerts, a task navigator, flags, the study editors."""

from __future__ import annotations

import time
from typing import Any, Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Markdown, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from dataclasses import replace

from app.exam_export import domain_title, minutes, pad, say
from app.tui import exam_training
from app.tui.exam_training import TrainingMixin
from app.tui.messages import AnswerEdited, LineChosen
from app.tui.strings import BINDING_TEXT, binding_text
from app.tui.widgets.results_list import ResultsList
from exercises.base import pick
from exercises.exam_attempt import ExamAttempt, alerts_crossed

Clock = Callable[[], float]
MARKS = {"unanswered": "○", "answered": "●", "flagged": "⚑"}


LABELS = {
    "exam-flag": ("flag", "표시"), "exam-previous": ("previous", "이전"), "exam-next": ("next", "다음"),
    "exam-jump": ("jump to #", "번호로 이동"), "exam-finish": ("end exam", "시험 종료"), "exam-finish-training": ("end training", "연습 종료"),
    "exam-results-close": ("close", "닫기"), "exam-review-back": ("back", "뒤로"), "exam-history-close": ("close", "닫기"),
    "exam-setup-go-on": ("go on", "계속"), "exam-setup-cancel": ("cancel", "취소"),
}
"""Binding id -> its footer label in English and Korean."""


def _binding(keys: str, action: str, binding_id: str, priority: bool = False) -> Binding:
    en, ko = LABELS[f"exam-{binding_id}"]
    return Binding(keys, action, en, id=f"exam-{binding_id}", tooltip=f"{en} / {ko}", priority=priority)


def relabel(node: Any, lang: str, training: bool = False) -> None:
    """The footer labels of the exam screens in `lang` (as app.tui.keys.localize does for the study screens)."""
    bindings = node._bindings.key_to_bindings
    label = {**LABELS, "exam-finish": LABELS["exam-finish-training"]} if training else LABELS
    for name, items in bindings.items():
        bindings[name] = [replace(b, description=label[b.id][1 if lang == "ko" else 0]) if b.id in label
                          else replace(b, description=binding_text(b.id, lang)[0], tooltip=binding_text(b.id, lang)[1])
                          if b.id in BINDING_TEXT else b for b in items]


class ExamScreen(TrainingMixin, Screen[None]):
    """One attempt in progress. Exam mode: a clock, no hints and no verdicts until the end, as in the real exam.
    Training mode: no clock, hints, a check of each task and its solution, with the study screen's keys."""

    BINDINGS = [
        _binding("f5", "flag", "flag"),
        _binding("f6", "move(-1)", "previous", priority=True),  # over the editor's f6 (select line) and f7 (select all)
        _binding("f7", "move(1)", "next", priority=True),
        _binding("f8", "jump", "jump"),
        _binding("f10", "finish", "finish"),
        *exam_training.BINDINGS,
    ]
    DEFAULT_CSS = """
    ExamScreen #exam-clock { height: 1; background: $primary; color: $text; padding: 0 1; }
    ExamScreen #exam-nav { width: 38; border-right: solid $primary; }
    ExamScreen #exam-task { height: 1fr; }
    ExamScreen #exam-answer { height: 1fr; }
    ExamScreen #exam-answer ManifestEditor { height: 1fr; }
    ExamScreen #exam-jump { display: none; }
    ExamScreen #exam-jump.shown { display: block; }
    ExamScreen #exam-grading { display: none; }
    ExamScreen #exam-grading.shown { display: block; }
    ExamScreen #exam-check { display: none; height: 10; }
    ExamScreen.-training #exam-check { display: block; }
    """

    def __init__(self, attempt: ExamAttempt, exercises: dict[str, Any], store: Any, *, title: str = "",
                 clock: Clock = time.time, live: Any = None, lang: str = "en", owns_store: bool = False,
                 cluster: Any = None) -> None:
        super().__init__(classes="-training" if attempt.training else "")
        self.attempt, self.exercises, self.store = attempt, exercises, store
        self.cluster = cluster
        """The practice service (graders.practice.Practice, or a fake): live tasks are set up with its `setup`."""
        if live is None and cluster is not None:
            live = lambda exercise, deadline: cluster.check(exercise, lang, deadline=deadline)  # noqa: E731
        self.exam_title, self.clock, self.live, self.lang = title or attempt.paper.exam_key, clock, live, lang
        self.current = 1
        self.entered_at = clock()
        self.last_remaining = attempt.remaining(clock())
        self.alerts_given: list[int] = []
        self.grading = False
        self.owns_store = owns_store
        self.init_training()

    def compose(self) -> ComposeResult:
        yield Static(id="exam-clock")
        with Horizontal():
            yield OptionList(id="exam-nav")
            with Vertical():
                yield Input(placeholder=say(self.lang, "task number, then enter", "문제 번호를 쓰고 enter"), id="exam-jump")
                with VerticalScroll(id="exam-task"):
                    yield Markdown(id="exam-task-text")
                yield Vertical(id="exam-answer")
                yield ResultsList(id="exam-check")
                yield ProgressBar(id="exam-grading", show_eta=False)
        yield Footer()

    async def on_mount(self) -> None:
        relabel(self, self.lang, self.attempt.training)
        self._refresh_nav()
        await self._show_task(self.current)
        self._tick()
        self.set_interval(1.0, self._tick)
        if not self.attempt.clock_started:
            self._set_up_live_tasks()

    def _set_up_live_tasks(self) -> None:
        """The live tasks' starting state goes on the cluster first; the deadline is fixed when it is there."""
        if self.cluster is None or not self.attempt.to_set_up():
            self._start_clock()
            return
        from app.tui.exam_setup import ExamSetupScreen

        self.app.push_screen(ExamSetupScreen(self.attempt, self.exercises, self.store, self.cluster, lang=self.lang), self._set_up)

    async def _set_up(self, go_on: bool | None) -> None:
        if not go_on:
            self.store.discard(self.attempt)
            self.notify(say(self.lang, "The exam was not started.", "시험을 시작하지 않았습니다."), timeout=6)
            self.app.pop_screen()
            return
        self._start_clock()
        await self._show_task(self.current)  # a task not set up says so

    def _start_clock(self) -> None:
        self.store.start_clock(self.attempt)
        self.entered_at = self.clock()
        self.last_remaining = self.attempt.remaining(self.entered_at)
        self._tick()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in exam_training.TRAINING_ACTIONS:
            return self.attempt.training  # exam mode: no hints, no verdicts, no solutions until the end
        return True

    def on_unmount(self) -> None:
        if self.owns_store:
            self.store.close()

    # --- the clock ---------------------------------------------------------------------------

    def _tick(self) -> None:
        now = self.clock()
        counts = self.attempt.counts()
        tally = say(self.lang, f"answered {counts['answered']}, flagged {counts['flagged']}, unanswered {counts['unanswered']}",
                    f"답함 {counts['answered']}, 표시 {counts['flagged']}, 남음 {counts['unanswered']}")
        if self.attempt.training or not self.attempt.clock_started:
            what = (say(self.lang, "training: no clock, hints and checks on", "연습 모드: 시간 제한 없음, 힌트와 채점 가능")
                    if self.attempt.training else say(self.lang, "setting up the live tasks: the clock has not started",
                                                      "라이브 문제 준비 중: 아직 시간이 흐르지 않습니다"))
            self.query_one("#exam-clock", Static).update(f"{self.exam_title}  {what}  {tally}")
            return
        remaining = self.attempt.remaining(now)
        for mark in alerts_crossed(self.last_remaining, remaining):
            self.alerts_given.append(mark)
            self.notify(say(self.lang, f"{mark} minutes left", f"{mark}분 남았습니다"), severity="warning", timeout=10)
        self.last_remaining = remaining
        self.query_one("#exam-clock", Static).update(
            f"{self.exam_title}  " + say(self.lang, f"time left {minutes(remaining)}", f"남은 시간 {minutes(remaining)}") + f"  {tally}")
        if self.attempt.timed_out(now) and not self.grading:
            self.notify(say(self.lang, "time is up: the exam is graded now", "시간이 끝났습니다: 지금 채점합니다"), severity="error")
            self.action_finish()

    # --- tasks -------------------------------------------------------------------------------

    def _refresh_nav(self) -> None:
        nav = self.query_one("#exam-nav", OptionList)
        highlighted = nav.highlighted
        nav.clear_options()
        for task in self.attempt.paper.tasks:
            state = self.attempt.state(task.number)
            label = f"{MARKS[state]} {task.number:>2}. {pad(domain_title(task.domain, self.lang), 24)} ({task.points})"
            nav.add_option(Option(label, id=f"task-{task.number}"))
        nav.highlighted = highlighted if highlighted is not None else self.current - 1

    def _editor(self, exercise: Any, text: str) -> Any:
        if exercise.kind == "manifest":
            from app.tui.widgets.manifest_editor import ManifestEditor

            editor = ManifestEditor.for_yaml(text or exercise.starter or "")
        elif exercise.kind == "quiz":
            from app.tui.widgets.quiz_answer import QuizAnswer

            editor = QuizAnswer(exercise.quiz, self.lang)
        else:
            from app.tui.widgets.command_answer import CommandAnswer

            editor = CommandAnswer(value=text, placeholder="kubectl ...")
        editor.add_class("exam-editor")
        return editor

    def _task_markdown(self, number: int) -> str:
        task = self.attempt.paper.task(number)
        exercise = self.exercises.get(task.exercise_id)
        head = say(self.lang, f"## Task {number} of {len(self.attempt.paper.tasks)}", f"## 문제 {number} / {len(self.attempt.paper.tasks)}")
        meta = f"*{domain_title(task.domain, self.lang)} · {task.points} " + say(self.lang, "points", "점") + "*"
        if exercise is None:
            body = say(self.lang, f"Exercise {task.exercise_id} is missing from the pack.", f"팩에 {task.exercise_id} 문제가 없습니다.")
        else:
            body = f"### {pick(exercise.title, self.lang)}\n\n{pick(exercise.task, self.lang)}"
            if task.live:
                ns = exercise.live.namespace if exercise.live and exercise.live.namespace else "default"
                body += "\n\n" + say(self.lang, f"**Live task**: work on the cluster, namespace `{ns}`.",
                                     f"**라이브 문제**: 클러스터의 `{ns}` 네임스페이스에서 작업하세요.")
                state = self.attempt.setup.get(number)
                if state is not None and not state.ok:
                    body += "\n\n" + say(self.lang, f"⚠ **Not set up**: {state.detail}", f"⚠ **준비되지 않음**: {state.detail}")
        text = f"{head}\n\n{meta}\n\n{body}"
        if self.attempt.training:
            extra = self.training_markdown(number)
            text += f"\n\n{extra}" if extra else ""
        return text

    async def update_task_text(self, scroll_end: bool = False) -> None:
        """The task again (a hint or the solution added): scrolled to its end, where what was added is."""
        await self.query_one("#exam-task-text", Markdown).update(self._task_markdown(self.current))
        if scroll_end:
            task = self.query_one("#exam-task", VerticalScroll)
            # the new Markdown blocks are laid out on the next refresh: scroll once they have their size
            self.call_after_refresh(lambda: self.call_after_refresh(lambda: task.scroll_end(animate=False, immediate=True)))

    async def _show_task(self, number: int) -> None:
        task = self.attempt.paper.task(number)
        exercise = self.exercises.get(task.exercise_id)
        self.query_one("#exam-task-text", Markdown).update(self._task_markdown(number))
        if self.attempt.training:
            self.show_check()
        holder = self.query_one("#exam-answer", Vertical)
        await holder.remove_children()
        if exercise is not None and not task.live:
            editor = self._editor(exercise, self.attempt.answers.get(number, ""))
            await holder.mount(editor)
            editor.focus()
            if exercise.kind == "quiz" and self.attempt.answers.get(number):
                self.call_after_refresh(editor.set_answer, self.attempt.answers[number])

    async def _switch(self, number: int) -> None:
        if not 1 <= number <= len(self.attempt.paper.tasks) or number == self.current:
            return
        now = self.clock()
        self.attempt.spend(self.current, now - self.entered_at)
        self.store.save_task(self.attempt, self.current)
        self.current, self.entered_at = number, now
        await self._show_task(number)
        self.query_one("#exam-nav", OptionList).highlighted = number - 1

    @on(AnswerEdited)
    def _answer_edited(self, event: AnswerEdited) -> None:
        event.stop()
        if self.grading:
            return
        before = self.attempt.state(self.current)
        self.attempt.set_answer(self.current, event.text)
        self.store.save_task(self.attempt, self.current)  # every change written: a kill loses nothing
        if self.attempt.state(self.current) != before:
            self._refresh_nav()

    def on_line_chosen(self, event: LineChosen) -> None:
        event.stop()
        for editor in self.query(".exam-editor").results():
            if hasattr(editor, "go_to"):
                editor.go_to(event.line, event.column)

    @on(OptionList.OptionSelected, "#exam-nav")
    async def _nav_selected(self, event: OptionList.OptionSelected) -> None:
        await self._switch(event.option_index + 1)

    def action_flag(self) -> None:
        flagged = self.attempt.toggle_flag(self.current)
        self.store.save_task(self.attempt, self.current)
        self._refresh_nav()
        self.notify(say(self.lang, f"task {self.current} {'flagged for review' if flagged else 'unflagged'}",
                        f"{self.current}번 문제 {'검토 표시함' if flagged else '표시 해제'}"), timeout=3)

    async def action_move(self, step: int) -> None:
        await self._switch(self.current + step)

    def action_jump(self) -> None:
        box = self.query_one("#exam-jump", Input)
        box.add_class("shown")
        box.value = ""
        box.focus()

    @on(Input.Submitted, "#exam-jump")
    async def _jump_to(self, event: Input.Submitted) -> None:
        event.stop()
        event.input.remove_class("shown")
        text = event.value.strip()
        if text.isdigit() and 1 <= int(text) <= len(self.attempt.paper.tasks):
            await self._switch(int(text))
        else:
            self.notify(say(self.lang, f"no task {text!r}: 1 to {len(self.attempt.paper.tasks)}",
                            f"{text!r}번 문제는 없습니다: 1부터 {len(self.attempt.paper.tasks)}까지"), severity="warning")

    # --- the end -----------------------------------------------------------------------------

    def action_finish(self) -> None:
        if self.grading:
            return
        self.grading = True
        self.attempt.spend(self.current, self.clock() - self.entered_at)
        self.store.save_task(self.attempt, self.current)
        self.query_one("#exam-grading", ProgressBar).add_class("shown")
        self.query_one("#exam-grading", ProgressBar).update(total=len(self.attempt.paper.tasks), progress=0)
        self._grade()

    @work(thread=True, exclusive=True, exit_on_error=False, group="exam-grade")
    def _grade(self) -> None:
        from graders.exam_grade import grade_paper

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self.query_one("#exam-grading", ProgressBar).update, progress=done)

        result = grade_paper(self.attempt.paper, self.exercises, self.attempt.answers, pass_mark=self.attempt.pass_mark,
                             live=self.live, lang=self.lang, seconds=self.attempt.seconds, progress=progress)
        self.store.finish(self.attempt, result.to_json())
        self.app.call_from_thread(self._show_results, result)

    def _show_results(self, result: Any) -> None:
        from app.tui.exam_results import ExamResultsScreen

        self.app.switch_screen(ExamResultsScreen(result, self.attempt, self.exercises, title=self.exam_title, lang=self.lang))
