"""Snapshots at 80x24 of what a new user met (issue 11): quiz options, a YAML hint, a live-only task, the home list."""

from __future__ import annotations

import pytest

from tests.app.conftest import PACK, loaded, settle
from tests.app.test_new_user import NEWUSER, make_app
from tests.app.test_snapshots import fixed_config, steady_cursors  # noqa: F401 (the fixture is used by name)

SMALL = (80, 24)


def opened(exercise_id: str, *keys: str):
    async def run_before(pilot) -> None:
        app = pilot.app
        await loaded(app, pilot)
        app.open_exercise(exercise_id)
        await settle(app, pilot)
        for key in keys:
            await pilot.press(key)
            await settle(app, pilot)
        await steady_cursors(app, pilot)

    return run_before


async def _home(pilot) -> None:
    await loaded(pilot.app, pilot)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_small_quiz(snap_compare, lang):
    assert snap_compare(make_app(lang), terminal_size=SMALL, run_before=opened("quiz-long"))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_small_yaml_hint(snap_compare, lang):
    assert snap_compare(make_app(lang), terminal_size=SMALL, run_before=opened("pod-probe", "ctrl+g", "ctrl+g"))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_small_live_only(snap_compare, lang):
    assert snap_compare(make_app(lang), terminal_size=SMALL, run_before=opened("live-static"))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_small_home(snap_compare, lang):
    assert snap_compare(make_app(lang, NEWUSER, PACK), terminal_size=SMALL, run_before=_home)
