"""The host side of the real nodes' network: sysctls, the DNS address, kube-proxy, CoreDNS, and undoing all of it.

Bridges, routes and kube-proxy's iptables rules belong to the host, so one test cluster at a time
may run real nodes on a machine (`claim`); a second one gets kwok's nodes and is told why.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import subprocess
from pathlib import Path

import yaml

from tests.cluster.nodes import DNS_SERVICE_IP, PATH, POD_CIDR, SERVICE_CIDR

DNS_ADDRESS = "10.244.255.10"  # where CoreDNS listens: on a port-less bridge (no dummy driver everywhere), inside the routes pods have
DNS_INTERFACE = "kdj-dns"
# What the kubelet (kernel tunables), kube-proxy (route_localnet for loopback NodePorts) and the CNI
# bridge (ip_forward) change on the host; saved before the first node starts, restored by `down`.
SYSCTLS = ("net/ipv4/ip_forward", "net/ipv4/conf/all/route_localnet", "vm/overcommit_memory", "vm/panic_on_oom",
           "kernel/panic", "kernel/panic_on_oops", "kernel/keys/root_maxkeys", "kernel/keys/root_maxbytes")
OWNER = Path("/run/kubedojo-testcluster/real-nodes")
# The host as it was before the first real node: kept outside any state dir, so that a cluster whose
# state dir was lost does not make the next one save already-changed values.
HOST_FILE = OWNER.parent / "host.json"
IPTABLES = ("iptables", "ip6tables")


def _claim() -> dict:
    try:
        text = OWNER.read_text().strip()
    except OSError:
        return {}
    try:
        return json.loads(text)
    except ValueError:
        return {"state": text} if text.startswith("/") else {}  # an older harness wrote the path alone


def owner() -> Path | None:
    """The state dir of the test cluster whose real nodes run on this machine, if one says so."""
    state = _claim().get("state")
    return Path(state) if isinstance(state, str) else None


def claimer() -> int | None:
    """The PID of the process that claimed them (its `up` may still be building or starting)."""
    pid = _claim().get("pid")
    return pid if isinstance(pid, int) else None


@contextlib.contextmanager
def claim_lock():
    """Held while a cluster checks who owns the machine's real nodes and claims them."""
    OWNER.parent.mkdir(parents=True, exist_ok=True)
    with open(OWNER.parent / "claim.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def claim(state_dir: Path) -> None:
    OWNER.write_text(json.dumps({"state": str(state_dir), "pid": os.getpid()}) + "\n")


def release(state_dir: Path) -> None:
    if owner() == state_dir:
        OWNER.unlink(missing_ok=True)


def _ip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], capture_output=True, text=True, env={"PATH": PATH})


def prepare(interfaces: list[str], created_dirs: list[Path]) -> None:
    """Save what down must restore (once), then route between the nodes' bridges and add the DNS address."""
    host_file = HOST_FILE
    host_file.parent.mkdir(parents=True, exist_ok=True)
    if not host_file.is_file():
        saved = {name: Path("/proc/sys", name).read_text().strip() for name in SYSCTLS if Path("/proc/sys", name).exists()}
        host_file.write_text(json.dumps({"sysctls": saved, "interfaces": [*interfaces, DNS_INTERFACE],
                                         "created_dirs": [str(d) for d in created_dirs],
                                         "iptables": {tool: sorted(_kube_chains(tool)) for tool in IPTABLES}}, indent=2))
    # The host forwards between the nodes' bridges. An address of the pod range that no bridge has is
    # unreachable, and the service range goes to the port-less DNS bridge (kube-proxy's rules take the
    # services there are; the rest is dropped): neither ever leaves by the default route.
    _ip("route", "del", "unreachable", POD_CIDR)
    Path("/proc/sys/net/ipv4/ip_forward").write_text("1\n")
    _ip("link", "del", DNS_INTERFACE)
    for args in (("route", "add", "unreachable", POD_CIDR),
                 ("link", "add", DNS_INTERFACE, "type", "bridge"), ("addr", "add", f"{DNS_ADDRESS}/32", "dev", DNS_INTERFACE),
                 ("link", "set", DNS_INTERFACE, "up"), ("route", "add", SERVICE_CIDR, "dev", DNS_INTERFACE)):
        result = _ip(*args)
        if result.returncode != 0:
            raise OSError(f"ip {' '.join(args)} failed: {result.stderr.strip()}")


def restore(kube_proxy: Path | None) -> list[str]:
    """Delete our interfaces and iptables rules, put the sysctls back, remove the mount targets we made; problems left."""
    host_file = HOST_FILE
    if not host_file.is_file():
        return []
    saved = json.loads(host_file.read_text())
    problems = delete_interfaces(saved["interfaces"])
    _ip("route", "del", "unreachable", POD_CIDR)
    if kube_proxy is not None and kube_proxy.is_file():
        result = subprocess.run([str(kube_proxy), "--cleanup"], capture_output=True, text=True, env={"PATH": PATH})
        if result.returncode != 0:
            problems.append(f"kube-proxy --cleanup: {result.stderr.strip()[-500:]}")
    for tool in IPTABLES:
        problems += _delete_chains(tool, keep=set(saved.get("iptables", {}).get(tool, [])))
    for name, value in saved["sysctls"].items():
        try:
            Path("/proc/sys", name).write_text(value + "\n")
        except OSError as error:
            problems.append(f"sysctl {name}={value}: {error}")
    for directory in sorted(saved["created_dirs"], key=lambda path: len(Path(path).parts), reverse=True):
        try:
            Path(directory).rmdir()
        except OSError:
            pass  # not empty: someone else uses it now
    host_file.unlink()
    return problems


def _rules(tool: str) -> dict[str, list[str]]:
    """iptables-save's lines by table, for the tables kubelet and kube-proxy write."""
    result = subprocess.run([f"{tool}-save"], capture_output=True, text=True, env={"PATH": PATH})
    tables: dict[str, list[str]] = {}
    table = None
    for line in result.stdout.splitlines():
        if line.startswith("*"):
            table = line[1:]
            tables[table] = []
        elif table and line[:1] in (":", "-"):
            tables[table].append(line)
    return tables


def _kube_chains(tool: str) -> set[str]:
    return {f"{table}/{line[1:].split()[0]}" for table, lines in _rules(tool).items()
            for line in lines if line.startswith(":KUBE-")}


def _delete_chains(tool: str, keep: set[str]) -> list[str]:
    """Remove the KUBE-* chains (and the jumps to them) that were not there before: the kubelet's canaries and
    firewall chain, and whatever `kube-proxy --cleanup` leaves."""
    script = []
    for table, lines in _rules(tool).items():
        ours = [c for line in lines if line.startswith(":KUBE-") and f"{table}/{(c := line[1:].split()[0])}" not in keep]
        if not ours:
            continue
        jumps = [line for line in lines if line.startswith("-A ") and not line.split()[1].startswith("KUBE-")
                 and (jump := re.search(r" -j (KUBE-[\w-]+)", line)) and jump.group(1) in ours]
        script += [f"*{table}", *("-D " + line[3:] for line in jumps), *(f"-F {c}" for c in ours),
                   *(f"-X {c}" for c in ours), "COMMIT"]
    if not script:
        return []
    result = subprocess.run([f"{tool}-restore", "--noflush"], input="\n".join(script) + "\n", capture_output=True,
                            text=True, env={"PATH": PATH})
    return [f"{tool}-restore: {result.stderr.strip()}"] if result.returncode != 0 else []


def delete_interfaces(names: list[str]) -> list[str]:
    problems = []
    for interface in names:
        result = _ip("link", "del", interface)
        if result.returncode != 0 and "Cannot find device" not in result.stderr:
            problems.append(f"ip link del {interface}: {result.stderr.strip()}")
    return problems


def kube_proxy_config(kubeconfig: Path, node_name: str, healthz_port: int, metrics_port: int) -> str:
    return yaml.safe_dump({
        "apiVersion": "kubeproxy.config.k8s.io/v1alpha1", "kind": "KubeProxyConfiguration",
        "clientConnection": {"kubeconfig": str(kubeconfig)},
        "mode": "iptables", "clusterCIDR": POD_CIDR, "hostnameOverride": node_name, "bindAddress": "127.0.0.1",
        "healthzBindAddress": f"127.0.0.1:{healthz_port}", "metricsBindAddress": f"127.0.0.1:{metrics_port}",
        # NodePorts answer on loopback only, so nothing outside the machine can reach a test service.
        "nodePortAddresses": ["127.0.0.1/32"],
        # Leave the host's conntrack table size and timeouts alone.
        "conntrack": {"maxPerCore": 0, "min": 0, "tcpEstablishedTimeout": "0s", "tcpCloseWaitTimeout": "0s"},
    }, sort_keys=False)


def corefile(kubeconfig: Path, health_port: int) -> str:
    # No `forward`: a name outside the cluster gets no answer, and no query leaves the machine.
    return f""".:53 {{
    bind {DNS_ADDRESS}
    errors
    health 127.0.0.1:{health_port}
    kubernetes cluster.local in-addr.arpa ip6.arpa {{
        kubeconfig {kubeconfig}
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 30
    }}
    cache 30
    loadbalance
}}
"""


def dns_objects() -> list[tuple[str, dict]]:
    """kube-system/kube-dns at 10.96.0.10, as on kind, backed by CoreDNS on the host: (API path, object)."""
    labels = {"k8s-app": "kube-dns", "kubernetes.io/name": "CoreDNS"}
    ports = [("dns", "UDP"), ("dns-tcp", "TCP")]
    service = {
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "kube-dns", "namespace": "kube-system", "labels": labels},
        "spec": {"clusterIP": DNS_SERVICE_IP, "ports": [{"name": n, "port": 53, "protocol": p, "targetPort": 53} for n, p in ports]},
    }
    slice_ = {
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"name": "kube-dns-host", "namespace": "kube-system",
                     "labels": {"kubernetes.io/service-name": "kube-dns", "endpointslice.kubernetes.io/managed-by": "kubedojo-testcluster"}},
        "addressType": "IPv4",
        "endpoints": [{"addresses": [DNS_ADDRESS], "conditions": {"ready": True}}],
        "ports": [{"name": n, "port": 53, "protocol": p} for n, p in ports],
    }
    return [("/api/v1/namespaces/kube-system/services", service),
            ("/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices", slice_)]
