"""Key bindings: one constructor so every binding has an id and a tooltip, and their labels follow the language."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import REPLACED_KEYS, Keys, _character_to_key, key_to_character

from app.tui.strings import BINDING_TEXT, binding_text

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
NAMED_KEYS = frozenset(k.value.rpartition("+")[2] for k in Keys if not k.value.startswith("<"))
"""Textual's names of keys (f1..f24, escape, pageup, ...) and of characters (question_mark, slash, a, 1, ...)."""


DEFAULT_KEYS: dict[str, str] = {}
"""Binding id -> its default keys, for messages that name a key ("press ctrl+s to check")."""


def key(keys: str, action: str, binding_id: str, *, show: bool = True, priority: bool = False) -> Binding:
    """A Binding with its id, English label and tooltip; `localize` swaps the words later."""
    description, tooltip = binding_text(binding_id, "en")
    DEFAULT_KEYS[binding_id] = keys
    return Binding(keys, action, description, show=show, priority=priority, id=binding_id, tooltip=tooltip)


def localize(node: DOMNode, lang: str) -> None:
    """Relabel `node`'s bindings (footer and help) in `lang`."""
    bindings = node._bindings.key_to_bindings  # per-instance copy of the class BINDINGS
    changed = False
    for name, items in bindings.items():
        relabelled = [
            replace(b, description=binding_text(b.id, lang)[0], tooltip=binding_text(b.id, lang)[1]) if b.id else b
            for b in items
        ]
        changed = changed or relabelled != items
        bindings[name] = relabelled
    if changed:  # each refresh makes the footer build its keys again; at start-up in English nothing changes
        node.refresh_bindings()


def key_label(keymap: dict[str, str], binding_id: str) -> str:
    """The first key that runs a binding now, remaps included."""
    return (keymap.get(binding_id) or DEFAULT_KEYS.get(binding_id, "?")).split(",")[0].strip()


def key_problem(key: str) -> str | None:
    """Why `key` is not a key Textual can bind (e.g. `nonsense-key`, `ctrl+nothing`), or None when it is one."""
    key = key.strip()
    if not key:
        return "an empty key"
    if len(key) == 1:
        return None if key.isprintable() else f"{key!r} is not a key"
    *modifiers, base = key.split("+")
    unknown = [m for m in modifiers if m not in MODIFIERS]
    if unknown:
        return f"{unknown[0]!r} is not a modifier (ctrl, shift, alt, meta, super, hyper)"
    if not base:
        return f"{key!r} names no key after its modifiers"
    if len(base) == 1 and base.isprintable() or base in NAMED_KEYS:
        return None
    character = key_to_character(REPLACED_KEYS.get(base, base))
    if character is not None and _character_to_key(character) == base:
        return None
    close = difflib.get_close_matches(base, sorted(NAMED_KEYS), n=1)
    return f"{base!r} is not a key name" + (f" (did you mean {close[0]}?)" if close else "")


def check_keymap(keymap: dict[str, str], where: Callable[..., str]) -> tuple[dict[str, str], list[str]]:
    """The remaps that can work, and a warning (file:line, binding id, why) for each one left out.

    Textual would accept a nonsense key silently and show it in the footer; a left-out remap keeps its default.
    """
    if keymap:
        from app.tui.screens.help import sections

        sections()  # every screen's bindings are defined, so DEFAULT_KEYS knows them all
    usable, warnings = {}, []
    for binding_id, keys in keymap.items():
        if binding_id not in BINDING_TEXT:
            close = difflib.get_close_matches(binding_id, sorted(BINDING_TEXT), n=1)
            hint = f" (did you mean {close[0]}?)" if close else " (`f1` lists the ids)"
            warnings.append(f"{where('keys', binding_id)}: keys.{binding_id}: no key binding has this id{hint}; ignored")
            continue
        problems = [p for p in (key_problem(k) for k in keys.split(",")) if p]
        if problems:
            default = DEFAULT_KEYS.get(binding_id)
            kept = f"the default key {default} is kept" if default else "the default key is kept"
            warnings.append(f"{where('keys', binding_id)}: keys.{binding_id}: {problems[0]}; {kept}")
            continue
        usable[binding_id] = keys
    return usable, warnings
