"""What a live check reaches while it runs: the cluster, the namespace, its wait budget, and a place to say what it waits for."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from graders.cluster import Cluster


@dataclass(frozen=True)
class Progress:
    """A live grading, now: what the behaviour checks still wait for."""

    elapsed: float
    """Seconds since the behaviour checks started."""
    budget: float
    """Seconds they may take at most (the longest timeout among them)."""
    finished: int
    total: int
    waiting: tuple[tuple[str, str], ...] = ()
    """(check id, what it waits for) of the checks still running; the text is in the grading's language."""

    def line(self, lang: str = "en") -> str:
        """`waiting 12/120 s for 2 of 5 checks: ready (container redis still shows image redis123), …`"""
        ko = lang == "ko"
        pending = self.total - self.finished
        head = (f"{self.elapsed:.0f}/{self.budget:.0f}초 기다리는 중, 검사 {self.total}개 중 {pending}개 남음" if ko
                else f"waiting {self.elapsed:.0f}/{self.budget:.0f} s for {pending} of {self.total} checks")
        parts = [f"{check_id} ({note})" if note else check_id for check_id, note in self.waiting]
        return head + (": " + ", ".join(parts) if parts else "")


ProgressCallback = Callable[[Progress], None]


@dataclass
class LiveView:
    """What live runners reach through `Subject.cluster`: the connection, the exercise's namespace and the wait rules."""

    cluster: Cluster
    namespace: str
    look_once: tuple[str, str] | None = None
    """(en, ko) why behaviour checks do not wait: the answer's own fields already fail."""
    stop: threading.Event = field(default_factory=threading.Event)
    """Set when the grading is abandoned: every wait ends within a watch segment."""
    deadline: threading.Event | None = None
    """The caller's: set when its deadline passes (a mock exam's grading), it stops the waits as `stop` does."""
    notes: dict[str, str] = field(default_factory=dict)
    """Check id -> what it is waiting for now, shown in progress lines."""
    lang: str = "en"
    status_settle_seconds: float = 15.0
    """How long a failing field check on `.status` watches for a controller to catch up."""

    def stopped(self) -> bool:
        """The grading is abandoned, or the caller's deadline passed: no more waiting."""
        return self.stop.is_set() or (self.deadline is not None and self.deadline.is_set())

    def timeout(self, check: Any, default: float = 0.0) -> float:
        """How long `check` may wait: its timeout, or nothing when looking once or stopped."""
        if self.look_once is not None or self.stopped():
            return 0.0
        return float(getattr(check, "timeout_seconds", default))

    def wait_for(self, kind: str, namespace: str | None, done: Callable[[list[dict[str, Any]]], bool], timeout: float, **selectors: str) -> list[dict[str, Any]]:
        return self.cluster.wait_for(kind, namespace, done, timeout, stop=self.stopped, **selectors)

    def note(self, check: Any, en: str, ko: str) -> None:
        self.notes[check.id] = ko if self.lang == "ko" else en

    def waited(self, check: Any, subject: Any, seconds: float) -> str:
        """The end of a failure message: how long kubedojo waited, or why it did not."""
        if self.look_once is not None:
            return subject.say(f" (not waited for: {self.look_once[0]})", f" (기다리지 않음: {self.look_once[1]})")
        return subject.say(f" after {seconds:g} s", f" ({seconds:g}초 기다림)") if seconds else ""


class Clock:
    """Elapsed seconds since it was made (monotonic)."""

    def __init__(self) -> None:
        self.start = time.monotonic()

    def __call__(self) -> float:
        return time.monotonic() - self.start
