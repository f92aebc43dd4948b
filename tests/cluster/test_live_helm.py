"""The Helm exercises on the test cluster: set up, their solutions and also-right answers run with the harness's helm
(the test cluster's kubeconfig, in the pack folder) pass live, their counterexamples fail; graded from the release
Secrets and the objects, as a user's cluster would be. Kwok's nodes are enough: pods become Running and Ready by kwok."""

from __future__ import annotations

import json
import shlex

import pytest

from exercises.loader import load_catalog
from graders import cluster as live_cluster
from graders.cluster import connect
from graders.live import exercise_namespace, grade_live
from graders.live_selftest import answer_kind, impatient
from tests.cluster.helm import STARTS, make_setup, run_helm

pytestmark = pytest.mark.cluster
CATALOG = load_catalog(bundled=True, user=False)
HELM = [e for e in CATALOG.exercises() if e.live is not None and answer_kind(e) == "helm"]


@pytest.fixture(scope="module")
def kube(control_plane):
    return connect(control_plane.context, str(control_plane.kubeconfig))


def test_there_are_helm_exercises_for_install_upgrade_and_rollback():
    verbs = {shlex.split(e.solution)[1] for e in HELM}
    assert verbs >= {"install", "upgrade", "rollback"}


def test_every_bundled_live_exercise_that_is_not_a_manifest_is_a_helm_one_tested_here():
    others = [e.id for e in CATALOG.exercises() if e.live is not None and e.kind != "manifest" and e not in HELM]
    assert others == []


def helm_line(line: str, control_plane, namespace: str):
    """The answer as a user types it in the exercise's terminal, whose kubeconfig points at the exercise's namespace."""
    words = shlex.split(line)
    assert words[0] == "helm"
    return run_helm(words[1:], str(control_plane.kubeconfig), control_plane.context, namespace, check=False)


@pytest.mark.parametrize("exercise", HELM, ids=lambda e: e.id)
def test_helm_answers_graded_live(kube, control_plane, exercise, monkeypatch):
    namespace = exercise_namespace(exercise)

    def fresh() -> None:
        live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup, wait_namespace=True)
        live_cluster.setup(kube, exercise.id, namespace, exercise.live.setup)

    try:
        if exercise.live.setup:  # the starting state is a release, as helm would have left it: helm reads it back
            fresh()
            history = helm_line(f"helm history web -n {namespace} -o json", control_plane, namespace)
            assert history.returncode == 0, history.stderr
            assert [r["status"] for r in json.loads(history.stdout)][-1] == "deployed"
        for answer, why in [(exercise.solution, "the solution")] + [(a.answer, a.why) for a in exercise.also_right]:
            fresh()
            done = helm_line(answer, control_plane, namespace)
            assert done.returncode == 0, f"{answer}: {done.stderr}"
            report = grade_live(exercise, kube)
            assert report.passed, f"{why}: " + json.dumps(report.to_json(), indent=1, ensure_ascii=False)
        monkeypatch.setattr("graders.live.STATUS_SETTLE_SECONDS", 3.0)
        for counter in exercise.counterexamples:
            fresh()
            if helm_line(counter.answer, control_plane, namespace).returncode != 0:
                continue  # helm refuses it (a name in use ...): nothing changed, and the starting state must fail
            report = grade_live(impatient(exercise), kube)
            assert not report.passed, f"counterexample passed live ({counter.why})"
    finally:
        live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup, wait_namespace=True)


@pytest.mark.parametrize("exercise", [e for e in HELM if e.id in STARTS], ids=lambda e: e.id)
def test_the_starting_state_fails_and_is_what_helm_makes(kube, control_plane, exercise):
    """Graded before any answer, the setup fails; and it is the release helm makes today from the chart (the Secrets
    hold timestamps, so what is compared is each revision's status, chart, values and manifest)."""
    from graders.meaning import helm

    namespace = exercise_namespace(exercise)
    try:
        live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup, wait_namespace=True)
        live_cluster.setup(kube, exercise.id, namespace, exercise.live.setup)
        assert not grade_live(impatient(exercise), kube).passed
    finally:
        live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup, wait_namespace=True)

    def seen(objects):
        return [(r.version, r.status, r.chart_version, r.config, r.values) for r in helm.history(objects, "web")]

    made = make_setup(kube, str(control_plane.kubeconfig), control_plane.context, exercise.id)
    assert seen(made) == seen(exercise.live.setup)
    assert [o for o in made if o["kind"] != "Secret"] == [o for o in exercise.live.setup if o["kind"] != "Secret"]
