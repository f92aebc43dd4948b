"""Every check type against its pass and fail fixtures; the file name says the expected outcome."""

from pathlib import Path

import pytest
import yaml
from pydantic import TypeAdapter

from exercises.model import CHECK_MODELS, LIVE_ONLY_CHECK_TYPES, Check, ObjectRef
from graders.checks import RUNNERS, Subject, run_checks
from graders.checktypes import REGISTRY
from graders.grade import objects_with_lines
from graders.source import parse_documents

FIXTURES = Path(__file__).parent.parent / "fixtures" / "checks"
CASES = sorted(FIXTURES.glob("*/*.yaml"))


def test_every_offline_check_type_has_a_runner_and_fixtures():
    offline = set(CHECK_MODELS) - LIVE_ONLY_CHECK_TYPES
    assert set(RUNNERS) == offline
    for check_type in offline:
        outcomes = {p.name.split(".")[-2] for p in (FIXTURES / check_type).glob("*.yaml")}
        assert outcomes == {"pass", "fail"}, f"{check_type} needs pass and fail fixtures"


def test_every_type_has_a_runner_for_each_mode_it_claims():
    from graders.live import ALL_RUNNERS

    for name, kind in REGISTRY.items():
        assert kind.modes and kind.modes <= {"offline", "live"}, name
        assert kind.model is CHECK_MODELS[name], name
        if "offline" in kind.modes:
            assert callable(RUNNERS.get(name)), f"{name} claims offline grading but has no offline runner"
        if "live" in kind.modes:
            assert callable(ALL_RUNNERS.get(name)), f"{name} claims live grading but has no live runner"
    for name in LIVE_ONLY_CHECK_TYPES:
        assert name not in REGISTRY and callable(ALL_RUNNERS.get(name)), f"live-only {name} has no live runner"


def test_registry_names_match_the_models():
    for name, kind in REGISTRY.items():
        assert kind.model.model_fields["type"].annotation.__args__ == (name,)


@pytest.mark.parametrize("case", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_check_fixture(case: Path):
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    check = TypeAdapter(Check).validate_python(spec["check"])
    assert check.type == case.parent.name
    documents, errors = parse_documents(spec["answer"])
    assert not errors
    objects, line_for = objects_with_lines(documents)
    subject = Subject(objects, line_for, default_ref=ObjectRef(**spec["target"]), lang=spec.get("lang", "en"))
    (result,) = run_checks([check], subject)
    expected = case.name.split(".")[-2]
    assert result.status == expected, result.message
    if "line" in spec:
        assert result.line == spec["line"], result.message
    if "message_contains" in spec:
        assert spec["message_contains"] in result.message, result.message


@pytest.mark.parametrize("case", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_fixture_messages_in_both_languages(case: Path):
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    check = TypeAdapter(Check).validate_python(spec["check"])
    documents, _ = parse_documents(spec["answer"])
    objects, line_for = objects_with_lines(documents)
    results = {}
    for lang in ("en", "ko"):
        subject = Subject(objects, line_for, default_ref=ObjectRef(**spec["target"]), lang=lang)
        (results[lang],) = run_checks([check], subject)
    assert results["en"].status == results["ko"].status
    assert results["en"].message.strip() and results["ko"].message.strip()
    if check.type not in ("field", "count", "object_exists"):  # a result without words is no result
        assert any("\uac00" <= ch <= "\ud7a3" for ch in results["ko"].message), results["ko"].message


def test_messages_speak_korean():
    check = TypeAdapter(Check).validate_python(
        {"id": "image", "type": "field", "path": '.spec.containers[?(@.name=="web")].image', "expect": {"equals": "nginx:1.14"}}
    )
    subject = Subject([{"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "web", "image": "nginx"}]}}], lang="ko")
    (result,) = run_checks([check], subject)
    assert result.status == "fail"
    assert "기대한 값은 `nginx:1.14`" in result.message and "spec.containers[web].image" in result.message
