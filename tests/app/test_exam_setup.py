"""Live tasks are set up before the clock starts (a fake practice service, a fake wall clock): progress, failures, resume, cancel."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest

from app.exam_store import ExamStore
from app.tui.exam_screen import ExamScreen
from app.tui.exam_setup import ExamSetupScreen
from exercises.exams import Paper, PaperTask
from exercises.loader import load_catalog
from graders.report import GradeReport
from tests.app.test_exam_screen import SIZE, Clock, Host

LIVE = ("svc-clusterip", "storage-pvc-bind", "rbac-role-binding")
SETUP_SECONDS = 40.0


@dataclass(frozen=True)
class Done:
    ok: bool
    why: str = ""

    def summary(self, lang: str = "en") -> str:
        return "namespace and objects created" if self.ok else self.why


class FakeCluster:
    """Stands in for graders.practice.Practice: each setup takes SETUP_SECONDS of the fake wall clock."""

    def __init__(self, clock: Clock, failing: frozenset[str] = frozenset(), raising: frozenset[str] = frozenset()) -> None:
        self.clock, self.failing, self.raising = clock, failing, raising
        self.set_up: list[str] = []
        self.lock = threading.Lock()

    def setup(self, exercise):
        with self.lock:
            self.clock.now += SETUP_SECONDS
            self.set_up.append(exercise.id)
        if exercise.id in self.raising:
            raise RuntimeError("the API server hung up")
        if exercise.id in self.failing:
            return Done(False, "no kubeconfig: /nonexistent/kubeconfig does not exist")
        return Done(True)

    def check(self, exercise, lang="en", deadline=None):
        return GradeReport(exercise.id, (), mode="live")


@pytest.fixture(scope="module")
def exercises():
    catalog = load_catalog(user=False)
    return {i: catalog.get(i) for i in (*LIVE, "pod-nginx-run")}


def _paper(exercises) -> Paper:
    tasks = [PaperTask(n, i, exercises[i].domain, exercises[i].difficulty, 4, True) for n, i in enumerate(LIVE, 1)]
    tasks.append(PaperTask(4, "pod-nginx-run", exercises["pod-nginx-run"].domain, "quick", 2, False))
    return Paper("cka-core/live-mock", 7, tuple(tasks))


def _start(exercises, tmp_path, cluster_for, mode="exam"):
    clock = Clock()
    store = ExamStore(tmp_path / "exams.sqlite3", clock)
    attempt = store.begin(_paper(exercises), 30, 66, "en", mode, start_clock=False)
    cluster = cluster_for(clock)
    screen = ExamScreen(attempt, exercises, store, title="live mock", clock=clock, cluster=cluster)
    return Host(screen), screen, clock, store, attempt, cluster


async def _settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_every_live_task_is_set_up_before_the_deadline_is_fixed(exercises, tmp_path):
    app, screen, clock, store, attempt, cluster = _start(exercises, tmp_path, FakeCluster)
    began = clock.now
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        assert sorted(cluster.set_up) == sorted(LIVE)  # every live task, not the offline one
        assert not isinstance(app.screen, ExamSetupScreen), "all set up: the exam goes on by itself"
        assert attempt.clock_started
        assert attempt.deadline == began + len(LIVE) * SETUP_SECONDS + 30 * 60  # the clock counts from the end of the setup
        assert "30:00" in str(screen.query_one("#exam-clock").render())
    back = ExamStore(tmp_path / "exams.sqlite3", clock).load(attempt.attempt_id)
    assert back.clock_started and back.deadline == attempt.deadline
    assert {n: s.ok for n, s in back.setup.items()} == {1: True, 2: True, 3: True}


async def test_a_failed_setup_says_which_task_and_why_and_the_candidate_goes_on(exercises, tmp_path):
    def cluster_for(clock):
        return FakeCluster(clock, failing=frozenset({"storage-pvc-bind"}), raising=frozenset({"rbac-role-binding"}))

    app, screen, clock, store, attempt, cluster = _start(exercises, tmp_path, cluster_for)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        setup = app.screen
        assert isinstance(setup, ExamSetupScreen)
        log = str(setup.query_one("#exam-setup-log").render())
        assert "storage-pvc-bind: no kubeconfig" in log and "RuntimeError: the API server hung up" in log
        assert "Task(s) 2, 3 could not be set up" in log
        assert setup.query_one("#exam-setup-bar").progress == 3
        assert not attempt.clock_started, "no clock while the candidate decides"
        decided = clock.now
        await pilot.press("enter")
        await _settle(pilot)
        assert app.screen is screen and attempt.clock_started and attempt.deadline == decided + 30 * 60
        await screen._switch(2)
        await pilot.pause()
        assert "Not set up" in str(screen.query_one("#exam-task-text").source)
    back = ExamStore(tmp_path / "exams.sqlite3", clock).load(attempt.attempt_id)
    assert not back.setup[2].ok and "no kubeconfig" in back.setup[2].detail and back.setup[1].ok


async def test_resume_sets_up_only_what_is_not_set_up_yet(exercises, tmp_path):
    clock = Clock()
    store = ExamStore(tmp_path / "exams.sqlite3", clock)
    attempt = store.begin(_paper(exercises), 30, 66, start_clock=False)
    from exercises.exam_attempt import SetupState

    store.save_setup(attempt, 1, SetupState(True, "done"))  # then the app was killed mid-setup
    store.save_setup(attempt, 2, SetupState(False, "timed out"))
    back = ExamStore(tmp_path / "exams.sqlite3", clock).load(attempt.attempt_id)
    assert not back.clock_started and back.to_set_up() == [2, 3]
    cluster = FakeCluster(clock)
    screen = ExamScreen(back, exercises, store, clock=clock, cluster=cluster)
    async with Host(screen).run_test(size=SIZE) as pilot:
        await pilot.pause()
        if isinstance(pilot.app.screen, ExamSetupScreen):
            assert "Already set up, left as they are: task(s) 1" in str(pilot.app.screen.query_one("#exam-setup-head").render())
        await _settle(pilot)
        assert sorted(cluster.set_up) == ["rbac-role-binding", "storage-pvc-bind"]
        assert back.clock_started


async def test_cancel_leaves_no_attempt_behind(exercises, tmp_path):
    app, screen, clock, store, attempt, cluster = _start(exercises, tmp_path, lambda c: FakeCluster(c, failing=frozenset(LIVE)))
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        assert isinstance(app.screen, ExamSetupScreen)
        await pilot.press("escape")
        await _settle(pilot)
        assert app.screen is not screen
    assert store.load(attempt.attempt_id) is None and store.unfinished() == []


async def test_training_sets_up_too_and_has_no_clock_after(exercises, tmp_path):
    app, screen, clock, store, attempt, cluster = _start(exercises, tmp_path, FakeCluster, mode="training")
    async with app.run_test(size=SIZE) as pilot:
        await _settle(pilot)
        assert sorted(cluster.set_up) == sorted(LIVE)
        assert "training" in str(screen.query_one("#exam-clock").render())
        clock.now += 10 * 3600
        screen._tick()
        assert not screen.grading
