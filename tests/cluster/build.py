"""Build the control plane's binaries from pinned Go modules into a cache outside the repo."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

KUBERNETES_VERSION = "v1.37.2"
ETCD_VERSION = "v3.7.0"
KWOK_VERSION = "v0.8.0"
HELM_VERSION = "v3.22.0"

GO_MODULE_DIR = Path(__file__).resolve().parent / "go"


def _version_ldflags() -> str:
    """What hack/lib/version.sh stamps, so /version reports the release and not v0.0.0-master."""
    major, minor = KUBERNETES_VERSION.lstrip("v").split(".")[:2]
    values = {"gitVersion": KUBERNETES_VERSION, "gitMajor": major, "gitMinor": minor, "gitTreeState": "clean"}
    return " ".join(f"-X {package}.{key}={value}" for package in ("k8s.io/client-go/pkg/version",
                                                                    "k8s.io/component-base/version")
                    for key, value in values.items())


LDFLAGS = "-s -w " + _version_ldflags()


@dataclass(frozen=True)
class Binary:
    """One program of the test cluster and where its Go source is pinned."""

    name: str
    """File name in the cache's bin/ directory."""
    package: str
    """Go import path of its main package."""
    module: Path | None = GO_MODULE_DIR
    """Built with `go build` inside this module (pinned by its go.mod), or None: `go install package@version`."""
    version: str | None = None
    """The module version for `go install`, when module is None."""
    modes: tuple[str, ...] = ("real", "kwok")
    """The clusters that need it: with real nodes (kubelet, images, cluster DNS), with kwok's, or both."""


DNS_MODULE_DIR = Path(__file__).resolve().parent / "dns"

BINARIES = (
    Binary("etcd", "go.etcd.io/etcd/server/v3"),
    Binary("kube-apiserver", "k8s.io/kubernetes/cmd/kube-apiserver"),
    Binary("kube-controller-manager", "k8s.io/kubernetes/cmd/kube-controller-manager"),
    Binary("kube-scheduler", "k8s.io/kubernetes/cmd/kube-scheduler"),
    Binary("kwok", "sigs.k8s.io/kwok/cmd/kwok", module=None, version=KWOK_VERSION, modes=("kwok",)),
    Binary("helm", "helm.sh/helm/v3/cmd/helm", module=None, version=HELM_VERSION),
    Binary("kubelet", "k8s.io/kubernetes/cmd/kubelet", modes=("real",)),
    Binary("kube-proxy", "k8s.io/kubernetes/cmd/kube-proxy", modes=("real",)),
    Binary("agnhost", "k8s.io/kubernetes/test/images/agnhost", modes=("real",)),
    Binary("pause", "kubedojo.local/testcluster/pause", modes=("real",)),
    Binary("coredns", "kubedojo.local/testcluster-dns", module=DNS_MODULE_DIR, modes=("real",)),
)


class BuildError(RuntimeError):
    """A binary could not be built."""


def cache_root() -> Path:
    """Where built binaries live between runs: $KUBEDOJO_TESTCLUSTER_CACHE or ~/.cache/kubedojo-testcluster."""
    configured = os.environ.get("KUBEDOJO_TESTCLUSTER_CACHE")
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "kubedojo-testcluster"


def bin_dir() -> Path:
    return cache_root() / KUBERNETES_VERSION / "bin"


def _fingerprint(binary: Binary) -> str:
    """Changes whenever the binary's pins change; it names the file, so worktrees at other pins never clash."""
    digest = hashlib.sha256(f"{binary.package}@{binary.version}\n{LDFLAGS}\n".encode())
    if binary.module is not None:
        for name in ("go.mod", "go.sum"):
            digest.update((binary.module / name).read_bytes())
        local = binary.package.removeprefix(_module_path(binary.module))
        if local != binary.package:  # a main package of ours: its source is part of the pin
            for source in sorted((binary.module / local.lstrip("/")).glob("*.go")):
                digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


def _module_path(module: Path) -> str:
    for line in (module / "go.mod").read_text().splitlines():
        if line.startswith("module "):
            return line.split()[1]
    raise BuildError(f"{module / 'go.mod'} names no module")


def binary_path(name: str) -> Path:
    binary = next(b for b in BINARIES if b.name == name)
    return bin_dir() / f"{name}-{_fingerprint(binary)}"


def wanted(nodes: bool) -> list[Binary]:
    """The binaries a cluster with real nodes (nodes=True) or with kwok's needs."""
    return [b for b in BINARIES if ("real" if nodes else "kwok") in b.modes]


def missing_binaries(binaries: list[Binary] | None = None) -> list[Binary]:
    return [b for b in (binaries or list(BINARIES)) if not binary_path(b.name).is_file()]


def _go_env() -> dict[str, str]:
    env = dict(os.environ)
    env["CGO_ENABLED"] = "0"
    # -mod=mod would clash with `go install pkg@version`; our go.sum is complete, so readonly works.
    env["GOFLAGS"] = "-buildvcs=false"
    return env


def _go() -> str:
    go = shutil.which("go")
    if go is None:
        raise BuildError("the Go toolchain (`go`) is not on PATH; it is needed to build the control plane")
    return go


def _build_one(binary: Binary, log) -> None:
    target = binary_path(binary.name)
    flags = ["-trimpath", "-ldflags", LDFLAGS if binary.module == GO_MODULE_DIR else "-s -w"]
    with tempfile.TemporaryDirectory(dir=bin_dir()) as scratch:
        if binary.module is not None:
            command = [_go(), "build", *flags, "-o", str(Path(scratch) / binary.name), binary.package]
            cwd = binary.module
            env = _go_env()
        else:
            command = [_go(), "install", *flags, f"{binary.package}@{binary.version}"]
            cwd = Path(scratch)  # outside any module, so go.mod of ours does not apply
            env = _go_env() | {"GOBIN": scratch}
        log(f"building {binary.name}: {' '.join(command)}")
        result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise BuildError(f"building {binary.name} failed:\n{result.stdout}{result.stderr}")
        os.replace(Path(scratch) / binary.name, target)


def ensure_built(log=print, nodes: bool = True) -> Path:
    """Build whatever is missing from the cache; return the bin directory. Safe to call concurrently."""
    directory = bin_dir()
    if not missing_binaries(wanted(nodes)):
        return directory  # without the lock, which a build for another worktree's pins may hold
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second caller waits, then finds everything built
        todo = missing_binaries(wanted(nodes))
        if not todo:
            return directory
        started = time.monotonic()
        for binary in todo:
            one_started = time.monotonic()
            _build_one(binary, log)
            log(f"built {binary.name} in {time.monotonic() - one_started:.0f} s")
        log(f"built {len(todo)} binaries in {time.monotonic() - started:.0f} s")
    return directory
