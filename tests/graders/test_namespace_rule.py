"""One namespace rule, offline as live: an object naming no namespace lands in the exercise's namespace (where the app's
terminal, `kubedojo setup` and lint --live apply it); one naming another namespace is there; cluster-scoped kinds have
none. Graded on bundled exercises whose namespace the task names (dev, shop)."""

import pytest

from exercises.loader import load_catalog
from graders.grade import grade
from graders.subject import land

EXERCISES = {e.id: e for e in load_catalog(bundled=True, user=False).exercises()}

ROLE = """apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader%s}
rules:
- {apiGroups: [""], resources: [pods], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-pod-reader%s}
subjects:
- {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
roleRef: {kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
"""


@pytest.mark.parametrize(("role_ns", "binding_ns", "right"), [
    ("", "", True),  # both land in dev
    (", namespace: dev", "", True),
    ("", ", namespace: dev", True),
    (", namespace: dev", ", namespace: default", False),  # the binding is elsewhere: jane gets nothing in dev
    (", namespace: default", ", namespace: default", False),
    (", namespace: other", "", False),  # the binding in dev points at a Role that is not there
])
def test_a_manifest_without_namespaces_lands_in_the_exercise_namespace(role_ns: str, binding_ns: str, right: bool):
    report = grade(EXERCISES["rbac-role-binding"], ROLE % (role_ns, binding_ns))
    assert report.passed is right, [(r.check_id, r.message) for r in report.results if not r.passed]


@pytest.mark.parametrize(("line", "right"), [
    ("kubectl create service externalname orders-db --external-name orders.db.example.com", True),
    ("kubectl -n shop create service externalname orders-db --external-name orders.db.example.com", True),
    ("kubectl -n default create service externalname orders-db --external-name orders.db.example.com", False),
])
def test_commands_without_n_act_in_the_exercise_namespace(line: str, right: bool):
    report = grade(EXERCISES["svc-externalname"], line)
    assert report.passed is right, [(r.check_id, r.message) for r in report.results if not r.passed] + [e.message for e in report.errors]


def test_cluster_scoped_kinds_get_no_namespace_and_crds_follow_their_scope():
    objects = [
        {"kind": "ClusterRole", "metadata": {"name": "a"}},
        {"kind": "PersistentVolume", "metadata": {"name": "b"}},
        {"kind": "GatewayClass", "metadata": {"name": "c"}},  # bundled CRD, cluster-scoped
        {"kind": "Gateway", "metadata": {"name": "d"}},  # bundled CRD, namespaced
        {"kind": "CustomResourceDefinition", "metadata": {"name": "backups.example.com"},
         "spec": {"scope": "Cluster", "names": {"kind": "Backup"}}},
        {"kind": "Backup", "metadata": {"name": "e"}},
        {"kind": "Widget", "metadata": {"name": "f"}},  # unknown: namespaced, as most kinds are
        {"kind": "Pod"},  # no metadata at all
        {"kind": "Pod", "metadata": {"name": "g", "namespace": "kube-system"}},
        {"kind": "Pod", "metadata": "not a mapping"},
    ]
    land(objects, "shop")
    spaces = [o["metadata"].get("namespace") if isinstance(o["metadata"], dict) else o["metadata"] for o in objects]
    assert spaces == [None, None, None, "shop", None, None, "shop", "shop", "kube-system", "not a mapping"]


def test_an_exercise_without_a_namespace_is_set_in_default():
    exercise = next(e for e in EXERCISES.values() if e.kind == "manifest" and not (e.live and e.live.namespace) and e.solution)
    from graders.subject import exercise_namespace

    assert exercise_namespace(exercise) == "default"


def test_the_kinds_kubedojo_knows_agree_on_their_scope():
    from graders.cluster_base import CLUSTER_SCOPED_KINDS, KINDS
    from graders.kubectl_effect_verbs import CLUSTER_SCOPED

    assert {kind for kind, (_, _, namespaced) in KINDS.items() if not namespaced} <= CLUSTER_SCOPED_KINDS
    assert not {kind for kind, (_, _, namespaced) in KINDS.items() if namespaced} & CLUSTER_SCOPED_KINDS
    assert {"nodes", "storageclasses", "clusterrolebindings", "customresourcedefinitions"} <= CLUSTER_SCOPED
    assert "pods" not in CLUSTER_SCOPED
