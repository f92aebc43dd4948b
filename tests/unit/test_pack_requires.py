"""Versioned packs (`requires: kubedojo >=X`, checked at load) and one pack per id (the later wins, both are named)."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from exercises import versions
from exercises.loader import load_catalog
from exercises.scaffold import new_pack
from tests.unit.instructor_helpers import json_out, kubedojo


REQUIRES_LINE = 10
"""Where the scaffold's pack.yaml says `requires:` (after the modeline and the comments)."""


def with_requires(tmp_path: Path, requires: str, name: str = "week-3") -> Path:
    pack = tmp_path / name
    new_pack(name, pack)
    meta = pack / "pack.yaml"
    lines = [f"requires: {requires}" if line.startswith("requires:") else line for line in meta.read_text(encoding="utf-8").splitlines()]
    meta.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert lines[REQUIRES_LINE - 1].startswith("requires:")
    return pack


@pytest.mark.parametrize(("requires", "running", "loads"), [
    ('"kubedojo >=0.1"', "0.1.0", True),
    ('"kubedojo >=0.1,<1"', "0.9.3", True),
    ('"kubedojo >=0.1,<1"', "1.0.0", False),
    ('"kubedojo ~=0.4"', "0.3.9", False),
    ('"kubedojo==0.2.*"', "0.2.7", True),
    ('"kubedojo >=0.3"', "0.4.0rc1", True),  # a pre-release is let in when its version is: instructors test on them
    ('"kubedojo >=0.3"', "0.3.0rc1", False),  # PEP 440: 0.3.0rc1 comes before 0.3
    ('"KubeDojo >=0.1"', "0.1.0", True),
])
def test_a_pack_loads_only_on_a_kubedojo_it_requires(tmp_path, monkeypatch, requires, running, loads):
    monkeypatch.setattr(versions, "running_version", lambda: Version(running))
    catalog = load_catalog([with_requires(tmp_path, requires)], bundled=False, user=False)
    assert bool(catalog.packs) == loads, catalog.problems
    if not loads:
        [problem] = catalog.problems
        assert f"but this is kubedojo {running}" in problem.message and problem.line == REQUIRES_LINE
        assert ("upgrade kubedojo" in problem.message) == (running < "0.5"), problem.message


@pytest.mark.parametrize(("requires", "says"), [
    ('"numpy >=1"', "a pack can only require kubedojo"),
    ('"kubedojo"', "names no version"),
    ('"kubedojo >= banana"', "is not a requirement like `kubedojo >=0.2`"),
    ('"kubedojo[tui] >=0.1"', "no extras, markers or URLs"),
    ('">=0.1"', "is not a requirement"),
])
def test_a_requires_that_does_not_say_a_kubedojo_version_is_an_error_at_its_line(tmp_path, requires, says):
    catalog = load_catalog([with_requires(tmp_path, requires)], bundled=False, user=False)
    assert not catalog.packs
    assert any(says in p.message and p.line == REQUIRES_LINE for p in catalog.problems), catalog.problems


def test_without_an_installed_kubedojo_the_requirement_is_not_guessed(tmp_path, monkeypatch):
    monkeypatch.setattr(versions, "running_version", lambda: None)
    assert load_catalog([with_requires(tmp_path, '"kubedojo >=99"')], bundled=False, user=False).packs


def test_lint_says_why_a_pack_needs_a_newer_kubedojo(tmp_path):
    with_requires(tmp_path, '"kubedojo >=99"')
    done = kubedojo("lint", "week-3", "--json", home=tmp_path)
    assert done.returncode == 2
    [problem] = json_out(done)
    assert "the pack requires kubedojo >=99 but this is kubedojo" in problem["message"] and problem["line"] == REQUIRES_LINE


def test_of_two_packs_with_one_id_the_later_is_used_and_both_are_named(tmp_path):
    first, second = tmp_path / "a" / "week-3", tmp_path / "b" / "week-3"
    for where in (first, second):
        where.parent.mkdir()
        new_pack("week-3", where)
    (second / "week-3-quiz.yaml").unlink()
    catalog = load_catalog([first, second], bundled=False, user=False)
    assert [p.path for p in catalog.packs] == [second] and [p.path for p in catalog.shadowed] == [first]
    assert "week-3-quiz" not in catalog.ids()  # the earlier pack is not used at all, not mixed in
    [warning] = [p for p in catalog.problems if "pack id" in p.message]
    assert warning.severity == "warning" and str(first) in warning.message and f"this one ({second}) is used" in warning.message


def test_pack_list_shows_the_unused_pack_and_where_both_are(tmp_path):
    for where in ("a", "b"):
        (tmp_path / where).mkdir()
        new_pack("week-3", tmp_path / where / "week-3")
    done = kubedojo("--pack", "a/week-3", "--pack", "b/week-3", "pack", "list", "--json", home=tmp_path)
    rows = [r for r in json_out(done) if r["id"] == "week-3"]
    assert [(Path(r["path"]).parent.name, r["used"]) for r in rows] == [("b", True), ("a", False)]
    assert "pack id 'week-3' is also the id of the pack in" in done.stderr
