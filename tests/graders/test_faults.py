"""Node faults: the vocabulary's validation, the manifest edit, apply and undo on nodes kept in memory, and lint's refusal."""

from __future__ import annotations

import pytest
import yaml
from pydantic import TypeAdapter, ValidationError

from exercises.loader import load_exercise
from graders.faults import UNDO_DIR, Fault, FaultError, apply_faults, edit_flag, undo_faults

SCHEDULER = yaml.safe_dump({
    "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "kube-scheduler", "namespace": "kube-system"},
    "spec": {"containers": [{"name": "kube-scheduler", "image": "registry.k8s.io/kube-scheduler:v1.35.0",
                             "command": ["kube-scheduler", "--kubeconfig=/etc/kubernetes/scheduler.conf", "--leader-elect=true"]}]},
})
FAULT = TypeAdapter(Fault)


class MemoryNodes:
    """Nodes whose files are a dict and whose kubelets are a flag: what the faults did, without a cluster."""

    def __init__(self, files: dict[tuple[str, str], str]):
        self.files = dict(files)
        self.kubelets: dict[str, str] = {}
        self.calls: list[tuple[str, ...]] = []

    def kubelet(self, node, action):
        self.kubelets[node] = "stopped" if action == "stop" else "running"
        self.calls.append(("kubelet", node, action))

    def read(self, node, path):
        return self.files.get((node, path))

    def write(self, node, path, text):
        self.files[(node, path)] = text

    def move(self, node, path, to):
        self.files[(node, to)] = self.files.pop((node, path))

    def remove(self, node, path):
        self.files.pop((node, path), None)


def command_of(manifest: str) -> list[str]:
    return yaml.safe_load(manifest)["spec"]["containers"][0]["command"]


@pytest.mark.parametrize("flag, value, expected", [
    ("--kubeconfig", "/etc/kubernetes/scheduler.con", ["kube-scheduler", "--kubeconfig=/etc/kubernetes/scheduler.con", "--leader-elect=true"]),
    ("--bind-address", "999.0.0.1", ["kube-scheduler", "--kubeconfig=/etc/kubernetes/scheduler.conf", "--leader-elect=true", "--bind-address=999.0.0.1"]),
    ("--kubeconfig", None, ["kube-scheduler", "--leader-elect=true"]),
])
def test_edit_flag_sets_replaces_or_removes(flag, value, expected):
    assert command_of(edit_flag(SCHEDULER, flag, value)) == expected


@pytest.mark.parametrize("manifest, flag, value, container, why", [
    ("a: [", "--x", "1", None, "not YAML"),
    ("kind: Pod\nspec: {}\n", "--x", "1", None, "no containers"),
    (SCHEDULER, "--nope", None, None, "no flag --nope"),
    (SCHEDULER, "--x", "1", "other", "no container 'other'"),
])
def test_edit_flag_refuses_what_it_cannot_edit(manifest, flag, value, container, why):
    with pytest.raises(FaultError, match=why):
        edit_flag(manifest, flag, value, container)


@pytest.mark.parametrize("fault", [
    {"fault": "file_moved", "node": "kubedojo-worker", "path": "/etc/passwd", "to": "/etc/kubernetes/x"},
    {"fault": "file_moved", "node": "kubedojo-worker", "path": "/var/lib/kubelet/../../etc/shadow", "to": "/var/lib/kubelet/x"},
    {"fault": "file_moved", "node": "kubedojo-worker", "path": "var/lib/kubelet/config.yaml", "to": "/var/lib/kubelet/x"},
    {"fault": "manifest_flag_set", "node": "kubedojo-control-plane", "manifest": "../kubelet.conf", "flag": "--x", "value": "1"},
    {"fault": "manifest_flag_set", "node": "kubedojo-control-plane", "manifest": "kube-scheduler.yaml", "flag": "x; rm -rf /", "value": "1"},
    {"fault": "kubelet_stopped", "node": "Bad Node"},
    {"fault": "run_shell", "node": "kubedojo-worker", "command": "reboot"},
    {"fault": "kubelet_stopped", "node": "kubedojo-worker", "command": "reboot"},
])
def test_the_vocabulary_refuses_anything_else(fault):
    with pytest.raises(ValidationError):
        FAULT.validate_python(fault)


def test_a_flag_fault_is_undone_from_the_original_even_after_setup_twice():
    path = "/etc/kubernetes/manifests/kube-scheduler.yaml"
    nodes = MemoryNodes({("cp", path): SCHEDULER})
    faults = [FAULT.validate_python({"fault": "manifest_flag_set", "node": "cp", "manifest": "kube-scheduler.yaml",
                                     "flag": "--kubeconfig", "value": "/etc/kubernetes/scheduler.con"})]
    apply_faults("ex", faults, nodes)
    apply_faults("ex", faults, nodes)
    assert "--kubeconfig=/etc/kubernetes/scheduler.con" in command_of(nodes.files[("cp", path)])
    undo_faults("ex", faults, nodes)
    assert nodes.files == {("cp", path): SCHEDULER}


def test_a_moved_config_and_a_restarted_kubelet_come_back_in_order():
    config = "/var/lib/kubelet/config.yaml"
    nodes = MemoryNodes({("w", config): "kind: KubeletConfiguration\n"})
    faults = [FAULT.validate_python(f) for f in (
        {"fault": "file_moved", "node": "w", "path": config, "to": "/var/lib/kubelet/config.yaml.bak"},
        {"fault": "kubelet_restarted", "node": "w"})]
    broken = apply_faults("ex", faults, nodes)
    assert ("w", config) not in nodes.files and len(broken.done) == 2
    nodes.calls.clear()
    undo_faults("ex", faults, nodes)
    assert nodes.files == {("w", config): "kind: KubeletConfiguration\n"}
    assert nodes.calls == [("kubelet", "w", "restart")]  # after the file is back, once


def test_undo_leaves_a_repair_the_user_made_alone_and_starts_a_stopped_kubelet():
    config = "/var/lib/kubelet/config.yaml"
    nodes = MemoryNodes({("w", config): "x"})
    faults = [FAULT.validate_python(f) for f in (
        {"fault": "file_moved", "node": "w", "path": config, "to": "/etc/kubernetes/config.yaml"},
        {"fault": "kubelet_stopped", "node": "w"})]
    apply_faults("ex", faults, nodes)
    assert nodes.kubelets == {"w": "stopped"}
    nodes.move("w", "/etc/kubernetes/config.yaml", config)  # the user's fix
    undo_faults("ex", faults, nodes)
    assert nodes.files == {("w", config): "x"} and nodes.kubelets == {"w": "running"}
    assert not any(path.startswith(UNDO_DIR) for _, path in nodes.files)


def test_a_fault_on_a_missing_file_says_which():
    nodes = MemoryNodes({})
    faults = [FAULT.validate_python({"fault": "manifest_flag_removed", "node": "cp", "manifest": "etcd.yaml", "flag": "--data-dir"})]
    with pytest.raises(FaultError, match="cp: there is no static pod manifest /etc/kubernetes/manifests/etcd.yaml"):
        apply_faults("ex", faults, nodes)


def test_lint_refuses_a_fault_outside_the_vocabulary_with_file_and_line(tmp_path):
    path = tmp_path / "trouble-x.yaml"
    path.write_text("""id: trouble-x
kind: manifest
domain: troubleshooting
title: {en: x, ko: x}
task: {en: x, ko: x}
solution: x
target: {kind: Node, name: kubedojo-worker}
live:
  mode: only
  checks:
    - {id: ready, type: pod_ready}
  faults:
    - fault: kubelet_stopped
      node: kubedojo-worker
    - fault: shell
      command: systemctl stop kubelet
""")
    exercise, problems = load_exercise(path)
    assert exercise is None
    assert any(p.line == 15 and "fault" in p.message for p in problems), [str(p) for p in problems]


def test_faults_need_a_live_only_exercise(tmp_path):
    path = tmp_path / "trouble-x.yaml"
    path.write_text("""id: trouble-x
kind: manifest
domain: troubleshooting
title: {en: x, ko: x}
task: {en: x, ko: x}
solution: x
target: {kind: Node, name: kubedojo-worker}
live:
  checks:
    - {id: ready, type: pod_ready}
  faults:
    - {fault: kubelet_stopped, node: kubedojo-worker}
""")
    exercise, problems = load_exercise(path)
    assert exercise is None and any("mode: only" in p.message for p in problems), [str(p) for p in problems]
