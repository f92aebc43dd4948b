"""`kubedojo serve` in headless chromium: open the page, answer an exercise, check it; a screenshot is kept.

The server listens on 127.0.0.1 and the browser may fetch nothing else (every other request is aborted).
Screenshots go to tests/artifacts/ (KUBEDOJO_TEST_ARTIFACTS overrides), which git ignores.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.bounds import HANG_SECONDS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("KUBEDOJO_TEST_ARTIFACTS") or ROOT / "tests" / "artifacts")
EXERCISE = "cmd-delete-pod"
ANSWER = "kubectl delete pod nginx-pod"


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no chromium on PATH (tests/browser/install-deps.sh installs Debian's as root)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    """`kubedojo serve` of this tree on a free loopback port, with its own data and config folders."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KUBEDOJO_DATA_DIR": str(tmp_path / "data"),
           "KUBEDOJO_CONFIG_DIR": str(tmp_path / "config"), "KUBECONFIG": str(tmp_path / "no-kubeconfig"), "LANG": "C.UTF-8"}
    env.pop("KUBEDOJO_LANG", None)
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--open", EXERCISE, "--lang", "en"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + HANG_SECONDS
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"kubedojo serve did not answer on {url}: {(tmp_path / 'serve.log').read_text()}")
            time.sleep(0.2)
    yield url, tmp_path / "data"
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


def loopback_only(route) -> None:
    host = route.request.url.split("/")[2].split(":")[0]
    if host in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        route.abort()


def progress_of(data_dir: Path, exercise_id: str):
    from app.progress import ProgressStore, default_path

    os.environ["KUBEDOJO_DATA_DIR"] = str(data_dir)
    store = ProgressStore(default_path())
    try:
        return store.progress(exercise_id)
    finally:
        store.close()


def test_open_answer_check_in_a_browser(served, monkeypatch):
    playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    executable = chromium()
    url, data_dir = served
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    drawn = Screen()
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route("**/*", loopback_only)
            page.on("websocket", drawn.watch)
            page.goto(url)
            drawn.wait_for(page, "Delete the pod")  # the exercise's title: the exercise screen is up
            page.screenshot(path=str(ARTIFACTS / "serve-opened.png"))
            page.locator(".xterm-helper-textarea").focus()  # keys go to xterm.js, which sends them to the app
            page.keyboard.type(ANSWER, delay=20)
            drawn.wait_for(page, ANSWER.split()[-1])  # echoed in the answer line
            page.keyboard.press("Control+s")
            drawn.wait_for(page, "Passed")
            page.screenshot(path=str(ARTIFACTS / "serve-checked.png"))
        finally:
            browser.close()
    progress = progress_of(data_dir, EXERCISE)
    assert progress.status == "passed" and progress.attempts == 1, progress
    assert (ARTIFACTS / "serve-checked.png").stat().st_size > 10_000  # a drawn page, not a blank one


class Screen:
    """What the served app sent to the browser (its terminal output, from the websocket frames)."""

    def __init__(self) -> None:
        self.received = bytearray()
        self.mark = 0

    def watch(self, websocket) -> None:
        websocket.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        self.received += payload if isinstance(payload, bytes) else payload.encode("utf-8", "replace")

    def wait_for(self, page, text: str, since_now: bool = True) -> None:
        """Wait until the app draws `text` (after this call, or at all); page.wait_for_timeout lets events in."""
        start = len(self.received) if since_now else 0
        needle = text.encode()
        deadline = time.monotonic() + HANG_SECONDS
        while needle not in self.received[start:]:
            if time.monotonic() > deadline:
                page.screenshot(path=str(ARTIFACTS / "serve-failed.png"))
                pytest.fail(f"waited {HANG_SECONDS} s for the app to draw {text!r} (tests/artifacts/serve-failed.png shows what it drew)")
            page.wait_for_timeout(100)
