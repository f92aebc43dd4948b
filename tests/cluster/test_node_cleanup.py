"""A real node's mounts stay inside its mount namespace, and stopping it leaves no process, mount or cgroup behind."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from tests.cluster import cgroups, nodes, processes
from tests.cluster.nodes import Node


@pytest.fixture
def node(control_plane, tmp_path):
    control_plane.require_real_nodes()  # its mount targets (/etc/kubernetes, ...) exist while real nodes run
    node = Node(f"kdj-cleanup-{secrets.token_hex(3)}", 99, False, tmp_path / "node")
    for bind in nodes.BINDS:
        (node.root / bind).mkdir(parents=True)
    cgroups.create(node.cgroup + "/system")
    yield node
    nodes.stop(node)


def test_a_node_sees_its_own_files_where_kubeadm_puts_them_and_the_host_does_not(node, tmp_path):
    (node.root / "var/lib/kubelet/config.yaml").write_text("staticPodPath: /etc/kubernetes/manifests\n")
    holder = processes.start("holder", nodes.holder_command(node), tmp_path / "holder.log", cwd=tmp_path, env={"PATH": nodes.PATH})
    nodes.wait_for_path(node.root / ".mounted", "the holder", 10, lambda: processes.is_running(holder))
    inside = nodes.node_shell(node, holder.pid, "cat /var/lib/kubelet/config.yaml")
    assert inside.stdout == "staticPodPath: /etc/kubernetes/manifests\n", inside.stderr
    assert str(node.root) not in Path("/proc/self/mountinfo").read_text()
    assert not Path("/var/lib/kubelet/config.yaml").exists() or Path("/var/lib/kubelet/config.yaml").read_text() != inside.stdout


def test_stopping_a_node_kills_everything_in_its_cgroup_and_its_mounts_go_with_it(node, tmp_path):
    holder = processes.start("holder", nodes.holder_command(node), tmp_path / "holder.log", cwd=tmp_path, env={"PATH": nodes.PATH})
    nodes.wait_for_path(node.root / ".mounted", "the holder", 10, lambda: processes.is_running(holder))
    started = nodes.node_shell(node, holder.pid, "setsid sleep 600 > /dev/null 2>&1 < /dev/null & echo $!")
    sleeper = int(started.stdout.split()[-1])
    assert {holder.pid, sleeper} <= cgroups.pids(node.cgroup)
    mounts_before = Path(f"/proc/{holder.pid}/mountinfo").read_text()
    assert str(node.root / "var/lib/kubelet") in mounts_before
    assert nodes.stop(node) == set()
    assert not processes.is_running(holder)
    assert (processes._stat(sleeper) or ("Z",))[0] == "Z"  # gone, or dead and not yet reaped by init
    assert not any((h / node.cgroup).exists() for h in cgroups.hierarchies())
    assert str(node.root) not in Path("/proc/self/mountinfo").read_text()
