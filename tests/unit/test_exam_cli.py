"""`kubedojo exam`: grading a folder of answers, exports (JUnit validated against the schema CI reporters read), history."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.exam_export import to_junit
from exercises.exams import draw_paper, find_exam, load_exams, pack_exercises
from exercises.loader import load_catalog
from graders.exam_grade import CheckScore, ExamResult, TaskScore, with_domains

ROOT = Path(__file__).resolve().parents[2]
XSD = ROOT / "tests" / "fixtures" / "junit" / "ant-junit.xsd"


def kubedojo(*args: str, data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KUBEDOJO_DATA_DIR": str(data), "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def short_paper():
    catalog = load_catalog(user=False)
    exams, _ = load_exams(catalog)
    exam = find_exam(exams, "cka-short")
    return catalog, draw_paper(exam, pack_exercises(catalog, exam.pack), 11)


def _result() -> ExamResult:
    tasks = (
        TaskScore(1, "full", "storage", 4, 4.0, True, False, (CheckScore("a", "pass", "ok", 1, 1),), (), 61.0),
        TaskScore(2, "part", "troubleshooting", 4, 2.0, True, False,
                  (CheckScore("a", "pass", "ok", 1, 1), CheckScore("b", "fail", "bad <value> & \x00 nul", 1, 0)), (), 5.5),
        TaskScore(3, "broken", "troubleshooting", 2, 0.0, True, True, (), ("YAML: line 1: mapping values are not allowed",), 0.0),
        TaskScore(4, "blank", "storage", 2, 0.0, False, False, (CheckScore("a", "fail", "not answered", 1, 0),), (), 0.0),
    )
    return with_domains(ExamResult("cka-core/cka-short", 66, tasks, 11))


def test_junit_validates_against_the_schema_and_reads_back_in_junitparser(tmp_path):
    import xmlschema
    import junitparser
    schema = xmlschema.XMLSchema(str(XSD))
    text = to_junit(_result(), "ko", "모의시험", timestamp=0)
    path = tmp_path / "exam.xml"
    path.write_text(text, encoding="utf-8")
    schema.validate(str(path))
    suites = junitparser.JUnitXml.fromfile(str(path))
    suite = next(iter(suites))
    cases = {c.name: c for c in suite}
    assert (suite.tests, suite.failures, suite.errors) == (4, 2, 1)
    assert cases["01 full"].is_passed
    part = cases["02 part"].result[0]
    assert isinstance(part, junitparser.Failure) and "b (0/1): bad <value> &" in part.text and "2점" in part.message
    assert isinstance(cases["03 broken"].result[0], junitparser.Error)
    assert not schema.is_valid(text.replace(' classname="cka-core/cka-short.storage"', "", 1)), "the schema must be able to say no"


@pytest.mark.parametrize("mode, counted", [("exam", "true"), ("training", "false")])
def test_junit_says_the_mode_and_whether_it_counts_and_still_validates(tmp_path, mode, counted):
    import xml.etree.ElementTree as ET

    import junitparser
    import xmlschema

    path = tmp_path / "exam.xml"
    path.write_text(to_junit(_result(), "en", "Mock", timestamp=0, mode=mode), encoding="utf-8")
    xmlschema.XMLSchema(str(XSD)).validate(str(path))
    suite = next(iter(junitparser.JUnitXml.fromfile(str(path))))
    props = {p.name: p.value for p in suite.properties()}
    assert (props["mode"], props["counted"]) == (mode, counted)
    out = ET.parse(path).getroot().findtext("testsuite/system-out")
    if mode == "training":
        assert out.startswith("Mode: training") and "not counted as an exam score" in out
    else:
        assert out.startswith("Mode: exam")
    assert "mode" not in {p.name for p in next(iter(junitparser.JUnitXml.fromstring(to_junit(_result())))).properties()}, \
        "a folder graded without an attempt has no mode to tell"


def test_grade_a_folder_of_answers_by_exercise_id_and_task_number(tmp_path, short_paper):
    catalog, paper = short_paper
    answers = tmp_path / "answers"
    answers.mkdir()
    first, second, third = paper.tasks[:3]
    (answers / f"{first.exercise_id}.yaml").write_text(catalog.get(first.exercise_id).solution, encoding="utf-8")
    (answers / f"task-{second.number:02d}.txt").write_text(catalog.get(second.exercise_id).solution, encoding="utf-8")
    (answers / f"{third.number}.yaml").write_bytes(b"\xff\xfe not utf-8")
    (answers / "notes.md").write_text("not an answer", encoding="utf-8")
    done = kubedojo("exam", "grade", "cka-short", "--answers", str(answers), "--seed", "11", "--format", "json", data=tmp_path)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    by_number = {t["number"]: t for t in report["tasks"]}
    assert by_number[first.number]["earned"] == first.points
    assert by_number[second.number]["earned"] == second.points
    assert by_number[third.number]["earned"] == 0 and "UTF-8" in by_number[third.number]["errors"][0]
    assert "notes.md" in done.stderr
    assert report["max_score"] == paper.total_points and report["passed"] is False


def test_grade_asks_for_the_seed_of_a_drawn_exam_and_names_unknown_exams(tmp_path):
    done = kubedojo("exam", "grade", "cka-short", "--answers", str(tmp_path), data=tmp_path)
    assert done.returncode == 2 and "--seed" in done.stderr and "Traceback" not in done.stderr
    done = kubedojo("--lang", "ko", "exam", "grade", "no-such", "--answers", str(tmp_path), data=tmp_path)
    assert done.returncode == 2 and "cka-core/cka-mock" in done.stderr and "시험" in done.stderr


def test_start_resume_history_and_export_without_the_app(tmp_path):
    started = kubedojo("exam", "start", "cka-core/cka-short", "--seed", "5", "--no-app", "--json", data=tmp_path)
    assert started.returncode == 0, started.stderr
    attempt = json.loads(started.stdout)
    assert len(attempt["tasks"]) == 6 and 1790 < attempt["remaining_seconds"] <= 1800
    resumed = json.loads(kubedojo("exam", "resume", "--no-app", "--json", data=tmp_path).stdout)
    assert resumed["attempt"] == attempt["attempt"] and resumed["deadline"] == attempt["deadline"]
    from app.exam_store import ExamStore

    store = ExamStore(tmp_path / "exams.sqlite3")
    store.finish(store.load(attempt["attempt"]), _result().to_json())
    store.close()
    history = json.loads(kubedojo("exam", "history", "--json", data=tmp_path).stdout)
    assert [h["attempt"] for h in history] == [attempt["attempt"]]
    assert history[0]["domains"][0]["domain"] == "troubleshooting"  # weakest first
    md = kubedojo("--lang", "ko", "exam", "export", "--format", "markdown", data=tmp_path)
    assert md.returncode == 0 and "트러블슈팅" in md.stdout and "| 2 | part |" in md.stdout
    xml = kubedojo("exam", "export", attempt["attempt"], "--format", "junit", "-o", str(tmp_path / "r.xml"), data=tmp_path)
    assert xml.returncode == 0 and (tmp_path / "r.xml").read_text(encoding="utf-8").startswith("<?xml")
    assert kubedojo("exam", "export", "nope", data=tmp_path).returncode == 2


def test_start_in_training_mode_is_kept_resumed_and_marked(tmp_path):
    started = kubedojo("exam", "start", "cka-short", "--seed", "5", "--mode", "training", "--no-app", "--json", data=tmp_path)
    assert started.returncode == 0, started.stderr
    attempt = json.loads(started.stdout)
    assert attempt["mode"] == "training" and attempt["remaining_seconds"] is None
    resumed = json.loads(kubedojo("exam", "resume", "--no-app", "--json", data=tmp_path).stdout)
    assert resumed["attempt"] == attempt["attempt"] and resumed["mode"] == "training"
    from app.exam_store import ExamStore

    store = ExamStore(tmp_path / "exams.sqlite3")
    store.finish(store.load(attempt["attempt"]), _result().to_json())
    store.close()
    history = json.loads(kubedojo("exam", "history", "--json", data=tmp_path).stdout)
    assert [(h["mode"], h["counted"]) for h in history] == [("training", False)]
    assert "[training: not counted]" in kubedojo("exam", "history", data=tmp_path).stdout
    exported = json.loads(kubedojo("exam", "export", data=tmp_path).stdout)
    assert exported["mode"] == "training"
    md = kubedojo("--lang", "ko", "exam", "export", "--format", "markdown", data=tmp_path).stdout
    assert "모드: 연습" in md
    junit = kubedojo("exam", "export", "--format", "junit", "-o", str(tmp_path / "t.xml"), data=tmp_path)
    assert junit.returncode == 0, junit.stderr
    import xmlschema

    xmlschema.XMLSchema(str(XSD)).validate(str(tmp_path / "t.xml"))
    xml = (tmp_path / "t.xml").read_text(encoding="utf-8")
    assert '<property name="mode" value="training" />' in xml and '<property name="counted" value="false" />' in xml
    assert "not counted as an exam score" in kubedojo("exam", "export", "--format", "text", data=tmp_path).stdout
    bad = kubedojo("exam", "start", "cka-short", "--mode", "mastery", "--no-app", data=tmp_path)
    assert bad.returncode == 2 and "training" in bad.stderr and "Traceback" not in bad.stderr
    plain = json.loads(kubedojo("exam", "start", "cka-short", "--seed", "5", "--no-app", "--json", data=tmp_path).stdout)
    assert plain["mode"] == "exam" and plain["remaining_seconds"] > 1790
