"""`probe`: a container's liveness, readiness or startup probe does what the task asks, named ports and defaults included."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from exercises.base import CheckBase, Matcher, Strict
from graders.checktypes.base import CheckType, lazy, pods_of
from graders.report import CheckResult
from graders.subject import Subject, result

ports = lazy("graders.meaning.ports")

DEFAULTS = {"initialDelaySeconds": 0, "periodSeconds": 10, "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3}
HANDLERS = ("httpGet", "tcpSocket", "exec", "grpc")

MESSAGES = {
    "ok": ("`{container}` {probe} probe: {handler}", "`{container}`의 {probe} 프로브: {handler}"),
    "no-container": ("there is no container `{container}`", "`{container}` 컨테이너가 없습니다"),
    "no-probe": ("`{container}` has no {probe} probe{others}", "`{container}`에 {probe} 프로브가 없습니다{others}"),
    "others": (" (it has: {names})", " (있는 프로브: {names})"),
    "handler": ("`{container}` {probe} probe uses {got}, not {wanted}", "`{container}`의 {probe} 프로브가 {wanted}이(가) 아니라 {got}을(를) 씁니다"),
    "port": ("`{container}` {probe} probe checks port {got}; expected {wanted}", "`{container}`의 {probe} 프로브가 포트 {got}을(를) 확인합니다. 기대한 포트는 {wanted}"),
    "unknown-port": ("`{container}` {probe} probe names the port `{name}`, which the container does not declare", "`{container}`의 {probe} 프로브가 컨테이너에 없는 포트 이름 `{name}`을(를) 씁니다"),
    "path": ("`{container}` {probe} probe asks for {got}; expected {wanted}", "`{container}`의 {probe} 프로브가 {got}을(를) 요청합니다. 기대한 경로는 {wanted}"),
    "scheme": ("`{container}` {probe} probe speaks {got}; expected {wanted}", "`{container}`의 {probe} 프로브가 {got}을(를) 씁니다. 기대한 것은 {wanted}"),
    "host": ("`{container}` {probe} probe goes to the host {host}, not to the pod: the kubelet would check another machine",
             "`{container}`의 {probe} 프로브가 파드가 아니라 호스트 {host}로 갑니다: kubelet이 다른 곳을 확인합니다"),
    "command": ("`{container}` {probe} probe runs {got}; expected {wanted}", "`{container}`의 {probe} 프로브가 {got}을(를) 실행합니다. 기대한 것은 {wanted}"),
    "timing": ("`{container}` {probe} probe: {field} is {got}; expected {wanted}", "`{container}`의 {probe} 프로브: {field} 값은 {got}, 기대한 값은 {wanted}"),
}


class HttpGet(Strict):
    port: int
    path: str = "/"
    scheme: Literal["HTTP", "HTTPS"] = "HTTP"


class TcpSocket(Strict):
    port: int


class Grpc(Strict):
    port: int


class ProbeCheck(CheckBase):
    """The probe of `container` checks what the task says: one handler, and the timings (defaults applied)."""

    type: Literal["probe"]
    container: str
    probe: Literal["liveness", "readiness", "startup"] = "liveness"
    http_get: HttpGet | None = None
    tcp_socket: TcpSocket | None = None
    grpc: Grpc | None = None
    exec: Matcher | None = None
    """A matcher for the exec command, e.g. `{checks_file: /tmp/healthy}`."""
    initial_delay_seconds: int | None = None
    period_seconds: int | None = None
    timeout_seconds: int | None = None
    success_threshold: int | None = None
    failure_threshold: int | None = None

    @model_validator(mode="after")
    def _one(self) -> "ProbeCheck":
        if sum(x is not None for x in (self.http_get, self.tcp_socket, self.grpc, self.exec)) > 1:
            raise ValueError("a probe check names at most one of http_get, tcp_socket, grpc, exec")
        return self


def _clean_path(path: object) -> str:
    text = str(path or "/")
    return text if text.startswith("/") else "/" + text


def run_probe(check: ProbeCheck, subject: Subject) -> CheckResult:
    from graders import matchers

    pods = pods_of(check, subject)
    if isinstance(pods, str):
        return result(check, subject, False, pods)
    index = pods.index(check.container)
    if index is None:
        return result(check, subject, False, subject.tell(MESSAGES, "no-container", container=check.container))
    container = pods.spec[index[0]][index[1]]
    field = f"{check.probe}Probe"
    probe = container.get(field)
    values = {"container": check.container, "probe": check.probe}
    where = f"{index[0]}[{check.container}].{field}"
    if not isinstance(probe, dict):
        names = [k.removesuffix("Probe") for k in ("livenessProbe", "readinessProbe", "startupProbe") if isinstance(container.get(k), dict)]
        others = subject.tell(MESSAGES, "others", names=", ".join(names)) if names else ""
        return result(check, subject, False, subject.tell(MESSAGES, "no-probe", others=others, **values), where, pods.line(subject, index[0], index[1]))
    line = pods.line(subject, index[0], index[1], field)
    handler = next((h for h in HANDLERS if isinstance(probe.get(h), dict)), "")
    wanted = "httpGet" if check.http_get else "tcpSocket" if check.tcp_socket else "grpc" if check.grpc else "exec" if check.exec else handler
    if handler != wanted:
        return result(check, subject, False, subject.tell(MESSAGES, "handler", got=handler or "—", wanted=wanted, **values), where, line)
    action = probe.get(handler) or {}
    described = handler
    expected_port = (check.http_get or check.tcp_socket or check.grpc)
    if expected_port is not None:
        given = action.get("port")
        number = ports.container_port(pods.spec, given, container=check.container) if not isinstance(given, int) else given
        if isinstance(given, str) and number is None and not given.isdigit():
            return result(check, subject, False, subject.tell(MESSAGES, "unknown-port", name=given, **values), where, line)
        if number != expected_port.port:
            shown = f'"{given}"' if isinstance(given, str) else given
            return result(check, subject, False, subject.tell(MESSAGES, "port", got=shown, wanted=expected_port.port, **values), where, line)
        described += f" port {number}"
        host = action.get("host")
        if host not in (None, "") and check.grpc is None:  # unset, the kubelet connects to the pod's IP
            return result(check, subject, False, subject.tell(MESSAGES, "host", host=host, **values), where, line)
    if check.http_get is not None:
        path = _clean_path(action.get("path"))
        if path != _clean_path(check.http_get.path):
            return result(check, subject, False, subject.tell(MESSAGES, "path", got=path, wanted=check.http_get.path, **values), where, line)
        scheme = str(action.get("scheme") or "HTTP")
        if scheme != check.http_get.scheme:
            return result(check, subject, False, subject.tell(MESSAGES, "scheme", got=scheme, wanted=check.http_get.scheme, **values), where, line)
        described += f" {scheme} GET {path}"
    if check.exec is not None:
        command = action.get("command")
        if not matchers.matches(check.exec, command):
            return result(check, subject, False, subject.tell(MESSAGES, "command", got=matchers.found_text(command, subject.lang, check.exec),
                                                              wanted=matchers.expected_text(check.exec, subject.lang), **values), where, line)
    for name, wanted_value in (("initialDelaySeconds", check.initial_delay_seconds), ("periodSeconds", check.period_seconds),
                               ("timeoutSeconds", check.timeout_seconds), ("successThreshold", check.success_threshold),
                               ("failureThreshold", check.failure_threshold)):
        if wanted_value is None:
            continue
        got = probe.get(name, DEFAULTS[name])
        if got != wanted_value or isinstance(got, bool):
            return result(check, subject, False, subject.tell(MESSAGES, "timing", field=name, got=got, wanted=wanted_value, **values),
                          f"{where}.{name}", subject.line_for(pods.obj, pods.prefix + (index[0], index[1], field, name)) or line)
        described += f", {name} {got}"
    return result(check, subject, True, subject.tell(MESSAGES, "ok", handler=described, **values), where, line)


TYPE = CheckType("probe", ProbeCheck, run_probe)
