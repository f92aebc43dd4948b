"""Setting an exercise up on a live cluster and resetting it: labelled objects applied, then deleted and waited out."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

from graders.cluster_base import EXERCISE_LABEL, FIELD_MANAGER, MANAGED_BY, ClusterError

if TYPE_CHECKING:
    from graders.cluster import Cluster


@dataclass(frozen=True)
class Outcome:
    """What setup or reset did to the cluster."""

    action: str
    exercise_id: str
    namespace: str
    objects: tuple[str, ...]
    """`Kind/name` of what was applied or deleted."""
    seconds: float
    pending: tuple[str, ...] = ()
    """What was still going away when reset stopped waiting."""


def exercise_labels(exercise_id: str) -> dict[str, str]:
    return {MANAGED_BY: FIELD_MANAGER, EXERCISE_LABEL: exercise_id}


def selector(exercise_id: str) -> str:
    return ",".join(f"{k}={v}" for k, v in exercise_labels(exercise_id).items())


def _owns(obj: dict[str, Any] | None, exercise_id: str) -> bool:
    labels = ((obj or {}).get("metadata") or {}).get("labels") or {}
    return all(labels.get(k) == v for k, v in exercise_labels(exercise_id).items())


def gone(cluster: Cluster, kind: str, namespace: str | None, timeout: float, labels: str | None = None, name: str | None = None) -> bool:
    """Whether no object of KIND (by labels or name) is left within TIMEOUT seconds."""
    fields = f"metadata.name={name}" if name else None
    return not cluster.wait_for(kind, namespace, lambda items: not items, timeout, labels=labels, fields=fields)


def labelled(exercise_id: str, namespace: str, objects: Iterable[dict[str, Any]], cluster: Cluster) -> list[dict[str, Any]]:
    """The exercise's starting objects with kubedojo's labels, namespaced ones put in the exercise namespace."""
    result = []
    for obj in objects:
        obj = json.loads(json.dumps(obj))
        meta = obj.setdefault("metadata", {})
        meta["labels"] = {**(meta.get("labels") or {}), **exercise_labels(exercise_id)}
        if cluster.resource(obj["kind"], obj.get("apiVersion"))[2]:
            meta.setdefault("namespace", namespace)
        result.append(obj)
    return result


def setup(cluster: Cluster, exercise_id: str, namespace: str, objects: Iterable[dict[str, Any]], timeout: float = 60) -> Outcome:
    """Apply the exercise's namespace and starting objects (waiting out a namespace still being deleted)."""
    start = time.monotonic()
    objects = list(objects)
    applied = []
    if namespace != "default":
        existing = cluster.get("Namespace", namespace)
        if existing and (existing.get("metadata") or {}).get("deletionTimestamp"):
            if not gone(cluster, "Namespace", None, timeout, name=namespace):
                raise cluster.problem("api", f"namespace {namespace} is still being deleted after {timeout:g} s; try again shortly")
            existing = None
        # A namespace that was there before (the user's, or another exercise's) is never claimed: reset must not delete it.
        if existing is None or _owns(existing, exercise_id):
            cluster.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace, "labels": exercise_labels(exercise_id)}})
            applied.append(f"Namespace/{namespace}")
        # Pods are refused until the namespace's `default` service account exists (made by the controller-manager).
        cluster.wait_for("ServiceAccount", namespace, bool, min(timeout, 15), fields="metadata.name=default")
    for obj in labelled(exercise_id, namespace, objects, cluster):
        cluster.apply(obj)
        applied.append(f"{obj['kind']}/{obj['metadata']['name']}")
        if obj["kind"] == "CustomResourceDefinition":  # its custom resources are refused until it is Established
            _established(cluster, obj["metadata"]["name"], max(1.0, timeout - (time.monotonic() - start)))
    for obj in objects:  # a claim that names its volume is the task's "Bound claim": give the PV controller its moment
        if obj.get("kind") == "PersistentVolumeClaim" and (obj.get("spec") or {}).get("volumeName"):
            cluster.wait_for("PersistentVolumeClaim", (obj.get("metadata") or {}).get("namespace") or namespace,
                             lambda items: bool(items) and (items[0].get("status") or {}).get("phase") == "Bound",
                             min(15.0, max(1.0, timeout - (time.monotonic() - start))), fields=f"metadata.name={obj['metadata']['name']}")
    return Outcome("setup", exercise_id, namespace, tuple(applied), time.monotonic() - start)


def _established(cluster: Cluster, name: str, timeout: float) -> None:
    """Wait until the API server serves the custom resources of CRD `name`."""
    def ready(items: list[dict[str, Any]]) -> bool:
        conditions = ((items[0].get("status") or {}).get("conditions") or []) if items else []
        return any(c.get("type") == "Established" and c.get("status") == "True" for c in conditions)

    if not ready(cluster.wait_for("CustomResourceDefinition", None, ready, timeout, fields=f"metadata.name={name}")):
        raise cluster.problem("api", f"the CustomResourceDefinition {name} is not Established after {timeout:g} s")


def reset(cluster: Cluster, exercise_id: str, namespace: str, objects: Iterable[dict[str, Any]], kinds: Iterable[str] = (),
          timeout: float = 30, wait_namespace: bool = False) -> Outcome:
    """Delete what setup made (by label) and kubedojo's namespace with everything of `kinds` in it; watch until it is gone.

    The namespace controller waits 5 s before it even starts on a deleted namespace, so unless `wait_namespace`,
    reset waits for the namespace's content, not for the empty namespace itself (setup waits for it if need be).
    """
    start = time.monotonic()
    deadline = start + timeout
    sel = selector(exercise_id)
    own_namespace = namespace != "default" and _owns(cluster.get("Namespace", namespace), exercise_id)
    setup_kinds = {(o["kind"], o.get("apiVersion"), (o.get("metadata") or {}).get("namespace")) for o in labelled(exercise_id, namespace, objects, cluster)}
    deleted: list[str] = []
    waits: list[tuple[str, str | None, str | None, str | None]] = []
    if own_namespace:
        cluster.delete("Namespace", name=namespace)  # first: a terminating namespace accepts no new objects
        inside = {k for k in {"Pod", *kinds, *(k for k, _, ns in setup_kinds if ns == namespace)} if _namespaced(cluster, k)}
        for kind in sorted(inside, key=lambda k: k == "Pod"):  # controllers before pods, so none are made again
            deleted += _names(cluster.delete(kind, namespace, grace=0 if kind == "Pod" else None), kind)
            waits.append((kind, namespace, None, None))
        deleted.append(f"Namespace/{namespace}")
        if wait_namespace:
            waits.append(("Namespace", None, None, namespace))
    for kind, api_version, obj_namespace in sorted(setup_kinds, key=str):
        cluster.resource(kind, api_version)
        if own_namespace and obj_namespace == namespace:
            continue
        deleted += _names(cluster.delete(kind, obj_namespace, labels=sel, grace=0 if kind == "Pod" else None), kind)
        waits.append((kind, obj_namespace, sel, None))
    pending = []
    for kind, obj_namespace, labels, name in waits:
        if not gone(cluster, kind, obj_namespace, max(0.0, deadline - time.monotonic()), labels=labels, name=name):
            pending.append(f"{kind}/{name}" if name else f"{kind} in {obj_namespace or 'the cluster'}")
    return Outcome("reset", exercise_id, namespace, tuple(dict.fromkeys(deleted)), time.monotonic() - start, tuple(pending))


def _namespaced(cluster: Cluster, kind: str) -> bool:
    """A namespaced kind the server knows (a kind it does not know has nothing to delete)."""
    try:
        return cluster.resource(kind)[2]
    except ClusterError as err:
        if err.problem.kind == "api" and "knows no kind" in err.problem.detail:
            return False
        raise


def _names(response: Any, kind: str) -> list[str]:
    items = (response or {}).get("items") or []
    return [f"{kind}/{(i.get('metadata') or {}).get('name')}" for i in items]
