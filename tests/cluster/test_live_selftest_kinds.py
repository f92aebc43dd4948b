"""`kubedojo lint --live` for every kind of exercise on the test cluster: a kubectl command run and graded live, a helm
line run in the pack folder, a quiz with nothing to test, a static pod said plainly to be out of reach without a node shell."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from exercises.loader import BUNDLED_PACKS, load_catalog, load_exercise
from exercises.model import Exercise
from graders.cluster import connect, selector
from graders.live_selftest import self_test_live
from tests.cluster.helm import helm_path

pytestmark = pytest.mark.cluster
CATALOG = load_catalog(bundled=True, user=False)

SCALE = {
    "id": "lint-scale", "kind": "command", "domain": "workloads-scheduling",
    "title": {"en": "Scale", "ko": "스케일"}, "task": {"en": "Scale web to 3.", "ko": "web을 3개로."},
    "solution": "kubectl scale deployment web --replicas=3 -n lint-scale",
    "command": {"verb": "scale", "resource": "deployments", "names": ["web"], "namespace": "lint-scale", "flags": {"replicas": "3"}},
    "target": {"kind": "Deployment", "name": "web"},
    "checks": [{"id": "replicas", "type": "field", "path": ".spec.replicas", "expect": {"equals": 3}}],
    "live": {"namespace": "lint-scale", "setup": [
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
         "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                  "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}}]},
    "also_right": [{"answer": "k scale deploy/web --replicas 3", "why": "the alias, TYPE/NAME, and the namespace from the context"},
                   {"answer": "kubectl scale deploy web --replicas=3 -n lint-scale && kubectl get deploy web -n lint-scale", "why": "and a look"}],
    "counterexamples": [{"answer": "kubectl scale deployment web --replicas=2 -n lint-scale", "why": "2 replicas"},
                        {"answer": "kubectl scale deployment web --replicas=3 -n lint-scale --dry-run=client", "why": "a dry run"},
                        {"answer": "kubectl get deployment web -n lint-scale -o yaml > web.yaml", "why": "only reads, into a file"}],
}


@pytest.fixture(scope="module")
def kube(control_plane):
    return connect(control_plane.context, str(control_plane.kubeconfig))


@pytest.fixture
def helm_on_path(tmp_path, monkeypatch):
    """The harness's helm as `helm` on PATH, as an instructor's machine has it."""
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "helm").symlink_to(helm_path())
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")


def test_a_command_exercise_runs_its_kubectl_lines_and_is_graded_live(kube):
    exercise = Exercise.model_validate(SCALE)
    report = self_test_live(exercise, kube)
    assert report.kind == "command" and report.nothing_to_test is None and report.skipped is None
    assert report.ok, report.to_json()
    outcome = {t.what: (t.passed, t.not_run is not None) for t in report.trials}
    assert outcome == {"solution": (True, False), "also_right 1": (True, False), "also_right 2": (True, False),
                       "counterexample 1": (False, False), "counterexample 2": (False, True), "counterexample 3": (False, True)}  # a dry run and a redirect change nothing: not run
    assert all(t.seconds > 0 for t in report.trials) and report.seconds >= report.setup_seconds > 0
    assert report.leftovers == [] and kube.get("Namespace", "lint-scale") is None
    assert kube.list("Deployment", None, labels=selector("lint-scale"))["items"] == []


def test_a_command_exercise_that_only_reads_has_nothing_to_test(kube):
    exercise = Exercise.model_validate(SCALE | {"solution": "kubectl get deployment web -n lint-scale", "also_right": [], "counterexamples": [],
                                                "command": {"verb": "get", "resource": "deployments", "names": ["web"]}})
    report = self_test_live(exercise, kube)
    assert report.ok and report.trials == [] and "only read" in report.nothing_to_test


def test_a_quiz_has_nothing_to_test_live_and_that_is_not_a_problem(kube):
    quiz = next(e for e in CATALOG.exercises() if e.kind == "quiz" and e.live is None)
    report = self_test_live(quiz, kube)
    assert report.ok and report.kind == "quiz" and report.trials == [] and report.skipped is None
    assert "a quiz" in report.nothing_to_test and report.to_json()["nothing_to_test"]


def test_a_static_pod_without_a_node_shell_is_said_to_be_out_of_reach(kube, control_plane):
    static = next(e for e in CATALOG.exercises() if e.live and any(c.type == "mirror_pod" for c in e.live.checks))
    report = self_test_live(static, kube)
    assert report.kind == "static pod" and report.trials == [] and report.error is None
    assert "cannot take a static pod manifest" in report.skipped and "node shell" in report.skipped


def test_a_static_pod_on_nodes_that_are_not_kind_ones_is_said_to_be_out_of_reach(kube):
    from graders.kind_nodes import KindNodes

    static = next(e for e in CATALOG.exercises() if e.live and any(c.type == "mirror_pod" for c in e.live.checks))
    report = self_test_live(static, kube, nodes=KindNodes(lambda node: None))  # docker is there, the nodes are not kind's
    assert report.trials == [] and report.error is None, report.to_json()
    assert report.skipped.startswith("the cluster cannot take a static pod manifest: kubedojo-") and "not a kind node" in report.skipped


def test_a_static_pod_is_written_on_a_node_that_has_a_kubelet(kube, control_plane):
    from tests.cluster.faults import HarnessNodes

    control_plane.require_real_nodes()
    static = next(e for e in CATALOG.exercises() if e.live and any(c.type == "mirror_pod" for c in e.live.checks))
    report = self_test_live(static, kube, nodes=HarnessNodes(control_plane))
    assert report.skipped is None and report.ok, report.to_json()
    assert report.trials[0].passed and not any(t.passed for t in report.trials if not t.must_pass)


def test_a_helm_exercise_runs_its_helm_lines_in_the_pack_folder(kube, helm_on_path):
    exercise, _ = load_exercise(BUNDLED_PACKS / "cka-core" / "cluster-helm-rollback.yaml")
    report = self_test_live(exercise, kube, workdir=BUNDLED_PACKS / "cka-core")
    assert report.kind == "helm" and report.ok, report.to_json()
    assert [t.passed for t in report.trials] == [True] * (1 + len(exercise.also_right)) + [False] * len(exercise.counterexamples)
    assert report.leftovers == [] and kube.get("Namespace", "helm-rollback") is None


def test_a_helm_exercise_without_helm_on_path_is_skipped_saying_so(kube, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    exercise, _ = load_exercise(BUNDLED_PACKS / "cka-core" / "cluster-helm-install.yaml")
    report = self_test_live(exercise, kube, workdir=Path(BUNDLED_PACKS / "cka-core"))
    assert report.trials == [] and report.skipped == "helm is not on PATH: lint --live runs the solution with it"


def test_lint_live_of_a_pack_with_a_chart_runs_helm_there_with_a_relative_kubeconfig(control_plane, tmp_path):
    """The CLI end to end: a pack folder with the chart and the install exercise, the kubeconfig given relative to where
    lint runs (helm runs in the pack folder, so the path must be made absolute)."""
    import shutil

    from tests.unit.instructor_helpers import json_out, kubedojo

    pack = tmp_path / "helmpack"
    shutil.copytree(BUNDLED_PACKS / "cka-core" / "charts", pack / "charts")
    shutil.copy(BUNDLED_PACKS / "cka-core" / "cluster-helm-install.yaml", pack)
    (pack / "pack.yaml").write_text('id: helmpack\ntitle: {en: Helm, ko: Helm}\nversion: "1"\n', encoding="utf-8")
    shutil.copy(control_plane.kubeconfig, tmp_path / "kubeconfig")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "helm").symlink_to(helm_path())
    done = kubedojo("lint", "helmpack", "--live", "--json", "--kubeconfig", "kubeconfig", "--context", control_plane.context,
                    home=tmp_path, env={"PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}"})
    out = json_out(done)
    [report] = out["live"]
    assert done.returncode == 0 and out["problems"] == [] and report["ok"], out
    assert report["kind"] == "helm" and report["seconds"] > 0
    assert [t["passed"] for t in report["trials"] if t["must_pass"]] == [True, True, True]


def test_a_deployment_selected_by_match_expressions_has_its_pods_found_live(kube, control_plane):
    """lint --live proves also_right answers, which test_live_bundled does not: deploy-create's matchExpressions one."""
    exercise, _ = load_exercise(BUNDLED_PACKS / "cka-core" / "deploy-create.yaml")
    if control_plane.real_nodes:  # the harness's registry builds its images: Docker Hub's digests are not among them
        exercise = exercise.model_copy(update={"also_right": [a for a in exercise.also_right if "@sha256:" not in a.answer]})
    assert any("matchExpressions" in a.answer for a in exercise.also_right)
    report = self_test_live(exercise, kube)
    assert report.ok, report.to_json()


SERVICE_ACCOUNT_POD = {
    "id": "lint-sa-pod", "kind": "manifest", "domain": "cluster-architecture",
    "title": {"en": "A pod as builder", "ko": "builder로 도는 파드"}, "task": {"en": "Run pod build as builder.", "ko": "build 파드를 builder로."},
    "solution": "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: builder}\n---\n"
                "apiVersion: v1\nkind: Pod\nmetadata: {name: build}\nspec:\n  serviceAccountName: builder\n"
                "  containers: [{name: build, image: busybox:1.36, command: [sleep, '3600']}]\n",
    "target": {"kind": "Pod", "name": "build"},
    "checks": [{"id": "runs-as-builder", "type": "field", "path": ".spec.serviceAccountName", "expect": {"equals": "builder"}}],
    "live": {"namespace": "lint-sa-pod", "checks": [{"id": "live-as-builder", "type": "field", "path": ".spec.serviceAccountName",
                                                    "expect": {"equals": "builder"}}]},
    "counterexamples": [{"answer": "apiVersion: v1\nkind: Pod\nmetadata: {name: build}\nspec:\n  serviceAccountName: builder\n"
                                   "  containers: [{name: build, image: busybox:1.36, command: [sleep, '3600']}]\n",
                         "why": "the ServiceAccount is never created, so the pod is refused"}],
}


def test_an_answer_the_api_server_refuses_with_403_is_refused_not_a_cluster_failure(kube):
    """The ServiceAccount admission plugin refuses a pod whose account is missing with 403 Forbidden: the answer is wrong,
    the admin user is not short of rights (issue 14: rbac-serviceaccount-pod stopped midway on it)."""
    report = self_test_live(Exercise.model_validate(SERVICE_ACCOUNT_POD), kube)
    assert report.error is None and report.ok, report.to_json()
    solution, counterexample = report.trials
    assert solution.passed and not counterexample.passed and counterexample.not_run is None
    assert counterexample.detail.startswith("the API server refuses it: ") and 'serviceaccount "builder" not found' in counterexample.detail
    assert report.leftovers == [] and kube.get("Namespace", "lint-sa-pod") is None


def test_an_answer_applied_without_the_rights_is_a_cluster_problem_naming_them(control_plane):
    """The limited user's 403 is the context's, not the answer's: lint says to use a context with admin rights."""
    from graders.cluster import ClusterError, describe
    from graders.live_answers import apply_answer

    limited = connect(control_plane.limited_context, str(control_plane.kubeconfig))
    with pytest.raises(ClusterError) as failed:
        apply_answer(limited, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lint-limited}\n", "default", [])
    message, hint = describe(failed.value.problem)
    assert failed.value.problem.kind == "forbidden" and 'User "kubedojo-limited" cannot' in message and "admin rights" in hint
