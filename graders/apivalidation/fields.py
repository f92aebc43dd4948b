"""Field errors as the API server words them (`spec.containers[0].image: Required value`), and the checks most rules share."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

from graders.quantity import Quantity, parse as parse_quantity

Path = tuple[Any, ...]

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


# --- names, labels and selectors (apimachinery's validation messages) -----------------------------------------

_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS_LABEL = re.compile(_LABEL)
_DNS_SUBDOMAIN = re.compile(_LABEL + r"(\." + _LABEL + r")*")
_DNS_1035 = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
_QUALIFIED = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")

Message = tuple[str, str]


def _regex_error(en: str, ko: str, fmt: str, *examples: str) -> Message:
    shown = " or ".join(f"'{e}', " for e in examples)  # RegexError's own punctuation: "'a',  or 'b', regex ..."
    shown_ko = ", ".join(f"'{e}'" for e in examples)
    return (f"{en} (e.g. {shown}regex used for validation is '{fmt}')", f"{ko} (예: {shown_ko})")


def _max_len(limit: int, unit: str = "characters") -> Message:
    """util/validation counts characters; the newer content package (labels, label keys) counts bytes."""
    return f"must be no more than {limit} {unit}", f"{limit}{'자' if unit == 'characters' else '바이트'}를 넘을 수 없습니다"


def dns_label(value: str) -> list[Message]:
    out = [_max_len(63)] if len(value) > 63 else []
    if not _DNS_LABEL.fullmatch(value):
        if _DNS_SUBDOMAIN.fullmatch(value):
            out.append(("must not contain dots", "점(.)을 쓸 수 없습니다"))
        else:
            out.append(_regex_error(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
                "and end with an alphanumeric character",
                "RFC 1123 레이블은 소문자, 숫자, '-'로만 이루어지고 영문 소문자나 숫자로 시작하고 끝나야 합니다",
                "[a-z0-9]([-a-z0-9]*[a-z0-9])?", "my-name", "123-abc"))
    return out


def dns_subdomain(value: str) -> list[Message]:
    out = [_max_len(253)] if len(value) > 253 else []
    if not _DNS_SUBDOMAIN.fullmatch(value):
        out.append(_regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
            "start and end with an alphanumeric character",
            "RFC 1123 서브도메인은 소문자, 숫자, '-', '.'로만 이루어지고 영문 소문자나 숫자로 시작하고 끝나야 합니다",
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", "example.com"))
    return out


def dns_1035(value: str) -> list[Message]:
    out = [_max_len(63)] if len(value) > 63 else []
    if not _DNS_1035.fullmatch(value):
        out.append(_regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
            "character, and end with an alphanumeric character",
            "DNS-1035 레이블은 소문자, 숫자, '-'로만 이루어지고 영문 소문자로 시작해 영문자나 숫자로 끝나야 합니다",
            "[a-z]([-a-z0-9]*[a-z0-9])?", "my-name", "abc-123"))
    return out


def path_segment(value: str) -> list[Message]:
    """IsPathSegmentName: RBAC objects may be named almost anything (`Pod-Reader` too)."""
    if value in (".", ".."):
        return [(f"may not be '{value}'", f"'{value}'은(는) 이름으로 쓸 수 없습니다")]
    return [(f"may not contain '{c}'", f"'{c}'을(를) 쓸 수 없습니다") for c in ("/", "%") if c in value]


def qualified_name(value: str) -> list[Message]:
    """IsQualifiedName: a label key (`app`, `example.com/tier`)."""
    parts = value.split("/")
    out: list[Message] = []
    if len(parts) > 2:
        return [(
            "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
            "an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
            "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. "
            "'example.com/MyName')",
            "레이블 키는 영문자, 숫자, '-', '_', '.'로 이루어지고 영문자나 숫자로 시작하고 끝나야 하며, 앞에 "
            "DNS 서브도메인과 '/'를 붙일 수 있습니다 (예: 'example.com/MyName')")]
    name = parts[-1]
    if len(parts) == 2:
        if not parts[0]:
            out.append(("prefix part must be non-empty", "접두사(prefix) 부분이 비어 있으면 안 됩니다"))
        else:
            out.extend((f"prefix part {en}", f"접두사(prefix) 부분: {ko}") for en, ko in dns_subdomain(parts[0]))
    if not name:
        out.append(("name part must be non-empty", "이름 부분이 비어 있으면 안 됩니다"))
    elif len(name.encode()) > 63:
        out.append(("name part must be no more than 63 bytes", "이름 부분은 63바이트를 넘을 수 없습니다"))
    if not _QUALIFIED.fullmatch(name):
        en, ko = _regex_error(
            "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
            "character", "영문자, 숫자, '-', '_', '.'로 이루어지고 영문자나 숫자로 시작하고 끝나야 합니다",
            "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]", "MyName", "my.name", "123-abc")
        out.append((f"name part {en}", f"이름 부분은 {ko}"))
    return out


def label_value(value: str) -> list[Message]:
    out = [_max_len(63, "bytes")] if len(value.encode()) > 63 else []
    if not _LABEL_VALUE.fullmatch(value):
        out.append(_regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
            "start and end with an alphanumeric character",
            "레이블 값은 비어 있거나, 영문자, 숫자, '-', '_', '.'로 이루어지고 영문자나 숫자로 시작하고 끝나야 합니다",
            "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?", "MyValue", "my_value", "12345"))
    return out


def check_name(errors: Errors, path: Path, value: str, messages: list[Message]) -> None:
    for en, ko in messages:
        errors.invalid(path, value, en, ko)


def validate_labels(errors: Errors, labels: Any, path: Path, at: Path | None = None) -> None:
    """ValidateLabels: errors name the map (`metadata.labels`), with the bad key or value; `at` is where it is written."""
    where = at if at is not None else path
    for key, value in mapping(labels).items():
        if isinstance(key, str):
            for en, ko in qualified_name(key):
                errors.invalid(path, key, en, ko, at=where + (key,))
        if isinstance(value, str):
            for en, ko in label_value(value):
                errors.invalid(path, value, en, ko, at=where + (key,))


def validate_selector(errors: Errors, selector: Any, path: Path) -> None:
    """ValidateLabelSelector: matchLabels as labels, each matchExpressions item's operator and values."""
    if not isinstance(selector, dict):
        return
    validate_labels(errors, selector.get("matchLabels"), path + ("matchLabels",))
    for i, expr in items(selector.get("matchExpressions")):
        here = path + ("matchExpressions", i)
        operator, values = text(expr.get("operator")), expr.get("values")
        values = values if isinstance(values, list) else []
        if operator in ("In", "NotIn"):
            if not values:
                errors.required(here + ("values",), "must be specified when `operator` is 'In' or 'NotIn'",
                                "`operator`가 'In'이나 'NotIn'이면 values가 있어야 합니다")
        elif operator in ("Exists", "DoesNotExist"):
            if values:
                errors.forbidden(here + ("values",), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                                 "`operator`가 'Exists'나 'DoesNotExist'이면 values를 쓸 수 없습니다")
        elif "operator" in expr:
            errors.invalid(here + ("operator",), operator, "not a valid selector operator", "올바른 selector 연산자가 아닙니다")
        key = expr.get("key")
        if isinstance(key, str):
            check_name(errors, here + ("key",), key, qualified_name(key))
        for j, value in enumerate(values):
            if isinstance(value, str):
                for en, ko in label_value(value):
                    errors.invalid(here + ("values", j), value, en, ko)


def selector_value(selector: Any) -> Any:
    """A LabelSelector as the API server prints it: matchLabels, then matchExpressions of key, operator, values."""
    if not isinstance(selector, dict):
        return selector
    out: dict[str, Any] = GoStruct()
    if selector.get("matchLabels"):
        out["matchLabels"] = dict(sorted(mapping(selector["matchLabels"]).items()))
    if selector.get("matchExpressions"):
        out["matchExpressions"] = [GoStruct((k, e[k]) for k in ("key", "operator", "values") if e.get(k) is not None)
                                   for _, e in items(selector["matchExpressions"])]
    return out


def selector_matches(selector: Any, labels: Any) -> bool:
    """metav1.LabelSelectorAsSelector(...).Matches(labels); a selector that cannot be read matches nothing."""
    if not isinstance(selector, dict):
        return True
    labels = mapping(labels)
    for key, value in mapping(selector.get("matchLabels")).items():
        if labels.get(key) != value:
            return False
    for _, expr in items(selector.get("matchExpressions")):
        key, operator, values = text(expr.get("key")), expr.get("operator"), expr.get("values")
        values = values if isinstance(values, list) else []
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and key in labels and labels[key] in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


def selector_is_readable(selector: Any) -> bool:
    """Whether LabelSelectorAsSelector succeeds: known operators with the values they need, valid keys and values."""
    errors = Errors()
    validate_selector(errors, selector, ())
    return not errors


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
