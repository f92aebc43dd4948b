"""Start and stop the control plane's processes by PID, with their argv and log recorded on disk."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

# Popen objects of processes this Python process started, so stopping them also reaps them.
_children: dict[int, subprocess.Popen] = {}


@dataclass(frozen=True)
class Process:
    """One running (or once running) component, as recorded in the state dir."""

    name: str
    """Component name: etcd, kube-apiserver, ..."""
    pid: int
    """Process id when it was started."""
    argv: list[str]
    """Full command line, so the same process can be started again."""
    log: str
    """File its stdout and stderr go to."""
    start_ticks: int
    """Start time from /proc/<pid>/stat: with the PID it names the process, so a reused PID is not it."""
    env: dict[str, str] | None = None
    """Environment overrides on top of ours, if any."""

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Process:
        return cls(**data)


def start(name: str, argv: list[str], log: Path, cwd: Path, env: dict[str, str] | None = None) -> Process:
    """Start argv in its own session (so it outlives us and a ^C to us), output appended to log."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        child = subprocess.Popen(
            argv,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=os.environ | env if env else None,
        )
    _children[child.pid] = child
    stat = _stat(child.pid)
    if stat is None:
        raise OSError(f"{name} exited at once; see {log}")
    return Process(name=name, pid=child.pid, argv=argv, log=str(log), start_ticks=stat[1], env=env)


def _stat(pid: int) -> tuple[str, int] | None:
    """(state letter, start time in clock ticks) of a PID, or None when there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()  # the name in parentheses may contain spaces
    return fields[0], int(fields[19])


def _reap(pid: int) -> None:
    child = _children.get(pid)
    if child is not None:
        if child.poll() is not None:
            del _children[pid]
        return
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass  # not our child: nothing to reap


def is_running(process: Process) -> bool:
    """True when the PID is alive and is still the process we started (a reused PID does not count)."""
    _reap(process.pid)
    stat = _stat(process.pid)
    # /proc/<pid>/cmdline can read empty just after exec, so identity rests on the start time.
    return stat is not None and stat[0] != "Z" and stat[1] == process.start_ticks


def stop(processes: list[Process], grace_seconds: float = 5.0) -> None:
    """SIGTERM every process that is still ours, then SIGKILL whatever is left after the grace period."""
    alive = [p for p in processes if is_running(p)]
    for process in alive:
        _signal(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [p for p in alive if is_running(p)]
    for process in alive:
        _signal(process.pid, signal.SIGKILL)
    deadline = time.monotonic() + grace_seconds
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [p for p in alive if is_running(p)]


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _stat(pid) is not None and _stat(pid)[0] != "Z"


def log_tail(process: Process, lines: int = 30) -> str:
    try:
        text = Path(process.log).read_text(errors="replace")
    except OSError as error:
        return f"(no log: {error})"
    return "\n".join(text.splitlines()[-lines:])
