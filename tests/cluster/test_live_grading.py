"""Live grading on the real control plane: set up, solve through the API as a user would, check."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from exercises.loader import load_catalog
from graders import cluster as live_cluster
from graders.cluster import connect
from graders.live import exercise_namespace, grade_live
from tests.bounds import HANG_SECONDS

pytestmark = pytest.mark.cluster
PACK = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "live"


@pytest.fixture(scope="module")
def kube(control_plane):
    return connect(control_plane.context, str(control_plane.kubeconfig))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog([PACK], bundled=False, user=False)


@pytest.fixture(scope="module", autouse=True)
def reset_afterwards(kube, catalog):
    """Leave the shared control plane as the tests found it."""
    yield
    for exercise in catalog.exercises():
        live_cluster.reset(kube, exercise.id, exercise_namespace(exercise), exercise.live.setup)


def patient(exercise, seconds: float = 10 * HANG_SECONDS):
    """The exercise with every pod check waiting far longer than HANG_SECONDS: one that waits is seen."""
    checks = [c.model_copy(update={"timeout_seconds": seconds}) if c.type in {"pod_phase", "pod_ready", "container_state"} else c
              for c in exercise.live.checks]
    return exercise.model_copy(update={"live": exercise.live.model_copy(update={"checks": checks})})


def fresh(kube, exercise):
    """The exercise's starting state, whatever an earlier test left."""
    live_cluster.reset(kube, exercise.id, exercise_namespace(exercise), exercise.live.setup)
    live_cluster.setup(kube, exercise.id, exercise_namespace(exercise), exercise.live.setup)
    return exercise_namespace(exercise)


def user_apply(kube, obj: dict, namespace: str) -> dict:
    """What `kubectl apply --server-side --force-conflicts -n NS` does (field manager kubectl, no kubedojo labels)."""
    obj = json.loads(json.dumps(obj))
    obj.setdefault("metadata", {})["namespace"] = namespace
    path = kube.path(obj["kind"], namespace, obj["metadata"]["name"], obj.get("apiVersion"))
    return kube.request("PATCH", path, [("fieldManager", "kubectl"), ("force", "true")], json.dumps(obj), content_type="application/apply-patch+yaml")


def replace_force(kube, obj: dict, namespace: str) -> None:
    """`kubectl replace --force -f`: delete now, create again (kwok does not re-stage a pod whose image is edited in place)."""
    name = obj["metadata"]["name"]
    kube.request("DELETE", kube.path(obj["kind"], namespace, name), [("gracePeriodSeconds", 0)], missing_ok=True)
    kube.wait_for(obj["kind"], namespace, lambda items: not items, 30, fields=f"metadata.name={name}")
    user_apply(kube, obj, namespace)


def pod(name: str, image: str, **labels: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": labels}, "spec": {"containers": [{"name": name, "image": image}]}}


def statuses(report) -> dict[str, str]:
    return {r.check_id: r.status for r in report.results}


def test_a_solved_exercise_passes_every_check(kube, catalog):
    exercise = catalog.get("live-web")
    namespace = fresh(kube, exercise)
    user_apply(kube, pod("web", "nginx:1.25"), namespace)
    report = grade_live(exercise, kube)
    assert report.passed, report.to_json()
    assert report.mode == "live" and report.score == report.max_score == 6


def test_a_wrong_image_fails_at_once_and_behaviour_is_looked_at_once(kube, catalog):
    exercise = catalog.get("live-web")
    namespace = fresh(kube, exercise)
    user_apply(kube, pod("web", "nginx:1.24"), namespace)
    kube.wait_for("Pod", namespace, lambda pods: bool(pods) and pods[0].get("status", {}).get("phase") == "Running", 20, fields="metadata.name=web")
    report = grade_live(exercise, kube)
    assert not report.passed
    assert statuses(report) == {"exists": "pass", "image": "fail", "running": "pass", "ready": "pass", "no-restarts": "pass", "scheduled": "pass"}
    assert "nginx:1.24" in next(r.message for r in report.results if r.check_id == "image")
    user_apply(kube, pod("web2", "nginx:1.24"), namespace)  # just created: still Pending, and nobody waits for it
    report = grade_live(exercise.model_copy(update={"target": exercise.target.model_copy(update={"name": "web2"})}), kube)
    assert statuses(report)["image"] == "fail"
    assert all("not waited for: check image already fails" in r.message for r in report.results if r.status == "fail" and r.check_id != "image")


def test_a_missing_pod_fails_at_once_without_waiting(kube, catalog):
    exercise = catalog.get("live-web")
    fresh(kube, exercise)
    start = time.monotonic()
    report = grade_live(patient(exercise), kube, "ko")
    assert statuses(report)["exists"] == "fail" and statuses(report)["ready"] == "fail"
    # only the event check waits (10 s, for an event that cannot come); the pod checks do not wait at all
    assert time.monotonic() - start < HANG_SECONDS, "a pod check waited for its timeout"


def test_a_pod_created_just_now_is_waited_for_until_ready(kube, catalog):
    exercise = catalog.get("live-web")
    namespace = fresh(kube, exercise)
    user_apply(kube, pod("web", "nginx:1.25"), namespace)
    report = grade_live(exercise, kube)  # no sleep before: the pod is Pending when grading starts
    assert statuses(report)["ready"] == "pass"


def test_the_broken_redis_pod_is_in_image_pull_back_off_until_its_image_is_fixed(kube, catalog):
    exercise = catalog.get("live-redis-fix")
    namespace = fresh(kube, exercise)
    items = kube.wait_for("Pod", namespace, lambda pods: any("ImagePullBackOff" in json.dumps(p.get("status")) for p in pods), 20, fields="metadata.name=redis")
    assert "ImagePullBackOff" in json.dumps(items[0]["status"])
    start = time.monotonic()
    report = grade_live(patient(exercise), kube)
    assert statuses(report) == {"image": "fail", "running": "fail", "ready": "fail"}
    assert "ImagePullBackOff" in next(r.message for r in report.results if r.check_id == "running")
    assert time.monotonic() - start < HANG_SECONDS, "a pod that cannot pull its image fails at once, not after the timeout"
    replace_force(kube, pod("redis", "redis:7"), namespace)
    report = grade_live(exercise, kube)
    assert report.passed, report.to_json()


def test_container_state_sees_image_pull_back_off(kube, catalog):
    exercise = catalog.get("live-diagnose")
    fresh(kube, exercise)
    report = grade_live(exercise, kube)
    assert report.passed, report.to_json()


def test_endpoints_count_only_when_the_service_selects_the_pods(kube, catalog):
    exercise = catalog.get("live-service")
    namespace = fresh(kube, exercise)
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api"}, "spec": {"selector": {"app": "apii"}, "ports": [{"port": 80}]}}
    user_apply(kube, service, namespace)
    report = grade_live(exercise, kube)
    assert statuses(report) == {"selector": "fail", "endpoints": "fail"}
    assert "0 ready endpoint" in report.results[1].message
    service["spec"]["selector"] = {"app": "api"}
    user_apply(kube, service, namespace)
    report = grade_live(exercise, kube)
    assert report.passed, report.to_json()


def test_exec_without_a_kubelet_is_an_error_result_not_a_crash(kube, catalog):
    exercise = catalog.get("live-exec")
    namespace = fresh(kube, exercise)
    user_apply(kube, pod("box", "busybox:1.36"), namespace)
    report = grade_live(exercise, kube)
    assert statuses(report)["exists"] == "pass"
    assert {statuses(report)["file"], statuses(report)["hostname"]} <= {"error", "fail"}
    assert all(r.message for r in report.results)


def test_grading_reads_the_same_object_shape_offline_grading_sees(kube, catalog):
    exercise = catalog.get("live-web")
    namespace = fresh(kube, exercise)
    user_apply(kube, pod("web", "nginx:1.25"), namespace)
    obj = kube.get("Pod", "web", namespace)
    assert obj["kind"] == "Pod" and obj["apiVersion"] == "v1"
    assert "restartPolicy" in obj["spec"] and "containers" in obj["spec"]  # camelCase, as in YAML


def test_a_mirror_pod_is_found_by_its_annotation_and_node(kube, control_plane):
    """A pod applied with kubectl is no static pod; a mirror pod is (a kubelet's on real nodes, posted by hand on kwok's)."""
    exercise = load_catalog(bundled=True, user=False).get("static-pod")
    if exercise is None:
        pytest.skip("the bundled static-pod exercise is not there")
    check = exercise.live.checks[0].model_copy(update={"timeout_seconds": 3})
    exercise = exercise.model_copy(update={"live": exercise.live.model_copy(update={"checks": [check]})})
    plain = pod("static-web", "nginx:1.14")
    mirror = pod("static-web-kubedojo-worker", "nginx:1.14")
    mirror["metadata"]["annotations"] = {"kubernetes.io/config.mirror": "0123456789abcdef", "kubernetes.io/config.source": "file"}
    mirror["spec"]["nodeName"] = "kubedojo-worker"
    manifest = "/etc/kubernetes/manifests/static-web.yaml"
    try:
        user_apply(kube, plain, "default")  # kubectl apply of the manifest: not a static pod
        report = grade_live(exercise, kube)
        assert not report.passed and "/etc/kubernetes/manifests" in report.results[0].message
        kube.request("DELETE", kube.path("Pod", "default", "static-web"), [("gracePeriodSeconds", 0)], missing_ok=True)
        if control_plane.real_nodes:  # a kubelet would delete a mirror pod that no static pod of its own backs
            done = control_plane.node_shell("kubedojo-worker", f"cat > {manifest}", input=yaml.safe_dump(plain))
            assert done.returncode == 0, done.stderr
            kube.wait_for("Pod", "default", bool, 60, fields="metadata.name=static-web-kubedojo-worker")
        else:
            user_apply(kube, mirror, "default")
        report = grade_live(exercise, kube)
        assert report.passed, report.to_json()
        assert "kubedojo-worker" in report.results[0].message
    finally:
        if control_plane.real_nodes:
            control_plane.node_shell("kubedojo-worker", f"rm -f {manifest}")
        for name in ("static-web", "static-web-kubedojo-worker"):
            kube.request("DELETE", kube.path("Pod", "default", name), [("gracePeriodSeconds", 0)], missing_ok=True)
        kube.wait_for("Pod", "default", lambda items: not items, 60, fields="metadata.name=static-web-kubedojo-worker")
