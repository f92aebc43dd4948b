"""What every part of an exercise file is built from: texts in each language, matchers, object refs, the check base."""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from exercises.listing import pick  # noqa: F401 (exercises.base.pick is where the models and graders import it from)

LANGUAGES = ("en", "ko")


def _has_required_languages(value: dict[str, str]) -> dict[str, str]:
    missing = [lang for lang in LANGUAGES if not (value.get(lang) or "").strip()]
    if missing:
        raise ValueError(f"missing text for language(s): {', '.join(missing)}")
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        raise ValueError(f"unknown language(s): {', '.join(unknown)} (known: {', '.join(LANGUAGES)})")
    return value


LocalText = Annotated[dict[str, str], AfterValidator(_has_required_languages)]
"""Text in every language kubedojo speaks: `{en: ..., ko: ...}`."""


class Strict(BaseModel):
    """Base for every model read from a user's or an instructor's file."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --- matchers -------------------------------------------------------------------------------

CHECKED_BEFORE = "checked_before"
"""A validation context key: this data passed this same model before (the app's cache of exercises, whose stamp names
the model's source and the versions of pydantic and regex), so the slow checks that cannot answer otherwise are skipped."""


def runnable_pattern(pattern: str, ignore_case: bool = False, info: ValidationInfo | None = None) -> str:
    """The pattern, if the engine that grades with it can compile it (graders.patterns)."""
    if info is not None and info.context and info.context.get(CHECKED_BEFORE):
        return pattern  # compiled when it was cached; compiling 25 patterns again is most of a cached load's time
    from graders.patterns import IGNORECASE, pattern_problem

    problem = pattern_problem(pattern, IGNORECASE if ignore_case else 0)
    if problem:
        raise ValueError(problem)
    return pattern


Scalar = Union[str, int, float, bool]


class Matcher(Strict):
    """What a value must be; exactly one field is set."""

    equals: Any = None
    """The value must equal this (numbers compare by value, `80` equals `"80"` only for strings of digits)."""
    one_of: list[Any] | None = None
    """The value must equal one of these."""
    matches: str | None = None
    """The value, as text, must match this regular expression (fully)."""
    contains: Any = None
    """A text must contain this substring; a list must contain this item."""
    exists: bool | None = None
    """`true`: the field must be present (any value)."""
    absent: bool | None = None
    """`true`: the field must not be present."""
    set_equals: list[Any] | None = None
    """The value (a list) must hold exactly these items, in any order."""
    at_least: float | None = None
    """The value must be a number >= this."""
    at_most: float | None = None
    """The value must be a number <= this."""
    quantity_equals: Scalar | None = None
    """The value is a Kubernetes quantity equal to this one (`0.5` equals `500m`)."""
    quantity_at_least: Scalar | None = None
    """The value is a Kubernetes quantity >= this one."""
    quantity_at_most: Scalar | None = None
    """The value is a Kubernetes quantity <= this one."""
    checks_file: str | None = None
    """The value is a command (exec probe) that succeeds only when this file exists: ls, cat, test -f/-e, stat, or an `sh -c` form."""
    command_runs: str | None = None
    """The value is a command (list) that runs this program, directly or through `sh -c`."""

    @field_validator("matches")
    @classmethod
    def _a_pattern(cls, value: str | None, info: ValidationInfo) -> str | None:
        return runnable_pattern(value, info=info) if value is not None else None

    @model_validator(mode="after")
    def _exactly_one(self) -> "Matcher":
        chosen = self.chosen()
        if len(chosen) != 1:
            names = ", ".join(chosen) if chosen else "none"
            raise ValueError(f"a matcher sets exactly one of {', '.join(type(self).model_fields)}; this one sets {names}")
        return self

    def chosen(self) -> list[str]:
        """The names of the fields that are set."""
        return [name for name in type(self).model_fields if getattr(self, name) is not None]

    @property
    def op(self) -> str:
        return self.chosen()[0]

    @property
    def operand(self) -> Any:
        return getattr(self, self.op)


# --- checks ---------------------------------------------------------------------------------


class ObjectRef(Strict):
    """Which Kubernetes object a check looks at."""

    kind: str
    """The object's kind, e.g. `Pod`."""
    name: str | None = None
    """Its metadata.name; unset means the only object of that kind."""
    namespace: str | None = None
    """Its namespace, when it matters (live grading fills in the exercise's namespace)."""


class CheckBase(Strict):
    """What every check has."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """Unique within the exercise; shown in reports and JSON."""
    description: LocalText | None = None
    """What the check verifies, in words, for the report."""
    remediation: LocalText | None = None
    """What to do when it fails."""
    object: ObjectRef | None = None
    """The object to look at; defaults to the exercise's `target`."""
    points: int = Field(default=1, ge=0, le=100)
    """What passing it is worth in a mock exam: a task scores the share of its checks' points that pass."""
    satisfied_by: list[str] = []
    """Ids of live checks (an `exec` that reads the container's environment ...) that prove what this check asks of
    the spec another way: live, when they all pass, this check's failure does not count (what the container does wins)."""
