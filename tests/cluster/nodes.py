"""Real nodes: per node a containerd and a kubelet in the node's own mount namespace and cgroup.

A node's files live in <state>/nodes/<name>/ and are bind-mounted, inside its mount namespace only,
where a kubeadm node has them (/etc/kubernetes, /var/lib/kubelet, /var/log, ...), so a shell on the
node (`node_shell`) sees /etc/kubernetes/manifests and /var/lib/kubelet/config.yaml as on kind.
Everything a node runs (containerd, its shims, the pods, the kubelet) is in the cgroup /kubedojo/<name>,
which `stop` empties by PID; its mounts go away with its mount namespace.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.cluster import cgroups

# What a node sees at these paths is its own (bind mounts inside its mount namespace): its kubelet's and
# containerd's files, and where hostPath volumes usually point (/mnt/data...), so pods write there, not on the host.
BINDS = ("etc/kubernetes", "etc/containerd", "etc/cni/net.d", "var/lib/kubelet", "var/lib/containerd",
         "var/lib/cni", "var/log", "run/containerd", "mnt", "srv", "data")
POD_CIDR = "10.244.0.0/16"
SERVICE_CIDR = "10.96.0.0/16"
DNS_SERVICE_IP = "10.96.0.10"
SANDBOX_IMAGE = "registry.k8s.io/pause:3.10"
CNI_BIN_DIRS = (Path("/usr/lib/cni"), Path("/opt/cni/bin"))
CNI_PLUGINS = ("bridge", "host-local", "loopback")
# Commands the nodes need, and the Debian package with each (tests/cluster/install-deps.sh installs them).
COMMANDS = {"containerd": "containerd", "containerd-shim-runc-v2": "containerd", "runc": "runc",
            "iptables-restore": "iptables", "unshare": "util-linux", "nsenter": "util-linux", "ip": "iproute2"}
PATH = os.environ.get("PATH", "/usr/bin:/bin") + ":/usr/local/sbin:/usr/sbin:/sbin"


class NodeError(RuntimeError):
    """A real node could not be set up or started."""


@dataclass(frozen=True)
class Node:
    """One real node: its name, its place in the pod network and where its files are."""

    name: str
    index: int
    control_plane: bool
    root: Path
    """<state>/nodes/<name>: the node's /etc/kubernetes, /var/lib/kubelet, ... live under it."""

    @property
    def bridge(self) -> str:
        return f"kdj{self.index}"

    @property
    def subnet(self) -> str:
        return f"10.244.{self.index}.0/24"

    @property
    def gateway(self) -> str:
        return f"10.244.{self.index}.1"

    @property
    def cgroup(self) -> str:
        return f"{cgroups.ROOT}/{self.name}"

    @property
    def socket(self) -> Path:
        """containerd's socket as the host sees it (the node sees /run/containerd/containerd.sock)."""
        return self.root / "run/containerd/containerd.sock"

    def host_path(self, node_path: str) -> Path:
        """Where a path of the node (/etc/kubernetes/manifests/x.yaml) is on the host."""
        relative = node_path.strip("/")
        if not any(relative == b or relative.startswith(b + "/") for b in BINDS):
            raise NodeError(f"{node_path} is not one of the node's own paths ({', '.join('/' + b for b in BINDS)})")
        return self.root / relative


def cni_bin_dir() -> Path | None:
    return next((d for d in CNI_BIN_DIRS if all((d / p).is_file() for p in CNI_PLUGINS)), None)


def unavailable() -> str | None:
    """Why this machine cannot run real nodes, or None when it can."""
    if not sys.platform.startswith("linux"):
        return "real nodes need Linux"
    if os.geteuid() != 0:
        return "real nodes need root (the kubelet, containerd and runc manage mounts, cgroups and network namespaces)"
    missing = sorted({package for command, package in COMMANDS.items() if not shutil.which(command, path=PATH)}
                     | (set() if cni_bin_dir() else {"containernetworking-plugins"})
                     | (set() if Path("/bin/busybox").is_file() else {"busybox-static"}))
    if missing:
        return f"missing Debian packages {', '.join(missing)}: run tests/cluster/install-deps.sh (needs apt and root)"
    if "overlay" not in Path("/proc/filesystems").read_text():
        return "the kernel has no overlayfs, which containerd's snapshotter needs"
    if cgroups.missing_controllers():
        return f"no cgroup controller {', '.join(cgroups.missing_controllers())} (the kubelet needs cpu, cpuset, memory, pids)"
    for probe, what in ((["unshare", "--mount", "true"], "make mount namespaces"),
                        (["ip", "link", "add", "kdj-probe", "type", "bridge"], "create network interfaces")):
        result = subprocess.run(probe, capture_output=True, text=True, env={"PATH": PATH})
        if result.returncode != 0:
            return f"cannot {what} here: {result.stderr.strip()}"
    subprocess.run(["ip", "link", "del", "kdj-probe"], capture_output=True)
    return None


# --- the node's files ---------------------------------------------------------------------------


def kubeconfig_with_cert(server: str, ca_cert: Path, user: str, cert: Path, key: Path) -> str:
    def data(path: Path) -> str:
        return base64.b64encode(path.read_bytes()).decode()

    return yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "default",
        "clusters": [{"name": "kubedojo", "cluster": {"server": server, "certificate-authority-data": data(ca_cert)}}],
        "users": [{"name": user, "user": {"client-certificate-data": data(cert), "client-key-data": data(key)}}],
        "contexts": [{"name": "default", "context": {"cluster": "kubedojo", "user": user}}],
    }, sort_keys=False)


def containerd_config() -> str:
    cri = 'plugins."io.containerd.grpc.v1.cri"'
    return f"""# containerd of a kubedojo test node (tests/cluster/nodes.py); paths are the node's own.
version = 2
root = "/var/lib/containerd"
state = "/run/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
                    "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
                    "io.containerd.internal.v1.tracing", "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = "/run/containerd/containerd.sock"

[plugins."io.containerd.internal.v1.opt"]
  path = "/var/lib/containerd/opt"  # not /opt/containerd, which is the host's

[{cri}]
  sandbox_image = "{SANDBOX_IMAGE}"
  # No CAP_SYS_RESOURCE here: without this every sandbox fails ("can't get final child's PID from pipe").
  restrict_oom_score_adj = true
  disable_apparmor = true
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [{cri}.containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [{cri}.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [{cri}.containerd.runtimes.runc.options]
        SystemdCgroup = false
  [{cri}.cni]
    bin_dir = "{cni_bin_dir()}"
    conf_dir = "/etc/cni/net.d"
  [{cri}.registry]
    config_path = "/etc/containerd/certs.d"
"""


def registry_hosts(registry: str, mirror: str) -> str:
    """hosts.toml: pull `registry`'s images from our mirror only (`server` is the mirror, so no fallback)."""
    return f"""# {registry}: served by the test cluster's registry on loopback (tests/cluster/registry.py).
server = "{mirror}"

[host."{mirror}"]
  capabilities = ["pull", "resolve"]
"""


def cni_config(node: Node) -> str:
    return json.dumps({
        "cniVersion": "0.4.0", "name": "kubedojo",
        "plugins": [{
            "type": "bridge", "bridge": node.bridge, "isGateway": True, "ipMasq": False, "hairpinMode": True,
            "ipam": {
                "type": "host-local", "ranges": [[{"subnet": node.subnet, "gateway": node.gateway}]],
                # No default route: a pod reaches other pods and services, never an address outside.
                "routes": [{"dst": POD_CIDR}, {"dst": SERVICE_CIDR}],
            },
        }],
    }, indent=2)


def kubelet_config(node: Node, port: int, healthz_port: int) -> str:
    config = {
        "apiVersion": "kubelet.config.k8s.io/v1beta1", "kind": "KubeletConfiguration",
        "address": "127.0.0.1", "port": port, "readOnlyPort": 0,
        "healthzBindAddress": "127.0.0.1", "healthzPort": healthz_port,
        "authentication": {"anonymous": {"enabled": False}, "webhook": {"enabled": True},
                           "x509": {"clientCAFile": "/etc/kubernetes/pki/ca.crt"}},
        "authorization": {"mode": "Webhook"},
        "cgroupDriver": "cgroupfs", "cgroupRoot": f"/{node.cgroup}", "failCgroupV1": False, "failSwapOn": False,
        "containerRuntimeEndpoint": "unix:///run/containerd/containerd.sock",
        "staticPodPath": "/etc/kubernetes/manifests",
        "volumePluginDir": "/var/lib/kubelet/volume-plugins",  # not /usr/libexec/kubernetes, which is the host's
        "clusterDNS": [DNS_SERVICE_IP], "clusterDomain": "cluster.local",
        "resolvConf": "/var/lib/kubelet/resolv.conf",
        "podCIDR": node.subnet,
        "rotateCertificates": False, "serverTLSBootstrap": False,
        # The host's disk is shared with everything else: evict only when it is really full; never GC images.
        "evictionHard": {"memory.available": "100Mi", "nodefs.available": "1%", "imagefs.available": "1%",
                         "nodefs.inodesFree": "1%"},
        "imageGCHighThresholdPercent": 100, "imageGCLowThresholdPercent": 99,
        "serializeImagePulls": False,
        "shutdownGracePeriod": "0s",
    }
    if node.control_plane:
        # Its static pods (the control plane, tests/cluster/staticpods.py) are broken and repaired by the
        # troubleshooting exercises; a repaired manifest is the same pod, whose back-off would otherwise have
        # grown to minutes. Workers keep the default, which the CrashLoopBackOff exercises see.
        config["crashLoopBackOff"] = {"maxContainerRestartPeriod": "5s"}
    return yaml.safe_dump(config, sort_keys=False)


def write_files(node: Node, *, server: str, ca_cert: Path, cert: Path, key: Path, port: int, healthz_port: int,
                mirror: str, registries: list[str]) -> None:
    """Everything the node's containerd and kubelet read, under node.root."""
    for bind in BINDS:
        (node.root / bind).mkdir(parents=True, exist_ok=True)
    (node.root / "etc/kubernetes/manifests").mkdir(exist_ok=True)
    (node.root / "etc/kubernetes/pki").mkdir(exist_ok=True)
    shutil.copy(ca_cert, node.root / "etc/kubernetes/pki/ca.crt")
    (node.root / "etc/kubernetes/kubelet.conf").write_text(
        kubeconfig_with_cert(server, ca_cert, f"system:node:{node.name}", cert, key))
    (node.root / "var/lib/kubelet/config.yaml").write_text(kubelet_config(node, port, healthz_port))
    # Pods with dnsPolicy Default get this: no upstream resolver, so no query ever leaves the machine.
    (node.root / "var/lib/kubelet/resolv.conf").write_text("# kubedojo test node: no DNS outside the cluster\n")
    (node.root / "etc/containerd/config.toml").write_text(containerd_config())
    for registry in [*registries, "_default"]:
        hosts = node.root / "etc/containerd/certs.d" / registry / "hosts.toml"
        hosts.parent.mkdir(parents=True, exist_ok=True)
        hosts.write_text(registry_hosts(registry, mirror))
    (node.root / "etc/cni/net.d/10-kubedojo.conflist").write_text(cni_config(node))


# --- running it ---------------------------------------------------------------------------------


def mount_targets() -> list[Path]:
    return [Path("/") / bind for bind in BINDS]


def holder_command(node: Node) -> list[str]:
    """The process that owns the node's mount namespace: it binds the node's dirs, then sleeps."""
    binds = " && ".join(f"mount --bind {node.root / b} /{b}" for b in BINDS)
    script = (f"set -e; {cgroups.join_command(node.cgroup + '/system')}; {binds}; "
              f"mount --make-rshared /; touch {node.root / '.mounted'}; exec sleep infinity")
    return ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script]


def in_node(node: Node, holder_pid: int, argv: list[str]) -> list[str]:
    """argv run in the node's cgroup and mount namespace (the same PID: sh and nsenter exec)."""
    join = cgroups.join_command(node.cgroup + "/system")
    return ["sh", "-c", f'{join}; exec nsenter --mount=/proc/{holder_pid}/ns/mnt --wd=/ -- "$@"', node.name, *argv]


def kubelet_argv(node: Node, kubelet: Path) -> list[str]:
    return [str(kubelet), "--config=/var/lib/kubelet/config.yaml", "--kubeconfig=/etc/kubernetes/kubelet.conf",
            f"--hostname-override={node.name}",
            # As if a cloud controller owned the node's addresses: the kubelet leaves the 127.0.0.1 we set
            # alone (it refuses a loopback --node-ip, and would offer its host name, which resolves nowhere).
            "--cloud-provider=external", "--v=1"]


def wait_for_path(path: Path, what: str, timeout: float, alive) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if not alive():
            raise NodeError(f"{what} exited before {path.name} appeared")
        if time.monotonic() > deadline:
            raise NodeError(f"timed out after {timeout:.0f} s waiting for {what} ({path})")
        time.sleep(0.05)


def node_shell(node: Node, holder_pid: int, command: str, input: str | None = None,
               timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `sh -c command` on the node (its mount namespace), as `docker exec` into a kind node would."""
    # In the node's cgroup too, so that whatever it leaves running is stopped with the node.
    return subprocess.run(in_node(node, holder_pid, ["sh", "-c", command]), input=input, capture_output=True, text=True,
                          timeout=timeout, env={"PATH": PATH})


def stop(node: Node) -> set[int]:
    """Kill what is left in the node's cgroup (containerd, shims, pods, holder) by PID; remove the cgroup."""
    return cgroups.empty_and_remove(node.cgroup)
