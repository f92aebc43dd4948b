"""`kubedojo serve`: the command it serves, its loopback default, and what it says about bad options."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from app.serve_cli import app_command, is_loopback

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"])
def test_loopback_hosts(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.org", ""])
def test_hosts_that_are_not_loopback(host):
    assert not is_loopback(host)


def test_the_served_command_is_this_python_and_this_app(tmp_path):
    argv = shlex.split(app_command((tmp_path / "my pack",), "ko", "cmd-delete-pod"))
    assert argv[:3] == [sys.executable, "-m", "app.tui.main"]
    assert argv[3:] == ["--pack", str((tmp_path / "my pack").resolve()), "--lang", "ko", "--open", "cmd-delete-pod"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}, timeout=60)


def test_serve_is_a_command_and_defaults_to_loopback():
    listed = run_cli("--help")
    assert "serve" in listed.stdout
    help_text = run_cli("serve", "--help")
    assert help_text.returncode == 0
    assert "127.0.0.1" in help_text.stdout and "--port" in help_text.stdout and "--pack" in help_text.stdout


def test_a_missing_pack_is_said_before_serving(tmp_path):
    done = run_cli("serve", "--port", "0", "--pack", str(tmp_path / "nope"))
    assert done.returncode == 2
    assert "no such file or folder" in done.stderr and "Traceback" not in done.stderr


def test_a_port_in_use_is_said_not_a_traceback():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_cli("serve", "--port", str(port))
    assert done.returncode == 2, done.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "Traceback" not in done.stderr
