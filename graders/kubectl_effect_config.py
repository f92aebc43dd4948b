"""What `kubectl config`, `kubectl expose` and `kubectl rollout` do to plain objects and the kubeconfig."""

from __future__ import annotations

import copy
from typing import Any

from graders.kubectl import KubectlCommand
from graders.kubectl_effect_verbs import Failed, State, _meta, pod_spec, targets

_PROTOCOLS = ("TCP", "UDP", "SCTP")
_TYPES = ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")
_REVISION = "deployment.kubernetes.io/revision"


# --- kubeconfig -----------------------------------------------------------------------------------------


def config(command: KubectlCommand, state: State) -> None:
    if command.flag("kubeconfig") or any(e.startswith("KUBECONFIG=") for e in command.env):
        return  # it edits another kubeconfig file, not the one in use
    conf = state.config
    sub, words = command.subverb, list(command.names)
    contexts = conf.setdefault("contexts", [])
    if sub == "use-context":
        if state.context(words[0]) is None:
            raise Failed(f'error: no context exists with the name: "{words[0]}"', f'error: 이름이 "{words[0]}"인 컨텍스트가 없습니다')
        conf["current-context"] = words[0]
    elif sub == "set-context":
        if command.flag("current") == "true":
            if words:
                raise Failed("error: you cannot specify both a context name and --current", "error: 컨텍스트 이름과 --current를 함께 쓸 수 없습니다")
            if not conf.get("current-context"):
                raise Failed("error: no current context is set", "error: 현재 컨텍스트가 없습니다")
            words = [conf["current-context"]]
        if not words:
            raise Failed("error: you must specify a non-empty context name or --current", "error: 컨텍스트 이름이나 --current가 필요합니다")
        entry = state.context(words[0])
        if entry is None:
            entry = {"name": words[0], "context": {}}
            contexts.append(entry)
        body = entry.setdefault("context", {})
        for field in ("cluster", "user", "namespace"):
            if command.has_flag(field):
                body[field] = command.flag(field)
    elif sub in ("set", "unset"):
        _set_property(conf, words, sub == "unset")
    elif sub == "delete-context":
        if state.context(words[0]) is None:
            raise Failed(f"error: cannot delete context {words[0]}, not in kubeconfig", f"error: kubeconfig에 컨텍스트 {words[0]}이(가) 없습니다")
        conf["contexts"] = [c for c in contexts if c.get("name") != words[0]]
    elif sub == "rename-context":
        entry = state.context(words[0])
        if entry is None:
            raise Failed(f'error: cannot rename the context "{words[0]}", it\'s not in kubeconfig', f'error: kubeconfig에 컨텍스트 "{words[0]}"이(가) 없습니다')
        if state.context(words[1]) is not None:
            raise Failed(f'error: cannot rename the context "{words[0]}", the context "{words[1]}" already exists', f'error: 컨텍스트 "{words[1]}"이(가) 이미 있습니다')
        entry["name"] = words[1]
        if conf.get("current-context") == words[0]:
            conf["current-context"] = words[1]
    else:
        raise Failed(f"kubedojo cannot tell offline what `kubectl config {sub}` does", f"`kubectl config {sub}`의 결과를 kubedojo가 오프라인으로 알 수 없습니다")


def _set_property(conf: dict[str, Any], words: list[str], unset: bool) -> None:
    """`config set current-context X`, `config set contexts.NAME.namespace X` (and unset): dotted paths where the
    second word of contexts/clusters/users is an entry's name."""
    parts = words[0].split(".") if words else []
    if parts[:1] == ["current-context"] and len(parts) == 1:
        if unset:
            conf.pop("current-context", None)
        else:
            conf["current-context"] = words[1]
        return
    if len(parts) < 3 or parts[0] not in ("contexts", "clusters", "users"):
        raise Failed(f"kubedojo cannot tell offline what setting {words[0] if words else ''} does",
                     f"{words[0] if words else ''} 설정의 결과를 kubedojo가 오프라인으로 알 수 없습니다")
    body_key = {"contexts": "context", "clusters": "cluster", "users": "user"}[parts[0]]
    entries = conf.setdefault(parts[0], [])
    entry = next((e for e in entries if e.get("name") == parts[1]), None)
    if entry is None:
        if unset:
            raise Failed(f"error: current map key `{parts[1]}` is invalid", f"error: `{parts[1]}`이(가) 없습니다")
        entry = {"name": parts[1], body_key: {}}
        entries.append(entry)
    holder = entry.setdefault(body_key, {})
    for part in parts[2:-1]:
        holder = holder.setdefault(part, {})
    if unset:
        holder.pop(parts[-1], None)
    else:
        holder[parts[-1]] = words[1]


# --- expose ----------------------------------------------------------------------------------------------


def expose(command: KubectlCommand, state: State) -> None:
    """The Service `kubectl expose` generates from a pod, service, deployment, replica set or controller."""
    found = targets(command, state)
    if len(found) != 1:
        raise Failed("error: expose takes exactly one object", "error: expose는 오브젝트 하나만 받습니다")
    resource, source = found[0]
    kind = str(source.get("kind"))
    if kind not in ("Pod", "Service", "Deployment", "ReplicaSet", "ReplicationController"):
        raise Failed(f"error: cannot expose a {kind}", f"error: {kind}은(는) expose할 수 없습니다")
    meta = _meta(source)
    name = command.flag("name") or str(meta.get("name"))[:63]
    namespace = meta.get("namespace") or "default"
    if any(o.get("kind") == "Service" and _meta(o).get("name") == name and (_meta(o).get("namespace") or "default") == namespace
           for o in state.objects):
        text = f'Error from server (AlreadyExists): services "{name}" already exists'
        raise Failed(text, text)
    selector = _selector(command, source)
    ports = _ports(command, source)
    spec: dict[str, Any] = {"selector": selector, "ports": ports}
    service_type = command.flag("type")
    if service_type:
        if service_type not in _TYPES:
            raise Failed(f'The Service "{name}" is invalid: spec.type: Unsupported value: "{service_type}"',
                         f'Service "{name}"이(가) 올바르지 않습니다: spec.type: 지원하지 않는 값 "{service_type}"')
        spec["type"] = service_type
    for flag, field in (("cluster-ip", "clusterIP"), ("load-balancer-ip", "loadBalancerIP"), ("session-affinity", "sessionAffinity")):
        if command.flag(flag):
            spec[field] = command.flag(flag)
    if command.flag("external-ip"):
        spec["externalIPs"] = command.flag("external-ip").split(",")  # type: ignore[union-attr]
    labels = _labels(command.flag("labels")) if command.flag("labels") else dict(meta.get("labels") or {})
    service = {"apiVersion": "v1", "kind": "Service",
               "metadata": {"name": name, "namespace": namespace, **({"labels": labels} if labels else {})}, "spec": spec}
    state.objects.append(service)


def _labels(text: str) -> dict[str, str]:
    pairs = [item.partition("=") for item in text.split(",") if item]
    return {k: v for k, _, v in pairs}


def _selector(command: KubectlCommand, source: dict[str, Any]) -> dict[str, str]:
    if command.flag("selector"):
        return _labels(command.flag("selector"))  # type: ignore[arg-type]
    kind, spec = source.get("kind"), source.get("spec") or {}
    if kind == "Pod":
        found = _meta(source).get("labels") or {}
    elif kind in ("Service", "ReplicationController"):
        found = spec.get("selector") or {}
    else:
        selector = spec.get("selector") or {}
        if selector.get("matchExpressions"):
            raise Failed("error: couldn't retrieve selectors via --selector flag or introspection: the selector has matchExpressions",
                         "error: --selector도 없고 셀렉터를 알아낼 수도 없습니다: 셀렉터에 matchExpressions가 있습니다")
        found = selector.get("matchLabels") or {}
    if not found:
        raise Failed("error: couldn't retrieve selectors via --selector flag or introspection", "error: 셀렉터를 알아낼 수 없습니다")
    return dict(found)


def _ports(command: KubectlCommand, source: dict[str, Any]) -> list[dict[str, Any]]:
    protocol = command.flag("protocol")
    if protocol and protocol not in _PROTOCOLS:
        raise Failed(f'spec.ports[0].protocol: Unsupported value: "{protocol}"', f'spec.ports[0].protocol: 지원하지 않는 값 "{protocol}"')
    if command.flag("port"):
        numbers = [(p, None) for p in command.flag("port").split(",")]  # type: ignore[union-attr]
    else:
        numbers = _introspected_ports(source)
    if not numbers:
        raise Failed("error: couldn't find port via --port flag or introspection", "error: --port도 없고 포트를 알아낼 수도 없습니다")
    target = command.flag("target-port")
    ports = []
    for index, (number, found_protocol) in enumerate(numbers):
        try:
            port = int(number)
        except ValueError:
            raise Failed(f'error: invalid port "{number}"', f'error: 잘못된 포트 "{number}"') from None
        entry: dict[str, Any] = {"port": port, "protocol": protocol or found_protocol or "TCP"}
        if len(numbers) > 1:
            entry["name"] = f"port-{index + 1}"
        entry["targetPort"] = (int(target) if target.isdigit() else target) if target else port
        ports.append(entry)
    return ports


def _introspected_ports(source: dict[str, Any]) -> list[tuple[str, str | None]]:
    if source.get("kind") == "Service":
        return [(str(p.get("port")), p.get("protocol")) for p in (source.get("spec") or {}).get("ports") or []]
    spec = pod_spec(source) or {}
    return [(str(p.get("containerPort")), p.get("protocol")) for c in spec.get("containers") or []
            for p in c.get("ports") or [] if p.get("containerPort") is not None]


# --- rollout --------------------------------------------------------------------------------------------


def rollout(command: KubectlCommand, state: State) -> None:
    for resource, obj in targets(command, state):
        spec = obj.setdefault("spec", {})
        if command.subverb == "pause":
            spec["paused"] = True
        elif command.subverb == "resume":
            spec.pop("paused", None)
        elif command.subverb == "restart":
            template = spec.setdefault("template", {}).setdefault("metadata", {})
            template.setdefault("annotations", {})["kubectl.kubernetes.io/restartedAt"] = "(the time of the restart)"
        elif resource != "deployments":
            raise Failed(f"kubedojo cannot tell offline how `rollout undo` rolls back a {obj.get('kind')}",
                         f"{obj.get('kind')}의 `rollout undo` 결과를 kubedojo가 오프라인으로 알 수 없습니다")
        else:
            _undo(command, state, obj)


def _undo(command: KubectlCommand, state: State, deployment: dict[str, Any]) -> None:
    """Copy the pod template of a revision (a ReplicaSet the deployment owns) back into the deployment."""
    name, namespace = _meta(deployment).get("name"), _meta(deployment).get("namespace") or "default"
    history = {}
    for rs in state.objects:
        owners = _meta(rs).get("ownerReferences") or []
        if rs.get("kind") == "ReplicaSet" and (_meta(rs).get("namespace") or "default") == namespace \
                and any(o.get("kind") == "Deployment" and o.get("name") == name for o in owners):
            revision = (_meta(rs).get("annotations") or {}).get(_REVISION)
            if revision and revision.isdigit():
                history[int(revision)] = rs
    if not history:
        raise Failed("error: no rollout history found for deployment " + str(name), f"error: 디플로이먼트 {name}의 롤아웃 기록이 없습니다")
    wanted = int(command.flag("to-revision") or "0")
    current = max(history)
    if wanted == 0:
        earlier = [r for r in history if r < current]
        if not earlier:
            raise Failed("error: no rollout history found for deployment " + str(name), f"error: 디플로이먼트 {name}의 이전 리비전이 없습니다")
        wanted = max(earlier)
    if wanted not in history:
        raise Failed(f"error: unable to find specified revision {wanted} in history", f"error: 기록에 리비전 {wanted}이(가) 없습니다")
    template = copy.deepcopy((history[wanted].get("spec") or {}).get("template") or {})
    labels = (template.get("metadata") or {}).get("labels") or {}
    labels.pop("pod-template-hash", None)
    deployment.setdefault("spec", {})["template"] = template  # the controller then renumbers the revisions
