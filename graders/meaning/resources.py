"""The built-in API resources of Kubernetes 1.35: group, plural, scope, subresources and extra verbs."""

from __future__ import annotations

from dataclasses import dataclass

STANDARD_VERBS = ("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection")


@dataclass(frozen=True)
class Resource:
    """One resource as discovery lists it."""

    group: str
    plural: str
    kind: str
    namespaced: bool
    subresources: tuple[str, ...] = ()
    verbs: tuple[str, ...] = STANDARD_VERBS


# group: "plural Kind scope [sub,sub] [+verb,+verb]; ..."  scope is ns (namespaced) or cl (cluster-wide)
_TABLE = {
    "": """pods Pod ns attach,binding,ephemeralcontainers,eviction,exec,log,portforward,proxy,resize,status;
        services Service ns proxy,status; endpoints Endpoints ns; configmaps ConfigMap ns; secrets Secret ns;
        serviceaccounts ServiceAccount ns token +impersonate; persistentvolumeclaims PersistentVolumeClaim ns status;
        events Event ns; limitranges LimitRange ns; resourcequotas ResourceQuota ns status;
        replicationcontrollers ReplicationController ns scale,status; podtemplates PodTemplate ns; bindings Binding ns;
        nodes Node cl proxy,status; namespaces Namespace cl finalize,status; persistentvolumes PersistentVolume cl status;
        componentstatuses ComponentStatus cl; users - cl - +impersonate; groups - cl - +impersonate; uids - cl - +impersonate""",
    "apps": """deployments Deployment ns scale,status; replicasets ReplicaSet ns scale,status; statefulsets StatefulSet ns scale,status;
        daemonsets DaemonSet ns status; controllerrevisions ControllerRevision ns""",
    "batch": "jobs Job ns status; cronjobs CronJob ns status",
    "autoscaling": "horizontalpodautoscalers HorizontalPodAutoscaler ns status",
    "networking.k8s.io": """networkpolicies NetworkPolicy ns; ingresses Ingress ns status; ingressclasses IngressClass cl;
        ipaddresses IPAddress cl; servicecidrs ServiceCIDR cl status""",
    "policy": "poddisruptionbudgets PodDisruptionBudget ns status",
    "rbac.authorization.k8s.io": """roles Role ns - +bind,+escalate; rolebindings RoleBinding ns;
        clusterroles ClusterRole cl - +bind,+escalate; clusterrolebindings ClusterRoleBinding cl""",
    "storage.k8s.io": """storageclasses StorageClass cl; volumeattachments VolumeAttachment cl status; csidrivers CSIDriver cl;
        csinodes CSINode cl; csistoragecapacities CSIStorageCapacity ns; volumeattributesclasses VolumeAttributesClass cl""",
    "discovery.k8s.io": "endpointslices EndpointSlice ns",
    "coordination.k8s.io": "leases Lease ns",
    "events.k8s.io": "events Event ns",
    "scheduling.k8s.io": "priorityclasses PriorityClass cl",
    "node.k8s.io": "runtimeclasses RuntimeClass cl",
    "certificates.k8s.io": "certificatesigningrequests CertificateSigningRequest cl approval,status; signers - cl - +approve,+sign",
    "apiextensions.k8s.io": "customresourcedefinitions CustomResourceDefinition cl status",
    "apiregistration.k8s.io": "apiservices APIService cl status",
    "admissionregistration.k8s.io": """mutatingwebhookconfigurations MutatingWebhookConfiguration cl;
        validatingwebhookconfigurations ValidatingWebhookConfiguration cl;
        validatingadmissionpolicies ValidatingAdmissionPolicy cl status; validatingadmissionpolicybindings ValidatingAdmissionPolicyBinding cl""",
    "authentication.k8s.io": "tokenreviews TokenReview cl; selfsubjectreviews SelfSubjectReview cl",
    "authorization.k8s.io": """subjectaccessreviews SubjectAccessReview cl; selfsubjectaccessreviews SelfSubjectAccessReview cl;
        selfsubjectrulesreviews SelfSubjectRulesReview cl; localsubjectaccessreviews LocalSubjectAccessReview ns""",
    "flowcontrol.apiserver.k8s.io": "flowschemas FlowSchema cl status; prioritylevelconfigurations PriorityLevelConfiguration cl status",
    "resource.k8s.io": """deviceclasses DeviceClass cl; resourceclaims ResourceClaim ns status; resourceclaimtemplates ResourceClaimTemplate ns;
        resourceslices ResourceSlice cl""",
}


def _parse() -> dict[tuple[str, str], Resource]:
    table: dict[tuple[str, str], Resource] = {}
    for group, text in _TABLE.items():
        for entry in text.split(";"):
            words = entry.split()
            plural, kind, scope = words[0], words[1], words[2]
            subresources = tuple(s for s in (words[3].split(",") if len(words) > 3 and words[3] != "-" else []) if s)
            extra = tuple(v.lstrip("+") for v in (words[4].split(",") if len(words) > 4 else []))
            table[(group, plural)] = Resource(group, plural, kind, scope == "ns", subresources, STANDARD_VERBS + extra)
    return table


RESOURCES: dict[tuple[str, str], Resource] = _parse()
"""(group, plural) -> the resource."""
GROUPS: frozenset[str] = frozenset(group for group, _ in RESOURCES)
BY_KIND: dict[str, Resource] = {r.kind.lower(): r for r in RESOURCES.values() if r.kind != "-" and (r.group, r.plural) != ("events.k8s.io", "events")}


def resource(group: str, plural: str) -> Resource | None:
    return RESOURCES.get((group, plural))


def groups_of(plural: str) -> list[str]:
    """The groups that have a resource of this name (`deployments` -> [apps])."""
    return [group for (group, name) in RESOURCES if name == plural]


def in_group(group: str) -> list[Resource]:
    return [r for (g, _), r in RESOURCES.items() if g == group]
