"""After the exam: the score and pass/fail, domains weakest first as bars, each task's points; the review of a task."""

from __future__ import annotations

import difflib
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from app.exam_export import bar, domain_title, minutes, mode_line, pad, points, say, verdict
from app.tui.exam_screen import relabel
from exercises.base import pick


class ExamResultsScreen(Screen[None]):
    """The verdict of one attempt; enter on a task opens its review."""

    BINDINGS = [Binding("escape", "app.pop_screen", "close", id="exam-results-close", tooltip="close / 닫기")]

    def on_mount(self) -> None:
        relabel(self, self.lang)
    DEFAULT_CSS = """
    ExamResultsScreen #exam-verdict { padding: 1 2; text-style: bold; }
    ExamResultsScreen #exam-verdict.passed { color: $success; }
    ExamResultsScreen #exam-verdict.failed { color: $error; }
    ExamResultsScreen #exam-domains { padding: 0 2 1 2; height: auto; }
    ExamResultsScreen #exam-tasks { height: 1fr; }
    """

    def __init__(self, result: Any, attempt: Any, exercises: dict[str, Any], *, title: str = "", lang: str = "en") -> None:
        super().__init__()
        self.result, self.attempt, self.exercises, self.exam_title, self.lang = result, attempt, exercises, title, lang

    def compose(self) -> ComposeResult:
        mode = ("\n" + mode_line("training", self.lang)) if getattr(self.attempt, "training", False) else ""
        yield Static(f"{self.exam_title}\n{verdict(self.result, self.lang)}{mode}", id="exam-verdict",
                     classes="passed" if self.result.passed else "failed")
        rows = [say(self.lang, "By domain, weakest first:", "영역별 (약한 순서):")]
        for d in self.result.weakest_first():
            rows.append(f"{bar(d.percent)} {d.percent:5.1f} %  {domain_title(d.domain, self.lang)} ({points(d.earned)}/{d.possible})")
        yield Static("\n".join(rows), id="exam-domains")
        options = []
        for task in self.result.tasks:
            mark = "✓" if task.full else ("~" if task.earned > 0 else "✗")
            passed = sum(1 for c in task.checks if c.status == "pass")
            options.append(Option(
                f"{mark} {task.number:>2}. {task.exercise_id:<28} {points(task.earned):>5}/{task.points:<3} "
                f"{minutes(task.seconds):>6}  " + say(self.lang, f"{passed}/{len(task.checks)} checks", f"검사 {passed}/{len(task.checks)}"),
                id=f"result-{task.number}"))
        yield OptionList(*options, id="exam-tasks")
        yield Footer()

    @on(OptionList.OptionSelected, "#exam-tasks")
    def _review(self, event: OptionList.OptionSelected) -> None:
        task = self.result.tasks[event.option_index]
        self.app.push_screen(ExamReviewScreen(task, self.attempt.answers.get(task.number, ""),
                                              self.exercises.get(task.exercise_id), lang=self.lang))


def answer_diff(answer: str, solution: str, lang: str = "en") -> str:
    """The answer against the solution, as a unified diff (the whole answer when it shares nothing)."""
    lines = list(difflib.unified_diff(answer.splitlines(), solution.splitlines(), say(lang, "your answer", "내 답"),
                                      say(lang, "solution", "모범 답안"), lineterm="", n=2))
    return "\n".join(lines) if lines else say(lang, "(the same as the solution)", "(모범 답안과 같습니다)")


def review_markdown(task: Any, answer: str, exercise: Any, lang: str) -> str:
    parts = [f"## {task.number}. {pick(exercise.title, lang) if exercise else task.exercise_id}",
             f"**{points(task.earned)} / {task.points}** · {domain_title(task.domain, lang)} · {minutes(task.seconds)}", ""]
    parts += [f"- ⚠ {e}" for e in task.errors]
    for check in task.checks:
        icon = "✓" if check.status == "pass" else ("·" if check.status == "skip" else "✗")
        parts.append(f"- {icon} `{check.check_id}` ({check.earned}/{check.points}): {check.message}")
    if exercise is not None:
        parts += ["", f"### {say(lang, 'Solution', '모범 답안')}", "", "```", exercise.solution.rstrip(), "```"]
        if exercise.explanation:
            parts += ["", f"### {say(lang, 'Why', '해설')}", "", pick(exercise.explanation, lang)]
        if exercise.kind == "manifest" and answer.strip():
            parts += ["", f"### {say(lang, 'Your answer against the solution', '내 답과 모범 답안 비교')}", "", "```diff",
                      answer_diff(answer, exercise.solution, lang), "```"]
        elif answer.strip():
            parts += ["", f"### {say(lang, 'Your answer', '내 답')}", "", "```", answer.rstrip(), "```"]
    return "\n".join(parts)


class ExamReviewScreen(Screen[None]):
    """One task after the exam: every check, the solution and its explanation beside the answer."""

    BINDINGS = [Binding("escape", "app.pop_screen", "back", id="exam-review-back", tooltip="back / 뒤로")]

    def on_mount(self) -> None:
        relabel(self, self.lang)

    def __init__(self, task: Any, answer: str, exercise: Any, *, lang: str = "en") -> None:
        super().__init__()
        self.score, self.answer, self.exercise, self.lang = task, answer, exercise, lang

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(review_markdown(self.score, self.answer, self.exercise, self.lang), id="exam-review")
        yield Footer()


def sparkline(values: list[float], top: float = 100.0) -> str:
    """Scores as a row of block characters, one per attempt, oldest first."""
    blocks = "▁▂▃▄▅▆▇█"
    return "".join(blocks[min(len(blocks) - 1, int(max(0.0, v) / top * (len(blocks) - 1) + 0.5))] for v in values)


class ExamHistoryScreen(Screen[None]):
    """Every finished attempt, with the trend of the score and of each domain as sparklines."""

    BINDINGS = [Binding("escape", "app.pop_screen", "close", id="exam-history-close", tooltip="close / 닫기")]

    def on_mount(self) -> None:
        relabel(self, self.lang)

    def __init__(self, entries: list[Any], *, lang: str = "en") -> None:
        super().__init__()
        self.entries, self.lang = entries, lang

    def compose(self) -> ComposeResult:
        yield Static(history_text(self.entries, self.lang), id="exam-history")
        yield Footer()


def history_text(entries: list[Any], lang: str) -> str:
    """The trend of exam-mode attempts; training attempts are counted apart, never in the trend."""
    training = [e for e in entries if getattr(e, "training", False)]
    entries = [e for e in entries if not getattr(e, "training", False)]
    apart = say(lang, f"{len(training)} training attempt(s) kept, not counted in the trend.",
                f"연습 {len(training)}회는 기록되었지만 추세에 넣지 않습니다.") if training else ""
    if not entries:
        return "\n\n".join(p for p in (say(lang, "No finished exam yet.", "아직 끝낸 시험이 없습니다."), apart) if p)
    scores = [e.percent for e in entries]
    lines = [say(lang, f"{len(entries)} attempt(s), oldest first", f"응시 {len(entries)}회, 오래된 순서"), "",
             f"{pad(say(lang, 'score', '점수'), 34)} {sparkline(scores)}  {scores[-1]:.0f} %", ""]
    domains: dict[str, list[float]] = {}
    for entry in entries:
        for d in entry.result.get("domains", []):
            domains.setdefault(d["domain"], []).append(float(d["percent"]))
    for domain, values in sorted(domains.items(), key=lambda kv: kv[1][-1]):
        lines.append(f"{pad(domain_title(domain, lang), 34)} {sparkline(values)}  {values[-1]:.0f} %")
    if apart:
        lines += ["", apart]
    return "\n".join(lines)
