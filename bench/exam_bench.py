"""How long grading a mock takes: `python bench/exam_bench.py [ROUNDS]` grades full offline mocks in-process;
`python bench/exam_bench.py --live` grades a mixed mock on the test cluster (tests/cluster/README.md: start it with
`KUBEDOJO_TESTCLUSTER_NODES=kwok python -m tests.cluster.controlplane up`). It prints figures and asserts nothing."""

from __future__ import annotations

import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from exercises.exams import Paper, PaperTask, draw_paper, find_exam, load_exams, pack_exercises  # noqa: E402
from exercises.loader import load_catalog  # noqa: E402
from graders.exam_grade import grade_paper  # noqa: E402

LIVE_TASKS = ("svc-clusterip", "storage-pvc-bind", "rbac-role-binding", "deploy-create", "trouble-image-typo", "net-default-deny")
"""Live exercises from every domain whose checks kwok's nodes can answer (no exec, no restarts, no node faults)."""


def _mock():
    catalog = load_catalog(user=False)
    exams, _ = load_exams(catalog)
    exam = find_exam(exams, "cka-mock")
    return exam, {e.id: e for e in pack_exercises(catalog, exam.pack)}


def offline(rounds: int) -> None:
    exam, exercises = _mock()
    warm = draw_paper(exam, list(exercises.values()), 0)
    grade_paper(warm, exercises, {t.number: exercises[t.exercise_id].solution for t in warm.tasks}, pass_mark=66)  # imports, schemas
    times, scores = [], []
    for seed in range(1, rounds + 1):
        paper = draw_paper(exam, list(exercises.values()), seed)
        answers = {t.number: exercises[t.exercise_id].solution for t in paper.tasks}
        start = time.perf_counter()
        result = grade_paper(paper, exercises, answers, pass_mark=exam.spec.pass_mark)
        times.append(time.perf_counter() - start)
        scores.append(result.percent)
    print(f"grading a full offline mock ({len(paper.tasks)} tasks, solutions as answers), {rounds} papers:")
    print(f"  median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms, min {min(times) * 1000:.0f} ms; "
          f"scores {min(scores):.0f}-{max(scores):.0f} %")


def mixed_paper(exam, exercises) -> Paper:
    """The cka-mock's draw with its first tasks swapped for the live ones (17 tasks, 6 of them live)."""
    drawn = [t for t in draw_paper(exam, list(exercises.values()), 1).tasks if t.exercise_id not in LIVE_TASKS]
    live = [PaperTask(0, i, exercises[i].domain, exercises[i].difficulty, exercises[i].weight, True) for i in LIVE_TASKS]
    tasks = [*live, *drawn][: len(drawn)]
    return Paper(exam.key, 1, tuple(PaperTask(n, t.exercise_id, t.domain, t.difficulty, t.points, t.live) for n, t in enumerate(tasks, 1)))


def live() -> None:
    from graders.cluster import connect
    from graders.practice import Practice
    from tests.cluster.controlplane import ControlPlane
    from tests.cluster.test_live_bundled import user_apply

    plane = ControlPlane()
    if not plane.state_dir.joinpath("cluster.json").is_file() or not plane.is_up():
        print(f"no test cluster is up in {plane.state_dir}: start it with "
              "`KUBEDOJO_TESTCLUSTER_NODES=kwok python -m tests.cluster.controlplane up`", file=sys.stderr)
        sys.exit(2)
    exam, exercises = _mock()
    paper = mixed_paper(exam, exercises)
    practice = Practice(plane.context, str(plane.kubeconfig))
    live_tasks = [t for t in paper.tasks if t.live]
    print(f"a mixed mock on the test cluster ({plane.context}, nodes: {'real' if plane.real_nodes else 'kwok'}): "
          f"{len(paper.tasks)} tasks, {len(live_tasks)} live")
    for task in live_tasks:
        practice.reset(exercises[task.exercise_id])
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:  # as the exam screen does before the clock starts
        done = list(pool.map(lambda t: practice.setup(exercises[t.exercise_id]), live_tasks))
    setup_seconds = time.perf_counter() - start
    failed = [d.exercise_id + ": " + d.summary() for d in done if not d.ok]
    print(f"  setup of the live tasks, side by side: {setup_seconds:.2f} s" + (f"; not set up: {failed}" if failed else ""))
    kube = connect(plane.context, str(plane.kubeconfig))
    from graders.live import exercise_namespace

    for task in live_tasks:  # the candidate's answers: the reference solutions, applied as kubectl apply would
        exercise = exercises[task.exercise_id]
        user_apply(kube, exercise.solution, exercise_namespace(exercise))
    answers = {t.number: exercises[t.exercise_id].solution for t in paper.tasks if not t.live}
    start = time.perf_counter()
    result = grade_paper(paper, exercises, answers, pass_mark=exam.spec.pass_mark, live=lambda e: practice.check(e))
    seconds = time.perf_counter() - start
    print(f"  grading after the last answer: {seconds:.2f} s (aim: under 5 s); score {result.percent:.1f} %")
    for task in result.tasks:
        if task.live:
            failing = [c.check_id for c in task.checks if c.status != "pass"] + list(task.errors)
            print(f"    live {task.number:>2}. {task.exercise_id:<22} {task.earned:.2f}/{task.points}" + (f"  not passing: {failing}" if failing else ""))
    for task in live_tasks:
        practice.reset(exercises[task.exercise_id])


if __name__ == "__main__":
    if "--live" in sys.argv[1:]:
        live()
    else:
        offline(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
