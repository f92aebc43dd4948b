"""Mounts: what a container sees at a path (which volume, which source, which key), deeper mounts shadowing."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any, Mapping

from graders.meaning.workloads import container as find_container
from graders.meaning.shape import items, mapping

KEYED = ("configMap", "secret")
SOURCE_NAME = {"configMap": "name", "secret": "secretName", "persistentVolumeClaim": "claimName", "hostPath": "path"}
PROJECTED_NAME = {"configMap": "name", "secret": "name"}


@dataclass(frozen=True)
class Origin:
    """Where one thing a container sees comes from."""

    kind: str
    """configMap, secret, persistentVolumeClaim, emptyDir, hostPath, downwardAPI, serviceAccountToken, ... or "" (the image)."""
    name: str = ""
    """The ConfigMap, Secret or claim name; the host path (with the sub-path) for hostPath."""
    key: str = ""
    """For a file of a ConfigMap or Secret: its key."""
    sub_path: str = ""
    """Where in the volume (for volumes that are directories: claims, emptyDir, hostPath)."""

    def text(self) -> str:
        if not self.kind:
            return "nothing mounted (the image's own files)"
        what = f"{self.kind} `{self.name}`" if self.name else self.kind
        if self.key:
            what += f" key `{self.key}`"
        elif self.sub_path:
            what += f" (sub-path `{self.sub_path}`)"
        return what


NOTHING = Origin("")


@dataclass(frozen=True)
class Seen:
    """What the container finds at a path: the mount that serves it and where that comes from."""

    origin: Origin
    mount_path: str = ""
    volume: str = ""
    read_only: bool = False
    present: bool = True
    """False when the mount serves the path's parent but no such file is in the volume (items that drop a key)."""


def _clean(path: str) -> str:
    return posixpath.normpath("/" + path.strip()) if path.strip() else "/"


def _within(path: str, mount: str) -> str | None:
    """The part of `path` below `mount` ("" for the mount point itself), or None when outside."""
    if path == mount:
        return ""
    prefix = mount if mount.endswith("/") else mount + "/"
    return path[len(prefix):] if path.startswith(prefix) else None


def _files(source_kind: str, source: Mapping[str, Any], name_field: str) -> tuple[str, dict[str, str] | None]:
    """(source name, file path -> key); None for "every key, each a file named after it"."""
    name = str(source.get(name_field) or "")
    listed = items(source.get("items"))
    if not listed:
        return name, None
    return name, {str(i.get("path")).strip("/"): str(i.get("key")) for i in listed if isinstance(i, Mapping) and i.get("key") is not None}


def _keyed_sources(volume: Mapping[str, Any]) -> list[tuple[str, str, dict[str, str] | None]] | None:
    """For a configMap, secret or projected volume: (kind, name, files) per source; None for other volumes."""
    for kind in KEYED:
        if isinstance(volume.get(kind), Mapping):
            name, files = _files(kind, volume[kind], SOURCE_NAME[kind])
            return [(kind, name, files)]
    projected = volume.get("projected")
    if isinstance(projected, Mapping):
        out: list[tuple[str, str, dict[str, str] | None]] = []
        for source in items(projected.get("sources")):
            if not isinstance(source, Mapping):
                continue
            for kind in KEYED:
                if isinstance(source.get(kind), Mapping):
                    name, files = _files(kind, source[kind], PROJECTED_NAME[kind])
                    out.append((kind, name, files))
            if isinstance(source.get("serviceAccountToken"), Mapping):
                out.append(("serviceAccountToken", "", {str(source["serviceAccountToken"].get("path", "")).strip("/"): "token"}))
            if isinstance(source.get("downwardAPI"), Mapping):
                listed = items(source["downwardAPI"].get("items"))
                out.append(("downwardAPI", "", {str(i.get("path")).strip("/"): str(i.get("path")) for i in listed if isinstance(i, Mapping)}))
        return out
    if isinstance(volume.get("downwardAPI"), Mapping):
        listed = items(volume["downwardAPI"].get("items"))
        return [("downwardAPI", "", {str(i.get("path")).strip("/"): str(i.get("path")) for i in listed if isinstance(i, Mapping)})]
    return None


def _inside(volume: Mapping[str, Any], inner: str, wanted: tuple[str, str] | None = None) -> tuple[Origin, bool]:
    """What is at `inner` (a path inside the volume, "" for its root), and whether it is there.

    `wanted` (kind, name) is the source a task says holds the key: among projected sources that project every
    key, it is the one that serves the file (two sources with the same file make the kubelet refuse the volume).
    """
    keyed = _keyed_sources(volume)
    if keyed is not None:
        if not inner:
            if len(keyed) == 1:
                return Origin(keyed[0][0], keyed[0][1]), True
            if wanted is not None and any((k, n) == wanted for k, n, _ in keyed):
                return Origin(*wanted), True  # one of the directory's sources
            return Origin("projected"), True
        every_key: Origin | None = None
        for kind, name, files in reversed(keyed):  # a later projected source wins a clash
            if files is None:
                if "/" not in inner:
                    if wanted is None or (kind, name) == wanted:
                        return Origin(kind, name, inner), True
                    every_key = every_key or Origin(kind, name, inner)
            elif inner in files:
                return Origin(kind, name, files[inner]), True
            elif any(f.startswith(inner + "/") for f in files):
                return Origin(kind, name, sub_path=inner), True
        if every_key is not None:
            return every_key, True
        if not keyed:  # a projected volume with no usable source
            return Origin("projected"), False
        return Origin(keyed[-1][0], keyed[-1][1]), False
    for kind in ("persistentVolumeClaim", "hostPath"):
        if isinstance(volume.get(kind), Mapping):
            name = str(volume[kind].get(SOURCE_NAME[kind]) or "")
            if kind == "hostPath":
                return Origin(kind, posixpath.normpath(posixpath.join(name, inner)) if inner else name), True
            return Origin(kind, name, sub_path=inner), True
    kind = next((k for k in volume if k != "name"), "")
    return Origin(kind, sub_path=inner), True


def mounts(spec: Mapping[str, Any], container_name: str) -> list[dict[str, Any]]:
    found = find_container(spec, container_name)
    return [m for m in items(mapping(found).get("volumeMounts")) if isinstance(m, Mapping)]


def sees(spec: Mapping[str, Any], container_name: str, path: str, wanted: tuple[str, str] | None = None) -> Seen:
    """What `container_name` finds at `path`: the deepest mount at or above it decides (`wanted`: see `_inside`)."""
    path = _clean(path)
    best: tuple[int, Mapping[str, Any], str] | None = None
    for mount in mounts(spec, container_name):
        mount_path = _clean(str(mount.get("mountPath") or ""))
        rest = _within(path, mount_path)
        if rest is not None and (best is None or len(mount_path) >= best[0]):
            best = (len(mount_path), mount, rest)
    if best is None:
        return Seen(NOTHING)
    _, mount, rest = best
    volumes = {str(v.get("name")): v for v in items(spec.get("volumes")) if isinstance(v, Mapping)}
    volume = volumes.get(str(mount.get("name")))
    mount_path = _clean(str(mount.get("mountPath")))
    read_only = bool(mount.get("readOnly"))
    if volume is None:
        return Seen(NOTHING, mount_path, str(mount.get("name")), read_only, present=False)
    sub = str(mount.get("subPath") or mount.get("subPathExpr") or "").strip("/")
    inner = "/".join(p for p in (sub, rest) if p)
    origin, present = _inside(volume, inner, wanted)
    if isinstance(volume.get("secret"), Mapping) or isinstance(volume.get("configMap"), Mapping) or "projected" in volume or "downwardAPI" in volume:
        read_only = True  # the kubelet always mounts these read-only
    elif any(isinstance(source, Mapping) and source.get("readOnly") is True for source in volume.values()):
        read_only = True  # a source marked readOnly (persistentVolumeClaim, csi, nfs, ...) is mounted read-only whatever the mount says
    return Seen(origin, mount_path, str(volume.get("name")), read_only, present)
