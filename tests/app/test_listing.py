"""The home's rows before the exercise models load: the listing the last start wrote, used only while every pack file
is as it was, and keys pressed before the models are read wait for them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from app.tui.listing import listing_path
from tests.app.conftest import PACK, SIZE, loaded, make_app, settle

ROOT = Path(__file__).resolve().parents[2]


def shown_ids(app) -> list[str]:
    from app.tui.widgets.exercise_table import ExerciseTable

    rows, _lang = app.screen.query_one(ExerciseTable)._shown
    return [r.exercise_id for r in rows]


async def test_a_start_writes_the_listing_of_what_it_loaded():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        data = json.loads(listing_path().read_text(encoding="utf-8"))
        assert [r["id"] for r in data["rows"]] == [e.id for e in app.exercises]
        assert [r["pack"] for r in data["rows"]] == [app.catalog.pack_of(e.id).meta.id for e in app.exercises]
        assert any(str(PACK) in str(entry[0]) for entry in data["fingerprint"])


START = r"""
import asyncio, json, sys
from app.tui.main import KubedojoApp
from app.tui.widgets.exercise_table import ExerciseTable

async def main():
    app = KubedojoApp([sys.argv[1]], "en", bundled=False, user=False)
    async with app.run_test(size=(120, 40)) as pilot:
        while app.ready_at is None:
            await pilot.pause(0.01)
        rows, _ = app.screen.query_one(ExerciseTable)._shown
        at_ready = {"models": "exercises.model" in sys.modules or "pydantic" in sys.modules, "loaded": app.loaded,
                    "ids": [r.exercise_id for r in rows], "titles": [r.title for r in rows]}
        while not app.loaded:
            await pilot.pause(0.01)
        rows, _ = app.screen.query_one(ExerciseTable)._shown
        print(json.dumps({"at_ready": at_ready, "after": {"ids": [r.exercise_id for r in rows], "titles": [r.title for r in rows]}}))

asyncio.run(main())
"""


def start(pack: Path, env: dict[str, str]) -> dict:
    done = subprocess.run([sys.executable, "-c", START, str(pack)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_second_start_shows_the_rows_before_any_model_is_imported(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(PACK, pack)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = start(pack, env)
    assert first["at_ready"]["models"] and first["at_ready"]["loaded"]  # no listing yet: the rows waited for the models
    second = start(pack, env)
    assert not second["at_ready"]["models"] and not second["at_ready"]["loaded"]
    assert second["at_ready"]["ids"] == first["after"]["ids"] == second["after"]["ids"]
    assert second["at_ready"]["titles"] == first["after"]["titles"]

    exercise = next(p for p in sorted(pack.glob("*.yaml")) if p.name != "pack.yaml")
    text = exercise.read_text(encoding="utf-8")
    exercise.write_text(text.replace("title:\n  en: ", "title:\n  en: Renamed ", 1), encoding="utf-8")
    assert "Renamed" in exercise.read_text(encoding="utf-8")
    third = start(pack, env)  # a pack file changed: the old rows are not shown, the new ones come from the models
    assert third["at_ready"]["models"] and third["at_ready"]["loaded"]
    assert any(t.startswith("Renamed ") for t in third["at_ready"]["titles"])
    fourth = start(pack, env)
    assert not fourth["at_ready"]["models"] and fourth["at_ready"]["titles"] == third["after"]["titles"]

    (pack / "extra.yaml").write_text(text.replace(f"id: {exercise.stem}", "id: extra", 1), encoding="utf-8")
    fifth = start(pack, env)  # a file more: listed again from the models
    assert fifth["at_ready"]["loaded"] and "extra" in fifth["at_ready"]["ids"]


async def test_a_damaged_listing_is_not_used():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        expected = shown_ids(app)
    for damage in ("{not json", json.dumps({"stamp": [], "rows": "x"}), json.dumps([1, 2])):
        listing_path().write_text(damage, encoding="utf-8")
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await loaded(app, pilot)
            assert shown_ids(app) == expected


async def test_next_and_search_pressed_before_the_models_are_read_wait_for_them(monkeypatch):
    import threading

    import app.tui.catalog as catalog

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
    real, release = catalog.load_exercises, threading.Event()

    def held(*args, **kwargs):  # the models are read only when the test says so
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(catalog, "load_exercises", held)
    from textual.command import CommandPalette

    from app.tui.screens.exercise import ExerciseScreen

    for key, opened in (("n", lambda: isinstance(app.screen, ExerciseScreen)), ("slash", lambda: CommandPalette.is_open(app))):
        release.clear()
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            while app.listing is None:
                await pilot.pause(0.01)
            assert shown_ids(app) and not app.loaded  # the rows are there, the models not yet
            await pilot.press(key)
            await pilot.pause(0.1)
            assert not opened()
            release.set()
            await loaded(app, pilot)
            await settle(app, pilot)
            assert opened(), (key, app.screen)  # done once the models are read, not "nothing to practise"
