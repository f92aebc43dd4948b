"""Where packs are (bundled, installed as distributions, the user's folder, --pack folders) and what is wrong with
them as data; no models imported, so the app can list its packs' files before the exercise models load."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from exercises.dirs import user_data_dir

BUNDLED_PACKS = Path(__file__).parent / "packs"
PACK_FILE = "pack.yaml"


@dataclass(frozen=True)
class PackProblem:
    """One thing wrong with a pack, where it is."""

    file: str
    message: str
    line: int | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity}: {self.message}"


def user_packs_dir() -> Path:
    """Where a user's own packs live (each a folder with a pack.yaml)."""
    return user_data_dir() / "packs"


ENTRY_POINT_GROUP = "kubedojo.packs"


def distribution_packs() -> tuple[list[Path], list[PackProblem]]:
    """Packs installed as Python distributions: each entry point of `kubedojo.packs` names the package holding a pack.

    The package is found, never imported (a pack is data): `week3 = "kubedojo_pack_week3"` is that package's folder.
    """
    from importlib.metadata import entry_points
    from importlib.util import find_spec

    found: list[Path] = []
    problems: list[PackProblem] = []
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        where = f"entry point {point.name} = {point.value} ({ENTRY_POINT_GROUP}"
        where += f", distribution {point.dist.name})" if point.dist is not None else ")"
        if "." in point.module or point.attr:
            problems.append(PackProblem(where, f'not a pack: name a top-level package (`{point.name} = "package_name"`)'))
            continue
        try:
            spec = find_spec(point.module)
        except (ImportError, ValueError) as err:
            problems.append(PackProblem(where, f"not a pack: {err}"))
            continue
        locations = list(spec.submodule_search_locations or []) if spec is not None else []
        if not locations:
            problems.append(PackProblem(where, "not a pack: no package of that name is installed"))
            continue
        found.append(Path(locations[0]))
    return found, problems


def pack_dirs(path: Path) -> list[Path]:
    """`path` itself if it is a pack, else the packs directly inside it (a pack.yaml that is no file is read, and refused)."""
    try:
        if os.path.lexists(path / PACK_FILE):
            return [path]
        if path.is_dir():
            return sorted(p for p in path.iterdir() if os.path.lexists(p / PACK_FILE))
    except OSError:  # unreadable: the caller says it is not a pack
        pass
    return []


def pack_sources(extra: Sequence[Path] = (), *, bundled: bool = True, user: bool = True) -> tuple[list[tuple[Path, str, bool]], list[PackProblem]]:
    """The folders packs come from, in load order (later ones win on equal ids): (folder, source, must exist), and the
    problems of installed distributions' entry points."""
    sources: list[tuple[Path, str, bool]] = []
    problems: list[PackProblem] = []
    if bundled:
        sources.append((BUNDLED_PACKS, "bundled", True))
    if user:
        installed, problems = distribution_packs()
        sources.extend((path, "distribution", True) for path in installed)
        sources.append((user_packs_dir(), "user", False))
    sources.extend((Path(p), "folder", True) for p in extra)
    return sources, problems


def fingerprint(sources: list[tuple[Path, str, bool]]) -> list[list[object]]:
    """Every file the packs of `sources` are read from, with its size and mtime: equal fingerprints, equal catalogs."""
    seen: list[list[object]] = []
    for root, source, _must_exist in sources:
        seen.append([str(root), source])
        for directory in pack_dirs(root):
            try:
                files = [directory / PACK_FILE, *sorted(directory.glob("*.yaml")), *sorted(directory.glob("*.yml"))]
                for path in files:
                    stat = path.stat()
                    seen.append([str(path), stat.st_size, stat.st_mtime_ns])
            except OSError:
                seen.append([str(directory), "unreadable"])
    return seen
