"""Key bindings: one constructor so every binding has an id and a tooltip, and their labels follow the language."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from app.tui.strings import binding_text


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
    for name, items in bindings.items():
        bindings[name] = [
            replace(b, description=binding_text(b.id, lang)[0], tooltip=binding_text(b.id, lang)[1]) if b.id else b
            for b in items
        ]
    node.refresh_bindings()


def key_label(keymap: dict[str, str], binding_id: str) -> str:
    """The first key that runs a binding now, remaps included."""
    return (keymap.get(binding_id) or DEFAULT_KEYS.get(binding_id, "?")).split(",")[0].strip()
