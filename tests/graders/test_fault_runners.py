"""Where faults run: kind nodes through `docker exec` (fixed argv, no shell), and setup/reset of a practice cluster around them."""

from __future__ import annotations

import subprocess
from types import SimpleNamespace

import pytest

from exercises.model import Exercise
from graders import practice as practice_module
from graders.cluster import Outcome
from graders.faults import FaultError
from graders.kind_nodes import KindNodes
from tests.graders.test_faults import MemoryNodes


class Docker:
    """subprocess.run standing in for docker: records argv, answers `test -f` from a set of files."""

    def __init__(self, files: dict[str, str]):
        self.files = files
        self.calls: list[list[str]] = []

    def __call__(self, argv, input=None, capture_output=True, text=True, timeout=None):
        self.calls.append(argv)
        command = argv[argv.index("kubedojo-worker") + 1:]
        if command[:2] == ["test", "-f"]:
            return subprocess.CompletedProcess(argv, 0 if command[2] in self.files else 1, "", "")
        if command[0] == "cat":
            return subprocess.CompletedProcess(argv, 0, self.files[command[1]], "")
        if command[0] == "systemctl" and command[2] != "kubelet":
            return subprocess.CompletedProcess(argv, 5, "", "Unit not found.")
        return subprocess.CompletedProcess(argv, 0, "", "")


def test_kind_nodes_run_fixed_commands_in_the_node_container(monkeypatch):
    docker = Docker({"/var/lib/kubelet/config.yaml": "kind: KubeletConfiguration\n"})
    monkeypatch.setattr(subprocess, "run", docker)
    nodes = KindNodes(lambda name: name if name.startswith("kubedojo-") else None)
    nodes.kubelet("kubedojo-worker", "stop")
    assert nodes.read("kubedojo-worker", "/var/lib/kubelet/config.yaml") == "kind: KubeletConfiguration\n"
    assert nodes.read("kubedojo-worker", "/var/lib/kubelet/missing") is None
    nodes.write("kubedojo-worker", "/etc/kubernetes/kubedojo-undo/x/f", "text")
    assert docker.calls[0] == ["docker", "exec", "kubedojo-worker", "systemctl", "stop", "kubelet"]
    assert ["docker", "exec", "-i", "kubedojo-worker", "cp", "/dev/stdin", "/etc/kubernetes/kubedojo-undo/x/f"] in docker.calls
    assert not any("sh" in call for call in docker.calls)


def test_a_node_that_is_not_a_kind_node_is_refused_by_name(monkeypatch):
    monkeypatch.setattr(subprocess, "run", Docker({}))
    with pytest.raises(FaultError, match="node01 is not a kind node"):
        KindNodes(lambda name: None).kubelet("node01", "stop")


EXERCISE = Exercise.model_validate({
    "id": "trouble-x", "kind": "manifest", "domain": "troubleshooting", "title": {"en": "x", "ko": "x"},
    "task": {"en": "x", "ko": "x"}, "solution": "# systemctl start kubelet", "target": {"kind": "Node", "name": "w"},
    "live": {"mode": "only", "namespace": "trouble-x", "checks": [{"id": "r", "type": "pod_ready", "object": {"kind": "Pod", "name": "p"}}],
             "faults": [{"fault": "kubelet_stopped", "node": "w"}]},
})


def practice_with(monkeypatch, nodes: MemoryNodes) -> practice_module.Practice:
    cluster = SimpleNamespace(info=SimpleNamespace(name="kind-kubedojo", server="https://127.0.0.1:1"), version=lambda: {})
    monkeypatch.setattr(practice_module, "missing_tools", lambda *tools: None)
    monkeypatch.setattr(practice_module.Practice, "connect", lambda self, practice_only=False: cluster)
    monkeypatch.setattr(practice_module.Practice, "nodes", lambda self: nodes)
    monkeypatch.setattr("graders.cluster.setup", lambda *a, **k: Outcome("setup", "trouble-x", "trouble-x", ("Namespace/trouble-x",), 0.1))
    monkeypatch.setattr("graders.cluster.reset", lambda *a, **k: Outcome("reset", "trouble-x", "trouble-x", ("Namespace/trouble-x",), 0.1))
    return practice_module.Practice()


def test_setup_breaks_the_node_after_the_objects_and_reset_repairs_it_first(monkeypatch):
    nodes = MemoryNodes({})
    practice = practice_with(monkeypatch, nodes)
    done = practice.setup(EXERCISE)
    assert done.ok and done.outcome.objects == ("Namespace/trouble-x", "w: kubelet stopped")
    assert nodes.kubelets == {"w": "stopped"}
    undone = practice.reset(EXERCISE)
    assert undone.ok and undone.outcome.objects[0] == "w: kubelet restarted"
    assert nodes.kubelets == {"w": "running"}


def test_a_fault_that_cannot_be_carried_out_is_a_message_not_a_traceback(monkeypatch):
    class Broken(MemoryNodes):
        def kubelet(self, node, action):
            raise FaultError(f"{node}: `systemctl {action} kubelet` failed: no systemd")

    done = practice_with(monkeypatch, Broken({})).setup(EXERCISE)
    assert not done.ok and "no systemd" in done.error()[0]


def test_without_docker_an_exercise_that_breaks_nodes_says_so(monkeypatch):
    monkeypatch.setattr(practice_module, "missing_tools", lambda *tools: "docker is not installed")
    done = practice_module.Practice().setup(EXERCISE)
    assert not done.ok and "breaks a node" in done.error()[0] and "docker is not installed" in done.error()[0]
