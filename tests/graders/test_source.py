"""Answer text to documents: line maps, classic-mistake hints, bounds, and no exception for any input."""

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

from graders import source
from graders.source import MAX_ANSWER_BYTES, Document, SourceError, parse_documents, strip_nulls
from tests.bounds import HANG_SECONDS

FIXTURES = Path(__file__).parent.parent / "fixtures" / "yaml"


class PurePythonParser(Reader, Scanner, Parser):
    """PyYAML's own parser, which source.py uses when PyYAML was built without libyaml."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


@pytest.fixture(params=["libyaml", "pure-python"])
def parser(request, monkeypatch):
    if request.param == "pure-python":
        monkeypatch.setattr(source, "_EventParser", PurePythonParser)
        monkeypatch.setattr(source, "_OFFSETS_IN_BYTES", False)
    return request.param


def parse_fixture(name: str) -> tuple[list[Document], list[SourceError]]:
    return parse_documents((FIXTURES / name).read_text(encoding="utf-8"))


# fixture, line, column, words in the message, words in the hint
SYNTAX_MISTAKES = [
    ("tab_indent.yaml", 4, 1, "tab character used for indentation", "not tabs"),
    ("seed_multipod_tabs.yaml", 4, 1, "tab character", "not tabs"),
    ("dash_no_space.yaml", 7, 2, "no space after the dash in `-name:`", "`- name:`"),
    ("colon_no_space.yaml", 8, 10, "no space after the colon in `image:nginx:1.14`", "`image: nginx:1.14`"),
    ("misindented_image.yaml", 8, 5, "`image:` is mis-indented", "Indent `image:` 2 more spaces, to column 7"),
    ("duplicate_key.yaml", 9, 5, "duplicate key `image` (first written on line 8)", "Keep only one `image:`"),
    ("not_a_mapping.yaml", 10, 1, "document 2 is a list, expected a Kubernetes object", "apiVersion"),
    ("missing_colon.yaml", 6, 13, "`containers` has no colon after it", "`containers:`"),
    ("overindented_key.yaml", 5, 4, "`labels:` is mis-indented: it is indented deeper than the key above it",
     "Indent `labels:` 1 fewer space, to column 3"),
    ("misaligned_key.yaml", 9, 6, "`ports:` is mis-indented: it does not line up with any key above it",
     "Indent `ports:` 1 more space, to column 7"),
    ("unclosed_quote.yaml", 4, 9, "this quote is never closed", "Close the quote"),
    ("unclosed_bracket.yaml", 9, 14, "this `[` is not closed, or misses a comma, before line 10",
     "Close it with `]`"),
]


@pytest.mark.parametrize(("name", "line", "column", "words", "hint"), SYNTAX_MISTAKES)
def test_classic_mistake_is_pointed_at_with_a_hint(parser, name, line, column, words, hint):
    _, errors = parse_fixture(name)
    assert len(errors) == 1, errors
    error = errors[0]
    assert (error.line, error.column) == (line, column)
    assert error.message.startswith(f"line {line}: ")
    assert words in error.message
    assert hint in error.hint
    assert error.hint_ko and any("\uac00" <= ch <= "\ud7a3" for ch in error.hint_ko)  # written in Hangul


def test_parser_position_is_kept_when_the_mistake_is_on_an_earlier_line():
    _, [error] = parse_fixture("dash_no_space.yaml")
    assert "the YAML parser stopped at line 8" in error.message


def test_dash_hint_in_korean_reads_like_the_course_notes():
    _, [error] = parse_fixture("dash_no_space.yaml")
    assert error.hint_ko == "대시(-) 뒤에는 반드시 한 칸을 띄워야 합니다: `- name:`"


@pytest.mark.parametrize("name", ["kubectl_dry_run_output.yaml", "flow_style.yaml", "pod.json", "deployment.yaml",
                                  "name_space_before_colon.yaml"])
def test_good_answers_parse_cleanly(parser, name):
    documents, errors = parse_fixture(name)
    assert errors == []
    assert len(documents) == 1 and documents[0].obj["kind"] in ("Pod", "Deployment")


def test_dry_run_nulls_are_kept_and_strip_nulls_removes_them():
    [doc], _ = parse_fixture("kubectl_dry_run_output.yaml")
    assert doc.obj["metadata"]["creationTimestamp"] is None
    stripped = strip_nulls(doc.obj)
    assert "creationTimestamp" not in stripped["metadata"]
    assert stripped["status"] == {} and stripped["spec"]["containers"][0]["resources"] == {}
    assert doc.obj["metadata"]["creationTimestamp"] is None  # a copy, not in place
    assert strip_nulls({"args": [None, "a"], "b": {"c": None}}) == {"args": [None, "a"], "b": {}}


def test_multiple_documents_skip_empty_ones_and_keep_their_lines(parser):
    documents, errors = parse_fixture("multi_document.yaml")
    assert errors == []
    assert [(d.index, d.start_line, d.obj["kind"]) for d in documents] == [(0, 3, "Pod"), (1, 15, "Service")]
    assert documents[1].lines.line_for(["spec", "ports", 0, "targetPort"]) == 24


def test_kind_list_is_flattened_and_line_maps_still_work():
    documents, errors = parse_fixture("kubectl_get_list.yaml")
    assert errors == []
    assert [(d.index, d.start_line, d.obj["kind"]) for d in documents] == [(0, 3, "Pod"), (1, 11, "Service")]
    assert documents[0].lines.line_for(["spec", "containers", 0, "image"]) == 10
    assert documents[1].lines.line_for(["spec", "ports", 0, "port"]) == 17


def test_a_list_item_that_is_not_an_object_is_reported():
    documents, [error] = parse_documents("kind: List\napiVersion: v1\nitems:\n- kind: Pod\n- just text\n")
    assert len(documents) == 1 and error.line == 5 and "item 2 of the List is a string" in error.message


POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web, tier: front}
spec:
  containers:
  - name: nginx
    image: nginx
    livenessProbe:
      exec:
        command:
        - ls
"""


@pytest.mark.parametrize(("path", "line"), [
    ([], 1),
    (["kind"], 2),
    (["metadata", "labels", "tier"], 5),
    (["spec", "containers"], 7),
    (["spec", "containers", 0], 8),
    (["spec", "containers", 0, "image"], 9),
    (["spec", "containers", 0, "livenessProbe", "exec", "command", 0], 13),
    (["spec", "containers", 0, "livenessProbe", "initialDelaySeconds"], 10),  # missing: its parent
    (["spec", "containers", 3, "image"], 7),
    (["spec", "volumes", 0], 6),
    (["metadata", "name", "deeper"], 4),
])
def test_line_for_points_at_the_key_or_its_deepest_existing_parent(path, line):
    [doc], _ = parse_documents(POD)
    assert doc.lines.line_for(path) == line


def test_position_for_gives_the_column_too():
    [doc], _ = parse_documents(POD)
    assert doc.lines.position_for(["spec", "containers", 0, "image"]) == (9, 5)


def test_merge_keys_are_expanded_and_explicit_keys_win():
    [doc], errors = parse_documents("base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  b: 3\n")
    assert errors == [] and doc.obj["x"] == {"a": 1, "b": 3}
    assert doc.lines.line_for(["x", "a"]) == 1 and doc.lines.line_for(["x", "b"]) == 4


def test_values_read_as_the_api_server_reads_them():
    [doc], _ = parse_documents("a: 2024-01-01\nb: '80'\nc: 80\nd: true\ne: ~\nf: 0.5\n")
    assert doc.obj == {"a": "2024-01-01", "b": "80", "c": 80, "d": True, "e": None, "f": 0.5}


def test_scalars_kubectl_reads_otherwise_than_yaml_1_1():
    [doc], errors = parse_documents("a: 1e6\nb: 1.5e3\nc: y\nd: N\ne: '1e6'\nf: 1e\ng: e6\nh: 1_0e1\ni: 1:30\nj: 1e999\n")
    assert errors == []
    assert doc.obj == {"a": 1e6, "b": 1500.0, "c": True, "d": False, "e": "1e6", "f": "1e", "g": "e6", "h": 100.0, "i": "1:30", "j": "1e999"}


def test_json_indented_with_tabs_is_accepted():
    documents, errors = parse_documents('{\n\t"apiVersion": "v1",\n\t"kind": "Pod"\n}\n')
    assert errors == [] and documents[0].lines.line_for(["kind"]) == 3


def test_too_large_an_answer_is_refused_with_the_limit():
    _, [error] = parse_documents("a: " + "x" * MAX_ANSWER_BYTES)
    assert f"{MAX_ANSWER_BYTES:,}" in error.message and error.line is None


def test_billion_laughs_is_refused_without_expanding(parser):
    start = time.perf_counter()
    _, [error] = parse_fixture("billion_laughs.yaml")
    assert time.perf_counter() - start < HANG_SECONDS, "expanded the aliases (bench/check_bench.py times it)"
    assert "aliases" in error.message and error.line is not None


@pytest.mark.parametrize(("text", "words"), [
    ("[" * 200, "nested more than"),
    ("- " * 200 + "a", "nested more than"),
    ("a: &a [1, *a]", "refers to a value that contains it"),
    ("a: *nowhere", "undefined alias"),
    ("a: !!int abc", "cannot read 'abc' as !!int"),
    ("a: !custom x", "the tag `!custom` has no meaning"),
    ("a: !!python/object/apply:os.system [ls]", "the tag `!!python/object/apply:os.system` has no meaning"),
    ("a: !!binary aGVsbG8=", "`!!binary` makes bytes"),
    ("a: !!set {x, y}", "`!!set` makes a set"),
    ("a: !!omap [x: 1]", "`!!omap` makes an ordered map"),
    ("a: !!pairs [x: 1]", "`!!pairs` makes a list of pairs"),
    ("a: !!str {b: 1}", "`!!str` cannot tag a mapping"),
    ("a: .nan", "`.nan` is not a number JSON can carry"),
    ("a: [-.inf]", "`-.inf` is not a number JSON can carry"),
    ("a: 1.0e+400", "`1.0e+400` is not a number JSON can carry"),
    ("? [a]\n: 1", "a mapping key must be text, found a list"),
    ("? {a: 1}\n: 1", "a mapping key must be text, found a mapping"),
    ("a: b\x01c", "U+0001"),
    ("a: \ud800", "not valid text"),
], ids=["deep-flow", "deep-block", "recursive-alias", "undefined-alias", "bad-int", "unknown-tag", "python-tag",
        "binary", "set", "omap", "pairs", "str-on-mapping", "nan", "infinity", "overflowing-float", "list-key",
        "mapping-key", "control-character", "lone-surrogate"])
def test_hostile_or_broken_input_becomes_an_error(parser, text, words):
    documents, errors = parse_documents(text)
    assert documents == [] and len(errors) == 1 and words in errors[0].message


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n---\n", "~\n"])
def test_empty_documents_are_skipped(text):
    assert parse_documents(text) == ([], [])


def test_explicit_standard_tags_read_as_json_values():
    [doc], errors = parse_documents("a: !!timestamp 2001-12-14\nb: !!str 80\nc: !!int '12'\nd: !!float 1\ne: !!null ''\n")
    assert errors == [] and doc.obj == {"a": "2001-12-14", "b": "80", "c": 12, "d": 1.0, "e": None}


def test_keys_become_text_as_kubectl_makes_them():
    [doc], errors = parse_documents("{1: a, true: b, null: c, 1.5: d, 2.0: e}")
    assert errors == [] and doc.obj == {"1": "a", "true": "b", "null": "c", "1.5": "d", "2": "e"}


def test_a_refused_value_names_its_line():
    _, [error] = parse_documents("apiVersion: v1\nkind: Pod\nmetadata:\n  name: !!binary aGVsbG8=\n")
    assert error.line == 4 and error.message.startswith("line 4: ")


YAMLISH = st.lists(st.sampled_from(
    list("ab:- \n\t{}[],&*!|>'\"#?%@`~0.1x") + ["\x85", "\u2028", "\ufeff", "\x00", "é", "---", "...", "<<: *a",
                                                  "&a ", "*a", "!!int ", "!!binary ", "!!set ", "!!float ",
                                                  "!!bool ", "!!omap ", "2001-02-30", "0x", "1e999", "- ", ": ",
                                                  "kind: List\nitems:\n", "  ", "    "]),
    max_size=50).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), YAMLISH))
def test_any_text_gives_a_result_never_an_exception(text):
    documents, errors = parse_documents(text)
    assert all(isinstance(d.obj, dict) and d.start_line >= 1 for d in documents)
    assert all(json.loads(json.dumps(d.obj, allow_nan=False)) == d.obj for d in documents)  # only JSON values
    assert all(isinstance(e, SourceError) and e.message for e in errors)
    for doc in documents:
        for key in doc.obj:
            doc.lines.line_for([key, 0, "x"])
