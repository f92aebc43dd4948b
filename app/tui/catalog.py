"""The exercises for the app, through a JSON cache of validated models (parsing 80 YAML files takes seconds).

A cache entry is used only when its file's size and mtime, and the exercise model's source, are unchanged;
anything else (a missing, stale or damaged cache) means reading the YAML as `kubedojo check` does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.tui.listing import write_cache
from exercises.base import CHECKED_BEFORE
from exercises.dirs import user_data_dir
from exercises.loader import Catalog
from exercises.model import Exercise

CACHE_FORMAT = 1


def cache_path() -> Path:
    return user_data_dir() / "cache" / "exercises.json"


def _model_stamp() -> str:
    """What a cached model depends on: the model's source, pydantic, and the regex engine that compiled its patterns."""
    from importlib.util import find_spec

    import pydantic

    import exercises.model as model

    stat = Path(model.__file__).stat()
    regex = find_spec("regex")  # not imported: a new version is a new file (mtime), and importing it costs 15 ms
    engine = Path(regex.origin).stat().st_mtime_ns if regex and regex.origin else 0
    return f"{CACHE_FORMAT}:{pydantic.VERSION}:{engine}:{stat.st_size}:{stat.st_mtime_ns}"


def load_exercises(catalog: Catalog, path: Path | None = None) -> list[Exercise]:
    """Every loadable exercise of the catalog, in its order; broken ones land in `catalog.problems`."""
    path = path or cache_path()
    stamp = _model_stamp()
    entries: dict[str, Any] = {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("stamp") == stamp and isinstance(data.get("exercises"), dict):
            entries = data["exercises"]
    except (OSError, ValueError):
        pass
    fresh: dict[str, Any] = {}
    exercises: list[Exercise] = []
    for exercise_id in catalog.ids():
        pack = catalog.pack_of(exercise_id)
        file = pack.exercise_files[exercise_id] if pack else None
        exercise = None
        key = str(file)
        try:
            stat = file.stat() if file else None
        except OSError:
            stat = None
        entry = entries.get(key)
        if stat and isinstance(entry, dict) and entry.get("size") == stat.st_size and entry.get("mtime_ns") == stat.st_mtime_ns:
            try:
                exercise = Exercise.model_validate_json(entry["model"], context={CHECKED_BEFORE: True})
            except (ValueError, KeyError):
                exercise = None
            if exercise is not None:
                fresh[key] = entry  # as it was written: dumping the model again would give the same text
        if exercise is None:
            exercise = catalog.get(exercise_id)
            if exercise is not None and stat:
                fresh[key] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "model": exercise.model_dump_json(exclude_unset=True)}
        if exercise is None:
            continue
        exercises.append(exercise)
    if fresh != entries:
        write_cache(path, {"stamp": stamp, "exercises": fresh})
    return exercises
