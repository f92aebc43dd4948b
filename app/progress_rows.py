"""Rows of the progress database read defensively, and the writes kept in memory when the file cannot take them."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from typing import Any

BOXES = range(1, 7)
"""The Leitner boxes a schedule row may hold."""


def as_text(value: Any) -> str | None:
    """A TEXT column's value, or None when it holds something else (bytes are decoded if they are UTF-8)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def as_time(value: Any) -> float | None:
    """A REAL time column's value (seconds since the epoch), or None when it is not a finite number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def as_int(value: Any) -> int | None:
    """An INTEGER column's value, or None when it is not a whole number."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def as_flag(value: Any) -> bool | None:
    """A 0/1 column; any other number counts by being non-zero, anything else is unreadable (None)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return value != 0
    return None


def as_box(value: Any) -> int:
    """A Leitner box, clamped into 1..6; an unreadable one is box 1 (start again)."""
    box = as_int(value)
    if box is None:
        return 1
    return min(max(box, BOXES.start), BOXES.stop - 1)


def show(value: Any) -> str:
    """A stored value as a warning quotes it, short."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


@dataclass(frozen=True)
class ScheduleRow:
    """A schedule row after reading: every field has its type; `problems` says what was repaired."""

    exercise_id: str
    box: int
    due_at: float
    passed: bool
    last_at: float | None
    problems: tuple[str, ...] = ()


def read_schedule_row(row: tuple[Any, ...]) -> ScheduleRow | str:
    """The row with wrong values repaired (and named), or why it was skipped."""
    exercise_id, box, due_at, last_passed, last_at = row
    name = as_text(exercise_id)
    if not name:
        return f"a schedule row whose exercise_id is {show(exercise_id)} (not an exercise id) is skipped"
    problems = []
    fixed_box = as_box(box)
    if as_int(box) != fixed_box:
        problems.append(f"box = {show(box)} (read as {fixed_box})")
    due = as_time(due_at)
    if due is None:
        problems.append(f"due_at = {show(due_at)} (read as due now)")
        due = 0.0
    passed = as_flag(last_passed)
    if passed is None:
        problems.append(f"last_passed = {show(last_passed)} (read as failed)")
        passed = False
    when = as_time(last_at)
    if when is None and last_at is not None:
        problems.append(f"last_at = {show(last_at)} (not a time)")
    return ScheduleRow(name, fixed_box, due, passed, when, tuple(problems))


@dataclass(frozen=True)
class AttemptRow:
    """An attempts row after reading, with every field of its type."""

    exercise_id: str
    at: float
    mode: str
    passed: bool
    score: int
    max_score: int
    answer: str
    problems: tuple[str, ...] = ()


def read_attempt_row(row: tuple[Any, ...]) -> AttemptRow | str:
    """The row with wrong values repaired (and named), or why it was skipped."""
    exercise_id, at, mode, passed, score, max_score, answer = row
    name = as_text(exercise_id)
    if not name:
        return f"an attempt whose exercise_id is {show(exercise_id)} (not an exercise id) is skipped"
    problems = []
    when = as_time(at)
    if when is None:
        problems.append(f"at = {show(at)} (not a time)")
    if mode not in ("offline", "live"):
        problems.append(f"mode = {show(mode)} (read as offline)")
        mode = "offline"
    flag = as_flag(passed)
    if flag is None:
        problems.append(f"passed = {show(passed)} (read as failed)")
    numbers = []
    for column, value in (("score", score), ("max_score", max_score)):
        number = as_int(value)
        if number is None:
            problems.append(f"{column} = {show(value)} (read as 0)")
        numbers.append(number or 0)
    text = as_text(answer)
    if text is None:
        problems.append(f"answer = {show(answer)} (not text)")
    return AttemptRow(name, when or 0.0, mode, bool(flag), numbers[0], numbers[1], text or "", tuple(problems))


# --- writes waiting to be saved ------------------------------------------------------------

OPS = ("attempt", "draft", "clear_draft")


@dataclass(frozen=True)
class Op:
    """One write (an attempt, a draft, a cleared draft) with the time it was made, so it can be replayed later."""

    kind: str
    exercise_id: str
    at: float
    passed: bool = False
    score: int = 0
    max_score: int = 0
    answer: str = ""
    mode: str = "offline"
    origin: str | None = None
    """The unsaved-writes file it was read from, if any."""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("origin")
        return data


def op_from_json(data: Any) -> Op | None:
    """An Op from a file of unsaved writes, or None when the entry is not one (hostile files are data too)."""
    if not isinstance(data, dict) or data.get("kind") not in OPS:
        return None
    exercise_id, at = as_text(data.get("exercise_id")), as_time(data.get("at"))
    if not exercise_id or at is None:
        return None
    score, max_score = as_int(data.get("score", 0)), as_int(data.get("max_score", 0))
    passed, answer, mode = data.get("passed", False), data.get("answer", ""), data.get("mode", "offline")
    if score is None or max_score is None or not isinstance(passed, bool) or not isinstance(answer, str):
        return None
    if mode not in ("offline", "live"):
        return None
    return Op(data["kind"], exercise_id, at, passed, score, max_score, answer, mode)


def ops_to_text(ops: list[Op]) -> str:
    return json.dumps({"kubedojo_unsaved_writes": 1, "writes": [op.to_json() for op in ops]}, ensure_ascii=False)


def ops_from_text(text: str, origin: str) -> tuple[list[Op], int]:
    """The writes in a file of unsaved writes, and how many entries were not writes; ValueError if not such a file."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise ValueError(f"not JSON ({err})") from None
    if not isinstance(data, dict) or not isinstance(data.get("writes"), list):
        raise ValueError("not a file of unsaved kubedojo writes")
    ops, skipped = [], 0
    for entry in data["writes"]:
        op = op_from_json(entry)
        if op is None:
            skipped += 1
        else:
            ops.append(Op(**{**asdict(op), "origin": origin}))
    return ops, skipped
