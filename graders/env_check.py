"""A field check on an env variable's value, judged on the container's effective environment (envFrom, valueFrom)."""

from __future__ import annotations

import re
from typing import Any

from graders import matchers, paths
from graders.meaning.env import EnvVar, effective_env
from graders.matchers import MISSING
from graders.report import CheckResult

ENV_VALUE = re.compile(r"""^(?P<containers>.*\b(?:containers|initContainers)(?:\[[^\]]*\])?)\s*\.env\[\?\(?\s*@\.name\s*==\s*(?P<q>["'])(?P<var>[^"']+)(?P=q)\s*\)?\]\.value\s*$""")


def env_value_path(expression: str) -> tuple[str, str] | None:
    """(containers expression, variable name) when the path asks for `...containers[..].env[?(@.name=="VAR")].value`."""
    found = ENV_VALUE.match(paths.normalise(expression).removeprefix("$"))
    return (found["containers"], found["var"]) if found else None


def _pod_of(obj: dict[str, Any], container_path: paths.Path) -> dict[str, Any]:
    """The pod (or pod template) a container belongs to: the path minus `spec.containers[i]`."""
    node: Any = obj
    for part in container_path[:-3]:
        node = node[part]
    return node if isinstance(node, dict) else obj


def env_field(check: Any, expression: str, obj: dict[str, Any], subject: Any, plain: CheckResult) -> CheckResult:
    """The verdict on the variable's effective value; `plain` (the literal field's verdict) when they agree on a plain value."""
    from graders.checks import result

    parts = env_value_path(expression)
    containers = [f for f in paths.find(obj, parts[0]) if isinstance(f.value, dict)] if parts else []
    if parts is None or not containers:
        return plain
    var_name = parts[1]
    namespace = (obj.get("metadata") or {}).get("namespace") if isinstance(obj.get("metadata"), dict) else None
    verdicts = []
    for found in containers:
        environment = effective_env(found.value, _pod_of(obj, found.path), lambda kind, name: subject.lookup(kind, name, namespace))
        var = environment.vars.get(var_name)
        verdicts.append((found, var, environment.unread, _holds(check, var)))
    chosen = next((v for v in verdicts if v[3] != check.all), None)  # any: the first that holds; all: the first that does not
    ok = (chosen is not None) != check.all
    found, var, unread, _ = chosen or verdicts[0]
    if ok == plain.passed and ((var is None and not unread) or (var is not None and not var.source[0])):
        return plain  # a plain `value` (or none at all): the field check's own words
    where = paths.display(obj, found.path + ("env",))
    line = subject.line_for(obj, found.path + ("env",)) or subject.line_for(obj, found.path)
    return result(check, subject, ok, _message(check, subject, found.value.get("name"), var_name, var, unread, ok), where, line)


def _holds(check: Any, var: EnvVar | None) -> bool:
    if var is None:
        return matchers.matches(check.expect, MISSING)
    return var.value is not None and matchers.matches(check.expect, var.value)


def _message(check: Any, subject: Any, container: Any, name: str, var: EnvVar | None, unread: tuple[tuple[str, str], ...], ok: bool) -> str:
    expected = (matchers.expected_text(check.expect, "en"), matchers.expected_text(check.expect, "ko"))
    if var is None:
        if ok:
            return subject.say(f"container `{container}` has no variable {name}", f"컨테이너 `{container}`에 변수 {name}이(가) 없습니다")
        maybe = ", ".join(u[0] for u in unread), ", ".join(u[1] for u in unread)
        if unread:
            return subject.say(f"{name} is not in container `{container}`'s env; it may come from {maybe[0]} (envFrom), which is not among the objects kubedojo sees",
                               f"{name}이(가) 컨테이너 `{container}`의 env에 없습니다. envFrom의 {maybe[1]}에 있을 수 있지만 kubedojo가 볼 수 있는 오브젝트에 없습니다")
        return subject.say(f"container `{container}` has no variable {name} (neither in env nor from envFrom): expected {expected[0]}",
                           f"컨테이너 `{container}`에 변수 {name}이(가) 없습니다 (env에도 envFrom에도 없음): 기대한 값은 {expected[1]}")
    source = subject.say(f" (from {var.source[0]})", f" ({var.source[1]}에서)") if var.source[0] else ""
    if var.value is None and var.missing is not None:
        return subject.say(f"{name} in container `{container}` comes from {var.source[0]}, but {var.missing[0]} is not among the objects kubedojo sees",
                           f"컨테이너 `{container}`의 {name}은(는) {var.source[1]}에서 오지만, {var.missing[1]}이(가) kubedojo가 볼 수 있는 오브젝트에 없습니다")
    if ok:
        return subject.say(f"{name} is {var.value} in container `{container}`{source}", f"컨테이너 `{container}`의 {name} 값은 {var.value}입니다{source}")
    return subject.say(f"{name} in container `{container}`: expected {expected[0]}, found {var.value}{source}",
                       f"컨테이너 `{container}`의 {name}: 기대한 값은 {expected[1]}, 실제 값은 {var.value}{source}")
