"""What grading returns: one small record per check, and the report that gathers them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["pass", "fail", "error", "skip"]


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check."""

    check_id: str
    status: Status
    message: str
    path: str | None = None
    line: int | None = None
    remediation: str | None = None

    @property
    def passed(self) -> bool:
        return self.status == "pass"


@dataclass(frozen=True)
class AnswerError:
    """Why an answer could not be graded at all (YAML syntax, schema, an unreachable cluster ...)."""

    message: str
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    fatal: bool = True
    """True when nothing could be graded (bad YAML, no cluster); False for a graded answer's flaw (schema)."""


@dataclass(frozen=True)
class GradeReport:
    """Every check's result for one answer to one exercise."""

    exercise_id: str
    results: tuple[CheckResult, ...] = ()
    errors: tuple[AnswerError, ...] = ()
    mode: Literal["offline", "live"] = "offline"
    max_score: int = field(default=0)

    @property
    def passed(self) -> bool:
        return not self.errors and bool(self.results) and all(r.status == "pass" for r in self.results)  # a skip proves nothing

    @property
    def score(self) -> int:
        return sum(1 for r in self.results if r.passed) if self.usable else 0

    @property
    def usable(self) -> bool:
        """False when the answer could not be graded (exit code 2 on the CLI)."""
        return not any(e.fatal for e in self.errors)

    def first_line(self) -> int | None:
        """The line to put the cursor on: the first error's, else the first failed check's."""
        for item in (*self.errors, *(r for r in self.results if not r.passed)):
            if item.line:
                return item.line
        return None

    def rendered(self, lang: str) -> "GradeReport":
        """The same report with every message in `lang`, without grading again."""
        from dataclasses import replace

        from graders.messages import render

        results = tuple(replace(r, message=render(r.message, lang), remediation=render(r.remediation, lang)) for r in self.results)
        errors = tuple(replace(e, message=render(e.message, lang), hint=render(e.hint, lang)) for e in self.errors)
        return replace(self, results=results, errors=errors)

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        """The report as JSON: each message in `lang` (else as graded), with the key and values it was made from."""
        from graders.messages import described, render

        def text(message: Any) -> Any:
            return render(message, lang) if lang else (str(message) if message is not None else None)

        return {
            "exercise": self.exercise_id,
            "mode": self.mode,
            "passed": self.passed,
            "score": self.score,
            "max_score": self.max_score,
            "checks": [
                {
                    "id": r.check_id,
                    "passed": r.passed,
                    "status": r.status,
                    "message": text(r.message),
                    **described(r.message),
                    "path": r.path,
                    "line": r.line,
                    "remediation": text(r.remediation),
                }
                for r in self.results
            ],
            "errors": [{"message": text(e.message), **described(e.message), "line": e.line, "column": e.column, "hint": text(e.hint)}
                       for e in self.errors],
        }


def unusable(exercise_id: str, *errors: AnswerError, max_score: int = 0, mode: Literal["offline", "live"] = "offline") -> GradeReport:
    """A report for an answer that could not be graded."""
    return GradeReport(exercise_id, (), tuple(errors), mode=mode, max_score=max_score)
