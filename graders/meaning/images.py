"""Image references: two names for the same image (`busybox:1.36` is `docker.io/library/busybox:1.36`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGEST = re.compile(r"^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$")


@dataclass(frozen=True)
class Reference:
    registry: str
    repository: str
    tag: str
    """`latest` when none is written (and no digest)."""
    digest: str = ""

    def text(self) -> str:
        return f"{self.registry}/{self.repository}" + (f":{self.tag}" if self.tag else "") + (f"@{self.digest}" if self.digest else "")


def parse(image: str) -> Reference | None:
    """The reference as the container runtime normalises it (distribution/reference), or None if it is not one."""
    text = image.strip()
    if not text or text != image or any(c.isspace() for c in text) or text != text.strip("/"):
        return None
    name, _, digest = text.partition("@")
    if digest and not _DIGEST.match(digest):
        return None
    first, slash, rest = name.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        registry, path = first, rest
    else:
        registry, path = "docker.io", name
    if registry == "index.docker.io":
        registry = "docker.io"
    last = path.rsplit("/", 1)[-1]
    tag = ""
    if ":" in last:
        path, _, tag = path.rpartition(":")
    if not path or path != path.lower() or not re.fullmatch(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*", path):
        return None
    if tag and not re.fullmatch(r"[\w][\w.-]{0,127}", tag):
        return None
    if registry == "docker.io" and "/" not in path:
        path = "library/" + path
    return Reference(registry, path, tag or ("" if digest else "latest"), digest)


def same_image(found: str, wanted: str) -> bool:
    """Whether `found` runs the image `wanted` names; a digest added to the wanted tag pins it and still counts."""
    a, b = parse(found), parse(wanted)
    if a is None or b is None:
        return False
    if (a.registry, a.repository) != (b.registry, b.repository):
        return False
    if b.digest:
        return a.digest == b.digest
    return a.tag == b.tag
