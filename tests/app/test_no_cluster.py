"""A live-only exercise with no cluster: every cluster key says why it waits; `cluster up` (a fake kind) runs from the app."""

from __future__ import annotations

import pytest

from app.cluster_up import ClusterUp
from tests.app.conftest import loaded, settle

LIVE_ONLY = "static-pod"
SIZES = [(80, 24), (120, 40)]


def bundled_app(lang: str):
    from app.tui.main import KubedojoApp

    return KubedojoApp([], lang, bundled=True, user=False)


async def open_live_only(app, pilot):
    from app.tui.screens.live_exercise import LiveExerciseScreen

    await loaded(app, pilot)
    assert app.exercise_by_id[LIVE_ONLY].live_only
    app.open_exercise(LIVE_ONLY)
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, LiveExerciseScreen)
    while screen.cluster is None:  # the first probe
        await settle(app, pilot)
    assert not screen.cluster.reachable
    return screen


def record_notices(app) -> list[str]:
    """Every message the app notifies, kept (toasts expire, and on a busy machine before a test reads them)."""
    said: list[str] = []
    notify = app.notify

    def recording(message, *args, **kwargs):
        said.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = recording
    return said


class FakeKind:
    """kind and the API server as `cluster up` sees them: scripted output and exit codes, nodes that get Ready."""

    def __init__(self, create_status: int = 0) -> None:
        self.create_status = create_status
        self.calls: list[list[str]] = []

    def run(self, argv, say) -> int:
        self.calls.append(list(argv))
        if argv[:3] == ["kind", "get", "clusters"]:
            return 0
        if argv[:3] == ["kind", "create", "cluster"]:
            say("Creating cluster \"kubedojo\" ...")
            say(" ✓ Ensuring node image (kindest/node) 🖼")
            if self.create_status:
                say("ERROR: failed to create cluster: docker is not running")
            return self.create_status
        return 0

    def connect(self, context):
        nodes = [{"metadata": {"name": n}, "status": {"conditions": [{"type": "Ready", "status": "True"}]}}
                 for n in ("kubedojo-control-plane", "kubedojo-worker", "kubedojo-worker2")]

        class Kube:
            def wait_for(self, kind, namespace, done, timeout):
                assert kind == "Node" and done(nodes)
                return nodes

        return Kube()

    def cluster_up(self) -> ClusterUp:
        return ClusterUp(run=self.run, connect=self.connect, missing=lambda: None)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_every_cluster_key_says_why_it_waits(size, lang):
    app = bundled_app(lang)
    async with app.run_test(size=size) as pilot:
        screen = await open_live_only(app, pilot)
        said = record_notices(app)
        offer = str(screen.query_one("#cluster-offer").render())
        assert screen.query_one("#cluster-offer").display
        assert "f10" in offer and "ctrl+r" in offer and "kubedojo cluster up" in offer
        for pressed in ("ctrl+s", "f3", "f5", "f8"):  # f9 and ctrl+t open a shell, cluster or not
            said.clear()
            await pilot.press(pressed)
            await settle(app, pilot)
            new = list(said)
            assert new, f"{pressed} did nothing visible"
            assert "f10" in new[-1] and "ctrl+r" in new[-1], (pressed, new)
        assert not screen.busy


@pytest.mark.parametrize("size", SIZES)
async def test_cluster_up_shows_its_progress_and_the_cluster_is_looked_for_again(size, monkeypatch):
    kind = FakeKind()
    monkeypatch.setattr("app.tui.screens.cluster_up.default_bring_up", kind.cluster_up)
    app = bundled_app("en")
    async with app.run_test(size=size) as pilot:
        from app.tui.screens.cluster_up import ClusterUpScreen

        screen = await open_live_only(app, pilot)
        probes = []
        real_probe = screen.probe
        monkeypatch.setattr(screen, "probe", lambda: (probes.append(1), real_probe()))
        await pilot.press("f10")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ClusterUpScreen)
        while dialog.run.running:
            await settle(app, pilot)
        log = "\n".join(dialog.query_one("#up-log").lines)
        assert "Ensuring node image" in log and "nodes Ready: 3/3" in log
        assert log.count("Ensuring node image") == 1  # each line once, however the dialog and the run interleave
        assert "cluster kubedojo is up" in str(dialog.query_one("#up-status").render())
        assert ["kind", "get", "clusters"] in kind.calls and any(c[:3] == ["kind", "create", "cluster"] for c in kind.calls)
        assert probes, "the cluster is looked for again once it is up"
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen


async def test_a_failed_cluster_up_says_why_and_can_be_tried_again(monkeypatch):
    kind = FakeKind(create_status=1)
    monkeypatch.setattr("app.tui.screens.cluster_up.default_bring_up", kind.cluster_up)
    app = bundled_app("en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_live_only(app, pilot)
        await pilot.press("f10")
        await settle(app, pilot)
        while app.screen.run.running:
            await settle(app, pilot)
        status = str(app.screen.query_one("#up-status").render())
        assert "kind create cluster failed" in status and "f10" in status
        assert "docker is not running" in "\n".join(app.screen.query_one("#up-log").lines)
        first = app.screen.run
        await pilot.press("f10")  # try again: a new run
        await settle(app, pilot)
        while app.screen.run.running:
            await settle(app, pilot)
        assert app.screen.run is not first
        assert sum(c[:3] == ["kind", "create", "cluster"] for c in kind.calls) == 2


async def test_ctrl_r_looks_for_the_cluster_again(monkeypatch):
    app = bundled_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_live_only(app, pilot)
        calls = []
        monkeypatch.setattr(screen.target, "probe", lambda: (calls.append(1), screen.cluster)[1])
        said = record_notices(app)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert any("Looking for the cluster again" in m for m in said)
        assert calls
