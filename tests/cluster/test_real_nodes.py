"""What only a kubelet does, observed on the test cluster's real nodes: containers run, exec, log,
restart, crash-loop and get OOM-killed; probes act; images are pulled or not; static pods get mirror pods;
pods reach services by name; and the live grader sees all of it."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from exercises.loader import load_catalog
from graders import cluster as live_cluster
from graders.cluster import connect
from graders.live import exercise_namespace, grade_live
from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException
from kubernetes.stream import stream
from tests.cluster.fixture import ControlPlaneHandle

PACK = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "live"
DEADLINE = 120  # seconds; only a hang reaches it (a liveness restart takes ~40 s, a pull well under 1 s)


@pytest.fixture(scope="module", autouse=True)
def real(control_plane: ControlPlaneHandle) -> ControlPlaneHandle:
    control_plane.require_real_nodes()
    return control_plane


@pytest.fixture(scope="module")
def core(control_plane) -> client.CoreV1Api:
    return client.CoreV1Api(config.new_client_from_config(config_file=str(control_plane.kubeconfig), context=control_plane.context))


@pytest.fixture
def namespace(core) -> Iterator[str]:
    name = f"kd-node-{secrets.token_hex(3)}"
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name)))
    yield name
    core.delete_collection_namespaced_pod(name, grace_period_seconds=0)
    try:
        core.delete_namespace(name)
    except ApiException as error:
        if error.status != 404:
            raise


def make_pod(core, namespace: str, name: str, container: dict, labels: dict | None = None, **spec) -> None:
    body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": name, **(labels or {})}},
            "spec": {"containers": [{"name": name, **container}], "terminationGracePeriodSeconds": 0, **spec}}
    core.create_namespaced_pod(namespace, body)


def until(core, namespace: str, name: str, holds: Callable[[client.V1Pod], bool], what: str) -> client.V1Pod:
    """Watch the pod until holds(pod); fail after DEADLINE with the last status seen."""
    seen = None
    stream_ = watch.Watch()
    for event in stream_.stream(core.list_namespaced_pod, namespace, field_selector=f"metadata.name={name}",
                                timeout_seconds=DEADLINE, _request_timeout=DEADLINE + 5):
        seen = event["object"]
        if holds(seen):
            stream_.stop()
            return seen
    raise AssertionError(f"pod {name}: no {what} within {DEADLINE} s; last status: {seen.status if seen else None}")


def container(pod: client.V1Pod) -> client.V1ContainerStatus | None:
    return (pod.status.container_statuses or [None])[0]


def ready(pod: client.V1Pod) -> bool:
    return any(c.type == "Ready" and c.status == "True" for c in pod.status.conditions or [])


def run_in(core, namespace: str, pod: str, command: list[str]) -> str:
    return stream(core.connect_get_namespaced_pod_exec, pod, namespace, command=command, stderr=True, stdin=False,
                  stdout=True, tty=False)


# --- containers -----------------------------------------------------------------------------------


def test_a_container_runs_and_exec_and_logs_reach_it(core, namespace):
    make_pod(core, namespace, "box", {"image": "busybox:1.36", "command": ["sh", "-c", "echo started on $(hostname); sleep 3600"]})
    pod = until(core, namespace, "box", ready, "Ready")
    assert pod.spec.node_name in {"kubedojo-worker", "kubedojo-worker2"}  # the control plane is tainted
    assert pod.status.pod_ip.startswith("10.244.")
    assert run_in(core, namespace, "box", ["sh", "-c", "echo $((6 * 7)) from $(hostname)"]) == "42 from box\n"
    assert core.read_namespaced_pod_log("box", namespace) == "started on box\n"


def test_a_crashing_container_is_restarted_into_crash_loop_back_off(core, namespace):
    make_pod(core, namespace, "crash", {"image": "busybox:1.36", "command": ["sh", "-c", "echo attempt; exit 3"]})
    pod = until(core, namespace, "crash", lambda p: (s := container(p)) is not None and s.state.waiting is not None
                and s.state.waiting.reason == "CrashLoopBackOff", "CrashLoopBackOff")
    status = container(pod)
    assert status.restart_count >= 1
    assert status.last_state.terminated.exit_code == 3 and status.last_state.terminated.reason == "Error"
    assert core.read_namespaced_pod_log("crash", namespace, previous=True) == "attempt\n"


def test_a_container_over_its_memory_limit_is_oom_killed(core, namespace):
    make_pod(core, namespace, "hungry", {
        "image": "busybox:1.36", "command": ["sh", "-c", "tail /dev/zero"],  # tail buffers a line that never ends
        "resources": {"limits": {"memory": "24Mi"}, "requests": {"memory": "24Mi"}}}, restartPolicy="Never")
    pod = until(core, namespace, "hungry", lambda p: p.status.phase == "Failed", "Failed phase")
    assert container(pod).state.terminated.reason == "OOMKilled"
    assert container(pod).state.terminated.exit_code == 137


# --- probes ---------------------------------------------------------------------------------------


def test_a_failing_liveness_probe_restarts_the_container_and_says_why(core, namespace):
    make_pod(core, namespace, "live", {
        "image": "busybox:1.36", "command": ["sh", "-c", "touch /tmp/healthy; sleep 5; rm /tmp/healthy; sleep 3600"],
        "livenessProbe": {"exec": {"command": ["cat", "/tmp/healthy"]}, "periodSeconds": 1, "failureThreshold": 2}})
    until(core, namespace, "live", lambda p: (s := container(p)) is not None and s.restart_count >= 1, "restart")
    events = core.list_namespaced_event(namespace, field_selector="involvedObject.name=live").items
    assert any(e.reason == "Unhealthy" and "Liveness probe failed" in e.message for e in events), [e.message for e in events]
    assert any(e.reason == "Killing" and "failed liveness probe" in e.message for e in events), [e.message for e in events]


def test_readiness_follows_the_probe_and_takes_the_pod_out_of_its_service(core, namespace):
    make_pod(core, namespace, "gate", {
        "image": "busybox:1.36", "command": ["sh", "-c", "sleep 3600"],
        "readinessProbe": {"exec": {"command": ["test", "-e", "/tmp/ready"]}, "periodSeconds": 1}})
    core.create_namespaced_service(namespace, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "gate"},
                                               "spec": {"selector": {"app": "gate"}, "ports": [{"port": 80}]}})
    pod = until(core, namespace, "gate", lambda p: (s := container(p)) is not None and s.started, "started container")
    assert not ready(pod)
    run_in(core, namespace, "gate", ["touch", "/tmp/ready"])
    until(core, namespace, "gate", ready, "Ready")
    discovery = client.DiscoveryV1Api(core.api_client)
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        slices = discovery.list_namespaced_endpoint_slice(namespace, label_selector="kubernetes.io/service-name=gate").items
        if any(e.conditions.ready for s in slices for e in s.endpoints or []):
            break
        time.sleep(0.2)
    else:
        raise AssertionError("the ready pod never became a ready endpoint of its service")


def test_a_startup_probe_holds_back_liveness_until_the_app_has_started(core, namespace):
    make_pod(core, namespace, "slow", {
        "image": "busybox:1.36", "command": ["sh", "-c", "sleep 4; touch /tmp/started; sleep 3600"],
        "startupProbe": {"exec": {"command": ["test", "-e", "/tmp/started"]}, "periodSeconds": 1, "failureThreshold": 30},
        "livenessProbe": {"exec": {"command": ["test", "-e", "/tmp/started"]}, "periodSeconds": 1, "failureThreshold": 1}})
    pod = until(core, namespace, "slow", ready, "Ready")
    assert container(pod).restart_count == 0 and container(pod).started


def test_http_and_tcp_probes_reach_the_pod_over_its_network(core, namespace):
    make_pod(core, namespace, "web", {
        "image": "nginx:1.25", "ports": [{"containerPort": 80}],
        "readinessProbe": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 1},
        "livenessProbe": {"tcpSocket": {"port": 80}, "periodSeconds": 1}})
    pod = until(core, namespace, "web", ready, "Ready")
    assert container(pod).restart_count == 0


# --- images ---------------------------------------------------------------------------------------


def test_an_image_that_does_not_exist_fails_to_pull_for_real(core, namespace):
    make_pod(core, namespace, "typo", {"image": "redis123"})
    pod = until(core, namespace, "typo", lambda p: (s := container(p)) is not None and s.state.waiting is not None
                and s.state.waiting.reason in ("ErrImagePull", "ImagePullBackOff"), "failed pull")
    events = core.list_namespaced_event(namespace, field_selector="involvedObject.name=typo").items
    assert any(e.reason == "Failed" and "docker.io/library/redis123:latest" in e.message and "not found" in e.message
               for e in events), [e.message for e in events]
    assert pod.status.phase == "Pending"


def test_an_image_without_a_tag_is_pulled_every_time_and_runs(core, namespace):
    make_pod(core, namespace, "fresh", {"image": "redis"})
    pod = until(core, namespace, "fresh", ready, "Ready")
    assert pod.spec.containers[0].image_pull_policy == "Always"
    assert container(pod).image_id.startswith("docker.io/library/redis@sha256:")
    assert run_in(core, namespace, "fresh", ["redis-cli", "ping"]) == "PONG\n"


# --- the network ----------------------------------------------------------------------------------


def test_a_pod_reaches_a_service_on_another_node_by_its_dns_name(core, namespace):
    spread = {"topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "kubernetes.io/hostname",
                                             "whenUnsatisfiable": "DoNotSchedule", "labelSelector": {"matchLabels": {"tier": "demo"}}}]}
    make_pod(core, namespace, "server", {"image": "nginx:1.25"}, {"tier": "demo"}, **spread)
    make_pod(core, namespace, "client", {"image": "busybox:1.36", "command": ["sleep", "3600"]}, {"tier": "demo"}, **spread)
    core.create_namespaced_service(namespace, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                                               "spec": {"selector": {"app": "server"}, "ports": [{"port": 8080, "targetPort": 80}]}})
    server, client_ = (until(core, namespace, name, ready, "Ready") for name in ("server", "client"))
    assert server.spec.node_name != client_.spec.node_name
    page = ""
    deadline = time.monotonic() + 30  # kube-proxy writes the service's rules a moment after its endpoints appear
    while "Welcome to nginx!" not in page and time.monotonic() < deadline:
        page = run_in(core, namespace, "client", ["wget", "-qO-", "-T", "2", f"http://web.{namespace}.svc.cluster.local:8080/"])
    assert "Welcome to nginx!" in page
    assert "<title>Welcome to nginx!</title>" in run_in(core, namespace, "client", ["wget", "-qO-", "-T", "2", "http://web:8080/"])
    assert "default" not in run_in(core, namespace, "client", ["ip", "route"])  # nothing leaves the pod network


# --- static pods and the node's own files ---------------------------------------------------------


def test_a_hostpath_volume_writes_on_the_node_not_on_the_host(real, core, namespace):
    directory = f"/mnt/kdj-{secrets.token_hex(3)}"
    make_pod(core, namespace, "writer", {
        "image": "busybox:1.36", "command": ["sh", "-c", "echo from the pod > /data/file; sleep 3600"],
        "volumeMounts": [{"name": "host", "mountPath": "/data"}]},
        nodeName="kubedojo-worker", volumes=[{"name": "host", "hostPath": {"path": directory, "type": "DirectoryOrCreate"}}])
    until(core, namespace, "writer", ready, "Ready")
    deadline = time.monotonic() + DEADLINE
    while not real.node_path("kubedojo-worker", f"{directory}/file").is_file():
        assert time.monotonic() < deadline, "the pod's file never appeared on its node"
        time.sleep(0.2)
    assert real.node_path("kubedojo-worker", f"{directory}/file").read_text() == "from the pod\n"
    assert real.node_shell("kubedojo-worker", f"cat {directory}/file").stdout == "from the pod\n"
    assert not Path(directory).exists()  # the host's /mnt is not the node's


def test_the_node_shell_sees_the_kubelet_config_and_a_static_pod_outlives_its_mirror_pod(real, core):
    shell = real.node_shell("kubedojo-worker2", "grep staticPodPath /var/lib/kubelet/config.yaml")
    assert shell.stdout.split() == ["staticPodPath:", "/etc/kubernetes/manifests"]
    manifest = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "static-box"},
                "spec": {"terminationGracePeriodSeconds": 0,
                         "containers": [{"name": "box", "image": "busybox:1.36", "command": ["sleep", "3600"]}]}}
    written = real.node_shell("kubedojo-worker2", "cat > /etc/kubernetes/manifests/static-box.yaml", input=yaml.safe_dump(manifest))
    assert written.returncode == 0, written.stderr
    try:
        pod = until(core, "default", "static-box-kubedojo-worker2", ready, "Ready mirror pod")
        assert "kubernetes.io/config.mirror" in pod.metadata.annotations
        assert pod.metadata.owner_references[0].kind == "Node"
        # kubectl delete only removes the mirror: the kubelet's container runs on (and the mirror comes back at its next sync).
        core.delete_namespaced_pod("static-box-kubedojo-worker2", "default", grace_period_seconds=0)
        running = container(pod).container_id.removeprefix("containerd://")
        time.sleep(2)
        tasks = real.node_shell("kubedojo-worker2", "ctr -a /run/containerd/containerd.sock -n k8s.io tasks ls").stdout
        assert any(line.split()[:1] == [running] and "RUNNING" in line for line in tasks.splitlines()), tasks
    finally:
        real.node_shell("kubedojo-worker2", "rm -f /etc/kubernetes/manifests/static-box.yaml")
    deadline = time.monotonic() + DEADLINE
    while core.list_namespaced_pod("default", field_selector="metadata.name=static-box-kubedojo-worker2").items:
        assert time.monotonic() < deadline, "the mirror pod outlived its manifest"
        time.sleep(0.2)


def test_the_control_plane_runs_as_static_pods_of_the_control_plane_node_as_on_kind(real, core, namespace):
    listed = real.node_shell("kubedojo-control-plane", "ls /etc/kubernetes/manifests /etc/kubernetes")
    for name in ("kube-apiserver.yaml", "kube-controller-manager.yaml", "kube-scheduler.yaml", "scheduler.conf",
                 "controller-manager.conf", "pki"):
        assert name in listed.stdout.split(), listed.stdout
    for component in ("kube-apiserver", "kube-controller-manager", "kube-scheduler"):
        pod = core.read_namespaced_pod(f"{component}-kubedojo-control-plane", "kube-system")
        assert "kubernetes.io/config.mirror" in pod.metadata.annotations
        assert pod.spec.host_network and pod.spec.node_name == "kubedojo-control-plane"
        assert ready(pod), pod.status
    # The scheduler in that pod places pods: a pod with no nodeName gets a worker.
    make_pod(core, namespace, "placed", {"image": "busybox:1.36", "command": ["sleep", "60"]})
    assert until(core, namespace, "placed", lambda p: bool(p.spec.node_name), "node").spec.node_name.startswith("kubedojo-worker")


# --- the live grader on real pods (was kind-only) ------------------------------------------------


@pytest.fixture(scope="module")
def kube(control_plane):
    return connect(control_plane.context, str(control_plane.kubeconfig))


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
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "box"},
            "spec": {"terminationGracePeriodSeconds": 0, "containers": [{"name": "box", "image": "busybox:1.36", "command": ["sh", "-c", command]}]}}


def test_exec_checks_run_the_command_in_the_container(kube, catalog):
    exercise = catalog.get("live-exec")
    namespace = fresh(kube, exercise)
    try:
        user_apply(kube, box("touch /tmp/ready; sleep 3600"), namespace)
        report = grade_live(exercise, kube)
        assert report.passed, report.to_json()
    finally:
        live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup)


def test_an_exec_check_fails_on_a_nonzero_exit_code(kube, catalog):
    exercise = catalog.get("live-exec")
    namespace = fresh(kube, exercise)
    try:
        user_apply(kube, box("sleep 3600"), namespace)
        results = {r.check_id: r for r in grade_live(exercise, kube).results}
        assert results["file"].status == "fail" and "exited 1" in results["file"].message
        assert results["hostname"].status == "pass"
    finally:
        live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup)


def test_the_broken_redis_pod_really_fails_to_pull_and_passes_once_replaced(kube, catalog):
    exercise = catalog.get("live-redis-fix")
    namespace = fresh(kube, exercise)
    try:
        assert not grade_live(exercise, kube).passed
        kube.request("DELETE", kube.path("Pod", namespace, "redis"), [("gracePeriodSeconds", 0)], missing_ok=True)
        kube.wait_for("Pod", namespace, lambda items: not items, 30, fields="metadata.name=redis")
        user_apply(kube, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "redis"},
                          "spec": {"containers": [{"name": "redis", "image": "redis"}]}}, namespace)
        report = grade_live(exercise, kube)
        assert report.passed, report.to_json()
    finally:
        live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup)
