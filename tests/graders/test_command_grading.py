"""Command answers graded by meaning: tables of answers that must pass and must fail, each named by what it shows."""

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exercises.loader import load_catalog
from exercises.model import Exercise
from graders.grade import grade

TABLE = yaml.safe_load((Path(__file__).parents[1] / "fixtures" / "commands" / "bundled.yaml").read_text(encoding="utf-8"))
EXERCISES = {e.id: e for e in load_catalog(bundled=True, user=False).exercises()}
PASSING = [pytest.param(eid, line, id=f"{eid}:{name}") for eid, rows in TABLE.items() for name, line in rows.get("pass", {}).items()]
FAILING = [pytest.param(eid, row["answer"], row["check"], row["says"], id=f"{eid}:{name}") for eid, rows in TABLE.items() for name, row in rows.get("fail", {}).items()]


def _why(report) -> str:
    return "; ".join(f"{r.check_id}: {r.message}" for r in report.results if not r.passed) + "; ".join(e.message for e in report.errors)


@pytest.mark.parametrize(("exercise_id", "line"), PASSING)
def test_right_answers_pass(exercise_id: str, line: str):
    report = grade(EXERCISES[exercise_id], line)
    assert report.passed, _why(report)
    assert report.score == report.max_score


@pytest.mark.parametrize(("exercise_id", "line", "check", "words"), FAILING)
def test_wrong_answers_fail_and_say_why(exercise_id: str, line: str, check: str, words: str):
    report = grade(EXERCISES[exercise_id], line)
    assert not report.passed
    if check == "(unusable)":
        assert not report.usable and words in report.errors[0].message
        return
    failed = {r.check_id: r.message for r in report.results if not r.passed}
    assert check in failed, failed
    assert any(words in message for message in failed.values()), failed
    assert report.score < report.max_score  # never "failed 4/4"


@pytest.mark.parametrize("exercise_id", sorted(e.id for e in EXERCISES.values() if e.kind == "command"))
def test_every_check_counts_in_the_score(exercise_id: str):
    exercise = EXERCISES[exercise_id]
    for answer in [exercise.solution, *(c.answer for c in exercise.counterexamples)]:
        report = grade(exercise, answer)
        assert report.max_score == len(report.results)
        assert report.passed == (report.score == report.max_score)


def test_messages_are_in_korean_too():
    report = grade(EXERCISES["cluster-cordon"], "kubectl cordon node02 | sh", "ko")
    assert "실행" in next(r.message for r in report.results if r.check_id == "whole-line")
    report = grade(EXERCISES["deploy-scale"], "kubectl scale deploy web --replicas=5", "ko")
    assert "네임스페이스 default" in next(r.message for r in report.results if r.check_id == "kubectl-runs")


def _exercise(**fields) -> Exercise:
    base = {"id": "t", "kind": "command", "title": {"en": "t", "ko": "t"}, "task": {"en": "t", "ko": "t"},
            "domain": "workloads-scheduling"}
    return Exercise.model_validate({**base, **fields})


WEB = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "prod"},
       "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "web:1"}]}}}}


def test_live_setup_is_the_starting_state_too():
    exercise = _exercise(solution="kubectl scale deploy web --replicas=2 -n prod", command={"verb": "scale"},
                         live={"namespace": "prod", "setup": [WEB]})
    assert grade(exercise, "kubectl patch deployment/web -n prod --type=merge -p '{\"spec\":{\"replicas\":2}}'").passed
    assert not grade(exercise, "kubectl scale deploy web --replicas=3 -n prod").passed


def test_the_exercises_own_checks_run_on_the_result():
    exercise = _exercise(
        solution="kubectl label deploy web tier=api -n prod", command={"verb": "label", "start": [WEB]},
        target={"kind": "Deployment", "name": "web"},
        checks=[{"id": "tier", "type": "field", "path": ".metadata.labels.tier", "expect": {"equals": "api"}}])
    report = grade(exercise, "kubectl -n prod label deployments.apps/web tier=api")
    assert report.passed and [r.check_id for r in report.results][:3] == ["kubectl-runs", "effect", "tier"]
    failed = grade(exercise, "kubectl label deploy web tier=db -n prod")
    assert {r.check_id for r in failed.results if not r.passed} == {"effect", "tier"}


def test_a_solution_that_cannot_be_applied_offline_is_graded_by_form():
    exercise = _exercise(solution="kubectl apply -f web.yaml", command={"verb": "apply", "flags": {"filename": "web.yaml"}, "start": [WEB]})
    report = grade(exercise, "kubectl apply -f web.yaml")
    assert report.passed and "effect" not in {r.check_id for r in report.results}


def test_listed_equivalent_commands_pass():
    exercise = _exercise(solution="kubectl get pods --all-namespaces", command={
        "verb": "get", "resource": "pods", "names": [], "flags": {"all-namespaces": True},
        "equivalent": ["kubectl get pods --field-selector metadata.namespace!=nobody -A"]})
    assert grade(exercise, "kubectl get po -A --field-selector=metadata.namespace!=nobody").passed
    assert not grade(exercise, "kubectl get po -A --field-selector=metadata.namespace=kube-system").passed


COMMAND_WORDS = ["kubectl", "k", "get", "scale", "cordon", "patch", "expose", "config", "use-context", "set", "image",
                 "label", "rollout", "undo", "deploy/web", "web", "node02", "-n", "shop", "--replicas=5", "-p", "'{\"spec\":{}}'",
                 "--type=json", "'[{\"op\":\"remove\",\"path\":\"/x\"}]'", "--type=merge", "*=nginx:1.26", "a=b", "a-", "--all",
                 "-l", "app=web", "|", "&&", "||", ";", ">", "out", "$(id)", "`x`", "$X", "X=1", "--", "sh", "-A", "--dry-run",
                 "--to-revision=9", "prod-admin", "current-context", "--port=80", "--target-port=x", "(", ")", "'", '"', "\\"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(min_value=0), words=st.lists(st.sampled_from(COMMAND_WORDS), max_size=12), lang=st.sampled_from(["en", "ko"]))
def test_any_command_line_gives_a_verdict(index, words, lang):
    commands = [e for e in EXERCISES.values() if e.kind == "command"]
    exercise = commands[index % len(commands)]
    report = grade(exercise, " ".join(words), lang)
    assert report.usable or (report.errors and not report.passed)
    assert all(r.message for r in report.results)


def test_odd_starting_objects_give_a_verdict():
    exercise = _exercise(solution="kubectl label pod p a=b", command={"verb": "label", "start": [
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}},
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "q", "labels": "not a map"}}]})
    assert grade(exercise, "kubectl label pod p a=b").passed
    report = grade(exercise, "kubectl label pod q a=b")
    assert not report.passed and "could not apply" in next(r.message for r in report.results if r.check_id == "kubectl-runs")


def test_lint_says_when_the_solution_does_not_apply_to_the_start(tmp_path):
    from exercises.lint import self_test_exercise

    exercise = _exercise(solution="kubectl scale deploy web --replicas=2", command={"verb": "scale", "start": [WEB]})
    problems = self_test_exercise(exercise, tmp_path / "t.yaml")
    assert any("cannot be applied" in p.message and "not found (kubectl looked in the namespace default)" in p.message
               for p in problems)
