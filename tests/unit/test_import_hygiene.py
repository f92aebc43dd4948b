"""The core never imports the UI, and offline grading never pays for the kubernetes client."""

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
import exercises.loader, exercises.model, exercises.lint
import graders.grade, graders.checks, graders.matchers, graders.answers, graders.report
from exercises.loader import load_catalog
from graders.grade import grade
catalog = load_catalog(bundled=True, user=False)
for exercise in catalog.exercises():
    if exercise.offline:
        grade(exercise, exercise.solution)
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'kubernetes', 'rich'))))
"""


@pytest.fixture(scope="module")
def imported_modules() -> list[str]:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_core_never_imports_textual(imported_modules):
    assert not [m for m in imported_modules if m.startswith("textual")]


def test_offline_grading_never_imports_the_kubernetes_client(imported_modules):
    assert not [m for m in imported_modules if m.startswith("kubernetes")]
