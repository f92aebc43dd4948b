"""`service_account`: the pods run as this service account (the API server's rules for the two fields), with or
without its API token (the pod's setting, else the service account's, else mounted)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from exercises.base import CheckBase, ObjectRef
from graders.checktypes.base import CheckType, pods_of
from graders.report import CheckResult
from graders.subject import Subject, result
from graders.meaning.shape import mapping

MESSAGES = {
    "runs-as": ("the pods run as the service account `{got}`{token}", "파드가 서비스 어카운트 `{got}`(으)로 실행됩니다{token}"),
    "other": ("the pods run as the service account `{got}`, not `{wanted}`{why}", "파드가 `{wanted}`이(가) 아니라 서비스 어카운트 `{got}`(으)로 실행됩니다{why}"),
    "name-wins": (" (serviceAccountName wins over the deprecated serviceAccount)", " (serviceAccountName이 더 이상 쓰지 않는 serviceAccount보다 우선합니다)"),
    "token": (", with its API token mounted", ", API 토큰이 마운트됩니다"),
    "no-token": (", without its API token", ", API 토큰이 마운트되지 않습니다"),
    "token-off": ("the pods get no API token of `{name}`: automountServiceAccountToken is false in the {where}",
                  "파드에 `{name}`의 API 토큰이 마운트되지 않습니다: {where}의 automountServiceAccountToken이 false입니다"),
    "token-on": ("the pods get the API token of `{name}` ({where}); the task says they must not",
                 "파드에 `{name}`의 API 토큰이 마운트됩니다({where}). 과제는 마운트하지 말라고 합니다"),
    "pod": ("pod spec", "파드 spec"),
    "sa": ("ServiceAccount", "서비스 어카운트(ServiceAccount)"),
    "default": ("default: mounted", "기본값: 마운트"),
}


class ServiceAccountCheck(CheckBase):
    """The pods of the object run as the service account `name`; `token`: whether its API token is mounted."""

    type: Literal["service_account"]
    name: str = Field(min_length=1)
    token: bool | None = None
    """True: the token must be mounted; False: it must not; unset: not checked."""


def run_service_account(check: ServiceAccountCheck, subject: Subject) -> CheckResult:
    pods = pods_of(check, subject)
    if isinstance(pods, str):
        return result(check, subject, False, pods)
    spec = pods.spec
    new, old = spec.get("serviceAccountName"), spec.get("serviceAccount")
    got = str(new or old or "default")  # as the API server converts it: the new field wins, the old one fills in
    line = subject.line_for(pods.obj, pods.prefix + ("serviceAccountName" if new else "serviceAccount",))
    if got != check.name:
        why = subject.tell(MESSAGES, "name-wins") if new and old == check.name else ""
        return result(check, subject, False, subject.tell(MESSAGES, "other", got=got, wanted=check.name, why=why), "spec.serviceAccountName", line)
    namespace = mapping(pods.obj.get("metadata")).get("namespace")
    account = subject.lookup("ServiceAccount", got, namespace)
    if isinstance(spec.get("automountServiceAccountToken"), bool):
        mounted, where = spec["automountServiceAccountToken"], subject.tell(MESSAGES, "pod")
    elif account is not None and isinstance(account.get("automountServiceAccountToken"), bool):
        mounted, where = account["automountServiceAccountToken"], subject.tell(MESSAGES, "sa")
    else:
        mounted, where = True, subject.tell(MESSAGES, "default")
    if check.token is True and not mounted:
        return result(check, subject, False, subject.tell(MESSAGES, "token-off", name=got, where=where), "automountServiceAccountToken", line)
    if check.token is False and mounted:
        return result(check, subject, False, subject.tell(MESSAGES, "token-on", name=got, where=where), "automountServiceAccountToken", line)
    token = "" if check.token is None else subject.tell(MESSAGES, "token" if mounted else "no-token")
    return result(check, subject, True, subject.tell(MESSAGES, "runs-as", got=got, token=token), "spec.serviceAccountName", line)


def needs(check: ServiceAccountCheck, target: ObjectRef | None) -> list[ObjectRef]:
    ref = check.object or target
    refs = [ref] if ref is not None else []
    return refs + [ObjectRef(kind="ServiceAccount", name=check.name, namespace=ref.namespace if ref else None)]


TYPE = CheckType("service_account", ServiceAccountCheck, run_service_account, needs)
