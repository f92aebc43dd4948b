"""Rendering exercises and grade reports for the terminal (rich), outside the Textual app."""

from __future__ import annotations

import json
import re
from typing import Any

from exercises.model import DOMAIN_TITLES, Exercise, pick
from graders.report import GradeReport

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Control characters (ESC, CR, backspace, C1) and bidirectional overrides: they steer a terminal, or reorder text."""
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")  # json escapes C0 itself


def terminal_safe(text: Any) -> str:
    """Text from an answer or a pack as it may reach a terminal: `\\x1b` shown, never sent; tabs and newlines kept."""
    text = str(text)
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text) if _UNSAFE.search(text) else text


def json_text(data: Any) -> str:
    """One line of JSON, readable (Korean stays Korean) and inert in a terminal (every control character escaped)."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _safe(text: Any) -> str:
    """terminal_safe, then escaped for rich markup."""
    from rich.markup import escape

    return escape(terminal_safe(text))

UI = {
    "passed": {"en": "passed", "ko": "통과"},
    "failed": {"en": "failed", "ko": "실패"},
    "unusable": {"en": "could not be graded", "ko": "채점할 수 없습니다"},
    "line": {"en": "line", "ko": "줄"},
    "col": {"en": "col", "ko": "열"},
    "hint": {"en": "hint", "ko": "힌트"},
    "fix": {"en": "fix", "ko": "고치는 방법"},
    "checks": {"en": "checks", "ko": "검사"},
    "namespace": {"en": "namespace", "ko": "네임스페이스"},
    "docs": {"en": "docs", "ko": "문서"},
    "starter": {"en": "starter (save it, edit it, then `kubedojo check {id} -f FILE`)",
                "ko": "시작 코드 (저장하고 고친 뒤 `kubedojo check {id} -f FILE`)"},
    "solution": {"en": "solution", "ko": "풀이"},
    "options": {"en": "options", "ko": "보기"},
    "errors": {"en": "{n} error(s) to fix", "ko": "고칠 오류 {n}개"},
}

PIPE_WIDTH = 100_000
"""Output that is not a terminal (a pipe, a file) is not wrapped: grep and cut see whole lines."""


def t(key: str, lang: str) -> str:
    return pick(UI[key], lang)


def console() -> Any:
    """A rich console for stdout: wrapped to the terminal's width, or not wrapped at all when piped."""
    from rich.console import Console

    out = Console(highlight=False)
    if not out.is_terminal:
        out = Console(highlight=False, width=PIPE_WIDTH)
    return out


def _where(line: int | None, column: int | None, lang: str) -> str:
    if not line:
        return ""
    text = f"{t('line', lang)} {line}"
    if column:
        text += f", {t('col', lang)} {column}"
    return f"[dim]{text}:[/] "


def report_lines(report: GradeReport, lang: str) -> list[str]:
    """The report as rich-markup lines; every text from the answer or the pack is escaped and made inert."""
    name = _safe(report.exercise_id)
    if not report.usable:
        head = f"[bold red]✘ {name}: {t('unusable', lang)}[/]"
    elif report.passed:
        head = f"[bold green]✔ {name} {t('passed', lang)}[/] [dim]{report.score}/{report.max_score}[/]"
    else:
        head = f"[bold red]✘ {name} {t('failed', lang)}[/] [dim]{report.score}/{report.max_score}[/]"
        if report.errors:  # every check may pass and the answer still fail: say why in the head line
            head += f" [red]· {t('errors', lang).format(n=len(report.errors))}[/]"
    lines = [head]
    report = report.rendered(lang)  # the grader's words in the reader's language
    for err in report.errors:
        lines.append(f"  [red]![/] {_where(err.line, err.column, lang)}{_safe(err.message)}")
        if err.hint:
            lines.append(f"      [yellow]{t('hint', lang)}:[/] {_safe(err.hint)}")
    for r in report.results:
        mark = {"pass": "[green]✔[/]", "fail": "[red]✘[/]", "error": "[magenta]![/]", "skip": "[dim]–[/]"}[r.status]
        lines.append(f"  {mark} [bold]{_safe(r.check_id)}[/] {_where(r.line, None, lang)}{_safe(r.message)}")
        if r.remediation:
            lines.append(f"      [yellow]{t('fix', lang)}:[/] {_safe(r.remediation)}")
    return lines


def print_report(report: GradeReport, lang: str) -> None:
    """The report; a long message wraps under its own start (hanging indent) on a terminal, not at all in a pipe.

    On a terminal a long path or URL breaks at its dots, slashes and brackets, never mid-word (app.wrap).
    """
    from rich.text import Text

    from app.wrap import wrap

    out = console()
    for line in report_lines(report, lang):
        text = Text.from_markup(line)
        plain = text.plain
        body = len(plain) - len(plain.lstrip())
        body += plain[body:].find(" ") + 1 if plain[body:body + 1] in ("✔", "✘", "!", "–") else 0
        if not out.is_terminal:
            out.print(text, soft_wrap=True)
            continue
        for part in wrap(text, out.width, body):
            out.print(part, soft_wrap=True)


def exercise_summary(exercise: Exercise, lang: str, pack_id: str | None = None) -> dict[str, Any]:
    """The fields `list --json` prints for each exercise."""
    return {
        "id": exercise.id,
        "pack": pack_id,
        "kind": exercise.kind,
        "title": pick(exercise.title, lang),
        "domain": exercise.domain,
        "difficulty": exercise.difficulty,
        "weight": exercise.weight,
        "target_minutes": exercise.target_minutes,
        "offline": exercise.offline,
        "live": exercise.live is not None,
        "namespace": exercise.live.namespace if exercise.live else None,
    }


def exercise_detail(exercise: Exercise, lang: str, pack_id: str | None, with_solution: bool) -> dict[str, Any]:
    """Everything `show --json` prints."""
    data = exercise_summary(exercise, lang, pack_id)
    data.update(
        task=pick(exercise.task, lang),
        hints=[pick(h, lang) for h in exercise.hints],
        docs=list(exercise.docs),
        starter=exercise.starter,
        checks=[{"id": c.id, "type": c.type, "description": pick(c.description, lang) or None} for c in exercise.all_checks()],
    )
    if exercise.quiz:
        data["options"] = [{"id": o.id, "text": pick(o.text, lang)} for o in exercise.quiz.options]
        data["quiz_style"] = exercise.quiz.style
    if with_solution:
        data["solution"] = exercise.solution
        data["explanation"] = pick(exercise.explanation, lang) or None
    return data


def print_exercise(exercise: Exercise, lang: str, with_solution: bool) -> None:
    """`kubedojo show`: rendered Markdown on a terminal; in a pipe the Markdown as written (URLs whole)."""
    from rich.markdown import Markdown

    from app.tui.strings import t as words  # plain words, no Textual

    out = console()
    piped = not out.is_terminal

    def markdown(text: str) -> None:
        if piped:
            out.print(_safe(text.rstrip()), soft_wrap=True)
        else:
            out.print(Markdown(terminal_safe(text)))

    about = " · ".join([exercise.id, words(f"kind.{exercise.kind}", lang), words(f"level.{exercise.difficulty}", lang),
                        words("mode." + ("live" if exercise.live_only else ("both" if exercise.live else "offline")), lang), pick(DOMAIN_TITLES[exercise.domain], lang)])
    out.print(f"[bold]{_safe(pick(exercise.title, lang))}[/]  [dim]{_safe(about)}[/]")
    markdown(pick(exercise.task, lang))
    if exercise.quiz:
        for option in exercise.quiz.options:
            out.print(f"  [bold]{_safe(option.id)})[/] {_safe(pick(option.text, lang))}")
    if exercise.live and exercise.live.namespace:
        out.print(f"[dim]{t('namespace', lang)}:[/] {_safe(exercise.live.namespace)}")
    for url in exercise.docs:
        out.print(f"[dim]{t('docs', lang)}:[/] {_safe(url)}", soft_wrap=True)  # a URL is never broken
    if exercise.starter:
        out.print(f"\n[dim]{_safe(t('starter', lang).format(id=exercise.id))}:[/]")
        out.print(_safe(exercise.starter.rstrip("\n")), soft_wrap=True)
    if with_solution:
        out.print(f"\n[dim]{t('solution', lang)}:[/]")
        out.print(_safe(exercise.solution.rstrip("\n")), soft_wrap=True)
        if exercise.explanation:
            markdown(pick(exercise.explanation, lang))


def print_exercise_table(rows: list[dict[str, Any]], lang: str) -> None:
    """`kubedojo list`: exercises grouped by CKA domain; titles are cut to the terminal's width by cells (app.wrap.clip), never in a pipe."""
    from rich.cells import cell_len
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    from app.tui.strings import t as words
    from app.wrap import clip

    out = console()
    for domain, titles in DOMAIN_TITLES.items():
        chosen = [r for r in rows if r["domain"] == domain]
        if not chosen:
            continue
        table = Table(box=None, show_header=False, padding=(0, 1), expand=False)
        cells = []
        for row in chosen:
            mode = words("mode." + ("live" if not row["offline"] else ("both" if row["live"] else "offline")), lang)
            kind = f"{words('kind.' + row['kind'], lang)} · {words('level.' + row['difficulty'], lang)}"
            cells.append((_safe(row["id"]), kind, mode, _safe(row["title"])))
        widths = [max(cell_len(Text.from_markup(c[i]).plain) for c in cells) for i in range(3)]
        for i, style in enumerate(("bold", "dim", "dim")):
            table.add_column(no_wrap=True, style=style, min_width=widths[i])
        room = max(10, out.width - sum(w + 2 for w in widths) - 2)  # each column has a cell of padding either side
        table.add_column(no_wrap=True)
        for *first, title in cells:
            plain = Text.from_markup(title).plain
            table.add_row(*first, escape(clip(plain, room)) if cell_len(plain) > room else title)
        out.print(f"\n[bold cyan]{escape(pick(titles, lang))}[/] [dim]({len(chosen)})[/]")
        with out.capture() as captured:
            out.print(table)
        out.out("\n".join(line.rstrip() for line in captured.get().splitlines()), highlight=False)
