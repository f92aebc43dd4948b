"""Textual key events as the bytes a terminal sends to the program in it (VT100/xterm sequences)."""

from __future__ import annotations

import re

NAMED = {
    "enter": b"\r",
    "tab": b"\t",
    "shift+tab": b"\x1b[Z",
    "backspace": b"\x7f",
    "ctrl+h": b"\x08",
    "escape": b"\x1b",
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "home": b"\x1b[H",
    "end": b"\x1b[F",
    "insert": b"\x1b[2~",
    "delete": b"\x1b[3~",
    "pageup": b"\x1b[5~",
    "pagedown": b"\x1b[6~",
    "ctrl+left": b"\x1b[1;5D",
    "ctrl+right": b"\x1b[1;5C",
    "ctrl+space": b"\x00",
    "ctrl+at": b"\x00",
}

_CTRL_LETTER = re.compile(r"ctrl\+([a-z])")
_FUNCTION_KEY = re.compile(r"(shift\+|ctrl\+)*f\d+")


def is_app_key(key: str, kept: frozenset[str]) -> bool:
    """Keys the app keeps while the terminal has the focus: the function keys and `kept` (e.g. the toggle)."""
    return key in kept or bool(_FUNCTION_KEY.fullmatch(key))


def key_bytes(key: str, character: str | None) -> bytes | None:
    """What the terminal sends for a key, or None for keys a terminal has no byte for."""
    if key in NAMED:
        return NAMED[key]
    letter = _CTRL_LETTER.fullmatch(key)
    if letter:
        return bytes([ord(letter.group(1)) - ord("a") + 1])
    if character is not None and character.isprintable():
        return character.encode("utf-8")
    if character and len(character) == 1 and ord(character) < 32:
        return character.encode("ascii")  # a control character Textual already made (ctrl+[ and friends)
    return None
