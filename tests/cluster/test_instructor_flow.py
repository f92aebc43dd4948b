"""An instructor's Friday, end to end on the test cluster: pack new -> edit -> lint -> lint --live -> pack install of an
archive -> the app lists it -> exam grade over three students; and lint --live catches what only the cluster shows."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest

from exercises.loader import load_exercise
from graders.cluster import connect, selector
from graders.live_selftest import self_test_live
from tests.unit.class_samples import write_class
from tests.unit.instructor_helpers import json_out, kubedojo

pytestmark = pytest.mark.cluster


def cluster_args(control_plane) -> list[str]:
    return ["--kubeconfig", str(control_plane.kubeconfig), "--context", control_plane.context]


def test_from_pack_new_to_a_class_results(control_plane, tmp_path):
    assert kubedojo("pack", "new", "friday", home=tmp_path).returncode == 0
    live = tmp_path / "friday" / "friday-live.yaml"  # the edit: three replicas, and one more wrong answer
    text = live.read_text(encoding="utf-8").replace("replicas: 2", "replicas: 3")
    text = text.replace("counterexamples:\n", "counterexamples:\n  - answer: |\n      apiVersion: v1\n      kind: Service\n"
                        "      metadata: {name: web}\n      spec:\n        selector: {app: web}\n        ports: [{port: 80, targetPort: 8080}]\n"
                        "    why: targetPort 8080, where nothing listens\n", 1)
    live.write_text(text, encoding="utf-8")
    linted = kubedojo("lint", "friday", "--strict", "--json", home=tmp_path)
    assert linted.returncode == 0 and json_out(linted) == []

    proved = kubedojo("lint", "friday", "--live", "--json", *cluster_args(control_plane), home=tmp_path)
    report = json_out(proved)
    assert proved.returncode == 0 and report["problems"] == [], report
    by_id = {r["exercise"]: r for r in report["live"]}  # every exercise gets a line; only the live one has something to prove
    assert {i: r["kind"] for i, r in by_id.items() if r["nothing_to_test"]} == {"friday-pod": "manifest", "friday-scale": "command", "friday-quiz": "quiz"}
    exercise = by_id["friday-live"]
    assert exercise["nothing_to_test"] is None and exercise["seconds"] >= exercise["setup_seconds"]
    assert exercise["exercise"] == "friday-live" and exercise["ok"] and exercise["leftovers"] == []
    assert [(t["answer"], t["passed"]) for t in exercise["trials"]] == [
        ("solution", True), ("also_right 1", True), ("also_right 2", True),
        ("counterexample 1", False), ("counterexample 2", False), ("counterexample 3", False)]
    assert all(t["seconds"] > 0 for t in exercise["trials"]) and exercise["setup_seconds"] > 0
    kube = connect(control_plane.context, str(control_plane.kubeconfig))
    assert kube.get("Namespace", "friday-live") is None
    assert kube.list("Deployment", None, labels=selector("friday-live"))["items"] == []

    with tarfile.open(tmp_path / "friday.tar.gz", "w:gz") as archive:
        archive.add(tmp_path / "friday", arcname="friday")
    installed = kubedojo("pack", "install", "friday.tar.gz", home=tmp_path)
    assert installed.returncode == 0, installed.stderr
    assert {"friday-pod", "friday-scale", "friday-quiz", "friday-live"} <= {e["id"] for e in json_out(kubedojo("list", "--json", home=tmp_path))}

    write_class(tmp_path / "friday", tmp_path / "class")
    graded = kubedojo("exam", "grade", "friday/friday-mock", "--class", "class", "--out", "results", "--format", "json", home=tmp_path)
    rows = {r["student"]: r for r in json_out(graded)["rows"]}
    assert graded.returncode == 0 and list(rows) == ["ada", "ben", "cy"]
    assert rows["ada"]["passed"] and not rows["ben"]["passed"] and rows["cy"]["score"] == 0
    assert sorted(p.name for p in (tmp_path / "results" / "junit").iterdir()) == ["ada.xml", "ben.xml", "cy.xml"]


def test_lint_live_reports_what_only_the_cluster_shows(control_plane, tmp_path):
    """Offline the answers are right (the check's pod labels say so), but the set-up pods are labelled otherwise."""
    assert kubedojo("pack", "new", "drift", home=tmp_path).returncode == 0
    live = tmp_path / "drift" / "drift-live.yaml"
    live.write_text(live.read_text(encoding="utf-8").replace("metadata: {labels: {app: web}}", "metadata: {labels: {app: web-v2}}")
                    .replace("selector: {matchLabels: {app: web}}", "selector: {matchLabels: {app: web-v2}}"), encoding="utf-8")
    assert kubedojo("lint", "drift", "--json", home=tmp_path).returncode == 0
    proved = kubedojo("lint", "drift", "--live", *cluster_args(control_plane), home=tmp_path)
    assert proved.returncode == 1, proved.stdout
    assert "live: solution (the reference solution) fails live: routes-to-web" in proved.stdout
    assert "✘ solution" in proved.stdout and "Traceback" not in proved.stderr


def test_lint_live_refuses_a_context_that_is_not_a_practice_one(control_plane, tmp_path):
    assert kubedojo("pack", "new", "careful", home=tmp_path).returncode == 0
    refused = kubedojo("lint", "careful", "--live", "--kubeconfig", str(control_plane.kubeconfig), "--context", "prod-admin", home=tmp_path)
    assert refused.returncode == 2 and "not a practice context" in refused.stderr


def test_the_self_test_of_one_exercise_cleans_up_after_a_refused_answer(control_plane, tmp_path):
    from exercises.scaffold import new_pack

    new_pack("tidy", tmp_path / "tidy")
    exercise, _ = load_exercise(tmp_path / "tidy" / "tidy-live.yaml")
    bad = exercise.model_copy(update={"counterexamples": [*exercise.counterexamples, type(exercise.counterexamples[0])(
        answer="apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 99999}]}\n", why="a port the API server refuses")]})
    kube = connect(control_plane.context, str(control_plane.kubeconfig))
    report = self_test_live(bad, kube)
    refused = report.trials[-1]
    assert refused.ok and not refused.passed and "the API server refuses it" in refused.detail
    assert report.ok and report.leftovers == [] and json.dumps(report.to_json())


def test_in_the_default_namespace_the_answers_objects_are_removed_too(control_plane, tmp_path):
    from exercises.scaffold import new_pack

    new_pack("plain", tmp_path / "plain")
    exercise, _ = load_exercise(tmp_path / "plain" / "plain-live.yaml")
    exercise = exercise.model_copy(update={"live": exercise.live.model_copy(update={"namespace": None})})
    kube = connect(control_plane.context, str(control_plane.kubeconfig))
    report = self_test_live(exercise, kube)
    assert report.namespace == "default" and report.ok, report.to_json()
    assert kube.get("Service", "web", "default") is None and kube.get("Deployment", "web", "default") is None
