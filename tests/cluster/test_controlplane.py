"""The test control plane is a real one: scheduling, kwok's pod lifecycle, controllers and RBAC all work."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator

import pytest

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

WORKERS = {"kubedojo-worker", "kubedojo-worker2"}
DEADLINE_SECONDS = 60


@pytest.fixture(scope="module")
def api(control_plane) -> client.ApiClient:
    return config.new_client_from_config(config_file=str(control_plane.kubeconfig), context=control_plane.context)


@pytest.fixture
def namespace(api) -> Iterator[str]:
    name = f"kd-test-{secrets.token_hex(3)}"
    core = client.CoreV1Api(api)
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name)))
    yield name
    try:
        core.delete_namespace(name)
    except ApiException as error:
        if error.status != 404:
            raise


def _watch_until(list_call: Callable, predicate: Callable, what: str, **kwargs):
    """Watch list_call (ADDED events for what exists come first) until predicate(event) holds."""
    seen = None
    stream = watch.Watch()
    for event in stream.stream(list_call, timeout_seconds=DEADLINE_SECONDS, _request_timeout=DEADLINE_SECONDS + 5,
                               **kwargs):
        seen = event["object"]
        if predicate(event):
            stream.stop()
            return seen
    raise AssertionError(f"no {what} within {DEADLINE_SECONDS} s; last seen: {seen}")


def _pod(name: str, image: str) -> client.V1Pod:
    return client.V1Pod(
        metadata=client.V1ObjectMeta(name=name, labels={"app": name}),
        spec=client.V1PodSpec(containers=[client.V1Container(name="main", image=image)]),
    )


def _ready(pod: client.V1Pod) -> bool:
    return any(c.type == "Ready" and c.status == "True" for c in pod.status.conditions or [])


def test_the_api_answers_with_the_pinned_version(api):
    assert client.VersionApi(api).get_code().git_version == "v1.37.2"


def test_three_nodes_are_ready_and_the_control_plane_is_tainted(api):
    nodes = {node.metadata.name: node for node in client.CoreV1Api(api).list_node().items}
    assert set(nodes) == {"kubedojo-control-plane", *WORKERS}
    for node in nodes.values():
        assert [c.status for c in node.status.conditions if c.type == "Ready"] == ["True"]
    control_plane = nodes["kubedojo-control-plane"]
    assert "node-role.kubernetes.io/control-plane" in control_plane.metadata.labels
    assert [t.key for t in control_plane.spec.taints] == ["node-role.kubernetes.io/control-plane"]


def test_a_pod_is_scheduled_and_becomes_running_and_ready(api, namespace):
    core = client.CoreV1Api(api)
    core.create_namespaced_pod(namespace, _pod("web", "nginx:1.27"))
    pod = _watch_until(
        core.list_namespaced_pod,
        lambda e: e["object"].status.phase == "Running" and _ready(e["object"]),
        "Running and Ready pod", namespace=namespace, field_selector="metadata.name=web",
    )
    assert pod.spec.node_name in WORKERS
    [status] = pod.status.container_statuses
    assert status.ready and status.state.running is not None
    assert pod.status.pod_ip


def test_an_unpullable_image_ends_in_image_pull_back_off(api, namespace):
    core = client.CoreV1Api(api)
    core.create_namespaced_pod(namespace, _pod("broken", "redis123"))

    def backing_off(event) -> bool:
        statuses = event["object"].status.container_statuses or []
        return any(s.state.waiting and s.state.waiting.reason == "ImagePullBackOff" for s in statuses)

    pod = _watch_until(core.list_namespaced_pod, backing_off, "ImagePullBackOff", namespace=namespace,
                       field_selector="metadata.name=broken")
    assert pod.status.phase == "Pending"
    assert not _ready(pod)
    assert pod.spec.node_name in WORKERS


def test_a_deployment_makes_a_replica_set_and_ready_pods(api, namespace):
    apps = client.AppsV1Api(api)
    labels = {"app": "shop"}
    apps.create_namespaced_deployment(namespace, client.V1Deployment(
        metadata=client.V1ObjectMeta(name="shop"),
        spec=client.V1DeploymentSpec(
            replicas=2,
            selector=client.V1LabelSelector(match_labels=labels),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels=labels),
                spec=client.V1PodSpec(containers=[client.V1Container(name="shop", image="nginx:1.27")]),
            ),
        ),
    ))
    replica_set = _watch_until(
        apps.list_namespaced_replica_set,
        lambda e: (e["object"].status.ready_replicas or 0) == 2,
        "ReplicaSet with 2 ready replicas", namespace=namespace,
    )
    assert [(o.kind, o.name) for o in replica_set.metadata.owner_references] == [("Deployment", "shop")]
    pods = client.CoreV1Api(api).list_namespaced_pod(namespace, label_selector="app=shop").items
    assert len(pods) == 2 and all(p.status.phase == "Running" for p in pods)
    _watch_until(apps.list_namespaced_deployment, lambda e: (e["object"].status.available_replicas or 0) == 2,
                 "Deployment with 2 available replicas", namespace=namespace)


def test_deleting_a_namespace_removes_it_and_its_pods(api):
    core = client.CoreV1Api(api)
    name = f"kd-doomed-{secrets.token_hex(3)}"
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name)))
    core.create_namespaced_pod(name, _pod("doomed", "nginx:1.27"))
    _watch_until(core.list_namespaced_pod, lambda e: _ready(e["object"]), "Ready pod", namespace=name)
    core.delete_namespace(name)
    _watch_until(core.list_namespace, lambda e: e["type"] == "DELETED", "namespace deletion",
                 field_selector=f"metadata.name={name}")
    with pytest.raises(ApiException) as error:
        core.read_namespace(name)
    assert error.value.status == 404


def test_the_limited_user_is_forbidden_to_list_pods(control_plane):
    limited = config.new_client_from_config(config_file=str(control_plane.kubeconfig),
                                            context=control_plane.limited_context)
    with pytest.raises(ApiException) as error:
        client.CoreV1Api(limited).list_namespaced_pod("default")
    assert error.value.status == 403
    assert "kubedojo-limited" in error.value.body


def test_the_prod_context_reaches_the_same_server(control_plane):
    prod = config.new_client_from_config(config_file=str(control_plane.kubeconfig), context="prod-admin")
    assert prod.configuration.host == control_plane.server
    assert client.CoreV1Api(prod).read_namespace("default").metadata.name == "default"


def test_a_stopped_apiserver_refuses_connections_and_comes_back(api, control_plane):
    core = client.CoreV1Api(api)
    with control_plane.apiserver_stopped():
        with pytest.raises(Exception) as error:
            core.list_namespace(_request_timeout=5)
        assert "refused" in str(error.value).lower()
    assert core.read_namespace("default").metadata.name == "default"
