"""A pack an instructor handed out, once `pack install`ed, is in the app's exercise table with its pack's id."""

from __future__ import annotations

import tarfile

from app.tui.screens.home import HomeScreen
from app.tui.widgets.exercise_table import ExerciseTable
from exercises.install import install
from exercises.scaffold import new_pack
from tests.app.conftest import SIZE, settle


async def test_an_installed_archive_is_listed_in_the_app(isolated):
    new_pack("week-3", isolated / "week-3")
    with tarfile.open(isolated / "week-3.tar.gz", "w:gz") as archive:
        archive.add(isolated / "week-3", arcname="week-3")
    install(isolated / "week-3.tar.gz")  # into KUBEDOJO_DATA_DIR/packs, as `kubedojo pack install` does

    from app.tui.main import KubedojoApp

    app = KubedojoApp([], "en", bundled=False, user=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one(ExerciseTable)
        keys = [str(k.value) for k in table.rows]
        assert {"week-3-pod", "week-3-scale", "week-3-quiz", "week-3-live"} <= set(keys)
        assert str(table.get_row("week-3-live")[-1]) == "week-3"
