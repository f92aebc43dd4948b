"""kubectl's names for resources: every plural, singular and short name of the built-in ones, in canonical form."""

from __future__ import annotations

# "plural singular short..." per resource; unknown words stay as typed, lowercased.
_RESOURCES = """
pods pod po; services service svc; deployments deployment deploy; replicasets replicaset rs; jobs job;
daemonsets daemonset ds; statefulsets statefulset sts; cronjobs cronjob cj; namespaces namespace ns; nodes node no;
configmaps configmap cm; secrets secret; serviceaccounts serviceaccount sa; endpoints endpoints ep; events event ev;
persistentvolumes persistentvolume pv; persistentvolumeclaims persistentvolumeclaim pvc; storageclasses storageclass sc;
ingresses ingress ing; ingressclasses ingressclass; networkpolicies networkpolicy netpol; endpointslices endpointslice;
horizontalpodautoscalers horizontalpodautoscaler hpa; poddisruptionbudgets poddisruptionbudget pdb;
priorityclasses priorityclass pc; resourcequotas resourcequota quota; limitranges limitrange limits;
roles role; rolebindings rolebinding; clusterroles clusterrole; clusterrolebindings clusterrolebinding;
customresourcedefinitions customresourcedefinition crd crds; certificatesigningrequests certificatesigningrequest csr;
replicationcontrollers replicationcontroller rc; componentstatuses componentstatus cs; leases lease;
runtimeclasses runtimeclass; volumeattachments volumeattachment; csidrivers csidriver; csinodes csinode;
podtemplates podtemplate; controllerrevisions controllerrevision; apiservices apiservice;
mutatingwebhookconfigurations mutatingwebhookconfiguration;
validatingwebhookconfigurations validatingwebhookconfiguration
"""
_PLURAL = {alias: entry.split()[0] for entry in _RESOURCES.split(";") for alias in entry.split()}
_KIND = {entry.split()[0]: entry.split()[1] for entry in _RESOURCES.split(";")}


def _plural(word: str) -> str:
    lower = word.lower()
    if lower in _PLURAL:
        return _PLURAL[lower]
    head, dot, _ = lower.partition(".")  # deployments.apps, deployments.v1.apps
    return _PLURAL[head] if dot and head in _PLURAL else lower

def _typed(word: str) -> tuple[str, str] | None:
    kind, slash, name = word.partition("/")
    return (_plural(kind), name) if slash and kind and name else None

def singular(resource: str) -> str:
    """The lowercase kind of a canonical plural resource ("deployments" -> "deployment"); others as given."""
    return _KIND.get(resource, resource)

def plural(word: str) -> str:
    """The canonical plural resource a word names ("deploy", "Deployment", "deployments.apps" -> "deployments")."""
    return _plural(word)
