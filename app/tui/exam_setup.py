"""Before the clock starts: every live task's starting state set up on the cluster, side by side, with a progress bar."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, ProgressBar, Static

from app.exam_export import say
from exercises.exam_attempt import ExamAttempt, SetupState

MAX_SETUP_WORKERS = 8


@dataclass
class TaskSetUp(Message):
    """One live task's setup finished (done, or why not)."""

    number: int
    state: SetupState


def set_up_one(cluster: Any, exercise: Any, lang: str) -> SetupState:
    """The practice service's setup of one exercise, as a state; a service that raises is this task's failure, not a crash."""
    if exercise is None:
        return SetupState(False, say(lang, "the exercise is missing from the pack", "팩에 이 문제가 없습니다"))
    try:
        done = cluster.setup(exercise)
    except Exception as err:  # noqa: BLE001 - one task's trouble is said beside it; the others still get set up
        return SetupState(False, f"{type(err).__name__}: {err}")
    return SetupState(bool(done.ok), done.summary(lang))


class ExamSetupScreen(ModalScreen[bool]):
    """Sets up the live tasks still to set up; dismissed with True to go on (failed tasks marked), False to cancel."""

    BINDINGS = [
        Binding("enter", "go_on", "go on", id="exam-setup-go-on", tooltip="go on without the tasks not set up / 준비되지 않은 문제 없이 계속"),
        Binding("escape", "cancel", "cancel", id="exam-setup-cancel", tooltip="cancel: the exam is not started / 취소: 시험을 시작하지 않습니다"),
    ]
    DEFAULT_CSS = """
    ExamSetupScreen { align: center middle; }
    ExamSetupScreen #exam-setup-box { width: 96; height: auto; max-height: 32; border: thick $primary; background: $surface; padding: 1 2; }
    ExamSetupScreen #exam-setup-bar { margin: 1 0; }
    ExamSetupScreen #exam-setup-log { height: auto; }
    """

    def __init__(self, attempt: ExamAttempt, exercises: dict[str, Any], store: Any, cluster: Any, *, lang: str = "en") -> None:
        super().__init__()
        self.attempt, self.exercises, self.store, self.cluster, self.lang = attempt, exercises, store, cluster, lang
        self.numbers = attempt.to_set_up()
        self.already = [t.number for t in attempt.paper.tasks if t.live and t.number not in self.numbers]
        self.done: dict[int, SetupState] = {}

    @property
    def finished(self) -> bool:
        return len(self.done) == len(self.numbers)

    @property
    def failed(self) -> list[int]:
        return [n for n in self.numbers if n in self.done and not self.done[n].ok]

    def compose(self) -> ComposeResult:
        with Vertical(id="exam-setup-box"):
            yield Static(self._head(), id="exam-setup-head")
            yield ProgressBar(total=len(self.numbers), show_eta=False, id="exam-setup-bar")
            yield Static("", id="exam-setup-log")
        yield Footer()

    def on_mount(self) -> None:
        from app.tui.exam_screen import relabel

        relabel(self, self.lang)
        self.refresh_bindings()
        self._set_up()

    def _head(self) -> str:
        head = say(self.lang, f"Setting up {len(self.numbers)} live task(s) on the cluster: the clock starts when they are ready.",
                   f"클러스터에 라이브 문제 {len(self.numbers)}개를 준비합니다: 준비가 끝나면 시간이 흐르기 시작합니다.")
        if self.already:
            done = ", ".join(map(str, self.already))
            head += "\n" + say(self.lang, f"Already set up, left as they are: task(s) {done}.", f"이미 준비된 문제는 그대로 둡니다: {done}번.")
        return head

    @work(thread=True, exclusive=True, exit_on_error=False, group="exam-setup")
    def _set_up(self) -> None:
        tasks = {n: self.exercises.get(self.attempt.paper.task(n).exercise_id) for n in self.numbers}
        with ThreadPoolExecutor(max_workers=max(1, min(MAX_SETUP_WORKERS, len(tasks)))) as pool:
            futures = {pool.submit(set_up_one, self.cluster, exercise, self.lang): n for n, exercise in tasks.items()}
            for future in as_completed(futures):
                self.post_message(TaskSetUp(futures[future], future.result()))

    def on_task_set_up(self, event: TaskSetUp) -> None:
        self.done[event.number] = event.state
        self.store.save_setup(self.attempt, event.number, event.state)  # a resume sets up only what is not done
        self.query_one("#exam-setup-bar", ProgressBar).update(progress=len(self.done))
        self.query_one("#exam-setup-log", Static).update(self._log())
        if self.finished and not self.failed:
            self.dismiss(True)
        elif self.finished:
            self.refresh_bindings()

    def _log(self) -> str:
        lines = []
        for n in sorted(self.done):
            task, state = self.attempt.paper.task(n), self.done[n]
            mark = "✓" if state.ok else "✗"
            lines.append(f"{mark} {n:>2}. {task.exercise_id}: {state.detail}")
        if self.finished and self.failed:
            names = ", ".join(map(str, self.failed))
            lines += ["", say(self.lang, f"Task(s) {names} could not be set up. enter: go on (they stay marked as not set up); "
                                         "escape: cancel (the exam is not started).",
                              f"{names}번 문제를 준비하지 못했습니다. enter: 계속 (준비되지 않은 문제로 표시됩니다); "
                              "escape: 취소 (시험을 시작하지 않습니다).")]
        return "\n".join(lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go_on":
            return self.finished and bool(self.failed)
        return True

    def action_go_on(self) -> None:
        if self.finished:
            self.dismiss(True)

    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "exam-setup")
        self.dismiss(False)
