"""A cluster kubedojo cannot use gives one clear verdict naming the context and the server, fast: never a hang or a traceback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.bounds import HANG_SECONDS

pytestmark = pytest.mark.cluster
PACK = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "live"
ROOT = Path(__file__).resolve().parents[2]


def kubedojo(*args: str, kubeconfig: str, context: str | None = None, tmp: Path) -> tuple[int, dict, str, float]:
    env = {**os.environ, "KUBEDOJO_CONFIG_DIR": str(tmp / "config"), "KUBEDOJO_DATA_DIR": str(tmp / "data")}
    cmd = [sys.executable, "-m", "app.cli", *args, "--pack", str(PACK), "--kubeconfig", kubeconfig, "--json"]
    if context:
        cmd += ["--context", context]
    start = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout), done.stderr, time.monotonic() - start


def edited_kubeconfig(control_plane, tmp: Path, edit) -> str:
    config = yaml.safe_load(Path(control_plane.kubeconfig).read_text())
    edit(config)
    path = tmp / "kubeconfig"
    path.write_text(yaml.safe_dump(config))
    return str(path)


def assert_unusable(code: int, verdict: dict, seconds: float, *words: str) -> str:
    assert code == 2
    assert verdict["passed"] is False if "passed" in verdict else verdict["ok"] is False
    message = verdict["errors"][0]["message"]
    for word in words:
        assert word in message, message
    assert seconds < HANG_SECONDS, f"took {seconds:.1f} s: waited for a long timeout or retried"
    return message


def test_a_stopped_apiserver_is_a_clean_error_within_seconds(control_plane, tmp_path):
    with control_plane.apiserver_stopped():
        code, verdict, _, seconds = kubedojo("check", "live-web", "--live", kubeconfig=str(control_plane.kubeconfig), context=control_plane.context, tmp=tmp_path)
        message = assert_unusable(code, verdict, seconds, control_plane.context, control_plane.server, "cannot reach")
        assert verdict["exercise"] == "live-web" and verdict["mode"] == "live" and verdict["checks"] == []
        code, verdict, _, seconds = kubedojo("setup", "live-web", kubeconfig=str(control_plane.kubeconfig), context=control_plane.context, tmp=tmp_path)
        assert_unusable(code, verdict, seconds, control_plane.context, control_plane.server)
        code, verdict, _, seconds = kubedojo("reset", "live-web", kubeconfig=str(control_plane.kubeconfig), context=control_plane.context, tmp=tmp_path)
        assert_unusable(code, verdict, seconds, control_plane.server)
    print(message)


def test_rbac_denial_is_a_clean_error(control_plane, tmp_path):
    code, verdict, _, seconds = kubedojo("check", "live-web", "--live", kubeconfig=str(control_plane.kubeconfig), context=control_plane.limited_context, tmp=tmp_path)
    assert_unusable(code, verdict, seconds, "403 Forbidden", control_plane.limited_context, control_plane.server)


def test_expired_credentials_are_a_clean_error(control_plane, tmp_path):
    def expire(config):
        for user in config["users"]:
            user["user"]["token"] = "expired-token"

    path = edited_kubeconfig(control_plane, tmp_path, expire)
    code, verdict, _, seconds = kubedojo("check", "live-web", "--live", kubeconfig=path, context=control_plane.context, tmp=tmp_path)
    assert_unusable(code, verdict, seconds, "401 Unauthorized", control_plane.context)
    assert "expired" in verdict["errors"][0]["hint"]


def test_a_missing_kubeconfig_is_a_clean_error(tmp_path):
    code, verdict, _, seconds = kubedojo("check", "live-web", "--live", kubeconfig=str(tmp_path / "nowhere"), tmp=tmp_path)
    assert_unusable(code, verdict, seconds, "no kubeconfig", "nowhere")


def test_an_unknown_context_is_a_clean_error(control_plane, tmp_path):
    code, verdict, _, seconds = kubedojo("check", "live-web", "--live", kubeconfig=str(control_plane.kubeconfig), context="kind-nope", tmp=tmp_path)
    assert_unusable(code, verdict, seconds, "kind-nope", control_plane.context)


def test_a_server_that_never_answers_is_given_up_within_seconds(control_plane, tmp_path):
    # A loopback socket that listens but never accepts: the kernel completes the TCP handshake and then
    # nothing ever answers the TLS hello, as with a hung API server or a black-holed route.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        address = f"127.0.0.1:{silent.getsockname()[1]}"

        def hang(config):
            for cluster in config["clusters"]:
                cluster["cluster"]["server"] = f"https://{address}"

        path = edited_kubeconfig(control_plane, tmp_path, hang)
        code, verdict, _, seconds = kubedojo("check", "live-web", "--live", kubeconfig=path, context=control_plane.context, tmp=tmp_path)
    assert_unusable(code, verdict, seconds, address, control_plane.context)
