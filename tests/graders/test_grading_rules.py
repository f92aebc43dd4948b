"""Rules every report keeps: a skipped check proves nothing, and a check type kubedojo does not know is a lint error with its line."""

from __future__ import annotations

import sys
import subprocess
from pathlib import Path

from pydantic import TypeAdapter

from exercises.model import Check
from graders.checks import RUNNERS, Subject, run_checks
from graders.report import CheckResult, GradeReport

POD = {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}


def test_a_report_of_skips_does_not_pass():
    report = GradeReport("x", (CheckResult("a", "skip", "needs a cluster"),), mode="live")
    assert not report.passed
    assert report.to_json()["passed"] is False
    assert report.score == 0


def test_a_skip_next_to_passes_does_not_pass():
    report = GradeReport("x", (CheckResult("a", "pass", "ok"), CheckResult("b", "skip", "needs a cluster")))
    assert not report.passed


def test_a_check_without_a_runner_in_this_mode_is_skipped_and_fails_the_report():
    check = TypeAdapter(Check).validate_python({"id": "ready", "type": "pod_ready"})
    results = run_checks([check], Subject([POD]), RUNNERS)
    assert [r.status for r in results] == ["skip"]
    assert not GradeReport("x", tuple(results), mode="live").passed


def test_an_unknown_check_type_is_a_lint_error_with_file_and_line(tmp_path: Path):
    (tmp_path / "pack.yaml").write_text('id: t\ntitle: {en: T, ko: T}\nversion: "1"\n', encoding="utf-8")
    (tmp_path / "ex.yaml").write_text(
        "id: ex\nkind: manifest\ntitle: {en: T, ko: T}\ntask: {en: T, ko: T}\ndomain: storage\nsolution: x\n"
        "target: {kind: Pod, name: p}\nchecks:\n  - {id: a, type: object_exists}\n  - id: b\n    type: selectz\n",
        encoding="utf-8",
    )
    out = subprocess.run([sys.executable, "-m", "app.cli", "lint", str(tmp_path)], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2], check=False)
    assert out.returncode != 0
    assert f"{tmp_path / 'ex.yaml'}:10: error" in out.stdout + out.stderr
    assert "selectz" in out.stdout + out.stderr


def test_live_grading_reads_what_each_check_type_needs():
    from exercises.loader import load_catalog
    from exercises.model import ObjectRef
    from graders.live import _refs

    catalog = load_catalog(bundled=True, user=False)
    policy = catalog.get("net-policy-allow")
    refs = _refs(policy, policy.all_checks())
    assert ObjectRef(kind="NetworkPolicy", namespace="prod") in refs and ObjectRef(kind="NetworkPolicy", namespace="dev") in refs
    rbac = catalog.get("rbac-role-binding")
    refs = _refs(rbac, rbac.all_checks())
    assert {ObjectRef(kind="ClusterRole"), ObjectRef(kind="ClusterRoleBinding"), ObjectRef(kind="RoleBinding", namespace="dev"),
            ObjectRef(kind="Role", namespace="dev")} <= set(refs)
    service = catalog.get("svc-clusterip")
    assert ObjectRef(kind="Deployment", name="web") in _refs(service, service.all_checks())


def test_a_check_that_cannot_read_an_odd_answer_is_an_error_not_an_exception():
    check = TypeAdapter(Check).validate_python({"id": "p", "type": "field", "path": ".spec.ports[?(@.port==80)].targetPort", "expect": {"equals": 8080}})
    service = {"kind": "Service", "metadata": {"name": "s"}, "spec": {"ports": [{"port": []}]}}
    (result,) = run_checks([check], Subject([service]))
    assert result.status in ("fail", "error")
    assert not GradeReport("x", (result,)).passed
