"""Names, labels and selectors, as apimachinery validates them (its messages, in English and Korean)."""

from __future__ import annotations

import re
from typing import Any

from graders.apivalidation.fields import Errors, GoStruct, Message, Path, get, items, mapping, text  # noqa: F401

_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS_LABEL = re.compile(_LABEL)
_DNS_SUBDOMAIN = re.compile(_LABEL + r"(\." + _LABEL + r")*")
_DNS_1035 = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
_QUALIFIED = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")


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
