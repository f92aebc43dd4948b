"""What kubectl commands do to a set of plain objects (and a kubeconfig), offline: the effect of an answer."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from graders.kubectl import KubectlCommand
from graders.kubectl_effect_verbs import VERBS, Failed, State
from graders.kubectl_verbs import changes_state, path_of, refusals

__all__ = ["Failed", "State", "Outcome", "run_commands", "start_state", "differences"]

DEFAULT_CONFIG = {"apiVersion": "v1", "kind": "Config", "current-context": "kubernetes-admin@kubernetes",
                  "contexts": [{"name": "kubernetes-admin@kubernetes",
                                "context": {"cluster": "kubernetes", "user": "kubernetes-admin"}}],
                  "clusters": [{"name": "kubernetes", "cluster": {"server": "https://controlplane:6443"}}],
                  "users": [{"name": "kubernetes-admin", "user": {}}]}
"""The kubeconfig an exercise gets when its starting objects have none (kubeadm's names)."""

_IGNORED_ANNOTATIONS = ("kubernetes.io/change-cause", "kubectl.kubernetes.io/last-applied-configuration",
                        "deployment.kubernetes.io/revision")  # kept by kubectl and the deployment controller


@dataclass(frozen=True)
class Outcome:
    """The objects after a line ran, and what went wrong on the way (kubectl's errors, in order)."""

    state: State
    failures: tuple[tuple[KubectlCommand, Failed], ...] = ()


def start_state(objects: list[dict[str, Any]], namespace: str | None = None) -> State:
    """The starting state: copies of the objects, with a kubeconfig if none is among them (its context set to
    `namespace`, as the app's terminal and `kubedojo setup` set it for an exercise's namespace)."""
    copies = [clone(o) for o in objects if isinstance(o, dict)]
    if not any(o.get("kind") == "Config" for o in copies):
        config = copy.deepcopy(DEFAULT_CONFIG)
        if namespace and namespace != "default":
            config["contexts"][0]["context"]["namespace"] = namespace
        copies.append(config)
    state = State(copies)
    state.cluster = ((state.context() or {}).get("context") or {}).get("cluster")
    return state


def run_commands(commands: tuple[KubectlCommand, ...], ops: tuple[str, ...], start: State) -> Outcome:
    """Run kubectl commands in order, as the shell would: `a && b` runs b only when a worked, `a || b` only when
    it failed. A command kubectl refuses does nothing and fails."""
    state, failures, ok = start, [], True
    for command, op in zip(commands, ops):
        if (op == "&&" and not ok) or (op == "||" and ok):
            continue
        try:
            state = apply(command, state)
            ok = True
        except Failed as failure:
            failures.append((command, failure))
            ok = False
        except (TypeError, AttributeError, KeyError, IndexError, ValueError) as err:  # objects of an odd shape
            failures.append((command, Failed(f"kubedojo could not apply it to the exercise's objects ({type(err).__name__}: {err})",
                                             f"kubedojo가 문제의 오브젝트에 적용하지 못했습니다 ({type(err).__name__}: {err})")))
            ok = False
    return Outcome(state, tuple(failures))


def apply(command: KubectlCommand, state: State) -> State:
    """The state after one kubectl command; raise Failed with kubectl's message when it would fail."""
    refused = refusals(command)
    if refused:
        raise Failed(f"kubectl refuses it: {refused[0]}", f"kubectl이 거부합니다: {refused[0]}")
    if not changes_state(command):
        return state
    path = path_of(command)
    verb = VERBS.get(path) or VERBS.get(" ".join(path.split()[:2])) or VERBS.get(command.verb)
    if verb is None:
        raise Failed(f"kubedojo cannot tell offline what `kubectl {path}` does to the objects",
                     f"`kubectl {path}`이(가) 오브젝트를 어떻게 바꾸는지 kubedojo가 오프라인으로 알 수 없습니다")
    for flag in ("filename", "kustomize"):
        if command.has_flag(flag):
            raise Failed(f"--{flag} reads files kubedojo cannot see here: name the objects instead",
                         f"--{flag}은(는) kubedojo가 볼 수 없는 파일을 읽습니다: 오브젝트 이름을 쓰세요")
    if command.verb != "config":
        _same_cluster(command, state)
    new = State([clone(o) for o in state.objects], state.cluster)
    verb(command, new)
    return new


def _same_cluster(command: KubectlCommand, state: State) -> None:
    """Refuse a command that would act on another cluster than the one the task is set in."""
    name = command.flag("context")
    context = state.context(name)
    if name and context is None:
        raise Failed(f'error: context "{name}" does not exist', f'error: 컨텍스트 "{name}"이(가) 없습니다')
    cluster = command.flag("cluster") or ((context or {}).get("context") or {}).get("cluster")
    env = next((e.partition("=")[2] for e in command.env if e.startswith("KUBECONFIG=")), None)
    other = command.flag("kubeconfig") or env or command.flag("server") or (cluster if cluster != state.cluster else None)
    if other:
        raise Failed(f"it acts on another cluster ({other}), not the one the task is set in ({state.cluster})",
                     f"문제의 클러스터({state.cluster})가 아닌 다른 클러스터({other})에서 실행됩니다")


# --- comparing ------------------------------------------------------------------------------------


def _key(obj: dict[str, Any]) -> tuple[str, str, str]:
    meta = obj.get("metadata") or {}
    return str(obj.get("kind")), str(meta.get("namespace") or ""), str(meta.get("name") or "")


def _shown(key: tuple[str, str, str], lang: str = "en") -> str:
    kind, namespace, name = key
    if kind == "Config":
        return "kubeconfig" if lang == "ko" else "the kubeconfig"
    return f"{kind} {namespace + '/' if namespace else ''}{name}"


def clone(value: Any) -> Any:
    """A deep copy of plain YAML data (dicts, lists, scalars), several times faster than copy.deepcopy."""
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clone(v) for v in value]
    return value


def _normal(obj: Any, state: State, created: bool) -> Any:
    """What counts when two results are compared: no nulls nor empty maps, the API server's defaults filled in,
    named target ports resolved, no record-keeping annotations; labels and annotations of created objects are free."""
    obj = clone(obj)
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    for field in ("labels", "annotations"):
        if created:
            meta.pop(field, None)
        elif isinstance(meta.get(field), dict):
            for key in _IGNORED_ANNOTATIONS:
                meta[field].pop(key, None)
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else None
    kind = obj.get("kind")
    if spec is not None and kind == "Node" and spec.get("unschedulable") is False:
        spec.pop("unschedulable")
    if spec is not None and kind in ("Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"):
        spec.setdefault("replicas", 1)
    if spec is not None and kind == "Service":
        spec.setdefault("type", "ClusterIP")
        spec.setdefault("sessionAffinity", "None")
        for port in spec.get("ports") or []:
            if isinstance(port, dict):
                port.setdefault("protocol", "TCP")
                port.setdefault("targetPort", port.get("port"))
                if isinstance(port["targetPort"], str):
                    port["targetPort"] = _resolve_port(port["targetPort"], spec.get("selector") or {}, meta, state)
        if created and len(spec.get("ports") or []) == 1:
            spec["ports"][0].pop("name", None)
    return _prune(obj)


def _resolve_port(name: str, selector: dict[str, Any], meta: dict[str, Any], state: State) -> Any:
    """A named target port as the number the selected pods give it, when they all agree."""
    from graders.kubectl_effect_verbs import pod_spec

    numbers = set()
    for other in state.objects:
        labels = ((other.get("spec") or {}).get("template") or {}).get("metadata", {}).get("labels") \
            if other.get("kind") != "Pod" else (other.get("metadata") or {}).get("labels")
        same_ns = ((other.get("metadata") or {}).get("namespace") or "default") == (meta.get("namespace") or "default")
        if not (same_ns and selector and isinstance(labels, dict) and all(labels.get(k) == v for k, v in selector.items())):
            continue
        for container in (pod_spec(other) or {}).get("containers") or []:
            numbers |= {p.get("containerPort") for p in container.get("ports") or [] if p.get("name") == name}
    return numbers.pop() if len(numbers) == 1 else name


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items() if v is not None}
        return {k: v for k, v in pruned.items() if v not in ({}, [])}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def differences(actual: State, expected: State, start: State, limit: int = 4) -> list[tuple[str, str]]:
    """How `actual` differs from `expected`, as (en, ko) sentences, the most telling first; [] when they agree."""
    before = {_key(o) for o in start.objects}
    config = ("Config", "", "")
    start_config = next((o for o in start.objects if _key(o) == config), None)
    mine = {_key(o): o for o in actual.objects}
    wanted = {_key(o): o for o in expected.objects}
    found: list[tuple[str, str]] = []
    for key in sorted(set(mine) | set(wanted)):
        if key == config and wanted.get(key) == start_config:
            continue  # the task is not about the kubeconfig: using it (-n, set-context) is the candidate's business
        shown, shown_ko = _shown(key), _shown(key, "ko")
        if key not in mine:
            found.append((f"{shown} is missing: the task needs it", f"{shown_ko}이(가) 없습니다: 문제에서 필요합니다")
                         if key not in before else
                         (f"{shown} was deleted, which the task did not ask for", f"{shown_ko}이(가) 삭제되었는데, 문제에서 요구하지 않은 일입니다"))
        elif key not in wanted:
            found.append((f"{shown} was created, which the task did not ask for", f"{shown_ko}이(가) 만들어졌는데, 문제에서 요구하지 않은 일입니다")
                         if key not in before else
                         (f"{shown} still exists: the task removes it", f"{shown_ko}이(가) 아직 있습니다: 문제에서는 지워야 합니다"))
        elif mine[key] != wanted[key]:
            created = key not in before
            for where, have, want in _diff(_normal(mine[key], actual, created), _normal(wanted[key], expected, created), ""):
                if want is _ABSENT and where.endswith("]"):  # an entry of a named list the task does not make
                    found.append((f"{shown}: {where} was added, which the task did not ask for",
                                  f"{shown_ko}: {where}이(가) 추가되었는데, 문제에서 요구하지 않은 일입니다"))
                elif have is _ABSENT and where.endswith("]"):
                    found.append((f"{shown}: {where} is missing: the task needs {_text(want)}",
                                  f"{shown_ko}: {where}이(가) 없습니다: {_text(want)}이(가) 필요합니다"))
                else:
                    found.append((f"{shown}: {where} is {_text(have)}, the task needs {_text(want)}",
                                  f"{shown_ko}: {where}이(가) {_text(have)}인데, {_text(want)}이어야 합니다"))
    return found[:limit]


_ABSENT = object()


def _text(value: Any) -> str:
    if value is _ABSENT:
        return "unset"
    return f"`{json.dumps(value, ensure_ascii=False, separators=(', ', ': '))}`"


def _diff(have: Any, want: Any, where: str) -> list[tuple[str, Any, Any]]:
    if isinstance(have, dict) and want is _ABSENT or have is _ABSENT and isinstance(want, dict):
        have, want = ({} if have is _ABSENT else have), ({} if want is _ABSENT else want)
    if isinstance(have, dict) and isinstance(want, dict):
        found = []
        for key in list(dict.fromkeys([*want, *have])):
            found += _diff(have.get(key, _ABSENT), want.get(key, _ABSENT), f"{where}.{key}" if where else key)
        return found
    if isinstance(have, list) and isinstance(want, list) and _named(have) and _named(want) and have != want:
        mine, theirs = {i["name"]: i for i in have}, {i["name"]: i for i in want}
        if len(mine) == len(have) and len(theirs) == len(want):  # entries by name: what was added, lost or changed
            names = list(dict.fromkeys([*theirs, *mine]))
            return [d for name in names for d in _diff_entry(mine.get(name, _ABSENT), theirs.get(name, _ABSENT), f"{where}[name={name}]")]
    return [] if have == want else [(where or "the object", have, want)]


def _diff_entry(have: Any, want: Any, where: str) -> list[tuple[str, Any, Any]]:
    """A named list's entry: whole when it is only on one side, field by field when on both."""
    if have is _ABSENT or want is _ABSENT:
        return [(where, have, want)]
    return _diff(have, want, where)


def _named(items: list) -> bool:
    return all(isinstance(i, dict) and isinstance(i.get("name"), str) for i in items)
