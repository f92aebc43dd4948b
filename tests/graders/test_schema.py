"""Strict schema validation: every error, kubectl-style paths, lines, did-you-mean, and the fast path's agreement."""

import copy
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graders.schema import (DEFAULT_KUBERNETES_VERSION, _conforms, _schemas, known_kinds, validate_document)
from graders.source import parse_documents, strip_nulls

FIXTURES = Path(__file__).parent.parent / "fixtures" / "yaml"


def errors_for(name: str) -> list:
    documents, source_errors = parse_documents((FIXTURES / name).read_text(encoding="utf-8"))
    assert source_errors == [] and documents
    return [e for doc in documents for e in validate_document(doc)]


@pytest.mark.parametrize("name", ["kubectl_dry_run_output.yaml", "flow_style.yaml", "pod.json", "deployment.yaml",
                                  "multi_document.yaml", "kubectl_get_list.yaml", "name_space_before_colon.yaml"])
def test_good_answers_have_no_schema_errors(name):
    assert errors_for(name) == []


# fixture -> [(line, words in the message, words in the hint)], in order
BAD_ANSWERS = {
    "unknown_field_typo.yaml": [
        (9, 'spec.containers[busybox-container].imagePullPolice: unknown field "imagePullPolice"; '
            'did you mean "imagePullPolicy"?', "Rename `imagePullPolice` to `imagePullPolicy`"),
        (15, 'spec.containers[busybox-container].livenessProbe.initalDelaySeconds: unknown field '
             '"initalDelaySeconds"; did you mean "initialDelaySeconds"?', "`initialDelaySeconds`"),
    ],
    "container_typo.yaml": [(6, 'spec.container: unknown field "container"; did you mean "containers"?', None)],
    "dash_no_space_parses.yaml": [(9, 'spec.-name: unknown field "-name"; a list item needs a space after the dash',
                                   "Put a space after the dash: `- name:`")],
    "misindented_image_indentless.yaml": [
        (8, 'spec.image: unknown field "image"', "Indent it 2 more spaces to line up with `name:` on line 7"),
    ],
    "string_port.yaml": [
        (10, 'spec.containers[nginx].ports[0].containerPort: expected an integer, got a string ("80")',
         "Remove the quotes: `containerPort: 80`"),
    ],
    "command_not_list.yaml": [
        (9, 'spec.containers[busybox].command: expected a list, got a string ("sleep 1000")',
         '`command: ["sleep", "1000"]`'),
    ],
    "env_value_number.yaml": [
        (11, "spec.containers[nginx].env[PORT].value: expected a string, got a number (8080)", '`value: "8080"`'),
    ],
    "containers_not_list.yaml": [(6, "spec.containers: expected a list, got a mapping", "start each item with a dash")],
    "metadata_colon_no_space.yaml": [(3, 'metadata: expected a mapping of fields, got a string ("name:web")',
                                      "Put a space after the colon: `name: web`")],
    "quantity_typo.yaml": [(15, 'spec.containers[nginx].resources.limits.memory: "256MB" is not a valid quantity',
                            "`256Mi`")],
    "missing_container_name.yaml": [(7, 'spec.containers[0]: missing required field "name"', "Add `name:`")],
    "wrong_api_version.yaml": [(1, 'apiVersion "v2" has no kind Pod; Pod is served as apiVersion "v1"',
                                "`apiVersion: v1`")],
    "unknown_kind.yaml": [(2, 'unknown kind "Pods"; did you mean "Pod"?', "`kind: Pod`")],
    "missing_kind.yaml": [(1, 'missing field "kind"; every Kubernetes object needs apiVersion and kind',
                           "such as `kind: Pod`")],
}


@pytest.mark.parametrize("name", sorted(BAD_ANSWERS))
def test_bad_answers_get_every_error_on_its_line(name):
    errors = errors_for(name)
    assert [(e.line, e.message) for e in errors] == [(line, f"line {line}: {words}")
                                                     for line, words, _ in BAD_ANSWERS[name]]
    for error, (_, _, hint) in zip(errors, BAD_ANSWERS[name]):
        assert error.column is not None
        if hint:
            assert hint in error.hint and error.hint_ko


def test_all_errors_are_reported_not_only_the_first():
    documents, _ = parse_documents(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  nmae: y\nspec:\n  containers:\n"
        "  - name: a\n    image: b\n    ports:\n    - containerPort: '80'\n    command: sleep 1\n")
    assert [e.line for e in validate_document(documents[0])] == [5, 11, 12]


def test_a_typo_of_a_required_field_is_one_error_not_two():
    [error] = errors_for("container_typo.yaml")
    assert "missing" not in error.message


def test_quantities_accept_numbers_and_suffixes():
    template = "apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  containers:\n  - name: a\n    image: b\n" \
               "    resources:\n      limits: {cpu: %s, memory: %s}\n"
    for cpu, memory in [("0.5", "128Mi"), ("1", "1Gi"), ("500m", "1e3"), ("'2'", "64M"), (".1", "1.5Gi")]:
        [doc], _ = parse_documents(template % (cpu, memory))
        assert validate_document(doc) == [], (cpu, memory)
    for memory in ["128MB", "1 Gi", "lots", "Mib"]:  # (a bare "Mi" is 0 to the API server)
        [doc], _ = parse_documents(template % ("1", memory))
        assert "not a valid quantity" in validate_document(doc)[0].message


@pytest.mark.parametrize(("text", "messages"), [
    ("kind: [a]\nmetadata: {}\n", ['line 1: missing field "apiVersion"', "line 1: kind: expected a string, got a list"]),
    ("apiVersion: apps/v1\nkind: Pod\n", ['line 1: apiVersion "apps/v1" has no kind Pod']),
    ("apiVersion: v1\nkind: deployment\n", ['line 2: unknown kind "deployment"; did you mean "Deployment"?']),
    ("apiVersion: v1\nkind: Zebra\n", ['line 2: unknown kind "Zebra" in Kubernetes 1.35.0']),
    ("kind: Pod\n", ['line 1: missing field "apiVersion"']),
])
def test_apiversion_and_kind_are_checked_first(text, messages):
    [doc], _ = parse_documents(text)
    errors = validate_document(doc)
    assert len(errors) == len(messages)
    assert all(e.message.startswith(m) for e, m in zip(errors, messages))


def test_known_kinds_and_versions():
    kinds = known_kinds()
    assert ("v1", "Pod") in kinds and ("apps/v1", "Deployment") in kinds and ("networking.k8s.io/v1", "Ingress") in kinds
    assert ("v1", "Pod") in known_kinds("1.25")
    with pytest.raises(ValueError, match="no schema for Kubernetes 1.99"):
        known_kinds("1.99.0")


SCHEMA_AGREEMENT_FIXTURES = sorted(set(BAD_ANSWERS) - {"wrong_api_version.yaml", "unknown_kind.yaml",
                                                       "missing_kind.yaml"}) + ["deployment.yaml", "pod.json"]


def agree(obj: dict) -> None:
    """_conforms, the fast path, says valid exactly when jsonschema finds no error."""
    schemas = _schemas(DEFAULT_KUBERNETES_VERSION)
    name = schemas.kinds[(obj["apiVersion"], obj["kind"])]
    assert _conforms(schemas.schema(name), obj) == (not list(schemas.validator(name).iter_errors(obj)))


@pytest.mark.parametrize("name", SCHEMA_AGREEMENT_FIXTURES)
def test_fast_path_agrees_with_jsonschema_on_fixtures(name):
    documents, _ = parse_documents((FIXTURES / name).read_text(encoding="utf-8"))
    for doc in documents:
        agree(strip_nulls(doc.obj))


VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) |
                      st.sampled_from(["80", "128Mi", "0.5", "http", "Always", "TCP", "x"]),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                          st.sampled_from(["name", "image", "port", "containerPort", "cpu", "path", "x"]), inner,
                          max_size=3), max_leaves=8)
PLACES = [("spec", "containers", 0), ("spec", "containers", 0, "ports", 0), ("spec", "containers", 0, "resources",
          "limits"), ("spec", "containers", 0, "livenessProbe", "httpGet"), ("spec",), ("metadata", "labels"), ()]
FIELDS = st.sampled_from(["name", "image", "ports", "containerPort", "port", "cpu", "memory", "command", "labels",
                          "restartPolicy", "protocol", "path", "limits", "typo"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PLACES), FIELDS, VALUES)
def test_fast_path_agrees_with_jsonschema_on_mutated_pods(place, field, value):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {}},
           "spec": {"containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 80}],
                                    "resources": {"limits": {}}, "livenessProbe": {"httpGet": {"port": 80}}}]}}
    target = pod
    for step in place:
        target = target[step]
    target[field] = value
    agree(strip_nulls(copy.deepcopy(pod)))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list("ab:- \n{}[],'\"0.1") + ["apiVersion: v1\n", "kind: Pod\n", "spec:\n",
                                                              "  containers:\n", "  - name: x\n", "metadata: ",
                                                              "kind: List\nitems:\n", "  image: 80\n",
                                                              "kind: [a]\n", "apiVersion: {}\n"]),
                max_size=40).map("".join))
def test_validation_never_raises_for_whatever_parses(text):
    for doc in parse_documents(text)[0]:
        for error in validate_document(doc):
            assert error.message.startswith("line ")


def test_importing_the_graders_stays_light():
    code = ("import sys; import graders.source, graders.schema\n"
            "from graders.source import parse_documents\nfrom graders.schema import validate_document\n"
            "[doc], _ = parse_documents('apiVersion: v1\\nkind: Pod\\nmetadata: {name: a}\\n"
            "spec: {containers: [{name: a, image: b}]}')\n"
            "assert validate_document(doc) == []\n"
            "heavy = {'textual', 'kubernetes', 'jsonschema', 'kubernetes_validate'} & set(sys.modules)\n"
            "assert not heavy, heavy\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_field_the_api_server_defaults_is_not_required():
    """roleRef.apiGroup is filled in by defaulting: the API server accepts a RoleBinding without it."""
    text = ("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\n"
            "roleRef: {kind: Role, name: r}\nsubjects: [{kind: ServiceAccount, name: app}]\n")
    [doc], _ = parse_documents(text)
    assert validate_document(doc) == []
    [doc], _ = parse_documents(text.replace("roleRef: {kind: Role, name: r}", "roleRef: {apiGroup: x}"))
    assert [e.message for e in validate_document(doc)] == ['line 4: roleRef: missing required field "kind"',
                                                           'line 4: roleRef: missing required field "name"']


def test_a_quantity_may_have_spaces_around_it():
    template = "apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  containers:\n  - name: a\n    image: b\n" \
               "    resources:\n      limits: {memory: %s}\n"
    [doc], _ = parse_documents(template % '" 128Mi "')
    assert validate_document(doc) == []
    [doc], _ = parse_documents(template % '"128 Mi"')
    assert "not a valid quantity" in validate_document(doc)[0].message


def test_an_int32_field_holds_only_an_int32():
    """Go decodes `replicas: 2147483648` into an int32 and fails: the API server never sees the object."""
    template = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: %s\n" \
               "  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n" \
               "    spec: {containers: [{name: c, image: i}]}\n"
    [doc], _ = parse_documents(template % "2147483647")
    assert validate_document(doc) == []
    [doc], _ = parse_documents(template % "2147483648")
    [error] = validate_document(doc)
    assert error.line == 5 and "does not fit an int32" in error.message and error.hint_ko
