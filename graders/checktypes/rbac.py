"""`rbac`: what a user, group or service account may do, through every Role and binding there is; "nothing more" too."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from exercises.base import CheckBase, ObjectRef, Strict
from graders.checktypes.base import CheckType, lazy
from graders.report import CheckResult
from graders.subject import Subject, result
from graders.meaning.shape import mapping

rbac, resources = lazy("graders.meaning.rbac"), lazy("graders.meaning.resources")

BOOTSTRAP_LABEL = ("kubernetes.io/bootstrapping", "rbac-defaults")
"""The cluster's own bindings (discovery, basic-user ...): every user has them; the task is about the answer's."""

MESSAGES = {
    "may": ("{who} may {requests}", "{who}은(는) {requests}을(를) 할 수 있습니다"),
    "via": (" ({sources})", " ({sources})"),
    "nothing-more": ("; nothing more", "; 그 이상은 할 수 없습니다"),
    "may-not": ("{who} may not {request}: {why}", "{who}은(는) {request}을(를) 할 수 없습니다: {why}"),
    "no-binding": ("no binding names them", "이 주체를 가리키는 바인딩이 없습니다"),
    "cluster-scoped": ("{source} grants it only inside namespace {namespace}, and {resource} are not in any namespace: bind it with a ClusterRoleBinding",
                       "{source}은(는) 네임스페이스 {namespace} 안에서만 권한을 주는데 {resource}은(는) 네임스페이스에 속하지 않습니다: ClusterRoleBinding으로 바인딩하세요"),
    "other-namespace": ("{source} grants it in namespace {namespace}, not {wanted}", "{source}은(는) {wanted}가 아니라 네임스페이스 {namespace}에서 권한을 줍니다"),
    "bindings-miss": ("their bindings ({sources}) do not grant it", "바인딩({sources})이 이 권한을 주지 않습니다"),
    "role-missing": ("{source} refers to {role}, which is not there", "{source}이(가) 참조하는 {role}이(가) 없습니다"),
    "should-not": ("{who} may {request}, which the task forbids ({source})", "{who}이(가) {request}을(를) 할 수 있는데, 과제는 이를 금지합니다 ({source})"),
    "more": ("{who} may also {grants} ({source}): the task asks for nothing more", "{who}이(가) {grants}까지 할 수 있습니다 ({source}): 과제는 그 이상을 허용하지 않습니다"),
    "unknown-role": ("{source} refers to {role}, which is not there: kubedojo cannot tell what it grants", "{source}이(가) 참조하는 {role}이(가) 없어, 무엇을 허용하는지 알 수 없습니다"),
    "all-namespaces": ("(all namespaces)", "(모든 네임스페이스)"),
    "others": ("{others} may {request} too ({source}): the task gives it to {who} only",
               "{others}도 {request}을(를) 할 수 있습니다 ({source}): 과제는 {who}에게만 권한을 줍니다"),
}


class RbacSubject(Strict):
    """Who asks: `{kind: User, name: jane}`, `{kind: ServiceAccount, name: builder, namespace: ci}`, `{kind: Group, name: ops}`."""

    kind: Literal["User", "Group", "ServiceAccount"]
    name: str = Field(min_length=1)
    namespace: str | None = None
    """The service account's namespace."""
    groups: list[str] = []
    """Groups a user is in (besides system:authenticated)."""


class RbacCheck(CheckBase):
    """What RBAC lets the subject do, computed from every Role, ClusterRole and binding in the answer (or the cluster)."""

    type: Literal["rbac"]
    subject: RbacSubject
    namespace: str | None = None
    """Requests for namespaced resources without `-n` are asked in this namespace."""
    allows: list[str] = []
    """Requests it must allow: `get pods -n dev`, `list deployments.apps`, `get pods/log`, `get configmaps app-config`, `get /healthz`."""
    denies: list[str] = []
    """Requests it must not allow."""
    nothing_more: bool = False
    """Everything the subject's bindings grant must be among `allows` (another verb, resource, subresource, name or
    namespace fails); the cluster's own default bindings do not count."""
    nobody_else: bool | None = None
    """No other subject may do any of `allows` through the answer's bindings (another user or service account in
    the binding, a group, a second binding); unset: the same as `nothing_more`."""

    @field_validator("allows", "denies")
    @classmethod
    def _readable(cls, value: list[str]) -> list[str]:
        for text in value:
            rbac.parse_request(text)
        return value

    def who(self) -> rbac.Who:
        return rbac.Who(self.subject.kind, self.subject.name, self.subject.namespace or "", tuple(self.subject.groups))


def _describe(sources: list[rbac.Source]) -> str:
    return ", ".join(f"{s.binding} → {s.role}" for s in sources)


def _grant_text(grant: rbac.Grant, subject: Subject) -> str:
    text = grant.text()
    return text.replace("(all namespaces)", subject.tell(MESSAGES, "all-namespaces"))


def _builtin(obj: dict) -> bool:
    labels = mapping(obj.get("metadata")).get("labels") or {}
    return labels.get(BOOTSTRAP_LABEL[0]) == BOOTSTRAP_LABEL[1]


def run_rbac(check: RbacCheck, subject: Subject) -> CheckResult:
    who = check.who()
    namespace = check.namespace or ""
    found = rbac.sources(subject.objects, who, subject.namespace)
    shown_who = who.text()
    for text in check.allows:
        request = rbac.parse_request(text, namespace)
        if rbac.allows(found, request) is None:
            missing = [s for s in found if not s.found]
            elsewhere = next((s for s in found if s.namespace and s.namespace != request.namespace
                              and any(rbac.rule_allows(r, request) for r in s.rules)), None)
            known = resources.resource(request.group, request.resource)
            if elsewhere is not None and known is not None and not known.namespaced:
                why = subject.tell(MESSAGES, "cluster-scoped", source=elsewhere.binding, namespace=elsewhere.namespace, resource=request.resource)
            elif elsewhere is not None:
                wanted = request.namespace or subject.tell(MESSAGES, "all-namespaces")
                why = subject.tell(MESSAGES, "other-namespace", source=elsewhere.binding, namespace=elsewhere.namespace, wanted=wanted)
            elif missing:
                why = subject.tell(MESSAGES, "role-missing", source=missing[0].binding, role=missing[0].role)
            elif found:
                why = subject.tell(MESSAGES, "bindings-miss", sources=_describe(found))
            else:
                why = subject.tell(MESSAGES, "no-binding")
            return result(check, subject, False, subject.tell(MESSAGES, "may-not", who=shown_who, request=request.text(), why=why))
    for text in check.denies:
        request = rbac.parse_request(text, namespace)
        source = rbac.allows(found, request)
        if source is not None:
            return result(check, subject, False, subject.tell(MESSAGES, "should-not", who=shown_who, request=request.text(), source=f"{source.binding} → {source.role}"))
    if check.nothing_more:
        builtin = {f"{o.get('kind')} {mapping(o.get('metadata')).get('name')}" for o in subject.objects if _builtin(o)}
        own = [s for s in found if s.binding not in builtin]
        unknown = next((s for s in own if not s.found), None)
        if unknown is not None:
            return result(check, subject, False, subject.tell(MESSAGES, "unknown-role", source=unknown.binding, role=unknown.role))
        extras = rbac.extra_grants(own, [rbac.parse_request(t, namespace) for t in check.allows])
        if extras:
            first_source = extras[0][1]
            grants = ", ".join(_grant_text(g, subject) for g, s in extras[:4] if s is first_source) + (" …" if len(extras) > 4 else "")
            return result(check, subject, False, subject.tell(MESSAGES, "more", who=shown_who, grants=grants, source=f"{first_source.binding} → {first_source.role}"))
    if check.nobody_else if check.nobody_else is not None else check.nothing_more:
        builtin = frozenset(f"{o.get('kind')} {mapping(o.get('metadata')).get('name')}" for o in subject.objects if _builtin(o))
        wanted = [rbac.parse_request(t, namespace) for t in check.allows]
        others = rbac.others_granted(subject.objects, who, wanted, subject.namespace, builtin)
        if others:
            shown = ", ".join(dict.fromkeys(o for o, _ in others[:3]))
            return result(check, subject, False, subject.tell(MESSAGES, "others", others=shown, request=wanted[0].text(),
                                                              source=others[0][1], who=shown_who))
    requests = ", ".join(rbac.parse_request(t, namespace).text() for t in check.allows) or "—"
    message = subject.tell(MESSAGES, "may", who=shown_who, requests=requests)
    if found:
        message += subject.tell(MESSAGES, "via", sources=_describe([s for s in found if s.found]))
    if check.nothing_more:
        message += subject.tell(MESSAGES, "nothing-more")
    return result(check, subject, True, message)


def needs(check: RbacCheck, target: ObjectRef | None) -> list[ObjectRef]:
    namespaces = {check.namespace or None} | {rbac.parse_request(t, check.namespace or "").namespace or None for t in check.allows + check.denies}
    if check.subject.namespace:
        namespaces.add(check.subject.namespace)
    refs = [ObjectRef(kind="ClusterRole"), ObjectRef(kind="ClusterRoleBinding")]
    for namespace in sorted(n for n in namespaces if n):
        refs += [ObjectRef(kind="Role", namespace=namespace), ObjectRef(kind="RoleBinding", namespace=namespace)]
    return refs


TYPE = CheckType("rbac", RbacCheck, run_rbac, needs)
