"""How long each phase of a test run took (install, control-plane build and start, tests), for the summary."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator

_PHASES: dict[str, float] = {}


def record(name: str, seconds: float) -> None:
    _PHASES[name] = _PHASES.get(name, 0.0) + seconds


@contextlib.contextmanager
def timed(name: str) -> Iterator[None]:
    started = time.monotonic()
    try:
        yield
    finally:
        record(name, time.monotonic() - started)


def recorded() -> dict[str, float]:
    """The phases so far, the install first when tests/run.sh measured it."""
    phases: dict[str, float] = {}
    install = os.environ.get("KUBEDOJO_PHASE_INSTALL_SECONDS")
    if install:
        with contextlib.suppress(ValueError):
            phases["install"] = float(install)
    phases.update(_PHASES)
    return phases
