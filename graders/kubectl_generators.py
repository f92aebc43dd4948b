"""The objects `kubectl run` and `kubectl create TYPE` make, with kubectl's own defaults (read from kubectl v1.35's source)."""

from __future__ import annotations

import base64
import json
import re
from typing import Any, Callable

from graders.kubectl import KubectlCommand, plural
from graders.kubectl_effect_verbs import Failed, State

Obj = dict[str, Any]

# resource -> API group, as kubectl's REST mapper resolves it for `create role --resource`
_GROUP_OF = {r: g for g, names in {
    "": "pods services configmaps secrets serviceaccounts endpoints events namespaces nodes persistentvolumes "
        "persistentvolumeclaims replicationcontrollers resourcequotas limitranges podtemplates componentstatuses",
    "apps": "deployments replicasets daemonsets statefulsets controllerrevisions",
    "batch": "jobs cronjobs",
    "networking.k8s.io": "ingresses ingressclasses networkpolicies",
    "rbac.authorization.k8s.io": "roles rolebindings clusterroles clusterrolebindings",
    "storage.k8s.io": "storageclasses volumeattachments csidrivers csinodes",
    "autoscaling": "horizontalpodautoscalers", "policy": "poddisruptionbudgets",
    "scheduling.k8s.io": "priorityclasses", "coordination.k8s.io": "leases", "discovery.k8s.io": "endpointslices",
    "apiextensions.k8s.io": "customresourcedefinitions", "certificates.k8s.io": "certificatesigningrequests",
    "node.k8s.io": "runtimeclasses",
}.items() for r in names.split()}
# pkg/cmd/create/create_role.go: validResourceVerbs
_ROLE_VERBS = frozenset("* get delete list create update patch watch proxy deletecollection use bind escalate impersonate".split())
# pkg/cmd/create/create_ingress.go: the --rule syntax host/path=service:port[,tls[=secret]]
_RULE = re.compile(r"^(?P<host>[\w*\-.]*)(?P<path>/.*)=(?P<service>[\w\-]+):(?P<port>[\w\-]+)(?:,tls=?(?P<secret>[\w\-]+)?)?$")


def _meta(name: str, namespace: str | None, **extra: Any) -> Obj:
    meta: Obj = {"name": name}
    if namespace is not None:
        meta["namespace"] = namespace
    meta.update({k: v for k, v in extra.items() if v})
    return meta


def _pairs(text: str, flag: str) -> dict[str, str]:
    """`a=b,c=d` as kubectl's --labels / --hard read it."""
    found: dict[str, str] = {}
    for item in text.split(","):
        key, eq, value = item.partition("=")
        if not eq or not key:
            raise Failed(f"error: invalid --{flag} value {item!r}: expected KEY=VALUE", f"error: 잘못된 --{flag} 값 {item!r}: KEY=VALUE 형식이어야 합니다")
        found[key.strip()] = value.strip()
    return found


def _all(command: KubectlCommand, flag: str) -> list[str]:
    """Every value of a repeatable or comma-separated flag (--verb=get,list --verb=watch)."""
    return [part for value in command.flags.get(flag) or () for part in value.split(",") if part]


def _int(command: KubectlCommand, flag: str, default: int | None = None) -> int | None:
    value = command.flag(flag)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise Failed(f'error: invalid argument "{value}" for "--{flag}" flag', f'error: "--{flag}" 플래그의 값 "{value}"이(가) 잘못되었습니다') from None


def _int_or_string(value: str) -> int | str:
    return int(value) if value.lstrip("-").isdigit() else value


def _needs(command: KubectlCommand, flag: str) -> str:
    value = command.flag(flag)
    if not value:
        raise Failed(f"error: required flag(s) \"{flag}\" not set", f"error: 필수 플래그 \"{flag}\"이(가) 없습니다")
    return value


def _container_name(image: str, taken: set[str]) -> str:
    """create deployment's buildPodSpec: the image's last path part without tag or digest, `_` as `-`, made unique."""
    name = image.rsplit("/", 1)[-1].split("@")[0].split(":")[0].replace("_", "-")
    unique, n = name, 1
    while unique in taken:
        unique, n = f"{name}-{n}", n + 1
    taken.add(unique)
    return unique


def _selector(text: str) -> Obj:
    """metav1.ParseToLabelSelector: `a=b,c!=d,e in (f,g),!h`."""
    labels: dict[str, str] = {}
    expressions: list[Obj] = []
    for part in re.split(r",(?![^()]*\))", text):
        part = part.strip()
        if m := re.fullmatch(r"(\S+?)\s+(in|notin)\s+\((.*)\)", part):
            values = sorted(v.strip() for v in m.group(3).split(",") if v.strip())
            expressions.append({"key": m.group(1), "operator": "In" if m.group(2) == "in" else "NotIn", "values": values})
        elif part.startswith("!"):
            expressions.append({"key": part[1:], "operator": "DoesNotExist"})
        elif "!=" in part:
            key, _, value = part.partition("!=")
            expressions.append({"key": key, "operator": "NotIn", "values": [value]})
        elif "=" in part:
            key, _, value = part.replace("==", "=").partition("=")
            labels[key] = value
        elif part:
            expressions.append({"key": part, "operator": "Exists"})
    selector: Obj = {}
    if labels:
        selector["matchLabels"] = labels
    if expressions:
        selector["matchExpressions"] = expressions
    return selector


# --- run ------------------------------------------------------------------------------------------------------


def run(command: KubectlCommand, namespace: str) -> list[Obj]:
    """pkg/generate/versioned/run.go BasicPod: labels run=NAME unless --labels, the container named after the pod."""
    name = command.names[0]
    image = _needs(command, "image")
    labels = _pairs(command.flag("labels"), "labels") if command.flag("labels") else {"run": name}
    annotations = dict(a.partition("=")[::2] for a in command.flags.get("annotations") or ())
    container: Obj = {"name": name, "image": image}
    if command.command:
        container["command" if command.flag("command") == "true" else "args"] = list(command.command)
    env = [dict(zip(("name", "value"), e.partition("=")[::2])) for e in command.flags.get("env") or ()]
    if env:
        container["env"] = env
    port = _int(command, "port")
    if port is not None and port > 0:
        container["ports"] = [{"containerPort": port}]
    if command.flag("image-pull-policy"):
        container["imagePullPolicy"] = command.flag("image-pull-policy")
    if command.flag("stdin") == "true":
        container["stdin"] = True
        container["stdinOnce"] = True
    if command.flag("tty") == "true":
        container["tty"] = True
    if command.flag("privileged") == "true":
        container["securityContext"] = {"privileged": True}
    restart = command.flag("restart") or "Always"
    if restart not in ("Always", "OnFailure", "Never"):
        raise Failed(f"error: invalid restart policy: {restart}", f"error: 잘못된 restart 정책: {restart}")
    pod: Obj = {"apiVersion": "v1", "kind": "Pod", "metadata": _meta(name, namespace, labels=labels, annotations=annotations),
                "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart}}
    objects = [_overridden(pod, command.flag("overrides"))]
    if command.flag("expose") == "true":
        if port is None or port <= 0:
            raise Failed("error: --port must be set when exposing a service", "error: 서비스로 노출하려면 --port가 필요합니다")
        objects.insert(0, {"apiVersion": "v1", "kind": "Service", "metadata": _meta(name, namespace),
                           "spec": {"ports": [{"port": port, "protocol": "TCP", "targetPort": port}], "selector": labels}})
    return objects


def _overridden(obj: Obj, overrides: str | None) -> Obj:
    """--overrides: a JSON merge of the generated object, as kubectl run does it."""
    if not overrides:
        return obj
    from graders.kubectl_patch import PatchError, strategic_merge_patch

    try:
        patch = json.loads(overrides)
        return strategic_merge_patch(obj, patch)
    except (ValueError, PatchError) as err:
        raise Failed(f"error: invalid --overrides: {err}", f"error: 잘못된 --overrides: {err}") from None


# --- create TYPE ----------------------------------------------------------------------------------------------


def deployment(command: KubectlCommand, namespace: str) -> list[Obj]:
    """create_deployment.go: labels app=NAME everywhere, one container per --image named after the image."""
    name, images = command.names[0], list(command.flags.get("image") or ())
    if not images:
        raise Failed('error: required flag(s) "image" not set', 'error: 필수 플래그 "image"이(가) 없습니다')
    taken: set[str] = set()
    containers: list[Obj] = []
    for image in images:
        container: Obj = {"name": _container_name(image, taken), "image": image}
        if command.command:
            container["command"] = list(command.command)
        containers.append(container)
    port = _int(command, "port", -1)
    if port is not None and port >= 0:
        containers[0]["ports"] = [{"containerPort": port}]
    labels = {"app": name}
    return [{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": _meta(name, namespace, labels=labels),
             "spec": {"replicas": _int(command, "replicas", 1), "selector": {"matchLabels": dict(labels)},
                      "template": {"metadata": {"labels": dict(labels)}, "spec": {"containers": containers}}}}]


def _pod_template(command: KubectlCommand, name: str, restart: str) -> Obj:
    container: Obj = {"name": name, "image": _needs(command, "image")}
    if command.command:
        container["command"] = list(command.command)
    return {"spec": {"containers": [container], "restartPolicy": restart}}


def job(command: KubectlCommand, namespace: str, state: State | None = None) -> list[Obj]:
    """create_job.go: the container named after the job, restartPolicy Never; --from=cronjob/NAME copies its template."""
    name = command.names[0]
    source = command.flag("from")
    if source:
        kind, _, cron_name = source.partition("/")
        cron = next((o for o in (state.objects if state else []) if o.get("kind") == "CronJob"
                     and (o.get("metadata") or {}).get("name") == cron_name
                     and ((o.get("metadata") or {}).get("namespace") or "default") == namespace), None)
        if plural(kind) != "cronjobs" or cron is None:
            raise Failed(f'Error from server (NotFound): cronjobs.batch "{cron_name}" not found',
                         f'Error from server (NotFound): cronjobs.batch "{cron_name}"이(가) 없습니다')
        template = (cron.get("spec") or {}).get("jobTemplate") or {}
        meta = _meta(name, namespace, labels=(template.get("metadata") or {}).get("labels"),
                     annotations={"cronjob.kubernetes.io/instantiate": "manual"})
        return [{"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": json.loads(json.dumps(template.get("spec") or {}))}]
    return [{"apiVersion": "batch/v1", "kind": "Job", "metadata": _meta(name, namespace),
             "spec": {"template": _pod_template(command, name, "Never")}}]


def cronjob(command: KubectlCommand, namespace: str) -> list[Obj]:
    """create_cronjob.go: --schedule, restartPolicy --restart (OnFailure), the container named after the cronjob."""
    name = command.names[0]
    restart = command.flag("restart") or "OnFailure"
    if restart not in ("OnFailure", "Never"):
        raise Failed(f"error: invalid restart policy: {restart}", f"error: 잘못된 restart 정책: {restart}")
    return [{"apiVersion": "batch/v1", "kind": "CronJob", "metadata": _meta(name, namespace),
             "spec": {"schedule": _needs(command, "schedule"),
                      "jobTemplate": {"metadata": {"name": name}, "spec": {"template": _pod_template(command, name, restart)}}}}]


def service(command: KubectlCommand, namespace: str) -> list[Obj]:
    """create_service.go: ports NAME `PORT-TARGET`, selector and labels app=NAME (none for ExternalName's selector)."""
    name = command.names[0]
    ports = []
    for item in _all(command, "tcp"):
        port, _, target = item.partition(":")
        if not port.isdigit():
            raise Failed(f"error: invalid port {item!r}", f"error: 잘못된 포트 {item!r}")
        ports.append({"name": f"{port}-{target or port}", "port": int(port), "protocol": "TCP",
                      "targetPort": int(target) if target.isdigit() else (target or int(port))})
    kind = {"clusterip": "ClusterIP", "nodeport": "NodePort", "loadbalancer": "LoadBalancer",
            "externalname": "ExternalName"}.get(command.variant or "clusterip")
    if kind is None:
        raise Failed(f"error: unknown service type {command.variant}", f"error: 알 수 없는 서비스 타입 {command.variant}")
    spec: Obj = {"type": kind, "ports": ports}
    if kind == "ExternalName":
        spec = {"type": kind, "externalName": _needs(command, "external-name")}
    else:
        spec["selector"] = {"app": name}
        if command.flag("clusterip"):
            spec["clusterIP"] = command.flag("clusterip")
        node_port = _int(command, "node-port", 0)
        if kind == "NodePort" and node_port and ports:
            ports[0]["nodePort"] = node_port
    return [{"apiVersion": "v1", "kind": "Service", "metadata": _meta(name, namespace, labels={"app": name}), "spec": spec}]


def _literals(command: KubectlCommand) -> dict[str, str]:
    for flag in ("from-file", "from-env-file"):
        if command.has_flag(flag):
            raise Failed(f"--{flag} reads files kubedojo cannot see here: use --from-literal or write the manifest",
                         f"--{flag}은(는) kubedojo가 볼 수 없는 파일을 읽습니다: --from-literal을 쓰거나 매니페스트를 작성하세요")
    data: dict[str, str] = {}
    for item in command.flags.get("from-literal") or ():
        key, eq, value = item.partition("=")
        if not eq or not key:
            raise Failed(f"error: invalid literal source {item}, expected key=value", f"error: 잘못된 literal 값 {item}: key=value 형식이어야 합니다")
        if key in data:
            raise Failed(f'error: cannot add key "{key}", another key by that name already exists',
                         f'error: 같은 이름의 키 "{key}"이(가) 이미 있어 추가할 수 없습니다')
        data[key] = value
    return data


def configmap(command: KubectlCommand, namespace: str) -> list[Obj]:
    data = _literals(command)
    return [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta(command.names[0], namespace), **({"data": data} if data else {})}]


def secret(command: KubectlCommand, namespace: str) -> list[Obj]:
    """create secret generic: --from-literal values base64-encoded under data, --type as given."""
    if command.variant != "generic":
        raise Failed(f"kubedojo cannot tell offline what `kubectl create secret {command.variant}` makes (it reads files)",
                     f"`kubectl create secret {command.variant}`은(는) 파일을 읽으므로 kubedojo가 오프라인으로 알 수 없습니다")
    data = {k: base64.b64encode(v.encode()).decode() for k, v in _literals(command).items()}
    obj: Obj = {"apiVersion": "v1", "kind": "Secret", "metadata": _meta(command.names[0], namespace)}
    if data:
        obj["data"] = data
    if command.flag("type"):
        obj["type"] = command.flag("type")
    return [obj]


def _rules(command: KubectlCommand) -> list[Obj]:
    """create_role.go: one rule per API group of the --resource list, each with every --verb and --resource-name."""
    verbs = _all(command, "verb")
    if not verbs:
        raise Failed("error: at least one verb must be specified", "error: verb를 하나 이상 지정해야 합니다")
    bad = [v for v in verbs if v not in _ROLE_VERBS]
    if bad and command.verb == "create" and command.subverb == "role":
        raise Failed(f"error: invalid verb: '{bad[0]}'", f"error: 잘못된 verb: '{bad[0]}'")
    by_group: dict[str, list[str]] = {}
    for item in _all(command, "resource"):
        resource, _, sub = item.partition("/")
        name, _, group = resource.partition(".")
        canonical = plural(name)
        group = group or _GROUP_OF.get(canonical, "\0")
        if group == "\0" or (group and canonical not in _GROUP_OF and "." not in group):
            raise Failed(f'error: the server doesn\'t have a resource type "{name}"', f'error: 서버에 "{name}" 리소스 타입이 없습니다')
        by_group.setdefault(group, []).append(canonical + (f"/{sub}" if sub else ""))
    names = _all(command, "resource-name")
    rules = []
    for group in sorted(by_group):
        rule: Obj = {"apiGroups": [group], "resources": by_group[group], "verbs": verbs}
        if names:
            rule["resourceNames"] = names
        rules.append(rule)
    urls = _all(command, "non-resource-url")
    if urls:
        rules.append({"nonResourceURLs": urls, "verbs": verbs})
    if not rules:
        raise Failed("error: at least one resource must be specified", "error: resource를 하나 이상 지정해야 합니다")
    return rules


def role(command: KubectlCommand, namespace: str) -> list[Obj]:
    return [{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": _meta(command.names[0], namespace), "rules": _rules(command)}]


def clusterrole(command: KubectlCommand, namespace: str) -> list[Obj]:
    obj: Obj = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": _meta(command.names[0], None)}
    if command.flag("aggregation-rule"):
        obj["aggregationRule"] = {"clusterRoleSelectors": [{"matchLabels": _pairs(command.flag("aggregation-rule") or "", "aggregation-rule")}]}
    else:
        obj["rules"] = _rules(command)
    return [obj]


def _subjects(command: KubectlCommand) -> list[Obj]:
    """create_rolebinding.go: users, then groups, then service accounts (NAMESPACE:NAME)."""
    found: list[Obj] = [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": u} for u in command.flags.get("user") or ()]
    found += [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": g} for g in command.flags.get("group") or ()]
    for account in command.flags.get("serviceaccount") or ():
        ns, colon, name = account.partition(":")
        if not colon or not ns or not name:
            raise Failed(f"error: serviceaccount must be <namespace>:<name>", "error: serviceaccount는 <네임스페이스>:<이름> 형식이어야 합니다")
        found.append({"kind": "ServiceAccount", "name": name, "namespace": ns})
    return found


def rolebinding(command: KubectlCommand, namespace: str) -> list[Obj]:
    role_name, cluster_role = command.flag("role"), command.flag("clusterrole")
    if bool(role_name) == bool(cluster_role):
        raise Failed("error: exactly one of clusterrole or role must be specified", "error: clusterrole과 role 중 하나만 지정해야 합니다")
    ref = {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role" if role_name else "ClusterRole", "name": role_name or cluster_role}
    obj: Obj = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": _meta(command.names[0], namespace), "roleRef": ref}
    if subjects := _subjects(command):
        obj["subjects"] = subjects
    return [obj]


def clusterrolebinding(command: KubectlCommand, namespace: str) -> list[Obj]:
    ref = {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": _needs(command, "clusterrole")}
    obj: Obj = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": _meta(command.names[0], None), "roleRef": ref}
    if subjects := _subjects(command):
        obj["subjects"] = subjects
    return [obj]


def ingress(command: KubectlCommand, namespace: str) -> list[Obj]:
    """create_ingress.go: rules grouped by host, path type Prefix for `path*` else Exact, tls per rule with `,tls`."""
    rules: dict[str, list[Obj]] = {}
    tls: list[Obj] = []
    for text in command.flags.get("rule") or ():
        m = _RULE.match(text)
        if m is None:
            raise Failed(f"error: rule {text} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]",
                         f"error: rule {text}이(가) 잘못되었습니다. host/path=svcname:svcport[,tls[=secret]] 형식이어야 합니다")
        path = m["path"]
        kind = "Prefix" if path.endswith("*") else "Exact"
        port = m["port"]
        backend = {"service": {"name": m["service"], "port": {"number": int(port)} if port.isdigit() else {"name": port}}}
        rules.setdefault(m["host"], []).append({"path": path.rstrip("*") or "/", "pathType": kind, "backend": backend})
        if ",tls" in text:
            entry: Obj = {"hosts": [m["host"]]} if m["host"] else {}
            if m["secret"]:
                entry["secretName"] = m["secret"]
            tls.append(entry)
    spec: Obj = {}
    if command.flag("class"):
        spec["ingressClassName"] = command.flag("class")
    if command.flag("default-backend"):
        svc, _, port = (command.flag("default-backend") or "").partition(":")
        spec["defaultBackend"] = {"service": {"name": svc, "port": {"number": int(port)} if port.isdigit() else {"name": port}}}
    if rules:
        spec["rules"] = [{**({"host": h} if h else {}), "http": {"paths": paths}} for h, paths in rules.items()]
    if tls:
        spec["tls"] = tls
    annotations = dict(a.partition("=")[::2] for a in command.flags.get("annotation") or ())
    return [{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": _meta(command.names[0], namespace, annotations=annotations), "spec": spec}]


def serviceaccount(command: KubectlCommand, namespace: str) -> list[Obj]:
    return [{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta(command.names[0], namespace)}]


def namespace_(command: KubectlCommand, namespace: str) -> list[Obj]:
    return [{"apiVersion": "v1", "kind": "Namespace", "metadata": _meta(command.names[0], None)}]


def quota(command: KubectlCommand, namespace: str) -> list[Obj]:
    spec: Obj = {}
    if command.flag("hard"):
        spec["hard"] = _pairs(command.flag("hard") or "", "hard")
    if scopes := _all(command, "scopes"):
        spec["scopes"] = scopes
    return [{"apiVersion": "v1", "kind": "ResourceQuota", "metadata": _meta(command.names[0], namespace), "spec": spec}]


def priorityclass(command: KubectlCommand, namespace: str) -> list[Obj]:
    obj: Obj = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": _meta(command.names[0], None),
                "value": _int(command, "value", 0), "globalDefault": command.flag("global-default") == "true",
                "preemptionPolicy": command.flag("preemption-policy") or "PreemptLowerPriority"}
    if command.flag("description"):
        obj["description"] = command.flag("description")
    return [obj]


def poddisruptionbudget(command: KubectlCommand, namespace: str) -> list[Obj]:
    minimum, maximum = command.flag("min-available"), command.flag("max-unavailable")
    if bool(minimum) == bool(maximum):
        raise Failed("error: one of min-available or max-unavailable must be specified",
                     "error: min-available과 max-unavailable 중 하나를 지정해야 합니다")
    spec: Obj = {"selector": _selector(_needs(command, "selector"))}
    spec["minAvailable" if minimum else "maxUnavailable"] = _int_or_string(minimum or maximum or "")
    return [{"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": _meta(command.names[0], namespace), "spec": spec}]


GENERATORS: dict[str, Callable[..., list[Obj]]] = {
    "run": run, "create deployment": deployment, "create job": job, "create cronjob": cronjob,
    "create service": service, "create configmap": configmap, "create secret": secret, "create role": role,
    "create clusterrole": clusterrole, "create rolebinding": rolebinding, "create clusterrolebinding": clusterrolebinding,
    "create ingress": ingress, "create serviceaccount": serviceaccount, "create namespace": namespace_,
    "create quota": quota, "create priorityclass": priorityclass, "create poddisruptionbudget": poddisruptionbudget,
}
"""Command path -> the objects it makes (in kubectl's order) for a name and the namespace it runs in."""


def generated(command: KubectlCommand, state: State) -> list[Obj]:
    """The objects the command would create, without touching the state; Failed when kubectl would refuse it."""
    path = command.verb if command.verb == "run" else f"{command.verb} {command.subverb}"
    make = GENERATORS.get(path)
    if make is None:
        raise Failed(f"kubedojo cannot tell offline what `kubectl {path}` makes", f"`kubectl {path}`이(가) 무엇을 만드는지 kubedojo가 오프라인으로 알 수 없습니다")
    if not command.names:
        raise Failed(f"error: NAME is required for {path}", f"error: {path}에는 NAME이 필요합니다")
    if len(command.names) > 1:
        raise Failed(f"error: exactly one NAME is required, got {len(command.names)}", f"error: NAME은 하나만 줄 수 있는데 {len(command.names)}개입니다")
    namespace = state.namespace(command)
    return make(command, namespace, state) if make is job else make(command, namespace)


def create(command: KubectlCommand, state: State) -> None:
    """Add what `kubectl run` / `kubectl create TYPE` makes to the state; Failed when one of them already exists."""
    for obj in generated(command, state):
        meta, kind = obj["metadata"], obj["kind"]
        for other in state.objects:
            theirs = other.get("metadata") if isinstance(other.get("metadata"), dict) else {}
            if other.get("kind") == kind and theirs.get("name") == meta["name"] \
                    and (theirs.get("namespace") or "default") == (meta.get("namespace") or "default"):
                resource = plural(kind.lower())
                text = f'Error from server (AlreadyExists): {resource} "{meta["name"]}" already exists'
                raise Failed(text, text)
        state.objects.append(obj)
