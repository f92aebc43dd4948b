"""A hostile user at the keyboard: key mashing, an editor that writes garbage, a progress file that goes away."""

from __future__ import annotations

import os

import pytest

from tests.app.conftest import SIZE, make_app, read_only, settle
from tests.app.test_flows import RIGHT, WRONG, open_exercise, results_text
from tests.app.test_live import no_suspend, script


async def test_forty_fast_checks_of_one_answer_are_one_attempt(isolated):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot, "web-pod")
        screen.answer.load_text(WRONG)
        await pilot.press(*["ctrl+s"] * 40)
        await settle(app, pilot)
        assert "Not yet" in results_text(screen)
        assert len(app.store.attempts("web-pod")) == 1
        await pilot.press(*["ctrl+s"] * 5)  # the result stands: checking it again is no new attempt
        await settle(app, pilot)
        assert len(app.store.attempts("web-pod")) == 1
        assert any("already checked" in n.message for n in app._notifications)


async def test_each_distinct_answer_checked_is_one_attempt(isolated):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot, "web-pod")
        for answer in (WRONG, WRONG.replace("name: web\n", "name: web2\n", 1), WRONG, RIGHT):
            screen.answer.load_text(answer)
            await pilot.press("ctrl+s", "ctrl+s", "ctrl+s")
            await settle(app, pilot)
        attempts = app.store.attempts("web-pod")
        assert [a.answer for a in attempts] == [WRONG, WRONG.replace("name: web\n", "name: web2\n", 1), WRONG, RIGHT]
        assert "Passed" in results_text(screen) and app.store.progress("web-pod").status == "passed"


async def test_a_check_under_way_when_the_language_changes_is_still_recorded(isolated):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot, "web-pod")
        screen.answer.load_text(RIGHT)
        await pilot.press("ctrl+s", "f2", "ctrl+s")
        await settle(app, pilot)
        assert "통과" in results_text(screen)
        assert len(app.store.attempts("web-pod")) == 1


async def test_leaving_at_once_after_a_verdict_keeps_the_attempt(isolated):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot, "web-pod")
        screen.answer.load_text(WRONG)
        await pilot.press("ctrl+s")
        while screen.report is None:
            await pilot.pause()
        await pilot.press("escape", "ctrl+q")
    from app.progress import ProgressStore

    store = ProgressStore()
    assert len(store.attempts("web-pod")) == 1
    store.close()


@pytest.mark.parametrize("written, why", [
    (b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: caf\xe9\n", "not UTF-8 text (line 4"),
    (b"\xff\xfe" + "kind: Pod\n".encode("utf-16-le"), "not UTF-8"),
    (b"kind: Pod\n" * 200_000, "larger than 1 MiB"),
], ids=["latin-1", "utf-16", "two-megabytes"])
async def test_an_editor_that_writes_what_is_not_an_answer_changes_nothing(isolated, monkeypatch, written, why):
    saved = isolated / "what-the-editor-wrote"
    saved.write_bytes(written)
    monkeypatch.setenv("EDITOR", script(isolated / "editor.sh", f'cp "{saved}" "$1"'))
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        no_suspend(app)
        screen = await open_exercise(app, pilot, "web-pod")
        screen.answer.load_text(WRONG)
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        assert screen.answer.text == WRONG  # the draft is as it was
        messages = [n.message for n in app._notifications]
        notice = next((m for m in messages if "Your answer was not changed" in m), messages)
        assert why in notice, notice
        kept = notice.rpartition(" kept in ")[2].rstrip(".")
        assert open(kept, "rb").read() == written  # what was typed in the editor is not lost either
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Not yet" in results_text(screen)


async def test_an_editor_that_replaces_the_file_with_a_fifo_does_not_hang_the_app(isolated, monkeypatch):
    monkeypatch.setenv("EDITOR", script(isolated / "editor.sh", 'rm "$1"; mkfifo "$1"'))
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        no_suspend(app)
        screen = await open_exercise(app, pilot, "web-pod")
        screen.answer.load_text(WRONG)
        await pilot.press("f4")
        await settle(app, pilot)
        assert screen.answer.text == WRONG
        assert any("FIFO" in n.message for n in app._notifications)


async def test_a_read_only_progress_file_is_said_at_start_and_verdicts_are_kept(isolated):
    from app.progress import ProgressStore

    data = isolated / "data"
    first = ProgressStore()
    first.record_attempt("cmd-logs", passed=True, score=1, max_score=1, answer="k logs")
    first.close()
    db = data / "progress.sqlite3"
    before = db.read_bytes()
    with read_only(db):
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            messages = [n.message for n in app._notifications]
            assert any("cannot be written" in m and "kept in memory" in m for m in messages), messages
            assert not any("damaged" in m for m in messages)
            screen = await open_exercise(app, pilot, "web-pod")
            screen.answer.load_text(RIGHT)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert "Passed" in results_text(screen)
            assert app.store.progress("web-pod").status == "passed" and app.store.unsaved >= 1
            assert app.store.progress("cmd-logs").status == "passed"  # the file's progress is still shown
        app.store.close()
        assert db.read_bytes() == before
    kept = [p for p in data.iterdir() if ".unsaved-" in p.name]
    assert len(kept) == 1 and any(str(kept[0]) in n for n in app.store.notices)
    again = ProgressStore()  # writable again: what waited is taken in
    assert again.progress("web-pod").status == "passed" and again.progress("cmd-logs").attempts == 1
    assert not [p for p in data.iterdir() if ".unsaved-" in p.name]
    again.close()


async def test_progress_in_a_read_only_folder_is_said_to_be_for_this_session_only(isolated):
    data = isolated / "data"
    data.mkdir()
    with read_only(data):
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            messages = [n.message for n in app._notifications]
            assert any("lost when kubedojo closes unless it can be written" in m for m in messages), messages
            screen = await open_exercise(app, pilot, "web-pod")
            screen.answer.load_text(RIGHT)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert app.store.progress("web-pod").status == "passed"
        said = len(app.store.notices)
        app.store.close()
        assert any("could not be saved anywhere" in n for n in app.store.notices[said:])
    assert os.listdir(data) == []
