"""One sitting of a mock exam: its paper, answers, flags and the wall-clock deadline (no storage, no UI)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from exercises.exams import Paper

TaskState = Literal["unanswered", "answered", "flagged"]
Mode = Literal["exam", "training"]
MODES: tuple[Mode, ...] = ("exam", "training")
"""exam: a clock, no hints, no verdict until the end (as the real exam); training: no clock, hints, a check per task, solutions."""
ALERT_MINUTES = (30, 15, 5)
"""Minutes before the end at which the candidate is told, as the real exam does."""


@dataclass(frozen=True)
class SetupState:
    """How a live task's starting state went onto the cluster: done, or why not."""

    ok: bool
    detail: str = ""


@dataclass
class ExamAttempt:
    """An attempt in progress or finished; times are seconds since the epoch, from the wall clock."""

    attempt_id: str
    paper: Paper
    started_at: float
    deadline: float
    pass_mark: int
    answers: dict[int, str] = field(default_factory=dict)
    flags: set[int] = field(default_factory=set)
    seconds: dict[int, float] = field(default_factory=dict)
    """Task number -> seconds spent on it so far."""
    finished_at: float | None = None
    lang: str = "en"
    mode: Mode = "exam"
    clock_started: bool = True
    """False while the live tasks are being set up: the deadline is fixed when the setup is done (`start_clock`)."""
    setup: dict[int, "SetupState"] = field(default_factory=dict)
    """Live task number -> how its starting state was set up on the cluster (missing: not tried yet)."""

    @property
    def training(self) -> bool:
        return self.mode == "training"

    def start_clock(self, now: float) -> None:
        """Fix the deadline now: the duration counts from the end of the setup, not from its start."""
        duration = self.duration
        self.started_at, self.deadline, self.clock_started = now, now + duration, True

    def to_set_up(self) -> list[int]:
        """Live tasks whose starting state is not on the cluster yet (never tried, or tried and failed)."""
        return [t.number for t in self.paper.tasks if t.live and not (self.setup.get(t.number) or SetupState(False)).ok]

    @property
    def duration(self) -> float:
        return self.deadline - self.started_at

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    def remaining(self, now: float) -> float:
        """Seconds left on the clock (never below 0); a resumed attempt computes it from the stored deadline."""
        if not self.clock_started:
            return self.duration
        return max(0.0, self.deadline - now)

    def timed_out(self, now: float) -> bool:
        """Training has no clock, and the clock of an exam runs only once its live tasks are set up."""
        return not self.training and self.clock_started and now >= self.deadline

    def answered(self, number: int) -> bool:
        return bool(self.answers.get(number, "").strip())

    def state(self, number: int) -> TaskState:
        if number in self.flags:
            return "flagged"
        return "answered" if self.answered(number) else "unanswered"

    def counts(self) -> dict[TaskState, int]:
        found: dict[TaskState, int] = {"unanswered": 0, "answered": 0, "flagged": 0}
        for task in self.paper.tasks:
            found[self.state(task.number)] += 1
        return found

    def toggle_flag(self, number: int) -> bool:
        """Flag the task for review, or unflag it; True when it is flagged now."""
        self._known(number)
        if number in self.flags:
            self.flags.discard(number)
            return False
        self.flags.add(number)
        return True

    def set_answer(self, number: int, text: str) -> None:
        self._known(number)
        self.answers[number] = text

    def spend(self, number: int, seconds: float) -> None:
        self._known(number)
        if seconds > 0:
            self.seconds[number] = self.seconds.get(number, 0.0) + seconds

    def _known(self, number: int) -> None:
        if not 1 <= number <= len(self.paper.tasks):
            raise ValueError(f"there is no task {number}: the paper has tasks 1 to {len(self.paper.tasks)}")


def alerts_crossed(before: float, after: float, marks: tuple[int, ...] = ALERT_MINUTES) -> list[int]:
    """The alert minutes passed between two readings of the remaining seconds (a jump over several names them all)."""
    return [m for m in marks if after <= m * 60 < before]
