"""How long grading a mock takes: `python bench/exam_bench.py [ROUNDS]` grades full offline mocks in-process;
`python bench/exam_bench.py --live [ROUNDS]` sets up and grades a mixed mock on the test cluster (tests/cluster/README.md: start it with
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
    paper = draw_paper(exam, list(exercises.values()), 1)
    drawn = [t for t in paper.tasks if t.exercise_id not in LIVE_TASKS]
    live = [PaperTask(0, i, exercises[i].domain, exercises[i].difficulty, exercises[i].weight, True) for i in LIVE_TASKS]
    tasks = [*live, *drawn][: len(paper.tasks)]
    return Paper(exam.key, 1, tuple(PaperTask(n, t.exercise_id, t.domain, t.difficulty, t.points, t.live) for n, t in enumerate(tasks, 1)))


def live(rounds: int) -> None:
    from graders.cluster import connect
    from graders.live import exercise_namespace
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
    kube = connect(plane.context, str(plane.kubeconfig))
    live_tasks = [t for t in paper.tasks if t.live]
    answers = {t.number: exercises[t.exercise_id].solution for t in paper.tasks if not t.live}
    print(f"a mixed mock on the test cluster ({plane.context}, nodes: {'real' if plane.real_nodes else 'kwok'}): "
          f"{len(paper.tasks)} tasks, {len(live_tasks)} live, {rounds} round(s)")
    setups, gradings = [], []
    for _ in range(rounds):
        for task in live_tasks:
            practice.reset(exercises[task.exercise_id])
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=8) as pool:  # as the exam screen does before the clock starts
            done = list(pool.map(lambda t: practice.setup(exercises[t.exercise_id]), live_tasks))
        setups.append(time.perf_counter() - start)
        failed = [d.exercise_id + ": " + d.summary() for d in done if not d.ok]
        for task in live_tasks:  # the candidate's answers: the reference solutions, applied as kubectl apply would
            exercise = exercises[task.exercise_id]
            user_apply(kube, exercise.solution, exercise_namespace(exercise))
        took: dict[str, float] = {}

        def check(exercise, deadline, took=took):
            began = time.perf_counter()
            try:
                return practice.check(exercise, deadline=deadline)
            finally:
                took[exercise.id] = time.perf_counter() - began

        start = time.perf_counter()
        result = grade_paper(paper, exercises, answers, pass_mark=exam.spec.pass_mark, live=check)
        gradings.append(time.perf_counter() - start)
        slowest = max(took, key=took.get)
        wrong = [f"{t.exercise_id} {t.earned:.2f}/{t.points}" for t in result.tasks if not t.full]
        print(f"  setup {setups[-1]:.2f} s, grading after the last answer {gradings[-1]:.2f} s (slowest live task {slowest}, "
              f"{took[slowest]:.2f} s); score {result.percent:.1f} %" + (f"; not set up: {failed}" if failed else "")
              + (f"; short of full points: {wrong}" if wrong else ""))
    for task in live_tasks:
        practice.reset(exercises[task.exercise_id])
    print(f"setup of the live tasks, side by side: median {statistics.median(setups):.2f} s, max {max(setups):.2f} s")
    print(f"grading after the last answer (aim: under 5 s): median {statistics.median(gradings):.2f} s, max {max(gradings):.2f} s")


if __name__ == "__main__":
    numbers = [int(a) for a in sys.argv[1:] if a.isdigit()]
    if "--live" in sys.argv[1:]:
        live(numbers[0] if numbers else 5)
    else:
        offline(numbers[0] if numbers else 10)
