"""What the API server refuses that the OpenAPI schema cannot say, in the API server's words, per API group."""

from __future__ import annotations

from typing import Any, Callable

from graders.apivalidation import autoscaling, core, networking, rbac, storage, workloads
from graders.apivalidation import fields as f
from graders.apivalidation.fields import Errors, Rejection, mapping, text

__all__ = ["Rejection", "validate_object"]

Rule = Callable[[Errors, dict[str, Any]], None]
NameRule = Callable[[str], list[f.Message]]

# (API group, kind) -> (how its name is checked, whether it is namespaced, the rule for the rest)
KINDS: dict[tuple[str, str], tuple[NameRule, bool, Rule | None]] = {
    ("", "Pod"): (f.dns_subdomain, True, core.pod),
    ("", "Service"): (f.dns_label, True, core.service),  # a DNS-1123 label since 1.36 (RelaxedServiceNameValidation)
    ("", "Namespace"): (f.dns_label, False, core.namespace),
    ("", "ConfigMap"): (f.dns_subdomain, True, core.config_map),
    ("", "Secret"): (f.dns_subdomain, True, core.secret),
    ("", "ServiceAccount"): (f.dns_subdomain, True, None),
    ("", "ResourceQuota"): (f.dns_subdomain, True, core.resource_quota),
    ("", "LimitRange"): (f.dns_subdomain, True, core.limit_range),
    ("", "PersistentVolume"): (f.dns_subdomain, False, storage.persistent_volume),
    ("", "PersistentVolumeClaim"): (f.dns_subdomain, True, storage.persistent_volume_claim),
    ("apps", "Deployment"): (f.dns_subdomain, True, workloads.deployment),
    ("apps", "ReplicaSet"): (f.dns_subdomain, True, workloads.replica_set),
    ("apps", "DaemonSet"): (f.dns_subdomain, True, workloads.daemon_set),
    ("apps", "StatefulSet"): (f.dns_label, True, workloads.stateful_set),
    ("batch", "Job"): (f.dns_subdomain, True, workloads.job),
    ("batch", "CronJob"): (f.dns_subdomain, True, workloads.cron_job),
    ("autoscaling", "HorizontalPodAutoscaler"): (f.dns_subdomain, True, autoscaling.horizontal_pod_autoscaler),
    ("networking.k8s.io", "NetworkPolicy"): (f.dns_subdomain, True, networking.network_policy),
    ("networking.k8s.io", "Ingress"): (f.dns_subdomain, True, networking.ingress),
    ("networking.k8s.io", "IngressClass"): (f.dns_subdomain, False, None),
    ("rbac.authorization.k8s.io", "Role"): (f.path_segment, True, rbac.role),
    ("rbac.authorization.k8s.io", "ClusterRole"): (f.path_segment, False, rbac.role),
    ("rbac.authorization.k8s.io", "RoleBinding"): (f.path_segment, True, rbac.role_binding),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): (f.path_segment, False, rbac.role_binding),
    ("storage.k8s.io", "StorageClass"): (f.dns_subdomain, False, storage.storage_class),
    ("scheduling.k8s.io", "PriorityClass"): (f.dns_subdomain, False, None),
}


def validate_object(obj: dict[str, Any]) -> list[Rejection]:
    """Every reason the API server would refuse this object on create; [] for a kind it does not know here.

    Each rule reads only values of the types it expects: what the schema refuses is the schema's to report.
    """
    api_version, kind = text(obj.get("apiVersion")), text(obj.get("kind"))
    group = api_version.rpartition("/")[0]
    entry = KINDS.get((group, kind))
    if entry is None:
        return []
    name_rule, namespaced, rule = entry
    errors = Errors()
    _object_meta(errors, mapping(obj.get("metadata")), name_rule, namespaced, kind)
    if rule is not None:
        try:
            rule(errors, obj)
        except (TypeError, ValueError, AttributeError, KeyError, IndexError):
            pass  # a value of a shape no rule expects: the schema reports it, and grading never raises
    return list(errors)


def _object_meta(errors: Errors, meta: dict[str, Any], name_rule: NameRule, namespaced: bool, kind: str) -> None:
    """ValidateObjectMeta: a name (or generateName) that fits the kind, a namespace name, labels and annotations."""
    name, generate = text(meta.get("name")), text(meta.get("generateName"))
    if generate:
        masked = generate[:-2] + "a" if len(generate) > 1 and generate.endswith("-") else generate  # maskTrailingDash
        for en, ko in name_rule(masked):
            errors.invalid(("metadata", "generateName"), generate, en, ko)
    if not name and not generate:
        errors.required(("metadata", "name"), "name or generateName is required", "name이나 generateName이 있어야 합니다",
                        at=("metadata",))
    elif name:
        f.check_name(errors, ("metadata", "name"), name, name_rule(name))
        if kind == "CronJob" and len(name) > 52:
            errors.invalid(("metadata", "name"), name, "must be no more than 52 characters", "52자를 넘을 수 없습니다")
    namespace = text(meta.get("namespace"))
    if namespaced and namespace:
        f.check_name(errors, ("metadata", "namespace"), namespace, f.dns_label(namespace))
    f.validate_labels(errors, meta.get("labels"), ("metadata", "labels"))
    for key in mapping(meta.get("annotations")):
        if isinstance(key, str):
            for en, ko in f.qualified_name(key.lower()):
                errors.invalid(("metadata", "annotations"), key, en, ko, at=("metadata", "annotations", key))
