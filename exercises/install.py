"""Handing out packs: install one (checked, linted, moved into place at once), list what is installed, remove one."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from exercises.archive import ArchiveError, unpack
from exercises.loader import PACK_FILE, Pack, PackProblem, load_pack, user_packs_dir


class InstallError(Exception):
    """The pack is not installed (nothing changed); `problems` are lint's findings when lint refused it."""

    def __init__(self, message: str, problems: list[PackProblem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass
class Installed:
    """What install did."""

    pack_id: str
    version: str
    path: Path
    replaced: Path | None = None
    """The folder of the pack it replaced (--force)."""
    warnings: list[PackProblem] = field(default_factory=list)


def installed_packs(packs_dir: Path | None = None) -> list[Pack]:
    """The packs in the user's packs folder (each folder with a pack.yaml that loads)."""
    from exercises.loader import pack_dirs

    packs_dir = packs_dir or user_packs_dir()
    found = []
    for directory in pack_dirs(packs_dir) if packs_dir.is_dir() else []:
        if directory.name.startswith("."):
            continue
        pack, _ = load_pack(directory)
        if pack is not None:
            found.append(pack)
    return found


def _pack_root(staging: Path) -> Path:
    """The folder of the unpacked tree that holds pack.yaml: its top, or its one top folder."""
    if (staging / PACK_FILE).is_file():
        return staging
    tops = [p for p in staging.iterdir() if p.is_dir()]
    if len(tops) == 1 and (tops[0] / PACK_FILE).is_file() and len(list(staging.iterdir())) == 1:
        return tops[0]
    raise InstallError("no pack.yaml at the top of it, nor in its one top folder: is it a pack?")


def _relative(problems: list[PackProblem], root: Path, shown: str) -> list[PackProblem]:
    """Lint's findings with the temporary folder's path replaced by what the user gave."""
    prefix = str(root)
    return [PackProblem(shown + p.file[len(prefix):] if p.file.startswith(prefix) else p.file, p.message, p.line, p.severity)
            for p in problems]


def install(source: Path, force: bool = False, packs_dir: Path | None = None, self_test: bool = True) -> Installed:
    """Unpack `source` into a temporary folder beside the packs, lint it, and rename it into place; raises InstallError."""
    from exercises.lint import lint_catalog
    from exercises.loader import load_catalog

    packs_dir = packs_dir or user_packs_dir()
    try:
        packs_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".install-", dir=packs_dir))  # same filesystem: the rename is atomic
    except OSError as err:
        raise InstallError(f"cannot write to the packs folder {packs_dir}: {err.strerror or err}") from None
    try:
        tree = staging / "unpacked"  # below the top, so no half-unpacked pack.yaml is ever in the packs folder
        tree.mkdir()
        try:
            unpack(source, tree)
        except ArchiveError as err:
            raise InstallError(f"{source} is refused: {err}") from None
        root = _pack_root(tree)
        catalog = load_catalog([root], bundled=False, user=False)
        problems = _relative(lint_catalog(catalog, catalog.packs, self_test=self_test) if catalog.packs else catalog.problems,
                             root, str(source))
        errors = [p for p in problems if p.severity == "error"]
        if errors or not catalog.packs:
            raise InstallError(f"{source} is not installed: `kubedojo lint` finds {len(errors) or len(problems)} error(s)", errors or problems)
        pack = catalog.packs[0]
        target = packs_dir / pack.meta.id
        installed = {p.path: p for p in installed_packs(packs_dir) if p.meta.id == pack.meta.id}
        old = list(installed) + ([target] if os.path.lexists(target) and target not in installed else [])
        if old and not force:
            version = f" (version {installed[old[0]].meta.version})" if old[0] in installed else ""
            raise InstallError(f"pack {pack.meta.id!r} is installed already{version} in {old[0]}: --force replaces it")
        moved = []
        try:
            for i, path in enumerate(old):
                os.rename(path, staging / f"replaced-{i}")
                moved.append(path)
            os.rename(root, target)
        except OSError:
            for i, path in enumerate(moved):
                os.rename(staging / f"replaced-{i}", path)  # put them back: a failed install changes nothing
            raise
        return Installed(pack.meta.id, pack.meta.version, target, old[0] if old else None, [p for p in problems if p.severity != "error"])
    except OSError as err:
        raise InstallError(f"cannot install into {packs_dir}: {err.strerror or err}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def remove(pack_id: str, packs_dir: Path | None = None) -> Path:
    """Delete an installed pack's folder (renamed away first, so it is gone at once); raises InstallError."""
    packs_dir = packs_dir or user_packs_dir()
    matches = [p for p in installed_packs(packs_dir) if p.meta.id == pack_id]
    if not matches:
        raise InstallError(f"no pack {pack_id!r} is installed in {packs_dir} (`kubedojo pack list` shows what is)")
    path = matches[0].path
    doomed = Path(tempfile.mkdtemp(prefix=".remove-", dir=packs_dir))
    try:
        os.rename(path, doomed / path.name)
    except OSError as err:
        doomed.rmdir()
        raise InstallError(f"cannot remove {path}: {err.strerror or err}") from None
    shutil.rmtree(doomed, ignore_errors=True)
    return path
