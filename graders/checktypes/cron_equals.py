"""`cron_equals`: a schedule fires at the same minutes as the one the task asks for, however it is written."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from exercises.base import CheckBase
from graders.checktypes.base import CheckType, lazy
from graders.report import CheckResult
from graders.subject import Subject, result

cron = lazy("graders.meaning.cron")

MESSAGES = {
    "same": ("{where} `{found}` fires at the same times as `{wanted}`", "{where} `{found}`은(는) `{wanted}`와 같은 때에 실행됩니다"),
    "different": ("{where} `{found}` fires at minute {got_m} of hour {got_h}; the task asks for `{wanted}` (minute {m} of hour {h})",
                  "{where} `{found}`은(는) {got_h}시 {got_m}분에 실행됩니다. 과제는 `{wanted}`({h}시 {m}분)입니다"),
    "other-days": ("{where} `{found}` fires on other days than `{wanted}`", "{where} `{found}`은(는) `{wanted}`와 다른 날에 실행됩니다"),
    "refused": ("{where} `{found}` is not a schedule the API server accepts: {error}", "{where} `{found}`은(는) API 서버가 받아들이는 스케줄이 아닙니다: {error}"),
    "missing": ("{where} is not set", "{where} 필드가 없습니다"),
    "suspended": ("spec.suspend is true: `{found}` is never run", "spec.suspend가 true라서 `{found}` 스케줄이 전혀 실행되지 않습니다"),
}


class CronEqualsCheck(CheckBase):
    """The cron schedule at `path` fires at exactly the minutes `schedule` does (`*/30` is `0,30`, `@hourly` is `0 * * * *`)."""

    type: Literal["cron_equals"]
    schedule: str
    path: str = ".spec.schedule"

    @field_validator("schedule")
    @classmethod
    def _readable(cls, value: str) -> str:
        cron.parse(value)
        return value


def run_cron_equals(check: CronEqualsCheck, subject: Subject) -> CheckResult:
    from graders import paths

    obj, why = subject.find(check.object)
    if obj is None:
        return result(check, subject, False, why)
    where = paths.display_expression(check.path)
    found = paths.find(obj, check.path)
    if not found or not isinstance(found[0].value, str):
        return result(check, subject, False, subject.tell(MESSAGES, "missing", where=where), where, subject.line_for(obj, paths.parent_path(obj, check.path)))
    text, line = found[0].value, subject.line_for(obj, found[0].path)
    values = {"where": where, "found": text, "wanted": check.schedule}
    try:
        same = cron.same_times(text, check.schedule)
    except cron.CronError as err:
        return result(check, subject, False, subject.tell(MESSAGES, "refused", error=err, **values), where, line)
    if same and check.path == ".spec.schedule" and isinstance(obj.get("spec"), dict) and obj["spec"].get("suspend") is True:
        return result(check, subject, False, subject.tell(MESSAGES, "suspended", **values), "spec.suspend", subject.line_for(obj, ("spec", "suspend")))
    if same:
        return result(check, subject, True, subject.tell(MESSAGES, "same", **values), where, line)
    got, expected = cron.parse(text), cron.parse(check.schedule)
    if (got.minutes, got.hours) == (expected.minutes, expected.hours):
        return result(check, subject, False, subject.tell(MESSAGES, "other-days", **values), where, line)
    (got_m, got_h), (m, h) = cron.describe(got), cron.describe(expected)
    return result(check, subject, False, subject.tell(MESSAGES, "different", got_m=got_m, got_h=got_h, m=m, h=h, **values), where, line)


TYPE = CheckType("cron_equals", CronEqualsCheck, run_cron_equals)
