"""Unpacking a pack someone handed out (a folder, .tar.gz or .zip) without trusting it: names, kinds and sizes checked while reading."""

from __future__ import annotations

import os
import stat
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Iterator

MAX_MEMBERS = 500
MAX_FILE_BYTES = 1024 * 1024
MAX_TOTAL_BYTES = 16 * 1024 * 1024
MAX_ARCHIVE_BYTES = 16 * 1024 * 1024
MAX_RATIO = 100
"""Unpacked bytes per packed byte beyond which a member (zip) or the stream (tar.gz) is a bomb; text packs ~5-10."""
RATIO_FREE_BYTES = 256 * 1024
"""So much may unpack at any ratio (a file of blanks compresses well and is harmless)."""
CHUNK = 64 * 1024
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")


class ArchiveError(Exception):
    """The archive or folder is refused; the message says what is wrong and where (nothing is written outside)."""


@dataclass
class Budget:
    """What may still be written: members and bytes, counted as they are written."""

    members: int = 0
    total: int = 0

    def member(self, name: str) -> None:
        self.members += 1
        if self.members > MAX_MEMBERS:
            raise ArchiveError(f"more than {MAX_MEMBERS} files (at {name}): a pack is a few dozen")

    def add(self, name: str, size: int, written: int) -> None:
        if written > MAX_FILE_BYTES:
            raise ArchiveError(f"{name} unpacks to more than {MAX_FILE_BYTES // 1024} KiB: a pack file is a page of YAML")
        self.total += size
        if self.total > MAX_TOTAL_BYTES:
            raise ArchiveError(f"the files unpack to more than {MAX_TOTAL_BYTES // (1024 * 1024)} MiB in all (at {name})")


def safe_name(raw: str) -> PurePosixPath | None:
    """The member's path inside the pack, or ArchiveError; None for the archive's own top (`./`)."""
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in raw):
        raise ArchiveError(f"{raw!r}: a file name with a control character")
    if "\\" in raw:
        raise ArchiveError(f"{raw!r}: a backslash in a file name (a Windows path that could leave the folder)")
    if raw.startswith("/") or (len(raw) > 1 and raw[1] == ":"):
        raise ArchiveError(f"{raw!r}: an absolute path; every file must be inside the pack")
    parts = [p for p in raw.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ArchiveError(f"{raw!r}: a '..' in the path would write outside the pack")
    return PurePosixPath(*parts) if parts else None


def _write(root: Path, name: PurePosixPath, source: BinaryIO, budget: Budget, packed: int | None = None) -> None:
    """Copy one member under root, counting what is really read (never the header's size); a bomb stops mid-file."""
    target = root.joinpath(*name.parts)
    if not target.resolve().is_relative_to(root.resolve()):
        raise ArchiveError(f"{name}: resolves outside the pack")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:  # O_EXCL: a name given twice is refused, never overwritten
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except FileExistsError:
        raise ArchiveError(f"{name} is in the archive twice") from None
    written = 0
    with os.fdopen(fd, "wb") as out:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            if packed is not None and written > RATIO_FREE_BYTES and written > MAX_RATIO * max(packed, 1):
                raise ArchiveError(f"{name} unpacks to over {MAX_RATIO} times its packed size: a zip bomb")
            budget.add(str(name), len(chunk), written)
            out.write(chunk)


class _CountingReader:
    """The packed file, counting the bytes read; the tar stream above it is bounded so a header cannot ask for a gigabyte."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw, self.read_bytes = raw, 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n if n is not None and n >= 0 else CHUNK)
        self.read_bytes += len(data)
        return data


class _BoundedStream:
    """The unpacked tar stream: at most MAX_TOTAL_BYTES plus headers, and at most MAX_RATIO times what was read packed."""

    def __init__(self, inner: BinaryIO, packed: _CountingReader | None) -> None:
        self.inner, self.packed, self.position = inner, packed, 0
        self.limit = MAX_TOTAL_BYTES + 3 * 512 * (MAX_MEMBERS + 2)

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0 or self.position + n > self.limit:
            n = self.limit - self.position + 1
        data = self.inner.read(n)
        self.position += len(data)
        if self.position > self.limit:
            raise ArchiveError(f"the archive unpacks to more than {MAX_TOTAL_BYTES // (1024 * 1024)} MiB")
        if self.packed is not None and self.position > RATIO_FREE_BYTES and self.position > MAX_RATIO * max(self.packed.read_bytes, 1):
            raise ArchiveError(f"the archive unpacks to over {MAX_RATIO} times its packed size: a gzip bomb")
        return data


def _tar_kind(member: tarfile.TarInfo) -> str | None:
    """Why a tar member is refused, or None for a file or a folder."""
    if member.isfile() or member.isdir():
        return None
    if member.issym():
        return f"a symbolic link (to {member.linkname})"
    if member.islnk():
        return f"a hard link (to {member.linkname})"
    if member.ischr() or member.isblk():
        return "a device file"
    if member.isfifo():
        return "a FIFO (named pipe)"
    return "not a regular file"


def unpack_tar(archive: Path, root: Path) -> None:
    import gzip
    import zlib

    budget = Budget()
    with open(archive, "rb") as raw:
        counting = _CountingReader(raw)
        gzipped = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        stream = _BoundedStream(gzip.GzipFile(fileobj=counting) if gzipped else counting, counting if gzipped else None)  # type: ignore[arg-type]
        try:
            with tarfile.open(fileobj=stream, mode="r|") as tar:  # type: ignore[call-overload]
                for member in tar:
                    budget.member(member.name)
                    name = safe_name(member.name)
                    why = _tar_kind(member)
                    if why:
                        raise ArchiveError(f"{member.name}: {why}; a pack holds only files and folders")
                    if name is None:
                        continue
                    if member.isdir():
                        root.joinpath(*name.parts).mkdir(parents=True, exist_ok=True)
                        continue
                    source = tar.extractfile(member)
                    if source is not None:
                        _write(root, name, source, budget)
        except ArchiveError:
            raise
        except (tarfile.TarError, EOFError, OSError, zlib.error, ValueError, UnicodeError) as err:
            raise ArchiveError(f"not a readable tar{'.gz' if gzipped else ''} archive ({err or type(err).__name__})") from None


def unpack_zip(archive: Path, root: Path) -> None:
    import zlib

    budget = Budget()
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in _zip_members(zf):
                budget.member(info.filename)
                name = safe_name(info.filename)
                mode = info.external_attr >> 16
                if info.flag_bits & 0x1:
                    raise ArchiveError(f"{info.filename}: encrypted; hand out the pack unencrypted")
                if mode and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                    kind = "a symbolic link" if stat.S_ISLNK(mode) else ("a device file" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
                    raise ArchiveError(f"{info.filename}: {kind}; a pack holds only files and folders")
                if name is None:
                    continue
                if info.is_dir():
                    root.joinpath(*name.parts).mkdir(parents=True, exist_ok=True)
                    continue
                with zf.open(info) as source:
                    _write(root, name, source, budget, packed=info.compress_size)
    except ArchiveError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, zlib.error, ValueError, NotImplementedError, UnicodeError) as err:
        raise ArchiveError(f"not a readable zip archive ({err or type(err).__name__})") from None


def _zip_members(zf: zipfile.ZipFile) -> Iterator[zipfile.ZipInfo]:
    members = zf.infolist()
    if len(members) > MAX_MEMBERS:
        raise ArchiveError(f"more than {MAX_MEMBERS} files ({len(members)}): a pack is a few dozen")
    return iter(members)


def copy_folder(folder: Path, root: Path) -> None:
    """A pack folder copied with the same rules as an archive: no links, no devices, bounded."""
    budget = Budget()
    for here, dirs, files in os.walk(folder):
        dirs.sort()
        for entry in sorted(dirs + files):
            path = Path(here) / entry
            relative = path.relative_to(folder).as_posix()
            budget.member(relative)
            name = safe_name(relative)
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                raise ArchiveError(f"{relative}: a symbolic link (to {os.readlink(path)}); a pack holds only files and folders")
            if stat.S_ISDIR(info.st_mode) or name is None:
                continue
            if not stat.S_ISREG(info.st_mode):
                raise ArchiveError(f"{relative}: not a regular file (a FIFO, socket or device)")
            with open(path, "rb") as source:
                _write(root, name, source, budget)


def unpack(source: Path, root: Path) -> None:
    """Whatever `source` is (a folder, .tar.gz/.tgz/.tar, .zip) unpacked into the empty folder `root`, or ArchiveError."""
    try:
        info = source.lstat()
    except OSError as err:
        raise ArchiveError(f"{source}: {err.strerror or err}") from None
    if stat.S_ISDIR(info.st_mode):
        return copy_folder(source, root)
    if not stat.S_ISREG(info.st_mode):
        raise ArchiveError(f"{source} is neither a folder nor an archive file")
    if info.st_size > MAX_ARCHIVE_BYTES:
        raise ArchiveError(f"{source} is larger than {MAX_ARCHIVE_BYTES // (1024 * 1024)} MiB: too large for a pack")
    name = source.name.lower()
    if name.endswith(".zip"):
        return unpack_zip(source, root)
    if name.endswith((".tar.gz", ".tgz", ".tar")):
        return unpack_tar(source, root)
    raise ArchiveError(f"{source.name}: give a folder, a .tar.gz (.tgz, .tar) or a .zip")
