"""Which kubedojo a pack needs (`requires: kubedojo >=X`), read with packaging's PEP 440 specifiers (imported only when a pack asks)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*$")


def _split(text: str) -> tuple[str, Any]:
    """(the name, its SpecifierSet) of `kubedojo >=0.2,<1`; ValueError says what is wrong."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    found = REQUIREMENT.match(text)
    if not found:
        raise ValueError(f"{text!r} is not a requirement like `kubedojo >=0.2`")
    name, rest = found.groups()
    if name.lower() != "kubedojo":
        raise ValueError(f"requires names {name!r}; a pack can only require kubedojo (`kubedojo >=0.2`)")
    if rest[:1] in ("[", ";", "@"):
        raise ValueError(f"{text!r}: give only a version range (`kubedojo >=0.2,<1`), no extras, markers or URLs")
    if not rest:
        raise ValueError(f"{text!r} names no version: write e.g. `kubedojo >=0.2`")
    try:
        return name, SpecifierSet(rest)
    except InvalidSpecifier as err:
        raise ValueError(f"{text!r} is not a requirement like `kubedojo >=0.2` ({err})") from None


def kubedojo_requirement(text: str) -> str:
    """`requires:` must name kubedojo and a version range that parses; the text is kept as written."""
    _split(text)
    return text


@lru_cache(maxsize=1)
def running_version() -> Any:
    """The installed kubedojo's version (a packaging Version), or None when it is run from a tree that is not installed."""
    from importlib.metadata import PackageNotFoundError, version

    from packaging.version import InvalidVersion, Version

    try:
        return Version(version("kubedojo"))
    except (PackageNotFoundError, InvalidVersion):
        return None


def unmet(requires: str | None, running: Any = None) -> str | None:
    """Why this kubedojo cannot load a pack that `requires` it, or None when it can (or cannot tell)."""
    if not requires:
        return None
    running = running or running_version()
    if running is None:
        return None
    specifier = _split(requires)[1]
    if specifier.contains(running, prereleases=True):
        return None
    if any(_below(running, s) for s in specifier):
        return f"the pack requires {requires} but this is kubedojo {running}: upgrade kubedojo (`pip install -U kubedojo`)"
    return (f"the pack requires {requires} but this is kubedojo {running}, newer than the pack allows: "
            "ask its author for a version of the pack made for it")


def _below(running: Any, specifier: Any) -> bool:
    """Whether a lower bound (`>=`, `>`, `~=`, `==`) refuses `running` because it is older."""
    from packaging.version import InvalidVersion, Version

    if specifier.operator not in (">=", ">", "~=", "=="):
        return False
    try:
        return running < Version(specifier.version.removesuffix(".*"))
    except InvalidVersion:
        return False
