"""Tests under tests/cluster run against the real control plane and carry the `cluster` mark."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cluster.fixture import control_plane  # noqa: F401  (the fixture, offered to this dir)

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.cluster)
