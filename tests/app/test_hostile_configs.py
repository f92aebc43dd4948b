"""Broken config files (tests/fixtures/hostile/configs): a clear message, within a hang bound, never a traceback."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import ConfigError, read_settings
from tests.app.conftest import PACK, SIZE, make_app, settle

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "fixtures" / "hostile" / "configs"
ALL = sorted(CASES.glob("*.yaml"))
HANG_BOUND = 60  # seconds; only a hang trips it


def header(case: Path, key: str) -> str | None:
    for line in case.read_bytes().decode("utf-8", "replace").lstrip("\ufeff").splitlines():
        if line.startswith(f"# {key}:"):
            return line.partition(":")[2].strip()
    return None


def expectation(case: Path) -> tuple[str, str]:
    outcome, _, words = (header(case, "expect") or "fine").partition(" ")
    return outcome, words


def place(case: Path, config_dir: Path) -> Path:
    """config_dir/config.yaml made as the case says (copied, or made when it cannot be committed)."""
    config_dir.mkdir(parents=True, exist_ok=True)
    target = config_dir / "config.yaml"
    make = (header(case, "make") or "").split()
    if not make:
        target.write_bytes(case.read_bytes())
    elif make[0] == "fifo":
        os.mkfifo(target)
    elif make[0] == "dev-zero":
        target.symlink_to("/dev/zero")
    elif make[0] == "folder":
        target.mkdir()
    elif make[0] == "big":
        with open(target, "wb") as out:
            out.write(b"theme: nord\n")
            out.truncate(int(make[1]))
    elif make[0] == "deep":
        depth = int(make[1])
        target.write_text("theme: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    else:
        raise AssertionError(f"{case.name}: unknown make {make}")
    return target


def test_the_corpus_is_there():
    assert len(ALL) >= 25
    assert {expectation(c)[0] for c in ALL} == {"error", "warning", "app-warning", "fine"}


@pytest.mark.parametrize("case", ALL, ids=lambda p: p.stem)
def test_reading_every_broken_config(case, tmp_path):
    path = place(case, tmp_path / "config")
    outcome, words = expectation(case)
    if outcome == "error":
        with pytest.raises(ConfigError) as caught:
            read_settings(path)
        assert str(path) in str(caught.value) and words.lower() in str(caught.value).lower(), caught.value
        return
    loaded = read_settings(path)
    if outcome == "warning":
        assert any(words in w and str(path) in w for w in loaded.warnings), loaded.warnings
    else:
        assert loaded.warnings == []


@pytest.mark.parametrize("case", ALL, ids=lambda p: p.stem)
def test_kubedojo_stats_with_every_broken_config(case, tmp_path):
    place(case, tmp_path / "config")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KUBEDOJO_DATA_DIR": str(tmp_path / "data"),
           "KUBEDOJO_CONFIG_DIR": str(tmp_path / "config"), "KUBECONFIG": "/nonexistent"}
    for var in ("KUBEDOJO_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        env.pop(var, None)
    done = subprocess.run([sys.executable, "-m", "app.cli", "stats", "--json", "--pack", str(PACK)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=HANG_BOUND)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["domains"]  # the command still works, on the defaults
    outcome, words = expectation(case)
    if outcome == "error":
        assert words.lower() in done.stderr.lower() and "your settings are not used" in done.stderr, done.stderr
    else:  # the CLI has no keys to remap: nothing to say
        assert "kubedojo:" not in done.stderr, done.stderr


@pytest.mark.parametrize("case", ALL, ids=lambda p: p.stem)
async def test_the_app_with_every_broken_config(case, isolated):
    place(case, isolated / "config")
    outcome, words = expectation(case)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        if outcome == "fine":
            assert messages == []
        else:
            assert any(words.lower() in m.lower() for m in messages), messages
        if outcome == "error":
            assert any("settings were not loaded" in m for m in messages)
        await pilot.press("f2")  # saving a setting never replaces a broken file (nor a FIFO, nor a device)
        await settle(app, pilot)
        assert app.lang == "ko"
    config = isolated / "config" / "config.yaml"
    make = (header(case, "make") or "").split(" ")[0]
    if outcome == "error" and not make:
        assert config.read_bytes() == case.read_bytes()
    elif make == "fifo":
        assert stat.S_ISFIFO(os.lstat(config).st_mode)
    elif make == "dev-zero":
        assert config.is_symlink() and os.readlink(config) == "/dev/zero"
    elif make == "folder":
        assert config.is_dir()


async def test_a_bad_remap_keeps_the_default_key_and_the_good_ones_work(isolated):
    (isolated / "config").mkdir()
    (isolated / "config" / "config.yaml").write_text("keys:\n  check: nonsense-key\n  hint: ctrl+t\n  solution: f5, f99\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.keymap_overrides == {"hint": "ctrl+t"}
        warnings = [n.message for n in app._notifications]
        assert any("config.yaml:2: keys.check: 'nonsense-key' is not a key name; the default key ctrl+s is kept" in w
                   for w in warnings), warnings
        assert any("keys.solution: 'f99'" in w for w in warnings), warnings
        from tests.app.test_flows import WRONG, open_exercise, results_text

        screen = await open_exercise(app, pilot, "web-pod")
        footer_keys = {b.binding.key for b in screen.active_bindings.values()}
        assert "nonsense-key" not in footer_keys and "ctrl+s" in footer_keys
        screen.answer.load_text(WRONG)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Not yet" in results_text(screen)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert screen.query_one("#task-panel").hints_shown == 1
