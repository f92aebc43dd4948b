"""The env evaluator: a container's effective environment, and field checks on env values judged by it (offline and live alike)."""

from __future__ import annotations

import base64

import pytest
import yaml

from exercises.loader import load_catalog
from exercises.model import FieldCheck, ObjectRef
from graders.checks import Subject, run_field
from graders.meaning.env import effective_env, expand
from graders.grade import grade

CONFIGMAP = {"kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"MYVAR": "testvalue", "mode": "production", "bad=key": "x"}}
SECRET = {"kind": "Secret", "metadata": {"name": "sec"}, "data": {"password": base64.b64encode(b"s3cr3t").decode()}}
ANSWER_SECRET = {"kind": "Secret", "metadata": {"name": "sec"}, "stringData": {"password": "s3cr3t"}}


def lookup_from(*objects):
    return lambda kind, name: next((o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name), None)


POD = {"metadata": {"name": "p", "namespace": "ns", "labels": {"tier": "web"}}, "spec": {"nodeName": "node1"}}

# (what it shows, container, objects at hand, variable, expected value or None for "not set")
TABLE = [
    ("plain_value", {"env": [{"name": "MYVAR", "value": "testvalue"}]}, [], "MYVAR", "testvalue"),
    ("envfrom_configmap", {"envFrom": [{"configMapRef": {"name": "cm"}}]}, [CONFIGMAP], "MYVAR", "testvalue"),
    ("envfrom_prefix", {"envFrom": [{"prefix": "APP_", "configMapRef": {"name": "cm"}}]}, [CONFIGMAP], "APP_mode", "production"),
    ("envfrom_prefix_hides_bare_name", {"envFrom": [{"prefix": "APP_", "configMapRef": {"name": "cm"}}]}, [CONFIGMAP], "MYVAR", None),
    ("envfrom_key_with_equals_skipped", {"envFrom": [{"configMapRef": {"name": "cm"}}]}, [CONFIGMAP], "bad=key", None),
    ("envfrom_secret_decoded", {"envFrom": [{"secretRef": {"name": "sec"}}]}, [SECRET], "password", "s3cr3t"),
    ("configmap_key_ref", {"env": [{"name": "MYVAR", "valueFrom": {"configMapKeyRef": {"name": "cm", "key": "MYVAR"}}}]}, [CONFIGMAP], "MYVAR", "testvalue"),
    ("secret_key_ref_base64", {"env": [{"name": "DB", "valueFrom": {"secretKeyRef": {"name": "sec", "key": "password"}}}]}, [SECRET], "DB", "s3cr3t"),
    ("secret_key_ref_string_data", {"env": [{"name": "DB", "valueFrom": {"secretKeyRef": {"name": "sec", "key": "password"}}}]}, [ANSWER_SECRET], "DB", "s3cr3t"),
    ("optional_missing_key_unsets", {"env": [{"name": "X", "valueFrom": {"configMapKeyRef": {"name": "cm", "key": "nope", "optional": True}}}]}, [CONFIGMAP], "X", None),
    ("env_overrides_envfrom", {"envFrom": [{"configMapRef": {"name": "cm"}}], "env": [{"name": "MYVAR", "value": "mine"}]}, [CONFIGMAP], "MYVAR", "mine"),
    ("later_env_wins", {"env": [{"name": "A", "value": "1"}, {"name": "A", "value": "2"}]}, [], "A", "2"),
    ("expansion_of_earlier_var", {"env": [{"name": "A", "value": "test"}, {"name": "MYVAR", "value": "$(A)value"}]}, [], "MYVAR", "testvalue"),
    ("expansion_of_envfrom_var", {"envFrom": [{"configMapRef": {"name": "cm"}}], "env": [{"name": "B", "value": "$(MYVAR)"}]}, [CONFIGMAP], "B", "testvalue"),
    ("escaped_dollar_kept", {"env": [{"name": "A", "value": "x"}, {"name": "B", "value": "$$(A)"}]}, [], "B", "$(A)"),
    ("unknown_reference_left_as_written", {"env": [{"name": "B", "value": "$(NOPE)"}]}, [], "B", "$(NOPE)"),
    ("field_ref_name", {"env": [{"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]}, [], "N", "p"),
    ("field_ref_label", {"env": [{"name": "T", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['tier']"}}}]}, [], "T", "web"),
    ("resource_field_ref_memory_in_mi", {"name": "c", "resources": {"limits": {"memory": "128Mi"}},
                                         "env": [{"name": "M", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}}]}, [], "M", "128"),
    ("resource_field_ref_cpu_rounds_up", {"name": "c", "resources": {"limits": {"cpu": "500m"}},
                                          "env": [{"name": "C", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}}]}, [], "C", "1"),
]


@pytest.mark.parametrize("container,objects,var,expected", [t[1:] for t in TABLE], ids=[t[0] for t in TABLE])
def test_effective_env(container, objects, var, expected):
    pod = {**POD, "spec": {**POD["spec"], "containers": [container]}}
    got = effective_env(container, pod, lookup_from(*objects)).vars.get(var)
    assert (got.value if got else None) == expected


def test_a_source_that_is_not_at_hand_is_unknown_not_empty():
    container = {"envFrom": [{"configMapRef": {"name": "elsewhere"}}], "env": [{"name": "X", "valueFrom": {"secretKeyRef": {"name": "gone", "key": "k"}}}]}
    env = effective_env(container, POD, lookup_from())
    assert env.unread == (("ConfigMap elsewhere", "ConfigMap elsewhere"),)
    assert env.vars["X"].value is None and "Secret gone" in env.vars["X"].missing[0]


def test_expand_only_what_is_defined():
    assert expand("$(A)-$(B)-$$", {}) == "$(A)-$(B)-$"


def pod_answer(container_extra: str, *extra_docs: dict) -> str:
    pod = yaml.safe_load(f"""
apiVersion: v1
kind: Pod
metadata: {{name: nginx-pod-env}}
spec:
  containers:
  - name: nginx-container
    image: nginx:1.14
{container_extra}
""")
    return yaml.safe_dump_all([*extra_docs, pod])


CM = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "env"}, "data": {"MYVAR": "testvalue", "APP_MODE": "production"}}
ENV_EXERCISE = load_catalog(bundled=True, user=False).get("pod-env")


def statuses(report):
    return {r.check_id: r.status for r in report.results}


def test_pod_env_through_envfrom_passes_offline():
    report = grade(ENV_EXERCISE, pod_answer("    envFrom:\n    - configMapRef: {name: env}", CM))
    assert report.passed, report.to_json()
    assert "(envFrom ConfigMap env)" in next(r.message for r in report.results if r.check_id == "env-myvar")


def test_pod_env_through_key_refs_passes_offline():
    extra = ("    env:\n    - name: MYVAR\n      valueFrom: {configMapKeyRef: {name: env, key: MYVAR}}\n"
             "    - name: APP_MODE\n      valueFrom: {configMapKeyRef: {name: env, key: APP_MODE}}")
    assert grade(ENV_EXERCISE, pod_answer(extra, CM)).passed


def test_a_configmap_with_the_wrong_value_fails_and_says_where_the_value_came_from():
    wrong = {**CM, "data": {"MYVAR": "other", "APP_MODE": "production"}}
    report = grade(ENV_EXERCISE, pod_answer("    envFrom:\n    - configMapRef: {name: env}", wrong))
    assert statuses(report)["env-myvar"] == "fail" and statuses(report)["env-app-mode"] == "pass"
    message = next(r.message for r in report.results if r.check_id == "env-myvar")
    assert "other" in message and "envFrom ConfigMap env" in message


def test_envfrom_a_configmap_the_answer_does_not_hold_fails_with_the_reason():
    report = grade(ENV_EXERCISE, pod_answer("    envFrom:\n    - configMapRef: {name: env}"))
    message = next(r.message for r in report.results if r.check_id == "env-myvar")
    assert statuses(report)["env-myvar"] == "fail" and "ConfigMap env" in message and "not there" in message


def test_a_wrong_plain_value_keeps_the_field_checks_own_message():
    report = grade(ENV_EXERCISE, pod_answer("    env:\n    - {name: MYVAR, value: nope}\n    - {name: APP_MODE, value: production}"))
    assert statuses(report)["env-myvar"] == "fail"
    assert "expected `testvalue`" in next(r.message for r in report.results if r.check_id == "env-myvar")


def test_the_counterexamples_still_fail():
    for counter in ENV_EXERCISE.counterexamples:
        assert not grade(ENV_EXERCISE, counter.answer).passed, counter.why


def test_a_deployment_template_is_read_the_same_way():
    deployment = {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {"spec": {"containers": [{"name": "c", "envFrom": [{"configMapRef": {"name": "cm"}}]}]}}}}
    check = FieldCheck(id="v", type="field", path='.spec.template.spec.containers[?(@.name=="c")].env[?(@.name=="MYVAR")].value', expect={"equals": "testvalue"})
    target = ObjectRef(kind="Deployment", name="d")
    assert run_field(check, Subject([deployment, CONFIGMAP], default_ref=target)).passed
    assert not run_field(check, Subject([deployment], default_ref=target)).passed


def test_expecting_a_variable_absent_sees_envfrom_too():
    pod = {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "envFrom": [{"configMapRef": {"name": "cm"}}]}]}}
    absent = FieldCheck(id="v", type="field", path='.spec.containers[*].env[?(@.name=="MYVAR")].value', expect={"absent": True})
    target = ObjectRef(kind="Pod", name="p")
    assert not run_field(absent, Subject([pod, CONFIGMAP], default_ref=target)).passed
    assert run_field(absent.model_copy(update={"path": '.spec.containers[*].env[?(@.name=="OTHER")].value'}), Subject([pod, CONFIGMAP], default_ref=target)).passed
