"""The CLI contract scripts rely on: exit codes, one JSON object under --json, list and show."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_POD = """apiVersion: v1
kind: Pod
metadata:
  name: nginx-pod
spec:
  containers:
  - name: nginx-pod
    image: nginx:1.14
"""


NO_USER_DATA = __import__("tempfile").mkdtemp(prefix="kubedojo-cli-test-")
"""No user packs, and a progress file of these tests' own (`check` records its attempts) outside the tree."""


def kubedojo(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    full_env = {**os.environ, "KUBEDOJO_DATA_DIR": NO_USER_DATA, "KUBEDOJO_CONFIG_DIR": str(ROOT / "tests" / ".no-user-config"), **(env or {})}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], input=stdin, capture_output=True, text=True, cwd=ROOT, env=full_env)


def verdict(out: subprocess.CompletedProcess) -> dict:
    data = json.loads(out.stdout)
    assert set(data) >= {"exercise", "passed", "score", "max_score", "checks", "errors"}
    return data


def test_version():
    out = kubedojo("--version")
    assert out.returncode == 0 and out.stdout.startswith("kubedojo ")


def test_a_passing_manifest_exits_0(tmp_path):
    answer = tmp_path / "pod.yaml"
    answer.write_text(GOOD_POD)
    out = kubedojo("check", "pod-nginx-run", "--file", str(answer), "--json")
    data = verdict(out)
    assert out.returncode == 0, out.stdout
    assert data["passed"] and data["score"] == data["max_score"] > 0
    assert all({"id", "passed", "message", "path", "line"} <= set(c) for c in data["checks"])


def test_a_wrong_manifest_exits_1_and_names_the_line():
    out = kubedojo("check", "pod-nginx-run", "--file", "-", "--json", stdin=GOOD_POD.replace("nginx:1.14", "nginx:1.15"))
    data = verdict(out)
    assert out.returncode == 1
    failing = [c for c in data["checks"] if not c["passed"]]
    assert failing and failing[0]["line"] == 8 and "nginx:1.15" in failing[0]["message"]


def test_broken_yaml_exits_2_with_line_and_column():
    out = kubedojo("check", "pod-nginx-run", "--answer", "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n", "--json")
    data = verdict(out)
    assert out.returncode == 2 and not data["passed"]
    assert data["errors"][0]["line"] == 4 and data["errors"][0]["column"]


@pytest.mark.parametrize(
    "args",
    [
        ("check", "no-such-exercise", "--answer", "x", "--json"),
        ("check", "pod-nginx-run", "--json"),
        ("check", "pod-nginx-run", "--file", "/does/not/exist.yaml", "--json"),
        ("check", "pod-nginx-run", "--answer", "x", "--bogus-flag", "--json"),
    ],
    ids=["unknown-exercise", "no-answer", "missing-file", "unknown-flag"],
)
def test_unusable_input_is_still_one_json_object(args):
    out = kubedojo(*args)
    data = verdict(out)
    assert out.returncode == 2
    assert data["passed"] is False and data["errors"][0]["message"]
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--json", "pod-nginx-run", "--file"),
        ("--lang", "ko", "check", "--json", "pod-nginx-run", "--answer"),
        ("check", "--lang", "en", "--json", "pod-nginx-run", "--bogus"),
        ("--pack", "nowhere", "check", "-f", "x.yaml", "--json", "pod-nginx-run", "--context"),
    ],
    ids=["value-missing-after-json", "root-option-first", "option-with-value-first", "short-option-first"],
)
def test_a_usage_error_under_json_names_the_exercise_not_an_option(args):
    out = kubedojo(*args)
    data = verdict(out)
    assert out.returncode == 2 and out.stdout.count("\n") == 1
    assert data["exercise"] == "pod-nginx-run" and data["errors"][0]["message"]


def test_unknown_exercise_suggests_a_close_id():
    out = kubedojo("check", "pod-nginx-rn", "--answer", "x")
    assert out.returncode == 2 and "pod-nginx-run" in out.stderr


def test_command_answers_are_parsed_not_compared():
    for line in ["kubectl logs multipod -c nginx-container", "k logs pod/multipod --container=nginx-container", "k logs --container nginx-container multipod"]:
        out = kubedojo("check", "cmd-logs-container", "--answer", line, "--json")
        assert out.returncode == 0, (line, out.stdout)
    out = kubedojo("check", "cmd-logs-container", "--answer", "kubectl logs multipod", "--json")
    assert out.returncode == 1


def test_not_a_kubectl_command_is_unusable():
    out = kubedojo("check", "cmd-logs-container", "--answer", "docker logs multipod", "--json")
    assert out.returncode == 2 and verdict(out)["errors"]


def test_quiz_answers():
    show = json.loads(kubedojo("show", "quiz-ready-column", "--json", "--solution").stdout)
    assert kubedojo("check", "quiz-ready-column", "--answer", show["solution"]).returncode == 0
    wrong = next(o["id"] for o in show["options"] if o["id"] not in show["solution"])
    assert kubedojo("check", "quiz-ready-column", "--answer", wrong).returncode == 1


def test_list_json_and_korean():
    rows = json.loads(kubedojo("list", "--json", "--lang", "ko").stdout)
    ids = {r["id"] for r in rows}
    assert {"pod-nginx-run", "pod-liveness-exec", "cmd-logs-container", "static-pod"} <= ids
    nginx = next(r for r in rows if r["id"] == "pod-nginx-run")
    assert any("\uac00" <= ch <= "\ud7a3" for ch in nginx["title"])


def test_show_json_has_the_namespace_and_hides_the_solution():
    data = json.loads(kubedojo("show", "pod-redis-fix-image", "--json").stdout)
    assert data["namespace"] and "solution" not in data and data["task"]


def test_extra_pack_loads(tmp_path):
    pack = tmp_path / "mine"
    pack.mkdir()
    (pack / "pack.yaml").write_text("id: mine\ntitle: {en: Mine, ko: 내 팩}\nversion: '1'\n")
    (pack / "quiz-one.yaml").write_text(
        "id: quiz-one\nkind: quiz\ndomain: storage\ntitle: {en: One, ko: 하나}\ntask: {en: Pick a, ko: a를 고르세요}\n"
        "solution: a\nquiz: {style: single, options: [{id: a, text: {en: A, ko: 가}}, {id: b, text: {en: B, ko: 나}}], answer: [a]}\n"
    )
    assert kubedojo("check", "quiz-one", "--answer", "a", "--pack", str(pack)).returncode == 0


def test_a_broken_extra_pack_is_reported_with_file_and_line(tmp_path):
    pack = tmp_path / "broken"
    pack.mkdir()
    (pack / "pack.yaml").write_text("id: broken\ntitle: {en: B, ko: 비}\nversion: '1'\n")
    (pack / "quiz-bad.yaml").write_text("id: quiz-bad\nkind: quiz\ndomain: storage\ntitle: {en: One}\n")
    out = kubedojo("check", "quiz-bad", "--answer", "a", "--pack", str(pack), "--json")
    assert out.returncode == 2
    assert "quiz-bad.yaml:4" in verdict(out)["errors"][0]["message"]


@pytest.mark.parametrize("raw", ["\x1b]0;title\x07", "\x1b[2J", "line\rover", "back\x08", "\x9b2J", "\u202eevil", "nul\x00"])
def test_text_and_json_output_shows_control_characters_never_sends_them(raw):
    from app.render import json_text, terminal_safe

    def steers(text):
        return any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch == "\u202e" for ch in text)

    shown = terminal_safe(f"image {raw} 가")
    assert not steers(shown) and shown.startswith("image ") and shown.endswith(" 가") and "\\" in shown
    line = json_text({"message": raw, "ko": "가"})
    assert json.loads(line) == {"message": raw, "ko": "가"} and "가" in line and not steers(line)


def test_tabs_and_newlines_stay_as_they_are():
    from app.render import terminal_safe

    assert terminal_safe("a\tb\nc") == "a\tb\nc"
