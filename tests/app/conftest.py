"""The app's tests run on their own fixture pack, with data, config and kubeconfig in temporary places."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest

PACK = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "app"
SIZE = (120, 40)


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No user state leaks in: fresh data and config folders, no cluster, English unless asked."""
    data = tmp_path / "data"
    config = tmp_path / "config"
    monkeypatch.setenv("KUBEDOJO_DATA_DIR", str(data))
    monkeypatch.setenv("KUBEDOJO_CONFIG_DIR", str(config))
    monkeypatch.setenv("KUBECONFIG", "/nonexistent/kubedojo-test/kubeconfig")
    for var in ("KUBEDOJO_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def make_app(lang: str | None = "en", **options):
    from app.tui.main import KubedojoApp

    return KubedojoApp([PACK], lang, bundled=False, user=False, **options)


async def settle(app, pilot) -> None:
    """Wait for every worker (grading, drafts, cluster probes) and the messages they post."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()  # workers started by the messages of the first ones
    await pilot.pause()


async def loaded(app, pilot) -> None:
    """Wait until the exercises are read (a worker, after the home screen shows)."""
    while not app.loaded:
        await settle(app, pilot)


@contextmanager
def read_only(*paths: Path):
    """Make files or folders really read-only, also for root (the immutable flag), and undo it after."""
    import os
    import shutil
    import stat
    import subprocess

    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in paths}
        for p in paths:
            os.chmod(p, stat.S_IMODE(modes[p]) & ~0o222)
        try:
            yield
        finally:
            for p, mode in modes.items():
                os.chmod(p, mode)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: nothing can be made read-only here")
    done = []
    try:
        for p in paths:
            if subprocess.run(["chattr", "+i", str(p)], capture_output=True).returncode != 0:
                pytest.skip(f"running as root, and this file system has no immutable flag for {p}")
            done.append(p)
        yield
    finally:
        for p in done:
            subprocess.run(["chattr", "-i", str(p)], capture_output=True)
