"""Label selectors: which label sets a selector selects, and whether one selector implies another."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping
from graders.meaning.shape import items

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
NODE_OPERATORS = OPERATORS + ("Gt", "Lt")


class SelectorError(ValueError):
    """A selector the API server would refuse (unknown operator, values where none belong, ...)."""


@dataclass(frozen=True)
class Requirement:
    """One `key operator values` term; every term of a selector must hold (they are ANDed)."""

    key: str
    operator: str
    values: frozenset[str] = frozenset()

    def matches(self, labels: Mapping[str, str]) -> bool:
        has = self.key in labels
        if self.operator == "In":
            return has and labels[self.key] in self.values
        if self.operator == "NotIn":
            return not has or labels[self.key] not in self.values
        if self.operator == "Exists":
            return has
        if self.operator == "DoesNotExist":
            return not has
        number = _integer(labels.get(self.key)) if has else None
        bound = _integer(next(iter(self.values), None))
        if number is None or bound is None:
            return False
        return number > bound if self.operator == "Gt" else number < bound

    def text(self) -> str:
        values = ",".join(sorted(self.values))
        if self.operator == "In":
            return f"{self.key}={values}" if len(self.values) == 1 else f"{self.key} in ({values})"
        if self.operator == "NotIn":
            return f"{self.key} notin ({values})"
        if self.operator == "Exists":
            return self.key
        if self.operator == "DoesNotExist":
            return f"!{self.key}"
        return f"{self.key} {'>' if self.operator == 'Gt' else '<'} {values}"


def _integer(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Selector:
    """A parsed selector. `nothing` is the nil selector (selects no object); no requirements selects all."""

    requirements: tuple[Requirement, ...] = ()
    nothing: bool = False

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        if self.nothing:
            return False
        labels = labels or {}
        return all(r.matches(labels) for r in self.requirements)

    @property
    def everything(self) -> bool:
        return not self.nothing and not self.requirements

    def text(self) -> str:
        if self.nothing:
            return "(nothing)"
        return ",".join(r.text() for r in self.requirements) or "(everything)"

    def implies(self, other: "Selector") -> bool:
        """Every label set this selects, `other` selects too (this selector is the narrower one)."""
        if self.nothing or not self.satisfiable():
            return True
        if other.nothing:
            return False
        return all(_implied(self.requirements, wanted) for wanted in other.requirements)

    def satisfiable(self) -> bool:
        """Some label set is selected."""
        if self.nothing:
            return False
        for key in {r.key for r in self.requirements}:
            terms = [r for r in self.requirements if r.key == key]
            if _absence_allowed(terms):
                continue
            allowed = _allowed_values(terms)
            if allowed == frozenset() or (allowed is None and not _integer_room(terms)):
                return False
        return True

    def intersects(self, other: "Selector") -> bool:
        """Some label set is selected by both."""
        if self.nothing or other.nothing:
            return False
        return Selector(self.requirements + other.requirements).satisfiable()

    def witness(self) -> dict[str, str] | None:
        """One label set this selects (the simplest), or None when it selects nothing."""
        if not self.satisfiable():
            return None
        labels: dict[str, str] = {}
        for key in sorted({r.key for r in self.requirements}):
            terms = [r for r in self.requirements if r.key == key]
            if _absence_allowed(terms):
                continue
            allowed = _allowed_values(terms)
            labels[key] = sorted(allowed)[0] if allowed else _fresh_value(terms)
        return labels


def _allowed_values(terms: list[Requirement]) -> frozenset[str] | None:
    """The values the key may take when present: None means any value but the excluded ones."""
    allowed: frozenset[str] | None = None
    for term in terms:
        if term.operator == "In":
            allowed = term.values if allowed is None else allowed & term.values
        elif term.operator == "DoesNotExist":
            allowed = frozenset()
    excluded = frozenset().union(*(t.values for t in terms if t.operator == "NotIn"))
    if allowed is not None:
        allowed = frozenset(v for v in allowed if v not in excluded and _within_bounds(v, terms))
    return allowed


def _within_bounds(value: str, terms: list[Requirement]) -> bool:
    return all(t.matches({t.key: value}) for t in terms if t.operator in ("Gt", "Lt"))


def _integer_room(terms: list[Requirement]) -> bool:
    """Gt and Lt bounds leave some integer between them."""
    lower = max((int(v) for t in terms if t.operator == "Gt" for v in t.values), default=None)
    upper = min((int(v) for t in terms if t.operator == "Lt" for v in t.values), default=None)
    return lower is None or upper is None or lower + 1 < upper


def _absence_allowed(terms: list[Requirement]) -> bool:
    return all(t.operator in ("NotIn", "DoesNotExist") for t in terms)


def _fresh_value(terms: list[Requirement]) -> str:
    excluded = frozenset().union(*(t.values for t in terms if t.operator == "NotIn"))
    lower = max((int(v) for t in terms if t.operator == "Gt" for v in t.values), default=None)
    upper = min((int(v) for t in terms if t.operator == "Lt" for v in t.values), default=None)
    if lower is not None or upper is not None:
        number, step = (lower + 1, 1) if lower is not None else (upper - 1, -1)  # type: ignore[operator]
        while str(number) in excluded:
            number += step
        return str(number)
    value = "x"
    while value in excluded:
        value += "x"
    return value


def _implied(have: tuple[Requirement, ...], wanted: Requirement) -> bool:
    """Every label set meeting all of `have` meets `wanted`."""
    terms = [r for r in have if r.key == wanted.key]
    allowed = _allowed_values(terms)
    absent_ok = _absence_allowed(terms)
    if wanted.operator == "Exists":
        return not absent_ok
    if wanted.operator == "DoesNotExist":
        return allowed == frozenset()
    if wanted.operator == "In":
        return not absent_ok and allowed is not None and allowed <= wanted.values
    if wanted.operator == "NotIn":
        if allowed is not None:
            return not (allowed & wanted.values)
        excluded = frozenset().union(*(t.values for t in terms if t.operator == "NotIn"))
        return wanted.values <= excluded
    return allowed is not None and not absent_ok and all(wanted.matches({wanted.key: v}) for v in allowed)


def _requirement(item: Any, operators: tuple[str, ...]) -> Requirement:
    if not isinstance(item, Mapping):
        raise SelectorError("a matchExpressions item must be a mapping with key, operator and values")
    key, operator, values = item.get("key"), item.get("operator"), item.get("values")
    if not isinstance(key, str) or not key:
        raise SelectorError("a matchExpressions item needs a key")
    if operator not in operators:
        raise SelectorError(f"operator {operator!r} is not one of {', '.join(operators)}")
    values = [] if values is None else values
    if not isinstance(values, list):
        raise SelectorError(f"values of {key} must be a list")
    if operator in ("In", "NotIn") and not values:
        raise SelectorError(f"{key} {operator} needs at least one value")
    if operator in ("Exists", "DoesNotExist") and values:
        raise SelectorError(f"{key} {operator} takes no values")
    if operator in ("Gt", "Lt") and (len(values) != 1 or _integer(values[0]) is None):
        raise SelectorError(f"{key} {operator} takes exactly one integer value")
    return Requirement(key, operator, frozenset(str(v) for v in values))


def label_selector(selector: Any) -> Selector:
    """A metav1.LabelSelector (`matchLabels` + `matchExpressions`); None selects nothing, `{}` everything."""
    if selector is None:
        return Selector(nothing=True)
    if not isinstance(selector, Mapping):
        raise SelectorError("a label selector must be a mapping")
    unknown = sorted(set(selector) - {"matchLabels", "matchExpressions"})
    if unknown:
        raise SelectorError(f"a label selector has only matchLabels and matchExpressions, not {', '.join(unknown)}")
    labels = selector.get("matchLabels") or {}
    if not isinstance(labels, Mapping):
        raise SelectorError("matchLabels must be a mapping")
    requirements = [Requirement(str(k), "In", frozenset({str(v)})) for k, v in labels.items()]
    expressions = items(selector.get("matchExpressions"))
    if not isinstance(expressions, list):
        raise SelectorError("matchExpressions must be a list")
    requirements.extend(_requirement(item, OPERATORS) for item in expressions)
    return Selector(tuple(requirements))


def map_selector(selector: Any) -> Selector:
    """A plain `key: value` selector (Service, ReplicationController); empty or missing selects nothing."""
    if not selector:
        return Selector(nothing=True)
    if not isinstance(selector, Mapping):
        raise SelectorError("a selector must be a mapping of labels")
    return Selector(tuple(Requirement(str(k), "In", frozenset({str(v)})) for k, v in selector.items()))


def labels_selector(labels: Mapping[str, str]) -> Selector:
    """The selector of the label sets that carry all of `labels` (what "pods labelled app=web" means)."""
    return Selector(tuple(Requirement(str(k), "In", frozenset({str(v)})) for k, v in labels.items()))


def requirements(items: Iterable[Any], operators: tuple[str, ...] = NODE_OPERATORS) -> tuple[Requirement, ...]:
    """Parse a list of `{key, operator, values}` terms (node affinity allows Gt and Lt too)."""
    return tuple(_requirement(item, operators) for item in items)
