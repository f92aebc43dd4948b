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

    def to_json(self) -> dict[str, Any]:
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
                    "message": r.message,
                    "path": r.path,
                    "line": r.line,
                    "remediation": r.remediation,
                }
                for r in self.results
            ],
            "errors": [{"message": e.message, "line": e.line, "column": e.column, "hint": e.hint} for e in self.errors],
        }


def unusable(exercise_id: str, *errors: AnswerError, max_score: int = 0, mode: Literal["offline", "live"] = "offline") -> GradeReport:
    """A report for an answer that could not be graded."""
    return GradeReport(exercise_id, (), tuple(errors), mode=mode, max_score=max_score)
