"""Answers whose fields hold the wrong type (a string where a list belongs ...): the meaning checks say fail, never crash."""

from __future__ import annotations

import copy
from typing import Any, Iterator

import pytest
import yaml

from exercises.loader import load_catalog
from graders.checks import Subject, run_checks

CATALOG = load_catalog(bundled=True, user=False)
MANIFESTS = [e for e in CATALOG.exercises() if e.kind == "manifest" and e.offline]
WRONG: list[Any] = ["x", 7, ["x"], {"name": 3}]
JSONPATH_TYPES = frozenset({"field", "count"})
"""These read the answer through jsonpath_ng, whose filters may raise on odd values; run_checks turns that into an error result."""


def _nodes(obj: Any, path: tuple = ()) -> Iterator[tuple]:
    yield path
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _nodes(value, path + (key,))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from _nodes(value, path + (i,))


def _replaced(obj: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    obj = copy.deepcopy(obj)
    node = obj
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return obj


@pytest.mark.parametrize("exercise", MANIFESTS, ids=lambda ex: ex.id)
def test_wrong_types_anywhere_give_a_verdict(exercise):
    documents = [d for d in yaml.safe_load_all(exercise.solution) if d is not None]
    for index, document in enumerate(documents):
        for path in _nodes(document):
            for value in WRONG:
                objects = [d if i != index else _replaced(document, path, value) for i, d in enumerate(documents)]
                objects = [o for o in objects if isinstance(o, dict)]
                for result in run_checks(list(exercise.checks), Subject(objects, default_ref=exercise.target)):
                    check = next(c for c in exercise.checks if c.id == result.check_id)
                    assert result.status in ("pass", "fail", "error")
                    if check.type not in JSONPATH_TYPES:
                        assert "could not read the answer" not in result.message, (path, value, result.message)
