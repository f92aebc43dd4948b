"""Field errors as the API server words them (`spec.containers[0].image: Required value`), and the checks most rules share."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

from graders.quantity import Quantity, parse as parse_quantity

Path = tuple[Any, ...]
Message = tuple[str, str]
"""(en, ko): what a rule says is wrong."""

TYPE_KO = {
    "Required value": "필수 값입니다",
    "Invalid value": "잘못된 값",
    "Unsupported value": "지원하지 않는 값",
    "Duplicate value": "중복된 값",
    "Forbidden": "허용되지 않습니다",
    "Not found": "찾을 수 없습니다",
    "Too long": "너무 깁니다",
    "Too many": "너무 많습니다",
}
_OMITTED = ("Required value", "Forbidden", "Too long")  # types whose message never shows the value


class Key(str):
    """A map key in a field path: printed `[key]` as field.Path.Key does (`resources.limits[cpu]`)."""


def field_string(path: Sequence[Any]) -> str:
    """field.Path.String(): `spec.containers[0].resources.limits[cpu]`."""
    out = ""
    for step in path:
        if isinstance(step, int) or isinstance(step, Key):
            out += f"[{step}]"
        else:
            out += ("." if out else "") + str(step)
    return out


class GoStruct(dict):
    """An internal Go struct the API server prints with its Go field names, in their order (`{"Type":"Rolling",...}`)."""


def go_value(value: Any) -> str:
    """A bad value as field.Error prints it: strings quoted, numbers bare, anything else as JSON."""
    if isinstance(value, Quantity):
        value = str(value)
    if isinstance(value, GoStruct):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=isinstance(value, dict))


@dataclass(frozen=True)
class Rejection:
    """One reason the API server refuses an object, in its words and in Korean."""

    path: Path
    """Where in the object the problem is, to find its line."""
    field: str
    """The field the API server names (`spec.containers[0].image`)."""
    type: str
    """`Required value`, `Invalid value`, `Unsupported value`, `Duplicate value`, `Forbidden`, `Not found` ..."""
    value: str | None
    """The bad value as the API server prints it, or None when its message leaves it out."""
    detail: str = ""
    detail_ko: str = ""
    hint: str | None = None
    hint_ko: str | None = None

    @property
    def en(self) -> str:
        return self._render(self.type, self.detail)

    @property
    def ko(self) -> str:
        return self._render(TYPE_KO.get(self.type, self.type), self.detail_ko or self.detail)

    def _render(self, kind: str, detail: str) -> str:
        text = f"{self.field}: {kind}"
        if self.value is not None:
            text += f": {self.value}"
        return text + (f": {detail}" if detail else "")


class Errors(list):
    """field.ErrorList: rules append to it with the constructors the API server's validation uses."""

    def add(self, kind: str, path: Path, value: Any = None, en: str = "", ko: str = "", at: Path | None = None,
            show: bool = True) -> None:
        shown = go_value(value) if show and kind not in _OMITTED else None
        self.append(Rejection(tuple(at if at is not None else path), field_string(path), kind, shown, en, ko))

    def required(self, path: Path, en: str = "", ko: str = "", at: Path | None = None) -> None:
        self.add("Required value", path, en=en, ko=ko, at=at)

    def invalid(self, path: Path, value: Any, en: str, ko: str, at: Path | None = None) -> None:
        self.add("Invalid value", path, value, en, ko, at)

    def unsupported(self, path: Path, value: Any, supported: Sequence[str], at: Path | None = None) -> None:
        listed = ", ".join(json.dumps(s) for s in supported)
        self.add("Unsupported value", path, value, f"supported values: {listed}", f"쓸 수 있는 값: {listed}", at)
        same = [s for s in supported if isinstance(value, str) and s and s.lower() == value.lower()]
        if same and isinstance(path[-1], str):  # `always` for `Always`: the values are case-sensitive
            self.hint(f"Values are case-sensitive: `{path[-1]}: {same[0]}`.",
                      f"값은 대소문자를 구분합니다: `{path[-1]}: {same[0]}`")

    def duplicate(self, path: Path, value: Any, at: Path | None = None) -> None:
        self.add("Duplicate value", path, value, at=at)

    def forbidden(self, path: Path, en: str, ko: str, at: Path | None = None) -> None:
        self.add("Forbidden", path, en=en, ko=ko, at=at)

    def not_found(self, path: Path, value: Any, at: Path | None = None) -> None:
        self.add("Not found", path, value, at=at)

    def hint(self, en: str, ko: str) -> None:
        """Attach a fix to the last error."""
        last = self[-1]
        self[-1] = Rejection(last.path, last.field, last.type, last.value, last.detail, last.detail_ko, en, ko)

    def too_long(self, path: Path, limit: int) -> None:
        self.add("Too long", path, en=f"may not be more than {limit} bytes", ko=f"{limit}바이트를 넘을 수 없습니다")


# --- reading a plain object whose types the schema may already have refused ---------------------------------

def get(obj: Any, *path: Any) -> Any:
    for step in path:
        if isinstance(step, int):
            obj = obj[step] if isinstance(obj, list) and 0 <= step < len(obj) else None
        else:
            obj = obj.get(step) if isinstance(obj, dict) else None
    return obj


def items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """The mapping items of a list, with their indexes; anything else in the list is the schema's to report."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def text(value: Any) -> str:
    """A string field as Go reads it: absent (or of the wrong type, which the schema reports) is ""."""
    return value if isinstance(value, str) else ""


def integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def enum(errors: Errors, obj: dict[str, Any], path: Path, field: str, supported: list[str]) -> None:
    """A defaulted string field: unset or "" takes the default; anything else must be one of supported."""
    value = obj.get(field)
    if isinstance(value, str) and value and value not in supported:
        errors.unsupported(path + (field,), value, supported)


# --- numbers, ports and quantities -----------------------------------------------------------------------------

NEGATIVE = ("must be greater than or equal to 0", "0 이상이어야 합니다")
PORT_RANGE = ("must be between 1 and 65535, inclusive", "1부터 65535 사이여야 합니다")


def non_negative(errors: Errors, value: Any, path: Path) -> None:
    number = integer(value)
    if number is not None and number < 0:
        errors.invalid(path, number, *NEGATIVE)


def port_name(value: str) -> list[Message]:
    """IsValidPortName: at most 15 of [-a-z0-9], one letter at least, no `--`, no dash at either end."""
    out: list[Message] = []
    if len(value) > 15:
        out.append(_max_len(15))
    if not re.fullmatch(r"[-a-z0-9]+", value):
        out.append(("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                    "영문 소문자, 숫자, '-'만 쓸 수 있습니다"))
    if not re.search(r"[a-z]", value):
        out.append(("must contain at least one letter (a-z)", "영문 소문자가 하나 이상 있어야 합니다"))
    if "--" in value:
        out.append(("must not contain consecutive hyphens", "'-'를 두 번 연속 쓸 수 없습니다"))
    if value and (value[0] == "-" or value[-1] == "-"):
        out.append(("must not begin or end with a hyphen", "'-'로 시작하거나 끝날 수 없습니다"))
    return out


def port_number_or_name(errors: Errors, value: Any, path: Path, at: Path | None = None) -> None:
    """ValidatePortNumOrName: an IntOrString port (a probe's, a Service's targetPort)."""
    number = integer(value)
    if number is not None:
        if not 1 <= number <= 65535:
            errors.invalid(path, number, *PORT_RANGE, at=at)
    elif isinstance(value, str):
        for en, ko in port_name(value):
            errors.invalid(path, value, en, ko, at=at)
        if value.isdigit() and errors:  # a quoted number stays a string: the API server reads "80" as a port name
            errors.hint(f"Remove the quotes: `{path[-1]}: {value}` is a number, `\"{value}\"` a port name.",
                        f"따옴표를 빼세요: `{path[-1]}: {value}`는 숫자이고, `\"{value}\"`는 포트 이름으로 읽힙니다.")


def quantity_of(value: Any) -> Quantity | None:
    return parse_quantity(value)


from graders.apivalidation.names import (  # noqa: E402,F401 - one module for the rules to import
    _max_len, dns_label, dns_subdomain, dns_1035, path_segment, qualified_name, label_value, check_name, validate_labels, validate_selector, selector_value, selector_matches, selector_is_readable,
)
