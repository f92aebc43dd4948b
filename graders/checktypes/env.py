"""`env`: a container's environment variable holds this value, or comes from this Secret or ConfigMap key."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from exercises.base import CheckBase, Strict
from graders.checktypes.base import CheckType, lazy, pods_of
from graders.report import CheckResult
from graders.subject import Subject, result

env, workloads = lazy("graders.meaning.env"), lazy("graders.meaning.workloads")

MESSAGES = {
    "is": ("`{container}`: {name} is {value}", "`{container}`: {name}의 값은 {value}입니다"),
    "wrong": ("`{container}`: {name} is {value}; expected {wanted}", "`{container}`: {name}의 값은 {value}, 기대한 값은 {wanted}"),
    "env-from": ("`{container}`: {name} would come from all of {value} (envFrom), not from {wanted}", "`{container}`: {name}은(는) {wanted}이(가) 아니라 envFrom으로 {value} 전체에서 옵니다"),
    "no-container": ("there is no container `{container}`", "`{container}` 컨테이너가 없습니다"),
}


class KeyRef(Strict):
    name: str
    key: str


class EnvCheck(CheckBase):
    """Environment variable `name` of a container: a literal `value`, or a `secret`/`configMap` key."""

    type: Literal["env"]
    name: str
    container: str | None = None
    """The container; unset: the pod's only (first) container."""
    value: str | None = None
    secret: KeyRef | None = None
    configMap: KeyRef | None = None

    @model_validator(mode="after")
    def _one(self) -> "EnvCheck":
        if sum(x is not None for x in (self.value, self.secret, self.configMap)) != 1:
            raise ValueError("an env check sets exactly one of value, secret, configMap")
        return self


def run_env(check: EnvCheck, subject: Subject) -> CheckResult:
    pods = pods_of(check, subject)
    if isinstance(pods, str):
        return result(check, subject, False, pods)
    chosen = [c for c in workloads.containers(pods.spec) if check.container in (None, c.get("name"))][:1]
    if not chosen:
        return result(check, subject, False, subject.tell(MESSAGES, "no-container", container=check.container))
    container = chosen[0]
    found = env.env_value(container, check.name)
    if check.value is not None and (found.kind in ("configMap", "secret") or (found.kind == "value" and "$" in (found.value or ""))):
        return _resolved(check, subject, pods, container, found)
    if check.value is not None:
        ok = found.kind == "value" and found.value == check.value
        wanted = f"`{check.value}`"
    else:
        kind, ref = ("secret", check.secret) if check.secret else ("configMap", check.configMap)
        assert ref is not None
        ok = found.kind == kind and found.name == ref.name and found.key == ref.key
        wanted = f"{kind} `{ref.name}` key `{ref.key}`"
    index = pods.index(str(container.get("name")))
    line = pods.line(subject, index[0], index[1], "env") if index else None
    values = {"container": container.get("name"), "name": check.name, "value": found.text(), "wanted": wanted}
    if ok:
        return result(check, subject, True, subject.tell(MESSAGES, "is", **values), None, line)
    return result(check, subject, False, subject.tell(MESSAGES, "env-from" if found.whole else "wrong", **values), None, line)


def _resolved(check: EnvCheck, subject: Subject, pods, container, found) -> CheckResult:
    """A value asked for, given through a ConfigMap or Secret: what the container gets is what counts, so
    the object is read (from the answer offline, from the cluster live) and its key compared."""
    from graders.meaning.env import effective_env

    namespace = (pods.obj.get("metadata") or {}).get("namespace") if isinstance(pods.obj.get("metadata"), dict) else None
    pod = {"metadata": pods.meta, "spec": pods.spec}
    environment = effective_env(container, pod, lambda kind, name: subject.lookup(kind, name, namespace))
    var = environment.vars.get(check.name)
    index = pods.index(str(container.get("name")))
    line = pods.line(subject, index[0], index[1], "env") if index else None
    name, where = str(container.get("name")), subject.say(*var.source) if var else found.text()
    if var is not None and var.value == check.value:
        return result(check, subject, True, subject.tell(MESSAGES, "is", container=name, name=check.name, value=f"`{check.value}` ({where})"), None, line)
    if var is not None and var.value is None and var.missing:
        value = subject.say(f"{found.text()}, which is not there ({var.missing[0]})", f"{found.text()} (없음: {var.missing[1]})")
    elif var is None:
        unread = ", ".join(subject.say(*u) for u in environment.unread)
        value = subject.say(f"not set ({unread} is not there)", f"설정되지 않음 ({unread} 없음)") if unread else subject.say("not set", "설정되지 않음")
    else:
        value = f"`{var.value}` ({where})"
    return result(check, subject, False, subject.tell(MESSAGES, "wrong", container=name, name=check.name, value=value, wanted=f"`{check.value}`"), None, line)


TYPE = CheckType("env", EnvCheck, run_env)
