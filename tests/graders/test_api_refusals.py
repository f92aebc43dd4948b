"""A 403 is the caller's missing rights only when the API server says so; admission's 403s refuse the object itself, so
lint --live reports such an answer as refused (a counterexample that fails), not as a cluster that failed midway."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from graders.cluster import Cluster, ClusterError, ContextInfo, describe, status_kind
from graders.live_answers import ApplyRefused, apply_answer

# Status messages as kube-apiserver 1.3x words them (recorded from the test cluster, and kind's for the CSR signer).
CALLER_DENIED = [
    'pods is forbidden: User "kubedojo-limited" cannot list resource "pods" in API group "" in the namespace "default"',
    'nodes is forbidden: User "kubedojo-limited" cannot list resource "nodes" in API group "" at the cluster scope',
    'forbidden: User "system:anonymous" cannot get path "/version"',
    'users "alice" is forbidden: User "dev" cannot impersonate resource "users" in API group "" at the cluster scope',
    'clusterroles.rbac.authorization.k8s.io "reader" is forbidden: user "dev" (groups=["system:authenticated"]) is attempting to grant '
    'RBAC permissions not currently held:\n{APIGroups:[""], Resources:["nodes"], Verbs:["get"]}',
    'certificatesigningrequests.certificates.k8s.io "jane" is forbidden: user not permitted to approve requests with signerName '
    '"kubernetes.io/kube-apiserver-client"',
    "",
]
OBJECT_REFUSED = [
    'pods "build" is forbidden: error looking up service account ci/builder: serviceaccount "builder" not found',
    'pods "payment-worker" is forbidden: no PriorityClass with name payments-high was found',
    'pods "api" is forbidden: exceeded quota: compute, requested: requests.cpu=2, used: requests.cpu=0, limited: requests.cpu=1',
    'pods "api" is forbidden: failed quota: compute: must specify limits.cpu for: api; limits.memory for: api',
    'roles.rbac.authorization.k8s.io "deployer" is forbidden: unable to create new content in namespace ci because it is being terminated',
    'pods "web" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false',
    'pods "web" is forbidden: maximum cpu usage per Container is 500m, but limit is 1',
]


@pytest.mark.parametrize("message", CALLER_DENIED)
def test_a_403_about_the_callers_rights_is_forbidden(message):
    assert status_kind(403, message) == "forbidden"


@pytest.mark.parametrize("message", OBJECT_REFUSED)
def test_a_403_from_admission_is_the_object_refused(message):
    assert status_kind(403, message) == "api"


def test_other_statuses_keep_their_kind():
    assert status_kind(401, "Unauthorized") == "unauthorized"
    assert status_kind(422, 'Pod "web" is invalid: spec.containers: Required value') == "api"


class RecordedRest:
    """The REST layer answering each request from a list of (status, Status message), in order."""

    def __init__(self, answers: list[tuple[int, str]]):
        self.answers = answers
        self.requests: list[tuple[str, str]] = []

    def request(self, method, url, **_kwargs):
        self.requests.append((method, url))
        status, message = self.answers.pop(0)
        body = json.dumps({"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": message,
                           "reason": "Forbidden" if status == 403 else "", "code": status}).encode() if status >= 300 else b"{}"
        return SimpleNamespace(status=status, read=lambda: body)


def recorded_cluster(*answers: tuple[int, str]) -> Cluster:
    configuration = SimpleNamespace(host="https://127.0.0.1:6443", auth_settings=dict)
    return Cluster(ContextInfo("kind-kubedojo", "https://127.0.0.1:6443", "kubeconfig"), configuration, RecordedRest(list(answers)))


POD_WITHOUT_ITS_SERVICE_ACCOUNT = """\
apiVersion: v1
kind: Pod
metadata: {name: build, namespace: ci}
spec:
  serviceAccountName: builder
  containers: [{name: build, image: busybox:1.36, command: [sleep, "3600"]}]
"""


def test_an_answer_admission_refuses_is_refused_with_the_servers_words():
    kube = recorded_cluster((404, "not found"), (403, OBJECT_REFUSED[0]))  # GET the pod (none yet), then the apply
    made: list = []
    with pytest.raises(ApplyRefused) as refused:
        apply_answer(kube, POD_WITHOUT_ITS_SERVICE_ACCOUNT, "ci", made)
    assert str(refused.value) == f"the API server refuses it: {OBJECT_REFUSED[0]}"
    assert made == [("Pod", "ci", "build")] and kube.rest.requests[-1][0] == "PATCH"


def test_an_answer_the_callers_rights_cannot_apply_is_a_cluster_problem_asking_for_admin_rights():
    denied = 'pods "build" is forbidden: User "kubedojo-limited" cannot patch resource "pods" in API group "" in the namespace "ci"'
    kube = recorded_cluster((404, "not found"), (403, denied))
    with pytest.raises(ClusterError) as failed:
        apply_answer(kube, POD_WITHOUT_ITS_SERVICE_ACCOUNT, "ci", [])
    message, hint = describe(failed.value.problem)
    assert failed.value.problem.kind == "forbidden" and "403 Forbidden" in message and "admin rights" in hint
