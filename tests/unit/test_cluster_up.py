"""`cluster up`'s steps (app.cluster_up), on a fake kind and API server: what runs, what is said, how it ends."""

from __future__ import annotations

from app.cluster_up import ClusterUp, run_streaming


def node(name: str, ready: bool) -> dict:
    return {"metadata": {"name": name}, "status": {"conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}}


class Fake:
    def __init__(self, clusters: str = "", nodes=None) -> None:
        self.clusters = clusters
        self.nodes = nodes if nodes is not None else [node(f"n{i}", True) for i in range(3)]
        self.calls: list[list[str]] = []

    def run(self, argv, say) -> int:
        self.calls.append(list(argv))
        if argv[1:3] == ["get", "clusters"] and self.clusters:
            say(self.clusters)
        return 0

    def connect(self, context):
        fake = self

        class Kube:
            def wait_for(self, kind, namespace, done, timeout):
                done(fake.nodes)
                return fake.nodes

        return Kube()

    def up(self) -> ClusterUp:
        return ClusterUp(run=self.run, connect=self.connect, missing=lambda: None, timeout=1)


def test_a_new_cluster_is_created_and_its_nodes_waited_for():
    fake, said = Fake(), []
    done = fake.up()(said.append)
    assert done.ok and done.nodes == ("n0", "n1", "n2")
    assert fake.calls[1][:5] == ["kind", "create", "cluster", "--name", "kubedojo"]
    assert "nodes Ready: 3/3" in said[-1]


def test_an_existing_cluster_is_reused_and_its_kubeconfig_exported():
    fake = Fake(clusters="other\nkubedojo")
    done = fake.up()(lambda line: None)
    assert done.ok
    assert ["kind", "export", "kubeconfig", "--name", "kubedojo"] in fake.calls
    assert not any(c[:3] == ["kind", "create", "cluster"] for c in fake.calls)


def test_nodes_not_ready_in_time_say_where_to_look():
    fake = Fake(nodes=[node("n0", True), node("n1", False), node("n2", True)])
    done = fake.up()(lambda line: None)
    assert not done.ok and "kubectl describe node" in done.message


def test_missing_tools_stop_it_before_anything_runs():
    fake = Fake()
    done = ClusterUp(run=fake.run, connect=fake.connect, missing=lambda: "kind is not installed")(lambda line: None)
    assert not done.ok and done.message == "kind is not installed" and fake.calls == []


def test_streamed_output_comes_line_by_line_and_a_missing_program_is_said():
    lines: list[str] = []
    assert run_streaming(["sh", "-c", "printf 'one\\rtwo\\nthree'; exit 3"], lines.append) == 3
    assert lines == ["one", "two", "three"]
    said: list[str] = []
    assert run_streaming(["/nonexistent/kind"], said.append) == 127 and "No such file" in said[0]


def test_in_korean_kubedojos_own_lines_and_the_outcome_are_korean_and_kinds_stay_as_printed():
    fake = Fake(clusters="kubedojo")
    lines = {"get": "kubedojo", "export": 'Set kubectl context to "kind-kubedojo"'}
    fake.run = lambda argv, say: say(lines[argv[1]]) or 0
    said: list[str] = []
    done = ClusterUp(run=fake.run, connect=fake.connect, missing=lambda: None, timeout=1, lang="ko")(said.append)
    assert done.ok and "준비되었습니다" in done.message
    assert said[0].startswith("kind 클러스터 kubedojo이(가) 이미 있습니다")
    assert 'Set kubectl context to "kind-kubedojo"' in said  # kind's own line, as kind printed it
    assert said[-1].startswith("Ready 노드: 3/3")
    late = Fake(nodes=[node("n0", False)])
    assert "Ready가 아닌 노드" in ClusterUp(run=late.run, connect=late.connect, missing=lambda: None, timeout=1, lang="ko")(said.append).message


def test_missing_tools_are_said_in_korean():
    from graders.practice import INSTALL, INSTALL_KO

    assert INSTALL.keys() == INSTALL_KO.keys() and all("설치되어 있지 않습니다" in v for v in INSTALL_KO.values())
