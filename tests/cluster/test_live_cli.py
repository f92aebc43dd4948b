"""The live commands end to end, as a user runs them: setup, solve with the API, check --live, reset, cluster status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graders.cluster import connect

pytestmark = pytest.mark.cluster
PACK = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "live"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def kubedojo(control_plane, tmp_path):
    def run(*args: str, pack: bool = True) -> tuple[int, dict]:
        env = {**os.environ, "KUBEDOJO_CONFIG_DIR": str(tmp_path / "config"), "KUBEDOJO_DATA_DIR": str(tmp_path / "data")}
        cmd = [sys.executable, "-m", "app.cli", *args, "--kubeconfig", str(control_plane.kubeconfig), "--context", control_plane.context, "--json"]
        cmd += ["--pack", str(PACK)] if pack else []
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
        assert "Traceback" not in done.stderr, done.stderr
        return done.returncode, json.loads(done.stdout)

    return run


def test_setup_solve_check_reset(control_plane, kubedojo):
    kube = connect(control_plane.context, str(control_plane.kubeconfig))
    code, done = kubedojo("setup", "live-redis-fix")
    assert code == 0 and done["namespace"] == "live-redis-fix"
    code, verdict = kubedojo("check", "live-redis-fix", "--live")
    assert code == 1 and verdict["mode"] == "live" and not verdict["passed"]
    assert [c["id"] for c in verdict["checks"] if not c["passed"]] == ["image", "running", "ready"]
    # kubectl -n live-redis-fix replace --force -f redis.yaml (kwok does not re-stage a pod edited in place)
    pod = kube.get("Pod", "redis", "live-redis-fix")
    pod["spec"]["containers"][0]["image"] = "redis:7"
    kube.request("DELETE", kube.path("Pod", "live-redis-fix", "redis"), [("gracePeriodSeconds", 0)])
    kube.wait_for("Pod", "live-redis-fix", lambda items: not items, 30, fields="metadata.name=redis")
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "redis", "labels": pod["metadata"].get("labels", {})}, "spec": pod["spec"]}
    kube.request("POST", kube.path("Pod", "live-redis-fix"), body=pod)
    code, verdict = kubedojo("check", "live-redis-fix", "--live")
    assert code == 0 and verdict["passed"] and verdict["score"] == verdict["max_score"] == 3, verdict
    code, done = kubedojo("reset", "live-redis-fix")
    assert code == 0 and done["pending"] == []
    assert kube.list("Pod", "live-redis-fix")["items"] == []


def test_cluster_status_shows_context_server_version_nodes_and_kubedojos_namespaces(control_plane, kubedojo):
    kubedojo("setup", "live-web")
    try:
        code, status = kubedojo("cluster", "status", pack=False)
    finally:
        kubedojo("reset", "live-web")
    assert code == 0
    assert status["context"] == control_plane.context and status["server"] == control_plane.server and status["practice"]
    assert status["version"].startswith("v1.")
    assert {n["name"] for n in status["nodes"]} >= {"kubedojo-control-plane", "kubedojo-worker", "kubedojo-worker2"}
    assert {"name": "live-web", "exercise": "live-web", "phase": "Active"} in status["namespaces"]


def test_check_live_of_an_exercise_without_a_live_version_is_unusable(control_plane):
    from app.cluster_cli import check_live
    from exercises.loader import load_catalog

    exercise = load_catalog([PACK], bundled=False, user=False).get("live-web").model_copy(update={"live": None})
    report = check_live(exercise, "en", context=control_plane.context, kubeconfig=str(control_plane.kubeconfig))
    assert not report.usable and report.mode == "live" and "no live version" in report.errors[0].message


def test_show_json_names_the_namespace(kubedojo):
    done = subprocess.run([sys.executable, "-m", "app.cli", "show", "live-web", "--json", "--pack", str(PACK)], capture_output=True, text=True, cwd=ROOT)
    assert json.loads(done.stdout)["namespace"] == "live-web"
