"""The test harness's side of graders/faults.py: the same vocabulary carried out on its real nodes (process table and node shell)."""

from __future__ import annotations

import shlex
from typing import Literal

from graders.faults import MANIFESTS, FaultError, FileMoved, ManifestFlagRemoved, ManifestFlagSet


class HarnessNodes:
    """The `Nodes` of graders.faults for the harness: a kubelet is a recorded process, a node's files are reached with node_shell."""

    def __init__(self, control_plane) -> None:
        self._handle = control_plane
        self._plane = control_plane._plane

    def _sh(self, node: str, command: str, input: str | None = None, check: bool = True):
        done = self._handle.node_shell(node, command, input=input)
        if check and done.returncode != 0:
            raise FaultError(f"{node}: `{command}` failed: {done.stderr.strip()[-300:]}")
        return done

    def kubelet(self, node: str, action: Literal["stop", "restart"]) -> None:
        name = f"{node}/kubelet"
        if name not in self._plane._processes():
            raise FaultError(f"{node} has no kubelet of the harness")
        self._plane.stop_component(name)
        if action == "restart":
            self._plane.start_component(name)

    def read(self, node: str, path: str) -> str | None:
        done = self._sh(node, f"test -f {shlex.quote(path)} && cat {shlex.quote(path)}", check=False)
        return done.stdout if done.returncode == 0 else None

    def write(self, node: str, path: str, text: str) -> None:
        directory = path.rsplit("/", 1)[0]
        self._sh(node, f"mkdir -p {shlex.quote(directory)} && cat > {shlex.quote(path)}", input=text)

    def move(self, node: str, path: str, to: str) -> None:
        directory = to.rsplit("/", 1)[0]
        self._sh(node, f"mkdir -p {shlex.quote(directory)} && mv {shlex.quote(path)} {shlex.quote(to)}")

    def remove(self, node: str, path: str) -> None:
        self._sh(node, f"rm -f {shlex.quote(path)}")


def not_here(faults, nodes: HarnessNodes) -> str | None:
    """Why the harness cannot carry these faults out, or None: its control plane runs as processes, not static pods."""
    for fault in faults:
        if isinstance(fault, (ManifestFlagSet, ManifestFlagRemoved)):
            missing = f"{MANIFESTS}/{fault.manifest}"
        elif isinstance(fault, FileMoved) and nodes.read(fault.node, fault.to) is None:
            missing = fault.path
        else:
            continue
        if nodes.read(fault.node, missing) is None:
            return (f"{fault.node} has no {missing}: the harness runs the control plane as processes, not kubeadm's static "
                    "pods; this fault is carried out on kind (graders/kind_nodes.py)")
    return None
