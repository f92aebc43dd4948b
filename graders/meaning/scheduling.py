"""Scheduling: does a pod fit a node with these labels and taints, and will it stay there."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from graders.meaning.selectors import Requirement, SelectorError, requirements
from graders.meaning.shape import items, mapping

BLOCKING = ("NoSchedule", "NoExecute")
UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable"
DAEMONSET_TOLERATIONS = (
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"},
)
"""What the DaemonSet controller adds to every pod it makes."""


@dataclass(frozen=True)
class Taint:
    key: str
    value: str = ""
    effect: str = "NoSchedule"

    def text(self) -> str:
        return f"{self.key}{'=' + self.value if self.value else ''}:{self.effect}"


@dataclass(frozen=True)
class Node:
    name: str
    labels: Mapping[str, str] = field(default_factory=dict)
    taints: tuple[Taint, ...] = ()
    unschedulable: bool = False

    def all_labels(self) -> dict[str, str]:
        """The labels, with the ones every kubelet sets (hostname, a Linux os) unless given."""
        return {"kubernetes.io/hostname": self.name, "kubernetes.io/os": "linux", **self.labels}

    def all_taints(self) -> tuple[Taint, ...]:
        extra = (Taint(UNSCHEDULABLE_TAINT, "", "NoSchedule"),) if self.unschedulable else ()
        return self.taints + extra


@dataclass(frozen=True)
class Verdict:
    fits: bool
    reason: tuple[str, dict[str, Any]] = ("", {})
    """Why not, as a message key and its values: node-name, node-selector, affinity, affinity-error, taint."""
    evicted_after: float | None = None
    """For a NoExecute taint tolerated for a while: the seconds before eviction."""


def tolerates(toleration: Mapping[str, Any], taint: Taint) -> bool:
    """The kubelet's and scheduler's rule (k8s.io/api/core/v1 Toleration.ToleratesTaint)."""
    effect = toleration.get("effect") or ""
    if effect and effect != taint.effect:
        return False
    key = toleration.get("key") or ""
    operator = toleration.get("operator") or "Equal"
    if key and key != taint.key:
        return False
    if operator == "Exists":
        return True  # an empty key with Exists tolerates every taint
    if operator == "Equal":
        return bool(key) and str(toleration.get("value") or "") == taint.value
    return False


def _term_matches(term: Any, node: Node) -> bool:
    """One nodeSelectorTerm: its expressions and fields are ANDed; an empty term matches nothing."""
    if not isinstance(term, Mapping):
        return False
    expressions = requirements(items(term.get("matchExpressions")))
    fields = requirements(items(term.get("matchFields")))
    if not expressions and not fields:
        return False
    labels = node.all_labels()
    return all(r.matches(labels) for r in expressions) and all(_field_matches(r, node) for r in fields)


def _field_matches(requirement: Requirement, node: Node) -> bool:
    return requirement.key == "metadata.name" and requirement.matches({"metadata.name": node.name})


def fits(spec: Mapping[str, Any], node: Node, daemonset: bool = False) -> Verdict:
    """Whether the scheduler may put a pod with this spec on the node (and the kubelet keep it)."""
    if spec.get("nodeName"):
        if spec["nodeName"] != node.name:
            return Verdict(False, ("node-name", {"name": spec["nodeName"]}))
    labels = node.all_labels()
    selector = spec.get("nodeSelector") or {}
    if isinstance(selector, Mapping):
        for key, value in selector.items():
            if labels.get(str(key)) != str(value):
                return Verdict(False, ("node-selector", {"key": key, "value": value}))
    affinity = (mapping(spec.get("affinity")).get("nodeAffinity") or {}) if isinstance(spec.get("affinity"), Mapping) else {}
    required = affinity.get("requiredDuringSchedulingIgnoredDuringExecution") if isinstance(affinity, Mapping) else None
    if isinstance(required, Mapping):
        terms = items(required.get("nodeSelectorTerms"))
        try:
            if not any(_term_matches(t, node) for t in terms):
                return Verdict(False, ("affinity", {}))
        except SelectorError as err:
            return Verdict(False, ("affinity-error", {"error": str(err)}))
    tolerations = [t for t in items(spec.get("tolerations")) if isinstance(t, Mapping)]
    if daemonset:
        tolerations += list(DAEMONSET_TOLERATIONS)
    evicted_after: float | None = None
    for taint in node.all_taints():
        if taint.effect not in BLOCKING:
            continue
        if taint.effect == "NoSchedule" and spec.get("nodeName"):
            continue  # a pod bound by nodeName skips the scheduler; only NoExecute drives it out
        matching = [t for t in tolerations if tolerates(t, taint)]
        if not matching:
            return Verdict(False, ("taint", {"taint": taint.text()}))
        if taint.effect == "NoExecute":
            seconds = [t.get("tolerationSeconds") for t in matching]
            if all(isinstance(s, (int, float)) and not isinstance(s, bool) for s in seconds):
                longest = max(float(s) for s in seconds)  # type: ignore[arg-type]
                evicted_after = longest if evicted_after is None else min(evicted_after, longest)
    if evicted_after is not None:
        return Verdict(True, evicted_after=evicted_after)
    return Verdict(True)


def node(value: Mapping[str, Any]) -> Node:
    """A node from a check's plain description, or from a Node object."""
    if value.get("kind") == "Node":
        meta = value.get("metadata") or {}
        spec = value.get("spec") or {}
        taints = tuple(Taint(str(t.get("key")), str(t.get("value") or ""), str(t.get("effect") or "NoSchedule")) for t in items(spec.get("taints")))
        return Node(str(meta.get("name") or ""), dict(mapping(meta.get("labels"))), taints, bool(spec.get("unschedulable")))
    taints = []
    for t in items(value.get("taints")):
        if isinstance(t, str):
            key_value, _, effect = t.rpartition(":")
            key, _, val = key_value.partition("=")
            taints.append(Taint(key, val, effect))
        elif isinstance(t, Mapping):
            taints.append(Taint(str(t.get("key")), str(t.get("value") or ""), str(t.get("effect") or "NoSchedule")))
    return Node(str(value.get("name") or "node"), {str(k): str(v) for k, v in mapping(value.get("labels")).items()}, tuple(taints), bool(value.get("unschedulable")))
