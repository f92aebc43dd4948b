"""A terminal in a pane: a program on a pty, its screen kept by pyte, keys sent to it, drawn cell by cell."""

from __future__ import annotations

import asyncio
import fcntl
import os
import signal
import struct
import subprocess
import termios
from collections.abc import Sequence
from functools import lru_cache

import pyte
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from app.tui.terminal_keys import is_app_key, key_bytes

READ_BYTES = 65536


def _controlling_tty() -> None:
    """In the child, after setsid: the pty becomes its terminal (job control, ctrl+c to the foreground job)."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


@lru_cache(maxsize=1024)
def _color(name: str) -> str | None:
    """pyte's colour (a name, `brown`, `brightred`, or six hex digits) as Rich's; None for the default."""
    if name == "default":
        return None
    if len(name) == 6 and all(c in "0123456789abcdefABCDEF" for c in name):
        return f"#{name}"
    name = "yellow" if name == "brown" else name
    return f"bright_{name[6:]}" if name.startswith("bright") else name


@lru_cache(maxsize=4096)
def _style(fg: str, bg: str, bold: bool, italics: bool, underscore: bool, reverse: bool) -> Style:
    return Style(color=_color(fg), bgcolor=_color(bg), bold=bold, italic=italics, underline=underscore, reverse=reverse)


class Terminal(Widget, can_focus=True):
    """Runs `argv` on a pty sized to the widget; posts Ended when the program exits. The function keys and
    `kept` keys stay with the app (so its bindings work while typing in the shell)."""

    DEFAULT_CSS = """
    Terminal { height: 3fr; min-height: 5; border: round $panel-lighten-2; background: $background; }
    Terminal:focus { border: round $accent; }
    """

    class Ended(Message):
        """The program in the terminal exited (its status, or None when it could not start)."""

        def __init__(self, terminal: "Terminal", code: int | None, error: str = "") -> None:
            super().__init__()
            self.terminal = terminal
            self.code = code
            self.error = error

    def __init__(self, argv: Sequence[str], env: dict[str, str], *, kept: frozenset[str] = frozenset(), cwd: str | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.argv = list(argv)
        self.env = env
        self.kept = kept
        self.cwd = cwd
        self.screen_buffer = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen_buffer)
        self.process: subprocess.Popen[bytes] | None = None
        self.fd: int | None = None

    # --- the program -------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.call_after_refresh(self.start)

    def start(self) -> None:
        columns, lines = max(self.content_size.width, 2), max(self.content_size.height, 2)
        self.screen_buffer.resize(lines, columns)
        master, slave = os.openpty()
        self._set_size(master, lines, columns)
        try:
            self.process = subprocess.Popen(self.argv, stdin=slave, stdout=slave, stderr=slave, env=self.env, cwd=self.cwd,
                                            start_new_session=True, close_fds=True, preexec_fn=_controlling_tty)
        except OSError as err:
            os.close(master)
            os.close(slave)
            self.post_message(self.Ended(self, None, f"{self.argv[0]}: {err.strerror or err}"))
            return
        os.close(slave)
        self.fd = master
        self.screen_buffer.write_process_input = self._answer  # replies to the program's queries (cursor position)
        asyncio.get_running_loop().add_reader(master, self._readable)

    def _answer(self, data: str) -> None:
        self.send(data.encode())

    def _readable(self) -> None:
        try:
            data = os.read(self.fd, READ_BYTES) if self.fd is not None else b""
        except OSError:  # EIO: the program closed the pty (it exited)
            data = b""
        if not data:
            self._finish()
            return
        self.stream.feed(data)
        self.refresh()

    def _finish(self) -> None:
        if self.fd is None:
            return
        asyncio.get_running_loop().remove_reader(self.fd)
        os.close(self.fd)
        self.fd = None
        code = self.process.wait() if self.process is not None else None
        self.post_message(self.Ended(self, code))

    def send(self, data: bytes) -> None:
        if self.fd is not None:
            try:
                os.write(self.fd, data)
            except OSError:
                pass  # the program is gone; _readable says so

    def stop(self) -> None:
        """End the program (its whole process group) and close the pty."""
        process = self.process
        if self.fd is not None:
            asyncio.get_running_loop().remove_reader(self.fd)
            os.close(self.fd)
            self.fd = None
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGHUP)
                process.wait(timeout=2)
            except (ProcessLookupError, PermissionError):
                pass
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def on_unmount(self) -> None:
        self.stop()

    @staticmethod
    def _set_size(fd: int, lines: int, columns: int) -> None:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))

    def on_resize(self, event: events.Resize) -> None:
        columns, lines = max(self.content_size.width, 2), max(self.content_size.height, 2)
        if (lines, columns) != (self.screen_buffer.lines, self.screen_buffer.columns):
            self.screen_buffer.resize(lines, columns)
            if self.fd is not None:
                self._set_size(self.fd, lines, columns)
                if self.process is not None:
                    try:
                        os.killpg(self.process.pid, signal.SIGWINCH)
                    except (ProcessLookupError, PermissionError):
                        pass
            self.refresh()

    # --- keys and drawing --------------------------------------------------------------------

    async def on_key(self, event: events.Key) -> None:
        if is_app_key(event.key, self.kept):
            return  # up to the screen's bindings
        data = key_bytes(event.key, event.character)
        if data is not None:
            event.stop()
            event.prevent_default()
            self.send(data)

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        self.send(event.text.replace("\r\n", "\n").replace("\n", "\r").encode())

    def display_lines(self) -> list[str]:
        """The screen as text, one string per line (what a reader sees; for tests and copying)."""
        return [line.rstrip() for line in self.screen_buffer.display]

    def render_line(self, y: int) -> Strip:
        screen = self.screen_buffer
        if y >= screen.lines:
            return Strip.blank(self.content_size.width)
        row = screen.buffer[y]
        cursor = screen.cursor
        show_cursor = self.has_focus and not cursor.hidden and cursor.y == y
        segments = []
        for x in range(screen.columns):
            char = row[x]
            if char.data == "":
                continue  # the second cell of a wide character, drawn with the first
            reverse = char.reverse != (show_cursor and cursor.x == x)
            segments.append(Segment(char.data, _style(char.fg, char.bg, char.bold, char.italics, char.underscore, reverse)))
        return Strip(segments).simplify()
