"""Messages are keys and values rendered at display time: every catalog says each message in English and Korean
with the same placeholders, and a report reads again in the other language without grading again."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from graders.checktypes import REGISTRY
from graders.messages import Text, render, say, tell
from graders.parser_messages import CATALOG, translated

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "yaml"
_FIELD = re.compile(r"\{(\w+)[^}]*\}")


def _catalogs():
    yield "parser", CATALOG
    for name, kind in REGISTRY.items():
        messages = getattr(sys.modules[kind.run.__module__], "MESSAGES", None)
        if messages is not None:
            yield name, messages


@pytest.mark.parametrize(("name", "catalog"), list(_catalogs()), ids=[n for n, _ in _catalogs()])
def test_every_message_has_both_languages_and_the_same_placeholders(name, catalog):
    for key, texts in catalog.items():
        assert isinstance(texts, tuple) and len(texts) == 2, (name, key)
        en, ko = texts
        assert en.strip() and ko.strip(), (name, key)
        if re.search("[A-Za-z]{3,}", _FIELD.sub("", en).replace("`", "")):  # words, not just placeholders and marks
            assert re.search("[가-힣]", ko), f"{name}.{key}: the Korean text has no Korean"
        assert sorted(_FIELD.findall(en)) == sorted(_FIELD.findall(ko)), (name, key)


def test_a_text_renders_in_either_language_and_keeps_its_key():
    message = tell({"wrong": ("runs {image}", "{image}을(를) 실행합니다")}, "wrong", "en", "image.wrong", image="nginx")
    assert message == "runs nginx" and render(message, "ko") == "nginx을(를) 실행합니다"
    assert message.key == "image.wrong" and message.values == {"image": "nginx"}
    joined = "note: " + message + say("en", "!", "!!")
    assert render(joined, "ko") == "note: nginx을(를) 실행합니다!!" and str(joined) == "note: runs nginx!"


def test_a_value_that_is_a_text_is_rendered_in_each_language():
    inner = say("en", "nothing", "아무것도 없음")
    message = tell({"found": ("found {what}", "{what}이(가) 있습니다")}, "found", "en", None, what=inner)
    assert render(message, "ko") == "아무것도 없음이(가) 있습니다"


@pytest.mark.parametrize("message", [
    "mapping values are not allowed here", "unbalanced ' quote", "nothing after |", "flag needs an argument: --image",
    'spec.containers[0]: missing required field "name"', 'spec.foo: unknown field "foo"',
])
def test_parser_messages_are_translated_with_their_values(message):
    text = translated(message, "en")
    assert text == message and text.key is not None
    assert re.search("[가-힣]", render(text, "ko"))


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.yaml")))
def test_every_error_a_bad_answer_gets_reads_in_korean(fixture):
    from exercises.model import Exercise
    from graders.grade import grade

    exercise = Exercise.model_validate({
        "id": "any-pod", "kind": "manifest", "title": {"en": "t", "ko": "t"}, "task": {"en": "t", "ko": "t"},
        "domain": "workloads-scheduling", "difficulty": "quick", "solution": "kind: Pod", "target": {"kind": "Pod"},
        "checks": [{"id": "exists", "type": "object_exists"}]})
    report = grade(exercise, (FIXTURES / fixture).read_text(), "en")
    for error in report.errors:
        ko = render(error.message, "ko")
        assert isinstance(error.message, Text)
        assert re.search("[가-힣]", ko), f"{fixture}: untranslated: {error.message}"


def test_a_report_is_rendered_again_without_grading():
    from exercises.model import Exercise
    from graders.grade import grade

    exercise = Exercise.model_validate({
        "id": "img", "kind": "manifest", "title": {"en": "t", "ko": "t"}, "task": {"en": "t", "ko": "t"},
        "domain": "workloads-scheduling", "difficulty": "quick", "solution": "kind: Pod", "target": {"kind": "Pod"},
        "checks": [{"id": "image", "type": "image", "image": "busybox:1.36",
                    "remediation": {"en": "use busybox:1.36", "ko": "busybox:1.36을 쓰세요"}}]})
    report = grade(exercise, "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: a, image: 'nginx:latest'}]\n", "en")
    korean = report.rendered("ko")
    assert korean.results[0].message == "컨테이너 `a`은(는) `nginx:latest`을(를) 실행합니다. 기대한 이미지는 `busybox:1.36`"
    assert korean.results[0].remediation == "busybox:1.36을 쓰세요"
    data = report.to_json("ko")
    assert data["checks"][0]["message"] == korean.results[0].message
    assert data["checks"][0]["message_key"] == "image.wrong" and data["checks"][0]["message_values"]["image"] == "nginx:latest"
