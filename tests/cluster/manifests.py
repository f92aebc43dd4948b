"""What the control plane writes: kubeconfigs with token users, and kind-looking nodes (for kwok or a kubelet)."""

from __future__ import annotations

import base64
from pathlib import Path

import yaml

from tests.cluster.build import KUBERNETES_VERSION

CONTROL_PLANE_NODE = "kubedojo-control-plane"
WORKER_NODES = ("kubedojo-worker", "kubedojo-worker2")


def kubeconfig(server: str, ca_cert: Path, contexts: dict[str, tuple[str, str, str]], current: str) -> str:
    """A kubeconfig whose contexts map name -> (cluster name, user name, bearer token); one server for all."""
    ca_data = base64.b64encode(ca_cert.read_bytes()).decode()
    clusters = sorted({cluster for cluster, _, _ in contexts.values()})
    users = {user: token for _, user, token in contexts.values()}
    return yaml.safe_dump({
        "apiVersion": "v1",
        "kind": "Config",
        "preferences": {},
        "current-context": current,
        "clusters": [{"name": c, "cluster": {"server": server, "certificate-authority-data": ca_data}} for c in clusters],
        "users": [{"name": user, "user": {"token": token}} for user, token in users.items()],
        "contexts": [{"name": name, "context": {"cluster": cluster, "user": user}}
                     for name, (cluster, user, _) in contexts.items()],
    }, sort_keys=False)


def _labels_and_taints(name: str, control_plane: bool) -> tuple[dict, list]:
    labels = {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
              "beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": "amd64"}
    taints = []
    if control_plane:
        labels["node-role.kubernetes.io/control-plane"] = ""
        taints.append({"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"})
    return labels, taints


def real_node(name: str, control_plane: bool, pod_cidr: str) -> dict:
    """The Node a kubelet registers as, made first so that it has kind's role label and taint (a kubelet
    may not label itself node-role.kubernetes.io/*) and the pod CIDR its CNI bridge uses."""
    labels, taints = _labels_and_taints(name, control_plane)
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels},
            "spec": {"taints": taints, "podCIDR": pod_cidr, "podCIDRs": [pod_cidr]}}


def node(name: str, control_plane: bool) -> dict:
    """A node that looks like one of kind's, annotated so that kwok manages it."""
    labels, taints = _labels_and_taints(name, control_plane)
    labels["type"] = "kwok"
    resources = {"cpu": "4", "memory": "8Gi", "ephemeral-storage": "100Gi", "pods": "110"}
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": labels, "annotations": {"kwok.x-k8s.io/node": "fake"}},
        "spec": {"taints": taints},
        "status": {
            # Loopback only: the API server dials a node (logs, exec) at its InternalIP, where kwok listens.
            "addresses": [{"type": "InternalIP", "address": "127.0.0.1"}, {"type": "Hostname", "address": name}],
            "allocatable": resources,
            "capacity": resources,
            "nodeInfo": {"kubeletVersion": KUBERNETES_VERSION, "containerRuntimeVersion": "containerd://2.1.0",
                         "osImage": "Debian GNU/Linux 12 (bookworm)", "operatingSystem": "linux",
                         "architecture": "amd64"},
        },
    }
