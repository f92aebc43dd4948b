"""The cgroup a real node lives in (/kubedojo/<node>): made, joined, emptied by PID and removed."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

ROOT = "kubedojo"


def hierarchies() -> list[Path]:
    """Mount points to make a node's cgroup in: every v1 hierarchy, or the one v2 tree on a v2-only host."""
    v1, v2 = [], []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split()
        fstype = fields[fields.index("-") + 1]
        if fstype == "cgroup":
            v1.append(Path(fields[4]))
        elif fstype == "cgroup2":
            v2.append(Path(fields[4]))
    return sorted(v1) if v1 else v2[:1]


def _controllers() -> set[str]:
    found = set()
    for hierarchy in hierarchies():
        if (hierarchy / "cgroup.controllers").exists():
            found |= set((hierarchy / "cgroup.controllers").read_text().split())
        else:
            found |= set(hierarchy.name.split(","))
    return found


def missing_controllers() -> list[str]:
    return sorted({"cpu", "cpuset", "memory", "pids"} - _controllers())


def create(relative: str) -> None:
    """mkdir -p the cgroup in every hierarchy, giving v1 cpusets their parent's CPUs and memory nodes."""
    for hierarchy in hierarchies():
        path = hierarchy
        for part in Path(relative).parts:
            parent, path = path, path / part
            if (parent / "cgroup.subtree_control").exists():  # v2: children get the controllers we need
                available = set((parent / "cgroup.controllers").read_text().split())
                wanted = available & {"cpu", "cpuset", "memory", "pids", "io", "hugetlb"}
                _write(parent / "cgroup.subtree_control", " ".join(f"+{c}" for c in sorted(wanted)))
            path.mkdir(exist_ok=True)
            for knob in ("cpuset.cpus", "cpuset.mems"):
                if (path / knob).exists() and not (path / knob).read_text().strip():
                    _write(path / knob, (parent / knob).read_text().strip())


def join_command(relative: str) -> str:
    """Shell that moves the shell itself ($$) into the cgroup in every hierarchy, before it execs."""
    files = " ".join(str(h / relative / "cgroup.procs") for h in hierarchies())
    return f"for f in {files}; do echo $$ > $f; done"


def pids(relative: str) -> set[int]:
    found = set()
    for hierarchy in hierarchies():
        top = hierarchy / relative
        if top.is_dir():
            for procs in top.rglob("cgroup.procs"):
                try:
                    found |= {int(p) for p in procs.read_text().split()}
                except OSError:
                    pass  # removed meanwhile
    return found


def empty_and_remove(relative: str, timeout: float = 10) -> set[int]:
    """SIGKILL every process left in the cgroup (they are ours: started in it), then rmdir it; returns stragglers."""
    deadline = time.monotonic() + timeout
    while (left := pids(relative)) and time.monotonic() < deadline:
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.1)
    for hierarchy in hierarchies():
        top = hierarchy / relative
        if top.is_dir():
            for directory in sorted((p for p in top.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
                _rmdir(directory)
            _rmdir(top)
            if top.parent.name == ROOT and not any(p.is_dir() for p in top.parent.iterdir()):
                _rmdir(top.parent)
    return pids(relative)


def _rmdir(path: Path) -> None:
    try:
        path.rmdir()
    except OSError:
        pass  # busy (a process is still dying) or already gone; the next `down` tries again


def _write(path: Path, value: str) -> None:
    try:
        path.write_text(value)
    except OSError:
        pass  # a controller the kernel will not delegate here: the kubelet says so if it needs it
