"""What every part of the live cluster code shares: the labels kubedojo writes, the kinds it knows, and the one error
type (a cluster problem as data, put into words in one place)."""

from __future__ import annotations

import re
from dataclasses import dataclass

FIELD_MANAGER = "kubedojo"
MANAGED_BY = "app.kubernetes.io/managed-by"
EXERCISE_LABEL = "kubedojo.dev/exercise"
CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 10.0
WATCH_SEGMENT = 5.0
"""With a stop signal, a watch lasts at most this long before it is renewed (and the signal looked at)."""

# kind -> (apiVersion, plural, namespaced); other kinds are found through discovery.
KINDS: dict[str, tuple[str, str, bool]] = {
    "Namespace": ("v1", "namespaces", False), "Node": ("v1", "nodes", False), "PersistentVolume": ("v1", "persistentvolumes", False),
    "Pod": ("v1", "pods", True), "Service": ("v1", "services", True), "ConfigMap": ("v1", "configmaps", True), "Secret": ("v1", "secrets", True),
    "ServiceAccount": ("v1", "serviceaccounts", True), "PersistentVolumeClaim": ("v1", "persistentvolumeclaims", True),
    "Endpoints": ("v1", "endpoints", True), "Event": ("v1", "events", True), "LimitRange": ("v1", "limitranges", True),
    "ResourceQuota": ("v1", "resourcequotas", True), "Deployment": ("apps/v1", "deployments", True), "DaemonSet": ("apps/v1", "daemonsets", True),
    "StatefulSet": ("apps/v1", "statefulsets", True), "ReplicaSet": ("apps/v1", "replicasets", True), "Job": ("batch/v1", "jobs", True),
    "CronJob": ("batch/v1", "cronjobs", True), "Role": ("rbac.authorization.k8s.io/v1", "roles", True),
    "RoleBinding": ("rbac.authorization.k8s.io/v1", "rolebindings", True), "ClusterRole": ("rbac.authorization.k8s.io/v1", "clusterroles", False),
    "ClusterRoleBinding": ("rbac.authorization.k8s.io/v1", "clusterrolebindings", False),
    "NetworkPolicy": ("networking.k8s.io/v1", "networkpolicies", True), "Ingress": ("networking.k8s.io/v1", "ingresses", True),
    "IngressClass": ("networking.k8s.io/v1", "ingressclasses", False), "EndpointSlice": ("discovery.k8s.io/v1", "endpointslices", True),
    "StorageClass": ("storage.k8s.io/v1", "storageclasses", False), "HorizontalPodAutoscaler": ("autoscaling/v2", "horizontalpodautoscalers", True),
    "PodDisruptionBudget": ("policy/v1", "poddisruptionbudgets", True), "PriorityClass": ("scheduling.k8s.io/v1", "priorityclasses", False),
}

CLUSTER_SCOPED_KINDS = frozenset({
    "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "IngressClass", "StorageClass",
    "PriorityClass", "CustomResourceDefinition", "CertificateSigningRequest", "RuntimeClass", "CSIDriver", "CSINode",
    "VolumeAttachment", "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding", "ComponentStatus", "FlowSchema", "PriorityLevelConfiguration", "GatewayClass",
    "DeviceClass", "IPAddress", "ServiceCIDR", "SelfSubjectAccessReview", "SelfSubjectRulesReview",
    "SubjectAccessReview", "TokenReview", "SelfSubjectReview", "ClusterTrustBundle", "StorageVersionMigration",
    "VolumeAttributesClass",
})
"""Kinds the API server keeps outside namespaces (`kubectl api-resources --namespaced=false`, v1.37); a kind not
here is namespaced unless a CustomResourceDefinition says `scope: Cluster`."""


@dataclass(frozen=True)
class ClusterProblem:
    """Why kubedojo could not use a cluster; `describe` turns it into words."""

    kind: str
    """no-kubeconfig, bad-kubeconfig, no-context, unreachable, timeout, tls, unauthorized, forbidden, not-practice, api"""
    context: str = ""
    server: str = ""
    detail: str = ""


USER_DENIED = re.compile(r'\b[Uu]ser "[^"]*" cannot |attempting to grant RBAC permissions not currently held|\buser not permitted to ')
"""How the API server words a 403 about the caller's own rights: the authorizer's `User "u" cannot VERB resource ...`
(impersonation too), RBAC's escalation check, a CSR signer's approve or sign permission."""


def status_kind(status: int, message: str) -> str:
    """The problem kind of an API error: a 403 is `forbidden` only when the caller's rights are short; admission's 403s
    (a missing service account, an exceeded quota, a namespace being deleted) refuse the object itself, as a 422 does."""
    if status == 401:
        return "unauthorized"
    if status == 403 and (not message or USER_DENIED.search(message)):  # an unworded 403 is read as the authorizer's
        return "forbidden"
    return "api"


class ClusterError(Exception):
    """A cluster could not be used; carries the problem as data."""

    def __init__(self, problem: ClusterProblem) -> None:
        super().__init__(describe(problem)[0])
        self.problem = problem


def describe(problem: ClusterProblem, lang: str = "en") -> tuple[str, str | None]:
    """The one place a cluster problem becomes a message and a hint."""
    where = f"context {problem.context!r} (server {problem.server or '?'})"
    where_ko = f"컨텍스트 {problem.context!r} (서버 {problem.server or '?'})"
    d = problem.detail
    texts: dict[str, tuple[str, str, tuple[str, str] | None]] = {
        "no-kubeconfig": (f"no kubeconfig: {d} does not exist", f"kubeconfig가 없습니다: {d} 파일이 없습니다", ("start a practice cluster with `kubedojo cluster up`, or pass --kubeconfig", "`kubedojo cluster up`으로 연습용 클러스터를 시작하거나 --kubeconfig를 지정하세요")),
        "bad-kubeconfig": (f"cannot use the kubeconfig for {where}: {d}", f"{where_ko}의 kubeconfig를 쓸 수 없습니다: {d}", None),
        "no-context": (f"no context {problem.context!r} in the kubeconfig: {d}", f"kubeconfig에 컨텍스트 {problem.context!r}가 없습니다: {d}", ("`kubectl config get-contexts` lists them", "`kubectl config get-contexts`로 컨텍스트 목록을 볼 수 있습니다")),
        "unreachable": (f"cannot reach the cluster of {where}: {d}", f"{where_ko}의 클러스터에 연결할 수 없습니다: {d}", ("is the cluster running? `kubedojo cluster up` starts the practice cluster", "클러스터가 실행 중인가요? `kubedojo cluster up`으로 연습용 클러스터를 시작합니다")),
        "timeout": (f"the cluster of {where} did not answer in time: {d}", f"{where_ko}의 클러스터가 제시간에 응답하지 않았습니다: {d}", ("is the cluster running? `kubedojo cluster status`", "클러스터가 실행 중인가요? `kubedojo cluster status`로 확인하세요")),
        "tls": (f"TLS with the cluster of {where} failed: {d}", f"{where_ko}의 클러스터와 TLS 연결에 실패했습니다: {d}", ("the kubeconfig's certificates may be stale: `kind export kubeconfig --name kubedojo`", "kubeconfig의 인증서가 오래되었을 수 있습니다: `kind export kubeconfig --name kubedojo`")),
        "unauthorized": (f"the cluster rejected the credentials of {where} (401 Unauthorized): {d}", f"{where_ko}의 자격 증명이 거부되었습니다 (401 Unauthorized): {d}", ("the credentials may have expired: get a fresh kubeconfig (`kind export kubeconfig --name kubedojo`)", "자격 증명이 만료되었을 수 있습니다: kubeconfig를 새로 받으세요 (`kind export kubeconfig --name kubedojo`)")),
        "forbidden": (f"the user of {where} is not allowed to do this (403 Forbidden): {d}", f"{where_ko}의 사용자에게 권한이 없습니다 (403 Forbidden): {d}", ("use a context with admin rights on the practice cluster", "연습용 클러스터의 관리자 권한이 있는 컨텍스트를 쓰세요")),
        "not-practice": (
            f"refusing to change {where}: it is not a practice context (kubedojo changes only kind-* contexts and those you allow); nothing was changed",
            f"{where_ko}는 연습용 컨텍스트가 아니므로 변경하지 않습니다 (kind-* 컨텍스트와 허용한 컨텍스트만 변경합니다); 아무것도 바뀌지 않았습니다",
            (f"if this really is a throw-away cluster, pass --allow-context {problem.context} or add it to allowed_contexts in kubedojo's config",
             f"정말 버려도 되는 클러스터라면 --allow-context {problem.context}를 주거나 kubedojo 설정의 allowed_contexts에 추가하세요"),
        ),
        "api": (f"the cluster of {where} refused: {d}", f"{where_ko}의 클러스터가 거부했습니다: {d}", None),
    }
    from graders.messages import say

    en, ko_text, hint = texts.get(problem.kind, texts["api"])
    return say(lang, en, ko_text), (say(lang, *hint) if hint else None)
