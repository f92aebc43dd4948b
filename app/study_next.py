"""What to practise next: the Leitner schedule, steered toward the weakest domain of the last recent mock exam."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

UNPASSED = ("failed", "new")
"""The statuses of an exercise of the weak domain that "next" may steer to: not passed yet."""
LOOK_TIMEOUT = 1.0
"""How long "next" waits for an exam database another program holds locked; then the schedule alone chooses, and says so."""


@dataclass(frozen=True)
class Recommendation:
    """The exercise to open next, and the mock-exam domain that chose it (None: the schedule alone did)."""

    exercise_id: str | None
    domain: str | None = None
    percent: float | None = None
    attempt_id: str | None = None
    notices: tuple[str, ...] = ()
    """What the exam database said while it was read (locked, damaged and moved aside): for the app and the CLI to show."""

    def reason(self, lang: str = "en") -> str:
        """Why this one, in a line ("weakest in your last mock: Troubleshooting 40%"); empty when the schedule chose it."""
        if self.domain is None or self.percent is None:
            return ""
        from app.exam_export import domain_title, say

        title, share = domain_title(self.domain, lang), f"{self.percent:.0f}%"
        return say(lang, f"weakest in your last mock: {title} {share}", f"지난 모의시험에서 가장 약한 영역: {title} {share}")

    def to_json(self) -> dict[str, Any] | None:
        if self.domain is None:
            return None
        return {"domain": self.domain, "percent": self.percent, "attempt": self.attempt_id}


def last_mock_weakness(path: Path | None = None, now: float | None = None, timeout: float | None = None,
                       lang: str = "en") -> tuple[tuple[Any, str, float] | None, tuple[str, ...]]:
    """((the last recent mock, its weakest domain, that domain's percent) or None, what the exam database said).

    None: no exam file (none is made), no recent exam-mode attempt, nothing below 100 %, or a file another program
    holds locked for longer than `timeout` (LOOK_TIMEOUT): the notices then say why the mock did not steer."""
    from app.exam_export import say
    from app.exam_store import ExamStore, default_path

    path = Path(path) if path is not None else default_path()
    if not path.is_file():
        return None, ()
    store = ExamStore(path, busy_timeout=LOOK_TIMEOUT if timeout is None else timeout)
    try:
        entry = store.last_mock(now) if store.state != "busy" else None
    finally:
        store.close()
    notices = tuple(store.notices)
    if store.state == "busy":  # the store's own notice speaks of answers kept in memory; a look writes none
        notices = (say(lang, f"{path} is locked by another program: “next” follows the study schedule alone this time, "
                             "not your last mock exam",
                       f"{path} 파일을 다른 프로그램이 잠그고 있습니다: 이번에는 지난 모의시험이 아니라 학습 일정대로 다음 문제를 고릅니다"),)
    weakest = entry.weakest() if entry is not None else None
    if entry is None or weakest is None or weakest[1] >= 100.0:
        return None, notices
    return (entry, weakest[0], weakest[1]), notices


def recommend(store: Any, exercises: Sequence[Any], exclude: str | None = None, exam_path: Path | None = None,
              now: float | None = None, lang: str = "en") -> Recommendation:
    """The schedule's pick (failed, due, new, the rest), unless the last exam-mode mock (recent, see
    app.exam_store.RECENT_DAYS) has a weakest domain with an exercise not passed yet: then the schedule's pick
    among those. Training attempts never steer. It reads SQLite and may wait LOOK_TIMEOUT: the app calls it in a worker."""
    ids = [e.id for e in exercises]
    weakness, notices = last_mock_weakness(exam_path, now, lang=lang)
    if weakness is not None:
        entry, domain, percent = weakness
        in_domain = [e.id for e in exercises if e.domain == domain and e.id != exclude]
        progress = store.all_progress(in_domain)
        open_ones = [i for i in in_domain if progress[i].status in UNPASSED]
        if open_ones:
            return Recommendation(store.next_exercise(open_ones), domain, percent, entry.attempt_id, notices)
    return Recommendation(store.next_exercise(ids, exclude=exclude), notices=notices)
