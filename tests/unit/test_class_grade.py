"""`kubedojo exam grade EXAM --class DIR`: a class's folders into one table (CSV, JSON) and a JUnit file per student."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from xml.etree import ElementTree

import pytest

from exercises.exams import find_exam, load_exams, pack_exercises
from exercises.loader import load_catalog
from exercises.scaffold import new_pack
from app.exam_class import csv_text, grade_class, json_data, junit_xml, table
from tests.unit.class_samples import write_class
from tests.unit.instructor_helpers import json_out, kubedojo


@pytest.fixture
def pack(tmp_path) -> Path:
    new_pack("week-3", tmp_path / "week-3")
    return tmp_path / "week-3"


def graded(pack: Path, class_dir: Path, exam_name: str = "week-3/week-3-mock"):
    catalog = load_catalog([pack], bundled=False, user=False)
    exams, problems = load_exams(catalog)
    assert not problems
    exam = find_exam(exams, exam_name)
    return grade_class(class_dir, exam, {e.id: e for e in pack_exercises(catalog, exam.pack)})


def test_three_students_one_row_each_with_tasks_and_domains(pack, tmp_path):
    expected = write_class(pack, tmp_path / "class")
    results = graded(pack, tmp_path / "class")
    columns, rows = table(results)
    assert columns[:5] == ["student", "score", "max_score", "percent", "passed"] and columns[-1] == "problems"
    assert [c for c in columns if c.startswith("domain:")] == ["domain:cluster-architecture", "domain:workloads-scheduling", "domain:troubleshooting"]
    by_student = {r["student"]: r for r in rows}
    for student, tasks in expected.items():
        for exercise, points in tasks.items():
            assert by_student[student][f"task:{exercise}"] == points, (student, exercise)
    assert by_student["ada"]["score"] == 9 == by_student["ada"]["max_score"] and by_student["ada"]["passed"] is True
    assert 0 < by_student["ben"]["task:week-3-scale"] < 1  # the right namespace, the wrong count: partial credit
    assert by_student["ben"]["passed"] is False
    assert by_student["cy"]["score"] == 0 and "notes.md matches no task of the paper" in by_student["cy"]["problems"]
    ada = by_student["ada"]
    assert ada["domain:workloads-scheduling"] == ada["task:week-3-pod"] + ada["task:week-3-scale"]


def test_csv_and_json_say_the_same(pack, tmp_path):
    write_class(pack, tmp_path / "class")
    results = graded(pack, tmp_path / "class")
    from_csv = list(csv.DictReader(csv_text(results).splitlines()))
    data = json_data(results)
    assert [r["student"] for r in from_csv] == [r["student"] for r in data["rows"]] == ["ada", "ben", "cy"]
    for row, json_row in zip(from_csv, data["rows"]):
        assert float(row["score"]) == json_row["score"] and row["passed"] == str(json_row["passed"])
    assert json.loads(json.dumps(data)) == data


def test_a_junit_file_per_student_fails_the_tasks_short_of_full_points(pack, tmp_path):
    write_class(pack, tmp_path / "class")
    results = graded(pack, tmp_path / "class")
    suites = {s.student: ElementTree.fromstring(junit_xml(s, results.exam)).find("testsuite") for s in results.students}
    assert {k: (v.get("tests"), v.get("failures"), v.get("errors")) for k, v in suites.items()} == {
        "ada": ("4", "0", "0"), "ben": ("4", "4", "0"), "cy": ("4", "4", "0")}
    ben = {c.get("name"): c for c in suites["ben"].iter("testcase")}
    assert ben["01 week-3-pod"].find("failure").get("message") == "0 of 3 points (not answered)"
    assert ben["02 week-3-scale"].get("classname") == "week-3/week-3-mock.workloads-scheduling"
    assert "replicas" in ben["02 week-3-scale"].find("failure").text
    assert "notes.md matches no task" in suites["cy"].find("system-err").text
    assert not suites["ada"].find("system-err").text


def test_a_folder_that_cannot_be_graded_is_one_error_in_its_junit_file(pack, tmp_path):
    (pack / "exams" / "drawn.yaml").write_text("id: drawn\ntitle: {en: Drawn, ko: 추첨}\nduration_minutes: 10\ntasks: 2\n", encoding="utf-8")
    write_class(pack, tmp_path / "class")
    results = graded(pack, tmp_path / "class", "week-3/drawn")
    root = ElementTree.fromstring(junit_xml(results.students[0], results.exam))
    assert (root.find("testsuite").get("tests"), root.find("testsuite").get("errors")) == ("1", "1")
    assert "draws each attempt anew" in root.find("testsuite/testcase/error").get("message")


def test_every_junit_file_validates_against_the_ant_schema(pack, tmp_path):
    import xmlschema
    schema = xmlschema.XMLSchema(str(Path(__file__).resolve().parents[1] / "fixtures" / "junit" / "ant-junit.xsd"))
    (pack / "exams" / "drawn.yaml").write_text("id: drawn\ntitle: {en: Drawn, ko: 추첨}\nduration_minutes: 10\ntasks: 2\n", encoding="utf-8")
    write_class(pack, tmp_path / "class")
    (tmp_path / "class" / "bad\x1bname").mkdir()
    for exam in ("week-3/week-3-mock", "week-3/drawn"):  # graded, and not graded at all
        results = graded(pack, tmp_path / "class", exam)
        for student in results.students:
            file = tmp_path / "junit.xml"
            file.write_text(junit_xml(student, results.exam, "ko"), encoding="utf-8")
            schema.validate(str(file))


def test_a_cell_a_spreadsheet_would_run_is_quoted(pack, tmp_path):
    write_class(pack, tmp_path / "class")
    (tmp_path / "class" / "=HYPERLINK(1)").mkdir()
    (tmp_path / "class" / "bad\x1bname").mkdir()
    results = graded(pack, tmp_path / "class")
    assert "'=HYPERLINK(1)" in [r["student"] for r in csv.DictReader(csv_text(results).splitlines())]
    for student in results.students:
        ElementTree.fromstring(junit_xml(student, results.exam))  # a control character in a name is no broken XML


def test_what_cannot_be_graded_is_said_per_student_and_costs_only_that_task(pack, tmp_path):
    write_class(pack, tmp_path / "class")
    dora = tmp_path / "class" / "dora"
    dora.mkdir()
    (dora / "1.yaml").write_text((tmp_path / "class" / "ada" / "1.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (dora / "week-3-quiz.txt").write_text("b\n", encoding="utf-8")
    (dora / "3.txt").write_text("b\n", encoding="utf-8")  # the quiz twice
    os.mkfifo(dora / "2.txt")  # a FIFO is refused, never waited on
    (tmp_path / "class" / "stray.txt").write_text("x\n", encoding="utf-8")
    results = graded(pack, tmp_path / "class")
    row = next(r for r in table(results)[1] if r["student"] == "dora")
    assert row["task:week-3-pod"] == 3 and row["task:week-3-quiz"] == 0 and row["task:week-3-scale"] == 0
    assert "task 3: two answer files for task 3: 3.txt and week-3-quiz.txt; keep one" in row["problems"]
    assert "task 2: cannot use" in row["problems"] and "it is a FIFO" in row["problems"]
    assert any("stray.txt: not a student's folder" in p for p in results.problems)


def test_an_exam_that_draws_anew_needs_each_students_paper(pack, tmp_path):
    (pack / "exams" / "drawn.yaml").write_text("id: drawn\ntitle: {en: Drawn, ko: 추첨}\nduration_minutes: 10\ntasks: 2\n"
                                               "domains: {workloads-scheduling: 1}\n", encoding="utf-8")
    write_class(pack, tmp_path / "class")
    paper = {"exam": "week-3/drawn", "seed": 7, "tasks": [
        {"number": 1, "exercise": "week-3-scale", "domain": "workloads-scheduling", "difficulty": "quick", "points": 1},
        {"number": 2, "exercise": "week-3-pod", "domain": "workloads-scheduling", "difficulty": "quick", "points": 2}]}
    (tmp_path / "class" / "ada" / "paper.json").write_text(json.dumps(paper), encoding="utf-8")
    (tmp_path / "class" / "ada" / "2.yaml").write_text((tmp_path / "class" / "ada" / "1.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "class" / "ada" / "1.yaml").unlink()
    (tmp_path / "class" / "ben" / "paper.json").write_text(json.dumps({**paper, "exam": "week-3/week-3-mock"}), encoding="utf-8")
    results = graded(pack, tmp_path / "class", "week-3/drawn")
    by_student = {s.student: s for s in results.students}
    assert by_student["ada"].result.earned == 3 and by_student["ada"].result.possible == 3
    assert by_student["ben"].result is None and "is a paper of exam week-3/week-3-mock, not of week-3/drawn" in by_student["ben"].problems[0]
    assert by_student["cy"].result is None and "draws each attempt anew (no seed)" in by_student["cy"].problems[0]


def test_the_command_writes_the_table_and_the_junit_files(pack, tmp_path):
    write_class(pack, tmp_path / "class")
    done = kubedojo("--pack", str(pack), "exam", "grade", "week-3/week-3-mock", "--class", "class", "--out", "results", "--format", "json", home=tmp_path)
    data = json_out(done)
    assert done.returncode == 0 and [r["student"] for r in data["rows"]] == ["ada", "ben", "cy"]
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == ["junit", "results.csv", "results.json"]
    assert sorted(p.name for p in (tmp_path / "results" / "junit").iterdir()) == ["ada.xml", "ben.xml", "cy.xml"]
    assert json.loads((tmp_path / "results" / "results.json").read_text(encoding="utf-8")) == data
    unknown = kubedojo("--pack", str(pack), "--lang", "ko", "exam", "grade", "nope", "--class", "class", home=tmp_path)
    assert unknown.returncode == 2 and "시험 'nope'이(가) 없습니다" in unknown.stderr and "week-3/week-3-mock" in unknown.stderr
    both = kubedojo("--pack", str(pack), "exam", "grade", "week-3-mock", "--class", "class", "--answers", "class/ada", home=tmp_path)
    assert both.returncode == 2 and "give one of --answers DIR" in both.stderr
    text = kubedojo("--pack", str(pack), "exam", "grade", "week-3-mock", "--class", "class", "--out", "text-results", home=tmp_path)
    assert text.returncode == 0 and "ada" in text.stdout and "9/9 (100%)" in text.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    nobody = kubedojo("--pack", str(pack), "exam", "grade", "week-3-mock", "--class", str(empty), home=tmp_path)
    assert nobody.returncode == 2 and "no student's folder" in nobody.stderr and "Traceback" not in nobody.stderr
