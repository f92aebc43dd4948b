"""Snapshots of home, an exercise failing and passing, and help, at 120x40, in English and Korean."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.app.conftest import SIZE, loaded, make_app, settle
from tests.app.test_flows import RIGHT, WRONG

FIXED_CONFIG = Path("/tmp/kubedojo-snapshots/config")
"""The help screen names the config file: one fixed place keeps the snapshots stable."""


@pytest.fixture(autouse=True)
def fixed_config(monkeypatch):
    shutil.rmtree(FIXED_CONFIG, ignore_errors=True)
    monkeypatch.setenv("KUBEDOJO_CONFIG_DIR", str(FIXED_CONFIG))
    yield
    shutil.rmtree(FIXED_CONFIG, ignore_errors=True)


def answered(answer: str):
    async def run_before(pilot) -> None:
        app = pilot.app
        await loaded(app, pilot)
        app.open_exercise("web-pod")
        await settle(app, pilot)
        app.screen.answer.load_text(answer)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await steady_cursors(app, pilot)

    return run_before


async def steady_cursors(app, pilot) -> None:
    """No cursor in the picture: a blinking one is drawn or not by the clock, and a steady one by
    whether the app window has the focus, which made these snapshots flaky on a busy machine."""
    from textual.widgets import Input, TextArea

    for widget in app.screen.query(TextArea).results():
        widget.cursor_blink = False
    for widget in app.screen.query(Input).results():
        widget.cursor_blink = False
    app.screen.set_focus(None)
    await settle(app, pilot)


async def _settled(pilot) -> None:
    await loaded(pilot.app, pilot)


async def _help(pilot) -> None:
    await loaded(pilot.app, pilot)
    await pilot.press("f1")
    await settle(pilot.app, pilot)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_home(snap_compare, lang):
    assert snap_compare(make_app(lang), terminal_size=SIZE, run_before=_settled)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_exercise_failing(snap_compare, lang):
    assert snap_compare(make_app(lang), terminal_size=SIZE, run_before=answered(WRONG))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_exercise_passing(snap_compare, lang):
    assert snap_compare(make_app(lang), terminal_size=SIZE, run_before=answered(RIGHT))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_help(snap_compare, lang):
    assert snap_compare(make_app(lang), terminal_size=SIZE, run_before=_help)
