"""How each kubectl command that changes objects changes them: one small function per verb, on plain dicts."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable

from graders.cluster_base import CLUSTER_SCOPED_KINDS
from graders.kubectl import KubectlCommand, plural, singular
from graders.kubectl_patch import PatchError, json_patch, merge_patch, strategic_merge_patch


class Failed(Exception):
    """kubectl (or the API server) would refuse the command; en and ko say why."""

    def __init__(self, en: str, ko: str) -> None:
        super().__init__(en)
        self.en, self.ko = en, ko


@dataclass
class State:
    """The objects a line acts on; one of them is the kubeconfig (kind: Config)."""

    objects: list[dict[str, Any]]
    cluster: str | None = None
    """The cluster the task is set in: the one of the kubeconfig's current context at the start."""

    @property
    def config(self) -> dict[str, Any]:
        return next(o for o in self.objects if o.get("kind") == "Config")

    def context(self, name: str | None = None) -> dict[str, Any] | None:
        config = self.config
        wanted = name or config.get("current-context")
        return next((c for c in config.get("contexts") or [] if c.get("name") == wanted), None)

    def namespace(self, command: KubectlCommand) -> str:
        """-n, else the namespace of the context in use, else default."""
        context = self.context(command.flag("context"))
        return command.namespace or ((context or {}).get("context") or {}).get("namespace") or "default"


CLUSTER_SCOPED = frozenset(plural(kind) for kind in CLUSTER_SCOPED_KINDS)
"""The same kinds as resources (`nodes`, `storageclasses`)."""
_GROUPS = {"deployments": "apps", "replicasets": "apps", "statefulsets": "apps", "daemonsets": "apps",
           "controllerrevisions": "apps", "jobs": "batch", "cronjobs": "batch", "ingresses": "networking.k8s.io",
           "networkpolicies": "networking.k8s.io", "horizontalpodautoscalers": "autoscaling",
           "roles": "rbac.authorization.k8s.io", "rolebindings": "rbac.authorization.k8s.io",
           "clusterroles": "rbac.authorization.k8s.io", "clusterrolebindings": "rbac.authorization.k8s.io",
           "storageclasses": "storage.k8s.io", "poddisruptionbudgets": "policy"}
_POD_SPEC = {"pod": ("spec",), "deployment": ("spec", "template", "spec"), "replicaset": ("spec", "template", "spec"),
             "statefulset": ("spec", "template", "spec"), "daemonset": ("spec", "template", "spec"),
             "replicationcontroller": ("spec", "template", "spec"), "job": ("spec", "template", "spec"),
             "cronjob": ("spec", "jobTemplate", "spec", "template", "spec")}
_NAME = r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_KEY = re.compile(rf"(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?{_NAME}")
_LABEL_VALUE = re.compile(rf"(?:{_NAME})?")


def not_found(resource: str, name: str, namespace: str | None = None) -> Failed:
    group = _GROUPS.get(resource)
    shown = f"{resource}.{group}" if group else resource
    text = f'Error from server (NotFound): {shown} "{name}" not found'
    if namespace and resource not in CLUSTER_SCOPED:
        return Failed(f"{text} (kubectl looked in the namespace {namespace})", f"{text} (kubectl은 네임스페이스 {namespace}에서 찾았습니다)")
    return Failed(text, text)


def _meta(obj: dict[str, Any]) -> dict[str, Any]:
    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        meta = obj["metadata"] = {}
    return meta


def _is(obj: dict[str, Any], resource: str, namespace: str | None) -> bool:
    if str(obj.get("kind", "")).lower() != singular(resource):
        return False
    return resource in CLUSTER_SCOPED or (_meta(obj).get("namespace") or "default") == namespace


def targets(command: KubectlCommand, state: State, resource: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """The objects a command names (TYPE NAME..., TYPE/NAME..., -l, --all), with their resource."""
    namespace = None if command.all_namespaces else state.namespace(command)
    kinds = (resource or command.resource or "").split(",")
    found: list[tuple[str, dict[str, Any]]] = []
    if command.names:
        for entry in command.names:
            kind, slash, name = entry.partition("/")
            kind, name = (plural(kind), name) if slash else (kinds[0], entry)
            match = next((o for o in state.objects if _is(o, kind, namespace) and _meta(o).get("name") == name), None)
            if match is None:
                raise not_found(kind, name, namespace)
            found.append((kind, match))
        return found
    selector = command.flag("selector")
    if selector is None and command.flag("all") != "true":
        raise Failed("name the objects, or select them with -l or --all", "오브젝트 이름을 쓰거나 -l, --all로 고르세요")
    for kind in kinds:
        found += [(kind, o) for o in state.objects if _is(o, kind, namespace)
                  and (selector is None or selects(selector, _meta(o).get("labels") or {}))]
    if not found:
        raise Failed("error: no objects passed to the command (none matches)", "error: 명령에 해당하는 오브젝트가 없습니다")
    return found


def selects(selector: str, labels: dict[str, str]) -> bool:
    """Whether a kubectl label selector (`a=b,c!=d,e,!f,g in (x,y),h notin (z)`) selects these labels."""
    for term in re.split(r",(?![^()]*\))", selector):
        term = term.strip()
        if m := re.fullmatch(r"(\S+)\s+(in|notin)\s+\(([^)]*)\)", term):
            values = {v.strip() for v in m.group(3).split(",")}
            if (labels.get(m.group(1)) in values) != (m.group(2) == "in") or (m.group(2) == "in" and m.group(1) not in labels):
                return False
        elif m := re.fullmatch(r"(\S+?)\s*(==|!=|=)\s*(\S*)", term):
            if (labels.get(m.group(1)) == m.group(3)) != (m.group(2) != "!="):
                return False
        elif term.startswith("!"):
            if term[1:] in labels:
                return False
        elif term and term not in labels:
            return False
    return True


# --- nodes ------------------------------------------------------------------------------------------------


def cordon(command: KubectlCommand, state: State) -> None:
    for _, node in targets(command, state, "nodes"):
        spec = node.setdefault("spec", {})
        if command.verb == "uncordon":
            spec.pop("unschedulable", None)
        else:
            spec["unschedulable"] = True


def drain(command: KubectlCommand, state: State) -> None:
    """Cordon, then evict the node's pods; stop (after cordoning, as kubectl does) at pods it may not evict."""
    cordon(command, state)
    for _, node in targets(command, state, "nodes"):
        name = _meta(node).get("name")
        pods = [p for p in state.objects if p.get("kind") == "Pod" and (p.get("spec") or {}).get("nodeName") == name
                and "kubernetes.io/config.mirror" not in (_meta(p).get("annotations") or {})]
        if command.flag("pod-selector"):
            pods = [p for p in pods if selects(command.flag("pod-selector"), _meta(p).get("labels") or {})]
        blocked, evict = [], []
        for pod in pods:
            owners = [o for o in _meta(pod).get("ownerReferences") or [] if o.get("controller")]
            shown = f"{_meta(pod).get('namespace') or 'default'}/{_meta(pod).get('name')}"
            if owners and owners[0].get("kind") == "DaemonSet":
                if command.flag("ignore-daemonsets") != "true":
                    blocked.append(f"cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): {shown}")
                continue
            if not owners and command.flag("force") != "true":
                blocked.append(f"cannot delete Pods that declare no controller (use --force to override): {shown}")
            if any("emptyDir" in v for v in (pod.get("spec") or {}).get("volumes") or []) \
                    and command.flag("delete-emptydir-data") != "true":
                blocked.append(f"cannot delete Pods with local storage (use --delete-emptydir-data to override): {shown}")
            evict.append(pod)
        if blocked:
            raise Failed("error: unable to drain node: " + "; ".join(blocked), "error: 노드를 drain할 수 없습니다: " + "; ".join(blocked))
        state.objects[:] = [o for o in state.objects if not any(o is p for p in evict)]


def taint(command: KubectlCommand, state: State) -> None:
    for _, node in targets(command, state, "nodes"):
        taints = node.setdefault("spec", {}).setdefault("taints", [])
        for change in command.assignments:
            remove = change.endswith("-")
            text = change[:-1] if remove else change
            key_value, _, effect = text.partition(":")
            key, _, value = key_value.partition("=")
            if effect and effect not in ("NoSchedule", "PreferNoSchedule", "NoExecute"):
                raise Failed(f'invalid taint effect: {effect}, unsupported taint effect', f"잘못된 taint effect: {effect}")
            if remove:
                kept = [t for t in taints if not (t.get("key") == key and effect in ("", t.get("effect")))]
                if len(kept) == len(taints):
                    raise Failed(f"error: taint {text!r} not found", f"error: taint {text!r}이(가) 없습니다")
                taints[:] = kept
                continue
            if not effect:
                raise Failed(f"error: invalid taint spec: {change}", f"error: 잘못된 taint: {change}")
            same = [t for t in taints if t.get("key") == key and t.get("effect") == effect]
            if same and command.flag("overwrite") != "true":
                raise Failed(f"error: node {_meta(node).get('name')} already has {key} taint(s) with same effect(s) and --overwrite is false",
                             f"error: 노드에 이미 같은 effect의 {key} taint가 있고 --overwrite가 없습니다")
            taints[:] = [t for t in taints if t not in same] + [{"key": key, **({"value": value} if value else {}), "effect": effect}]
        if not taints:
            node["spec"].pop("taints")


# --- metadata, size, images -------------------------------------------------------------------------------


def label(command: KubectlCommand, state: State) -> None:
    field = "labels" if command.verb == "label" else "annotations"
    changes: list[tuple[str, str | None]] = []
    for change in command.assignments:
        if change.endswith("-") and "=" not in change:
            changes.append((change[:-1], None))
            continue
        key, _, value = change.partition("=")
        if command.verb == "label" and ("=" in value or not _LABEL_VALUE.fullmatch(value) or len(value) > 63):
            raise Failed(f'invalid label value: "{change}": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\' (at most 63)',
                         f'잘못된 레이블 값: "{change}": 레이블 값은 비어 있거나 영숫자, \'-\', \'_\', \'.\'로 이루어져야 합니다(최대 63자)')
        if not _LABEL_KEY.fullmatch(key) or len(key.rpartition("/")[2]) > 63:
            raise Failed(f'invalid {field[:-1]} key: "{key}"', f'잘못된 키: "{key}"')
        changes.append((key, value))
    for _, obj in targets(command, state):
        current = _meta(obj).setdefault(field, {})
        for key, value in changes:
            if value is None:
                current.pop(key, None)
            elif key in current and current[key] != value and command.flag("overwrite") != "true" \
                    and key != "kubernetes.io/change-cause":
                raise Failed(f"error: '{key}' already has a value ({current[key]}), and --overwrite is false",
                             f"error: '{key}'에는 이미 값({current[key]})이 있고 --overwrite가 없습니다")
            else:
                current[key] = value


def scale(command: KubectlCommand, state: State) -> None:
    replicas = int(command.flag("replicas") or "0", 0)
    if replicas < 0:
        raise Failed("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
                     "--replicas=개수가 필요하고, 개수는 0 이상이어야 합니다")
    for resource, obj in targets(command, state):
        if resource not in ("deployments", "replicasets", "statefulsets", "replicationcontrollers"):
            raise Failed(f"error: no scaler has been implemented for {obj.get('kind')}", f"error: {obj.get('kind')}은(는) scale할 수 없습니다")
        spec = obj.setdefault("spec", {})
        current = command.flag("current-replicas")
        if current not in (None, "-1") and int(current, 0) != spec.get("replicas", 1):
            raise Failed(f"error: Expected replicas to be {current}, was {spec.get('replicas', 1)}",
                         f"error: 현재 레플리카가 {current}개여야 하는데 {spec.get('replicas', 1)}개입니다")
        spec["replicas"] = replicas


def pod_spec(obj: dict[str, Any]) -> dict[str, Any] | None:
    keys = _POD_SPEC.get(str(obj.get("kind", "")).lower())
    spec: Any = obj
    for key in keys or ():
        spec = spec.get(key) if isinstance(spec, dict) else None
    return spec if keys and isinstance(spec, dict) else None


def set_image(command: KubectlCommand, state: State) -> None:
    pairs = [change.partition("=")[::2] for change in command.assignments]
    for _, obj in targets(command, state):
        spec = pod_spec(obj)
        if spec is None:
            raise Failed(f"error: {obj.get('kind')} has no pod template", f"error: {obj.get('kind')}에는 파드 템플릿이 없습니다")
        for name, image in pairs:
            found = False
            for field in ("initContainers", "containers", "ephemeralContainers"):
                for container in spec.get(field) or []:
                    if name in ("*", container.get("name")):
                        container["image"], found = image, True
            if not found:
                raise Failed(f'error: unable to find container named "{name}"', f'error: 이름이 "{name}"인 컨테이너가 없습니다')


def patch(command: KubectlCommand, state: State) -> None:
    kind = command.flag("type") or "strategic"
    if kind not in ("json", "merge", "strategic"):
        raise Failed(f'error: --type must be one of [json merge strategic], not "{kind}"', f'error: --type은 json, merge, strategic 중 하나여야 합니다 ("{kind}")')
    if command.flag("patch-file"):
        raise Failed("--patch-file reads a file kubedojo cannot see here: give the patch with -p",
                     "--patch-file은 kubedojo가 볼 수 없는 파일을 읽습니다: -p로 패치를 쓰세요")
    body = parse_patch(command.flag("patch") or "")
    found = targets(command, state)
    for resource, obj in found:
        try:
            if kind == "json":
                changed = json_patch(obj, body)
            elif kind == "merge":
                changed = merge_patch(obj, body)
            else:
                changed = strategic_merge_patch(obj, body)
        except PatchError as err:
            raise Failed(f"error: {err}", f"error: {err}") from None
        if not isinstance(changed, dict) or changed.get("kind") != obj.get("kind") \
                or (changed.get("metadata") or {}).get("name") != _meta(obj).get("name"):
            raise Failed("the patch changes which object it is (kind or name)", "패치가 오브젝트의 kind나 이름을 바꿉니다")
        _replace(state, obj, changed)


def parse_patch(text: str) -> Any:
    """A patch as kubectl reads it: JSON, or YAML (which kubectl converts to JSON)."""
    try:
        return json.loads(text)
    except ValueError:
        import yaml

        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as err:
            raise Failed(f"error: unable to parse the patch: {err}", f"error: 패치를 읽을 수 없습니다: {err}") from None


def _replace(state: State, old: dict[str, Any], new: dict[str, Any]) -> None:
    state.objects[:] = [new if o is old else o for o in state.objects]


def delete(command: KubectlCommand, state: State) -> None:
    doomed = [obj for _, obj in targets(command, state)]
    if command.flag("cascade") != "orphan":
        uids = {_meta(o).get("uid") for o in doomed} - {None}
        while uids:
            owned = [o for o in state.objects if any(r.get("uid") in uids for r in _meta(o).get("ownerReferences") or [])
                     and not any(o is d for d in doomed)]
            doomed += owned
            uids = {_meta(o).get("uid") for o in owned} - {None}
    gone = {_meta(o).get("name") for o in doomed if o.get("kind") == "Namespace"}
    state.objects[:] = [o for o in state.objects if not any(o is d for d in doomed)
                        and (_meta(o).get("namespace") not in gone or o.get("kind") == "Config")]


def expose(command: KubectlCommand, state: State) -> None:
    from graders.kubectl_effect_config import expose as run

    run(command, state)


def create(command: KubectlCommand, state: State) -> None:
    from graders.kubectl_generators import create as run

    run(command, state)


def _config(command: KubectlCommand, state: State) -> None:
    from graders.kubectl_effect_config import config

    config(command, state)


def _rollout(command: KubectlCommand, state: State) -> None:
    from graders.kubectl_effect_config import rollout

    rollout(command, state)


VERBS: dict[str, Callable[[KubectlCommand, State], None]] = {
    "cordon": cordon, "uncordon": cordon, "drain": drain, "taint": taint, "label": label, "annotate": label,
    "scale": scale, "set image": set_image, "patch": patch, "delete": delete, "expose": expose, "config": _config,
    "run": create, **{f"create {kind}": create for kind in (
        "namespace service configmap secret deployment job cronjob role clusterrole rolebinding clusterrolebinding "
        "ingress serviceaccount quota priorityclass poddisruptionbudget").split()},
    "rollout undo": _rollout, "rollout restart": _rollout, "rollout pause": _rollout, "rollout resume": _rollout,
}
"""Command path (or verb) -> what it does to the objects; a command not here cannot be graded by effect."""
