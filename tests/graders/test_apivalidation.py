"""What the API server refuses, held to the verdicts a real kube-apiserver gave on the same files.

tests/fixtures/apivalidation/<group>/ok_*.yaml and bad_*.yaml are answers; verdicts.json is what kube-apiserver
answered to a server-side dry run of each (recorded by tests/graders/apiserver_verdicts.py;
tests/cluster/test_apivalidation_recorded.py re-asks a live server). The offline grader must refuse exactly what
the server refused, accept what it accepted, and, where the server gave field causes, say the same sentences.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from exercises.model import Matcher
from graders import matchers
from graders.apivalidation import validate_object
from graders.apivalidation.schedule import schedule_error
from graders.grade import api_rejections, objects_with_lines, validate_all
from graders.quantity import parse
from graders.source import parse_documents
from tests.graders.apiserver_verdicts import FIXTURES, VERDICTS, fixture_name, fixtures

RECORDED = json.loads(VERDICTS.read_text())["verdicts"]
QUANTITIES = json.loads((FIXTURES / "quantities.json").read_text())

# Where our sentence is not the server's, and why; a fixture listed here still has to agree on the verdict.
WORDING_DIFFERS: dict[str, str] = {}


def offline_verdict(path: Path) -> tuple[list[str], list[str]]:
    """(errors of the text or the schema, API rejections in English) as the grader reports them."""
    documents, source_errors = parse_documents(path.read_text(encoding="utf-8"))
    if source_errors:
        return [e.message for e in source_errors], []
    schema = [e.message for e in validate_all(documents)]
    if schema:
        return schema, []
    objects, _ = objects_with_lines(documents)
    return [], [r.en for obj in objects for r in validate_object(obj)]


def test_every_fixture_is_recorded_and_every_recording_has_its_fixture():
    names = {fixture_name(p) for p in fixtures()}
    assert names == set(RECORDED), (sorted(names - set(RECORDED)), sorted(set(RECORDED) - names))


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_fixture_name_says_what_the_server_did(name):
    assert name.split("/")[1].startswith("ok_" if RECORDED[name]["allowed"] else "bad_"), RECORDED[name]


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_offline_verdict_is_the_servers(name):
    verdict = RECORDED[name]
    early, rejections = offline_verdict(FIXTURES / name)
    if verdict["allowed"]:
        assert not early and not rejections, "the API server accepts this answer"
        return
    assert early or rejections, f"the API server refuses this answer: {verdict.get('message') or verdict}"
    if early or verdict.get("code") != 422 or name in WORDING_DIFFERS:
        return
    assert sorted(set(rejections)) == sorted(set(verdict["causes"]))


@pytest.mark.parametrize("name", sorted(n for n in RECORDED if not RECORDED[n]["allowed"]))
def test_every_rejection_reads_in_korean(name):
    documents, _ = parse_documents((FIXTURES / name).read_text(encoding="utf-8"))
    objects, _ = objects_with_lines(documents)
    for rejection in (r for obj in objects for r in validate_object(obj)):
        assert rejection.ko and rejection.ko != rejection.en
        assert not rejection.detail or rejection.detail_ko, rejection.en


def test_rejections_point_at_their_line():
    documents, _ = parse_documents((FIXTURES / "core/bad_toleration_seconds_noschedule.yaml").read_text())
    objects, line_for = objects_with_lines(documents)
    [error] = api_rejections(objects, line_for, "en")
    assert error.line == 9 and error.message.startswith("spec.tolerations[0].effect: Invalid value: \"NoSchedule\"")


def test_a_quoted_port_number_gets_a_fix():
    documents, _ = parse_documents((FIXTURES / "core/bad_service_quoted_target_port.yaml").read_text())
    objects, line_for = objects_with_lines(documents)
    [error] = api_rejections(objects, line_for, "ko")
    assert "따옴표" in error.hint and "targetPort: 8080" in error.hint


# --- quantities: read from what kubectl sends, exactly as resource.ParseQuantity does ---------------------

@pytest.mark.parametrize("scalar", sorted(QUANTITIES))
def test_quantity_matches_go(scalar):
    """quantities.json: Go's resource.Quantity on `q: <scalar>` sent by kubectl (quantity_oracle.go)."""
    go = QUANTITIES[scalar]
    if "json" not in go:
        pytest.skip("kubectl itself cannot send this scalar")
    parsed = parse(json.loads(go["json"]))
    if "error" in go:
        assert parsed is None
    else:
        assert (str(parsed), str(parsed.rounded_up(3))) == (go["string"], go["milli"])


@pytest.mark.parametrize("scalar", sorted(s for s, go in QUANTITIES.items() if go.get("json", "").startswith('"')))
def test_schema_takes_the_quantity_strings_go_takes(scalar):
    from graders.schema import validate_document

    text = json.loads(QUANTITIES[scalar]["json"])
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "q"},
           "spec": {"containers": [{"name": "a", "image": "b", "resources": {"limits": {"memory": text}}}]}}
    [doc], _ = parse_documents(json.dumps(pod))
    assert (validate_document(doc) == []) == ("error" not in QUANTITIES[scalar])


@pytest.mark.parametrize(("written", "limit"), [("0.2", "200m"), (".5", "500m"), ("1e3", "1k"), ("1E3", "1000"),
                                                 ("0.1", "100m"), ("1.5Gi", "1536Mi"), ("'0.2'", "200m"), ("3", "3000m")])
def test_a_quantity_equals_its_other_spellings(written, limit):
    [doc], _ = parse_documents(f"cpu: {written}\n")
    assert matchers.matches(Matcher(quantity_equals=limit), doc.obj["cpu"])
    assert not matchers.matches(Matcher(quantity_equals="201m"), doc.obj["cpu"])


def test_an_unquoted_float_is_its_decimal_not_its_binary_value():
    assert matchers.quantity(0.1) == Decimal("0.1") and matchers.quantity(0.2) + matchers.quantity(0.1) == Decimal("0.3")


def test_huge_exponents_do_not_hang():
    assert parse("1e999999999") is None and parse("1e100") is not None


# --- cron schedules, as robfig/cron reads them -------------------------------------------------------------

@pytest.mark.parametrize("schedule", ["*/5 * * * *", "0 9 * * MON-FRI", "0 0 1 jan,jul *", "@hourly", "@every 1h30m",
                                      "0 0 ? * *", "5/15 * * * *", "0 0 * * 0-6", "0,30 8-18/2 * * *"])
def test_schedules_the_api_server_takes(schedule):
    assert schedule_error(schedule) is None


@pytest.mark.parametrize(("schedule", "error"), [
    ("0 0 * * 7", "end of range (7) above maximum (6): 7"),
    ("60 * * * *", "end of range (60) above maximum (59): 60"),
    ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
    ("@weekdays", "unrecognized descriptor: @weekdays"),
    ("*/0 * * * *", "step of range should be a positive number: */0"),
    ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
    ("x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'),
    ("0 0 0 * *", "beginning of range (0) below minimum (1): 0"),
])
def test_schedules_the_api_server_refuses(schedule, error):
    assert schedule_error(schedule)[0] == error


# --- any shape in, rejections out: the rules read only the types they expect --------------------------------

def _fuzzed_objects():
    from hypothesis import strategies as st

    from graders.apivalidation import KINDS

    scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=True),
                        st.text(max_size=12), st.sampled_from(["", "Always", "TCP", "0", "-1", "1e999", "*", "@every x",
                                                               "In", "Exists", "None", "web", "RollingUpdate", "/"]))
    keys = st.sampled_from(["spec", "template", "containers", "initContainers", "ports", "name", "image", "volumes",
                            "volumeMounts", "selector", "matchLabels", "matchExpressions", "resources", "limits",
                            "requests", "cpu", "rules", "verbs", "roleRef", "subjects", "metrics", "target", "type",
                            "schedule", "jobTemplate", "strategy", "rollingUpdate", "tolerations", "env", "valueFrom",
                            "http", "paths", "backend", "service", "port", "ingress", "from", "ipBlock", "accessModes",
                            "capacity", "hostPath", "metadata", "labels", "livenessProbe", "exec", "command"])
    values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                          st.dictionaries(keys, inner, max_size=4)), max_leaves=30)
    kinds = st.sampled_from(sorted(KINDS))
    return st.builds(lambda gk, body: {**(body if isinstance(body, dict) else {}),
                                       "apiVersion": f"{gk[0]}/v1" if gk[0] else "v1", "kind": gk[1]},
                     kinds, st.dictionaries(keys, values, max_size=5))


def test_validate_object_never_raises():
    from hypothesis import HealthCheck, given, settings

    @settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_fuzzed_objects())
    def check(obj):
        for rejection in validate_object(obj):
            assert rejection.en and rejection.ko

    check()


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


def test_validate_object_never_raises_on_mutated_fixtures():
    """Every fixture with one value anywhere replaced by a value of another shape."""
    import copy

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    objects = []
    for path in fixtures():
        documents, _ = parse_documents(path.read_text(encoding="utf-8"))
        objects.extend(objects_with_lines(documents)[0])
    replacement = st.one_of(st.none(), st.booleans(), st.integers(-2**40, 2**40), st.floats(allow_nan=True),
                            st.text(max_size=6), st.just([]), st.just({}), st.just([None, 1, "x"]), st.just({"a": [1]}))

    @settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.integers(0, len(objects) - 1), st.integers(0, 10**6), replacement)
    def check(which, where, value):
        obj = copy.deepcopy(objects[which])
        paths = [p for p in _paths(obj) if p]
        target = paths[where % len(paths)]
        node = obj
        for step in target[:-1]:
            node = node[step]
        node[target[-1]] = value
        for rejection in validate_object(obj):
            assert rejection.en and rejection.ko

    check()
