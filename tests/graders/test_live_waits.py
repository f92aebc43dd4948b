"""Live grading's waits on scripted states: wait while the status lags the spec, look once when the spec fails, wait side by side."""

from __future__ import annotations

import threading

import pytest
import yaml

from exercises.loader import load_catalog
from exercises.model import Exercise
from graders import live, live_exec
from graders.live import grade_live
from graders.live_exec import ExecStatus
from tests.graders.live_script import ScriptedCluster
from tests.graders.test_live_status import SET_IMAGE, pod, running, waiting

CATALOG = load_catalog(bundled=True, user=False)


@pytest.fixture(autouse=True)
def quick_progress(monkeypatch):
    monkeypatch.setattr(live, "PROGRESS_SECONDS", 0.01)


def statuses(report) -> dict[str, str]:
    return {r.check_id: r.status for r in report.results}


def message(report, check_id: str) -> str:
    return next(r.message for r in report.results if r.check_id == check_id)


def redis_fixed_in_place(status: dict) -> dict:
    """`kubectl set image pod/redis redis=redis` on the broken pod: the spec says redis, the status is what the kubelet last wrote."""
    obj = pod("redis", status, generation=2, observed=1, fields=SET_IMAGE)
    obj["metadata"]["namespace"] = "pod-redis-fix-image"
    return obj


STALE = waiting("redis123", "ImagePullBackOff", 'Back-off pulling image "redis123"')
CAUGHT_UP = {**running("docker.io/library/redis:latest", "2026-01-01T10:05:02Z"), "ready": True}


def caught_up() -> dict:
    obj = redis_fixed_in_place(CAUGHT_UP)
    obj["status"].update(phase="Running", observedGeneration=2, conditions=[{"type": "Ready", "status": "True"}])
    return obj


def test_a_fix_is_graded_once_the_kubelet_has_seen_it_and_the_wait_is_reported():
    exercise = CATALOG.get("pod-redis-fix-image")
    kube = ScriptedCluster(redis_fixed_in_place(STALE), namespace="pod-redis-fix-image")
    lines: list[str] = []
    reported = threading.Event()

    def progress(p):
        lines.append(p.line())
        if "redis123" in p.line():
            reported.set()

    kube.before_wait = lambda kind, selector: reported.wait(10)  # the kubelet reports only once the wait was shown (a bound only a hang trips)
    kube.script[("Pod", "redis")] = [redis_fixed_in_place(STALE), caught_up()]
    report = grade_live(exercise, kube, progress=progress)
    assert report.passed, report.to_json()
    assert any("redis123" in line and "waiting" in line for line in lines), lines
    assert all(timeout > 0 for kind, _, timeout in kube.waits if kind == "Pod")


def test_a_fix_the_kubelet_never_reports_fails_saying_the_status_lags():
    exercise = CATALOG.get("pod-redis-fix-image")
    kube = ScriptedCluster(redis_fixed_in_place(STALE), namespace="pod-redis-fix-image")
    report = grade_live(exercise, kube)
    assert statuses(report) == {"pod-exists": "pass", "image": "pass", "running": "fail", "ready": "fail"}
    assert "after 120 s the status still lags the spec" in message(report, "running") and "redis123" in message(report, "running")


def test_a_fix_to_another_image_that_cannot_be_pulled_fails_without_waiting_once_it_is_reported():
    exercise = CATALOG.get("pod-redis-fix-image")
    broken = pod("rediss", waiting("rediss", "ErrImagePull", 'failed to pull and unpack image "docker.io/library/rediss:latest": not found'))
    broken["metadata"]["namespace"] = "pod-redis-fix-image"
    kube = ScriptedCluster(broken, namespace="pod-redis-fix-image")
    report = grade_live(exercise, kube)
    assert statuses(report)["image"] == "fail" and statuses(report)["running"] == "fail"
    assert not [w for w in kube.waits if w[2] > 0], "a wrong image is wrong at once"
    assert "ErrImagePull" in message(report, "running")


def liveness_answer(period: int) -> dict:
    answer = yaml.safe_load(CATALOG.get("pod-liveness-exec").solution)
    answer["spec"]["containers"][0]["livenessProbe"]["periodSeconds"] = period
    answer["metadata"]["namespace"] = "pod-liveness-exec"
    answer["status"] = {"phase": "Running", "containerStatuses": [{"name": "busybox-container", "image": "busybox", "restartCount": 0, "state": {"running": {"startedAt": "2026-01-01T10:00:00Z"}}}]}
    return answer


def test_a_wrong_answer_waits_for_nothing():
    exercise = CATALOG.get("pod-liveness-exec")
    kube = ScriptedCluster(liveness_answer(period=10), namespace="pod-liveness-exec")
    report = grade_live(exercise, kube)
    assert statuses(report)["period"] == "fail"
    assert {statuses(report)["restarted"], statuses(report)["unhealthy-event"]} == {"fail"}
    assert [w for w in kube.waits if w[2] > 0] == [], "no behaviour check waits once a spec check fails"
    assert "not waited for: check period already fails" in message(report, "restarted")
    assert "기다리지 않음" in message(grade_live(exercise, kube, "ko"), "restarted")


def test_behaviour_checks_of_a_right_answer_wait_side_by_side():
    exercise = CATALOG.get("pod-liveness-exec")
    kube = ScriptedCluster(liveness_answer(period=5), namespace="pod-liveness-exec")
    both_waiting = threading.Barrier(2, timeout=10)  # one at a time, the first would wait here alone (a bound only a hang trips)
    side_by_side = []

    def meet(kind, selector):
        try:
            both_waiting.wait()
            side_by_side.append(kind)
        except threading.BrokenBarrierError:
            pass

    kube.before_wait = meet
    restarted = liveness_answer(period=5)
    restarted["status"]["containerStatuses"][0]["restartCount"] = 1
    kube.script[("Pod", "liveness-exam")] = [restarted]
    kube.script[("Event", "liveness-exam")] = [{"kind": "Event", "metadata": {"name": "e1", "namespace": "pod-liveness-exec"}, "involvedObject": {"kind": "Pod", "name": "liveness-exam"},
                                                   "reason": "Unhealthy", "message": "Liveness probe failed: ls: /tmp/healthy: No such file or directory"}]
    report = grade_live(exercise, kube)
    assert report.passed, report.to_json()
    assert sorted(side_by_side) == ["Event", "Pod"]


def exercise_with(checks: list[dict], live_checks: list[dict]) -> Exercise:
    return Exercise.model_validate({
        "id": "env-live", "kind": "manifest", "title": {"en": "t", "ko": "t"}, "task": {"en": "t", "ko": "t"}, "domain": "workloads-scheduling",
        "solution": "x", "target": {"kind": "Pod", "name": "app"}, "checks": checks, "live": {"namespace": "ns", "checks": live_checks}})


ENV_CHECK = {"id": "env-mode", "type": "field", "path": '.spec.containers[?(@.name=="app")].env[?(@.name=="MODE")].value', "expect": {"equals": "production"}}
PRINTENV = {"id": "printenv-mode", "type": "exec", "container": "app", "command": ["printenv", "MODE"], "output": {"equals": "production"}}


def app_pod(container: dict) -> dict:
    return {"kind": "Pod", "metadata": {"name": "app", "namespace": "ns"}, "spec": {"containers": [{"name": "app", "image": "busybox", **container}]},
            "status": {"phase": "Running", "containerStatuses": [{"name": "app", "image": "busybox", "state": {"running": {"startedAt": "2026-01-01T10:00:00Z"}}}]}}


def fake_exec(monkeypatch, status: ExecStatus, output: str = "") -> list:
    calls = []

    def run(cluster, namespace, pod_name, container, command, timeout):
        calls.append(command)
        return status, output

    monkeypatch.setattr(live_exec, "exec_in", run)
    return calls


def test_live_env_from_a_configmap_on_the_cluster_agrees_with_printenv(monkeypatch):
    fake_exec(monkeypatch, ExecStatus("exited", 0), "production\n")
    configmap = {"kind": "ConfigMap", "metadata": {"name": "settings", "namespace": "ns"}, "data": {"MODE": "production"}}
    kube = ScriptedCluster(app_pod({"envFrom": [{"configMapRef": {"name": "settings"}}]}), configmap, namespace="ns")
    report = grade_live(exercise_with([ENV_CHECK], [PRINTENV]), kube)
    assert report.passed, report.to_json()
    assert "envFrom ConfigMap settings" in message(report, "env-mode")


def test_satisfied_by_lets_what_the_container_does_outrank_how_the_spec_says_it(monkeypatch):
    literal = {**ENV_CHECK, "id": "literal", "path": '.spec.containers[?(@.name=="app")].args', "expect": {"contains": "--mode=production"}, "satisfied_by": ["printenv-mode"]}
    kube = ScriptedCluster(app_pod({"env": [{"name": "MODE", "value": "production"}]}), namespace="ns")
    fake_exec(monkeypatch, ExecStatus("exited", 0), "production\n")
    report = grade_live(exercise_with([literal], [PRINTENV]), kube)
    assert report.passed and "what counts" in message(report, "literal")
    fake_exec(monkeypatch, ExecStatus("exited", 1), "")
    report = grade_live(exercise_with([literal], [PRINTENV]), kube)
    assert statuses(report) == {"literal": "fail", "printenv-mode": "fail"}


def test_a_spec_check_that_a_behaviour_check_may_satisfy_does_not_stop_the_waits(monkeypatch):
    literal = {**ENV_CHECK, "id": "literal", "path": ".spec.containers[*].args", "expect": {"contains": "x"}, "satisfied_by": ["printenv-mode"]}
    kube = ScriptedCluster(app_pod({}), namespace="ns")
    calls = fake_exec(monkeypatch, ExecStatus("exited", 0), "production\n")
    grade_live(exercise_with([literal], [PRINTENV]), kube)
    assert calls == [["printenv", "MODE"]]


def test_a_command_missing_from_the_image_is_reported_as_such(monkeypatch):
    fake_exec(monkeypatch, ExecStatus("not-started", reason='exec: "printenv": executable file not found in $PATH'))
    kube = ScriptedCluster(app_pod({"env": [{"name": "MODE", "value": "production"}]}), namespace="ns")
    report = grade_live(exercise_with([ENV_CHECK], [PRINTENV]), kube)
    assert statuses(report)["printenv-mode"] == "fail"
    assert message(report, "printenv-mode") == 'printenv MODE could not be started in container `app`: exec: "printenv": executable file not found in $PATH'


def test_satisfied_by_must_name_a_live_check():
    with pytest.raises(ValueError, match="satisfied_by names nope"):
        exercise_with([{**ENV_CHECK, "satisfied_by": ["nope"]}], [PRINTENV])


def test_a_status_written_for_an_older_spec_is_not_taken_for_the_answer():
    check = {"id": "available", "type": "field", "path": ".status.availableReplicas", "expect": {"at_least": 2}}
    deployment = {"kind": "Deployment", "metadata": {"name": "app", "namespace": "ns", "generation": 2}, "spec": {"replicas": 2},
                  "status": {"observedGeneration": 1, "availableReplicas": 2}}
    exercise = Exercise.model_validate({
        "id": "rollout", "kind": "manifest", "title": {"en": "t", "ko": "t"}, "task": {"en": "t", "ko": "t"}, "domain": "workloads-scheduling",
        "solution": "x", "target": {"kind": "Deployment", "name": "app"}, "checks": [check], "live": {"namespace": "ns"}})
    kube = ScriptedCluster(deployment, namespace="ns")
    kube.script[("Deployment", "app")] = [{**deployment, "status": {"observedGeneration": 2, "availableReplicas": 1, "unavailableReplicas": 1}}]
    report = grade_live(exercise, kube)
    assert statuses(report) == {"available": "fail"}, report.to_json()
    assert "1" in message(report, "available")


def mid_rollout(image: str) -> dict:
    """trouble-image-typo's Deployment (with the starter's port, which the exercise keeps) as its controller leaves it
    before the last step of a rollout: both new replicas updated and Ready, one old one still counted."""
    return {"kind": "Deployment", "metadata": {"name": "api", "namespace": "trouble-image-typo", "generation": 2},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "api"}},
                     "template": {"metadata": {"labels": {"app": "api"}},
                                  "spec": {"containers": [{"name": "redis", "image": image, "ports": [{"containerPort": 6379}]}]}}},
            "status": {"observedGeneration": 2, "replicas": 3, "updatedReplicas": 2, "readyReplicas": 2}}


def test_the_last_step_of_a_rollout_is_seen_on_the_workload_not_waited_out_on_its_pods():
    """Both new pods are Ready, the Deployment still counts an old one: its next status comes with no pod event to wake
    a watch on pods (this waited a watch segment, 5 s, in every mock on the test cluster), so it is watched on the Deployment."""
    exercise = CATALOG.get("trouble-image-typo")
    image = "redis:7.2-alpine"
    deployment = mid_rollout(image)
    pods = []
    for name in ("api-new-1", "api-new-2"):
        obj = pod(image, running(f"docker.io/library/{image}", "2026-01-01T10:05:02Z"))
        obj["metadata"].update(name=name, namespace="trouble-image-typo", labels={"app": "api"})
        obj["status"].update(phase="Running", conditions=[{"type": "Ready", "status": "True"}])
        pods.append(obj)
    kube = ScriptedCluster(deployment, *pods, namespace="trouble-image-typo")
    kube.script[("Deployment", "api")] = [{**deployment, "status": {**deployment["status"], "replicas": 2}}]
    report = grade_live(exercise, kube)
    assert statuses(report)["pods-ready"] == "pass", report.to_json()
    assert [w[:2] for w in kube.waits] == [("Pod", "app=api"), ("Deployment", "metadata.name=api"), ("Pod", "app=api")]


def test_a_rollout_that_never_ends_still_fails_within_the_checks_timeout():
    exercise = CATALOG.get("trouble-image-typo")
    image = "redis:7.2-alpine"
    deployment = mid_rollout(image)
    obj = pod(image, running(f"docker.io/library/{image}", "2026-01-01T10:05:02Z"))
    obj["metadata"].update(name="api-new-1", namespace="trouble-image-typo", labels={"app": "api"})
    obj["status"].update(phase="Running", conditions=[{"type": "Ready", "status": "True"}])
    kube = ScriptedCluster(deployment, obj, {**obj, "metadata": {**obj["metadata"], "name": "api-new-2"}}, namespace="trouble-image-typo")
    report = grade_live(exercise, kube)  # nothing scripted: every wait runs out, as if its timeout passed
    assert statuses(report)["pods-ready"] == "fail"
    assert "1 old one(s) left" in message(report, "pods-ready")
