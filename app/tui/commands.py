"""Command palette search over the exercises: title, id, and the task's text."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from exercises.model import DOMAIN_TITLES, pick


class ExerciseSearch(Provider):
    """Find an exercise by any word of its title, id or task, in the current language."""

    async def search(self, query: str) -> Hits:
        app = self.app
        lang = app.lang  # type: ignore[attr-defined]
        matcher = self.matcher(query)
        needle = query.casefold().strip()
        for exercise in app.exercises:  # type: ignore[attr-defined]
            label = f"{pick(exercise.title, lang)}  ({exercise.id})"
            score = matcher.match(label)
            if score <= 0 and needle and needle in pick(exercise.task, lang).casefold():
                score = 0.05  # found in the task's text: below every title match
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(label),
                    partial(app.open_exercise, exercise.id),  # type: ignore[attr-defined]
                    help=pick(DOMAIN_TITLES[exercise.domain], lang),
                )

    async def discover(self) -> Hits:
        app = self.app
        lang = app.lang  # type: ignore[attr-defined]
        for exercise in app.exercises:  # type: ignore[attr-defined]
            yield DiscoveryHit(
                f"{pick(exercise.title, lang)}  ({exercise.id})",
                partial(app.open_exercise, exercise.id),  # type: ignore[attr-defined]
                help=pick(DOMAIN_TITLES[exercise.domain], lang),
            )
