"""`kubedojo pack new`: the scaffold has one exercise of each kind, lints clean with its own self-test, and an edit is caught."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from exercises.lint import lint_catalog
from exercises.loader import load_catalog
from exercises.scaffold import ScaffoldError, new_pack
from tests.unit.instructor_helpers import json_out, kubedojo


def lint(path: Path) -> list:
    catalog = load_catalog([path], bundled=False, user=False)
    return lint_catalog(catalog, catalog.packs)


def test_the_scaffold_lints_clean_and_its_answers_prove_its_checks(tmp_path):
    files = new_pack("week-3", tmp_path / "week-3")
    assert {f.relative_to(tmp_path / "week-3").as_posix() for f in files} == {
        "pack.yaml", "week-3-pod.yaml", "week-3-scale.yaml", "week-3-quiz.yaml", "week-3-live.yaml", "exams/week-3-mock.yaml"}
    catalog = load_catalog([tmp_path / "week-3"], bundled=False, user=False)
    kinds = {e.kind for e in catalog.exercises()}
    assert kinds == {"manifest", "command", "quiz"} and any(e.live for e in catalog.exercises())
    assert lint(tmp_path / "week-3") == []  # no warning either: hints, docs, also_right and counterexamples are there
    for exercise in catalog.exercises():
        assert exercise.kind == "quiz" or exercise.counterexamples, exercise.id


def test_every_file_names_its_schema_for_editors(tmp_path):
    files = new_pack("week-3", tmp_path / "week-3")
    for file in (f for f in files if f.suffix == ".yaml"):
        first = file.read_text(encoding="utf-8").splitlines()[0]
        found = re.fullmatch(r"# yaml-language-server: \$schema=file://(\S+)", first)
        assert found, (file, first)
        schema = Path(found.group(1))
        kind = "pack" if file.name == "pack.yaml" else ("exam" if file.parent.name == "exams" else "exercise")
        assert schema.name == f"{kind}.schema.json"
        assert json.loads(schema.read_text(encoding="utf-8"))["$schema"].startswith("https://json-schema.org/")


def test_the_scaffolds_exam_is_linted_with_the_pack(tmp_path):
    from exercises.exams import load_exams

    new_pack("week-3", tmp_path / "week-3")
    [exam], problems = load_exams(load_catalog([tmp_path / "week-3"], bundled=False, user=False))
    assert problems == [] and [t.exercise for t in exam.spec.fixed] == ["week-3-pod", "week-3-scale", "week-3-quiz", "week-3-live"]
    file = tmp_path / "week-3" / "exams" / "week-3-mock.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("{exercise: week-3-scale}", "{exercise: week-3-scael}"), encoding="utf-8")
    [problem] = lint(tmp_path / "week-3")
    assert "no exercise 'week-3-scael'" in problem.message and problem.file == str(file)


def test_the_scaffold_requires_this_kubedojo(tmp_path):
    new_pack("week-3", tmp_path / "week-3")
    pack = load_catalog([tmp_path / "week-3"], bundled=False, user=False).packs[0]
    assert pack.meta.requires and pack.meta.requires.startswith("kubedojo >=")


def test_an_edit_that_breaks_a_check_is_caught_at_its_line(tmp_path):
    new_pack("week-3", tmp_path / "week-3")
    pod = tmp_path / "week-3" / "week-3-pod.yaml"
    text = pod.read_text(encoding="utf-8")
    pod.write_text(text.replace('    image: "nginx:1.27"', '    image: "nginx:1.28"'), encoding="utf-8")  # the check, not the solution
    problems = lint(tmp_path / "week-3")
    lines = text.splitlines()
    said = {(p.message.split(":")[0], p.line) for p in problems if p.severity == "error"}
    assert said == {("the solution does not pass", lines.index("solution: |") + 1),
                    ("also_right 1 (the image written in full, another container name, one more label) fails", lines.index("also_right:                       # right, but unlike the solution: they must pass") + 2),
                    ("also_right 2 (JSON is YAML too) fails", lines.index("    why: JSON is YAML too") - 2)}, problems


@pytest.mark.parametrize(("name", "says"), [("Week3", "cannot be a pack id"), ("-x", "cannot be a pack id"), ("a" * 41, "at most 40")])
def test_a_name_that_cannot_be_an_id_is_refused(tmp_path, name, says):
    with pytest.raises(ScaffoldError, match=says):
        new_pack(name, tmp_path / "p")
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_never_written_into(tmp_path):
    (tmp_path / "week-3").mkdir()
    (tmp_path / "week-3" / "mine.yaml").write_text("mine\n", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="already exists"):
        new_pack("week-3", tmp_path / "week-3")
    assert [p.name for p in (tmp_path / "week-3").iterdir()] == ["mine.yaml"]
    assert [p.name for p in tmp_path.iterdir()] == ["week-3"]  # no staging folder left


def test_pack_new_then_lint_through_the_command(tmp_path):
    made = kubedojo("pack", "new", "week-3", home=tmp_path)
    assert made.returncode == 0 and "week-3-live.yaml" in made.stdout, made.stderr
    linted = kubedojo("lint", "week-3", "--strict", "--json", home=tmp_path)
    assert linted.returncode == 0 and json_out(linted) == []
    again = kubedojo("--lang", "ko", "pack", "new", "week-3", home=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr and "Traceback" not in again.stderr
