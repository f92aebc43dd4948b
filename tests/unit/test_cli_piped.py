"""The CLI with its output piped (issue 11): nothing cut at 80 columns, URLs whole, the starter shown, checks recorded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_PACK = ROOT / "tests" / "fixtures" / "packs" / "app"
NEWUSER = ROOT / "tests" / "fixtures" / "packs" / "newuser"
RIGHT = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.25\n"


@pytest.fixture
def env(tmp_path):
    import os

    return {**os.environ, "KUBEDOJO_DATA_DIR": str(tmp_path / "data"), "KUBEDOJO_CONFIG_DIR": str(tmp_path / "config"),
            "PYTHONPATH": str(ROOT), "COLUMNS": "", "KUBECONFIG": "/nonexistent"}


def kubedojo(env, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in env.items() if v != ""}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, env=env, cwd=ROOT,
                          input=stdin, timeout=120)  # a bound only a hang trips


def test_list_piped_keeps_whole_lines(env):
    done = kubedojo(env, "--pack", str(NEWUSER), "list")
    assert done.returncode == 0, done.stderr
    assert "The container keeps" not in done.stdout  # quiz options are not listed, titles are
    line = next(line for line in done.stdout.splitlines() if "quiz-long" in line)
    assert line.endswith("What a failing readiness probe does")
    assert all(line == line.rstrip() for line in done.stdout.splitlines())


def test_list_of_the_bundled_packs_greps_every_title(env):
    listed = json.loads(kubedojo(env, "list", "--json").stdout)
    plain = kubedojo(env, "list").stdout
    for row in listed:
        assert row["title"] in plain


@pytest.mark.parametrize("lang,labels", [("en", ("namespace:", "docs:", "starter")), ("ko", ("네임스페이스:", "문서:", "시작 코드"))])
def test_show_piped_prints_urls_whole_the_starter_and_labels_in_the_language(env, lang, labels):
    done = kubedojo(env, "--pack", str(APP_PACK), "--pack", str(NEWUSER), "show", "pod-probe", "--lang", lang)
    url = "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-a-liveness-http-request"
    assert any(line.endswith(url) for line in done.stdout.splitlines()), done.stdout
    assert "  - name: probe\n    image: nginx:1.25" in done.stdout
    shown = kubedojo(env, "--pack", str(APP_PACK), "show", "web-pod", "--lang", lang).stdout
    for label in labels:
        assert label in shown
    assert ("매니페스트" in shown) == (lang == "ko")


def test_report_piped_is_not_wrapped(env, tmp_path):
    answer = tmp_path / "a.yaml"
    answer.write_text(RIGHT.replace("nginx:1.25", "nginx") + "    imagePullPolicy: Nevr\n")
    done = kubedojo(env, "--pack", str(APP_PACK), "check", "web-pod", "-f", str(answer))
    assert done.returncode == 1
    assert any("imagePullPolicy" in line and '"Never"' in line for line in done.stdout.splitlines())


def test_a_cli_check_counts_in_stats_and_next(env, tmp_path):
    answer = tmp_path / "a.yaml"
    answer.write_text(RIGHT)
    before = json.loads(kubedojo(env, "--pack", str(APP_PACK), "stats", "--json").stdout)
    assert kubedojo(env, "--pack", str(APP_PACK), "check", "web-pod", "-f", str(answer), "--no-record").returncode == 0
    assert json.loads(kubedojo(env, "--pack", str(APP_PACK), "stats", "--json").stdout) == before
    assert kubedojo(env, "--pack", str(APP_PACK), "check", "web-pod", "-f", str(answer)).returncode == 0
    after = json.loads(kubedojo(env, "--pack", str(APP_PACK), "stats", "--json").stdout)
    passed = sum(d["passed"] for d in after["domains"])
    assert passed == sum(d["passed"] for d in before["domains"]) + 1
    assert after["next"] != "web-pod"


def test_a_cli_check_with_a_locked_progress_file_says_so_and_keeps_the_attempt(env, tmp_path):
    import sqlite3

    answer = tmp_path / "a.yaml"
    answer.write_text(RIGHT)
    kubedojo(env, "--pack", str(APP_PACK), "stats")  # the file exists
    database = next((tmp_path / "data").glob("*.sqlite3"))
    holder = sqlite3.connect(database)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        done = kubedojo(env, "--pack", str(APP_PACK), "check", "web-pod", "-f", str(answer))
    finally:
        holder.rollback()
        holder.close()
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "kubedojo:" in done.stderr  # where the attempt waits is said
    after = json.loads(kubedojo(env, "--pack", str(APP_PACK), "stats", "--json").stdout)
    assert sum(d["passed"] for d in after["domains"]) == 1  # taken in at the next start


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_command_checks_name_their_label_once(env, tmp_path, lang):
    """`resource  resource pods` was the id and then the message saying it again (and `리소스 pods` in Korean)."""
    answer = tmp_path / "answer.txt"
    answer.write_text("kubectl get svc -o wide\n")
    out = kubedojo(env, "check", "cmd-get-pods-wide", "--file", str(answer), "--lang", lang, "--no-record").stdout
    lines = {line.split()[1]: " ".join(line.split()[2:]) for line in out.splitlines()[1:]}
    assert lines["names"] == "—"
    assert lines["resource"] == ("expected `pods`, found `services`" if lang == "en" else "`pods`이어야 하는데 `services`입니다")
    right = tmp_path / "right.txt"
    right.write_text("kubectl get pods -o wide\n")
    out = kubedojo(env, "check", "cmd-get-pods-wide", "--file", str(right), "--lang", lang, "--no-record").stdout
    assert "resource pods" in " ".join(out.split()) and "resource resource" not in out and "리소스 pods" not in out


def test_stats_piped_is_not_wrapped_at_80(env):
    out = kubedojo(env, "stats", "--lang", "en").stdout
    assert any("Cluster Architecture, Installation & Configuration" in line and len(line) > 80 for line in out.splitlines()), out


def test_a_report_on_a_terminal_breaks_a_long_path_at_its_dots_and_hangs_under_its_start(env, tmp_path):
    import os
    import pty

    answer = tmp_path / "answer.yaml"
    answer.write_text(RIGHT.replace("  - name: web\n", "  - name: web\n    livenessProbe: {httpGet: {port: 80}, periodSecond: 10}\n"))
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.execvpe(sys.executable, [sys.executable, "-m", "app.cli", "--pack", str(APP_PACK), "check", "web-pod", "--file", str(answer),
                                    "--no-record"], {**{k: v for k, v in env.items() if v}, "COLUMNS": "50", "TERM": "xterm"})
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    import re

    lines = re.sub(r"\x1b\[[0-9;]*m", "", out.decode()).replace("\r", "").splitlines()
    assert all(len(line) <= 50 for line in lines), lines
    at = next(i for i, line in enumerate(lines) if "spec.containers[web]." in line)
    assert lines[at].rstrip().endswith(".") and lines[at + 1].startswith("    livenessProbe."), lines
