"""A mock exam as an instructor writes it in a pack's `exams/` folder: the clock, the mark, and what is drawn."""

from __future__ import annotations

from pydantic import Field, model_validator

from exercises.base import LocalText, Strict
from exercises.model import DOMAINS, Difficulty, Domain

CKA_WEIGHTS: dict[str, int] = {
    "troubleshooting": 30,
    "cluster-architecture": 25,
    "services-networking": 20,
    "workloads-scheduling": 15,
    "storage": 10,
}
"""The CKA curriculum's domain weights, in percent."""


class FixedTask(Strict):
    """One task of an exam whose tasks are chosen by hand (an instructor's exam)."""

    exercise: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """The exercise id; it must be in the exam's pack."""
    points: int | None = Field(default=None, ge=1, le=100)
    """What the task is worth; unset: the exercise's `weight`."""
    live: bool = False
    """Done on the practice cluster (the exercise needs a `live` section) rather than answered in the editor."""


class ExamSpec(Strict):
    """One mock exam: `exams/<id>.yaml` inside a pack folder."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """Unique among the pack's exams; the file is named after it."""
    title: LocalText
    description: LocalText | None = None
    duration_minutes: int = Field(ge=1, le=600)
    """How long the candidate has, on the wall clock (the CKA: 120)."""
    pass_mark: int = Field(default=66, ge=1, le=100)
    """The score, in percent of all points, that passes (the CKA: 66)."""
    tasks: int | None = Field(default=None, ge=1, le=100)
    """How many tasks are drawn from the pack's exercises; leave out when `fixed` lists them."""
    domains: dict[Domain, int] = Field(default_factory=lambda: dict(CKA_WEIGHTS))
    """Domain -> weight: the draw gives each domain its share of the tasks, to within one task (default: the CKA's)."""
    difficulty: dict[Difficulty, int] = {}
    """Difficulty -> weight: within each domain, the draw gives each difficulty its share where the pack has enough
    exercises of it; empty: any difficulty."""
    live_tasks: int = Field(default=0, ge=0, le=100)
    """How many drawn tasks are done on the practice cluster (exercises with a `live` section); 0 keeps the exam
    offline, and exercises that only work live are not drawn."""
    seed: int | None = None
    """A fixed draw: every attempt gets the same tasks (a class sitting one exam); unset, each attempt draws anew."""
    exclude: list[str] = []
    """Exercise ids never drawn (quizzes of a topic not examined, ...)."""
    fixed: list[FixedTask] = []
    """The tasks, in order, instead of a draw."""

    @model_validator(mode="after")
    def _draw_or_fixed(self) -> "ExamSpec":
        if self.fixed and self.tasks is not None:
            raise ValueError("give either `tasks` (a draw) or `fixed` (a list), not both")
        if not self.fixed and self.tasks is None:
            raise ValueError("give `tasks` (how many to draw) or `fixed` (the list of tasks)")
        ids = [t.exercise for t in self.fixed]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"a task is listed twice in `fixed`: {', '.join(dupes)}")
        if not self.fixed:
            if not any(self.domains.values()):
                raise ValueError("`domains` gives no domain a weight above 0")
            if any(w < 0 for w in self.domains.values()) or any(w < 0 for w in self.difficulty.values()):
                raise ValueError("weights cannot be negative")
            if self.difficulty and not any(self.difficulty.values()):
                raise ValueError("`difficulty` gives no difficulty a weight above 0")
            if self.live_tasks > (self.tasks or 0):
                raise ValueError(f"`live_tasks` ({self.live_tasks}) is more than `tasks` ({self.tasks})")
        return self

    @property
    def drawn(self) -> bool:
        return not self.fixed

    def domain_weights(self) -> dict[str, int]:
        """Every domain with a weight above 0, in the curriculum's order."""
        return {d: self.domains[d] for d in DOMAINS if self.domains.get(d, 0) > 0}  # type: ignore[call-overload]
