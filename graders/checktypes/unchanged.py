"""`unchanged`: an object the task says not to touch keeps its fields (when the answer writes it at all)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from exercises.base import CheckBase
from graders.checktypes.base import CheckType
from graders.report import CheckResult
from graders.subject import Subject, result
from graders.meaning.shape import mapping

DEFAULTS: dict[str, Any] = {
    "protocol": "TCP", "replicas": 1, "restartPolicy": "Always", "dnsPolicy": "ClusterFirst", "schedulerName": "default-scheduler",
    "terminationGracePeriodSeconds": 30, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600,
    "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File", "securityContext": {},
}
"""Fields the API server fills in: written out or left to their default, they mean the same."""
SERVICE_DEFAULTS: dict[str, Any] = {"type": "ClusterIP", "sessionAffinity": "None", "internalTrafficPolicy": "Cluster",
                                    "ipFamilyPolicy": "SingleStack"}
"""A Service's .spec defaults (a Service's `type` key is not a container's, so they apply inside `ports`' parent only)."""
ALLOCATED = frozenset({"clusterIP", "clusterIPs", "ipFamilies", "nodePort", "healthCheckNodePort"})
"""Given by the API server when the object leaves them out: any value there is not a change."""


def _default(parent: dict[str, Any], key: str) -> Any:
    """What the API server puts at `key` of `parent` when it is left out (None: nothing known)."""
    if key == "imagePullPolicy" and isinstance(parent.get("image"), str):
        from graders.meaning.defaults import pull_policy

        return pull_policy(parent["image"])
    if key == "targetPort" and "port" in parent:
        return parent["port"]  # a Service port's target defaults to the port itself
    if "ports" in parent and "selector" in parent or "clusterIP" in parent:
        if key in SERVICE_DEFAULTS:
            return SERVICE_DEFAULTS[key]
    return DEFAULTS.get(key)

MESSAGES = {
    "kept": ("{kind} `{name}` is left as it was", "{kind} `{name}`은(는) 그대로입니다"),
    "absent": ("{kind} `{name}` is not in the answer, so it stays as it is", "{kind} `{name}`이(가) 답에 없으므로 그대로 유지됩니다"),
    "nothing": ("nothing", "없음"),
    "changed": ("{kind} `{name}` was changed at {where}: {was} became {now}; the task says to leave it", "{kind} `{name}`의 {where}이(가) 바뀌었습니다: {was} → {now}. 과제는 이 오브젝트를 바꾸지 말라고 합니다"),
}


class UnchangedCheck(CheckBase):
    """If the answer (or the cluster) has `object`, its fields at `paths` are still those of `was`."""

    type: Literal["unchanged"]
    was: dict[str, Any] | None = None
    """The object as the task gives it. Left out: the object of that kind and name in the exercise's starting state
    (`live.setup`, else the `starter` manifest), as the exercise model fills it in."""
    paths: list[str] = Field(default=[".spec"], min_length=1)
    """JSONPaths of what must not change."""
    ignore: list[str] = []
    """JSONPaths inside `paths` that the task asks to change: left out on both sides, so that `paths: [.spec]` with
    `ignore` says "change this, keep everything else" (a dropped command or an added field fails)."""


QUANTITY_MAPS = frozenset({"hard", "requests", "limits", "capacity"})
"""Maps whose values are quantities: `2000m` there is the `2` the task gave (a quota, a container's resources, a PV)."""


def _same_quantity(a: Any, b: Any) -> bool:
    from graders.quantity import parse

    x, y = parse(a), parse(b)
    return a == b if x is None or y is None else x.value == y.value


def _same(a: Any, b: Any, quantities: bool = False) -> bool:
    """Equal in meaning: defaults written out or not, list items by name, and in QUANTITY_MAPS quantities by value."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in set(a) | set(b):
            inner = key in QUANTITY_MAPS
            if quantities:
                if key not in a or key not in b or not _same_quantity(a[key], b[key]):
                    return False
            elif key in a and key in b:
                if not _same(a[key], b[key], inner):
                    return False
            elif (key in ALLOCATED and key not in b) or a.get(key, b.get(key)) in ({}, [], None):
                continue  # allocated by the API server where `was` (b) has none, or an empty value against none
            elif not _same(a.get(key, _default(a, key)), b.get(key, _default(b, key)), inner):
                return False
        return True
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return False
        if all(isinstance(x, dict) and isinstance(x.get("name"), str) for x in a + b):  # items by name, in any order
            by_name = {x["name"]: x for x in b}
            return all(x["name"] in by_name and _same(x, by_name[x["name"]]) for x in a)
        return all(_same(x, y, quantities) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b


_GONE = object()


def _difference(was: Any, now: Any, where: str) -> tuple[str, Any, Any]:
    """The deepest place under `where` at which `now` differs from `was` (dict keys, list items by name), for the message."""
    if isinstance(was, dict) and isinstance(now, dict):
        for key in sorted(set(was) | set(now)):
            a, b = was.get(key, DEFAULTS.get(key, _GONE)), now.get(key, DEFAULTS.get(key, _GONE))
            if a is _GONE or b is _GONE:
                return f"{where}.{key}", a, b
            if not _same(a, b, key in QUANTITY_MAPS):
                return _difference(a, b, f"{where}.{key}")
    elif isinstance(was, list) and isinstance(now, list) and all(isinstance(x, dict) and isinstance(x.get("name"), str) for x in was + now):
        by_name = {x["name"]: x for x in now}
        for item in was:
            if item["name"] not in by_name:
                return f"{where}[{item['name']}]", item, _GONE
            if not _same(item, by_name[item["name"]]):
                return _difference(item, by_name[item["name"]], f"{where}[{item['name']}]")
    return where, was, now


def _without(obj: Any, expressions: list[str]) -> Any:
    """A copy of `obj` with the values at `expressions` removed (deepest first, so list indexes stay right)."""
    import copy

    from graders import paths

    if not expressions:
        return obj
    out = copy.deepcopy(obj)
    found = sorted({f.path for e in expressions for f in paths.find(out, e) if f.path}, key=lambda p: (len(p), tuple((0, s, "") if isinstance(s, int) else (1, 0, str(s)) for s in p)), reverse=True)
    for where in found:
        parent: Any = out
        for step in where[:-1]:
            parent = parent[step]
        last = where[-1]
        if isinstance(parent, dict):
            parent.pop(last, None)
        elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            del parent[last]
    return out


def _shown(value: Any, subject: Subject) -> str:
    from graders.matchers import show

    return subject.tell(MESSAGES, "nothing") if value is _GONE else show(value)


def run_unchanged(check: UnchangedCheck, subject: Subject) -> CheckResult:
    from graders import paths
    from graders.matchers import show

    if check.was is None:  # only a check made outside an exercise, which fills `was` in from its starting state
        return CheckResult(check.id, "error", subject.say("the check has no `was` to compare with", "비교할 `was`가 없는 검사입니다"))
    ref = check.object or subject.default_ref
    obj = subject.find(ref)[0] if ref is not None else None
    kind = ref.kind if ref else check.was.get("kind")
    name = (ref.name if ref else None) or mapping(check.was.get("metadata")).get("name")
    if obj is None:
        return result(check, subject, True, subject.tell(MESSAGES, "absent", kind=kind, name=name))
    from graders.meaning.defaults import with_defaults

    before, after = _without(with_defaults(check.was), check.ignore), _without(with_defaults(obj), check.ignore)
    for expression in check.paths:
        now = [f.value for f in paths.find(after, expression)]
        was = [f.value for f in paths.find(before, expression)]
        split = paths.without_last_step(expression)
        default = DEFAULTS.get(str(split[1])) if split else None
        if default is not None and len(now) + len(was) == 1:  # set on one side only, to what the API server assumes
            now, was = now or [default], was or [default]
        if not _same(now, was, bool(split) and str(split[1]) in QUANTITY_MAPS):
            found = paths.find(obj, expression)
            line = subject.line_for(obj, found[0].path if found else paths.parent_path(obj, expression))
            where = paths.display_expression(expression)
            was_shown, now_shown = (was[0] if len(was) == 1 else was), (now[0] if len(now) == 1 else now)
            if len(was) == 1 and len(now) == 1:
                where, was_shown, now_shown = _difference(was[0], now[0], where)
            return result(check, subject, False, subject.tell(MESSAGES, "changed", kind=kind, name=name, where=where,
                                                              was=_shown(was_shown, subject), now=_shown(now_shown, subject)), where, line)
    return result(check, subject, True, subject.tell(MESSAGES, "kept", kind=kind, name=name))


TYPE = CheckType("unchanged", UnchangedCheck, run_unchanged)
