"""The hostile corpus (tests/fixtures/hostile/<category>/, each with its EXPECT.yaml table): every input gets a
clear error or verdict, quickly, in the library and through the `kubedojo` process alike, never a traceback.

A category is a folder of fixtures, an EXPECT.yaml saying what each must give, and one runner registered
here with `@runner("<category>")`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from tests.bounds import HANG_SECONDS

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
HANG_BOUND_SECONDS = HANG_SECONDS
"""In the library, per input: so generous that only a hang (or a runaway pattern) trips it, even on a machine loaded 10x its cores."""
CLI_HANG_BOUND_SECONDS = 60.0
"""Per `kubedojo` process, start-up included, on a loaded machine: only a hang trips it."""
SECRET = "hunter2-must-never-show"
CONTROL = {chr(c) for c in range(0x20) if c not in (0x09, 0x0A)} | {chr(c) for c in range(0x7F, 0xA0)} | {"\u202e"}

RUNNERS: dict[str, Callable[[str, dict[str, Any], Path], None]] = {}


def runner(category: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def register(func: Callable[..., None]) -> Callable[..., None]:
        RUNNERS[category] = func
        return func

    return register


def within_bound(func: Callable[..., Any], *args: Any) -> Any:
    """func(*args), or a failure when it runs past HANG_BOUND_SECONDS (a hung read must fail the test, not stall it)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = func(*args)
        except BaseException as err:  # re-raised in the test's thread
            outcome["error"] = err

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG_BOUND_SECONDS)
    assert not worker.is_alive(), f"{getattr(func, '__name__', func)} ran past {HANG_BOUND_SECONDS} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def table(category: str) -> dict[str, dict[str, Any]]:
    return yaml.safe_load((HOSTILE / category / "EXPECT.yaml").read_text(encoding="utf-8"))


def kubedojo(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[bytes]:
    """The real command, from this tree, with no user packs or config, under a hang bound."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KUBEDOJO_DATA_DIR": str(tmp_path / "data"),
           "KUBEDOJO_CONFIG_DIR": str(tmp_path / "config"), "COLUMNS": "250", "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, cwd=tmp_path, env=env,
                          stdin=subprocess.DEVNULL, timeout=CLI_HANG_BOUND_SECONDS)


def assert_clean(out: subprocess.CompletedProcess[bytes], terminal: bool = False) -> str:
    """No traceback, no secret; with terminal, no control character either. Returns stdout and stderr as text."""
    text = out.stdout.decode("utf-8") + out.stderr.decode("utf-8")
    assert "Traceback" not in text, text[-3000:]
    assert SECRET not in text
    if terminal:
        assert not CONTROL & set(text), sorted(CONTROL & set(text))
    return text


def one_json_object(out: subprocess.CompletedProcess[bytes]) -> Any:
    lines = out.stdout.decode("utf-8").splitlines()
    assert len(lines) == 1, out.stdout[:2000]
    return json.loads(lines[0])


def messages(verdict: dict[str, Any]) -> str:
    return "\n".join([e["message"] for e in verdict["errors"]] + [c["message"] for c in verdict["checks"]])


# --- answers ------------------------------------------------------------------------------------


def _answer_file(name: str, spec: dict[str, Any], tmp_path: Path) -> Path:
    make = spec.get("make")
    if make is None:
        return HOSTILE / "answers" / name
    path = tmp_path / name
    if make == "fifo":
        os.mkfifo(path)
    elif make == "folder":
        path.mkdir()
    elif "path" in make:
        path = Path(make["path"])
        if not path.exists():
            pytest.skip(f"{path} does not exist here")
    else:
        path.write_text(make.get("head", "") + make["repeat"] * make["times"] + make.get("tail", ""), encoding="utf-8")
    return path


@runner("answers")
def check_answer(name: str, spec: dict[str, Any], tmp_path: Path) -> None:
    from exercises.loader import load_catalog
    from graders.files import FileReadError, read_text_file
    from graders.grade import grade
    from graders.source import MAX_ANSWER_BYTES

    path = _answer_file(name, spec, tmp_path)
    exercise = load_catalog(bundled=True, user=False).get(spec["exercise"])
    assert exercise is not None
    try:  # the reader the CLI uses, then the grader
        report = within_bound(lambda: grade(exercise, read_text_file(path, MAX_ANSWER_BYTES)))
        said, code = messages(report.to_json()), 0 if report.passed else (1 if report.usable else 2)
        json.dumps(report.to_json(), allow_nan=False)
    except FileReadError as err:
        said, code = str(err), 2
    assert (code, spec["says"] in said) == (spec["exit"], True), said[:3000]

    out = kubedojo("check", spec["exercise"], "--file", str(path), "--json", tmp_path=tmp_path)
    assert_clean(out)
    verdict = one_json_object(out)
    assert out.returncode == spec["exit"] and spec["says"] in messages(verdict), messages(verdict)[:3000]
    assert verdict["exercise"] == spec["exercise"]
    if spec.get("terminal"):
        text = assert_clean(kubedojo("check", spec["exercise"], "--file", str(path), tmp_path=tmp_path), terminal=True)
        assert "\\x1b" in text  # the escape is shown, not sent


# --- packs --------------------------------------------------------------------------------------


def _pack_copy(name: str, spec: dict[str, Any], tmp_path: Path) -> Path:
    """The pack copied beside a secret file, with what `make:` asks for added."""
    (tmp_path / "secret.txt").write_text(f"secret: {SECRET}\n", encoding="utf-8")
    pack = tmp_path / name
    shutil.copytree(HOSTILE / "packs" / name, pack)
    make = spec.get("make", {})
    for file in make.get("fifo", []):
        (pack / file).unlink(missing_ok=True)
        os.mkfifo(pack / file)
    for file, target in make.get("link", {}).items():
        (pack / file).symlink_to(tmp_path / target)
    for file, size in make.get("grow", {}).items():
        with open(pack / file, "a", encoding="utf-8") as handle:
            handle.write(("# " + "x" * 98 + "\n") * (size // 100 + 1))
    return pack


@runner("packs")
def check_pack(name: str, spec: dict[str, Any], tmp_path: Path) -> None:
    from exercises.lint import lint_catalog
    from exercises.loader import load_catalog

    pack = _pack_copy(name, spec, tmp_path)
    lint = spec["lint"]
    catalog = within_bound(lambda: load_catalog([pack], bundled=False, user=False))
    problems = within_bound(lambda: lint_catalog(catalog, catalog.packs) if catalog.packs else catalog.problems)
    said = "\n".join(str(p) for p in problems)
    assert SECRET not in said
    if "says" in lint:
        assert any(lint["says"] in f"{p.file}: {p.message}" and p.line == lint.get("line", p.line) for p in problems), said

    out = kubedojo("lint", str(pack), "--json", tmp_path=tmp_path)
    assert_clean(out)
    found = one_json_object(out)
    assert out.returncode == lint["exit"], found
    if "says" in lint:
        assert any(lint["says"] in f"{p['file']}: {p['message']}" and p["line"] == lint.get("line", p["line"]) for p in found), found
    if "list" in spec:
        out = kubedojo("--pack", str(pack), "list", tmp_path=tmp_path)
        text = assert_clean(out, terminal=spec["list"].get("terminal", False))
        assert out.returncode == 0 and spec["list"]["says"] in text, text[-3000:]
        json_out = kubedojo("--pack", str(pack), "list", "--json", tmp_path=tmp_path)
        assert_clean(json_out)
        assert isinstance(one_json_object(json_out), list)
    if "check" in spec:
        check = spec["check"]
        out = kubedojo("--pack", str(pack), "check", check["exercise"], "--answer", check["answer"], "--json", tmp_path=tmp_path)
        assert_clean(out)
        verdict = one_json_object(out)
        assert out.returncode == check["exit"] and check["says"] in messages(verdict), verdict


# --- archives handed to `pack install` -----------------------------------------------------------


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@runner("archives")
def check_archive(name: str, spec: dict[str, Any], tmp_path: Path) -> None:
    from exercises.install import InstallError, install

    absolute = Path("/tmp/kubedojo-hostile-absolute.yaml")
    archive = tmp_path / "handed-out" / name
    archive.parent.mkdir()
    shutil.copy(HOSTILE / "archives" / name, archive)
    packs = tmp_path / "data" / "packs"
    before = _tree(tmp_path)
    with pytest.raises(InstallError) as refused:
        within_bound(install, archive, False, packs)
    said = str(refused.value) + "\n" + "\n".join(str(p) for p in refused.value.problems)
    assert spec["says"] in said and spec.get("lint", "") in said, said
    assert _tree(tmp_path) == before | {"data", "data/packs"}, "something was written besides an empty packs folder"
    assert not absolute.exists()

    out = kubedojo("pack", "install", str(archive), tmp_path=tmp_path)
    text = assert_clean(out, terminal=True)
    assert out.returncode == 2 and spec["says"] in text and spec.get("lint", "") in text, text[-3000:]
    assert list(packs.iterdir()) == [] and not absolute.exists() and not (tmp_path / "escaped.yaml").exists()
    listed = kubedojo("pack", "list", "--json", tmp_path=tmp_path)
    assert_clean(listed)
    assert {p["source"] for p in one_json_object(listed)} == {"bundled"}


# --- the table ----------------------------------------------------------------------------------

CASES = [(category, name, spec) for category in RUNNERS for name, spec in table(category).items()]


@pytest.mark.parametrize(("category", "name", "spec"), CASES, ids=[f"{c}/{n}" for c, n, _ in CASES])
def test_hostile_input_gets_a_clear_verdict(category: str, name: str, spec: dict[str, Any], tmp_path: Path) -> None:
    RUNNERS[category](name, spec, tmp_path)


@pytest.mark.parametrize("category", sorted(RUNNERS))
def test_every_fixture_is_in_its_table(category: str) -> None:
    expected = table(category)
    on_disk = {p.name for p in (HOSTILE / category).iterdir() if p.name != "EXPECT.yaml"}
    assert on_disk - set(expected) == set(), "fixtures without an expectation"
    assert {n for n, s in expected.items() if "make" not in s or category == "packs"} - on_disk == set(), "expectations without a fixture"
