"""Which kubedojo a pack needs (`requires: kubedojo >=X`), read with packaging's PEP 440 specifiers."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import InvalidVersion, Version


def kubedojo_requirement(text: str) -> str:
    """`requires:` must name kubedojo and a version range that parses; the text is kept as written."""
    try:
        requirement = Requirement(text)
    except InvalidRequirement as err:
        raise ValueError(f"{text!r} is not a requirement like `kubedojo >=0.2` ({err})") from None
    if requirement.name.lower() != "kubedojo":
        raise ValueError(f"requires names {requirement.name!r}; a pack can only require kubedojo (`kubedojo >=0.2`)")
    if requirement.extras or requirement.marker or requirement.url:
        raise ValueError(f"{text!r}: give only a version range (`kubedojo >=0.2,<1`), no extras, markers or URLs")
    if not str(requirement.specifier):
        raise ValueError(f"{text!r} names no version: write e.g. `kubedojo >=0.2`")
    return text


@lru_cache(maxsize=1)
def running_version() -> Version | None:
    """The installed kubedojo's version, or None when it is run from a tree that is not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return Version(version("kubedojo"))
    except (PackageNotFoundError, InvalidVersion):
        return None


def unmet(requires: str | None, running: Version | None = None) -> str | None:
    """Why this kubedojo cannot load a pack that `requires` it, or None when it can (or cannot tell)."""
    if not requires:
        return None
    running = running or running_version()
    if running is None:
        return None
    specifier = Requirement(requires).specifier
    if specifier.contains(running, prereleases=True):
        return None
    if any(_below(running, s) for s in specifier):
        return f"the pack requires {requires} but this is kubedojo {running}: upgrade kubedojo (`pip install -U kubedojo`)"
    return (f"the pack requires {requires} but this is kubedojo {running}, newer than the pack allows: "
            "ask its author for a version of the pack made for it")


def _below(running: Version, specifier: Any) -> bool:
    """Whether a lower bound (`>=`, `>`, `~=`, `==`) refuses `running` because it is older."""
    if specifier.operator not in (">=", ">", "~=", "=="):
        return False
    try:
        return running < Version(specifier.version.removesuffix(".*"))
    except InvalidVersion:
        return False
