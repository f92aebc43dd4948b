"""An `unchanged` check may leave `was` out: it then compares with the object the exercise starts from (live.setup,
else the starter manifest), and an exercise with nothing to take it from is refused with the check named."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from exercises.model import Exercise
from graders.grade import grade

STARTER = """apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: safe}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - name: web
    image: nginx:1.14
"""


def exercise(**changes):
    data = {
        "id": "keep-settings", "kind": "manifest", "title": {"en": "t", "ko": "t"}, "task": {"en": "t", "ko": "t"}, "domain": "workloads-scheduling",
        "solution": STARTER.replace("nginx:1.14", "nginx:1.25"), "starter": STARTER, "target": {"kind": "Pod", "name": "web"},
        "checks": [
            {"id": "image", "type": "image", "object": {"kind": "Pod", "name": "web"}, "container": "web", "image": "nginx:1.25"},
            {"id": "keep", "type": "unchanged", "object": {"kind": "ConfigMap", "name": "settings"}, "paths": [".data"]},
        ],
    }
    data.update(changes)
    return Exercise.model_validate(data)


def verdict(ex, answer) -> str:
    return next(r for r in grade(ex, answer).results if r.check_id == "keep").status


def test_was_is_the_starters_object():
    ex = exercise()
    keep = next(c for c in ex.checks if c.id == "keep")
    assert keep.was["data"] == {"mode": "safe"}
    assert verdict(ex, ex.solution) == "pass"
    assert verdict(ex, ex.solution.replace("mode: safe", "mode: fast")) == "fail"


def test_live_setup_comes_first():
    setup = [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}, "data": {"mode": "strict"}}]
    ex = exercise(live={"namespace": "keep", "setup": setup})
    assert next(c for c in ex.checks if c.id == "keep").was["data"] == {"mode": "strict"}
    assert verdict(ex, ex.solution) == "fail"  # the starter's copy says safe; the cluster starts with strict


def test_a_given_was_is_kept():
    ex = exercise(checks=[{"id": "keep", "type": "unchanged", "object": {"kind": "ConfigMap", "name": "settings"}, "paths": [".data"],
                           "was": {"kind": "ConfigMap", "metadata": {"name": "settings"}, "data": {"mode": "given"}}}])
    assert ex.checks[0].was["data"] == {"mode": "given"}


def test_nothing_to_take_it_from_is_refused_with_the_check_named():
    with pytest.raises(ValidationError) as caught:
        exercise(starter=None)
    assert "check keep: `was` is left out" in str(caught.value) and "ConfigMap settings" in str(caught.value)
