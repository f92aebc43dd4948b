"""Live exercises in the app: $EDITOR and $SHELL hand-overs, lazy imports, and a real control plane (cluster mark)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.app.conftest import SIZE, make_app, settle
from tests.app.test_flows import RIGHT, open_exercise, results_text

ROOT = Path(__file__).resolve().parents[2]
FAKE_KUBECONFIG = {
    "apiVersion": "v1",
    "kind": "Config",
    "clusters": [{"name": "c", "cluster": {"server": "https://127.0.0.1:9", "certificate-authority": "ca.crt"}}],
    "users": [{"name": "u", "user": {"token": "t"}}],
    "contexts": [{"name": "kind-fake", "context": {"cluster": "c", "user": "u"}}, {"name": "other", "context": {"cluster": "c", "user": "u"}}],
    "current-context": "other",
}


def no_suspend(app) -> None:
    """Run $EDITOR/$SHELL in place: a headless test terminal cannot be suspended."""
    app.suspend = contextlib.nullcontext  # type: ignore[method-assign]


def script(path: Path, body: str) -> str:
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return str(path)


async def test_the_answer_opens_in_editor_and_comes_back(isolated, monkeypatch):
    editor = script(isolated / "editor.sh", 'sed -i "s/image: *$/image: nginx:1.25/" "$1"')
    monkeypatch.setenv("EDITOR", editor)
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        no_suspend(app)
        screen = await open_exercise(app, pilot, "web-pod")
        await pilot.press("f4")
        await settle(app, pilot)
        assert screen.answer.text.rstrip() == RIGHT.rstrip()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Passed" in results_text(screen)


async def test_a_failing_editor_is_reported(isolated, monkeypatch):
    monkeypatch.setenv("EDITOR", script(isolated / "broken.sh", "exit 3"))
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        no_suspend(app)
        screen = await open_exercise(app, pilot, "web-pod")
        before = screen.answer.text
        await pilot.press("f4")
        await settle(app, pilot)
        assert screen.answer.text == before
        assert any("Could not run the editor" in n.message for n in app._notifications)


async def test_the_shell_gets_a_private_kubeconfig_with_the_exercise_namespace(isolated, monkeypatch):
    kubeconfig = isolated / "kube" / "config"
    kubeconfig.parent.mkdir()
    kubeconfig.write_text(yaml.safe_dump(FAKE_KUBECONFIG))
    original = kubeconfig.read_text()
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    seen = isolated / "seen.yaml"
    monkeypatch.setenv("SHELL", script(isolated / "shell.sh", f'cp "$KUBECONFIG" {seen}; echo "$KUBEDOJO_EXERCISE" > {seen}.id'))
    (isolated / "config").mkdir()
    (isolated / "config" / "config.yaml").write_text(yaml.safe_dump({"context": "kind-fake"}))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        no_suspend(app)
        screen = await open_exercise(app, pilot, "web-pod")
        assert "not reachable" in str(screen.query_one("#live-bar").render())
        screen.action_live_shell()
        await settle(app, pilot)
    copy = yaml.safe_load(seen.read_text())
    assert copy["current-context"] == "kind-fake"
    context = next(c for c in copy["contexts"] if c["name"] == "kind-fake")
    assert context["context"]["namespace"] == "app-web"
    assert copy["clusters"][0]["cluster"]["certificate-authority"] == str(kubeconfig.parent / "ca.crt")
    assert (Path(f"{seen}.id")).read_text().strip() == "web-pod"
    assert kubeconfig.read_text() == original  # the user's own file is never changed


PROBE = r"""
import asyncio, json, sys
sys.path.insert(0, {root!r})
from tests.app.conftest import loaded as wait_loaded, make_app, settle

def loaded():
    return sorted(m for m in sys.modules if m.split('.')[0] == 'kubernetes' or m in ('graders.schema', 'graders.cluster'))

async def main():
    out = {{}}
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(app, pilot)
        out['home'] = loaded()
        app.open_exercise('cmd-logs')
        await settle(app, pilot)
        await pilot.press(*'kubectl logs api -n shop -f', 'enter')
        await settle(app, pilot)
        out['offline'] = loaded()
        await pilot.press('escape')
        app.open_exercise('web-pod')
        await settle(app, pilot)
        out['live'] = loaded()
    print(json.dumps(out))

asyncio.run(main())
"""


def test_the_kubernetes_client_waits_for_a_live_exercise(isolated):
    kubeconfig = isolated / "kubeconfig"
    kubeconfig.write_text(yaml.safe_dump({**FAKE_KUBECONFIG, "current-context": "kind-fake"}))
    import os

    env = {**os.environ, "KUBECONFIG": str(kubeconfig)}
    done = subprocess.run([sys.executable, "-c", PROBE.format(root=str(ROOT))], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["home"] == [] and seen["offline"] == []
    assert "kubernetes" in seen["live"]


# --- a real control plane ------------------------------------------------------------------------

try:
    from tests.cluster.fixture import control_plane  # noqa: F401  (the session fixture)
except ImportError:  # the test control plane is not in this checkout
    control_plane = None


@pytest.mark.cluster
@pytest.mark.skipif(control_plane is None, reason="tests/cluster/fixture.py is not here")
async def test_live_setup_check_and_reset_against_the_control_plane(isolated, control_plane):  # noqa: F811
    from graders.cluster import connect

    (isolated / "config").mkdir()
    (isolated / "config" / "config.yaml").write_text(
        yaml.safe_dump({"context": control_plane.context, "kubeconfig": str(control_plane.kubeconfig)})
    )
    kube = connect(control_plane.context, str(control_plane.kubeconfig))
    try:
        await _live_flow(control_plane, kube)
    finally:  # leave the shared control plane as it was, even when the test fails midway
        from graders.cluster import reset

        reset(kube, "web-pod", "app-web", [])


async def _live_flow(control_plane, kube) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot, "web-pod")
        bar = str(screen.query_one("#live-bar").render())
        assert "reachable" in bar and "not reachable" not in bar and control_plane.context in bar
        await pilot.press("f3")  # setup
        await settle(app, pilot)
        assert kube.get("Namespace", "app-web") is not None
        await pilot.press("f5")  # check live: nothing there yet
        await settle(app, pilot)
        assert screen.report.mode == "live" and not screen.report.passed
        assert app.store.progress("web-pod").status == "failed"
        kube.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "app-web"},
                    "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]}})
        await pilot.press("f5")
        await settle(app, pilot)
        assert screen.report.passed, results_text(screen)
        assert app.store.attempts("web-pod")[-1].mode == "live"
        await pilot.press("f8")  # reset
        await settle(app, pilot)
        namespace = kube.get("Namespace", "app-web")
        assert namespace is None or (namespace.get("metadata") or {}).get("deletionTimestamp")


async def test_the_cluster_is_looked_for_again_while_none_answers(isolated, monkeypatch):
    import asyncio

    import app.tui.screens.live_exercise as live_screen

    monkeypatch.setattr(live_screen, "REPROBE_SECONDS", 0.2)
    kubeconfig = isolated / "later" / "kubeconfig"
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot, "web-pod")
        assert "no kubeconfig" in str(screen.query_one("#live-bar").render())
        kubeconfig.parent.mkdir()
        kubeconfig.write_text(yaml.safe_dump({**FAKE_KUBECONFIG, "current-context": "kind-fake"}))
        for _ in range(50):
            await asyncio.sleep(0.1)
            await settle(app, pilot)
            if "kind-fake" in str(screen.query_one("#live-bar").render()):
                break
        bar = str(screen.query_one("#live-bar").render())
        assert "context kind-fake" in bar and "not reachable" in bar
