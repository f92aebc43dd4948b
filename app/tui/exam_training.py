"""The exam screen's training mode: hints, a check of the current task with its verdict at once, the solution."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import work
from textual.message import Message

from app.exam_export import say
from app.tui.keys import key
from app.tui.strings import t
from app.tui.widgets.results_list import ResultsList
from app.tui.widgets.task_panel import hints_markdown, solution_markdown

TRAINING_ACTIONS = frozenset({"training_check", "training_hint", "training_solution"})
BINDINGS = [
    key("ctrl+s", "training_check", "check"),
    key("ctrl+g", "training_hint", "hint"),
    key("ctrl+o", "training_solution", "solution"),
]
"""The study screen's keys and ids (a remap of `check` moves both); shown only in training mode."""


@dataclass
class TaskChecked(Message):
    """A training check of one task finished."""

    number: int
    report: Any


def check_task(exercise: Any, task: Any, answer: str, live: Any, lang: str) -> Any:
    """One task's report, as study mode grades it: the answer offline, the cluster for a live task."""
    from graders.report import AnswerError, unusable

    try:
        if task.live:
            if live is None:
                return unusable(exercise.id, AnswerError(say(lang, "a live task, and no cluster to check it on",
                                                             "실습 클러스터가 없어 채점할 수 없는 라이브 문제입니다")), mode="live")
            return live(exercise)
        from graders.grade import grade

        return grade(exercise, answer, lang)
    except Exception as err:  # noqa: BLE001 - a grader bug is this check's verdict, never a crash of the exam
        return unusable(exercise.id, AnswerError(f"{type(err).__name__}: {err}"), mode="live" if task.live else "offline")


class TrainingMixin:
    """For ExamScreen: what training adds. The screen keeps `hints`, `reports` and `solutions` per task number."""

    attempt: Any
    exercises: dict[str, Any]
    current: int
    lang: str
    live: Any

    def init_training(self) -> None:
        self.hints: dict[int, int] = {}
        self.reports: dict[int, Any] = {}
        self.solutions: set[int] = set()
        self.checking: set[int] = set()

    def training_markdown(self, number: int) -> str:
        """What training shows under the task: the hints taken so far and, once asked for, the solution."""
        exercise = self.exercises.get(self.attempt.paper.task(number).exercise_id)
        if exercise is None:
            return ""
        parts = [hints_markdown(exercise, self.lang, self.hints.get(number, 0))]
        if number in self.solutions:
            parts.append(solution_markdown(exercise, self.lang))
        return "\n\n".join(p for p in parts if p)

    def show_check(self) -> None:
        """The current task's last verdict, or how to get one."""
        results = self.query_one("#exam-check", ResultsList)  # type: ignore[attr-defined]
        if self.current in self.checking:
            results.show_checking(self.lang)
        elif self.current in self.reports:
            results.show_report(self.reports[self.current], self.lang)
        else:
            results.show_empty(self.lang, "ctrl+s")

    async def action_training_hint(self) -> None:
        exercise = self.exercises.get(self.attempt.paper.task(self.current).exercise_id)
        shown = self.hints.get(self.current, 0)
        if exercise is None or not exercise.hints:
            self.notify(t("ex.no_hints", self.lang))  # type: ignore[attr-defined]
        elif shown >= len(exercise.hints):
            self.notify(t("ex.no_more_hints", self.lang))  # type: ignore[attr-defined]
        else:
            self.hints[self.current] = shown + 1
            await self.update_task_text(scroll_end=True)  # type: ignore[attr-defined]

    async def action_training_solution(self) -> None:
        report = self.reports.get(self.current)
        if report is None or not report.usable:
            self.notify(t("ex.solution_after_attempt", self.lang), severity="warning")  # type: ignore[attr-defined]
            return
        self.solutions.add(self.current)
        await self.update_task_text(scroll_end=True)  # type: ignore[attr-defined]

    def action_training_check(self) -> None:
        task = self.attempt.paper.task(self.current)
        exercise = self.exercises.get(task.exercise_id)
        if exercise is None or self.current in self.checking:
            return
        self.checking.add(self.current)
        self.show_check()
        self._check(exercise, task, self.attempt.answers.get(self.current, ""), self.lang)

    @work(thread=True, exit_on_error=False, group="exam-training-check")
    def _check(self, exercise: Any, task: Any, answer: str, lang: str) -> None:
        self.post_message(TaskChecked(task.number, check_task(exercise, task, answer, self.live, lang)))  # type: ignore[attr-defined]

    def on_task_checked(self, event: TaskChecked) -> None:
        self.checking.discard(event.number)
        self.reports[event.number] = event.report
        if event.number == self.current:
            self.show_check()
