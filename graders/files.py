"""Reading a file someone gave kubedojo: regular files only, bounded, never blocking, one error type."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
_CHUNK = 64 * 1024


class FileReadError(Exception):
    """A file kubedojo cannot use, with a sentence saying why (`str(err)` names the file)."""

    def __init__(self, path: str | os.PathLike[str], reason: str, line: int | None = None) -> None:
        self.path = str(path)
        self.reason = reason
        self.line = line
        """1-based line of the problem, when the problem is in the text (bad UTF-8)."""
        super().__init__(f"{self.path}: {reason}")


def _size_text(limit: int) -> str:
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MiB"
    if limit >= 1024 and limit % 1024 == 0:
        return f"{limit // 1024} KiB"
    return f"{limit:,} bytes"


def too_large(path: str | os.PathLike[str], limit: int) -> FileReadError:
    return FileReadError(path, f"the file is larger than {_size_text(limit)} ({limit:,} bytes), the limit")


def read_bytes_file(path: str | os.PathLike[str], limit: int, *, inside: str | os.PathLike[str] | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; FIFOs, devices and folders are refused, unopened.

    With `inside`, the file (its links followed) must be within that folder.
    Raises FileReadError, never OSError, and never blocks: a FIFO is opened non-blocking, then refused.
    """
    if inside is not None:
        real, root = Path(os.path.realpath(path)), Path(os.path.realpath(inside))
        if not real.is_relative_to(root):
            raise FileReadError(path, f"it is a link to {real}, outside {root}; the files of a pack stay inside it")
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as err:
        raise FileReadError(path, f"cannot open it: {err.strerror or err}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileReadError(path, "it is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise FileReadError(path, f"it is {_kind(info.st_mode)}, not a regular file; give a file saved on disk")
        if info.st_size > limit:
            raise too_large(path, limit)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:  # read to the end, or one byte past the limit: a file may grow, /proc files lie about size
            chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        if err.errno in (errno.EAGAIN, errno.EWOULDBLOCK):
            raise FileReadError(path, "reading it would wait for more data; give a file saved on disk") from None
        raise FileReadError(path, f"cannot read it: {err.strerror or err}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise too_large(path, limit)
    return b"".join(chunks)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def decode_text(data: bytes, path: str | os.PathLike[str]) -> str:
    """UTF-8 text (a leading byte-order mark dropped), or FileReadError naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise FileReadError(path, f"it is not UTF-8 text (line {line}, byte {column} of the line)", line) from None


def read_text_file(path: str | os.PathLike[str], limit: int, *, inside: str | os.PathLike[str] | None = None) -> str:
    """The UTF-8 text of a regular file of at most `limit` bytes. Raises FileReadError with a reason, only that."""
    return decode_text(read_bytes_file(path, limit, inside=inside), path)


def read_text_stream(stream: object, limit: int, name: str = "stdin") -> str:
    """At most `limit` bytes of a binary stream (stdin) as UTF-8 text; FileReadError when longer or not text."""
    try:
        data = stream.read(limit + 1)  # type: ignore[attr-defined]
    except OSError as err:
        raise FileReadError(name, f"cannot read it: {err.strerror or err}") from None
    if len(data) > limit:
        raise FileReadError(name, f"the input is larger than {_size_text(limit)} ({limit:,} bytes), the limit")
    return decode_text(data, name)
