"""Where the pods of an object are described: a Pod itself, or the pod template of a workload."""

from __future__ import annotations

from typing import Any, Mapping
from graders.meaning.shape import items

TEMPLATE_KINDS = frozenset({"deployment", "replicaset", "statefulset", "daemonset", "job", "replicationcontroller", "podtemplate"})


def pod_template(obj: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(metadata, spec) of the pods the object runs, or None when it runs no pods."""
    kind = str(obj.get("kind", "")).lower()
    spec = obj.get("spec") if isinstance(obj.get("spec"), Mapping) else {}
    if kind == "pod":
        meta = obj.get("metadata")
        return (dict(meta) if isinstance(meta, Mapping) else {}), dict(spec)
    if kind == "cronjob":
        job = spec.get("jobTemplate") if isinstance(spec.get("jobTemplate"), Mapping) else {}
        spec = job.get("spec") if isinstance(job.get("spec"), Mapping) else {}
        kind = "job"
    if kind == "podtemplate":
        spec = obj
    if kind in TEMPLATE_KINDS:
        template = spec.get("template") if isinstance(spec.get("template"), Mapping) else {}
        meta = template.get("metadata") if isinstance(template.get("metadata"), Mapping) else {}
        pod_spec = template.get("spec") if isinstance(template.get("spec"), Mapping) else {}
        return dict(meta), dict(pod_spec)
    return None


def spec_path(obj: Mapping[str, Any]) -> tuple[str, ...]:
    """Where the pod spec sits in the object, for line numbers: ("spec",) for a Pod."""
    kind = str(obj.get("kind", "")).lower()
    if kind == "pod":
        return ("spec",)
    if kind == "cronjob":
        return ("spec", "jobTemplate", "spec", "template", "spec")
    if kind == "podtemplate":
        return ("template", "spec")
    return ("spec", "template", "spec")


def containers(spec: Mapping[str, Any], init: bool | None = False) -> list[dict[str, Any]]:
    """The containers of a pod spec: app containers (init False), init containers (True) or both (None)."""
    keys = ("containers",) if init is False else ("initContainers",) if init else ("initContainers", "containers")
    return [c for key in keys for c in (items(spec.get(key))) if isinstance(c, dict)]


def container(spec: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    return next((c for c in containers(spec, None) if c.get("name") == name), None)


def labels(meta: Mapping[str, Any]) -> dict[str, str]:
    found = meta.get("labels")
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, Mapping) else {}


def named_ports(spec: Mapping[str, Any], only: str | None = None) -> dict[str, int]:
    """Container port name -> number across the pod's containers (or one container's)."""
    named: dict[str, int] = {}
    for c in containers(spec, None):
        if only is not None and c.get("name") != only:
            continue
        for port in items(c.get("ports")):
            if isinstance(port, Mapping) and port.get("name") and isinstance(port.get("containerPort"), int):
                named.setdefault(str(port["name"]), int(port["containerPort"]))
    return named
