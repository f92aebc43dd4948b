"""Live `exec` checks: a command run in a container through the exec API, and what its status channel says."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote

from exercises.model import ExecCheck
from graders import matchers
from graders.checks import Subject, result
from graders.cluster import Cluster
from graders.live_pods import container_status, describe_pod, hopeless, pod_for, settle, state_of
from graders.live_view import LiveView
from graders.report import CheckResult

ERROR_CHANNEL = 3
RUNTIME_REASON = re.compile(r'exec: "[^"]*": .*')
PREFIXES = ("Internal error occurred: ", "error executing command in container: ")


@dataclass(frozen=True)
class ExecStatus:
    """What the exec status channel (v4/v5 channel protocol, a metav1.Status) said about one command."""

    outcome: Literal["exited", "not-started", "unknown"]
    """exited: it ran and `exit_code` is its status; not-started: the runtime could not start it; unknown: no usable status."""
    exit_code: int | None = None
    reason: str = ""
    """Why it did not start (the runtime's words), or what was wrong with the status."""


def parse_exec_status(payload: str | bytes) -> ExecStatus:
    """Read the status channel as client-go's v4 decoder does: Success; Failure with reason NonZeroExitCode and an
    ExitCode cause; any other Failure is a command that could not be started (the kubelet's InternalError)."""
    text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
    if not text.strip():
        return ExecStatus("unknown", reason="the connection closed before the command's exit status came")
    try:
        status = json.loads(text)
    except ValueError:
        return ExecStatus("unknown", reason=f"the exec status is not JSON: {text.strip()[:200]}")
    if not isinstance(status, dict):
        return ExecStatus("unknown", reason=f"the exec status is not an object: {text.strip()[:200]}")
    if status.get("status") == "Success":
        return ExecStatus("exited", 0)
    if status.get("status") != "Failure":
        return ExecStatus("unknown", reason=f"the exec status is neither Success nor Failure: {text.strip()[:200]}")
    if status.get("reason") == "NonZeroExitCode":
        causes = ((status.get("details") or {}).get("causes")) or []
        code = next((c.get("message") for c in causes if isinstance(c, dict) and c.get("reason") == "ExitCode"), None)
        if code is None or not str(code).strip().isdigit():
            return ExecStatus("unknown", reason=f"a non-zero exit without a usable exit code ({status.get('message') or code})")
        return ExecStatus("exited", int(str(code).strip()))
    return ExecStatus("not-started", reason=runtime_reason(str(status.get("message") or "")))


def runtime_reason(message: str) -> str:
    """The part of a runtime's exec error a person needs: `exec: "foo": executable file not found in $PATH`."""
    found = RUNTIME_REASON.search(message)
    text = found[0] if found else message
    while text.startswith(PREFIXES):  # each layer (API server, kubelet, kwok) may wrap it once more
        text = next(text.removeprefix(p) for p in PREFIXES if text.startswith(p))
    return (text.removesuffix(": unknown").strip() or "no reason given")[:300]


class ExecFailed(Exception):
    """The exec API would not run anything (no kubelet, no permission, no such container, a timeout)."""


def _handshake_reason(err: Exception) -> str:
    """The API server's own message when it refused the websocket (a Status JSON in the response body)."""
    body = getattr(err, "resp_body", None)
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if body:
        try:
            message = json.loads(body).get("message")
        except (ValueError, AttributeError):
            message = body.strip()  # the kubelet's own refusal, relayed as plain text: `container not found ("web")`
        if message:
            return f"{getattr(err, 'status_code', '')} {message}".strip()[:300]
    return (str(err).strip().splitlines() or [type(err).__name__])[0][:300]


def exec_in(cluster: Cluster, namespace: str, pod: str, container: str, command: list[str], timeout: float) -> tuple[ExecStatus, str]:
    """Run `command` through the exec API; its status and stdout+stderr."""
    from graders.kubeclient import auth_headers, ws_client

    ws = ws_client()
    path = f"/api/v1/namespaces/{quote(namespace, safe='')}/pods/{quote(pod, safe='')}/exec"
    query = [("command", c) for c in command] + [("container", container), ("stdout", "true"), ("stderr", "true"), ("stdin", "false"), ("tty", "false")]
    try:
        client = ws.WSClient(cluster.configuration, ws.get_websocket_url(cluster.url(path, query)), auth_headers(cluster.configuration), capture_all=False)
    except Exception as err:  # websocket-client raises WebSocketBadStatusException, OSError, ssl errors ...
        raise ExecFailed(_handshake_reason(err)) from None
    try:
        client.run_forever(timeout=timeout)
        if client.is_open():
            raise ExecFailed(f"it did not finish within {timeout:g} s")
        output = client.read_channel(1) + client.read_channel(2)
        return parse_exec_status(client.read_channel(ERROR_CHANNEL)), output
    except ExecFailed:
        raise
    except Exception as err:  # a connection lost midway
        raise ExecFailed(_handshake_reason(err)) from None
    finally:
        client.close()


def run_exec(check: ExecCheck, subject: Subject) -> CheckResult:
    pod, why = pod_for(check, subject)
    if pod is None:
        return result(check, subject, False, why)
    view: LiveView = subject.cluster
    container = check.container or ((pod.get("spec") or {}).get("containers") or [{}])[0].get("name")
    shown_command = " ".join(check.command)
    lookup = getattr(subject, "lookup_live", None)
    latest = settle(check, subject, pod, lambda p: state_of(container_status(p, container))[0] == "running", lambda p: hopeless(p, lookup))
    if latest is None or state_of(container_status(latest, container))[0] != "running":
        state = describe_pod(latest, subject) if latest else subject.say("deleted", "삭제됨")
        return result(check, subject, False, subject.say(f"container `{container}` is not running ({state}): cannot run {shown_command}", f"컨테이너 `{container}`이(가) 실행 중이 아닙니다 ({state}): {shown_command}을(를) 실행할 수 없습니다"))
    meta = latest["metadata"]
    view.note(check, f"running {shown_command}", f"{shown_command} 실행 중")
    try:
        status, output = exec_in(view.cluster, meta["namespace"], meta["name"], container, check.command, check.timeout_seconds)
    except ExecFailed as err:
        return CheckResult(check.id, "error", subject.say(f"could not run {shown_command} in `{container}`: {err}", f"`{container}`에서 {shown_command}을(를) 실행할 수 없습니다: {err}"))
    return judge_exec(check, subject, container, status, output)


def judge_exec(check: ExecCheck, subject: Subject, container: str, status: ExecStatus, output: str) -> CheckResult:
    """The check's verdict on what the command did."""
    shown_command = " ".join(check.command)
    if status.outcome == "not-started":
        return result(check, subject, False, subject.say(f"{shown_command} could not be started in container `{container}`: {status.reason}", f"컨테이너 `{container}`에서 {shown_command}을(를) 시작할 수 없습니다: {status.reason}"))
    if status.outcome == "unknown":
        return CheckResult(check.id, "error", subject.say(f"ran {shown_command} in `{container}`, but {status.reason}", f"`{container}`에서 {shown_command}을(를) 실행했지만 결과를 알 수 없습니다: {status.reason}"))
    code = status.exit_code
    shown = output.strip()[:200] or subject.say("(no output)", "(출력 없음)")
    if code != check.exit_code:
        return result(check, subject, False, subject.say(f"{shown_command} exited {code}, expected {check.exit_code}: {shown}", f"{shown_command}의 종료 코드는 {code}, 기대한 값은 {check.exit_code}: {shown}"))
    if check.output is not None and not matchers.matches(check.output, output.rstrip("\n")):
        return result(check, subject, False, subject.say(f"output of {shown_command}: expected {matchers.expected_text(check.output, 'en')}, got {shown}", f"{shown_command}의 출력: 기대한 값은 {matchers.expected_text(check.output, 'ko')}, 실제로는 {shown}"))
    return result(check, subject, True, subject.say(f"{shown_command} exited {code}: {shown}", f"{shown_command} 종료 코드 {code}: {shown}"))

