"""Pilot tests of the study flows: open, answer wrong, see the failing check and its line, fix, pass, progress."""

from __future__ import annotations

import yaml

from app.tui.screens.exercise import ExerciseScreen
from app.tui.screens.home import HomeScreen
from app.tui.widgets.exercise_table import ExerciseTable
from app.tui.widgets.results_list import ResultsList
from app.tui.widgets.task_panel import TaskPanel
from tests.app.conftest import SIZE, loaded, make_app, settle

WRONG = """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
"""
RIGHT = WRONG.replace("image: nginx", "image: nginx:1.25")
BAD_YAML = """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
   image: nginx:1.25
"""


def results_text(screen) -> str:
    results = screen.query_one(ResultsList)
    return "\n".join(str(results.get_option_at_index(i).prompt) for i in range(results.option_count))


async def open_exercise(app, pilot, exercise_id: str):
    await loaded(app, pilot)
    app.open_exercise(exercise_id)
    await settle(app, pilot)
    assert isinstance(app.screen, ExerciseScreen)
    return app.screen


async def test_home_groups_the_exercises_by_domain():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one(ExerciseTable)
        keys = [str(k.value) for k in table.rows]
        assert keys == [
            "domain:cluster-architecture", "quiz-kubelet-dir", "quiz-pause",
            "domain:workloads-scheduling", "web-pod",
            "domain:troubleshooting", "cmd-logs", "quiz-probes",
        ]
        assert table.selected_id == "quiz-kubelet-dir"
        assert str(table.get_row("web-pod")[-1]) == "app-fixture"


async def test_wrong_answer_shows_the_failing_check_and_its_line_then_the_fix_passes():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = await open_exercise(app, pilot, "web-pod")
        editor = screen.answer
        editor.load_text(WRONG)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        text = results_text(screen)
        assert "Not yet 1/2" in text
        assert "✘ image" in text and "line 8" in text and "expected `nginx:1.25`" in text
        assert editor.cursor_location == (7, len("    image: nginx"))
        assert app.store.progress("web-pod").status == "failed"
        await pilot.press(*":1.25")
        assert editor.text == RIGHT
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Passed 2/2" in results_text(screen)
        await pilot.press("escape", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one(ExerciseTable)
        status_cell = table.get_row("web-pod")[0]
        assert "passed" in str(status_cell)
        assert app.store.progress("web-pod").status == "passed"
        assert app.store.last_answer("web-pod") == RIGHT


async def test_a_yaml_error_puts_the_cursor_on_its_line():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot, "web-pod")
        screen.answer.load_text(BAD_YAML)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        report = screen.report
        assert not report.usable
        assert "Could not be graded" in results_text(screen)
        assert screen.answer.cursor_location[0] + 1 == report.first_line()
        assert report.first_line() in (7, 8)
        assert app.store.progress("web-pod").status == "new"  # an ungradable answer is not an attempt


async def test_choosing_a_result_moves_the_cursor_to_its_line():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot, "web-pod")
        screen.answer.load_text(WRONG)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        screen.answer.cursor_location = (0, 0)
        results = screen.query_one(ResultsList)
        results.focus()
        index = next(i for i in range(results.option_count) if "✘ image" in str(results.get_option_at_index(i).prompt))
        results.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert screen.answer.cursor_location[0] == 7
        assert screen.answer.has_focus


async def test_command_exercise_checks_on_enter():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot, "cmd-logs")
        await pilot.press(*"kubectl logs api -n shop", "enter")
        await settle(app, pilot)
        assert "Not yet" in results_text(screen) and "--follow is missing" in results_text(screen)
        await pilot.press(*" -f", "enter")
        await settle(app, pilot)
        assert "Passed" in results_text(screen)
        assert app.store.progress("cmd-logs").status == "passed"


async def test_quiz_exercise_with_radio_buttons():
    from textual.widgets import RadioButton

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot, "quiz-pause")
        buttons = list(screen.query(RadioButton))
        assert [b.name for b in buttons] == ["a", "b", "c"]
        await pilot.click(buttons[0])
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "`a` is not the answer" in results_text(screen)
        await pilot.click(buttons[1])
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Passed 1/1" in results_text(screen)


async def test_quiz_with_several_answers_and_a_short_answer():
    from textual.widgets import Input, SelectionList

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot, "quiz-probes")
        selections = screen.query_one(SelectionList)
        selections.select("a")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "1 of your 1 choice(s) are right" in results_text(screen)
        selections.select("c")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Passed" in results_text(screen)
        await pilot.press("f2")  # the options follow the language and keep their marks
        await settle(app, pilot)
        assert sorted(selections.selected) == ["a", "c"]
        screen = await open_exercise(app, pilot, "quiz-kubelet-dir")
        short = screen.query_one(Input)
        assert short.has_focus
        await pilot.press(*"/etc/kubernetes/manifests", "enter")
        await settle(app, pilot)
        assert "통과" in results_text(screen)


async def test_hints_come_one_at_a_time_and_the_solution_after_an_attempt():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot, "web-pod")
        panel = screen.query_one(TaskPanel)
        hints = panel.query_one("#hints")
        assert not hints.display
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert panel.hints_shown == 1 and hints.display
        assert "Hint 1" in hints.source and "Hint 2" not in hints.source
        await pilot.press("ctrl+g", "ctrl+g")
        await pilot.pause()
        assert panel.hints_shown == 2
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert not panel.solution_shown  # not before an attempt
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        solution = panel.query_one("#solution")
        assert panel.solution_shown and solution.display
        assert "image: nginx:1.25" in solution.source and "tag are what the task asks for" in solution.source


async def test_language_switch_relabels_everything_and_is_remembered(isolated):
    from app.config import load_settings

    app = make_app(lang=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot, "web-pod")
        screen.answer.load_text(WRONG)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        assert app.lang == "ko"
        assert "web 파드 만들기" in str(screen.query_one("#exercise-header").render())
        assert "아직 1/2" in results_text(screen) and "기대한 값" in results_text(screen)
        assert "파드" in screen.query_one(TaskPanel).query_one("#task").source
        footer_labels = {b.binding.description for b in screen.active_bindings.values()}
        assert "채점" in footer_labels
    assert load_settings().lang == "ko"
    again = make_app(lang=None)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert again.lang == "ko"


async def test_filters_and_next():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(ExerciseTable)
        await pilot.press("k")  # kind: manifest
        await pilot.pause()
        assert [str(k.value) for k in table.rows] == ["domain:workloads-scheduling", "web-pod"]
        await pilot.press("k", "k", "k")  # command, quiz, any
        await pilot.pause()
        assert table.row_count == 8
        app.store.record_attempt("cmd-logs", passed=False, score=0, max_score=1, answer="x")
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, ExerciseScreen) and app.screen.exercise.id == "cmd-logs"
        await pilot.press("ctrl+n")  # from an exercise, straight to the next one
        await settle(app, pilot)
        assert isinstance(app.screen, ExerciseScreen) and app.screen.exercise.id != "cmd-logs"
        assert sum(isinstance(s, ExerciseScreen) for s in app.screen_stack) == 1  # replaced, not stacked
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("s", "s")  # status: failed
        await pilot.pause()
        assert [str(k.value) for k in table.rows] == ["domain:troubleshooting", "cmd-logs"]
        await pilot.click("#filters", offset=(4, 0))  # a click on the domain filter cycles it too
        await pilot.pause()
        assert app.screen.filters.domain == "cluster-architecture"


async def test_help_lists_every_key():
    from app.tui.keys import DEFAULT_KEYS

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        text = app.screen.plain
        for binding_id in DEFAULT_KEYS:
            if binding_id != "close":
                assert f" {binding_id} " in f"{text} ".replace("\n", " \n")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_keys_can_be_remapped_in_the_config(isolated):
    config = isolated / "config"
    config.mkdir()
    (config / "config.yaml").write_text(yaml.safe_dump({"keys": {"check": "f10", "hint": "ctrl+t"}}))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot, "web-pod")
        screen.answer.load_text(RIGHT)
        await pilot.press("f10")
        await settle(app, pilot)
        assert "Passed" in results_text(screen)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert screen.query_one(TaskPanel).hints_shown == 1


async def test_a_broken_config_is_shown_and_left_alone(isolated):
    config = isolated / "config"
    config.mkdir()
    (config / "config.yaml").write_text("lang: [not, a, language\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert any("settings were not loaded" in n.message for n in app._notifications)
        await pilot.press("f2")
        await pilot.pause()
    assert (config / "config.yaml").read_text() == "lang: [not, a, language\n"


async def test_a_damaged_progress_file_is_reported_not_fatal(isolated):
    data = isolated / "data"
    data.mkdir()
    (data / "progress.sqlite3").write_bytes(b"garbage" * 200)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert any("moved to" in n.message for n in app._notifications)
    assert [p for p in data.iterdir() if ".corrupt-" in p.name]


async def test_drafts_are_saved_while_typing_and_come_back():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot, "cmd-logs")
        await pilot.press(*"kubectl logs ap")
        await pilot.pause(0.8)
        await settle(app, pilot)
        assert app.store.draft("cmd-logs") == "kubectl logs ap"
        await pilot.press("i")
        await pilot.press("escape")  # leaving writes the draft at once
        await settle(app, pilot)
        assert app.store.draft("cmd-logs") == "kubectl logs api"
        screen = await open_exercise(app, pilot, "cmd-logs")
        assert screen.answer.value == "kubectl logs api"


async def test_live_exercise_without_a_cluster_says_so_and_offers_the_offline_form():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_exercise(app, pilot, "web-pod")
        bar = str(screen.query_one("#live-bar").render())
        assert "not reachable" in bar and "answer offline" in bar
        bindings = screen.active_bindings
        for key_name in ("f3", "f5"):  # out of the footer, yet pressed they say why they cannot run (test_new_user)
            assert not bindings[key_name].binding.show
        assert bindings["ctrl+s"].enabled


async def test_the_app_opens_on_the_bundled_packs():
    from app.tui.main import KubedojoApp

    app = KubedojoApp(lang="en", user=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one(ExerciseTable).row_count >= len(app.exercises) > 0
        summary = str(app.screen.query_one("#summary").render())
        assert "passed" in summary  # pack problems, if any, are counted there, never fatal


async def test_the_chosen_theme_is_saved_and_used_next_time():
    from app.config import load_settings

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.theme = "nord"
        await pilot.pause()
    assert load_settings().theme == "nord"
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert again.theme == "nord"


async def test_the_command_palette_finds_exercises_by_title_and_by_task_text():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"logs of the api")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ExerciseScreen) and app.screen.exercise.id == "cmd-logs"
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"following them")  # words of the task only
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ExerciseScreen) and app.screen.exercise.id == "cmd-logs"
