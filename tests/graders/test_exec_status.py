"""The exec status channel, read as client-go reads it; and what an exec check says about each outcome."""

from __future__ import annotations

from pathlib import Path

import pytest

from exercises.model import ExecCheck
from graders.checks import Subject
from graders.live_exec import ExecStatus, _handshake_reason, judge_exec, parse_exec_status, runtime_reason

PAYLOADS = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "exec_status").glob("*_*.*"))


def expected(path: Path) -> tuple[str, int | None]:
    stem = path.stem
    if stem.startswith("exited_"):
        return "exited", int(stem.split("_")[1])
    return ("not-started" if stem.startswith("not_started") else "unknown"), None


def test_there_are_payloads_of_every_outcome():
    assert {expected(p)[0] for p in PAYLOADS} == {"exited", "not-started", "unknown"}


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p.name)
def test_each_recorded_payload_reads_as_its_name_says(payload):
    outcome, code = expected(payload)
    status = parse_exec_status(payload.read_bytes())
    assert (status.outcome, status.exit_code) == (outcome, code)
    if outcome != "exited":
        assert status.reason


def test_a_command_missing_from_the_image_says_so_in_the_runtimes_words():
    status = parse_exec_status((PAYLOADS[0].parent / "not_started_executable_not_found.json").read_text())
    assert status.reason == 'exec: "no-such-command": executable file not found in $PATH'


def test_a_reason_wrapped_twice_loses_both_wrappings():
    status = parse_exec_status((PAYLOADS[0].parent / "not_started_kwok_no_exec.json").read_text())
    assert status.reason == 'no exec found for container "box" in pod "exec-probe/box"'


def test_a_reason_without_an_exec_clause_loses_only_its_prefixes():
    assert runtime_reason("Internal error occurred: error executing command in container: container is in CONTAINER_EXITED state: unknown") == "container is in CONTAINER_EXITED state"


CHECK = ExecCheck(id="printenv", type="exec", container="web", command=["printenv", "MYVAR"], output={"equals": "testvalue"})


def judged(status: ExecStatus, output: str = "", lang: str = "en"):
    return judge_exec(CHECK, Subject([], lang=lang), "web", status, output)


def test_a_command_that_could_not_start_fails_with_what_happened():
    verdict = judged(ExecStatus("not-started", reason='exec: "printenv": executable file not found in $PATH'))
    assert verdict.status == "fail"
    assert verdict.message == 'printenv MYVAR could not be started in container `web`: exec: "printenv": executable file not found in $PATH'
    assert "시작할 수 없습니다" in judged(ExecStatus("not-started", reason="x"), lang="ko").message


def test_an_exit_code_and_output_are_judged():
    assert judged(ExecStatus("exited", 0), "testvalue\n").status == "pass"
    wrong = judged(ExecStatus("exited", 0), "other\n")
    assert wrong.status == "fail" and "other" in wrong.message
    failed = judged(ExecStatus("exited", 1))
    assert failed.status == "fail" and "exited 1, expected 0" in failed.message


def test_a_status_that_cannot_be_read_is_an_error_not_a_verdict():
    verdict = judged(ExecStatus("unknown", reason="the connection closed before the command's exit status came"))
    assert verdict.status == "error" and "connection closed" in verdict.message


class Refused(Exception):
    """What websocket-client raises when the API server refuses the upgrade."""

    def __init__(self, status_code: int, resp_body):
        super().__init__(f"Handshake status {status_code} Internal Server Error -+-+- {{'content-type': 'text/plain'}} -+-+- {resp_body!r}")
        self.status_code, self.resp_body = status_code, resp_body


@pytest.mark.parametrize(("body", "said"), [
    (b'container not found ("web")', '500 container not found ("web")'),  # a kubelet's refusal, relayed as text
    (b'{"kind":"Status","message":"pods \\"web\\" is forbidden: cannot exec"}', '500 pods "web" is forbidden: cannot exec'),
    ('container not found ("web")\n', '500 container not found ("web")'),
])
def test_a_refused_exec_says_the_servers_words_not_the_handshake(body, said):
    assert _handshake_reason(Refused(500, body)) == said


def test_a_refusal_with_no_body_is_its_first_line():
    assert _handshake_reason(OSError("connection refused\nmore")) == "connection refused"
