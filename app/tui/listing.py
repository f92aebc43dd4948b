"""The home screen's rows before the exercise models load: a small JSON file written after each full load, used at the
next start while every pack file is as it was then (the same fingerprint: each file's path, size and mtime).

Importing pydantic and the exercise models, and reading 150 validated models, is most of a start; with this file the
home shows its rows first and the models load behind it. Anything unexpected (no file, another fingerprint or code,
a damaged file) means the rows wait for the models, as they would without it.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from exercises.dirs import user_data_dir

LISTING_FORMAT = 1
_MADE_BY = ("exercises/model.py", "exercises/base.py", "app/tui/listing.py")
"""The code the rows are made by: a new version of any of these is another listing."""


@dataclass(frozen=True)
class Listed:
    """What the home screen shows of one exercise (its row, before progress)."""

    id: str
    title: dict[str, str]
    domain: str
    kind: str
    difficulty: str
    mode: str
    """offline, both or live (the strings' `mode.*` keys)."""
    target_minutes: float
    pack: str


@dataclass(frozen=True)
class Listing:
    """Every loadable exercise's row, in catalog order, and how many pack errors the catalog had."""

    rows: list[Listed]
    errors: int


def listing_path() -> Path:
    return user_data_dir() / "cache" / "listing.json"


def exercise_mode(exercise: Any) -> str:
    """offline, both or live: the strings' `mode.*` keys."""
    if exercise.live_only:
        return "live"
    return "both" if exercise.live is not None else "offline"


def listed(exercise: Any, pack: str) -> Listed:
    return Listed(exercise.id, dict(exercise.title), exercise.domain, exercise.kind, exercise.difficulty,
                  exercise_mode(exercise), exercise.target_minutes, pack)


def _stamp() -> list[Any]:
    root = Path(__file__).resolve().parents[2]
    made_by = []
    for name in _MADE_BY:
        try:
            stat = (root / name).stat()
            made_by.append([name, stat.st_size, stat.st_mtime_ns])
        except OSError:
            made_by.append([name, None])
    return [LISTING_FORMAT, made_by]


def read_listing(fingerprint: list[list[object]], path: Path | None = None) -> Listing | None:
    """The rows written for exactly these pack files by this code, or None."""
    try:
        data = json.loads((path or listing_path()).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("stamp") != _stamp() or data.get("fingerprint") != fingerprint:
            return None
        rows = [Listed(**row) for row in data["rows"]]
        errors = data["errors"]
        if not all(isinstance(r.title, dict) and isinstance(r.id, str) for r in rows) or not isinstance(errors, int):
            return None
        return Listing(rows, errors)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_listing(fingerprint: list[list[object]], listing: Listing, path: Path | None = None) -> None:
    """Atomically, when it says something new; a listing that cannot be written only costs the next start time."""
    path = path or listing_path()
    data = {"stamp": _stamp(), "fingerprint": fingerprint, "rows": [asdict(r) for r in listing.rows], "errors": listing.errors}
    try:
        if json.loads(path.read_text(encoding="utf-8")) == data:
            return
    except (OSError, ValueError):
        pass
    write_cache(path, data)


def write_cache(path: Path, data: Any) -> None:
    """A cache file written atomically (a temporary file beside it, renamed over it); one that cannot be written only
    costs time, so the error is dropped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        pass
