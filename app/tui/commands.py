"""Exercise search (`/`): a command palette of exercises only, matched by whole words before letters."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from app.tui.strings import t
from exercises.listing import DOMAIN_TITLES, pick

TASK_SCORE = 0.4
"""Every word found in the task's text, not in the title or id: below every title match."""


@dataclass(frozen=True)
class Found:
    """One exercise's place in a search."""

    exercise_id: str
    label: str
    score: float


def word_matches(query: str, exercises: list[Any], lang: str) -> list[Found]:
    """Exercises with every word of `query` in their title or id (best), else in their task; best first.

    Letters in order (the palette's fuzzy match) are not used when a word is found: "liveness" lists the
    liveness exercises, not every title with an l, an i and a v in it.
    """
    words = query.casefold().split()
    found = []
    for exercise in exercises:
        label = f"{pick(exercise.title, lang)}  ({exercise.id})"
        head = label.casefold()
        if not words:
            continue
        if all(w in head for w in words):
            starts = sum(1 for w in words if f" {w}" in f" {head}" or f"-{w}" in head)
            found.append(Found(exercise.id, label, 0.7 + 0.3 * starts / len(words)))
        elif all(w in head or w in pick(exercise.task, lang).casefold() for w in words):
            found.append(Found(exercise.id, label, TASK_SCORE))
    return sorted(found, key=lambda f: -f.score)


def highlighted(label: str, words: list[str]) -> Content:
    """The label with each word of the query underlined where it occurs."""
    content = Content(label)
    folded = label.casefold()
    for word in words:
        start = folded.find(word)
        while word and start >= 0:
            content = content.stylize("bold underline", start, start + len(word))
            start = folded.find(word, start + len(word))
    return content


class ExerciseSearch(Provider):
    """Find an exercise by the words of its title, id or task, in the current language."""

    async def search(self, query: str) -> Hits:
        app: Any = self.app
        lang = app.lang
        found = word_matches(query, app.exercises, lang)
        if found:
            words = query.casefold().split()
            for hit in found:
                exercise = app.exercise_by_id[hit.exercise_id]
                yield Hit(hit.score, highlighted(hit.label, words), partial(app.open_exercise, hit.exercise_id),
                          text=hit.label, help=pick(DOMAIN_TITLES[exercise.domain], lang))
            return
        matcher = self.matcher(query)  # no word found anywhere: letters in order, for typos and abbreviations
        matched = False
        for exercise in app.exercises:
            label = f"{pick(exercise.title, lang)}  ({exercise.id})"
            score = matcher.match(label)
            if score > 0:
                matched = True
                yield Hit(score * 0.3, matcher.highlight(label), partial(app.open_exercise, exercise.id),
                          text=label, help=pick(DOMAIN_TITLES[exercise.domain], lang))
        if not matched and query.strip():  # said in the reader's language, not the palette's "No matches found"
            none = t("search.none", lang)
            yield Hit(0.0, Content(none).stylize("dim"), lambda: None, text=none)

    async def discover(self) -> Hits:
        app: Any = self.app
        lang = app.lang
        for exercise in app.exercises:
            yield DiscoveryHit(
                f"{pick(exercise.title, lang)}  ({exercise.id})",
                partial(app.open_exercise, exercise.id),
                help=pick(DOMAIN_TITLES[exercise.domain], lang),
            )


def exercise_search(placeholder: str) -> CommandPalette:
    """The palette `/` opens: exercises only (no Quit, Screenshot or Theme above them)."""
    return CommandPalette(providers=[ExerciseSearch], placeholder=placeholder, id="exercise-search")
