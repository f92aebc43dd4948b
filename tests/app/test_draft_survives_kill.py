"""A draft survives the app being killed: type in a real terminal (a pty), SIGKILL, reopen, find it."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

from app.progress import ProgressStore
from tests.app.conftest import PACK, SIZE, loaded, make_app, settle

ROOT = Path(__file__).resolve().parents[2]
TYPED = "kubectl logs api -n shop"


def _read_until(fd: int, marker: bytes, timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen += chunk
            if marker in seen:
                return seen
    return seen


def _drain(fd: int, seconds: float) -> None:
    _read_until(fd, b"\x00never\x00", seconds)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
@pytest.mark.parametrize(
    ("how", "wait"),
    [
        (signal.SIGKILL, 1.5),  # a crash: what was typed before the last quiet half second is on disk
        (signal.SIGHUP, 0.1),  # the terminal closed mid-typing: the app writes the draft before it goes
    ],
    ids=["sigkill", "sighup"],
)
async def test_a_draft_survives_the_app_being_killed(isolated, how, wait):
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "app.tui.main", "--pack", str(PACK), "--no-bundled", "--no-user", "--lang", "en", "--open", "cmd-logs"]
    pid, fd = pty.fork()
    if pid == 0:  # the child: the app in a terminal of its own
        os.chdir(ROOT)
        os.execvpe(sys.executable, argv, env)
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        assert b"kubectl" in _read_until(fd, b"kubectl", 30), "the exercise screen never showed"
        _drain(fd, 1.0)
        for char in TYPED:
            os.write(fd, char.encode())
            _drain(fd, 0.02)
        _drain(fd, wait)  # no key that saves explicitly is pressed
        os.kill(pid, how)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and os.waitpid(pid, os.WNOHANG) == (0, 0):
            _drain(fd, 0.1)
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)

    store = ProgressStore(isolated / "data" / "progress.sqlite3")
    assert store.draft("cmd-logs") == TYPED
    store.close()

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        app.open_exercise("cmd-logs")
        await settle(app, pilot)
        assert app.screen.answer.value == TYPED
