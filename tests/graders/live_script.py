"""A scripted stand-in for graders.cluster.Cluster: objects to GET and LIST, and states a watch sees one after another.

It lets the live grader's rules (wait while the status lags the spec, look once when the spec already fails,
wait side by side) be tested on exact sequences of states, which a real kubelet produces too fast to catch.
The same rules run against the real API server in tests/cluster.
"""

from __future__ import annotations

import copy
import threading
from typing import Any, Callable

CLUSTER_SCOPED = frozenset({"Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "StorageClass", "PriorityClass"})


class ScriptedCluster:
    """Objects by (kind, namespace, name); `script[(kind, name)]` is what a watch on that object sees next."""

    def __init__(self, *objects: dict[str, Any], namespace: str = "default") -> None:
        self.namespace = namespace
        self.objects: dict[tuple[str, str, str], dict[str, Any]] = {}
        for obj in objects:
            self.put(obj)
        self.script: dict[tuple[str, str], list[dict[str, Any] | Callable[[], Any]]] = {}
        self.waits: list[tuple[str, str, float]] = []
        """(kind, selector, timeout) of every wait_for, in the order they were asked."""
        self.before_wait: Callable[[str, str], None] = lambda kind, selector: None
        self.lock = threading.Lock()

    def put(self, obj: dict[str, Any]) -> None:
        meta = obj["metadata"]
        namespace = "" if obj["kind"] in CLUSTER_SCOPED else meta.setdefault("namespace", self.namespace)
        self.objects[(obj["kind"], namespace, meta["name"])] = copy.deepcopy(obj)

    def resource(self, kind: str, api_version: str | None = None) -> tuple[str, str, bool]:
        return "v1", kind.lower() + "s", kind not in CLUSTER_SCOPED

    def get(self, kind: str, name: str, namespace: str | None = None) -> dict[str, Any] | None:
        namespace = "" if kind in CLUSTER_SCOPED else (namespace or self.namespace)
        found = self.objects.get((kind, namespace, name))
        return copy.deepcopy(found) if found else None

    def _items(self, kind: str, namespace: str | None, fields: str | None, labels: str | None) -> list[dict[str, Any]]:
        wanted = dict(part.split("=", 1) for part in (fields or "").split(",") if part)
        selected = dict(part.split("=", 1) for part in (labels or "").split(",") if part)
        items = []
        for (k, ns, name), obj in self.objects.items():
            if k != kind or (namespace and ns and ns != namespace):
                continue
            if "metadata.name" in wanted and name != wanted["metadata.name"]:
                continue
            if "involvedObject.name" in wanted and (obj.get("involvedObject") or {}).get("name") != wanted["involvedObject.name"]:
                continue
            if any(((obj.get("metadata") or {}).get("labels") or {}).get(key) != value for key, value in selected.items()):
                continue
            items.append(copy.deepcopy(obj))
        return items

    def list(self, kind: str, namespace: str | None = None, **selectors: str) -> dict[str, Any]:
        return {"items": self._items(kind, namespace, selectors.get("fields"), selectors.get("labels")), "metadata": {}}

    def wait_for(self, kind: str, namespace: str | None, done: Callable[[list[dict[str, Any]]], bool], timeout: float,
                 labels: str | None = None, fields: str | None = None, stop: Callable[[], bool] | None = None) -> list[dict[str, Any]]:
        selector = fields or labels or ""
        with self.lock:
            self.waits.append((kind, selector, timeout))
        items = self._items(kind, namespace, fields, labels)
        if done(items) or timeout <= 0:
            return items
        self.before_wait(kind, selector)
        named = dict(part.split("=", 1) for part in (fields or "").split(",") if part)
        name = named.get("metadata.name") or named.get("involvedObject.name") or selector
        for step in self.script.get((kind, name), []):
            if callable(step):
                step()
            else:
                self.put(step)
            items = self._items(kind, namespace, fields, labels)
            if done(items):
                return items
        return items  # the script ran out: as if the timeout passed
