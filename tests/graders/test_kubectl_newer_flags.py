"""Flags newer than the kubectl the flag table was generated from are accepted, each with where it came from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graders.kubectl import parse_kubectl

TABLE = json.loads((Path(__file__).resolve().parents[2] / "graders" / "data" / "kubectl-flags.json").read_text())


@pytest.mark.parametrize("line", [
    "kubectl top node --show-swap", "kubectl top pod -A --show-swap",
    "kubectl autoscale deploy web --cpu=70% --min=1 --max=5", "kubectl autoscale deploy web --memory=200Mi --max=5",
])
def test_flags_of_kubectl_1_34_and_1_35_are_accepted(line):
    assert parse_kubectl(line).problems == ()


@pytest.mark.parametrize("line", ["kubectl top node --show-swapx", "kubectl get pods --show-swap", "kubectl autoscale deploy web --cpus=70%"])
def test_near_misses_are_still_refused(line):
    assert parse_kubectl(line).problems


def test_every_addition_says_where_it_comes_from():
    assert TABLE["additions"]
    for entry in TABLE["additions"]:
        assert entry["flag"] in TABLE["commands"][entry["command"]]["flags"]
        assert entry["source"].startswith("v1.3") and "pkg/cmd/" in entry["source"]
