"""RBAC: what rules grant (every verb x group x resource[/subresource] x name, `*` expanded), and to whom."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from graders.meaning import resources as api
from graders.meaning.selectors import SelectorError, label_selector
from graders.meaning.shape import items, mapping

ANY = "*"
AUTHENTICATED = "system:authenticated"
CLUSTER_ADMIN = {"kind": "ClusterRole", "metadata": {"name": "cluster-admin"},
                 "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}, {"nonResourceURLs": ["*"], "verbs": ["*"]}]}
"""Built into every cluster; answers bind it without writing it."""


@dataclass(frozen=True)
class Request:
    """One thing someone asks the API server to do, as the authorizer sees it."""

    verb: str
    resource: str = ""
    group: str = ""
    subresource: str = ""
    name: str = ""
    """"" is no particular object (list, create, or any name when asking what is granted)."""
    namespace: str = ""
    """"" is cluster-wide: a cluster-scoped resource, or every namespace."""
    path: str = ""
    """A non-resource URL such as /healthz; then resource is empty."""

    def text(self) -> str:
        if self.path:
            return f"{self.verb} {self.path}"
        what = self.resource + (f".{self.group}" if self.group else "") + (f"/{self.subresource}" if self.subresource else "")
        named = f" `{self.name}`" if self.name else ""
        where = f" -n {self.namespace}" if self.namespace else ""
        return f"{self.verb} {what}{named}{where}"


@dataclass(frozen=True)
class Grant:
    """One concrete permission a rule gives, in one scope."""

    verb: str
    group: str
    resource: str
    """plural, or plural/subresource; `*` when the group is unknown and the rule says `*`."""
    name: str = ""
    """"" is every object."""
    namespace: str = ""
    """"" is every namespace (a ClusterRoleBinding)."""
    path: str = ""

    def text(self) -> str:
        if self.path:
            return f"{self.verb} {self.path}"
        group = f".{self.group}" if self.group else ""
        base, _, sub = self.resource.partition("/")
        named = f" `{self.name}`" if self.name else ""
        where = f" -n {self.namespace}" if self.namespace else " (all namespaces)" if self._namespaced() else ""
        return f"{self.verb} {base}{group}{'/' + sub if sub else ''}{named}{where}"

    def _namespaced(self) -> bool:
        known = api.resource(self.group, self.resource.partition("/")[0])
        return known is None or known.namespaced


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _resource_matches(rule_resources: list[str], resource: str, subresource: str) -> bool:
    combined = f"{resource}/{subresource}" if subresource else resource
    for item in rule_resources:
        if item == ANY or item == combined:
            return True
        if subresource and item == f"*/{subresource}":
            return True
    return False


def _path_matches(rule_urls: list[str], path: str) -> bool:
    return any(u == ANY or u == path or (u.endswith("*") and path.startswith(u[:-1])) for u in rule_urls)


def rule_allows(rule: Mapping[str, Any], request: Request) -> bool:
    """What the RBAC authorizer decides for one rule (pkg/apis/rbac/v1/evaluation_helpers.go)."""
    verbs = _strings(rule.get("verbs"))
    if not (ANY in verbs or request.verb in verbs):
        return False
    if request.path:
        return _path_matches(_strings(rule.get("nonResourceURLs")), request.path)
    groups = _strings(rule.get("apiGroups"))
    if not (ANY in groups or request.group in groups):
        return False
    if not _resource_matches(_strings(rule.get("resources")), request.resource, request.subresource):
        return False
    names = _strings(rule.get("resourceNames"))
    return not names or request.name in names


def grants_of_rule(rule: Mapping[str, Any], namespace: str = "") -> set[Grant]:
    """Every permission one rule gives, `*` expanded over the built-in resources; unknown groups keep `*`."""
    verbs = _strings(rule.get("verbs"))
    out: set[Grant] = set()
    urls = _strings(rule.get("nonResourceURLs"))
    if urls and not namespace:  # non-resource URLs mean nothing in a Role
        out.update(Grant(v, "", "", path=u) for v in verbs for u in urls)
    names = _strings(rule.get("resourceNames")) or [""]
    groups = _strings(rule.get("apiGroups"))
    expanded_groups = sorted(api.GROUPS) + [g for g in groups if g not in api.GROUPS and g != ANY] if ANY in groups else groups
    if ANY in groups:
        expanded_groups.append(ANY)  # and every group the cluster may serve besides the built-in ones
    for group in expanded_groups:
        for resource in _strings(rule.get("resources")):
            for target, known in _targets(group, resource):
                if known is not None and namespace and not known.namespaced:
                    continue  # a RoleBinding never reaches cluster-scoped resources
                for verb in (known.verbs if known is not None and ANY in verbs else verbs):
                    out.update(Grant(verb, group, target, name, namespace) for name in names)
    return out


def _targets(group: str, resource: str) -> list[tuple[str, api.Resource | None]]:
    """What a rule's resource word reaches in a group: (plural[/sub], the resource if built in)."""
    if group == ANY or group not in api.GROUPS:
        if group == ANY and resource != ANY and not resource.startswith("*/"):
            return [] if api.groups_of(resource.partition("/")[0]) else [(resource, None)]
        return [(resource, None)]
    found = []
    for known in api.in_group(group):
        every = [known.plural] + [f"{known.plural}/{s}" for s in known.subresources]
        if resource == ANY:
            found.extend((t, known) for t in every)
        elif resource.startswith("*/"):
            found.extend((t, known) for t in every if t.endswith("/" + resource[2:]))
        elif resource in every:
            found.append((resource, known))
    return found  # a resource the group does not have grants nothing


def covers(request: Request, grant: Grant) -> bool:
    """The permission asked for includes this grant (an unnamed request covers every name)."""
    if request.verb != grant.verb:
        return False
    if grant.path or request.path:
        return request.path == grant.path
    target = request.resource + (f"/{request.subresource}" if request.subresource else "")
    if (request.group, target) != (grant.group, grant.resource):
        return False
    if request.name and request.name != grant.name:
        return False
    return not request.namespace or request.namespace == grant.namespace


# --- subjects and bindings ------------------------------------------------------------------


@dataclass(frozen=True)
class Who:
    """A user, a group or a service account, as bindings name them."""

    kind: str
    name: str
    namespace: str = ""
    groups: tuple[str, ...] = ()

    def username(self) -> str:
        return f"system:serviceaccount:{self.namespace}:{self.name}" if self.kind == "ServiceAccount" else self.name

    def all_groups(self) -> set[str]:
        if self.kind == "Group":
            return {self.name}
        extra = {"system:serviceaccounts", f"system:serviceaccounts:{self.namespace}"} if self.kind == "ServiceAccount" else set()
        return {AUTHENTICATED, *self.groups, *extra}

    def text(self) -> str:
        return f"{self.kind} {self.namespace + '/' if self.namespace else ''}{self.name}"


def named_in(binding: Mapping[str, Any], who: Who, default_namespace: str = "default") -> bool:
    """Whether one of the binding's subjects is `who` (directly, by username, or through a group)."""
    own_namespace = _namespace(binding, default_namespace) if binding.get("kind") == "RoleBinding" else ""
    for subject in items(binding.get("subjects")):
        if not isinstance(subject, Mapping):
            continue
        kind, name = subject.get("kind"), subject.get("name")
        if not isinstance(name, str):  # the API server refuses it: it names no one
            continue
        if kind == "ServiceAccount":
            namespace = subject.get("namespace") or own_namespace
            if who.kind == "ServiceAccount" and (name, namespace) == (who.name, who.namespace):
                return True
        elif kind == "User" and who.kind != "Group" and name == who.username():
            return True
        elif kind == "Group" and name in who.all_groups():
            return True
    return False


def _namespace(obj: Mapping[str, Any], default: str) -> str:
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), Mapping) else {}
    return str(meta.get("namespace") or default)


def _name(obj: Mapping[str, Any]) -> str:
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), Mapping) else {}
    return str(meta.get("name") or "")


@dataclass(frozen=True)
class Source:
    """Where a subject's rules come from: the binding, the role, and the scope they apply in."""

    binding: str
    role: str
    namespace: str
    rules: tuple[Mapping[str, Any], ...]
    found: bool = True
    """False when the role the binding names is not there: nothing is known about what it grants."""


def _cluster_role_rules(role: Mapping[str, Any], cluster_roles: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    aggregation = role.get("aggregationRule")
    if not isinstance(aggregation, Mapping):
        return [r for r in items(role.get("rules")) if isinstance(r, Mapping)]
    rules: list[Mapping[str, Any]] = []
    for item in items(aggregation.get("clusterRoleSelectors")):
        try:
            chosen = label_selector(item)
        except SelectorError:
            continue
        for other in cluster_roles:
            if other is not role and chosen.matches(mapping(other.get("metadata")).get("labels") or {}):
                rules.extend(r for r in items(other.get("rules")) if isinstance(r, Mapping))
    return rules


def sources(objects: Iterable[Mapping[str, Any]], who: Who, default_namespace: str = "default") -> list[Source]:
    """Every binding that gives `who` something, with the rules of the role it refers to."""
    objects = [o for o in objects if isinstance(o, Mapping)]
    roles = {(_namespace(o, default_namespace), _name(o)): o for o in objects if o.get("kind") == "Role"}
    cluster_roles = [o for o in objects if o.get("kind") == "ClusterRole"]
    by_name = {_name(o): o for o in cluster_roles}
    by_name.setdefault("cluster-admin", CLUSTER_ADMIN)
    found: list[Source] = []
    for binding in objects:
        kind = binding.get("kind")
        if kind not in ("RoleBinding", "ClusterRoleBinding") or not named_in(binding, who, default_namespace):
            continue
        ref = binding.get("roleRef") if isinstance(binding.get("roleRef"), Mapping) else {}
        namespace = _namespace(binding, default_namespace) if kind == "RoleBinding" else ""
        role_kind, role_name = ref.get("kind"), str(ref.get("name") or "")
        role: Mapping[str, Any] | None = None
        if role_kind == "ClusterRole":
            role = by_name.get(role_name)
            rules = _cluster_role_rules(role, cluster_roles) if role is not None else []
        elif role_kind == "Role" and kind == "RoleBinding":
            role = roles.get((namespace, role_name))
            rules = [r for r in items(mapping(role).get("rules")) if isinstance(r, Mapping)]
        else:
            rules = []
        found.append(Source(f"{kind} {_name(binding)}", f"{role_kind} {role_name}", namespace, tuple(rules), role is not None))
    return found


def is_who(subject: Mapping[str, Any], who: Who, binding_namespace: str) -> bool:
    """Whether a binding's subject is `who` itself (a group, unless `who` is that group, is other people too)."""
    kind, name = subject.get("kind"), subject.get("name")
    if kind == "ServiceAccount":
        return who.kind == "ServiceAccount" and (name, subject.get("namespace") or binding_namespace) == (who.name, who.namespace)
    if kind == "User":
        return who.kind != "Group" and name == who.username()
    return kind == "Group" and who.kind == "Group" and name == who.name


def others_granted(objects: Iterable[Mapping[str, Any]], who: Who, wanted: list[Request],
                   default_namespace: str = "default", skip: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(subject, binding) for every other subject that any binding lets do one of the wanted requests."""
    objects = [o for o in objects if isinstance(o, Mapping)]
    found: list[tuple[str, str]] = []
    for binding in objects:
        kind = binding.get("kind")
        if kind not in ("RoleBinding", "ClusterRoleBinding") or f"{kind} {_name(binding)}" in skip:
            continue
        own = _namespace(binding, default_namespace) if kind == "RoleBinding" else ""
        source = _source(binding, objects, default_namespace)
        if source is None or not any(allows([source], request) for request in wanted):
            continue
        for subject in items(binding.get("subjects")):
            if isinstance(subject, Mapping) and isinstance(subject.get("name"), str) and not is_who(subject, who, own):
                shown = f"{subject.get('kind')} {(subject.get('namespace') or own) + '/' if subject.get('kind') == 'ServiceAccount' else ''}{subject['name']}"
                found.append((shown, source.binding))
    return found


def _source(binding: Mapping[str, Any], objects: list[Mapping[str, Any]], default_namespace: str) -> Source | None:
    """The binding's Source whoever it names (the rules of its role)."""
    subjects = [s for s in items(binding.get("subjects")) if isinstance(s, Mapping)]
    for subject in subjects:
        kind, name = subject.get("kind"), subject.get("name")
        if kind not in ("User", "Group", "ServiceAccount") or not isinstance(name, str):
            continue
        own = _namespace(binding, default_namespace) if binding.get("kind") == "RoleBinding" else ""
        who = Who(str(kind), name, str(subject.get("namespace") or own)) if kind != "User" else Who("User", name)
        for source in sources([*objects], who, default_namespace):
            if source.binding == f"{binding.get('kind')} {_name(binding)}":
                return source
    return None


def allows(found: list[Source], request: Request) -> Source | None:
    """The source that allows the request, or None (RBAC only ever allows; nothing denies)."""
    for source in found:
        if source.namespace and source.namespace != request.namespace:
            continue  # a RoleBinding acts in its namespace only, never cluster-wide
        if source.namespace and request.path:
            continue
        if source.namespace and request.resource:
            known = api.resource(request.group, request.resource)
            if known is not None and not known.namespaced:
                continue
        if any(rule_allows(rule, request) for rule in source.rules):
            return source
    return None


def extra_grants(found: list[Source], wanted: list[Request]) -> list[tuple[Grant, Source]]:
    """What the sources grant beyond the wanted requests (the "nothing more" part of a task)."""
    extras: list[tuple[Grant, Source]] = []
    for source in found:
        for rule in source.rules:
            for grant in sorted(grants_of_rule(rule, source.namespace), key=lambda g: g.text()):
                if not any(covers(request, grant) for request in wanted):
                    extras.append((grant, source))
    return extras


class RequestError(ValueError):
    """A request written in a check that kubedojo cannot read."""


def parse_request(text: str, namespace: str = "") -> Request:
    """`VERB RESOURCE[.GROUP][/SUBRESOURCE] [NAME] [-n NAMESPACE | -A]`, or `VERB /non-resource-url`.

    A namespaced resource without `-n` is asked in `namespace`; a cluster-scoped one never has one.
    """
    words = text.split()
    if len(words) < 2:
        raise RequestError(f"{text!r}: write a verb and a resource, e.g. `get pods -n dev`")
    verb, target, rest = words[0], words[1], words[2:]
    if target.startswith("/"):
        return Request(verb, path=target)
    chosen_namespace, name, everywhere = namespace, "", False
    i = 0
    while i < len(rest):
        word = rest[i]
        if word in ("-n", "--namespace") and i + 1 < len(rest):
            chosen_namespace, i = rest[i + 1], i + 2
            continue
        if word.startswith("--namespace="):
            chosen_namespace = word.partition("=")[2]
        elif word in ("-A", "--all-namespaces"):
            everywhere = True
        elif not word.startswith("-") and not name:
            name = word
        else:
            raise RequestError(f"{text!r}: unexpected {word!r}")
        i += 1
    base, _, subresource = target.partition("/")
    plural, _, group = base.partition(".")
    known = api.BY_KIND.get(plural.lower())
    if (group, plural) not in api.RESOURCES and known is not None and (not group or group == known.group):
        plural, group = known.plural, known.group
    elif not group:
        groups = api.groups_of(plural)
        group = "" if "" in groups or not groups else groups[0]
    found = api.resource(group, plural)
    if everywhere or (found is not None and not found.namespaced):
        chosen_namespace = ""
    return Request(verb, plural, group, subresource, name, chosen_namespace)
