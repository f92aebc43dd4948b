"""Faults carried out on kind nodes: each node is a docker container, reached with `docker exec` (fixed argv, never a shell)."""

from __future__ import annotations

import posixpath
import subprocess
from typing import Callable, Literal

from graders.faults import FaultError

TIMEOUT = 60.0


class KindNodes:
    """The `Nodes` of graders.faults for a kind cluster; `container` maps a node name to its container (None: not a kind node)."""

    def __init__(self, container: Callable[[str], str | None], timeout: float = TIMEOUT) -> None:
        self._container = container
        self._timeout = timeout

    def _exec(self, node: str, argv: list[str], input: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
        container = self._container(node)
        if container is None:
            raise FaultError(f"{node} is not a kind node on this machine: this exercise breaks a node, which kubedojo does on kind clusters only")
        command = ["docker", "exec", *(["-i"] if input is not None else []), container, *argv]
        try:
            done = subprocess.run(command, input=input, capture_output=True, text=True, timeout=self._timeout)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise FaultError(f"{node}: `{' '.join(argv)}` did not finish: {err}") from None
        if check and done.returncode != 0:
            raise FaultError(f"{node}: `{' '.join(argv)}` failed: {(done.stderr or done.stdout).strip()[-300:]}")
        return done

    def kubelet(self, node: str, action: Literal["stop", "restart"]) -> None:
        self._exec(node, ["systemctl", action, "kubelet"])

    def read(self, node: str, path: str) -> str | None:
        if self._exec(node, ["test", "-f", path], check=False).returncode != 0:
            return None
        return self._exec(node, ["cat", path]).stdout

    def write(self, node: str, path: str, text: str) -> None:
        self._exec(node, ["mkdir", "-p", posixpath.dirname(path)])
        self._exec(node, ["cp", "/dev/stdin", path], input=text)

    def move(self, node: str, path: str, to: str) -> None:
        self._exec(node, ["mkdir", "-p", posixpath.dirname(to)])
        self._exec(node, ["mv", path, to])

    def remove(self, node: str, path: str) -> None:
        self._exec(node, ["rm", "-f", path])
