"""What the API server would refuse beyond the schema."""

import pytest

from graders.apivalidation import validate_object


def pod(**spec):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": [{"name": "web", "image": "nginx"}], **spec}}


def container(**fields):
    return pod(containers=[{"name": "web", "image": "nginx", **fields}])


REJECTED = {
    "upper_case_name": ({**pod(), "metadata": {"name": "Web"}}, ("metadata", "name")),
    "name_missing": ({**pod(), "metadata": {}}, ("metadata",)),
    "container_name_underscore": (pod(containers=[{"name": "nginx_container", "image": "nginx"}]), ("spec", "containers", 0, "name")),
    "duplicate_container": (pod(containers=[{"name": "a", "image": "x"}, {"name": "a", "image": "y"}]), ("spec", "containers", 1, "name")),
    "init_and_app_share_a_name": (pod(initContainers=[{"name": "web", "image": "busybox"}]), ("spec", "containers", 0, "name")),
    "port_zero": (container(ports=[{"containerPort": 0}]), ("spec", "containers", 0, "ports", 0, "containerPort")),
    "port_too_big": (container(ports=[{"containerPort": 70000}]), ("spec", "containers", 0, "ports", 0, "containerPort")),
    "liveness_success_threshold_2": (container(livenessProbe={"exec": {"command": ["ls"]}, "successThreshold": 2}), ("spec", "containers", 0, "livenessProbe", "successThreshold")),
    "period_zero": (container(livenessProbe={"exec": {"command": ["ls"]}, "periodSeconds": 0}), ("spec", "containers", 0, "livenessProbe", "periodSeconds")),
    "two_probe_handlers": (container(livenessProbe={"exec": {"command": ["ls"]}, "tcpSocket": {"port": 80}}), ("spec", "containers", 0, "livenessProbe")),
    "mount_without_volume": (container(volumeMounts=[{"name": "logs", "mountPath": "/var/log"}]), ("spec", "containers", 0, "volumeMounts", 0, "name")),
    "request_above_limit": (container(resources={"requests": {"cpu": "1"}, "limits": {"cpu": "500m"}}), ("spec", "containers", 0, "resources", "requests", "cpu")),
    "not_a_quantity": (container(resources={"limits": {"memory": "lots"}}), ("spec", "containers", 0, "resources", "limits", "memory")),
    "env_name_with_space": (container(env=[{"name": "MY VAR", "value": "x"}]), ("spec", "containers", 0, "env", 0, "name")),
    "deployment_selector_mismatch": (
        {"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "api"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}},
        ("spec", "selector"),
    ),
    "service_port_zero": ({"kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": [{"port": 0}]}}, ("spec", "ports", 0, "port")),
}

ACCEPTED = {
    "plain_pod": pod(),
    "generate_name": {**pod(), "metadata": {"generateName": "web-"}},
    "dotted_pod_name": {**pod(), "metadata": {"name": "web.v1"}},
    "half_core_request": container(resources={"requests": {"cpu": 0.5, "memory": "64Mi"}, "limits": {"cpu": "500m", "memory": "128Mi"}}),
    "mount_with_volume": {**container(volumeMounts=[{"name": "logs", "mountPath": "/l"}]), "spec": {**container(volumeMounts=[{"name": "logs", "mountPath": "/l"}])["spec"], "volumes": [{"name": "logs", "emptyDir": {}}]}},
    "readiness_success_threshold_3": container(readinessProbe={"httpGet": {"path": "/", "port": 80}, "successThreshold": 3}),
    "deployment_selector_subset": {"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web", "tier": "fe"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}},
}


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_rejected(name):
    obj, path = REJECTED[name]
    rejections = validate_object(obj)
    assert [r.path for r in rejections] == [path], [r.en for r in rejections]
    assert all(r.ko for r in rejections)


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_accepted(name):
    assert validate_object(ACCEPTED[name]) == []
