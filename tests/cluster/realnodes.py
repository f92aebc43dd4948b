"""Start and stop a control plane's real nodes: the image registry, per node a containerd and a kubelet, kube-proxy, CoreDNS."""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from pathlib import Path

from tests.cluster import build, cgroups, images, manifests, network, nodes, pki, processes
from tests.cluster.nodes import Node

REPO_ROOT = Path(__file__).resolve().parents[2]
MODES = ("auto", "real", "kwok")


def node_list(state_dir: Path) -> list[Node]:
    names = (manifests.CONTROL_PLANE_NODE, *manifests.WORKER_NODES)
    return [Node(name, index, name == manifests.CONTROL_PLANE_NODE, state_dir / "nodes" / name)
            for index, name in enumerate(names)]


def requested_mode() -> str:
    mode = os.environ.get("KUBEDOJO_TESTCLUSTER_NODES", "auto")
    if mode not in MODES:
        raise nodes.NodeError(f"KUBEDOJO_TESTCLUSTER_NODES={mode!r}: expected one of {', '.join(MODES)}")
    return mode


def _in_use(state_dir: Path) -> bool:
    """The claim of state_dir holds while the process that made it lives (building, starting) or the
    cluster runs something."""
    pid = network.claimer()
    if pid is not None and pid != os.getpid() and processes.pid_alive(pid):
        return True
    try:
        recorded = json.loads((state_dir / "processes.json").read_text())
    except (OSError, ValueError):
        return False
    return any(processes.is_running(processes.Process.from_json(data)) for data in recorded.values())


def why_not(state_dir: Path, claim: bool = False) -> str | None:
    """Why this control plane cannot have real nodes here (the machine, or another cluster's nodes), or None.

    With claim, None also means the machine's real nodes are now this state dir's (`down` gives them back)."""
    if requested_mode() == "kwok":
        return "KUBEDOJO_TESTCLUSTER_NODES=kwok"
    reason = nodes.unavailable()
    if reason is None:
        with network.claim_lock():
            other = network.owner()
            running = cgroups.pids(cgroups.ROOT) if other != state_dir else set()
            if other is not None and other != state_dir and _in_use(other):
                reason = (f"the real nodes of another test cluster ({other}) run on this machine, and their bridges, "
                          "routes and iptables rules are the host's: one cluster with real nodes at a time")
            elif running:
                reason = (f"processes of another test cluster's real nodes run in the /{cgroups.ROOT} cgroup (PIDs "
                          f"{', '.join(map(str, sorted(running)[:5]))}...): one cluster with real nodes at a time")
            elif claim:
                network.claim(state_dir)
    if reason is not None and requested_mode() == "real":
        raise nodes.NodeError(f"KUBEDOJO_TESTCLUSTER_NODES=real, but {reason}")
    return reason


def _http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.status == 200


SERVICES_CGROUP = f"{cgroups.ROOT}/services"  # the registry, kube-proxy and CoreDNS


def _in_services(argv: list[str]) -> list[str]:
    return ["sh", "-c", f'{cgroups.join_command(SERVICES_CGROUP)}; exec "$@"', "services", *argv]


def _clear_leftovers(node_list_: list[Node]) -> None:
    """What real nodes that were not stopped (their state dir deleted, say) left: all of /kubedojo is
    ours, since no other cluster's real nodes run here (why_not checked)."""
    cgroups.empty_and_remove(cgroups.ROOT)
    network.delete_interfaces([node.bridge for node in node_list_] + [network.DNS_INTERFACE])


def start(plane, certs: pki.PKI, tokens: dict[str, str], server: str, catalog: Path, launch, free_ports, timeout: float) -> None:
    """Everything the real nodes need, after the API server, scheduler and controller-manager are up."""
    state = plane.state_dir
    node_list_ = node_list(state)
    _clear_leftovers(node_list_)
    cgroups.create(SERVICES_CGROUP)
    registry_port, proxy_healthz, proxy_metrics, dns_health, *ports = free_ports(4 + 2 * len(node_list_))
    python_env = {"PYTHONPATH": str(REPO_ROOT)}
    path_env = {"PATH": nodes.PATH}
    launch("registry", _in_services([sys.executable, "-m", "tests.cluster.registry", str(catalog), str(registry_port)]),
           env=python_env)
    mirror = f"http://127.0.0.1:{registry_port}"
    plane._wait("the image registry", lambda: _http_ok(f"{mirror}/v2/"), timeout, ["registry"])

    created = sorted({path for target in nodes.mount_targets() for path in (target, *target.parents) if not path.exists()},
                     key=lambda path: len(path.parts))
    for directory in created:
        directory.mkdir()
    network.prepare([node.bridge for node in node_list_], created)

    registries = sorted({repository.split("/")[0] for image in images.load() for repository in image.repositories})
    for node, (port, healthz) in zip(node_list_, zip(ports[::2], ports[1::2])):
        status, body = plane._request("POST", "/api/v1/nodes", manifests.real_node(node.name, node.control_plane, node.subnet))
        if status not in (201, 409):
            raise nodes.NodeError(f"creating node {node.name} failed ({status}): {body}")
        addresses = {"status": {"addresses": [{"type": "InternalIP", "address": "127.0.0.1"}, {"type": "Hostname", "address": node.name}]}}
        status, body = plane._request("PATCH", f"/api/v1/nodes/{node.name}/status", addresses, content_type="application/merge-patch+json")
        if status != 200:
            raise nodes.NodeError(f"setting the address of node {node.name} failed ({status}): {body}")
        cert, key = pki.client_cert(certs, f"kubelet-{node.name}", f"system:node:{node.name}", ("system:nodes",))
        nodes.write_files(node, server=server, ca_cert=certs.ca_cert, cert=cert, key=key, port=port,
                          healthz_port=healthz, mirror=mirror, registries=registries)
        cgroups.create(node.cgroup + "/system")
        launch(f"{node.name}/holder", nodes.holder_command(node), env=path_env)
    recorded = plane._processes
    for node in node_list_:
        holder = recorded()[f"{node.name}/holder"]
        nodes.wait_for_path(node.root / ".mounted", f"the mount namespace of {node.name}", timeout,
                            lambda: processes.is_running(holder))
        launch(f"{node.name}/containerd", nodes.in_node(node, holder.pid, ["containerd", "--config", "/etc/containerd/config.toml"]),
               env=path_env)
    for node in node_list_:
        containerd = recorded()[f"{node.name}/containerd"]
        nodes.wait_for_path(node.socket, f"containerd of {node.name}", timeout, lambda: processes.is_running(containerd))
        launch(f"{node.name}/kubelet", nodes.in_node(node, recorded()[f"{node.name}/holder"].pid,
                                                      nodes.kubelet_argv(node, build.binary_path("kubelet"))), env=path_env)

    for name, user in (("kube-proxy", "kube-proxy"), ("coredns", "coredns")):
        (state / f"{name}.kubeconfig").write_text(
            manifests.kubeconfig(server, certs.ca_cert, {name: ("local", name, tokens[user])}, current=name))
    (state / "kube-proxy.yaml").write_text(network.kube_proxy_config(
        state / "kube-proxy.kubeconfig", manifests.CONTROL_PLANE_NODE, proxy_healthz, proxy_metrics))
    launch("kube-proxy", _in_services([str(build.binary_path("kube-proxy")), f"--config={state / 'kube-proxy.yaml'}"]),
           env=path_env)
    (state / "Corefile").write_text(network.corefile(state / "coredns.kubeconfig", dns_health))
    launch("coredns", _in_services([str(build.binary_path("coredns")), "-conf", str(state / "Corefile")]))
    for path, obj in network.dns_objects():
        status, body = plane._request("POST", path, obj)
        if status not in (201, 409):
            raise nodes.NodeError(f"creating {obj['kind']} kube-system/{obj['metadata']['name']} failed ({status}): {body}")
    plane._wait("CoreDNS", lambda: _http_ok(f"http://127.0.0.1:{dns_health}/health"), timeout, ["coredns"])


def stop(plane) -> None:
    """Kubelets first (so nothing restarts pods), then each node's cgroup by PID, then the host's network."""
    state = plane.state_dir
    recorded = plane._processes()
    if not (state / "nodes").exists() and network.owner() != state and "registry" not in recorded:
        return  # kwok's nodes: nothing of ours on the host
    processes.stop([p for name, p in recorded.items() if name.endswith("/kubelet")])
    for node in node_list(state):
        if node.root.exists() or network.owner() == state:
            left = nodes.stop(node)
            if left:
                plane.log(f"{node.name}: processes {sorted(left)} would not die; `down` again removes them")
    processes.stop([p for name, p in recorded.items() if name in ("kube-proxy", "coredns", "registry")])
    cgroups.empty_and_remove(SERVICES_CGROUP)
    problems = network.restore(build.binary_path("kube-proxy") if "kube-proxy" in recorded else None)
    for problem in problems:
        plane.log(f"cleaning up the host: {problem}")
    network.release(state)

