"""Grading a class: every student's folder of answers to one exam (read as `exam grade --answers` reads one), into one table
(CSV, JSON) and a JUnit file per student."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from exercises.exams import Exam, ExamError, Paper, draw_paper
from exercises.model import DOMAINS, Exercise
from graders.exam_grade import ExamResult, grade_paper

PAPER_FILE = "paper.json"
"""The paper a student's attempt drew (an exam that draws anew for each attempt); written by the exam session."""
MAX_STUDENTS = 1000
MAX_FILES_PER_STUDENT = 200


@dataclass
class StudentResult:
    """One student's graded folder; `problems` say what in it could not be used (and cost the task its points)."""

    student: str
    folder: Path
    result: ExamResult | None = None
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"student": self.student, "folder": str(self.folder), "problems": self.problems,
                **(self.result.to_json() if self.result else {"score": 0, "max_score": 0, "percent": 0.0, "passed": False, "tasks": [], "domains": []})}


@dataclass
class ClassResults:
    exam: Exam
    students: list[StudentResult]
    problems: list[str] = field(default_factory=list)
    """What in the class folder is not a student's folder, or is refused."""


def student_paper(folder: Path, exam: Exam, exercises: Sequence[Exercise], class_paper: Paper | None) -> Paper:
    """The student's own paper.json when there is one, else the class's; raises ExamError."""
    own = folder / PAPER_FILE
    if own.exists():
        from graders.files import FileReadError, read_text_file

        try:
            paper = Paper.from_json(json.loads(read_text_file(own, 256 * 1024)))
        except FileReadError as err:
            raise ExamError(f"{PAPER_FILE}: {err.reason}") from None
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise ExamError(f"{PAPER_FILE} is not an exam paper ({err.__class__.__name__}: {err})") from None
        if paper.exam_key != exam.key:
            raise ExamError(f"{PAPER_FILE} is a paper of exam {paper.exam_key}, not of {exam.key}")
        known = {e.id for e in exercises}
        unknown = [t.exercise_id for t in paper.tasks if t.exercise_id not in known]
        if unknown:
            raise ExamError(f"{PAPER_FILE} names exercise(s) the pack does not have: {', '.join(unknown)}")
        return paper
    if class_paper is None:
        raise ExamError(f"exam {exam.key} draws each attempt anew (no seed): the folder needs the {PAPER_FILE} of the "
                        "student's attempt, or give --seed (or the exam a `seed`) so everyone sits the same paper")
    return class_paper


def grade_student(folder: Path, exam: Exam, exercises: Mapping[str, Exercise], class_paper: Paper | None, lang: str = "en") -> StudentResult:
    """One student's folder, its files matched to tasks by `exam grade --answers`' own rules (3.yaml, task-03.txt, <exercise>.yaml)."""
    from app.exam_cli import read_answers
    from graders.exam_grade import replace_errors

    student = StudentResult(folder.name, folder)
    try:
        paper = student_paper(folder, exam, list(exercises.values()), class_paper)
    except ExamError as err:
        student.problems.append(str(err))
        return student
    if sum(1 for _ in zip(range(MAX_FILES_PER_STUDENT + 1), folder.iterdir())) > MAX_FILES_PER_STUDENT:
        student.problems.append(f"more than {MAX_FILES_PER_STUDENT} files: not graded")
        return student
    answers, unreadable, notes = read_answers(folder, paper, lang)
    student.problems = [n for n in notes if not n.startswith(PAPER_FILE + " ")] + [f"task {n}: {why}" for n, why in sorted(unreadable.items())]
    offline = Paper(paper.exam_key, paper.seed, tuple(t if not t.live else _offline(t, exercises) for t in paper.tasks))
    result = grade_paper(offline, exercises, {n: a for n, a in answers.items() if n not in unreadable}, pass_mark=exam.spec.pass_mark, lang=lang)
    student.result = replace_errors(result, unreadable)
    return student


def _offline(task: Any, exercises: Mapping[str, Exercise]) -> Any:
    """A live task graded from the answer file the student handed in, when its exercise can be graded offline."""
    from dataclasses import replace

    exercise = exercises.get(task.exercise_id)
    return replace(task, live=False) if exercise is not None and exercise.offline else task


def grade_class(class_dir: Path, exam: Exam, exercises: Mapping[str, Exercise], lang: str = "en", seed: int | None = None) -> ClassResults:
    """Every folder in `class_dir` is one student's; files beside them are named as not used."""
    results = ClassResults(exam, [])
    try:
        fixed = exam.spec.fixed or exam.spec.seed is not None or seed is not None
        class_paper = draw_paper(exam, list(exercises.values()), seed) if fixed else None
    except ExamError as err:
        results.problems.append(str(err))
        return results
    entries = sorted(class_dir.iterdir())
    for entry in entries[:MAX_STUDENTS]:
        if entry.is_symlink() or not entry.is_dir():
            if not entry.name.startswith("."):
                results.problems.append(f"{entry.name}: not a student's folder (each student's answers are a folder)")
            continue
        results.students.append(grade_student(entry, exam, exercises, class_paper, lang))
    if len(entries) > MAX_STUDENTS:
        results.problems.append(f"more than {MAX_STUDENTS} entries: only the first {MAX_STUDENTS} are graded")
    return results


# --- the table, and a JUnit file per student ---------------------------------------------------


def _points(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 3)


def table(results: ClassResults) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns and one row per student: the score, then each task's points (by exercise id), then each domain's."""
    tasks: dict[str, None] = {}
    domains: dict[str, None] = {}
    for student in results.students:
        for task in student.result.tasks if student.result else ():
            tasks[f"task:{task.exercise_id}"] = None
            domains[f"domain:{task.domain}"] = None
    ordered_domains = sorted(domains, key=lambda d: DOMAINS.index(d[7:]) if d[7:] in DOMAINS else 99)
    columns = ["student", "score", "max_score", "percent", "passed", *tasks, *ordered_domains, "problems"]
    rows = []
    for student in results.students:
        row: dict[str, Any] = {"student": student.student, "score": 0, "max_score": 0, "percent": 0.0, "passed": False,
                               "problems": "; ".join(student.problems)}
        if student.result:
            result = student.result
            row.update(score=_points(result.earned), max_score=result.possible, percent=round(result.percent, 1), passed=result.passed)
            for task in result.tasks:
                row[f"task:{task.exercise_id}"] = _points(task.earned)
            for domain in result.domains:
                row[f"domain:{domain.domain}"] = _points(domain.earned)
        rows.append(row)
    return columns, rows


def csv_text(results: ClassResults) -> str:
    columns, rows = table(results)
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, restval="", lineterminator="\n")
    writer.writeheader()
    for row in rows:  # a cell a spreadsheet would run as a formula is quoted as text
        writer.writerow({k: ("'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v) for k, v in row.items()})
    return out.getvalue()


def json_data(results: ClassResults) -> dict[str, Any]:
    columns, rows = table(results)
    return {"exam": results.exam.key, "pass_mark": results.exam.spec.pass_mark, "columns": columns, "rows": rows,
            "students": [s.to_json() for s in results.students], "problems": results.problems}


def junit_xml(student: StudentResult, exam: Exam, lang: str = "en") -> str:
    """The attempt as `exam export --format junit` writes one (a testcase per task); what in the folder could not be used
    goes in system-err, and a folder not graded at all is one testcase in error."""
    from xml.etree import ElementTree as ET

    from app.exam_export import to_junit, xml_safe
    from exercises.base import pick

    title = f"{pick(exam.spec.title, lang)}: {student.student}"
    result = student.result or ExamResult(exam.key, exam.spec.pass_mark, ())
    root = ET.fromstring(to_junit(result, lang, title=xml_safe(title)).encode("utf-8"))
    if student.result is None:  # not graded at all: one testcase in error, after the suite's properties
        suite = root.find("testsuite")
        assert suite is not None
        case = ET.Element("testcase", {"name": "the answer folder", "classname": f"{exam.key}.answers", "time": "0.000"})
        ET.SubElement(case, "error", {"message": xml_safe(student.problems[0] if student.problems else "not graded"), "type": "ungradable"})
        suite.insert(1, case)
        for element in (root, suite):
            element.set("tests", "1")
            element.set("errors", "1")
    errors = root.find("testsuite/system-err")
    if errors is not None:
        errors.text = xml_safe("\n".join(student.problems)) or None
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def junit_name(student: str) -> str:
    """A file name for the student's JUnit file that stays in the output folder."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", student).strip("._") or "student"
