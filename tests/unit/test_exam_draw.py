"""The stratified draw: weights respected within one task, no repeats, the same seed the same paper, over many seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from exercises.exam_model import ExamSpec
from exercises.exams import Exam, ExamError, apportion, apportion_capped, draw_paper, load_exams, pack_exercises
from exercises.loader import Pack, load_catalog
from exercises.model import Exercise, PackMeta

SEEDS = range(300)


def _exercise(i: int, domain: str, difficulty: str = "core", live: str | None = None) -> Exercise:
    data = {"id": f"ex-{i:03d}", "kind": "quiz", "title": {"en": "t", "ko": "t"}, "task": {"en": "t", "ko": "t"},
            "domain": domain, "difficulty": difficulty, "weight": 1 + i % 4, "solution": "a",
            "quiz": {"style": "single", "options": [{"id": "a", "text": {"en": "a", "ko": "a"}}, {"id": "b", "text": {"en": "b", "ko": "b"}}], "answer": ["a"]}}
    if live:
        data["live"] = {"mode": live}
    return Exercise.model_validate(data)


def _pool() -> list[Exercise]:
    domains = ["troubleshooting"] * 9 + ["cluster-architecture"] * 8 + ["services-networking"] * 7 + ["workloads-scheduling"] * 6 + ["storage"] * 5
    levels = ["quick", "core", "deep"]
    return [_exercise(i, d, levels[i % 3], "only" if i % 11 == 0 else ("optional" if i % 5 == 0 else None)) for i, d in enumerate(domains)]


def _exam(**fields) -> Exam:
    spec = ExamSpec.model_validate({"id": "mock", "title": {"en": "m", "ko": "m"}, "duration_minutes": 120, **fields})
    pack = Pack(PackMeta.model_validate({"id": "test", "title": {"en": "t", "ko": "t"}, "version": "1"}), Path("."), {})
    return Exam(spec, pack, Path("mock.yaml"))


def test_apportion_is_within_one_of_the_quota_and_sums_to_the_total():
    weights = {"a": 30, "b": 25, "c": 20, "d": 15, "e": 10}
    for total in range(0, 41):
        shares = apportion(total, weights)
        assert sum(shares.values()) == total
        for key, weight in weights.items():
            assert abs(shares[key] - total * weight / 100) < 1


def test_apportion_capped_moves_what_a_full_domain_cannot_take():
    shares = apportion_capped(10, {"a": 80, "b": 20}, {"a": 3, "b": 10})
    assert shares == {"a": 3, "b": 7}


@pytest.mark.parametrize("tasks", [5, 6, 17, 20])
def test_draw_respects_domain_weights_within_one_task_over_many_seeds(tasks):
    exam, pool = _exam(tasks=tasks), _pool()
    weights = exam.spec.domain_weights()
    for seed in SEEDS:
        paper = draw_paper(exam, pool, seed)
        ids = [t.exercise_id for t in paper.tasks]
        assert len(ids) == tasks and len(set(ids)) == tasks, seed
        for domain, weight in weights.items():
            got = sum(1 for t in paper.tasks if t.domain == domain)
            assert abs(got - tasks * weight / sum(weights.values())) < 1, (seed, domain, got)
        assert not any(t.live for t in paper.tasks)
        assert all(next(e for e in pool if e.id == i).offline for i in ids), "an offline exam drew a live-only exercise"
        assert [t.number for t in paper.tasks] == list(range(1, tasks + 1))


def test_same_seed_same_paper_and_seeds_differ():
    exam, pool = _exam(tasks=17), _pool()
    papers = {seed: draw_paper(exam, pool, seed) for seed in SEEDS}
    assert all(draw_paper(exam, list(reversed(pool)), seed) == papers[seed] for seed in SEEDS)
    assert len({tuple(t.exercise_id for t in p.tasks) for p in papers.values()}) > len(SEEDS) * 0.9


def test_every_exercise_is_drawn_sometime():
    exam, pool = _exam(tasks=17), _pool()
    drawn = {t.exercise_id for seed in SEEDS for t in draw_paper(exam, pool, seed).tasks}
    assert drawn == {e.id for e in pool if e.offline}


def test_difficulty_mix_is_kept_where_the_pack_has_enough():
    exam, pool = _exam(tasks=10, difficulty={"quick": 1, "core": 1}), _pool()
    for seed in range(100):
        levels = [t.difficulty for t in draw_paper(exam, pool, seed).tasks]
        assert levels.count("deep") == 0, seed


def test_live_tasks_are_drawn_from_exercises_with_a_live_section():
    exam, pool = _exam(tasks=17, live_tasks=3), _pool()
    by_id = {e.id: e for e in pool}
    for seed in range(100):
        paper = draw_paper(exam, pool, seed)
        live = [t for t in paper.tasks if t.live]
        assert all(by_id[t.exercise_id].live is not None for t in live)
        assert all(t.live for t in paper.tasks if by_id[t.exercise_id].live_only)
        capable = sum(1 for t in paper.tasks if by_id[t.exercise_id].live is not None)
        assert len(live) >= min(3, capable)


def test_a_pack_too_small_is_an_error_not_a_short_paper():
    with pytest.raises(ExamError, match="only"):
        draw_paper(_exam(tasks=40), _pool(), 1)


def test_fixed_exam_keeps_its_order_and_points():
    pool = _pool()
    exam = _exam(fixed=[{"exercise": "ex-003", "points": 7}, {"exercise": "ex-001"}])
    paper = draw_paper(exam, pool, 5)
    assert [(t.exercise_id, t.points) for t in paper.tasks] == [("ex-003", 7), ("ex-001", pool[1].weight)]
    with pytest.raises(ExamError, match="ex-999"):
        draw_paper(_exam(fixed=[{"exercise": "ex-999"}]), pool, 5)


def test_bundled_mocks_draw_from_whatever_the_pack_holds():
    catalog = load_catalog(user=False)
    exams, problems = load_exams(catalog)
    assert not problems
    keys = {e.key: e for e in exams}
    full, short = keys["cka-core/cka-mock"], keys["cka-core/cka-short"]
    assert (full.spec.tasks, full.spec.duration_minutes, short.spec.tasks, short.spec.duration_minutes) == (17, 120, 6, 30)
    exercises = pack_exercises(catalog, full.pack)
    for seed in range(50):
        paper = draw_paper(full, exercises, seed)
        assert len({t.exercise_id for t in paper.tasks}) == 17
        assert {t.exercise_id for t in paper.tasks} <= {e.id for e in exercises}


def test_lint_finds_a_problem_only_some_draws_meet():
    """Live-only exercises are drawn live whatever `live_tasks` says: a draw with more of them than allowed is a lint problem."""
    from exercises.exam_lint import lint_exam

    pool = _pool()
    assert sum(1 for e in pool if e.live_only) >= 2
    problems = [p.message for p in lint_exam(_exam(tasks=17, live_tasks=1), pool)]
    assert any("live task(s) but live_tasks is 1" in m for m in problems), problems
    assert not any("live_tasks is" in p.message and "draw has" in p.message for p in lint_exam(_exam(tasks=17, live_tasks=17), pool))
