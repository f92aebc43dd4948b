"""The fields the API server fills in when an object leaves them out (its SetDefaults_* functions), for comparing an
answer with the object a task gave: written out or left to the default, they mean the same."""

from __future__ import annotations

import copy
from typing import Any

_POD_SPEC = {"restartPolicy": "Always", "dnsPolicy": "ClusterFirst", "schedulerName": "default-scheduler",
             "terminationGracePeriodSeconds": 30, "securityContext": {}, "enableServiceLinks": True}
_CONTAINER = {"terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File", "resources": {}}
_DEPLOYMENT = {"replicas": 1, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600}
_WORKLOADS = frozenset({"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob"})


def pull_policy(image: str) -> str:
    """Always for `:latest` or no tag (a digest counts as pinned), else IfNotPresent (SetDefaults_Container)."""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if "@" in image:
        return "IfNotPresent"
    tag = last.split(":", 1)[1] if ":" in last else ""
    return "Always" if tag in ("", "latest") else "IfNotPresent"


def _fill(target: dict[str, Any], defaults: dict[str, Any]) -> None:
    for key, value in defaults.items():
        target.setdefault(key, copy.deepcopy(value))


def _pod_spec(spec: Any) -> None:
    if not isinstance(spec, dict):
        return
    _fill(spec, _POD_SPEC)
    for group in ("initContainers", "containers"):
        containers = spec.get(group)
        for container in containers if isinstance(containers, list) else []:
            if not isinstance(container, dict):
                continue
            _fill(container, _CONTAINER)
            if isinstance(container.get("image"), str):
                container.setdefault("imagePullPolicy", pull_policy(container["image"]))
            ports = container.get("ports")
            for port in ports if isinstance(ports, list) else []:
                if isinstance(port, dict):
                    port.setdefault("protocol", "TCP")


def with_defaults(obj: Any) -> Any:
    """A copy of `obj` with the defaults of its kind filled in where it leaves them out (other kinds: a plain copy)."""
    out = copy.deepcopy(obj)
    if not isinstance(out, dict) or not isinstance(out.get("spec"), dict):
        return out
    kind, spec = out.get("kind"), out["spec"]
    if kind == "Pod":
        _pod_spec(spec)
    elif kind in _WORKLOADS:
        if kind == "Deployment":
            _fill(spec, _DEPLOYMENT)
            strategy = spec.setdefault("strategy", {})
            if isinstance(strategy, dict):
                strategy.setdefault("type", "RollingUpdate")
                if strategy["type"] == "RollingUpdate":
                    rolling = strategy.setdefault("rollingUpdate", {})
                    if isinstance(rolling, dict):
                        _fill(rolling, {"maxSurge": "25%", "maxUnavailable": "25%"})
        template = spec
        for step in (("jobTemplate", "spec", "template") if kind == "CronJob" else ("template",)):
            template = template.get(step) if isinstance(template, dict) else None
        if isinstance(template, dict):
            _pod_spec(template.get("spec"))
    return out
