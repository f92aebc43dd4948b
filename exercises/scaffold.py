"""`kubedojo pack new`: a new pack from the commented templates in exercises/scaffold/, one exercise of each kind."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

TEMPLATES = Path(__file__).parent / "scaffold"
SCHEMAS = Path(__file__).parent / "schema"
PACK_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_ID_LENGTH = 40
"""The live exercise's namespace is `<id>-live`: a namespace name has at most 63 characters."""


class ScaffoldError(Exception):
    """The pack cannot be made; the message says why (and the folder is left as it was)."""


def template_files() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.is_file())


def render(text: str, pack_id: str, directory: Path, version: str) -> str:
    return (text.replace("__SCHEMA__", SCHEMAS.resolve().as_uri()).replace("__PACK__", pack_id)
            .replace("__DIR__", str(directory)).replace("__VERSION__", version))


def new_pack(pack_id: str, directory: Path, version: str | None = None) -> list[Path]:
    """Write the pack into `directory` (which must not exist), all or nothing; returns the files written."""
    if not PACK_ID.match(pack_id) or len(pack_id) > MAX_ID_LENGTH:
        raise ScaffoldError(f"{pack_id!r} cannot be a pack id: use lowercase letters, digits and '-', "
                            f"starting with a letter or digit, at most {MAX_ID_LENGTH} characters (e.g. week-3)")
    if os.path.lexists(directory):
        raise ScaffoldError(f"{directory} already exists: give a new folder (nothing was written)")
    parent = directory.parent if str(directory.parent) else Path(".")
    if not parent.is_dir():
        raise ScaffoldError(f"{parent} is not a folder")
    if version is None:
        from exercises.versions import running_version

        running = running_version()
        version = f"{running.major}.{running.minor}" if running else "0.1"
    staging = Path(tempfile.mkdtemp(prefix=f".{pack_id}-", dir=parent))
    written = []
    try:
        for template in template_files():
            relative = Path(str(template.relative_to(TEMPLATES)).replace("__PACK__", pack_id))
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render(template.read_text(encoding="utf-8"), pack_id, directory, version), encoding="utf-8")
            written.append(directory / relative)
        staging.rename(directory)  # all at once: a half-written pack never appears
    except OSError as err:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
        raise ScaffoldError(f"cannot write {directory}: {err.strerror or err}") from None
    return written
