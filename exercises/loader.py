"""Finding and loading exercise packs; every problem comes back as data with its file and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from pydantic import ValidationError

from exercises.dirs import user_data_dir  # noqa: F401 (exercises.loader.user_data_dir, as callers know it)
from exercises.finding import (  # noqa: F401 (exercises.loader's names, as callers know them)
    BUNDLED_PACKS, ENTRY_POINT_GROUP, PACK_FILE, PackProblem, distribution_packs, pack_dirs, pack_sources, user_packs_dir,
)
from exercises.model import CHECK_MODELS, Exercise, PackMeta

MAX_PACK_FILE_BYTES = 256 * 1024


@dataclass
class Pack:
    """A folder of exercises with its pack.yaml."""

    meta: PackMeta
    path: Path
    exercise_files: dict[str, Path]
    """Exercise id (the file's stem) -> file; loaded on demand."""
    bundled: bool = False
    source: str = "folder"
    """Where it came from: bundled, distribution (an entry point), user (the packs folder) or folder (--pack)."""


@dataclass
class Catalog:
    """Every pack kubedojo can see, with exercises loaded lazily by id."""

    packs: list[Pack] = field(default_factory=list)
    problems: list[PackProblem] = field(default_factory=list)
    replaced: dict[str, Pack] = field(default_factory=dict)
    """Exercise id -> the earlier pack whose exercise of that id a later pack's replaces."""
    shadowed: list[Pack] = field(default_factory=list)
    """Packs not used because a later pack has the same id."""
    _loaded: dict[str, Exercise | None] = field(default_factory=dict)
    _pack_of: dict[str, Pack] = field(default_factory=dict)

    def ids(self) -> list[str]:
        return list(self._pack_of)

    def pack_of(self, exercise_id: str) -> Pack | None:
        return self._pack_of.get(exercise_id)

    def get(self, exercise_id: str) -> Exercise | None:
        """The exercise, or None if unknown or broken (the reason is in `problems`)."""
        if exercise_id not in self._loaded:
            pack = self._pack_of.get(exercise_id)
            if pack is None:
                return None
            exercise, problems = load_exercise(pack.exercise_files[exercise_id])
            self.problems.extend(problems)
            self._loaded[exercise_id] = exercise
        return self._loaded[exercise_id]

    def exercises(self) -> list[Exercise]:
        """All loadable exercises, in pack order."""
        return [ex for ex in (self.get(i) for i in self.ids()) if ex is not None]

    def problems_for(self, exercise_id: str) -> list[PackProblem]:
        pack = self._pack_of.get(exercise_id)
        if pack is None:
            return []
        path = str(pack.exercise_files[exercise_id])
        return [p for p in self.problems if p.file == path]

    def add_pack(self, pack: Pack) -> None:
        """Add a pack; a later pack with an earlier one's id takes its place whole (the earlier is `shadowed`)."""
        for earlier in [p for p in self.packs if p.meta.id == pack.meta.id]:
            self.problems.append(PackProblem(str(pack.path / PACK_FILE), f"pack id {pack.meta.id!r} is also the id of "
                                             f"the pack in {earlier.path}; this one ({pack.path}) is used and that one "
                                             "is not: give each pack its own id", line=1, severity="warning"))
            self.packs.remove(earlier)
            self.shadowed.append(earlier)
            self._reindex()
        self.packs.append(pack)
        self._index(pack)

    def _index(self, pack: Pack) -> None:
        for exercise_id in pack.exercise_files:
            earlier = self._pack_of.get(exercise_id)
            if earlier is not None:
                self.problems.append(
                    PackProblem(
                        str(pack.exercise_files[exercise_id]),
                        f"exercise id {exercise_id!r} is also in pack {earlier.meta.id!r} ({earlier.path}); "
                        "this one replaces it",
                        severity="warning",
                    )
                )
                self.replaced[exercise_id] = earlier
            self._pack_of[exercise_id] = pack
            self._loaded.pop(exercise_id, None)

    def _reindex(self) -> None:
        """Map exercise ids again after a pack left (its replacement warnings were said already)."""
        said = list(self.problems)
        self._pack_of.clear()
        self.replaced.clear()
        self._loaded.clear()
        for pack in self.packs:
            self._index(pack)
        self.problems[:] = said

    def broken(self) -> list[tuple[str, list[PackProblem]]]:
        """Every exercise that does not load, with why (loads them all)."""
        return [(i, self.problems_for(i)) for i in self.ids() if self.get(i) is None]


def load_catalog(extra: Sequence[Path] = (), *, bundled: bool = True, user: bool = True) -> Catalog:
    """The bundled packs, then those installed as distributions and the user's, then `extra` ones (later ones win on equal ids)."""
    return catalog_of(*pack_sources(extra, bundled=bundled, user=user))


def catalog_of(sources: list[tuple[Path, str, bool]], problems: list[PackProblem]) -> Catalog:
    """The catalog of the packs in `sources` (exercises.finding.pack_sources), with the problems found finding them."""
    catalog = Catalog(problems=list(problems))
    for root, source, must_exist in sources:
        dirs = pack_dirs(root)
        if not dirs and must_exist:
            why = "does not exist" if not root.exists() else "has no pack.yaml, nor folders with one"
            catalog.problems.append(PackProblem(str(root), f"not a pack: {root} {why}"))
        for directory in dirs:
            pack, problems = load_pack(directory)
            catalog.problems.extend(problems)
            if pack is not None:
                pack.bundled, pack.source = source == "bundled", source
                catalog.add_pack(pack)
    return catalog


def load_pack(directory: Path) -> tuple[Pack | None, list[PackProblem]]:
    """Read pack.yaml and list the exercise files (exercises themselves load on demand)."""
    meta_file = directory / PACK_FILE
    data, problems = _read_yaml(meta_file)
    if problems:
        return None, problems
    try:
        meta = PackMeta.model_validate(data)
    except ValidationError as err:
        return None, _validation_problems(meta_file, err)
    from exercises.versions import unmet

    why = unmet(meta.requires)
    if why:
        return None, [PackProblem(str(meta_file), f"pack {meta.id!r} is not loaded: {why}", line=line_of(meta_file, ("requires",)))]
    files: dict[str, Path] = {}
    for path in sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml")):
        if path.name == PACK_FILE:
            continue
        if path.stem in files:
            problems.append(PackProblem(str(path), f"{path.name} and {files[path.stem].name} both hold exercise "
                                        f"{path.stem!r}; {path.name} is ignored: keep one", severity="warning"))
            continue
        files[path.stem] = path
    if not files:
        problems.append(PackProblem(str(directory), "the pack has no exercise files (*.yaml)", severity="warning"))
    return Pack(meta=meta, path=directory, exercise_files=files), problems


def load_exercise(path: Path) -> tuple[Exercise | None, list[PackProblem]]:
    """One exercise file -> the model, or the problems with their lines."""
    data, problems = _read_yaml(path)
    if problems:
        return None, problems
    try:
        exercise = Exercise.model_validate(data)
    except ValidationError as err:
        return None, _validation_problems(path, err)
    if exercise.id != path.stem:
        return None, [
            PackProblem(
                str(path),
                f"exercise id {exercise.id!r} must match its file name ({path.stem}.yaml)",
                line=line_of(path, ("id",)),
            )
        ]
    return exercise, []


def _read_yaml(path: Path) -> tuple[Any, list[PackProblem]]:
    data, _lines, problems = _read_yaml_with_lines(path)
    return data, problems


def _read_yaml_with_lines(path: Path) -> tuple[Any, Any, list[PackProblem]]:
    """The file's data and a map of its lines; safe, bounded, and libyaml-fast (graders.source)."""
    from graders.files import FileReadError, read_text_file
    from graders.source import parse_documents

    try:  # a pack's files stay inside its folder: a link out of it is refused before anything is read
        text = read_text_file(path, MAX_PACK_FILE_BYTES, inside=path.parent)
    except FileReadError as err:
        return None, None, [PackProblem(str(path), err.reason, line=err.line)]
    documents, errors = parse_documents(text)
    if errors:
        first = errors[0]
        message = first.message.removeprefix(f"line {first.line}: ") if first.line else first.message
        hint = f" ({first.hint})" if first.hint else ""
        return None, None, [PackProblem(str(path), f"YAML: {message}{hint}", line=first.line)]
    if len(documents) != 1 or not isinstance(documents[0].obj, dict):
        return None, None, [PackProblem(str(path), "expected one mapping (key: value) in the file", line=1)]
    return documents[0].obj, documents[0].lines, []


def _validation_problems(path: Path, err: ValidationError) -> list[PackProblem]:
    _data, lines, _ = _read_yaml_with_lines(path)
    problems = []
    for e in err.errors():
        loc = tuple(e["loc"])
        # Discriminated unions add the tag to the location; drop it to address the YAML.
        yaml_loc = tuple(part for part in loc if part not in CHECK_MODELS)
        where = ".".join(str(p) for p in loc) or "(top)"
        message = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            message = f"unknown field {loc[-1]!r}"
        elif e["type"] == "missing":
            message = f"required field {loc[-1]!r} is missing"
        problems.append(PackProblem(str(path), f"{where}: {message}", line=lines.line_for(yaml_loc) if lines else None))
    return problems


def line_of(path: Path, loc: Iterable[str | int]) -> int | None:
    """1-based line of the value at `loc` in a pack file, or of its deepest existing ancestor."""
    _data, lines, _ = _read_yaml_with_lines(path)
    return lines.line_for(tuple(loc)) if lines else None
