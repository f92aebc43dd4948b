"""Exec through the real API server: the status channel read end to end (kwok's answer everywhere, a kubelet's where there is one)."""

from __future__ import annotations

import pytest

from graders.cluster import connect
from graders.live_exec import ExecFailed, exec_in

pytestmark = pytest.mark.cluster
NAMESPACE = "live-exec-channel"


@pytest.fixture(scope="module")
def kube(control_plane):
    kube = connect(control_plane.context, str(control_plane.kubeconfig))
    kube.wait_for("Namespace", None, lambda items: not items, 60, fields=f"metadata.name={NAMESPACE}")
    kube.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}})
    kube.wait_for("ServiceAccount", NAMESPACE, bool, 15, fields="metadata.name=default")
    yield kube
    kube.delete("Namespace", name=NAMESPACE)


def running_pod(kube, name: str, node_selector: dict | None = None) -> dict:
    kube.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": NAMESPACE},
                "spec": {"containers": [{"name": "box", "image": "busybox:1.36", "command": ["sleep", "3600"]}], **({"nodeSelector": node_selector} if node_selector else {})}})
    items = kube.wait_for("Pod", NAMESPACE, lambda pods: bool(pods) and pods[0].get("status", {}).get("phase") == "Running", 90, fields=f"metadata.name={name}")
    assert items and items[0]["status"]["phase"] == "Running", items
    return items[0]


def real_node(kube) -> str | None:
    for node in kube.list("Node").get("items") or []:
        meta = node["metadata"]
        ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in (node.get("status") or {}).get("conditions") or [])
        if ready and (meta.get("annotations") or {}).get("kwok.x-k8s.io/node") != "fake" and not (node.get("spec") or {}).get("taints"):
            return meta["name"]
    return None


def kwok_node(kube) -> str | None:
    return next((n["metadata"]["name"] for n in kube.list("Node")["items"] if (n["metadata"].get("annotations") or {}).get("kwok.x-k8s.io/node") == "fake"
                 and not (n.get("spec") or {}).get("taints")), None)


def test_an_exec_that_cannot_start_says_why_in_the_servers_words(kube):
    """kwok's nodes run no exec at all; a kubelet has no running container in a completed pod. Both: not a verdict, the reason."""
    node = kwok_node(kube)
    if node is not None:
        running_pod(kube, "on-kwok", {"kubernetes.io/hostname": node})
        status, output = exec_in(kube, NAMESPACE, "on-kwok", "box", ["hostname"], 15)
        assert status.outcome == "not-started" and "no exec found" in status.reason and output == ""
        return
    kube.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "completed", "namespace": NAMESPACE},
                "spec": {"restartPolicy": "Never", "containers": [{"name": "box", "image": "busybox:1.36", "command": ["true"]}]}})
    items = kube.wait_for("Pod", NAMESPACE, lambda pods: bool(pods) and pods[0].get("status", {}).get("phase") == "Succeeded", 90, fields="metadata.name=completed")
    assert items and items[0]["status"]["phase"] == "Succeeded", items
    with pytest.raises(ExecFailed) as refused:
        exec_in(kube, NAMESPACE, "completed", "box", ["hostname"], 15)
    assert "container not found" in str(refused.value) and "Handshake" not in str(refused.value) and "-+-+-" not in str(refused.value)


def test_a_kubelet_reports_exit_codes_and_commands_it_cannot_start(kube):
    node = real_node(kube)
    if node is None:
        pytest.skip("needs a node with a real kubelet (the kwok answer is checked above; recorded kubelet payloads in tests/graders)")
    running_pod(kube, "on-kubelet", {"kubernetes.io/hostname": node})
    assert exec_in(kube, NAMESPACE, "on-kubelet", "box", ["sh", "-c", "echo hi; exit 3"], 15)[0].exit_code == 3
    status, output = exec_in(kube, NAMESPACE, "on-kubelet", "box", ["printenv", "HOSTNAME"], 15)
    assert (status.outcome, status.exit_code, output.strip()) == ("exited", 0, "on-kubelet")
    missing, _ = exec_in(kube, NAMESPACE, "on-kubelet", "box", ["no-such-command"], 15)
    assert missing.outcome == "not-started" and "no-such-command" in missing.reason and "not found" in missing.reason
