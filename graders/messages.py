"""Messages that can be shown again in another language: a key, its values, and the text in English and Korean."""

from __future__ import annotations

from typing import Any, Mapping

LANGS = ("en", "ko")


class Text(str):
    """A message as read in the language it was made for, that remembers how it reads in every language.

    It is a `str` (the made-for language), so a report's messages read as before; `render(lang)` gives the text in
    another language without grading again. `key` and `values` name the message when it comes from a catalog.
    """

    key: str | None
    values: Mapping[str, Any]
    texts: Mapping[str, str]

    def __new__(cls, texts: Mapping[str, str], lang: str = "en", key: str | None = None, values: Mapping[str, Any] | None = None) -> "Text":
        shown = texts.get(lang) or texts.get("en") or ""
        self = super().__new__(cls, shown)
        self.texts, self.key, self.values = dict(texts), key, dict(values or {})
        return self

    def render(self, lang: str) -> str:
        return self.texts.get(lang) or self.texts.get("en") or str(self)

    def __add__(self, other: object) -> "Text":  # type: ignore[override]
        if not isinstance(other, str):
            return NotImplemented
        return Text({lang: self.render(lang) + render(other, lang) for lang in LANGS}, self._lang(), self.key, self.values)

    def __radd__(self, other: object) -> "Text":
        if not isinstance(other, str):
            return NotImplemented
        return Text({lang: render(other, lang) + self.render(lang) for lang in LANGS}, self._lang(), self.key, self.values)

    def _lang(self) -> str:
        return next((lang for lang in LANGS if self.texts.get(lang) == str(self)), "en")

    def __reduce__(self) -> Any:
        return (Text, (self.texts, self._lang(), self.key, self.values))


def say(lang: str, en: str, ko: str) -> Text:
    """A message written out in both languages, shown in `lang`."""
    return Text({"en": en, "ko": ko}, lang)


def _rendered_values(values: Mapping[str, Any], lang: str) -> dict[str, Any]:
    return {k: render(v, lang) if isinstance(v, str) else v for k, v in values.items()}


def tell(catalog: Mapping[str, tuple[str, str]], name: str, lang: str, key: str | None = None, /, **values: Any) -> Text:
    """Message `name` of a catalog ((en, ko) templates), filled with `values`, shown in `lang`; values that are
    Texts themselves are rendered in each language."""
    en, ko = catalog[name]
    texts = {"en": en.format(**_rendered_values(values, "en")), "ko": ko.format(**_rendered_values(values, "ko"))}
    return Text(texts, lang, key or name, {k: str(v) for k, v in values.items()})


def render(message: Any, lang: str) -> Any:
    """A message in the reader's language: a Text rendered again, anything else as it is (None stays None)."""
    return message.render(lang) if isinstance(message, Text) else message


def described(message: Any) -> dict[str, Any]:
    """The key and values a message was made from, for JSON output ({} when it was written out whole)."""
    if isinstance(message, Text) and message.key:
        return {"message_key": message.key, "message_values": dict(message.values)}
    return {}
