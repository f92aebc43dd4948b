"""Messages that carry results up from widgets and worker threads to the screen that owns them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


class AnswerEdited(Message):
    """The learner changed the answer (typed, picked an option)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


@dataclass
class Graded(Message):
    """A grader worker finished; `progress` is None when the attempt was not recorded."""

    report: Any
    answer: str
    progress: Any = None
    recorded: bool = True
    seq: int = 0
    """Which request this answers; an older one arriving late is dropped."""


@dataclass
class AttemptRecorded(Message):
    """An attempt is stored (in the file, or in memory until the file can take it)."""

    progress: Any
    answer: str


@dataclass
class StoreNotice(Message):
    """The progress store has something to say mid-session (the file is locked, saved again, ...)."""

    text: str


@dataclass
class GradeCrashed(Message):
    """The grader raised (a bug): show it, never swallow it."""

    error: str


@dataclass
class LineChosen(Message):
    """Move the answer cursor to this 1-based line (and column, when known)."""

    line: int
    column: int | None = None


@dataclass
class ClusterStatus(Message):
    """What a probe of the cluster found."""

    status: Any


@dataclass
class ClusterActionDone(Message):
    """Setup or reset finished (`error` set when it failed)."""

    action: str
    detail: str = ""
    error: str | None = None


@dataclass
class ExercisesLoaded(Message):
    """The catalog's exercises are read (from the cache or the YAML files)."""

    catalog: Any
    exercises: list[Any]
    listing: Any
    """app.tui.listing.Listing: the home's rows, made from the exercises."""


@dataclass
class ListingRead(Message):
    """The home's rows, from the listing the last start wrote (no pack file changed since); the models come next."""

    listing: Any


@dataclass
class NextChosen(Message):
    """What "next" chose (app.study_next.Recommendation, read in a worker), or why it could not choose."""

    chosen: Any
    asked_on: Any
    """The screen "next" was asked on: the exercise opens only if it is still the one shown."""
    error: str | None = None
