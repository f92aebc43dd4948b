"""The fields the API server fills in when an object leaves them out (its SetDefaults_* functions), for comparing an
answer with the object a task gave: written out or left to the default, they mean the same.

Followed from Kubernetes v1.37's pkg/apis/*/v1/defaults.go and zz_generated.defaults.go, conditions included; a
template also gets what the objects made from it get (a pod template SetDefaults_Pod's fields, a CronJob's
jobTemplate the Job's), since that is what it means. Values the server allocates (clusterIP, nodePort) and status
are not invented; quantities and int-or-strings keep the object's own form."""

from __future__ import annotations

import copy
from typing import Any

_POD_SPEC = {"restartPolicy": "Always", "dnsPolicy": "ClusterFirst", "schedulerName": "default-scheduler"}
_POD_SPEC_POINTERS = {"terminationGracePeriodSeconds": 30, "securityContext": {}}
_CONTAINER = {"terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}
_PROBE = {"timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}
_HTTP_GET = {"path": "/", "scheme": "HTTP"}
_FILE_MODE = 420
"""0644, the defaultMode of configMap, secret, downwardAPI and projected volumes."""
_VOLUME_SOURCES = {
    "iscsi": {"iscsiInterface": "default"},
    "rbd": {"pool": "rbd", "user": "admin", "keyring": "/etc/ceph/keyring"},
    "scaleIO": {"storageMode": "ThinProvisioned", "fsType": "xfs"},
}
_AZURE_DISK = {"cachingMode": "ReadWrite", "fsType": "ext4", "readOnly": False, "kind": "Shared"}
_DEPLOYMENT = {"replicas": 1, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600}
_JOB = {"completionMode": "NonIndexed", "suspend": False, "manualSelector": False}
_CRONJOB = {"suspend": False, "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1}
_MAX_INT32 = 2**31 - 1
_HPA_SCALE_UP = {"stabilizationWindowSeconds": 0, "selectPolicy": "Max", "policies": [
    {"type": "Pods", "value": 4, "periodSeconds": 15}, {"type": "Percent", "value": 100, "periodSeconds": 15}]}
_HPA_SCALE_DOWN = {"selectPolicy": "Max", "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]}
_HPA_CPU = {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}
_TEMPLATED = frozenset({"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job"})


def pull_policy(image: str) -> str:
    """Always for `:latest`, or for no tag and no digest; else IfNotPresent (SetDefaults_Container)."""
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    tag = last.split(":", 1)[1] if ":" in last else ""
    return "Always" if tag == "latest" or not (tag or digest) else "IfNotPresent"


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def _child(parent: dict[str, Any], key: str) -> dict[str, Any] | None:
    """parent[key] as a mapping, made empty where it is left out or null (None: something else is there)."""
    if parent.get(key) is None:
        parent[key] = {}
    return parent[key] if isinstance(parent[key], dict) else None


def _fill(target: dict[str, Any], defaults: dict[str, Any]) -> None:
    """A pointer field: left out or null takes the default."""
    for key, value in defaults.items():
        if target.get(key) is None:
            target[key] = copy.deepcopy(value)


def _fill_unset(target: dict[str, Any], defaults: dict[str, Any]) -> None:
    """A plain field: its zero value ("" or 0) is unset too, as Go reads it."""
    for key, value in defaults.items():
        current = target.get(key)
        if current is None or current == "" or (type(current) is int and current == 0):
            target[key] = copy.deepcopy(value)


def _field_ref(holder: Any) -> None:
    if isinstance(holder, dict) and isinstance(holder.get("fieldRef"), dict):
        _fill_unset(holder["fieldRef"], {"apiVersion": "v1"})


def _claim_spec(spec: Any) -> None:
    if isinstance(spec, dict):
        _fill(spec, {"volumeMode": "Filesystem"})


def _volume_sources(source: dict[str, Any]) -> None:
    """The sources a volume and a PersistentVolume share."""
    if isinstance(source.get("hostPath"), dict):
        _fill(source["hostPath"], {"type": ""})
    for name, defaults in _VOLUME_SOURCES.items():
        if isinstance(source.get(name), dict):
            _fill_unset(source[name], defaults)
    if isinstance(source.get("azureDisk"), dict):
        _fill(source["azureDisk"], _AZURE_DISK)


def _volume(volume: dict[str, Any]) -> None:
    if all(value is None for key, value in volume.items() if key != "name"):
        volume["emptyDir"] = {}
    _volume_sources(volume)
    for name in ("secret", "configMap", "downwardAPI", "projected"):
        if isinstance(volume.get(name), dict):
            _fill(volume[name], {"defaultMode": _FILE_MODE})
    if isinstance(volume.get("downwardAPI"), dict):
        for item in _dicts(volume["downwardAPI"].get("items")):
            _field_ref(item)
    projected = volume.get("projected")
    for source in _dicts(projected.get("sources") if isinstance(projected, dict) else None):
        if isinstance(source.get("downwardAPI"), dict):
            for item in _dicts(source["downwardAPI"].get("items")):
                _field_ref(item)
        if isinstance(source.get("serviceAccountToken"), dict):
            _fill(source["serviceAccountToken"], {"expirationSeconds": 3600})
    image = volume.get("image")
    if isinstance(image, dict) and isinstance(image.get("reference"), str):
        _fill_unset(image, {"pullPolicy": pull_policy(image["reference"])})
    ephemeral = volume.get("ephemeral")
    if isinstance(ephemeral, dict) and isinstance(ephemeral.get("volumeClaimTemplate"), dict):
        _claim_spec(ephemeral["volumeClaimTemplate"].get("spec"))


def _handler(handler: Any) -> None:
    """A probe's or a lifecycle hook's action."""
    if not isinstance(handler, dict):
        return
    if isinstance(handler.get("httpGet"), dict):
        _fill_unset(handler["httpGet"], _HTTP_GET)
    if isinstance(handler.get("grpc"), dict):
        _fill(handler["grpc"], {"service": ""})


def _container(container: dict[str, Any]) -> None:
    _fill_unset(container, _CONTAINER)
    if isinstance(container.get("image"), str):
        _fill_unset(container, {"imagePullPolicy": pull_policy(container["image"])})
    _fill(container, {"resources": {}})
    for port in _dicts(container.get("ports")):
        _fill_unset(port, {"protocol": "TCP"})
    for variable in _dicts(container.get("env")):
        source = variable.get("valueFrom")
        _field_ref(source)
        if isinstance(source, dict) and isinstance(source.get("fileKeyRef"), dict):
            _fill(source["fileKeyRef"], {"optional": False})
    for name in ("livenessProbe", "readinessProbe", "startupProbe"):
        if isinstance(container.get(name), dict):
            _fill_unset(container[name], _PROBE)
            _handler(container[name])
    lifecycle = container.get("lifecycle")
    for name in ("postStart", "preStop"):
        _handler(lifecycle.get(name) if isinstance(lifecycle, dict) else None)


def _pod_spec(spec: Any) -> None:
    """SetDefaults_PodSpec and what the generated defaulters do inside it, then SetDefaults_Pod's own."""
    if not isinstance(spec, dict):
        return
    _fill_unset(spec, _POD_SPEC)
    _fill(spec, _POD_SPEC_POINTERS)
    account = spec.get("serviceAccountName") or spec.get("serviceAccount")
    if isinstance(account, str) and account:  # the deprecated alias is kept in step, the new name winning
        spec["serviceAccountName"] = spec["serviceAccount"] = account
    for volume in _dicts(spec.get("volumes")):
        _volume(volume)
    for group in ("initContainers", "containers", "ephemeralContainers"):
        for container in _dicts(spec.get(group)):
            _container(container)
    _pod(spec)


def _pod(spec: dict[str, Any]) -> None:
    """SetDefaults_Pod's own: stored on a Pod only, and on every Pod a template makes."""
    _fill(spec, {"enableServiceLinks": True})
    grace = spec["terminationGracePeriodSeconds"]
    if type(grace) is int and grace < 0:
        spec["terminationGracePeriodSeconds"] = 1
    for group in ("initContainers", "containers"):
        for container in _dicts(spec.get(group)):
            resources = container["resources"]
            limits = resources.get("limits") if isinstance(resources, dict) else None
            requests = resources.get("requests") or {} if isinstance(resources, dict) else None
            if isinstance(limits, dict) and limits and isinstance(requests, dict):
                resources["requests"] = {**copy.deepcopy(limits), **requests}  # a request left out is the limit
            if spec.get("hostNetwork") is True:
                for port in _dicts(container.get("ports")):
                    if not port.get("hostPort") and "containerPort" in port:
                        port["hostPort"] = port["containerPort"]


def _service(spec: dict[str, Any]) -> None:
    _fill_unset(spec, {"sessionAffinity": "None", "type": "ClusterIP"})
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        config = spec.get("sessionAffinityConfig")
        client = config.get("clientIP") if isinstance(config, dict) else None
        if not isinstance(client, dict) or client.get("timeoutSeconds") is None:
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": 10800}}
    for port in _dicts(spec.get("ports")):
        _fill_unset(port, {"protocol": "TCP"})
        if port.get("targetPort") in (None, 0, "") and "port" in port:
            port["targetPort"] = port["port"]  # kept as the port is written
    kind = spec["type"]
    if kind in ("NodePort", "LoadBalancer") or (kind == "ClusterIP" and spec.get("externalIPs")):
        _fill_unset(spec, {"externalTrafficPolicy": "Cluster"})
    if kind in ("ClusterIP", "NodePort", "LoadBalancer"):
        _fill(spec, {"internalTrafficPolicy": "Cluster"})
    if kind == "LoadBalancer":
        _fill(spec, {"allocateLoadBalancerNodePorts": True})


def _deployment(spec: dict[str, Any]) -> None:
    _fill(spec, _DEPLOYMENT)
    strategy = _child(spec, "strategy")
    if strategy is not None:
        _fill_unset(strategy, {"type": "RollingUpdate"})
        rolling = _child(strategy, "rollingUpdate") if strategy["type"] == "RollingUpdate" else None
        if rolling is not None:
            _fill(rolling, {"maxUnavailable": "25%", "maxSurge": "25%"})


def _daemon_set(spec: dict[str, Any]) -> None:
    _fill(spec, {"revisionHistoryLimit": 10})
    strategy = _child(spec, "updateStrategy")
    if strategy is not None:
        _fill_unset(strategy, {"type": "RollingUpdate"})
        rolling = _child(strategy, "rollingUpdate") if strategy["type"] == "RollingUpdate" else None
        if rolling is not None:
            _fill(rolling, {"maxUnavailable": 1, "maxSurge": 0})


def _stateful_set(spec: dict[str, Any]) -> None:
    _fill_unset(spec, {"podManagementPolicy": "OrderedReady"})
    strategy = _child(spec, "updateStrategy")
    if strategy is not None:
        if strategy.get("type") in (None, ""):
            strategy["type"] = "RollingUpdate"
            _child(strategy, "rollingUpdate")  # only when the type was left out too: a written RollingUpdate keeps none
        rolling = strategy.get("rollingUpdate")
        if strategy["type"] == "RollingUpdate" and isinstance(rolling, dict):
            _fill(rolling, {"partition": 0, "maxUnavailable": 1})  # maxUnavailable: MaxUnavailableStatefulSet, on in v1.37
    retention = _child(spec, "persistentVolumeClaimRetentionPolicy")
    if retention is not None:
        _fill_unset(retention, {"whenDeleted": "Retain", "whenScaled": "Retain"})
    _fill(spec, {"replicas": 1, "revisionHistoryLimit": 10})
    for claim in _dicts(spec.get("volumeClaimTemplates")):
        claim["apiVersion"], claim["kind"] = "v1", "PersistentVolumeClaim"  # set on the way out (apps/v1 conversion)
        _claim_spec(claim.get("spec"))
        status = _child(claim, "status")
        if status is not None:
            _fill_unset(status, {"phase": "Pending"})


def _job_spec(spec: dict[str, Any]) -> None:
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1  # a parallel job (parallelism given) keeps completions unset: it means a work queue
    _fill(spec, {"parallelism": 1})
    _fill(spec, {"backoffLimit": _MAX_INT32 if spec.get("backoffLimitPerIndex") is not None else 6})
    _fill(spec, _JOB)
    _fill(spec, {"podReplacementPolicy": "Failed" if spec.get("podFailurePolicy") is not None else "TerminatingOrFailed"})
    policy = spec.get("podFailurePolicy")
    for rule in _dicts(policy.get("rules") if isinstance(policy, dict) else None):
        for pattern in _dicts(rule.get("onPodConditions")):
            _fill_unset(pattern, {"status": "True"})


def _network_policy(spec: dict[str, Any]) -> None:
    if not spec.get("policyTypes"):
        spec["policyTypes"] = ["Ingress", "Egress"] if spec.get("egress") else ["Ingress"]
    elif isinstance(spec["policyTypes"], list) and all(isinstance(t, str) for t in spec["policyTypes"]):
        spec["policyTypes"] = sorted(set(spec["policyTypes"]), reverse=True)  # a set in meaning: [Egress, Ingress] is [Ingress, Egress]
    for direction in ("ingress", "egress"):
        for rule in _dicts(spec.get(direction)):
            for port in _dicts(rule.get("ports")):
                _fill(port, {"protocol": "TCP"})


def _autoscaler(spec: dict[str, Any], api_version: Any) -> None:
    _fill(spec, {"minReplicas": 1})
    if api_version is None:  # a task's copy may leave it out: its fields say which version it is, or nothing more is known
        api_version = "autoscaling/v1" if "targetCPUUtilizationPercentage" in spec else "autoscaling/v2" if "metrics" in spec or "behavior" in spec else ""
    if api_version == "autoscaling/v1":
        _fill(spec, {"targetCPUUtilizationPercentage": 80})  # applied in conversion when there are no other metrics
    elif api_version == "autoscaling/v2":
        if not spec.get("metrics"):
            spec["metrics"] = [copy.deepcopy(_HPA_CPU)]
        behavior = spec.get("behavior")
        if isinstance(behavior, dict):
            for direction, defaults in (("scaleUp", _HPA_SCALE_UP), ("scaleDown", _HPA_SCALE_DOWN)):
                rules = _child(behavior, direction)
                if rules is not None:
                    _fill(rules, defaults)


def _workload(kind: str, spec: dict[str, Any]) -> None:
    if kind == "ReplicaSet":
        _fill(spec, {"replicas": 1})
    else:
        {"Deployment": _deployment, "DaemonSet": _daemon_set, "StatefulSet": _stateful_set, "Job": _job_spec}[kind](spec)
    template = spec.get("template")
    if isinstance(template, dict):
        _pod_spec(template.get("spec"))


def _job_labels(job: dict[str, Any]) -> None:
    """A Job without labels of its own is labelled as its Pods are."""
    template = job["spec"].get("template")
    labels = template.get("metadata") if isinstance(template, dict) else None
    labels = labels.get("labels") if isinstance(labels, dict) else None
    metadata = job.get("metadata")
    if isinstance(labels, dict) and (metadata is None or isinstance(metadata, dict)) and not (metadata or {}).get("labels"):
        job["metadata"] = {**(metadata or {}), "labels": copy.deepcopy(labels)}


def with_defaults(obj: Any) -> Any:
    """A copy of `obj` with the defaults of its kind filled in where it leaves them out (other kinds: a plain copy)."""
    out = copy.deepcopy(obj)
    if not isinstance(out, dict) or not isinstance(out.get("spec"), dict):
        return out
    kind, spec = out.get("kind"), out["spec"]
    if kind == "Pod":
        _pod_spec(spec)
    elif kind in _TEMPLATED:
        _workload(kind, spec)
        if kind == "Job":
            _job_labels(out)
    elif kind == "CronJob":
        _fill_unset(spec, {"concurrencyPolicy": "Allow"})
        _fill(spec, _CRONJOB)
        job = spec.get("jobTemplate")
        if isinstance(job, dict) and isinstance(job.get("spec"), dict):
            _workload("Job", job["spec"])  # each Job it makes is defaulted as a Job
    elif kind == "Service":
        _service(spec)
    elif kind == "PersistentVolumeClaim":
        _claim_spec(spec)
    elif kind == "PersistentVolume":
        _fill_unset(spec, {"persistentVolumeReclaimPolicy": "Retain"})
        _fill(spec, {"volumeMode": "Filesystem"})
        _volume_sources(spec)
    elif kind == "NetworkPolicy":
        _network_policy(spec)
    elif kind == "HorizontalPodAutoscaler":
        _autoscaler(spec, out.get("apiVersion"))
    return out
