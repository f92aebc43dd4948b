"""Grading a mock exam: every task by the same graders as study mode, scored by points with partial credit."""

from __future__ import annotations

import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from exercises.exams import Paper, PaperTask
from exercises.model import DOMAINS, Exercise
from graders.report import AnswerError, GradeReport, unusable

LiveGrader = Callable[[Exercise, threading.Event], GradeReport]
"""Grades one exercise on the practice cluster (graders.practice.Practice.check, or a fake in tests); the event is set
when the exam's grading deadline passes, and every wait of the grader then ends (LiveView.stop)."""
Progress = Callable[[int, int], None]
"""Called with (tasks graded, tasks in all) as grading goes on, from any thread."""
MAX_LIVE_WORKERS = 32
"""Live tasks graded at once: every task of a paper (17 at most in the bundled exams), so none waits for another."""
DEADLINE_GRACE = 15.0
"""Seconds the live grading may take beyond its longest check's own timeout (connecting, reading the objects)."""
STOP_GRACE = 7.0
"""Seconds a live task has, once the deadline is past and its waits are told to stop, to hand in what it saw (a watch
segment, graders.cluster_base.WATCH_SEGMENT, and a read)."""


def _say(lang: str, en: str, ko: str) -> str:
    return ko if lang == "ko" else en


@dataclass(frozen=True)
class CheckScore:
    """One check of a graded task, with what it was worth and what it earned."""

    check_id: str
    status: str
    message: str
    points: int
    earned: int

    def to_json(self) -> dict[str, Any]:
        return {"id": self.check_id, "status": self.status, "message": self.message, "points": self.points, "earned": self.earned}


@dataclass(frozen=True)
class TaskScore:
    """One task's outcome: the share of its points its passing checks earn."""

    number: int
    exercise_id: str
    domain: str
    points: int
    earned: float
    answered: bool
    live: bool
    checks: tuple[CheckScore, ...] = ()
    errors: tuple[str, ...] = ()
    seconds: float = 0.0
    """Time spent on the task (its answer editor open), in seconds."""

    @property
    def full(self) -> bool:
        return self.earned >= self.points

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "exercise": self.exercise_id, "domain": self.domain, "points": self.points,
                "earned": round(self.earned, 3), "answered": self.answered, "live": self.live, "seconds": round(self.seconds, 1),
                "checks": [c.to_json() for c in self.checks], "errors": list(self.errors)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "TaskScore":
        checks = tuple(CheckScore(str(c["id"]), str(c["status"]), str(c["message"]), int(c["points"]), int(c["earned"]))
                       for c in data.get("checks", []))
        return cls(int(data["number"]), str(data["exercise"]), str(data["domain"]), int(data["points"]), float(data["earned"]),
                   bool(data["answered"]), bool(data.get("live", False)), checks, tuple(map(str, data.get("errors", []))),
                   float(data.get("seconds", 0.0)))


@dataclass(frozen=True)
class DomainScore:
    domain: str
    earned: float
    possible: int

    @property
    def percent(self) -> float:
        return 100.0 * self.earned / self.possible if self.possible else 0.0


@dataclass(frozen=True)
class ExamResult:
    """A graded attempt: score, pass or fail against the mark, by domain and by task."""

    exam_key: str
    pass_mark: int
    tasks: tuple[TaskScore, ...]
    seed: int = 0
    domains: tuple[DomainScore, ...] = field(default=())

    @property
    def possible(self) -> int:
        return sum(t.points for t in self.tasks)

    @property
    def earned(self) -> float:
        return sum(t.earned for t in self.tasks)

    @property
    def percent(self) -> float:
        return 100.0 * self.earned / self.possible if self.possible else 0.0

    @property
    def passed(self) -> bool:
        return self.percent + 1e-9 >= self.pass_mark

    def weakest_first(self) -> list[DomainScore]:
        return sorted(self.domains, key=lambda d: (d.percent, DOMAINS.index(d.domain) if d.domain in DOMAINS else 99))

    def to_json(self) -> dict[str, Any]:
        return {"exam": self.exam_key, "seed": self.seed, "score": round(self.earned, 3), "max_score": self.possible,
                "percent": round(self.percent, 1), "pass_mark": self.pass_mark, "passed": self.passed,
                "domains": [{"domain": d.domain, "earned": round(d.earned, 3), "possible": d.possible,
                             "percent": round(d.percent, 1)} for d in self.weakest_first()],
                "tasks": [t.to_json() for t in self.tasks]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ExamResult":
        tasks = tuple(TaskScore.from_json(t) for t in data["tasks"])
        return with_domains(cls(str(data["exam"]), int(data["pass_mark"]), tasks, int(data.get("seed", 0))))


def with_domains(result: ExamResult) -> ExamResult:
    """The result with its per-domain totals filled in from its tasks."""
    totals: dict[str, list[float]] = {}
    for task in result.tasks:
        earned, possible = totals.setdefault(task.domain, [0.0, 0])
        totals[task.domain] = [earned + task.earned, possible + task.points]
    domains = tuple(DomainScore(d, e, int(p)) for d, (e, p) in totals.items())
    return ExamResult(result.exam_key, result.pass_mark, result.tasks, result.seed, domains)


def check_points(exercise: Exercise) -> dict[str, int]:
    return {c.id: c.points for c in exercise.all_checks()}


def score_task(task: PaperTask, exercise: Exercise, report: GradeReport | None, lang: str = "en", seconds: float = 0.0) -> TaskScore:
    """Points earned: the task's points times the share of check points that pass; nothing for an unusable answer.

    Checks that could not run here (a live-only check offline: `skip`) neither count for nor against the task.
    """
    if report is None:
        message = _say(lang, "not answered", "답하지 않음")
        checks = tuple(CheckScore(c.id, "fail", message, c.points, 0) for c in exercise.checks) or (CheckScore("answer", "fail", message, 1, 0),)
        return TaskScore(task.number, task.exercise_id, task.domain, task.points, 0.0, False, task.live, checks, (), seconds)
    worth = check_points(exercise)
    checks = tuple(CheckScore(r.check_id, r.status, r.message, worth.get(r.check_id, 1),
                              worth.get(r.check_id, 1) if r.passed and report.usable else 0) for r in report.results)
    counted = [c for c in checks if c.status != "skip"]
    possible = sum(c.points for c in counted)
    share = sum(c.earned for c in counted) / possible if possible and report.usable else 0.0
    errors = tuple(e.message for e in report.errors)
    return TaskScore(task.number, task.exercise_id, task.domain, task.points, task.points * share, True, task.live, checks, errors, seconds)


def _offline_report(exercise: Exercise, answer: str | None, lang: str) -> GradeReport | None:
    from graders.grade import grade

    if answer is None or not answer.strip():
        return None
    return grade(exercise, answer, lang)


def live_deadline(paper: Paper, exercises: Mapping[str, Exercise]) -> float:
    """Seconds the live tasks of `paper` may take together: the longest timeout of their checks, plus DEADLINE_GRACE.
    They run side by side, so this is also what one of them may take alone."""
    longest = max((float(getattr(c, "timeout_seconds", 0) or 0) for t in paper.tasks if t.live and (e := exercises.get(t.exercise_id))
                   for c in e.all_checks()), default=0.0)
    return longest + DEADLINE_GRACE


def grade_paper(
    paper: Paper,
    exercises: Mapping[str, Exercise],
    answers: Mapping[int, str],
    *,
    pass_mark: int,
    live: LiveGrader | None = None,
    lang: str = "en",
    seconds: Mapping[int, float] | None = None,
    progress: Progress | None = None,
    deadline: float | None = None,
) -> ExamResult:
    """Grade every task: offline ones here, live ones against the cluster all at once, under one deadline (seconds,
    default `live_deadline`). At the deadline the live graders are told to stop waiting and hand in what they saw; a
    task that still has no verdict STOP_GRACE later scores 0, saying so. Never raises for an answer."""
    seconds = seconds or {}
    total = len(paper.tasks)
    done = 0
    scores: dict[int, TaskScore] = {}

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    def score(task: PaperTask, exercise: Exercise, report: GradeReport | None) -> None:
        scores[task.number] = score_task(task, exercise, report, lang, seconds.get(task.number, 0.0))
        tick()

    live_tasks = [t for t in paper.tasks if t.live and t.exercise_id in exercises]
    budget = live_deadline(paper, exercises) if deadline is None else deadline
    ends_at = time.monotonic() + budget
    stop = threading.Event()
    pool = ThreadPoolExecutor(max_workers=min(MAX_LIVE_WORKERS, len(live_tasks)), thread_name_prefix="kubedojo-exam-live") \
        if live_tasks and live is not None else None
    futures: dict[Future[GradeReport], PaperTask] = {}
    for task in live_tasks:
        if pool is not None and live is not None:
            futures[pool.submit(_live_report, live, exercises[task.exercise_id], stop, lang)] = task
        else:
            score(task, exercises[task.exercise_id], unusable(task.exercise_id, AnswerError(_say(
                lang, "a live task, and no cluster to grade it on", "실습 클러스터가 없어 채점할 수 없는 라이브 문제입니다")), mode="live"))
    try:
        for task in paper.tasks:
            exercise = exercises.get(task.exercise_id)
            if exercise is None:
                scores[task.number] = _missing(task, lang, seconds.get(task.number, 0.0))
                tick()
            elif not task.live:
                score(task, exercise, _offline_report(exercise, answers.get(task.number), lang))
        pending = set(futures)
        while pending:
            now = time.monotonic()
            if now >= ends_at + STOP_GRACE:
                break
            if now >= ends_at:
                stop.set()  # every wait ends within a watch segment; what each check saw is its verdict
            finished, pending = wait(pending, timeout=(ends_at if now < ends_at else ends_at + STOP_GRACE) - now,
                                     return_when=FIRST_COMPLETED)
            for future in finished:
                task = futures[future]
                score(task, exercises[task.exercise_id], future.result())
        for future in pending:
            task = futures[future]
            score(task, exercises[task.exercise_id], unusable(task.exercise_id, AnswerError(_say(
                lang, f"the cluster gave no verdict within the exam's grading deadline ({budget:.0f} s)",
                f"시험 채점 시한({budget:.0f}초) 안에 클러스터의 판정을 받지 못했습니다")), mode="live"))
    finally:
        stop.set()
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)  # a grader stuck past the deadline is not waited for
    result = ExamResult(paper.exam_key, pass_mark, tuple(scores[t.number] for t in paper.tasks), paper.seed)
    return with_domains(result)


def _live_report(live: LiveGrader, exercise: Exercise, stop: threading.Event, lang: str) -> GradeReport:
    """The cluster's verdict; a grader that raises is the task's error, never the exam's crash."""
    try:
        return live(exercise, stop)
    except Exception as err:  # noqa: BLE001 - one task's cluster trouble must not lose the other tasks' grades
        return unusable(exercise.id, AnswerError(_say(lang, f"the cluster could not be graded: {err}",
                                                      f"클러스터를 채점할 수 없습니다: {err}")), mode="live")


def _missing(task: PaperTask, lang: str, seconds: float) -> TaskScore:
    why = _say(lang, f"exercise {task.exercise_id} is no longer in the pack (or does not load)",
               f"연습 문제 {task.exercise_id}이(가) 팩에 없거나 불러올 수 없습니다")
    return TaskScore(task.number, task.exercise_id, task.domain, task.points, 0.0, False, task.live, (), (why,), seconds)


def replace_errors(result: ExamResult, errors: Mapping[int, str]) -> ExamResult:
    """The result with these tasks scored 0 for these reasons (an answer file that could not be read)."""
    if not errors:
        return result
    from dataclasses import replace

    tasks = tuple(replace(t, earned=0.0, answered=False, errors=(errors[t.number],)) if t.number in errors else t for t in result.tasks)
    return with_domains(replace(result, tasks=tasks))
