"""The CLI and the app reach the practice cluster through one service (graders.practice): same setup, check and reset."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from app.cli import cli
from graders.cluster import Outcome
from graders.report import CheckResult, GradeReport
from tests.app.conftest import PACK, SIZE, make_app, settle
from tests.app.test_flows import open_exercise


@pytest.fixture
def cluster_calls(monkeypatch):
    """Every call the service makes into graders.cluster and graders.live, with a cluster that is never contacted."""
    calls: list[tuple] = []
    fake = SimpleNamespace(info=SimpleNamespace(name="kind-fake", server="https://127.0.0.1:9"))
    monkeypatch.setattr("graders.practice.Practice.connect", lambda self, practice_only=False: fake)

    def setup(cluster, exercise_id, namespace, objects, timeout=60):
        calls.append(("setup", exercise_id, namespace, [o["kind"] for o in objects]))
        return Outcome("setup", exercise_id, namespace, (f"Namespace/{namespace}",), 0.01)

    def reset(cluster, exercise_id, namespace, objects, kinds=(), timeout=30, wait_namespace=False):
        calls.append(("reset", exercise_id, namespace, sorted(kinds)))
        return Outcome("reset", exercise_id, namespace, (f"Namespace/{namespace}",), 0.01)

    def grade_live(exercise, cluster, lang="en", progress=None, deadline=None):
        calls.append(("check", exercise.id, lang, progress is not None))
        return GradeReport(exercise.id, (CheckResult("pod-exists", "pass", "ok"),), mode="live", max_score=1)

    monkeypatch.setattr("graders.cluster.setup", setup)
    monkeypatch.setattr("graders.cluster.reset", reset)
    monkeypatch.setattr("graders.live.grade_live", grade_live)
    return calls


def run_cli(*args: str):
    return CliRunner().invoke(cli, ["--pack", str(PACK), *args], catch_exceptions=False)


async def run_app_actions() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot, "web-pod")
        for action in ("setup", "reset"):
            screen.run_action(action, "en")
            await settle(app, pilot)
        screen.grade_seq += 1
        screen.grade_live("en", screen.grade_seq)
        await settle(app, pilot)
        assert screen.report.passed


async def test_the_cli_and_the_app_set_up_check_and_reset_alike(cluster_calls):
    for args in (["setup", "web-pod"], ["check", "web-pod", "--live"], ["reset", "web-pod"]):
        assert run_cli(*args).exit_code == 0
    from_cli = list(cluster_calls)
    cluster_calls.clear()
    await run_app_actions()
    from_app = list(cluster_calls)
    assert sorted(from_cli) == sorted(from_app)
    assert ("reset", "web-pod", "app-web", ["Pod"]) in from_app  # the target's kind, which the app's own reset used to leave out
    assert ("check", "web-pod", "en", True) in from_app  # both hand a progress callback to the grading


def test_the_cli_reports_a_refused_context_from_the_service(monkeypatch, isolated):
    kubeconfig = isolated / "kubeconfig"
    kubeconfig.write_text("apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:9'}}]\n"
                          "users: [{name: u, user: {token: t}}]\ncontexts: [{name: prod, context: {cluster: c, user: u}}]\ncurrent-context: prod\n")
    result = run_cli("reset", "web-pod", "--kubeconfig", str(kubeconfig), "--json")
    assert result.exit_code == 2
    assert '"ok": false' in result.output and "not a practice context" in result.output


async def test_the_app_shows_what_a_live_check_waits_for(monkeypatch):
    import threading

    from graders.live_view import Progress
    from tests.app.test_flows import results_text

    release = threading.Event()

    def check(self, exercise, lang="en", progress=None):
        progress(Progress(3.0, 120.0, 0, 2, (("ready", "container redis still shows image redis123"),)))
        release.wait(30)  # until the test has seen the line (a bound only a hang trips)
        return GradeReport(exercise.id, (CheckResult("pod-exists", "pass", "ok"),), mode="live", max_score=1)

    monkeypatch.setattr("graders.practice.Practice.check", check)
    monkeypatch.setattr("app.tui.no_cluster.NoClusterMixin.cluster_ready", lambda self, action: True)  # a cluster that answers (the guard is tested in test_no_cluster)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot, "web-pod")
        screen.action_live_check()
        shown = ""
        for _ in range(100):
            await pilot.pause(0.05)
            shown = results_text(screen)
            if "redis123" in shown:
                break
        release.set()
        await settle(app, pilot)
        assert "waiting 3/120 s for 2 of 2 checks: ready (container redis still shows image redis123)" in shown
        assert screen.report.passed and "redis123" not in results_text(screen)


def test_the_cli_prints_what_a_live_check_waits_for_on_stderr(monkeypatch):
    from graders.live_view import Progress

    def check(self, exercise, lang="en", progress=None):
        progress(Progress(0.0, 60.0, 0, 1, (("running", "container redis still shows image redis123"),)))
        progress(Progress(0.5, 60.0, 0, 1, (("running", "container redis still shows image redis123"),)))  # nothing new: not printed again
        return GradeReport(exercise.id, (CheckResult("pod-exists", "pass", "ok"),), mode="live", max_score=1)

    monkeypatch.setattr("graders.practice.Practice.check", check)
    result = CliRunner().invoke(cli, ["--pack", str(PACK), "check", "web-pod", "--live", "--json"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr.count("waiting 0/60 s for 1 of 1 checks: running (container redis still shows image redis123)") == 1
    assert '"passed": true' in result.stdout
