"""Reset deletes exactly what an exercise put on the cluster, quickly; setup and reset refuse non-practice contexts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from exercises.loader import load_catalog
from graders import cluster as live_cluster
from graders.cluster import connect
from graders.live import exercise_namespace

pytestmark = pytest.mark.cluster
PACK = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "live"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def kube(control_plane):
    return connect(control_plane.context, str(control_plane.kubeconfig))


@pytest.fixture(scope="module")
def exercise():
    return load_catalog([PACK], bundled=False, user=False).get("live-diagnose")


@pytest.fixture
def kubedojo(control_plane, tmp_path):
    """Run the CLI as a user would, against the test control plane, with an empty config."""

    def run(*args: str, context: str | None = None, config: str | None = None) -> tuple[int, dict, str]:
        (tmp_path / "config").mkdir(exist_ok=True)
        if config is not None:
            (tmp_path / "config" / "config.yaml").write_text(config)
        env = {**os.environ, "KUBEDOJO_CONFIG_DIR": str(tmp_path / "config"), "KUBEDOJO_DATA_DIR": str(tmp_path / "data")}
        cmd = [sys.executable, "-m", "app.cli", *args, "--pack", str(PACK), "--kubeconfig", str(control_plane.kubeconfig), "--json"]
        if context:
            cmd += ["--context", context]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
        return done.returncode, json.loads(done.stdout), done.stderr

    return run


def _names(kube, kind, namespace=None, labels=None):
    return sorted(i["metadata"]["name"] for i in kube.list(kind, namespace, labels=labels or "")["items"])


def test_reset_deletes_everything_of_the_exercise_and_nothing_else(kube, exercise):
    namespace = exercise_namespace(exercise)
    live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup)
    live_cluster.setup(kube, exercise.id, namespace, exercise.live.setup)
    # what a user makes: a pod inside the exercise's namespace, and their own things outside it
    kube.request("POST", kube.path("Pod", namespace), body={"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "mine"}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}})
    mine = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "users-own", "namespace": "default"}, "data": {"keep": "me"}}
    kube.request("DELETE", kube.path("ConfigMap", "default", "users-own"), missing_ok=True)
    kube.request("POST", kube.path("ConfigMap", "default"), body=mine)
    outcome = live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup, ["Pod"])
    assert not outcome.pending, outcome
    assert {"Namespace/live-diagnose", "PriorityClass/live-diagnose-low", "ConfigMap/cache-settings", "Pod/cache", "Pod/mine"} <= set(outcome.objects)
    assert _names(kube, "Pod", namespace) == [] and _names(kube, "PriorityClass", labels=live_cluster.selector(exercise.id)) == []
    left = kube.get("Namespace", namespace)
    assert left is None or left["metadata"].get("deletionTimestamp")
    assert live_cluster.gone(kube, "Namespace", None, 20, name=namespace), "the namespace goes once its controller got to it"
    assert kube.get("ConfigMap", "users-own", "default")["data"] == {"keep": "me"}
    print(f"reset took {outcome.seconds:.2f} s")
    kube.request("DELETE", kube.path("ConfigMap", "default", "users-own"), missing_ok=True)


def test_reset_twice_and_reset_of_what_was_never_set_up_are_fine(kube, exercise):
    namespace = exercise_namespace(exercise)
    live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup)
    again = live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup)
    assert again.objects == () and again.pending == ()


def test_setup_right_after_reset_waits_for_the_namespace_to_go(kube, exercise):
    namespace = exercise_namespace(exercise)
    live_cluster.setup(kube, exercise.id, namespace, exercise.live.setup)
    kube.delete("Namespace", name=namespace)  # still Terminating when setup starts
    outcome = live_cluster.setup(kube, exercise.id, namespace, exercise.live.setup)
    assert "Pod/cache" in outcome.objects
    assert kube.get("Pod", "cache", namespace)["metadata"]["labels"][live_cluster.EXERCISE_LABEL] == exercise.id
    live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup)


def test_setup_labels_every_object_and_applies_as_kubedojo(kube, exercise):
    namespace = exercise_namespace(exercise)
    live_cluster.setup(kube, exercise.id, namespace, exercise.live.setup)
    try:
        for kind, name, ns in (("Namespace", namespace, None), ("ConfigMap", "cache-settings", namespace), ("PriorityClass", "live-diagnose-low", None), ("Pod", "cache", namespace)):
            obj = kube.get(kind, name, ns)
            assert obj["metadata"]["labels"][live_cluster.MANAGED_BY] == "kubedojo"
            assert obj["metadata"]["labels"][live_cluster.EXERCISE_LABEL] == exercise.id
            assert any(m.get("manager") == "kubedojo" and m.get("operation") == "Apply" for m in obj["metadata"]["managedFields"])
    finally:
        live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup)


def test_the_guard_refuses_a_production_context_and_changes_nothing(kube, kubedojo):
    assert live_cluster.gone(kube, "Namespace", None, 20, name="live-web")
    for action in ("setup", "reset"):
        code, verdict, _ = kubedojo(action, "live-web", context="prod-admin")
        assert code == 2 and verdict["ok"] is False
        assert "not a practice context" in verdict["errors"][0]["message"] and "prod-admin" in verdict["errors"][0]["message"]
        assert "--allow-context prod-admin" in verdict["errors"][0]["hint"]
    assert kube.get("Namespace", "live-web") is None


def test_allow_context_and_the_config_let_kubedojo_use_another_context(kube, kubedojo):
    code, verdict, err = kubedojo("setup", "live-web", "--allow-context", "prod-admin", context="prod-admin")
    assert code == 0, err
    assert verdict["ok"] and verdict["context"] == "prod-admin" and "Namespace/live-web" in verdict["objects"]
    code, verdict, err = kubedojo("reset", "live-web", context="prod-admin", config="allowed_contexts: [prod-admin]\n")
    assert code == 0, err
    assert "Namespace/live-web" in verdict["objects"] and verdict["pending"] == []
    assert live_cluster.gone(kube, "Namespace", None, 20, name="live-web")


def test_the_practice_context_needs_no_permission(kube, kubedojo, control_plane):
    code, verdict, err = kubedojo("setup", "live-redis-fix", context=control_plane.context)
    assert code == 0, err
    assert verdict["objects"] == ["Namespace/live-redis-fix", "Pod/redis"]
    start = time.monotonic()
    code, verdict, err = kubedojo("reset", "live-redis-fix", context=control_plane.context)
    assert code == 0 and verdict["pending"] == [], err
    print(f"reset through the CLI: {verdict['seconds']:.2f} s ({time.monotonic() - start:.2f} s with start-up)")


def test_reset_never_deletes_cluster_scoped_objects_it_did_not_make(kube, exercise):
    namespace = exercise_namespace(exercise)
    live_cluster.setup(kube, exercise.id, namespace, exercise.live.setup)
    before = _names(kube, "ClusterRole")
    live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup, ["ClusterRole", "PersistentVolume", "Pod"])
    assert _names(kube, "ClusterRole") == before and "cluster-admin" in before
    with pytest.raises(ValueError):
        kube.delete("ClusterRole")


def test_a_namespace_that_was_there_before_is_never_claimed_or_deleted(kube, exercise):
    namespace = exercise_namespace(exercise)
    live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup, wait_namespace=True)
    kube.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace, "labels": {"team": "mine"}}})
    try:
        live_cluster.setup(kube, exercise.id, namespace, exercise.live.setup)
        labels = kube.get("Namespace", namespace)["metadata"].get("labels") or {}
        assert "app.kubernetes.io/managed-by" not in labels
        live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup)
        still = kube.get("Namespace", namespace)
        assert still is not None and not still["metadata"].get("deletionTimestamp")
        assert not kube.list("Pod", namespace, labels=live_cluster.selector(exercise.id))["items"]
    finally:
        kube.delete("Namespace", name=namespace)
        live_cluster.gone(kube, "Namespace", None, 60, name=namespace)
