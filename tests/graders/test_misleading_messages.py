"""A wrong answer is told its one real mistake: no cascade of unrelated failures, no hint that does not apply."""

from __future__ import annotations

from exercises.loader import load_catalog
from graders.grade import grade

CATALOG = load_catalog(bundled=True, user=False)
WEBSERVER = CATALOG.get("pod-webserver-yaml") if hasattr(CATALOG, "get") else next(
    e for e in CATALOG.exercises() if e.id == "pod-webserver-yaml")

POD = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
  - name: nginx-container
    image: nginx:1.14
    imagePullPolicy: Always
    ports:
    - containerPort: {port}
      protocol: TCP
"""
SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: webserver
spec:
  selector:
    app: webserver
  ports:
  - port: 80
"""


def test_the_reference_shape_still_passes():
    assert grade(WEBSERVER, POD.format(name="webserver", port=80)).passed


def test_a_service_where_a_pod_is_asked_is_said_once():
    report = grade(WEBSERVER, SERVICE)
    assert not report.passed and report.results == ()
    [error] = report.errors
    assert "expected Pod `webserver`" in error.message and "found Service" in error.message
    assert "kind: Pod" in error.hint and "dash" not in error.hint
    assert error.line == 2


def test_a_misnamed_pod_is_told_its_name():
    report = grade(WEBSERVER, POD.format(name="web", port=80), lang="ko")
    [error] = report.errors
    assert "`web`" in error.message and "metadata.name: webserver" in error.hint and error.line == 4


def test_a_string_port_is_blamed_on_the_string_not_on_a_missing_field():
    report = grade(WEBSERVER, POD.format(name="webserver", port='"80"'))
    [schema_error] = report.errors
    assert "containerPort" in schema_error.message and "Remove the quotes" in schema_error.hint
    failed = [r for r in report.results if r.status == "fail"]
    assert failed and all("line 11 has an error" in r.message and r.remediation is None for r in failed)
    assert any('`"80"` (a string)' in r.message for r in failed)


def test_api_validation_waits_for_the_schema():
    """The API server never validates what it cannot decode: an unknown field is the one error, not three."""
    answer = POD.format(name="webserver", port=80).replace("    imagePullPolicy: Always\n", "    imagePullPolicy: Always\n    volumeMounts:\n    - name: data\n      mountPath: /data\n      readonly: true\n")
    report = grade(WEBSERVER, answer)
    assert [("unknown field" in e.message) for e in report.errors] == [True]


def test_api_rejections_are_listed_in_the_servers_words():
    answer = POD.format(name="webserver", port=80).replace("imagePullPolicy: Always", "imagePullPolicy: always")
    report = grade(WEBSERVER, answer)
    assert [e.message for e in report.errors] == [
        'spec.containers[0].imagePullPolicy: Unsupported value: "always": supported values: "Always", "IfNotPresent", "Never"']
    korean = grade(WEBSERVER, answer, lang="ko")
    assert korean.errors[0].message.startswith('spec.containers[0].imagePullPolicy: 지원하지 않는 값: "always"')
