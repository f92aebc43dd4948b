"""The home table's titles at 80x24 and 120x40: cut by display cells, a Korean title as full as its column allows."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tests.app.conftest import loaded, settle
from tests.app.test_no_cluster import bundled_app

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_a_title_fills_its_column_and_ends_in_an_ellipsis_only_when_it_does_not_fit(size, lang):
    from app.tui.widgets.exercise_table import ExerciseTable
    from exercises.model import pick

    app = bundled_app(lang)
    async with app.run_test(size=size) as pilot:
        await loaded(app, pilot)
        await settle(app, pilot)
        table = app.screen.query_one(ExerciseTable)
        width = table.columns["title"].width
        cut = 0
        for row_key in table.rows:
            exercise = app.exercise_by_id.get(str(row_key.value))
            if exercise is None:  # a domain's row
                continue
            title = "  " + pick(exercise.title, lang)
            shown = table.get_cell(row_key, "title").plain
            assert cell_len(shown) <= width, shown
            if cell_len(title) <= width:
                assert shown == title
                continue
            cut += 1
            assert shown.endswith("…") and not shown.endswith(" …"), shown  # `기본 네 …` read as a word and an ellipsis
            kept = shown[:-1]
            assert title.startswith(kept)
            assert cell_len(kept) >= width - 3 or title[len(kept)] == " ", (shown, width)  # only spaces or half a letter left out
        assert cut or size == (120, 40), "the bundled titles are longer than an 80-column home shows"


async def test_a_korean_title_column_is_as_wide_as_the_english_one_less_its_longer_status_words():
    from app.tui.widgets.exercise_table import ExerciseTable

    widths = {}
    for lang in ("en", "ko"):
        app = bundled_app(lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await loaded(app, pilot)
            await settle(app, pilot)
            columns = app.screen.query_one(ExerciseTable).columns
            widths[lang] = {str(key.value): column.width for key, column in columns.items()}
    others = {lang: sum(w for key, w in widths[lang].items() if key != "title") for lang in widths}
    assert widths["ko"]["title"] + others["ko"] == widths["en"]["title"] + others["en"]  # the same table width
    assert widths["ko"]["title"] >= widths["en"]["title"] - 3
