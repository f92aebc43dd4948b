"""kwok's nodes, for a machine that cannot run real ones: kwok writes the statuses a kubelet would (stages/)."""

from __future__ import annotations

from pathlib import Path

from tests.cluster import build, manifests, pki
from tests.cluster.manifests import CONTROL_PLANE_NODE, WORKER_NODES
from tests.cluster.nodes import NodeError

STAGES_DIR = Path(__file__).resolve().parent / "stages"


def start(plane, state: Path, server: str, certs: pki.PKI, tokens: dict[str, str], port: int, launch) -> None:
    """kwok and the three nodes it plays, after the API server is up."""
    (state / "kwok.kubeconfig").write_text(
        manifests.kubeconfig(server, certs.ca_cert, {"kwok": ("local", "kwok", tokens["kwok"])}, current="kwok"))
    kwok_home = state / "kwok-home"  # so a developer's ~/.kwok/kwok.yaml is not loaded too
    kwok_home.mkdir()
    launch("kwok", [str(build.binary_path("kwok")),
        f"--kubeconfig={state / 'kwok.kubeconfig'}", "--manage-all-nodes=false",
        "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
        f"--config={STAGES_DIR / 'node.yaml'}", f"--config={STAGES_DIR / 'pod.yaml'}",
        "--node-ip=127.0.0.1", f"--node-port={port}", f"--server-address=127.0.0.1:{port}",
        "--node-lease-duration-seconds=40", "--cidr=10.244.0.0/16",
    ], env={"HOME": str(kwok_home)})
    for name in (CONTROL_PLANE_NODE, *WORKER_NODES):
        status, body = plane._request("POST", "/api/v1/nodes", manifests.node(name, name == CONTROL_PLANE_NODE))
        if status not in (201, 409):
            raise NodeError(f"creating node {name} failed ({status}): {body}")
