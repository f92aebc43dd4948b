"""Mock exams of a pack: loading `exams/*.yaml`, and drawing a paper (seeded, stratified by domain weight)."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from pydantic import ValidationError

from exercises.exam_model import ExamSpec
from exercises.loader import Catalog, Pack, PackProblem, _read_yaml, _validation_problems, line_of
from exercises.model import Exercise

EXAMS_DIR = "exams"


class ExamError(Exception):
    """An exam that cannot be sat as written (too few exercises, an unknown task ...); the message says why."""


@dataclass(frozen=True)
class Exam:
    """An exam definition with the pack it belongs to."""

    spec: ExamSpec
    pack: Pack
    path: Path

    @property
    def key(self) -> str:
        """How the CLI names it: `<pack>/<exam>`."""
        return f"{self.pack.meta.id}/{self.spec.id}"


@dataclass(frozen=True)
class PaperTask:
    """One task of a drawn paper."""

    number: int
    exercise_id: str
    domain: str
    difficulty: str
    points: int
    live: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "exercise": self.exercise_id, "domain": self.domain,
                "difficulty": self.difficulty, "points": self.points, "live": self.live}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PaperTask":
        return cls(int(data["number"]), str(data["exercise"]), str(data["domain"]), str(data["difficulty"]),
                   int(data["points"]), bool(data.get("live", False)))


@dataclass(frozen=True)
class Paper:
    """The tasks one attempt sits: the same exam and seed over the same exercises give the same paper."""

    exam_key: str
    seed: int
    tasks: tuple[PaperTask, ...]

    @property
    def total_points(self) -> int:
        return sum(t.points for t in self.tasks)

    def task(self, number: int) -> PaperTask:
        return self.tasks[number - 1]

    def to_json(self) -> dict[str, Any]:
        return {"exam": self.exam_key, "seed": self.seed, "tasks": [t.to_json() for t in self.tasks]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Paper":
        return cls(str(data["exam"]), int(data["seed"]), tuple(PaperTask.from_json(t) for t in data["tasks"]))


# --- loading ---------------------------------------------------------------------------------


def exam_files(pack: Pack) -> list[Path]:
    folder = pack.path / EXAMS_DIR
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))


def load_exam(path: Path, pack: Pack) -> tuple[Exam | None, list[PackProblem]]:
    """One exam file -> the exam, or its problems with their lines (read as safely as the exercises)."""
    data, problems = _read_yaml(path)
    if problems:
        return None, problems
    try:
        spec = ExamSpec.model_validate(data)
    except ValidationError as err:
        return None, _validation_problems(path, err)
    if spec.id != path.stem:
        return None, [PackProblem(str(path), f"exam id {spec.id!r} must match its file name ({path.stem}.yaml)",
                                  line=line_of(path, ("id",)))]
    return Exam(spec, pack, path), []


def load_exams(catalog: Catalog) -> tuple[list[Exam], list[PackProblem]]:
    """Every exam of every pack of the catalog, and what is wrong with the ones that do not load."""
    exams: list[Exam] = []
    problems: list[PackProblem] = []
    for pack in catalog.packs:
        for path in exam_files(pack):
            exam, found = load_exam(path, pack)
            problems.extend(found)
            if exam is not None:
                exams.append(exam)
    return exams, problems


def find_exam(exams: Sequence[Exam], name: str) -> Exam | None:
    """An exam by `pack/exam`, or by its own id when only one pack has an exam of that id."""
    by_key = [e for e in exams if e.key == name]
    if by_key:
        return by_key[-1]
    by_id = [e for e in exams if e.spec.id == name]
    return by_id[-1] if len(by_id) == 1 else None


def pack_exercises(catalog: Catalog, pack: Pack) -> list[Exercise]:
    """The exercises of one pack that load (a broken one is never drawn), by id."""
    found = [catalog.get(i) for i in sorted(pack.exercise_files) if catalog.pack_of(i) is pack]
    return [e for e in found if e is not None]


# --- the draw --------------------------------------------------------------------------------


def apportion(total: int, weights: dict[str, float]) -> dict[str, int]:
    """`total` split by weight, largest remainders first: each share is within one of its exact quota."""
    positive = {k: w for k, w in weights.items() if w > 0}
    whole = sum(positive.values())
    if total <= 0 or not whole:
        return {k: 0 for k in weights}
    exact = {k: total * w / whole for k, w in positive.items()}
    shares = {k: int(q) for k, q in exact.items()}
    order = sorted(positive, key=lambda k: (-(exact[k] - shares[k]), list(positive).index(k)))
    for k in order[: total - sum(shares.values())]:
        shares[k] += 1
    return {k: shares.get(k, 0) for k in weights}


def apportion_capped(total: int, weights: dict[str, float], capacity: dict[str, int]) -> dict[str, int]:
    """Like `apportion`, but no share above its capacity; what a full one cannot take goes to the others by weight."""
    shares = {k: 0 for k in weights}
    open_keys = {k for k in weights if weights[k] > 0 and capacity.get(k, 0) > 0}
    left = total
    while left > 0 and open_keys:
        extra = apportion(left, {k: weights[k] for k in weights if k in open_keys})
        for k, n in extra.items():
            take = min(n, capacity[k] - shares[k])
            shares[k] += take
            left -= take
        open_keys = {k for k in open_keys if shares[k] < capacity[k]}
    return shares


def drawable(spec: ExamSpec, exercises: Iterable[Exercise]) -> list[Exercise]:
    """The exercises a draw may pick: not excluded, in a weighted domain, offline unless the exam has live tasks."""
    weights = spec.domain_weights()
    return sorted((e for e in exercises if e.id not in spec.exclude and e.domain in weights
                   and (spec.live_tasks > 0 or e.offline)), key=lambda e: e.id)


def new_seed() -> int:
    return secrets.randbits(31)


def draw_paper(exam: Exam, exercises: Sequence[Exercise], seed: int | None = None) -> Paper:
    """The paper of one attempt. Raises ExamError when the pack cannot fill it."""
    spec = exam.spec
    seed = spec.seed if spec.seed is not None else (seed if seed is not None else new_seed())
    if spec.fixed:
        return _fixed_paper(exam, exercises, seed)
    pool = drawable(spec, exercises)
    wanted = spec.tasks or 0
    if len(pool) < wanted:
        raise ExamError(f"exam {exam.key} draws {wanted} tasks, but its pack has only {len(pool)} exercise(s) it may draw")
    rng = random.Random(f"{exam.key}:{seed}")  # str seeds hash the same on every run and platform
    by_domain: dict[str, list[Exercise]] = {}
    for exercise in pool:
        by_domain.setdefault(exercise.domain, []).append(exercise)
    weights = {d: float(w) for d, w in spec.domain_weights().items()}
    counts = apportion_capped(wanted, weights, {d: len(by_domain.get(d, [])) for d in weights})
    chosen: list[Exercise] = []
    for domain in weights:
        chosen.extend(_draw_domain(by_domain.get(domain, []), counts[domain], spec, rng))
    live = _live_choice(chosen, spec.live_tasks, rng)
    rng.shuffle(chosen)
    tasks = tuple(PaperTask(n, e.id, e.domain, e.difficulty, e.weight, e.id in live) for n, e in enumerate(chosen, 1))
    return Paper(exam.key, seed, tasks)


def _draw_domain(candidates: list[Exercise], count: int, spec: ExamSpec, rng: random.Random) -> list[Exercise]:
    if not spec.difficulty:
        return rng.sample(candidates, count)
    by_level: dict[str, list[Exercise]] = {}
    for exercise in candidates:
        by_level.setdefault(exercise.difficulty, []).append(exercise)
    levels = {d: float(w) for d, w in spec.difficulty.items() if w > 0}
    shares = apportion_capped(count, levels, {d: len(by_level.get(d, [])) for d in levels})
    picked: list[Exercise] = []
    for level, n in shares.items():
        picked.extend(rng.sample(by_level.get(level, []), n))
    taken = {e.id for e in picked}
    rest = [e for e in candidates if e.id not in taken]  # the mix asked for more than the pack has: any difficulty
    picked.extend(rng.sample(rest, count - len(picked)))
    return picked


def _live_choice(chosen: list[Exercise], live_tasks: int, rng: random.Random) -> set[str]:
    must = [e.id for e in chosen if e.live_only]
    may = sorted(e.id for e in chosen if e.live is not None and not e.live_only)
    extra = max(0, min(live_tasks - len(must), len(may)))
    return set(must) | set(rng.sample(may, extra))


def _fixed_paper(exam: Exam, exercises: Sequence[Exercise], seed: int) -> Paper:
    known = {e.id: e for e in exercises}
    missing = [t.exercise for t in exam.spec.fixed if t.exercise not in known]
    if missing:
        raise ExamError(f"exam {exam.key} lists exercise(s) its pack does not have (or that do not load): {', '.join(missing)}")
    tasks = []
    for n, fixed in enumerate(exam.spec.fixed, 1):
        exercise = known[fixed.exercise]
        if fixed.live and exercise.live is None:
            raise ExamError(f"exam {exam.key}: task {n} ({exercise.id}) is live, but the exercise has no `live` section")
        tasks.append(PaperTask(n, exercise.id, exercise.domain, exercise.difficulty, fixed.points or exercise.weight,
                               fixed.live or exercise.live_only))
    return Paper(exam.key, seed, tuple(tasks))
