"""lint --live says why it cannot prove an exercise on this cluster instead of failing it: node faults, checks
that need containers on kwok's nodes, kinds the cluster does not serve."""

from __future__ import annotations

from exercises.loader import load_catalog
from graders.cluster_base import ClusterError, ClusterProblem
from graders.live_selftest import cannot_test, self_test_live

CATALOG = load_catalog(bundled=True, user=False)


class FakeCluster:
    """Nodes (kwok's or not) and the kinds discovery knows; nothing else is asked before the skip."""

    def __init__(self, kwok: bool, unknown: frozenset[str] = frozenset()):
        self.kwok, self.unknown = kwok, unknown

    def list(self, kind: str, *args, **kwargs):
        assert kind == "Node"
        annotations = {"kwok.x-k8s.io/node": "fake"} if self.kwok else {}
        return {"items": [{"metadata": {"name": n, "annotations": annotations}} for n in ("cp", "w1")]}

    def resource(self, kind: str, api_version: str | None = None):
        if kind in self.unknown:
            raise ClusterError(ClusterProblem("api", "ctx", "https://127.0.0.1", f"the server knows no kind {kind!r}"))
        return (api_version or "v1", kind.lower() + "s", True)


def test_node_faults_are_skipped_saying_why():
    reason = cannot_test(CATALOG.get("trouble-kubelet-stopped"), kube=FakeCluster(kwok=False))
    assert reason and "live.faults" in reason


def test_an_exec_check_is_skipped_on_kwok_nodes_only():
    exercise = next(e for e in CATALOG.exercises() if e.live and e.kind == "manifest" and not e.live.faults
                    and any(c.type == "exec" for c in e.live.checks))
    reason = cannot_test(exercise, kube=FakeCluster(kwok=True))
    assert reason and "kwok" in reason and "exec" in reason
    assert cannot_test(exercise, kube=FakeCluster(kwok=False)) is None


def test_an_exercise_that_needs_no_kubelet_runs_on_kwok_nodes():
    assert cannot_test(CATALOG.get("deploy-create"), kube=FakeCluster(kwok=True)) is None


def test_a_kind_the_cluster_does_not_serve_is_named():
    reason = cannot_test(CATALOG.get("net-gateway-httproute"), kube=FakeCluster(kwok=False, unknown=frozenset({"HTTPRoute", "Gateway"})))
    assert reason and ("HTTPRoute" in reason or "Gateway" in reason) and "CustomResourceDefinition" in reason


def test_a_kind_whose_crd_the_exercise_brings_counts_as_served():
    exercise = CATALOG.get("cluster-crd-resource")
    kinds = {d.get("spec", {}).get("names", {}).get("kind") for d in exercise.live.setup if d.get("kind") == "CustomResourceDefinition"}
    assert kinds, "the exercise installs a CRD in its setup"
    assert cannot_test(exercise, kube=FakeCluster(kwok=False, unknown=frozenset(kinds))) is None


def test_the_report_of_a_skipped_exercise_is_a_skip_not_a_failure():
    report = self_test_live(CATALOG.get("trouble-kubelet-stopped"), FakeCluster(kwok=True))
    assert report.skipped and not report.trials and report.error is None
