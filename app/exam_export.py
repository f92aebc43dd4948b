"""A graded mock exam rendered for people and CI: text, JSON, JUnit XML (one testcase per task) and Markdown."""

from __future__ import annotations

import json
import re
import socket
import time
import xml.etree.ElementTree as ET
from typing import Any

from exercises.model import DOMAIN_TITLES
from graders.exam_grade import ExamResult, TaskScore

FORMATS = ("text", "json", "junit", "markdown")
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """Text XML 1.0 can hold: characters it forbids (NUL, other controls from an answer) become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def say(lang: str, en: str, ko: str) -> str:
    return ko if lang == "ko" else en


def domain_title(domain: str, lang: str) -> str:
    return DOMAIN_TITLES.get(domain, {}).get(lang) or DOMAIN_TITLES.get(domain, {}).get("en") or domain


def points(value: float) -> str:
    """2, 1.5, 0.67: points without a trailing .0."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def verdict(result: ExamResult, lang: str) -> str:
    word = say(lang, "PASS", "합격") if result.passed else say(lang, "FAIL", "불합격")
    return say(lang, f"{word}: {result.percent:.1f} % ({points(result.earned)} of {result.possible} points; pass mark {result.pass_mark} %)",
               f"{word}: {result.percent:.1f} % ({result.possible}점 중 {points(result.earned)}점, 합격선 {result.pass_mark} %)")


def pad(text: str, cells: int) -> str:
    """`text` cut (app.wrap.clip: by cells, a Korean letter whole or not at all) or padded to `cells` terminal cells."""
    from rich.cells import set_cell_size

    from app.wrap import clip

    return set_cell_size(clip(text, cells), cells)


def bar(percent: float, width: int = 20) -> str:
    filled = round(width * max(0.0, min(percent, 100.0)) / 100)
    return "█" * filled + "░" * (width - filled)


def minutes(seconds: float) -> str:
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def task_line(task: TaskScore, lang: str) -> str:
    mark = "✓" if task.full else ("~" if task.earned > 0 else "✗")
    answered = "" if task.answered else say(lang, " (not answered)", " (답하지 않음)")
    live = " [live]" if task.live else ""
    return f"{mark} {task.number:>2}. {task.exercise_id}{live}: {points(task.earned)}/{task.points}  {minutes(task.seconds)}{answered}"


def to_text(result: ExamResult, lang: str = "en", title: str = "", mode: str | None = None) -> str:
    lines = [f"{title or result.exam_key}", verdict(result, lang), *([mode_line(mode, lang)] if mode else []), "",
             say(lang, "By domain, weakest first:", "영역별 (약한 순서):")]
    for d in result.weakest_first():
        lines.append(f"  {bar(d.percent)} {d.percent:5.1f} %  {domain_title(d.domain, lang)} ({points(d.earned)}/{d.possible})")
    lines += ["", say(lang, "By task:", "문제별:")]
    for task in result.tasks:
        lines.append("  " + task_line(task, lang))
        for check in task.checks:
            if check.status != "pass":
                lines.append(f"        - {check.check_id}: {check.message}")
        lines.extend(f"        ! {e}" for e in task.errors)
    return "\n".join(lines) + "\n"


def to_json(result: ExamResult, meta: dict[str, Any] | None = None) -> str:
    data = dict(meta or {})
    data.update(result.to_json())
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def mode_line(mode: str, lang: str) -> str:
    if mode == "training":
        return say(lang, "Mode: training (no clock, hints and checks on; not counted as an exam score)",
                   "모드: 연습 (시간 제한 없음, 힌트와 채점 가능, 시험 점수에 넣지 않음)")
    return say(lang, "Mode: exam (timed, no hints)", "모드: 시험 (시간 제한, 힌트 없음)")


def to_markdown(result: ExamResult, lang: str = "en", title: str = "", mode: str | None = None) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [f"# {cell(title or result.exam_key)}", "", f"**{cell(verdict(result, lang))}**", "",
             *([mode_line(mode, lang), ""] if mode else []),
             f"## {say(lang, 'By domain (weakest first)', '영역별 (약한 순서)')}", "",
             f"| {say(lang, 'Domain', '영역')} | {say(lang, 'Points', '점수')} | % |", "| --- | ---: | ---: |"]
    for d in result.weakest_first():
        lines.append(f"| {cell(domain_title(d.domain, lang))} | {points(d.earned)}/{d.possible} | {d.percent:.1f} |")
    lines += ["", f"## {say(lang, 'By task', '문제별')}", "",
              f"| # | {say(lang, 'Exercise', '문제')} | {say(lang, 'Domain', '영역')} | {say(lang, 'Points', '점수')} | "
              f"{say(lang, 'Time', '시간')} | {say(lang, 'Checks', '검사')} |", "| ---: | --- | --- | ---: | ---: | --- |"]
    for t in result.tasks:
        checks = "<br>".join(f"{'✓' if c.status == 'pass' else '✗'} {cell(c.check_id)} ({c.earned}/{c.points})" for c in t.checks)
        if t.errors:
            checks = "<br>".join([*(f"! {cell(e)}" for e in t.errors), checks]).strip("<br>")
        lines.append(f"| {t.number} | {cell(t.exercise_id)} | {cell(domain_title(t.domain, lang))} | "
                     f"{points(t.earned)}/{t.points} | {minutes(t.seconds)} | {checks or '—'} |")
    return "\n".join(lines) + "\n"


def to_junit(result: ExamResult, lang: str = "en", title: str = "", timestamp: float | None = None, mode: str | None = None) -> str:
    """Ant/Jenkins JUnit XML: one testsuite for the exam, one testcase per task; a task short of full points is a
    failure (an answer that could not be graded, an error) whose message and text list its checks. An attempt's
    `mode` is the suite's properties `mode` and `counted` (a training attempt is not an exam score) and its first line out."""
    failures = sum(1 for t in result.tasks if not t.full and not t.errors)
    errors = sum(1 for t in result.tasks if not t.full and t.errors)
    seconds = sum(t.seconds for t in result.tasks)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(timestamp if timestamp is not None else time.time()))
    common = {"tests": str(len(result.tasks)), "failures": str(failures), "errors": str(errors), "time": f"{seconds:.3f}"}
    root = ET.Element("testsuites", {"name": xml_safe(title or result.exam_key), **common})
    suite = ET.SubElement(root, "testsuite", {"name": result.exam_key, "package": result.exam_key.split("/")[0], "id": "0",
                                              "timestamp": stamp, "hostname": socket.gethostname() or "localhost",
                                              "skipped": "0", **common})
    properties = ET.SubElement(suite, "properties")
    for name, value in (("score", points(result.earned)), ("max_score", str(result.possible)), ("percent", f"{result.percent:.1f}"),
                        ("pass_mark", str(result.pass_mark)), ("passed", str(result.passed).lower()), ("seed", str(result.seed)),
                        *((("mode", mode), ("counted", str(mode != "training").lower())) if mode else ())):
        ET.SubElement(properties, "property", {"name": name, "value": value})
    for task in result.tasks:
        case = ET.SubElement(suite, "testcase", {"name": f"{task.number:02d} {task.exercise_id}", "classname": f"{result.exam_key}.{task.domain}",
                                                 "time": f"{task.seconds:.3f}"})
        if task.full:
            continue
        checks = "\n".join(f"[{c.status}] {c.check_id} ({c.earned}/{c.points}): {c.message}" for c in task.checks)
        text = "\n".join([*task.errors, checks]).strip()
        summary = say(lang, f"{points(task.earned)} of {task.points} points", f"{task.points}점 중 {points(task.earned)}점")
        if not task.answered and not task.errors:
            summary += say(lang, " (not answered)", " (답하지 않음)")
        tag, kind = ("error", "ungradable") if task.errors else ("failure", "partial" if task.earned > 0 else "failed")
        detail = ET.SubElement(case, tag, {"message": xml_safe(f"{summary}: {task.errors[0]}" if task.errors else summary), "type": kind})
        detail.text = xml_safe(text)
    ET.SubElement(suite, "system-out").text = "\n".join([*([mode_line(mode, lang)] if mode else []), verdict(result, lang)])
    ET.SubElement(suite, "system-err")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render(result: ExamResult, fmt: str, lang: str = "en", title: str = "", meta: dict[str, Any] | None = None,
           timestamp: float | None = None, mode: str | None = None) -> str:
    if fmt == "json":
        return to_json(result, meta)
    if fmt == "junit":
        return to_junit(result, lang, title, timestamp, mode)
    if fmt == "markdown":
        return to_markdown(result, lang, title, mode)
    return to_text(result, lang, title, mode)
