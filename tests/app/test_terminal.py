"""The terminal beside a live task: a real shell on a pty, kubectl on a namespaced copy of the kubeconfig, keys in and out."""

from __future__ import annotations

import shutil
import time

import pytest
import yaml

from app.tui.terminal_keys import is_app_key, key_bytes
from tests.app.conftest import make_app, settle
from tests.app.test_flows import open_exercise
from tests.app.test_no_cluster import record_notices
from tests.app.test_live import FAKE_KUBECONFIG
from tests.bounds import HANG_SECONDS

KEYS = [
    ("a", "a", b"a"),
    ("A", "A", b"A"),
    ("space", " ", b" "),
    ("enter", "\r", b"\r"),
    ("tab", "\t", b"\t"),
    ("backspace", "\x7f", b"\x7f"),
    ("escape", "\x1b", b"\x1b"),
    ("up", None, b"\x1b[A"),
    ("left", None, b"\x1b[D"),
    ("delete", None, b"\x1b[3~"),
    ("ctrl+c", "\x03", b"\x03"),
    ("ctrl+d", "\x04", b"\x04"),
    ("ctrl+r", "\x12", b"\x12"),
    ("파", "파", "파".encode()),
]


@pytest.mark.parametrize("key,character,sent", KEYS)
def test_a_key_becomes_what_a_terminal_sends(key, character, sent):
    assert key_bytes(key, character) == sent


def test_keys_with_no_bytes_send_nothing():
    assert key_bytes("ctrl+f13", None) is None


@pytest.mark.parametrize("key", ["f1", "f5", "f10", "shift+f3", "ctrl+t"])
def test_function_keys_and_the_toggle_stay_with_the_app(key):
    assert is_app_key(key, frozenset({"ctrl+t"}))


@pytest.mark.parametrize("key", ["a", "ctrl+c", "enter", "escape", "tab", "ctrl+r", "up"])
def test_other_keys_go_to_the_shell(key):
    assert not is_app_key(key, frozenset({"ctrl+t"}))


@pytest.fixture
def kubeconfig(isolated, monkeypatch):
    path = isolated / "kube" / "config"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(FAKE_KUBECONFIG))
    monkeypatch.setenv("KUBECONFIG", str(path))
    monkeypatch.setenv("SHELL", "/bin/sh")
    monkeypatch.setenv("ENV", "/dev/null")  # no startup file: a plain `$ ` prompt
    (isolated / "config").mkdir()
    (isolated / "config" / "config.yaml").write_text(yaml.safe_dump({"context": "kind-fake"}))
    return path


async def until(app, pilot, condition, what: str) -> None:
    deadline = time.monotonic() + HANG_SECONDS  # a hang detector only
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {HANG_SECONDS} s for {what}")
        await pilot.pause(0.05)


def screen_text(pane) -> str:
    return "\n".join(pane.display_lines())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_terminal_runs_kubectl_in_the_exercise_namespace(size, kubeconfig):
    from app.tui.widgets.terminal import Terminal

    original = kubeconfig.read_text()
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await open_exercise(app, pilot, "web-pod")
        said = record_notices(app)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        pane = screen.query_one(Terminal)
        assert pane.has_focus and not screen.answer.display
        assert "app-web" in str(pane.border_title)
        await until(app, pilot, lambda: pane.fd is not None, "the shell to start")
        ns = "$(kubectl config view --minify -o jsonpath='{..namespace}')" if shutil.which("kubectl") else "app-web"
        command = f'echo "ns={ns} n=$(grep -c "namespace: app-web" "$KUBECONFIG") ctx=$(sed -n "s/^current-context: //p" "$KUBECONFIG") done-$((6*7))"'
        await pilot.press(*command, "enter")
        await until(app, pilot, lambda: "done-42" in screen_text(pane), "the command's output")
        # kubectl (when here) reads the copy: its current context is the exercise's, with the namespace set once
        assert "ns=app-web n=1 ctx=kind-fake done-42" in screen_text(pane)
        assert pane.screen_buffer.columns == pane.content_size.width  # the pty is the pane's size

        await pilot.press("f5")  # a function key is the app's even while typing in the shell
        await settle(app, pilot)
        assert any("needs a cluster" in m for m in said)
        assert "done-42" in screen_text(pane)

        await pilot.press("ctrl+t")  # out of the pane, the shell kept
        assert screen.answer.has_focus or not pane.has_focus
        await pilot.press("ctrl+t")
        assert pane.has_focus
        await pilot.press(*"exit", "enter")
        await until(app, pilot, lambda: not screen.query(Terminal), "the pane to close when the shell exits")
        assert screen.answer.display
        assert any("The shell ended (0)" in m for m in said)
    assert kubeconfig.read_text() == original  # the user's own file is never changed


async def test_ctrl_c_reaches_the_program_not_the_app(kubeconfig):
    from app.tui.widgets.terminal import Terminal

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_exercise(app, pilot, "web-pod")
        await pilot.press("ctrl+t")
        pane = screen.query_one(Terminal)
        await until(app, pilot, lambda: pane.fd is not None, "the shell to start")
        await pilot.press(*"sleep 30", "enter")
        await pilot.pause(0.3)
        await pilot.press("ctrl+c")
        await pilot.press(*"echo after-$((2+3))", "enter")
        await until(app, pilot, lambda: "after-5" in screen_text(pane), "the shell to come back after ctrl+c")
        assert app.is_running


async def test_a_served_app_opens_no_shell(kubeconfig, monkeypatch):
    from app.serve_cli import SERVED_ENV
    from app.tui import terminal_pane
    from app.tui.widgets.terminal import Terminal

    assert terminal_pane.SERVED_ENV == SERVED_ENV
    monkeypatch.setenv(SERVED_ENV, "no-shell")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(app, pilot, "web-pod")
        said = record_notices(app)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        assert not screen.query(Terminal)
        assert any("--allow-shell" in m for m in said)
