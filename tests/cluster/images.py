"""Build the real nodes' container images (images.yaml) from Debian's busybox-static and our binaries."""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import platform
import re
import stat
import subprocess
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tests.cluster import build

HERE = Path(__file__).resolve().parent
IMAGES_DIR = HERE / "images"
IMAGES_FILE = IMAGES_DIR / "images.yaml"
BUSYBOX = Path("/bin/busybox")  # from the busybox-static package; its static glibc resolves DNS by itself
# Debian's busybox 1.35 crashes on `wget -T` (its getopt writes the timeout through a NULL pointer). Its
# ash runs applets before looking at PATH, so the applet is renamed (same length, still sorted) and
# images/base/usr/bin/wget, found on PATH, runs it with -T done by `timeout`.
WGET_APPLET = (b"\x00wc\x00wget\x00which\x00", b"\x00wc\x00wgeu\x00which\x00")
# Version numbers with an optional variant, and the variant words used on their own.
DEFAULT_TAGS = (r"latest|\d+(\.\d+){0,3}(-[a-z0-9][a-z0-9.-]*)?"
                r"|(stable|mainline|alpine|slim|bookworm|bullseye|buster|jammy|focal|noble|musl|glibc|uclibc|perl)(-[a-z0-9.]+)*")
LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar"
MTIME = 1704067200  # 2024-01-01: a fixed time, so the same inputs give the same layer digests


class ImageError(RuntimeError):
    """An image cannot be built on this machine (e.g. busybox-static is not installed)."""


@dataclass(frozen=True)
class Layer:
    digest: str
    size: int


@dataclass
class Image:
    """One image of images.yaml, with the layers it is made of once built."""

    name: str
    repositories: list[str]
    config: dict
    version: str
    tags: str = DEFAULT_TAGS
    layers: list[str] = field(default_factory=list)
    binaries: dict[str, str] = field(default_factory=dict)
    base: bool = True


def architecture() -> str:
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


def load() -> list[Image]:
    return [Image(**entry) for entry in yaml.safe_load(IMAGES_FILE.read_text())["images"]]


# --- layers -------------------------------------------------------------------------------------


class _LayerWriter:
    """A deterministic tar: entries in order, root-owned, one fixed mtime, parent directories first."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.tar = tarfile.open(fileobj=self.buffer, mode="w", format=tarfile.PAX_FORMAT)
        self.dirs: set[str] = set()

    def _info(self, path: str, kind: bytes, mode: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(path.strip("/"))
        info.type, info.mode, info.mtime, info.uid, info.gid = kind, mode, MTIME, 0, 0
        return info

    def directory(self, path: str, mode: int = 0o755) -> None:
        path = path.strip("/")
        if not path or path in self.dirs:
            return
        self.directory(os.path.dirname(path))
        self.dirs.add(path)
        self.tar.addfile(self._info(path, tarfile.DIRTYPE, mode))

    def file(self, path: str, data: bytes, mode: int = 0o644) -> None:
        self.directory(os.path.dirname(path.strip("/")))
        info = self._info(path, tarfile.REGTYPE, mode)
        info.size = len(data)
        self.tar.addfile(info, io.BytesIO(data))

    def symlink(self, path: str, target: str) -> None:
        self.directory(os.path.dirname(path.strip("/")))
        info = self._info(path, tarfile.SYMTYPE, 0o777)
        info.linkname = target
        self.tar.addfile(info)

    def tree(self, root: Path) -> None:
        for source in sorted(root.rglob("*")):
            relative = source.relative_to(root).as_posix()
            if source.is_symlink():
                self.symlink(relative, os.readlink(source))
            elif source.is_dir():
                self.directory(relative)
            else:
                executable = source.stat().st_mode & stat.S_IXUSR
                self.file(relative, source.read_bytes(), 0o755 if executable else 0o644)

    def close(self) -> bytes:
        self.tar.close()
        return self.buffer.getvalue()


def _base_layer() -> bytes:
    if not BUSYBOX.is_file():
        raise ImageError(f"{BUSYBOX} is missing: install busybox-static (tests/cluster/install-deps.sh)")
    layer = _LayerWriter()
    for path, mode in (("tmp", 0o1777), ("root", 0o700), ("run", 0o755), ("proc", 0o555), ("sys", 0o555),
                       ("dev", 0o755), ("etc", 0o755), ("var/log", 0o755), ("var/tmp", 0o1777), ("home", 0o755)):
        layer.directory(path, mode)
    layer.file("bin/busybox", BUSYBOX.read_bytes().replace(*WGET_APPLET), 0o755)
    listed = subprocess.run([str(BUSYBOX), "--list-full"], capture_output=True, text=True, timeout=30)
    if listed.returncode != 0:
        raise ImageError(f"{BUSYBOX} --list-full failed: {listed.stderr.strip()} (reinstall busybox-static)")
    applets = listed.stdout.split()
    for applet in sorted(set(applets)):
        # images/base/ replaces an applet with a script of the same name (wget)
        if applet != "bin/busybox" and not (IMAGES_DIR / "base" / applet).exists():
            layer.symlink(applet, "/bin/busybox")
    layer.symlink("var/run", "/run")
    layer.tree(IMAGES_DIR / "base")
    return layer.close()


def _directory_layer(name: str) -> bytes:
    layer = _LayerWriter()
    layer.tree(IMAGES_DIR / name)
    return layer.close()


def _binaries_layer(binaries: dict[str, str]) -> bytes:
    layer = _LayerWriter()
    for path, binary in sorted(binaries.items()):
        layer.file(path, build.binary_path(binary).read_bytes(), 0o755)
    return layer.close()


def _inputs(kind: str, argument) -> str:
    """What a layer is made from, as a key: the layer is rebuilt only when this changes."""
    digest = hashlib.sha256(f"{kind}:{argument}".encode())
    if kind == "base":
        digest.update(f"{BUSYBOX.stat().st_mtime_ns} {BUSYBOX.stat().st_size} {WGET_APPLET}".encode())
    if kind in ("base", "dir"):
        root = IMAGES_DIR / ("base" if kind == "base" else argument)
        for source in sorted(root.rglob("*")):
            digest.update(source.relative_to(root).as_posix().encode())
            if source.is_file():
                digest.update(source.read_bytes() + str(source.stat().st_mode & stat.S_IXUSR).encode())
    if kind == "binaries":
        digest.update(" ".join(build.binary_path(b).name for b in argument.values()).encode())
    return digest.hexdigest()[:24]


def store_dir() -> Path:
    return build.cache_root() / "images"


def blob_path(digest: str) -> Path:
    return store_dir() / "blobs" / digest.replace(":", "/")


def _layer(kind: str, argument, made: dict[str, dict]) -> Layer:
    key = _inputs(kind, argument)
    if key in made and blob_path(made[key]["digest"]).is_file():
        return Layer(**made[key])
    data = {"base": lambda: _base_layer(), "dir": lambda: _directory_layer(argument),
            "binaries": lambda: _binaries_layer(argument)}[kind]()
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    path = blob_path(digest)
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_suffix(".partial")
    scratch.write_bytes(data)
    os.replace(scratch, path)
    made[key] = {"digest": digest, "size": len(data)}
    return Layer(digest, len(data))


def build_catalog(log=print) -> Path:
    """Build the layers that changed; write the catalog the registry serves; return its path."""
    store_dir().mkdir(parents=True, exist_ok=True)
    with open(store_dir() / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # test sessions of two worktrees may build at once
        return _build_catalog(log)


def _build_catalog(log) -> Path:
    started = time.monotonic()
    index = store_dir() / "layers.json"
    made = json.loads(index.read_text()) if index.is_file() else {}
    catalog = []
    for image in load():
        layers = [_layer("base", "", made)] if image.base else []
        layers += [_layer("dir", name, made) for name in image.layers]
        if image.binaries:
            layers.append(_layer("binaries", image.binaries, made))
        catalog.append({
            "name": image.name, "repositories": image.repositories, "tags": image.tags, "version": image.version,
            "config": image.config, "layers": [{"digest": layer.digest, "size": layer.size} for layer in layers],
        })
    index.write_text(json.dumps(made, indent=1, sort_keys=True))
    text = json.dumps({"architecture": architecture(), "images": catalog}, indent=1, sort_keys=True)
    path = store_dir() / f"catalog-{hashlib.sha256(text.encode()).hexdigest()[:12]}.json"
    path.write_text(text)
    log(f"images: {len(catalog)} ready in {time.monotonic() - started:.1f} s ({path.name})")
    return path


def version_of(tag: str, default: str) -> str:
    match = re.match(r"\d+(\.\d+)*", tag)
    return match.group(0) if match else default

