"""Every bundled solution, mutated: the grader returns a report for each mutation, and never raises or hangs."""

import json
import time

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exercises.loader import load_catalog
from graders.grade import grade
from graders.report import GradeReport

EXERCISES = {e.id: e for e in load_catalog(bundled=True, user=False).exercises() if e.offline}
HANG_BOUND_SECONDS = 10.0
"""Per answer; a bound so generous only a hang (or a runaway pattern) trips it."""

NASTY_TEXT = ["", " ", "NaN", "nan", "-Infinity", "inf", "sNaN", "1e999999999", "0x1F", "500m", "1_000", "Ki", "-", "*", "'", "\"",
              "\x1b]0;pwned\x07\x1b[2J", "\r\x1b[1A", "\u202e", "a" * 5000 + "!", "(" * 50, "[?(@.name=='x')]",
              "sh -c 'ls /tmp/healthy && rm -rf /'", "ls", "/tmp/healthy", "kubectl", "가나다", "\\", "${HOME}"]
NASTY_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
              st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(NASTY_TEXT), st.text(max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["name", "image", "x", "-", "1"]), inner, max_size=3)),
    max_leaves=8,
)
TAGGED = ["!!binary aGVsbG8=", "!!set {a, b}", ".nan", "-.inf", "NaN", "Infinity", "[a, b]", "{a: 1}", "1.0e+400", "!!timestamp 2001-12-14", "!!omap [a: 1]",
          "!!python/object/apply:os.system [ls]", "!custom x", "&a [*a]", "*nowhere", "[[[[[[[[[[]]]]]]]]]]",
          "{? [a] : b}", "'\\x1b[2J'", "\"\\e]0;title\\a\"", "\"\\u0000\"", "[" * 70 + "]" * 70, "!!str {a: 1}"]


def _paths(node, prefix=()):
    """Every (path, value) in a plain value, containers included."""
    yield prefix, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


def _checked(exercise_id, document):
    """The concrete paths the exercise's checks read in one document, and every ancestor of them."""
    from graders import paths

    found = set()
    for check in EXERCISES[exercise_id].checks:
        if check.type not in ("field", "count"):  # only these read JSONPaths (a mount's `path` is a file path)
            continue
        for expression in getattr(check, "paths", [getattr(check, "path", None)]):
            if expression:
                for hit in paths.find(document, expression):
                    found.update(hit.path[:n] for n in range(1, len(hit.path) + 1))
    return sorted(found, key=str)


def _set(root, path, value):
    if not path:
        return value
    parent = root
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return root


@st.composite
def mutated_value_answer(draw, exercise_id):
    """The solution's objects with values replaced, removed, wrapped or repeated, often where a check reads.

    Dumped as YAML or JSON.
    """
    documents = [d for d in yaml.safe_load_all(EXERCISES[exercise_id].solution) if d is not None]
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(documents) - 1))
        documents[index] = draw(_mutate_one(exercise_id, json.dumps(documents[index])))
    if draw(st.booleans()):
        return "\n---\n".join(json.dumps(d, ensure_ascii=draw(st.booleans())) for d in documents)
    return yaml.safe_dump_all(documents, allow_unicode=True)


@st.composite
def _mutate_one(draw, exercise_id, text):
    doc = json.loads(text)  # passed as text: hypothesis caches strategies by their arguments
    everywhere = dict(_paths(doc))
    checked = [p for p in _checked(exercise_id, json.loads(text)) if p in everywhere]
    path = draw(st.sampled_from(checked if checked and draw(st.booleans()) else list(everywhere)))
    old = everywhere[path]
    how = draw(st.sampled_from(["replace", "delete", "wrap", "repeat", "stringify"]))
    if how == "replace":
        doc = _set(doc, path, draw(NASTY_VALUES))
    elif how == "delete" and path:
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        del parent[path[-1]]
    elif how == "wrap":
        doc = _set(doc, path, [old] if draw(st.booleans()) else {"x": old})
    elif how == "repeat" and path and isinstance(path[-1], int):
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        parent.append(old)
    elif how == "stringify":
        doc = _set(doc, path, json.dumps(old))
    return doc


@st.composite
def mutated_text_answer(draw, exercise_id):
    """The solution's text with a line's value replaced by a tag or hostile YAML, lines cut, repeated or inserted."""
    lines = EXERCISES[exercise_id].solution.splitlines() or [""]
    i = draw(st.integers(0, len(lines) - 1))
    how = draw(st.sampled_from(["retag", "insert", "cut", "repeat", "truncate", "control"]))
    if how == "retag" and ":" in lines[i]:
        key = lines[i].split(":", 1)[0]
        lines[i] = f"{key}: {draw(st.sampled_from(TAGGED))}"
    elif how == "insert":
        lines.insert(i, draw(st.sampled_from(TAGGED + NASTY_TEXT)))
    elif how == "cut":
        del lines[i]
    elif how == "repeat":
        lines[i:i] = [lines[i]] * draw(st.integers(2, 300))
    elif how == "truncate":
        text = "\n".join(lines)
        return text[: draw(st.integers(0, len(text)))]
    elif how == "control":
        at = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:at] + draw(st.sampled_from(["\x1b[2J", "\t", "\x00", "\ufeff", "\u2028", "\r"])) + lines[i][at:]
    return "\n".join(lines)


@st.composite
def mutated(draw):
    exercise = EXERCISES[draw(st.sampled_from(sorted(EXERCISES)))]
    if exercise.kind == "manifest":
        kind = draw(st.sampled_from([mutated_value_answer, mutated_text_answer]))
    else:
        kind = mutated_text_answer
    return exercise.id, draw(kind(exercise.id))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=mutated(), lang=st.sampled_from(["en", "ko"]))
def test_a_mutated_solution_gets_a_report(case, lang):
    exercise_id, answer = case
    exercise = EXERCISES[exercise_id]
    start = time.perf_counter()
    report = grade(exercise, answer, lang)
    elapsed = time.perf_counter() - start
    assert isinstance(report, GradeReport) and report.exercise_id == exercise.id
    json.dumps(report.to_json(), allow_nan=False)  # a verdict scripts can read
    assert report.usable or (report.errors and not report.passed)
    assert elapsed < HANG_BOUND_SECONDS, f"{exercise.id} took {elapsed:.1f} s"
