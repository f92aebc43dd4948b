"""ctrl+b in a YAML exercise: a kubectl dry run's output goes into the answer at the cursor; nothing typed is lost."""

from __future__ import annotations

import time

import pytest

from tests.app.conftest import make_app, settle
from tests.app.test_flows import open_exercise
from tests.bounds import HANG_SECONDS

DEPLOYMENT = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"


@pytest.fixture
def kubectl(isolated, monkeypatch):
    folder = isolated / "bin"
    folder.mkdir()
    script = folder / "kubectl"
    script.write_text("#!/bin/sh\necho \"$@\" > " + str(isolated / "argv") + "\nprintf '" + DEPLOYMENT.replace("\n", "\\n") + "'\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")
    return isolated / "argv"


async def until(pilot, condition, what):
    deadline = time.monotonic() + HANG_SECONDS  # a hang detector only
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {HANG_SECONDS} s for {what}")
        await pilot.pause(0.05)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_yaml_is_inserted_below_the_starter(size, kubectl):
    from app.tui.screens.kubectl_prompt import KubectlPrompt

    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = await open_exercise(app, pilot, "web-pod")
        starter = screen.answer.text
        screen.answer.cursor_location = (len(starter.split("\n")) - 1, 0)
        await pilot.press("ctrl+b")
        await settle(app, pilot)
        assert isinstance(app.screen, KubectlPrompt)
        await pilot.press(*"create deployment web --image=nginx --dry-run=client", "enter")
        await until(pilot, lambda: app.screen is screen, "the dialog to close")
        text = screen.answer.text
        assert text.startswith(starter.rstrip("\n")) and "---\n" + DEPLOYMENT in text
        assert kubectl.read_text().split() == ["create", "deployment", "web", "--image=nginx", "--dry-run=client", "-o", "yaml"]


async def test_a_refused_command_keeps_the_dialog_and_the_answer(kubectl):
    from app.tui.screens.kubectl_prompt import KubectlPrompt

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exercise(app, pilot, "web-pod")
        before = screen.answer.text
        await pilot.press("ctrl+b")
        await settle(app, pilot)
        await pilot.press(*"run web --image=nginx", "enter")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, KubectlPrompt)
        assert "--dry-run=client" in str(dialog.query_one("#kubectl-error").render())
        assert dialog.query_one("#kubectl-command").value == "kubectl run web --image=nginx"  # kept, to fix
        assert not kubectl.exists()  # never run
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen and screen.answer.text == before
