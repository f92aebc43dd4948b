"""When a pod's status still describes an older spec (or a world that has changed), and when a pod is beyond hope."""

from __future__ import annotations

import copy

import pytest

from graders.live_pods import hopeless, image_set_at, same_image, status_lag
from graders.live_workloads import rollout_lag

CREATED = "2026-01-01T10:00:00Z"


def managed(manager: str, time: str, container: str = "redis") -> dict:
    return {"manager": manager, "operation": "Update", "apiVersion": "v1", "time": time, "fieldsType": "FieldsV1",
            "fieldsV1": {"f:spec": {"f:containers": {f'k:{{"name":"{container}"}}': {".": {}, "f:image": {}, "f:name": {}}}}}}


def pod(spec_image: str, status: dict | None = None, generation: int = 1, observed: int | None = None, fields: list | None = None) -> dict:
    obj = {"kind": "Pod", "metadata": {"name": "redis", "namespace": "ns", "generation": generation, "managedFields": fields or [managed("kubectl-create", CREATED)]},
           "spec": {"containers": [{"name": "redis", "image": spec_image}]}, "status": {"phase": "Pending", **({"containerStatuses": [status]} if status else {})}}
    if observed is not None:
        obj["status"]["observedGeneration"] = observed
    return obj


def waiting(image: str, reason: str, message: str, last: dict | None = None) -> dict:
    status = {"name": "redis", "image": image, "ready": False, "restartCount": 0, "state": {"waiting": {"reason": reason, "message": message}}}
    if last:
        status["lastState"] = {"terminated": last}
    return status


def running(image: str, started: str) -> dict:
    return {"name": "redis", "image": image, "ready": True, "restartCount": 0, "state": {"running": {"startedAt": started}}}


SET_IMAGE = [managed("kubectl-create", CREATED), managed("kubectl-set", "2026-01-01T10:05:00Z")]

# (what it shows, pod, lag expected: None, "definite" or "likely")
LAG = [
    ("status_for_the_spec_is_current",
     pod("redis", running("docker.io/library/redis:latest", "2026-01-01T10:00:05Z")), None),
    ("kubelet_behind_the_generation",
     pod("redis", running("docker.io/library/redis:latest", "2026-01-01T10:00:05Z"), generation=2, observed=1), "definite"),
    ("generation_seen_is_not_lag",
     pod("redis", running("docker.io/library/redis:latest", "2026-01-01T10:00:05Z"), generation=2, observed=2), None),
    ("old_image_still_waiting_after_set_image",
     pod("redis", waiting("redis123", "ImagePullBackOff", 'Back-off pulling image "redis123"'), fields=SET_IMAGE), "definite"),
    ("new_image_but_the_back_off_is_about_the_old_one",
     pod("redis", waiting("redis", "ImagePullBackOff", 'Back-off pulling image "redis123"'), fields=SET_IMAGE), "definite"),
    ("pull_failure_about_the_current_image",
     pod("rediss", waiting("rediss", "ErrImagePull", 'failed to pull and unpack image "docker.io/library/rediss:latest": not found')), None),
    ("runtime_names_the_image_by_another_tag",
     pod("nginx:1.25", running("docker.io/library/nginx:1.14", "2026-01-01T10:00:05Z")), None),
    ("container_started_before_its_image_was_changed",
     pod("redis:7", running("docker.io/library/redis:6", "2026-01-01T10:00:05Z"), fields=SET_IMAGE), "likely"),
    ("crash_looping_container_that_ran_another_tag",
     pod("busybox", waiting("docker.io/library/busybox:1.36", "CrashLoopBackOff", "back-off 10s", {"exitCode": 1, "startedAt": "2026-01-01T10:00:05Z"})), None),
]


@pytest.mark.parametrize("obj,expected", [t[1:] for t in LAG], ids=[t[0] for t in LAG])
def test_status_lag(obj, expected):
    lag = status_lag(obj)
    assert (None if lag is None else ("definite" if lag[2] else "likely")) == expected
    if lag is not None:
        assert lag[0] and lag[1]  # both languages


def test_the_lag_message_names_both_images():
    en, ko, _ = status_lag(LAG[3][1])
    assert "redis123" in en and "redis" in en and "redis123" in ko


def test_a_config_error_about_an_object_that_is_there_now_is_worth_waiting_for():
    stuck = pod("redis", waiting("redis", "CreateContainerConfigError", 'configmap "settings" not found'))
    assert status_lag(stuck, lambda kind, name, ns: None) is None and hopeless(stuck, lambda kind, name, ns: None)
    there = lambda kind, name, ns: {"kind": kind, "metadata": {"name": name}} if (kind, name, ns) == ("ConfigMap", "settings", "ns") else None  # noqa: E731
    assert status_lag(stuck, there) is not None and not hopeless(stuck, there)


def test_a_missing_key_counts_only_once_the_key_is_there():
    stuck = pod("redis", waiting("redis", "CreateContainerConfigError", "couldn't find key mode in ConfigMap ns/settings"))
    without = lambda kind, name, ns: {"data": {"other": "1"}}  # noqa: E731
    with_key = lambda kind, name, ns: {"data": {"mode": "1"}}  # noqa: E731
    assert status_lag(stuck, without) is None and status_lag(stuck, with_key) is not None


HOPELESS = [
    ("cannot_pull_the_current_image", pod("rediss", waiting("rediss", "ImagePullBackOff", 'Back-off pulling image "rediss"')), True),
    ("cannot_pull_but_the_spec_changed_since", pod("redis", waiting("redis123", "ImagePullBackOff", 'Back-off pulling image "redis123"'), fields=SET_IMAGE), False),
    ("crash_loop_may_recover", pod("busybox", waiting("busybox", "CrashLoopBackOff", "back-off")), False),
    ("finished_pod", {**pod("redis"), "status": {"phase": "Succeeded"}}, True),
]


@pytest.mark.parametrize("obj,expected", [t[1:] for t in HOPELESS], ids=[t[0] for t in HOPELESS])
def test_hopeless(obj, expected):
    assert hopeless(obj) is expected


def test_image_set_at_reads_the_managers_that_own_the_image():
    obj = pod("redis", fields=[managed("kubectl-create", CREATED), {**managed("kubectl-label", "2026-01-01T11:00:00Z"), "fieldsV1": {"f:metadata": {"f:labels": {}}}},
                               {**managed("kubelet", "2026-01-01T12:00:00Z"), "subresource": "status"}])
    assert image_set_at(obj, "redis").isoformat() == "2026-01-01T10:00:00+00:00"
    assert image_set_at(obj, "other") is None


@pytest.mark.parametrize("a,b,same", [("redis", "docker.io/library/redis:latest", True), ("redis:7", "redis", False), ("me/app", "docker.io/me/app:latest", True)])
def test_same_image(a, b, same):
    assert same_image(a, b) is same


DEPLOYMENT = {"kind": "Deployment", "metadata": {"name": "web", "generation": 3}, "spec": {"replicas": 2},
              "status": {"observedGeneration": 3, "replicas": 2, "updatedReplicas": 2, "readyReplicas": 2}}


def changed(obj: dict, **status) -> dict:
    obj = copy.deepcopy(obj)
    obj["status"].update(status)
    return obj


ROLLOUT = [
    ("rolled_out", DEPLOYMENT, False),
    ("controller_behind", changed(DEPLOYMENT, observedGeneration=2), True),
    ("new_pods_not_all_there", changed(DEPLOYMENT, updatedReplicas=1), True),
    ("old_pods_left", changed(DEPLOYMENT, replicas=3), True),
    ("just_created_no_status", {**DEPLOYMENT, "metadata": {"name": "web", "generation": 1}, "status": {}}, True),
    ("daemonset_updating", {"kind": "DaemonSet", "metadata": {"generation": 1}, "spec": {}, "status": {"observedGeneration": 1, "desiredNumberScheduled": 3, "updatedNumberScheduled": 2}}, True),
    ("job_is_never_rolled_out", {"kind": "Job", "metadata": {"generation": 1}, "spec": {}, "status": {}}, False),
]


@pytest.mark.parametrize("obj,lagging", [t[1:] for t in ROLLOUT], ids=[t[0] for t in ROLLOUT])
def test_rollout_lag(obj, lagging):
    assert (rollout_lag(obj) is not None) is lagging


@pytest.mark.parametrize("path, watched", [
    (".status.phase", True),
    (".spec.nodeName", True),     # the scheduler binds a moment after the pod is made
    (".spec.volumeName", True),   # the PV controller binds a claim a moment after it is made
    (".spec.replicas", False),    # the user's own field: judged at once
    (".spec.nodeSelector", False),
])
def test_fields_a_controller_writes_are_watched_like_status(path, watched):
    from exercises.model import FieldCheck
    from graders.live_watched import reads_status

    check = FieldCheck.model_validate({"id": "f", "type": "field", "path": path, "expect": {"exists": True}})
    assert reads_status(check) is watched
