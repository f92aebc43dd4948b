"""Saving one setting (f2, a theme): the rest of config.yaml stays as written, and a symlink stays a symlink."""

from __future__ import annotations

import os
import stat

import pytest

from app.config import ConfigError, load_settings, save_setting
from tests.app.conftest import SIZE, make_app, read_only, settle

# (what the file holds, what it holds after lang is set to ko)
EDITS = {
    "missing": (None, "lang: ko\n"),
    "empty": ("", "lang: ko\n"),
    "comments_only": ("# my settings\n", "# my settings\nlang: ko\n"),
    "no_value": ("# top\nlang:\ntheme: nord # my favourite\n", "# top\nlang: ko\ntheme: nord # my favourite\n"),
    "quoted_with_comment": ('lang: "en"  # the language\nkeys:\n  check: f5\n', "lang: ko  # the language\nkeys:\n  check: f5\n"),
    "other_keys_after": ("lang: en\n# keys below\nkeys:\n  hint: ctrl+t\n", "lang: ko\n# keys below\nkeys:\n  hint: ctrl+t\n"),
    "flow_mapping": ("{theme: nord}\n", "{theme: nord, lang: ko}\n"),
    "empty_flow_mapping": ("{}", "{lang: ko}"),
    "no_newline_at_end": ("theme: nord", "theme: nord\nlang: ko\n"),
    "block_scalar": ("lang: >-\n  en\ntheme: x\n", "lang: ko\ntheme: x\n"),
    "indented_mapping": ("  theme: nord\n", "  theme: nord\n  lang: ko\n"),
    "windows_line_ends": ("theme: nord\r\nlang: en\r\n", "theme: nord\r\nlang: ko\r\n"),
}


@pytest.mark.parametrize("name", EDITS)
def test_one_value_is_set_and_nothing_else_changes(name, tmp_path):
    before, after = EDITS[name]
    path = tmp_path / "config.yaml"
    if before is not None:
        path.write_bytes(before.encode())
    save_setting("lang", "ko", path)
    assert path.read_bytes().decode() == after
    assert load_settings(path).lang == "ko"


def test_a_value_that_needs_quotes_is_quoted(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("theme: nord\n")
    for value in ("yes", "a: b", "#hash", " padded", "null", "01"):
        save_setting("theme", value, path)
        assert load_settings(path).theme == value


def test_a_symlinked_config_stays_a_symlink_and_its_target_is_written(tmp_path):
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "kubedojo.yaml"
    target.write_text("# managed by my dotfiles\nlang: en  # switch with f2\nkeys:\n  hint: ctrl+t\n")
    os.chmod(target, 0o640)
    hop = tmp_path / "hop.yaml"
    hop.symlink_to(target)
    link = tmp_path / "config.yaml"
    link.symlink_to(hop)  # a chain of links
    save_setting("lang", "ko", link)
    assert link.is_symlink() and hop.is_symlink() and os.readlink(link) == str(hop)
    assert target.read_text() == "# managed by my dotfiles\nlang: ko  # switch with f2\nkeys:\n  hint: ctrl+t\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in dotfiles.iterdir()) == ["kubedojo.yaml"]  # no temporary file left behind


def test_a_dangling_symlink_is_written_through_to_where_it_points(tmp_path):
    link = tmp_path / "config.yaml"
    link.symlink_to(tmp_path / "elsewhere" / "real.yaml")
    save_setting("lang", "ko", link)
    assert link.is_symlink() and (tmp_path / "elsewhere" / "real.yaml").read_text() == "lang: ko\n"


@pytest.mark.parametrize("broken", ["lang: [en\n", "lang: fr\n", "- a list\n"])
def test_a_broken_file_is_never_rewritten(tmp_path, broken):
    path = tmp_path / "config.yaml"
    path.write_text(broken)
    with pytest.raises(ConfigError):
        save_setting("lang", "ko", path)
    assert path.read_text() == broken


def test_a_fifo_is_never_replaced_by_a_file(tmp_path):
    path = tmp_path / "config.yaml"
    os.mkfifo(path)
    with pytest.raises(ConfigError, match="FIFO"):
        save_setting("lang", "ko", path)
    assert stat.S_ISFIFO(os.lstat(path).st_mode)


async def test_f2_keeps_a_symlinked_commented_config(isolated):
    config = isolated / "config"
    config.mkdir()
    target = isolated / "dotfiles" / "kubedojo.yaml"
    target.parent.mkdir()
    target.write_text("# my kubedojo settings\ntheme: nord  # dark\nkeys:\n  hint: ctrl+t  # easier to reach\n")
    (config / "config.yaml").symlink_to(target)
    app = make_app(lang=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        assert app.lang == "ko"
    assert (config / "config.yaml").is_symlink()
    assert target.read_text() == "# my kubedojo settings\ntheme: nord  # dark\nkeys:\n  hint: ctrl+t  # easier to reach\nlang: ko\n"


async def test_a_setting_that_cannot_be_saved_is_said_and_still_used(isolated):
    config = isolated / "config"
    config.mkdir()
    (config / "config.yaml").write_text("theme: nord\n")
    with read_only(config, config / "config.yaml"):
        app = make_app(lang=None)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await pilot.press("f2")
            await settle(app, pilot)
            assert app.lang == "ko"
            assert any("저장하지 못했습니다" in n.message and str(config / "config.yaml") in n.message
                       for n in app._notifications), [n.message for n in app._notifications]
    assert (config / "config.yaml").read_text() == "theme: nord\n"
