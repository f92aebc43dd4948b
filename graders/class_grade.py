"""Grading a class: every student's folder of answers to one exam, into one table (CSV, JSON) and a JUnit file per student."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence
from xml.etree import ElementTree

from exercises.exams import Exam, ExamError, Paper, draw_paper
from exercises.model import DOMAINS, Exercise
from graders.exam_grade import ExamResult, grade_paper

ANSWER_SUFFIXES = ("", ".yaml", ".yml", ".json", ".txt", ".sh")
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


def task_files(folder: Path, paper: Paper) -> tuple[dict[int, Path], list[str]]:
    """Task number -> its answer file (`3.yaml`, `task-3.txt` or `<exercise-id>.yaml`), and what was not used."""
    names: dict[str, int] = {}
    for task in paper.tasks:
        for stem in (str(task.number), f"task-{task.number}", task.exercise_id):
            names[stem] = task.number
    found: dict[int, list[Path]] = {}
    problems = []
    entries = sorted(folder.iterdir())
    if len(entries) > MAX_FILES_PER_STUDENT:
        return {}, [f"more than {MAX_FILES_PER_STUDENT} files: not graded"]
    for path in entries:
        if path.name == PAPER_FILE or path.name.startswith("."):
            continue
        stem, suffix = (path.stem, path.suffix) if path.suffix.lower() in ANSWER_SUFFIXES else (path.name, "")
        if stem not in names:
            problems.append(f"{path.name}: not an answer to any task (name it after the task number or the exercise id)")
            continue
        found.setdefault(names[stem], []).append(path)
    chosen = {}
    for number, paths in sorted(found.items()):
        if len(paths) > 1:
            problems.append(f"task {number} has {len(paths)} answers ({', '.join(p.name for p in paths)}): none is graded, keep one")
            continue
        chosen[number] = paths[0]
    return chosen, problems


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
                        "student's attempt, or give the exam a `seed` so everyone sits the same paper")
    return class_paper


def grade_student(folder: Path, exam: Exam, exercises: Mapping[str, Exercise], class_paper: Paper | None, lang: str = "en") -> StudentResult:
    from graders.files import FileReadError, read_text_file
    from graders.source import MAX_ANSWER_BYTES

    student = StudentResult(folder.name, folder)
    try:
        paper = student_paper(folder, exam, list(exercises.values()), class_paper)
    except ExamError as err:
        student.problems.append(str(err))
        return student
    files, student.problems = task_files(folder, paper)
    answers: dict[int, str] = {}
    for number, path in files.items():
        try:
            answers[number] = read_text_file(path, MAX_ANSWER_BYTES)
        except FileReadError as err:
            student.problems.append(f"task {number}: {path.name}: {err.reason}")
    offline = Paper(paper.exam_key, paper.seed, tuple(t if not t.live else _offline(t, exercises) for t in paper.tasks))
    student.result = grade_paper(offline, exercises, answers, pass_mark=exam.spec.pass_mark, lang=lang)
    return student


def _offline(task: Any, exercises: Mapping[str, Exercise]) -> Any:
    """A live task graded from the answer file the student handed in, when its exercise can be graded offline."""
    from dataclasses import replace

    exercise = exercises.get(task.exercise_id)
    return replace(task, live=False) if exercise is not None and exercise.offline else task


def grade_class(class_dir: Path, exam: Exam, exercises: Mapping[str, Exercise], lang: str = "en") -> ClassResults:
    """Every folder in `class_dir` is one student's; files beside them are named as not used."""
    results = ClassResults(exam, [])
    try:
        class_paper = draw_paper(exam, list(exercises.values())) if exam.spec.fixed or exam.spec.seed is not None else None
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


_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: Any) -> str:
    return _XML_UNSAFE.sub("\ufffd", str(text))


def junit_xml(student: StudentResult, exam: Exam) -> str:
    """One testsuite for the student's attempt, one testcase per task (its domain as classname); a task short of full points fails."""
    suite = ElementTree.Element("testsuite", name=_xml(f"{exam.key} {student.student}"))
    tasks = student.result.tasks if student.result else ()
    failures = 0
    for task in tasks:
        case = ElementTree.SubElement(suite, "testcase", classname=_xml(task.domain), name=_xml(f"task {task.number}: {task.exercise_id}"),
                                      time=f"{task.seconds:.1f}")
        props = ElementTree.SubElement(case, "properties")
        for name, value in (("points", task.points), ("earned", _points(task.earned))):
            ElementTree.SubElement(props, "property", name=name, value=str(value))
        if not task.full:
            failures += 1
            said = [f"{c.check_id}: {c.message}" for c in task.checks if c.status != "pass"] + list(task.errors)
            failure = ElementTree.SubElement(case, "failure", message=_xml(f"{_points(task.earned)} of {task.points} points"
                                                                          + ("" if task.answered else " (not answered)")))
            failure.text = _xml("\n".join(said))
    if student.problems:
        case = ElementTree.SubElement(suite, "testcase", classname="answers", name="the folder's files")
        error = ElementTree.SubElement(case, "error", message=_xml(student.problems[0]))
        error.text = _xml("\n".join(student.problems))
    suite.set("tests", str(len(tasks) + (1 if student.problems else 0)))
    suite.set("failures", str(failures))
    suite.set("errors", "1" if student.problems else "0")
    if student.result:
        suite.set("score", str(_points(student.result.earned)))
        suite.set("max_score", str(student.result.possible))
    ElementTree.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suite, encoding="unicode") + "\n"


def junit_name(student: str) -> str:
    """A file name for the student's JUnit file that stays in the output folder."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", student).strip("._") or "student"
