"""Any text in, a verdict out: grading never raises, whatever the answer."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exercises.loader import load_catalog
from graders.grade import grade
from graders.report import GradeReport

CATALOG = load_catalog(bundled=True, user=False)
EXERCISES = [e for e in CATALOG.exercises() if e.offline]

YAMLISH = st.lists(
    st.sampled_from(
        ["apiVersion: v1", "kind: Pod", "metadata:", "  name: x", "spec:", "  containers:", "  - name: c", "    image: nginx",
         "\tname: tab", "-name: x", "  ports:", "  - containerPort: 80", "*a", "&a [1]", "---", "{", "]", ": :", "    livenessProbe:",
         "      exec: {command: [ls, /tmp/healthy]}", "  initContainers: []", "null", "~", "'", "kubectl get pods -A", "k logs x -c y", "a, b"]
    ),
    max_size=25,
).map("\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(min_value=0), text=st.one_of(st.text(max_size=400), YAMLISH), lang=st.sampled_from(["en", "ko"]))
def test_grading_any_text_gives_a_verdict(index, text, lang):
    exercise = EXERCISES[index % len(EXERCISES)]
    report = grade(exercise, text, lang)
    assert isinstance(report, GradeReport)
    assert report.exercise_id == exercise.id
    assert isinstance(report.to_json()["passed"], bool)
    if not report.usable:
        assert report.errors and not report.passed
