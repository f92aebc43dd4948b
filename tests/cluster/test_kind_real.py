"""What kwok cannot simulate, on a real kind cluster named by KUBEDOJO_TEST_CONTEXT: exec, a static pod's mirror pod, a liveness restart."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from exercises.loader import load_catalog
from graders import cluster as live_cluster
from graders.cluster import connect
from graders.live import exercise_namespace, grade_live

CONTEXT = os.environ.get("KUBEDOJO_TEST_CONTEXT")
pytestmark = [
    pytest.mark.kind,
    pytest.mark.skipif(
        not CONTEXT,
        reason="needs a real kind cluster: set KUBEDOJO_TEST_CONTEXT to its context (e.g. kind-kubedojo after `kubedojo cluster up`); "
        "kwok has no kubelet to exec into containers, start static pods or restart a failing container",
    ),
]
PACK = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "live"


@pytest.fixture(scope="module")
def kube():
    return connect(CONTEXT, os.environ.get("KUBEDOJO_TEST_KUBECONFIG"))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog([PACK], bundled=True, user=False)


def fresh(kube, exercise) -> str:
    namespace = exercise_namespace(exercise)
    live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup)
    live_cluster.setup(kube, exercise.id, namespace, exercise.live.setup)
    return namespace


def user_apply(kube, obj: dict, namespace: str) -> None:
    obj = json.loads(json.dumps(obj))
    obj.setdefault("metadata", {})["namespace"] = namespace
    obj.pop("status", None)
    path = kube.path(obj["kind"], namespace, obj["metadata"]["name"], obj.get("apiVersion"))
    kube.request("PATCH", path, [("fieldManager", "kubectl"), ("force", "true")], json.dumps(obj), content_type="application/apply-patch+yaml")


def box(command: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "box"}, "spec": {"containers": [{"name": "box", "image": "busybox:1.36", "command": ["sh", "-c", command]}]}}


def test_exec_runs_the_command_in_the_container(kube, catalog):
    exercise = catalog.get("live-exec")
    namespace = fresh(kube, exercise)
    try:
        user_apply(kube, box("touch /tmp/ready; sleep 3600"), namespace)
        report = grade_live(exercise, kube)
        assert report.passed, report.to_json()
    finally:
        live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup)


def test_exec_fails_on_a_nonzero_exit_code(kube, catalog):
    exercise = catalog.get("live-exec")
    namespace = fresh(kube, exercise)
    try:
        user_apply(kube, box("sleep 3600"), namespace)
        report = grade_live(exercise, kube)
        results = {r.check_id: r for r in report.results}
        assert results["file"].status == "fail" and "exited 1" in results["file"].message
        assert results["hostname"].status == "pass"
    finally:
        live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup)


def test_a_liveness_probe_really_restarts_the_container(kube, catalog):
    exercise = catalog.get("pod-liveness-exec")
    if exercise is None or exercise.live is None:
        pytest.skip("the bundled pod-liveness-exec exercise is not there (yet)")
    namespace = fresh(kube, exercise)
    try:
        for obj in yaml.safe_load_all(exercise.solution):
            user_apply(kube, obj, namespace)
        report = grade_live(exercise, kube)  # waits (watching) until the kubelet restarted it
        assert report.passed, report.to_json()
    finally:
        live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup)


def test_the_broken_redis_pod_really_fails_to_pull_and_passes_once_fixed(kube, catalog):
    exercise = catalog.get("pod-redis-fix-image")
    if exercise is None or exercise.live is None:
        pytest.skip("the bundled pod-redis-fix-image exercise is not there (yet)")
    namespace = fresh(kube, exercise)
    try:
        assert not grade_live(exercise, kube).passed
        for obj in yaml.safe_load_all(exercise.solution):
            kube.request("DELETE", kube.path("Pod", namespace, obj["metadata"]["name"]), [("gracePeriodSeconds", 0)], missing_ok=True)
            kube.wait_for("Pod", namespace, lambda items: not items, 30, fields=f"metadata.name={obj['metadata']['name']}")
            user_apply(kube, obj, namespace)
        assert grade_live(exercise, kube).passed
    finally:
        live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup)


def test_a_static_pod_is_graded_by_its_mirror_pod(kube, catalog):
    exercise = catalog.get("static-pod")
    if exercise is None:
        pytest.skip("the bundled static-pod exercise is not there (yet)")
    if shutil.which("docker") is None:
        pytest.skip("writing a static pod manifest onto a kind node needs docker")
    node = next(n["metadata"]["name"] for n in kube.list("Node")["items"] if "node-role.kubernetes.io/control-plane" not in n["metadata"].get("labels", {}))
    manifest = "/etc/kubernetes/manifests/static-web.yaml"
    subprocess.run(["docker", "exec", "-i", node, "sh", "-c", f"cat > {manifest}"], input=exercise.solution, text=True, check=True)
    try:
        report = grade_live(exercise, kube)
        assert report.passed, report.to_json()
        assert node in report.results[-1].message
    finally:
        subprocess.run(["docker", "exec", node, "rm", "-f", manifest], check=False)
