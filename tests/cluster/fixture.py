"""The session-scoped `control_plane` pytest fixture; other test dirs can import it into their conftest."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import phases
from tests.cluster import nodes, realnodes
from tests.cluster.controlplane import ControlPlane


class ControlPlaneHandle:
    """What a test gets: where the cluster is, and a way to take the API server away for a while."""

    def __init__(self, plane: ControlPlane):
        self._plane = plane
        self.kubeconfig = plane.kubeconfig
        """Path of the kubeconfig; its contexts are kind-kubedojo-test, kind-kubedojo-test-limited, prod-admin."""
        self.context = plane.context
        """The practice context, "kind-kubedojo-test" (admin)."""
        self.limited_context = "kind-kubedojo-test-limited"
        """A user with no RBAC bindings: every namespaced read is 403."""
        self.server = plane.server
        """The API server's URL, https://127.0.0.1:<port>."""
        self.real_nodes = plane.real_nodes
        """True when the nodes are real kubelets (pods run); False when kwok plays them."""
        self.why_not_real = plane.why_not_real
        """Why the nodes are kwok's (the machine cannot run kubelets, or another cluster's do), if they are."""

    def require_real_nodes(self) -> None:
        """Skip the calling test, saying why, when the nodes are kwok's."""
        if not self.real_nodes:
            pytest.skip(f"needs real nodes (a kubelet runs pods); this cluster has kwok's because {self.why_not_real}")

    def _node(self, name: str) -> nodes.Node:
        self.require_real_nodes()
        node = next((n for n in realnodes.node_list(self._plane.state_dir) if n.name == name), None)
        if node is None:
            raise KeyError(f"no real node {name}")
        return node

    def node_shell(self, node: str, command: str, input: str | None = None) -> subprocess.CompletedProcess:
        """`sh -c command` on the node, with its /etc/kubernetes and /var/lib/kubelet (as `docker exec` into kind)."""
        holder = self._plane._processes()[f"{node}/holder"]
        return nodes.node_shell(self._node(node), holder.pid, command, input=input)

    def node_path(self, node: str, path: str) -> Path:
        """Where the node's /etc/kubernetes/... (or /var/lib/kubelet/..., /var/log/...) is on this machine."""
        return self._node(node).host_path(path)

    def stop_apiserver(self) -> None:
        """SIGTERM the kube-apiserver (SIGKILL after 5 s) and wait until it is gone."""
        self._plane.stop_component("kube-apiserver")

    def wait_ready(self, timeout: float = 120, steady: float = 0) -> None:
        """Until the API server answers /readyz, and has for `steady` seconds in a row: a static pod restarted
        after its manifest was repaired may answer, then lose its port to the broken one still stopping."""
        since: list[float] = []

        def steadily_ready() -> bool:
            if not self._plane.ready():
                since.clear()
                return False
            since[:] = since or [time.monotonic()]
            return time.monotonic() - since[0] >= steady

        self._plane._wait(f"kube-apiserver /readyz ({steady:g} s in a row)", steadily_ready, timeout, [])

    def wait_unready(self, timeout: float = 60) -> None:
        """Until the API server stops answering (its static pod restarted with a broken flag, say)."""
        self._plane._wait("kube-apiserver to stop answering", lambda: not self._plane.ready(), timeout, [])

    def start_apiserver(self) -> None:
        """Start it again on the same port and wait for /readyz."""
        self._plane.start_component("kube-apiserver")

    @contextlib.contextmanager
    def apiserver_stopped(self) -> Iterator[None]:
        """The API server is down inside the block and up again after it, even if the block fails."""
        self.stop_apiserver()
        try:
            yield
        finally:
            self.start_apiserver()


@pytest.fixture(scope="session")
def control_plane() -> Iterator[ControlPlaneHandle]:
    """Build (cached) and start the control plane once per session; reuse one that is already up.

    At the end it is stopped, unless it was up before the session, KUBEDOJO_KEEP_CLUSTER=1, or
    another pytest session (a colleague's, in the same tree) still uses it.
    """
    plane = ControlPlane(log=lambda message: print(message, file=sys.stderr))
    with phases.timed("control-plane start"):
        ticket = plane.join_session()
    try:
        yield ControlPlaneHandle(plane)
    finally:
        plane.leave_session(ticket, keep=os.environ.get("KUBEDOJO_KEEP_CLUSTER") == "1")
