"""Node faults: the small vocabulary a pack may use to break a node, each with the undo `reset` runs, as data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Annotated, Literal, Protocol, Union

import yaml
from pydantic import AfterValidator, Field

from exercises.base import Strict

NODE_ROOTS = ("/etc/kubernetes", "/var/lib/kubelet")
"""Where a fault may touch a node's files: kubeadm's layout, which kind nodes and the test harness's real nodes both have."""
MANIFESTS = "/etc/kubernetes/manifests"
UNDO_DIR = "/etc/kubernetes/kubedojo-undo"
"""Where the original of an edited file is kept on the node until reset puts it back (outside the static pod path)."""


class FaultError(RuntimeError):
    """A fault could not be carried out or undone on a node; the message says which and why."""


def _node_path(path: str) -> str:
    pure = PurePosixPath(path)
    if not pure.is_absolute() or ".." in pure.parts or "\0" in path or str(pure) != path.rstrip("/"):
        raise ValueError(f"{path!r} is not a plain absolute path (no `..`, no trailing `/`)")
    if not any(path == root or path.startswith(root + "/") for root in NODE_ROOTS) or path.startswith(UNDO_DIR):
        raise ValueError(f"{path!r} is outside what a fault may touch ({', '.join(NODE_ROOTS)})")
    return path


NodePath = Annotated[str, AfterValidator(_node_path)]
NodeName = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")]
"""A node as `kubectl get nodes` names it, e.g. `kubedojo-worker`."""


class KubeletStopped(Strict):
    """The node's kubelet is stopped (`systemctl stop kubelet`); undo: it is started again."""

    fault: Literal["kubelet_stopped"]
    node: NodeName


class KubeletRestarted(Strict):
    """The node's kubelet is restarted, so that a file changed by an earlier fault takes effect; undo: restarted again after the files are back."""

    fault: Literal["kubelet_restarted"]
    node: NodeName


class FileMoved(Strict):
    """A file on the node is moved to `to` (a kubelet config, a certificate, a static pod manifest); undo: moved back."""

    fault: Literal["file_moved"]
    node: NodeName
    path: NodePath
    to: NodePath


class ManifestFlagSet(Strict):
    """A flag of a static pod's container command is set to `value` (`--kubeconfig=/etc/kubernetes/scheduler.con`); undo: the manifest as it was."""

    fault: Literal["manifest_flag_set"]
    node: NodeName
    manifest: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]*\.ya?ml$")]
    """The file name in /etc/kubernetes/manifests, e.g. `kube-scheduler.yaml`."""
    container: str | None = None
    """The container whose command changes; unset means the first."""
    flag: Annotated[str, Field(pattern=r"^--[a-z0-9][a-z0-9-]*$")]
    value: str


class ManifestFlagRemoved(Strict):
    """A flag is taken out of a static pod's container command; undo: the manifest as it was."""

    fault: Literal["manifest_flag_removed"]
    node: NodeName
    manifest: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]*\.ya?ml$")]
    container: str | None = None
    flag: Annotated[str, Field(pattern=r"^--[a-z0-9][a-z0-9-]*$")]


Fault = Annotated[Union[KubeletStopped, KubeletRestarted, FileMoved, ManifestFlagSet, ManifestFlagRemoved], Field(discriminator="fault")]
FAULT_TYPES = ("kubelet_stopped", "kubelet_restarted", "file_moved", "manifest_flag_set", "manifest_flag_removed")


class Nodes(Protocol):
    """What carrying out a fault needs from the nodes: kind's (docker exec) or the test harness's own."""

    def kubelet(self, node: str, action: Literal["stop", "restart"]) -> None: ...

    def read(self, node: str, path: str) -> str | None:
        """The file's text, or None when there is no such file."""

    def write(self, node: str, path: str, text: str) -> None:
        """Write the file, making its directory if need be."""

    def move(self, node: str, path: str, to: str) -> None: ...

    def remove(self, node: str, path: str) -> None: ...


def describe(fault: Fault) -> str:
    """One line for setup's report: what was broken where."""
    if isinstance(fault, KubeletStopped):
        return f"{fault.node}: kubelet stopped"
    if isinstance(fault, KubeletRestarted):
        return f"{fault.node}: kubelet restarted"
    if isinstance(fault, FileMoved):
        return f"{fault.node}: {fault.path} moved to {fault.to}"
    what = f"{fault.flag}={fault.value}" if isinstance(fault, ManifestFlagSet) else f"{fault.flag} removed"
    return f"{fault.node}: {MANIFESTS}/{fault.manifest} {what}"


# --- editing a static pod manifest (pure) ---------------------------------------------------------


def edit_flag(manifest: str, flag: str, value: str | None, container: str | None = None) -> str:
    """The manifest with `flag` set to `value` (None: removed) in the container's command (or args); raises FaultError."""
    try:
        pod = yaml.safe_load(manifest)
    except yaml.YAMLError as err:
        raise FaultError(f"the manifest is not YAML: {err}") from None
    containers = ((pod or {}).get("spec") or {}).get("containers") if isinstance(pod, dict) else None
    if not isinstance(containers, list) or not containers:
        raise FaultError("the manifest has no containers")
    chosen = next((c for c in containers if isinstance(c, dict) and (container is None or c.get("name") == container)), None)
    if chosen is None:
        raise FaultError(f"the manifest has no container {container!r}")
    field = "command" if any(str(w).startswith("--") for w in chosen.get("command") or []) or not chosen.get("args") else "args"
    words = [str(w) for w in chosen.get(field) or []]
    kept = [w for w in words if w != flag and not w.startswith(flag + "=")]
    if value is None:
        if len(kept) == len(words):
            raise FaultError(f"the container has no flag {flag}")
    else:
        at = next((i for i, w in enumerate(words) if w == flag or w.startswith(flag + "=")), len(kept))
        kept.insert(min(at, len(kept)), f"{flag}={value}")
    chosen[field] = kept
    return yaml.safe_dump(pod, sort_keys=False)


# --- carrying faults out, and undoing them -------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    """What apply_faults did: one line per fault."""

    done: tuple[str, ...]


def _backup(exercise_id: str, path: str) -> str:
    return f"{UNDO_DIR}/{exercise_id}/{path.strip('/').replace('/', '__')}"


def apply_faults(exercise_id: str, faults: list[Fault], nodes: Nodes) -> Broken:
    """Break the nodes as the faults say, in order; every file changed is backed up first (once: setup twice keeps the original)."""
    done = []
    for fault in faults:
        if isinstance(fault, KubeletStopped):
            nodes.kubelet(fault.node, "stop")
        elif isinstance(fault, KubeletRestarted):
            nodes.kubelet(fault.node, "restart")
        elif isinstance(fault, FileMoved):
            if nodes.read(fault.node, fault.path) is not None:
                nodes.move(fault.node, fault.path, fault.to)
            elif nodes.read(fault.node, fault.to) is None:
                raise FaultError(f"{fault.node}: there is no file {fault.path} to move")
        else:
            path = f"{MANIFESTS}/{fault.manifest}"
            text = nodes.read(fault.node, path)
            if text is None:
                raise FaultError(f"{fault.node}: there is no static pod manifest {path}")
            backup = _backup(exercise_id, path)
            if nodes.read(fault.node, backup) is None:
                nodes.write(fault.node, backup, text)
            value = fault.value if isinstance(fault, ManifestFlagSet) else None
            try:
                edited = edit_flag(text, fault.flag, value, fault.container)
            except FaultError as err:
                raise FaultError(f"{fault.node}: {path}: {err}") from None
            nodes.write(fault.node, path, edited)
        done.append(describe(fault))
    return Broken(tuple(done))


def undo_faults(exercise_id: str, faults: list[Fault], nodes: Nodes) -> tuple[str, ...]:
    """Put back what the faults changed, newest first, then restart every kubelet they stopped or restarted.

    A fault the user already repaired is left as it is (a file already back, a manifest already fixed is
    still replaced by its original, which is what the user was asked to reach)."""
    done = []
    for fault in reversed(faults):
        if isinstance(fault, FileMoved):
            if nodes.read(fault.node, fault.path) is None and nodes.read(fault.node, fault.to) is not None:
                nodes.move(fault.node, fault.to, fault.path)
                done.append(f"{fault.node}: {fault.path} moved back")
        elif isinstance(fault, (ManifestFlagSet, ManifestFlagRemoved)):
            path = f"{MANIFESTS}/{fault.manifest}"
            backup = _backup(exercise_id, path)
            original = nodes.read(fault.node, backup)
            if original is not None:
                if nodes.read(fault.node, path) != original:
                    nodes.write(fault.node, path, original)
                    done.append(f"{fault.node}: {path} restored")
                nodes.remove(fault.node, backup)
    for node in dict.fromkeys(f.node for f in faults if isinstance(f, (KubeletStopped, KubeletRestarted))):
        nodes.kubelet(node, "restart")
        done.append(f"{node}: kubelet restarted")
    return tuple(done)
