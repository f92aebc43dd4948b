"""Cron schedules as the CronJob controller reads them (robfig/cron v3): the minutes they fire at."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

MONTHS = {name: i for i, name in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), start=1)}
DAYS = {name: i for i, name in enumerate("SUN MON TUE WED THU FRI SAT".split())}
DESCRIPTORS = {
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
}
# (name, low, high, names)
FIELDS = (("minute", 0, 59, {}), ("hour", 0, 23, {}), ("day of month", 1, 31, {}), ("month", 1, 12, MONTHS), ("day of week", 0, 6, DAYS))
DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # February 29 comes round with every weekday


class CronError(ValueError):
    """A schedule the API server refuses, or one kubedojo cannot compare (`@every`)."""


@dataclass(frozen=True)
class Field:
    values: frozenset[int]
    star: bool
    """Written as `*` or `?` (with no step above 1): for the day fields this switches OR to AND."""


@dataclass(frozen=True)
class Schedule:
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[tuple[int, int, int]]
    """(month, day of month, day of week) triples it fires on, over every calendar."""

    def fires(self) -> bool:
        return bool(self.days)


def _number(text: str, low: int, high: int, names: dict[str, int], what: str) -> int:
    upper = text.upper()
    if upper in names:
        return names[upper]
    if not text.isdigit():
        raise CronError(f"{what}: {text!r} is not a number{' or a name' if names else ''}")
    value = int(text)
    if not low <= value <= high:
        raise CronError(f"{what}: {value} is outside {low}-{high}")
    return value


def _field(text: str, low: int, high: int, names: dict[str, int], what: str) -> Field:
    values: set[int] = set()
    star = False
    for part in text.split(","):
        if not part:
            raise CronError(f"{what}: an empty item in {text!r}")
        base, slash, step_text = part.partition("/")
        step = 1
        if slash:
            if not step_text.isdigit() or int(step_text) == 0:
                raise CronError(f"{what}: the step in {part!r} must be a positive number")
            step = int(step_text)
        if base in ("*", "?"):
            start, end = low, high
            star = star or step == 1
        elif "-" in base:
            first, _, last = base.partition("-")
            start, end = _number(first, low, high, names, what), _number(last, low, high, names, what)
            if start > end:
                raise CronError(f"{what}: the range {base!r} runs backwards")
        else:
            start = _number(base, low, high, names, what)
            end = high if slash else start  # "N/step" means N-max/step
        values.update(range(start, end + 1, step))
    return Field(frozenset(values), star)


@lru_cache(maxsize=256)
def parse(schedule: str) -> Schedule:
    """The minutes, hours and days a schedule fires at; CronError for what the API server refuses."""
    text = " ".join(schedule.split())
    if text.upper().startswith(("TZ=", "CRON_TZ=")):
        raise CronError("a time zone in the schedule is refused; use spec.timeZone")
    if text.startswith("@"):
        if text.lower().startswith("@every"):
            raise CronError("@every runs relative to when the controller started; it has no fixed minutes to compare")
        if text.lower() not in DESCRIPTORS:
            raise CronError(f"unknown descriptor {text!r}")
        text = DESCRIPTORS[text.lower()]
    words = text.split(" ")
    if len(words) != 5:
        raise CronError(f"a schedule has 5 fields (minute hour day-of-month month day-of-week), this one has {len(words)}")
    minute, hour, dom, month, dow = (_field(w, *spec[1:3], spec[3], spec[0]) for w, spec in zip(words, FIELDS))
    days = frozenset(
        (m, d, w)
        for m in month.values
        for d in range(1, DAYS_IN_MONTH[m - 1] + 1)
        for w in range(7)
        if ((d in dom.values and w in dow.values) if (dom.star or dow.star) else (d in dom.values or w in dow.values))
    )
    return Schedule(minute.values, hour.values, days)


def same_times(a: str, b: str) -> bool:
    """Whether two schedules fire at exactly the same minutes (CronError if either is refused)."""
    first, second = parse(a), parse(b)
    if not first.fires() and not second.fires():
        return True
    return first == second


def describe(schedule: Schedule) -> tuple[str, str]:
    """(minutes, hours) as cron would write them: `0,30`, `*`."""
    def span(values: frozenset[int], low: int, high: int) -> str:
        return "*" if values == frozenset(range(low, high + 1)) else ",".join(str(v) for v in sorted(values))

    return span(schedule.minutes, 0, 59), span(schedule.hours, 0, 23)
