"""Run-wide plumbing: build the test control plane only when a selected test needs it, and end with
what was skipped (grouped by reason) and how long each phase took."""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from tests import phases

_SESSION_STARTED = time.monotonic()


def needs_control_plane(items: list[pytest.Item]) -> bool:
    return any(item.get_closest_marker("cluster") for item in items)


def pytest_collection_finish(session: pytest.Session) -> None:
    config = session.config
    if config.option.collectonly:
        return
    if any(item.get_closest_marker("browser") for item in session.items):
        _install(config, Path(__file__).resolve().parent / "browser" / "install-deps.sh", "browser packages")  # Debian's chromium
    if not needs_control_plane(session.items):
        return
    from tests.cluster import build

    # Debian's containerd, runc, CNI plugins, busybox for the real nodes; a no-op when there
    _install(config, Path(__file__).resolve().parent / "cluster" / "install-deps.sh", "node packages")
    reporter = config.pluginmanager.getplugin("terminalreporter")
    capture = config.pluginmanager.getplugin("capturemanager")
    missing = build.missing_binaries()
    if not missing:
        return
    reporter.write_line(f"building the test control plane ({', '.join(b.name for b in missing)}); "
                        f"cached afterwards in {build.bin_dir()}")
    with capture.global_and_fixture_disabled(), phases.timed("control-plane build"):
        try:
            build.ensure_built(log=reporter.write_line)
        except build.BuildError as error:
            pytest.exit(f"the test control plane could not be built: {error}", returncode=3)


def _install(config: pytest.Config, script: Path, phase: str) -> None:
    """Run an install-deps.sh (a no-op when everything is there) and pass on what it said."""
    reporter = config.pluginmanager.getplugin("terminalreporter")
    capture = config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled(), phases.timed(phase):
        done = subprocess.run(["sh", str(script)], capture_output=True, text=True)
    for line in (done.stdout + done.stderr).splitlines():
        reporter.write_line(line)


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped:
        terminalreporter.section(f"{len(skipped)} skipped, by reason")
        for reason, count in Counter(_skip_reason(r) for r in skipped).most_common():
            terminalreporter.write_line(f"{count:4d}  {reason}")
    xfailed = terminalreporter.stats.get("xfailed", [])
    if xfailed:
        terminalreporter.section(f"{len(xfailed)} expected to fail, by reason")
        for reason, count in Counter(str(getattr(r, "wasxfail", "")) for r in xfailed).most_common():
            terminalreporter.write_line(f"{count:4d}  {reason}")
    timings = phases.recorded()
    building = timings.get("control-plane build", 0.0)
    timings["tests"] = time.monotonic() - _SESSION_STARTED - building
    terminalreporter.section("phases")
    for name, seconds in timings.items():
        terminalreporter.write_line(f"{name:>22}: {seconds:7.1f} s")
