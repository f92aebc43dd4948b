"""The API server, the scheduler and the controller-manager as kubeadm's (and kind's) static pods on the control-plane node.

With real nodes, the control plane starts them as processes (the nodes need them to get going), then hands
them over: their kubeconfigs and keys go where kubeadm puts them on the node (/etc/kubernetes/*.conf,
/etc/kubernetes/pki/), their manifests into the node's staticPodPath, the processes stop, and the kubelet of
kubedojo-control-plane runs them from then on (same flags, same loopback ports), with mirror pods such as
`kube-scheduler-kubedojo-control-plane` in kube-system. So the faults of the troubleshooting exercises (a
bad flag in a manifest, a manifest moved away) break and repair them as on kind. etcd stays a process.

A test that stops the API server (ControlPlane.stop_component) moves its manifest out of the staticPodPath
and back, as an administrator of a kubeadm cluster would.
"""

from __future__ import annotations

import json
import shutil
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from tests.cluster import pki, processes, realnodes
from tests.cluster.build import KUBERNETES_VERSION
from tests.cluster.manifests import CONTROL_PLANE_NODE

COMPONENTS = ("kube-apiserver", "kube-controller-manager", "kube-scheduler")
CONF = {"kube-controller-manager": "controller-manager.conf", "kube-scheduler": "scheduler.conf"}
RECORD = "static-pods.json"
MANIFESTS = "/etc/kubernetes/manifests"


def handed_over(state_dir: Path) -> list[str]:
    """The components that run as static pods (so they have no process of the control plane's)."""
    try:
        return list(json.loads((state_dir / RECORD).read_text()))
    except (OSError, ValueError):
        return []


def _node_paths(state_dir: Path, certs: pki.PKI) -> dict[str, str]:
    """The control plane's files (host paths) -> where kubeadm keeps each on a node: keys and certificates
    (and the API server's token file) in /etc/kubernetes/pki, the components' kubeconfigs as *.conf."""
    paths = {str(path): f"/etc/kubernetes/pki/{path.name}" for path in certs.directory.iterdir() if path.is_file()}
    paths[str(state_dir / "tokens.csv")] = "/etc/kubernetes/pki/tokens.csv"
    for name, conf in CONF.items():
        paths[str(state_dir / f"{name}.kubeconfig")] = f"/etc/kubernetes/{conf}"
    return paths


def manifest(name: str, flags: list[str]) -> dict:
    """A static pod as kubeadm writes it: host network, /etc/kubernetes of the node mounted read-only."""
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": "kube-system", "labels": {"component": name, "tier": "control-plane"}},
        "spec": {
            "hostNetwork": True,
            "priorityClassName": "system-node-critical",
            "containers": [{
                "name": name, "image": f"registry.k8s.io/{name}:{KUBERNETES_VERSION}", "imagePullPolicy": "IfNotPresent",
                "command": [name, *flags],
                "volumeMounts": [{"name": "k8s", "mountPath": "/etc/kubernetes", "readOnly": True}],
            }],
            "volumes": [{"name": "k8s", "hostPath": {"path": "/etc/kubernetes", "type": "DirectoryOrCreate"}}],
        },
    }


def _flags(argv: list[str], paths: dict[str, str], state_dir: Path) -> list[str]:
    flags = []
    for flag in argv[1:]:
        key, _, value = flag.partition("=")
        if value in paths:
            value = paths[value]
        elif key == "--flex-volume-plugin-dir":
            value = "/usr/libexec/kubernetes/kubelet-plugins/volume/exec"  # inside the container, as kubeadm leaves it
        elif key == "--cert-dir":
            continue  # every certificate is given by file
        elif value.startswith(str(state_dir)):
            raise RuntimeError(f"{flag}: a file of the control plane's that the static pod would not see")
        flags.append(f"{key}={value}" if value else key)
    return flags


def hand_over(plane, certs: pki.PKI, timeout: float) -> None:
    """Stop the processes, write the static pods (same ports and flags, kubeadm's paths), wait for the mirror pods."""
    started = time.monotonic()
    state = plane.state_dir
    node = next(n for n in realnodes.node_list(state) if n.name == CONTROL_PLANE_NODE)
    paths = _node_paths(state, certs)
    for host, on_node in paths.items():
        target = node.host_path(on_node)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(host, target)
        target.chmod(0o600)
    recorded = plane._processes()
    pods = {name: manifest(name, _flags(recorded[name].argv, paths, state)) for name in COMPONENTS}
    processes.stop([recorded[name] for name in COMPONENTS])  # first: a static pod would find its port taken
    for name, pod in pods.items():
        node.host_path(f"{MANIFESTS}/{name}.yaml").write_text(yaml.safe_dump(pod, sort_keys=False))
    (state / RECORD).write_text(json.dumps(list(COMPONENTS)))
    plane._forget(*COMPONENTS)
    plane._wait("the control plane's static pods", lambda: _mirrors_ready(plane), timeout, [f"{CONTROL_PLANE_NODE}/kubelet"])
    plane.log(f"phase: {', '.join(COMPONENTS)} handed over to {CONTROL_PLANE_NODE}'s kubelet as static pods "
              f"in {time.monotonic() - started:.1f} s")


def _manifest_and_parking(plane, name: str) -> tuple[Path, Path]:
    node = next(n for n in realnodes.node_list(plane.state_dir) if n.name == CONTROL_PLANE_NODE)
    return node.host_path(f"{MANIFESTS}/{name}.yaml"), plane.state_dir / "stopped-static-pods" / f"{name}.yaml"


def stop(plane, name: str, timeout: float = 60) -> None:
    """Take the manifest out of the staticPodPath; for the API server, wait until it no longer answers."""
    manifest_path, parked = _manifest_and_parking(plane, name)
    if manifest_path.is_file():
        parked.parent.mkdir(exist_ok=True)
        shutil.move(manifest_path, parked)
    if name == "kube-apiserver":
        # Not /readyz: it turns unready when the shutdown starts, while the server still accepts connections.
        plane._wait("the API server's static pod to stop", lambda: _refused(plane.server), timeout, [f"{CONTROL_PLANE_NODE}/kubelet"])


def start(plane, name: str, timeout: float = 60) -> None:
    """Put the manifest back; for the API server, wait for /readyz."""
    manifest_path, parked = _manifest_and_parking(plane, name)
    if parked.is_file():
        shutil.move(parked, manifest_path)
    if name == "kube-apiserver":
        plane._wait("kube-apiserver /readyz", plane.ready, timeout, [f"{CONTROL_PLANE_NODE}/kubelet"])



def _mirrors_ready(plane) -> bool:
    for name in COMPONENTS:
        status, pod = plane._request("GET", f"/api/v1/namespaces/kube-system/pods/{name}-{CONTROL_PLANE_NODE}")
        if status != 200 or not any(c.get("type") == "Ready" and c.get("status") == "True"
                                    for c in (pod.get("status") or {}).get("conditions", [])):
            time.sleep(0.5)
            return False
    return True


def _refused(server: str) -> bool:
    """Nothing listens at the server's address any more (a connection is refused)."""
    address = urlsplit(server)
    try:
        socket.create_connection((address.hostname, address.port), timeout=1).close()
    except ConnectionRefusedError:
        return True
    except OSError:
        return False
    return False
