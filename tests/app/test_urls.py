"""A URL is never broken across lines, at 80x24 and 120x40, en and ko: in the `cluster up` dialog, in toasts,
in the live bar and in the task view's docs links; a line too narrow for one shows it cropped, one link."""

from __future__ import annotations

import pytest

from app.cluster_up import ClusterUp
from graders.practice import INSTALL, INSTALL_KO
from tests.app.conftest import loaded, make_app, settle
from tests.app.test_no_cluster import bundled_app, open_live_only
from tests.app.test_snapshots import fixed_config  # noqa: F401 (the fixture is used by name)

SIZES = [(80, 24), (120, 40)]
KIND_URL = "https://kind.sigs.k8s.io/docs/user/quick-start/#installation"


def shown_lines(widget) -> list[str]:
    """The widget's lines as the screen shows them."""
    return [widget.render_line(y).text for y in range(widget.content_region.height + widget.styles.gutter.height)]


def whole_or_cropped(url: str, lines: list[str]) -> None:
    """`url` is on one line, whole, or cropped at the line's end (`…`) with nothing of it on the next line."""
    starts = [n for n, line in enumerate(lines) if url[:20] in line]
    assert len(starts) == 1, (url, lines)
    line = lines[starts[0]].rstrip(" ▏▕│╰╯")
    assert url in line or (line.endswith("…") and url.startswith(line.split()[-1].lstrip("(")[:-1])), (url, lines)
    tail = url.rsplit("/", 1)[-1] or url.rstrip("/").rsplit("/", 1)[-1]
    assert not any(line.strip().startswith(tail) for line in lines[starts[0] + 1:]), (url, lines)


def missing_kind(lang: str):
    def bring_up() -> ClusterUp:
        return ClusterUp(run=lambda argv, say: 0, connect=None, missing=lambda: (INSTALL_KO if lang == "ko" else INSTALL)["kind"])

    return bring_up


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_the_cluster_up_dialog_shows_how_to_get_kind_with_its_url_whole(size, lang, monkeypatch):
    monkeypatch.setattr("app.tui.screens.cluster_up.default_bring_up", missing_kind(lang))
    app = bundled_app(lang)
    async with app.run_test(size=size) as pilot:
        await open_live_only(app, pilot)
        await pilot.press("f10")
        await settle(app, pilot)
        while app.screen.run.running:
            await settle(app, pilot)
        status = app.screen.query_one("#up-status")
        lines = shown_lines(status)
        assert any(KIND_URL in line for line in lines), lines  # the dialog has room for it at 80 columns
        whole_or_cropped(KIND_URL, lines)
        assert KIND_URL in status.get_selection(_everything())[0]  # selecting it copies it whole


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_a_toast_widens_for_a_url_and_never_breaks_it(size, lang):
    from textual.widgets._toast import Toast

    app = make_app(lang)
    async with app.run_test(size=size, notifications=True) as pilot:  # run_test shows no toasts unless asked
        await loaded(app, pilot)
        app.notify((INSTALL_KO if lang == "ko" else INSTALL)["kind"], severity="error", timeout=30)
        await settle(app, pilot)
        toast = app.screen.query_one(Toast)
        lines = shown_lines(toast)
        assert any(KIND_URL in line for line in lines), lines
        whole_or_cropped(KIND_URL, lines)
        assert toast.outer_size.width <= size[0]


async def test_a_url_longer_than_the_screen_is_cropped_on_its_own_line_and_still_one_link():
    from textual.widgets._toast import Toast

    url = "https://kubernetes.io/docs/" + "a-very-long-path/" * 6
    app = make_app("en")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await loaded(app, pilot)
        app.notify(f"read {url} first", timeout=30)
        await settle(app, pilot)
        toast = app.screen.query_one(Toast)
        lines = shown_lines(toast)
        whole_or_cropped(url, lines)
        strip = toast.render_line(next(n for n, line in enumerate(lines) if url[:20] in line))
        assert {segment.style.link for segment in strip if segment.style and segment.style.link} == {url}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_a_docs_link_in_the_task_view_is_never_broken(size, lang):
    from textual.widgets._markdown import MarkdownParagraph

    app = bundled_app(lang)
    async with app.run_test(size=size) as pilot:
        await loaded(app, pilot)
        app.open_exercise("cluster-crd-create")
        await settle(app, pilot)
        docs = app.screen.query_one("#docs")
        urls = app.exercise_by_id["cluster-crd-create"].docs
        paragraphs = [p for p in docs.query(MarkdownParagraph) if any(u.removeprefix("https://")[:20] in str(p._render()) for u in urls)]
        assert len(paragraphs) == len(urls)
        for url, paragraph in zip(urls, paragraphs):
            lines = shown_lines(paragraph)
            assert len([line for line in lines if line.strip()]) == 1, lines  # one line: the label whole, or cropped
            whole_or_cropped(url.removeprefix("https://"), lines)


def _everything():
    from textual.geometry import Offset
    from textual.selection import Selection

    return Selection(Offset(0, 0), Offset(1000, 1000))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_cluster_up_without_kind_snapshot(snap_compare, size, lang, monkeypatch, fixed_config):
    from tests.app.test_new_user import make_app as newuser_app
    from tests.app.test_snapshots import steady_cursors

    monkeypatch.setattr("app.tui.screens.cluster_up.default_bring_up", missing_kind(lang))

    async def run_before(pilot) -> None:
        app = pilot.app
        await loaded(app, pilot)
        app.open_exercise("live-static")
        await settle(app, pilot)
        while app.screen.cluster is None:
            await settle(app, pilot)
        await pilot.press("f10")
        await settle(app, pilot)
        while app.screen.run.running:
            await settle(app, pilot)
        await steady_cursors(app, pilot)

    assert snap_compare(newuser_app(lang), terminal_size=size, run_before=run_before)
