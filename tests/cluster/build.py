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
    """One program of the control plane and the Go package it is built from."""

    name: str
    """File name in the cache's bin/ directory."""
    package: str
    """Go import path of its main package."""
    in_our_module: bool
    """Built inside tests/cluster/go (pinned by our go.mod), else `go install package@KWOK_VERSION`."""


BINARIES = (
    Binary("etcd", "go.etcd.io/etcd/server/v3", True),
    Binary("kube-apiserver", "k8s.io/kubernetes/cmd/kube-apiserver", True),
    Binary("kube-controller-manager", "k8s.io/kubernetes/cmd/kube-controller-manager", True),
    Binary("kube-scheduler", "k8s.io/kubernetes/cmd/kube-scheduler", True),
    Binary("kwok", "sigs.k8s.io/kwok/cmd/kwok", False),
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


def binary_path(name: str) -> Path:
    return bin_dir() / name


def _fingerprint() -> str:
    """Changes whenever the pins change, so a stale cache is rebuilt rather than trusted."""
    digest = hashlib.sha256()
    for name in ("go.mod", "go.sum"):
        digest.update((GO_MODULE_DIR / name).read_bytes())
    digest.update(KWOK_VERSION.encode())
    digest.update(LDFLAGS.encode())
    return digest.hexdigest()[:16]


def _stamp_path(binary: Binary) -> Path:
    return bin_dir() / f".{binary.name}.stamp"


def missing_binaries() -> list[Binary]:
    fingerprint = _fingerprint()
    missing = []
    for binary in BINARIES:
        stamp = _stamp_path(binary)
        built = binary_path(binary.name).is_file() and stamp.is_file()
        if not built or stamp.read_text().strip() != fingerprint:
            missing.append(binary)
    return missing


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
    flags = ["-trimpath", "-ldflags", LDFLAGS if binary.in_our_module else "-s -w"]
    with tempfile.TemporaryDirectory(dir=bin_dir()) as scratch:
        if binary.in_our_module:
            command = [_go(), "build", *flags, "-o", str(Path(scratch) / binary.name), binary.package]
            cwd = GO_MODULE_DIR
            env = _go_env()
        else:
            command = [_go(), "install", *flags, f"{binary.package}@{KWOK_VERSION}"]
            cwd = Path(scratch)  # outside any module, so go.mod of ours does not apply
            env = _go_env() | {"GOBIN": scratch}
        log(f"building {binary.name}: {' '.join(command)}")
        result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise BuildError(f"building {binary.name} failed:\n{result.stdout}{result.stderr}")
        os.replace(Path(scratch) / binary.name, target)
    _stamp_path(binary).write_text(_fingerprint() + "\n")


def ensure_built(log=print) -> Path:
    """Build whatever is missing from the cache; return the bin directory. Safe to call concurrently."""
    directory = bin_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second caller waits, then finds everything built
        todo = missing_binaries()
        if not todo:
            return directory
        started = time.monotonic()
        for binary in todo:
            one_started = time.monotonic()
            _build_one(binary, log)
            log(f"built {binary.name} in {time.monotonic() - one_started:.0f} s")
        log(f"built {len(todo)} binaries in {time.monotonic() - started:.0f} s")
    return directory
