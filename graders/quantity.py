"""Kubernetes quantities (`500m`, `1.5Gi`, `1e3`) parsed and printed exactly as the API server does."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_UP, Context, Decimal, InvalidOperation, localcontext
from typing import Any

_DECIMAL_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL_BY_EXPONENT = {e: s for s, e in _DECIMAL_SUFFIXES.items()}
_BINARY_BY_EXPONENT = {e // 10: s for s, e in _BINARY_SUFFIXES.items()}
_MAX_EXPONENT = 10_000  # "1e999999999" is a quantity, but no answer means it; refusing it keeps Decimal cheap


@dataclass(frozen=True)
class Quantity:
    """A quantity's exact value and the format the API server prints it in."""

    value: Decimal
    format: str
    """DecimalSI (`500m`, `2k`), BinarySI (`128Mi`) or DecimalExponent (`1e3`)."""
    text: str | None = None
    """The text as written, when the API server keeps it (`+1`, `1E3`); it prints the canonical form otherwise."""
    scale: int | None = None
    """The power of ten of the last digit when the value fits resource.Quantity's int64 form; None otherwise."""

    def __str__(self) -> str:
        return self.text if self.text is not None else canonical(self)

    def rounded_up(self, places: int = 3) -> "Quantity":
        """Rounded away from zero to 10**-places, as the API server stores resource lists (milli scale)."""
        if self.scale is not None and self.scale >= -places:
            return self
        return Quantity(_round_up(self.value, places), self.format)


def _round_up(value: Decimal, places: int) -> Decimal:
    if value.as_tuple().exponent >= -places:  # type: ignore[operator]
        return value
    with localcontext(Context(prec=len(value.as_tuple().digits) + places + 2)):
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_UP)


def _go_json_float(number: float) -> str:
    """The text Go's encoding/json writes for a float64: what kubectl sends for an unquoted `0.2`."""
    magnitude = abs(number)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        mantissa, _, exponent = repr(number).partition("e")
        return f"{mantissa.removesuffix('.0')}e{'-' if exponent.startswith('-') else '+'}{exponent.lstrip('+-').lstrip('0') or '0'}"
    return format(Decimal(repr(number)).normalize(), "f")  # the shortest digits that round-trip, as Go prints them


def parse(value: Any) -> Quantity | None:
    """A quantity as the API server reads it from JSON (text, an int or a float), or None if it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            return None
        text = _go_json_float(value)
    elif isinstance(value, str):
        text = value.strip()  # Quantity.UnmarshalJSON trims spaces inside the quotes too
    else:
        return None
    return parse_text(text)


def _split(text: str) -> tuple[str, str, str, str] | None:
    """parseQuantityString: (sign, whole digits, fraction digits, suffix); leading zeros dropped, as Go does.

    Go is more lenient than its own error message says: `-`, `.`, `Mi` and `e3` are all zero.
    """
    sign, pos, end = "", 0, len(text)
    if pos < end and text[0] in "+-":
        sign, pos = text[0], 1
    while pos < end and text[pos] == "0":
        pos += 1
    start = pos
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    whole, fraction = text[start:pos], ""
    if pos < end and text[pos] == ".":
        pos += 1
        start = pos
        while pos < end and text[pos] in _DIGITS:
            pos += 1
        fraction = text[start:pos]
    suffix_start = pos
    while pos < end and text[pos] in "eEinumkKMGTP":
        pos += 1
    if pos < end and text[pos] in "+-":
        pos += 1
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    if pos < end:
        return None  # something after the suffix's digits
    return sign, whole, fraction, text[suffix_start:]


_DIGITS = frozenset("0123456789")


def parse_text(text: str) -> Quantity | None:
    """resource.ParseQuantity: the exact value (rounded up to nano units) and format of a quantity string."""
    if text == "0":
        return Quantity(Decimal(0), "DecimalSI")
    parts = _split(text) if text else None
    if parts is None:
        return None
    sign, whole, fraction, suffix = parts
    if suffix in _DECIMAL_SUFFIXES:
        base, exponent, fmt = 10, _DECIMAL_SUFFIXES[suffix], "DecimalSI"
    elif suffix in _BINARY_SUFFIXES:
        base, exponent, fmt = 2, _BINARY_SUFFIXES[suffix], "BinarySI"
    elif len(suffix) > 1 and suffix[0] in "eE" and re.fullmatch(r"[+-]?[0-9]+", suffix[1:]):
        base, exponent, fmt = 10, int(suffix[1:]), "DecimalExponent"
        if abs(exponent) > _MAX_EXPONENT:
            return None
    else:
        return None
    digits = whole + fraction
    fast = _int64_form(text, whole or "0", fraction, base, exponent, fmt)
    if fast is not None:
        return fast
    try:
        number = Decimal(f"{sign}{whole or '0'}.{fraction or '0'}")
    except InvalidOperation:  # pragma: no cover - _split only lets digits through
        return None
    with localcontext(Context(prec=len(digits) + abs(exponent) + 20)):
        amount = number.scaleb(exponent) if base == 10 else number * (Decimal(2) ** exponent)
        amount = _round_up(amount, 9)
    if fmt == "BinarySI" and 0 < abs(amount) < 1:
        fmt = "DecimalSI"
    return Quantity(amount, fmt)


def _int64_form(text: str, whole: str, fraction: str, base: int, exponent: int, fmt: str) -> Quantity | None:
    """ParseQuantity's fast path: a value that fits an int64 keeps its text when that text is canonical."""
    if base == 10:
        precision, scale, multiplier = 18 - len(whole) - len(fraction), exponent, 1
    elif not fraction:
        precision, scale, multiplier = 15 - len(whole) - int(exponent * 3 / 10) - 1, 0, 1 << exponent
    else:
        return None
    scale -= len(fraction)
    if precision < 0 or scale < -9:
        return None
    shifted = whole + fraction
    number = int(shifted) * multiplier
    if number >= 2**63:
        return None
    sign = -1 if text.startswith("-") else 1
    value = Decimal(sign * number).scaleb(scale)
    if fmt == "BinarySI":
        keep = int(shifted) & 7 != 0
    else:
        keep = scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0"
    return Quantity(value, fmt, text if keep else None, scale)


def canonical(quantity: Quantity) -> str:
    """Quantity.String(): `0.5` -> `500m`, `1.5Gi` -> `1536Mi`, `1000` -> `1k`, `1e3` -> `1e3`."""
    value, fmt = quantity.value, quantity.format
    if value == 0:
        return "0"
    if fmt == "BinarySI" and (abs(value) < 1024 or value != value.to_integral_value()):
        fmt = "DecimalSI"
    if fmt == "BinarySI":
        number, power = int(value), 0
        while number % 1024 == 0 and power < 6:
            number //= 1024
            power += 1
        return f"{number}{_BINARY_BY_EXPONENT.get(power, '') if power else ''}"
    sign, digits, exponent = value.normalize(Context(prec=len(value.as_tuple().digits) + 1)).as_tuple()
    mantissa = int("".join(map(str, digits)) or "0")
    exponent = int(exponent)
    while exponent % 3:
        mantissa *= 10
        exponent -= 1
    if fmt == "DecimalSI" and exponent > 18:
        mantissa, exponent = mantissa * 10 ** (exponent - 18), 18
    text = f"{'-' if sign else ''}{mantissa}"
    if fmt == "DecimalExponent":
        return text + (f"e{exponent}" if exponent else "")
    return text + _DECIMAL_BY_EXPONENT[exponent]
