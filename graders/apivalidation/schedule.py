"""A CronJob schedule as robfig/cron's standard parser reads it (what the API server uses), with its error messages."""

from __future__ import annotations

import re

# (min, max, names) per field: minute, hour, day of month, month, day of week
_FIELDS = ((0, 59, None), (0, 23, None), (1, 31, None),
           (1, 12, {m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())}),
           (0, 6, {d: i for i, d in enumerate("sun mon tue wed thu fri sat".split())}))
_DESCRIPTORS = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
_DURATION = re.compile(r"([0-9]*\.?[0-9]+(ns|us|µs|ms|s|m|h))+")


class _Bad(Exception):
    pass


def schedule_error(spec: str) -> tuple[str, str] | None:
    """The parser's error for a schedule (English as the API server says it, and Korean), or None if it parses."""
    try:
        _parse(spec)
    except _Bad as bad:
        en, ko = bad.args
        return en, ko
    return None


def _parse(spec: str) -> None:
    if not spec:
        raise _Bad("empty spec string", "schedule이 비어 있습니다")
    if spec.startswith(("TZ=", "CRON_TZ=")):
        spec = spec[spec.find(" "):].strip() if " " in spec else ""
    if spec.startswith("@"):
        if spec.startswith("@every "):
            duration = spec[len("@every "):]
            if not _DURATION.fullmatch(duration):
                raise _Bad(f'failed to parse duration {spec}: time: invalid duration "{duration}"',
                           f"@every 뒤의 시간 간격 `{duration}`을(를) 읽을 수 없습니다 (예: @every 1h30m)")
            return
        if spec not in _DESCRIPTORS:
            raise _Bad(f"unrecognized descriptor: {spec}", f"알 수 없는 표현입니다: {spec} (쓸 수 있는 것: "
                       "@yearly, @monthly, @weekly, @daily, @hourly, @every <간격>)")
        return
    fields = spec.split()
    if len(fields) != 5:
        raise _Bad(f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]",
                   f"필드가 정확히 5개(분 시 일 월 요일)여야 하는데 {len(fields)}개입니다")
    for expression, (low, high, names) in zip(fields, _FIELDS):
        for part in (p for p in expression.split(",") if p):
            _range(part, low, high, names)


def _number(text: str, names: dict[str, int] | None) -> int:
    if names and text.lower() in names:
        return names[text.lower()]
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise _Bad(f'failed to parse int from {text}: strconv.Atoi: parsing "{text}": invalid syntax',
                   f"`{text}`은(는) 숫자가 아닙니다")
    number = int(text)
    if number < 0:
        raise _Bad(f"negative number ({number}) not allowed: {text}", f"음수({number})는 쓸 수 없습니다")
    return number


def _range(expr: str, low: int, high: int, names: dict[str, int] | None) -> None:
    range_and_step = expr.split("/")
    bounds = range_and_step[0].split("-")
    if bounds[0] in ("*", "?"):
        start, end = low, high
    else:
        start = _number(bounds[0], names)
        if len(bounds) == 1:
            end = start
        elif len(bounds) == 2:
            end = _number(bounds[1], names)
        else:
            raise _Bad(f"too many hyphens: {expr}", f"'-'가 너무 많습니다: {expr}")
    if len(range_and_step) == 2:
        step = _number(range_and_step[1], None)
        if len(bounds) == 1:
            end = high
    elif len(range_and_step) > 2:
        raise _Bad(f"too many slashes: {expr}", f"'/'가 너무 많습니다: {expr}")
    else:
        step = 1
    if start < low:
        raise _Bad(f"beginning of range ({start}) below minimum ({low}): {expr}", f"{start}은(는) 최솟값 {low}보다 작습니다: {expr}")
    if end > high:
        raise _Bad(f"end of range ({end}) above maximum ({high}): {expr}", f"{end}은(는) 최댓값 {high}보다 큽니다: {expr}")
    if start > end:
        raise _Bad(f"beginning of range ({start}) beyond end of range ({end}): {expr}",
                   f"범위의 시작({start})이 끝({end})보다 큽니다: {expr}")
    if step == 0:
        raise _Bad(f"step of range should be a positive number: {expr}", f"간격(step)은 양수여야 합니다: {expr}")
