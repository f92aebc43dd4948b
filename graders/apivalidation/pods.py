"""ValidatePodSpec: containers, init containers, probes, ports, env, resources (volumes and scheduling beside it)."""


from __future__ import annotations


import re


from typing import Any


from graders.apivalidation import fields as f


from graders.apivalidation.fields import Errors, Path, get, integer, items, mapping, text


from graders.apivalidation import scheduling, volumes as pod_volumes
from graders.apivalidation.resources import container_resources


PROTOCOLS = ["SCTP", "TCP", "UDP"]


ENV_FIELD_PATHS = ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
                   "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"]


FIELD_LABELS = {"metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
                "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName", "status.phase",
                "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs", "spec.host"}


MAX_INT32 = 2**31 - 1


NO_HANDLER = ("must specify a handler type", "exec, httpGet, tcpSocket, grpc 중 하나를 지정해야 합니다")


INIT_ONLY_ALWAYS = ("may not be set for init containers without restartPolicy=Always",
                    "restartPolicy=Always가 아닌 init 컨테이너에는 쓸 수 없습니다")


def validate_pod_spec(errors: Errors, spec: dict[str, Any], path: Path, extra_volumes: tuple[str, ...] = ()) -> None:
    volumes = pod_volumes.volumes(errors, spec.get("volumes"), path + ("volumes",)) | set(extra_volumes)
    containers = spec.get("containers")
    if isinstance(containers, list) and not containers:
        errors.required(path + ("containers",))
    grace = integer(spec.get("terminationGracePeriodSeconds"))
    grace = 30 if grace is None else grace
    names: set[str] = set()
    for i, container in items(containers):
        here = path + ("containers", i)
        _container(errors, container, here, volumes)
        name = text(container.get("name"))
        if name in names:
            errors.duplicate(here + ("name",), name)
        names.add(name)
        _lifecycle(errors, container, here, grace)
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            _probe(errors, container.get(probe), here + (probe,), probe)
        _container_restart_policy(errors, container, here)
    _host_ports(errors, list(items(containers)), path + ("containers",))
    for i, container in items(spec.get("initContainers")):
        here = path + ("initContainers", i)
        _container(errors, container, here, volumes)
        _container_restart_policy(errors, container, here)
        name = text(container.get("name"))
        if name in names:
            errors.duplicate(here + ("name",), name)
        elif name:
            names.add(name)
        _host_ports(errors, [(i, container)], path + ("initContainers",))
        if container.get("restartPolicy") == "Always":
            _lifecycle(errors, container, here, grace)
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                _probe(errors, container.get(probe), here + (probe,), probe)
        else:
            for field in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if container.get(field) is not None:
                    errors.forbidden(here + (field,), *INIT_ONLY_ALWAYS)
    f.enum(errors, spec, path, "restartPolicy", ["Always", "OnFailure", "Never"])
    f.enum(errors, spec, path, "dnsPolicy", ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"])
    f.validate_labels(errors, spec.get("nodeSelector"), path + ("nodeSelector",))
    _sysctls(errors, mapping(spec.get("securityContext")).get("sysctls"), path + ("securityContext", "sysctls"))
    _pod_security_context(errors, mapping(spec.get("securityContext")), path + ("securityContext",))
    scheduling.affinity(errors, mapping(spec.get("affinity")), path + ("affinity",))
    for field in ("serviceAccountName", "nodeName", "priorityClassName"):
        if text(spec.get(field)):
            f.check_name(errors, path + (field,), spec[field], f.dns_subdomain(spec[field]))
    for field in ("hostname", "subdomain"):
        if text(spec.get(field)):
            f.check_name(errors, path + (field,), spec[field], f.dns_label(spec[field]))
    deadline = integer(spec.get("activeDeadlineSeconds"))
    if deadline is not None and not 1 <= deadline <= MAX_INT32:
        errors.invalid(path + ("activeDeadlineSeconds",), deadline, f"must be between 1 and {MAX_INT32}, inclusive",
                       f"1부터 {MAX_INT32} 사이여야 합니다")
    scheduling.tolerations(errors, spec.get("tolerations"), path + ("tolerations",))
    scheduling.topology_spread(errors, spec.get("topologySpreadConstraints"), path + ("topologySpreadConstraints",))


def _container(errors: Errors, c: dict[str, Any], path: Path, volumes: set[str]) -> None:
    """validateContainerCommon."""
    name = c.get("name")
    if name == "":
        errors.required(path + ("name",))
    elif isinstance(name, str):
        f.check_name(errors, path + ("name",), name, f.dns_label(name))
    if not text(c.get("image")):
        errors.required(path + ("image",))
    f.enum(errors, c, path, "terminationMessagePolicy", ["File", "FallbackToLogsOnError"])
    _container_ports(errors, c.get("ports"), path + ("ports",))
    _env(errors, c.get("env"), path + ("env",))
    _env_from(errors, c.get("envFrom"), path + ("envFrom",))
    pod_volumes.mounts(errors, c.get("volumeMounts"), path + ("volumeMounts",), volumes)
    f.enum(errors, c, path, "imagePullPolicy", ["Always", "IfNotPresent", "Never"])
    container_resources(errors, mapping(c.get("resources")), path + ("resources",))
    sc = mapping(c.get("securityContext"))
    for field in ("runAsUser", "runAsGroup"):
        _id_range(errors, sc.get(field), path + ("securityContext", field))
    if sc.get("allowPrivilegeEscalation") is False and sc.get("privileged") is True:
        errors.invalid(path + ("securityContext",), _security_context_struct(sc),
                       "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
                       "`allowPrivilegeEscalation: false`와 `privileged: true`를 함께 쓸 수 없습니다")


_SC_FIELDS = ("Capabilities", "Privileged", "SELinuxOptions", "WindowsOptions", "RunAsUser", "RunAsGroup", "RunAsNonRoot",
              "ReadOnlyRootFilesystem", "AllowPrivilegeEscalation", "ProcMount", "SeccompProfile", "AppArmorProfile")


def _security_context_struct(sc: dict[str, Any]) -> f.GoStruct:
    """A container's securityContext as the API server prints its internal struct."""
    def go(value: Any) -> Any:
        if isinstance(value, dict):
            return f.GoStruct((k[0].upper() + k[1:], go(v)) for k, v in value.items())
        return value
    return f.GoStruct((name, go(sc.get("seLinuxOptions" if name == "SELinuxOptions" else name[0].lower() + name[1:])))
                      for name in _SC_FIELDS)


def _container_restart_policy(errors: Errors, c: dict[str, Any], path: Path) -> None:
    """A container's own restartPolicy (sidecars, and restart rules since 1.35): Always, Never or OnFailure; "" too is wrong."""
    value = c.get("restartPolicy")
    if isinstance(value, str) and value not in ("Always", "Never", "OnFailure"):
        errors.unsupported(path + ("restartPolicy",), value, ["Always", "Never", "OnFailure"])


def _id_range(errors: Errors, value: Any, path: Path) -> None:
    number = integer(value)
    if number is not None and not 0 <= number <= MAX_INT32:
        errors.invalid(path, number, f"must be between 0 and {MAX_INT32}, inclusive", f"0부터 {MAX_INT32} 사이여야 합니다")


def _pod_security_context(errors: Errors, sc: dict[str, Any], path: Path) -> None:
    for field in ("fsGroup", "runAsUser", "runAsGroup"):
        _id_range(errors, sc.get(field), path + (field,))
    groups = sc.get("supplementalGroups")
    for i, gid in enumerate(groups if isinstance(groups, list) else []):
        _id_range(errors, gid, path + ("supplementalGroups", i))


_SYSCTL = re.compile(r"([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?")


def _sysctls(errors: Errors, sysctls: Any, path: Path) -> None:
    seen: set[str] = set()
    for i, sysctl in items(sysctls):
        name = text(sysctl.get("name"))
        if not name:
            errors.required(path + (i, "name"), at=path + (i,))
        elif len(name) > 253 or not _SYSCTL.fullmatch(name):
            errors.invalid(path + (i, "name"), name, "must have at most 253 characters and match regex "
                           f"^{_SYSCTL.pattern}$", "sysctl 이름은 253자 이하의 소문자, 숫자, '-', '_', '.', '/'로 써야 합니다")
        elif name in seen:
            errors.duplicate(path + (i, "name"), name)
        seen.add(name)


def _container_ports(errors: Errors, ports: Any, path: Path) -> None:
    names: set[str] = set()
    for i, port in items(ports):
        here = path + (i,)
        name = text(port.get("name"))
        if name:
            messages = f.port_name(name)
            f.check_name(errors, here + ("name",), name, messages)
            if not messages and name in names:
                errors.duplicate(here + ("name",), name)
            names.add(name)
        number = integer(port.get("containerPort"))
        if number == 0:
            errors.required(here + ("containerPort",))
        elif number is not None and not 1 <= number <= 65535:
            errors.invalid(here + ("containerPort",), number, *f.PORT_RANGE)
        host = integer(port.get("hostPort"))
        if host and not 1 <= host <= 65535:
            errors.invalid(here + ("hostPort",), host, *f.PORT_RANGE)
        f.enum(errors, port, here, "protocol", PROTOCOLS)


def _host_ports(errors: Errors, containers: list[tuple[int, dict[str, Any]]], path: Path) -> None:
    seen: set[str] = set()
    for ci, container in containers:
        for pi, port in items(container.get("ports")):
            host = integer(port.get("hostPort"))
            if not host:
                continue
            key = f"{text(port.get('protocol')) or 'TCP'}/{text(port.get('hostIP'))}/{host}"
            if key in seen:
                errors.duplicate(path + (ci, "ports", pi, "hostPort"), key)
            seen.add(key)


def _env(errors: Errors, env: Any, path: Path) -> None:
    for i, var in items(env):
        here = path + (i,)
        name = var.get("name")
        if name == "":
            errors.required(here + ("name",))
        elif isinstance(name, str) and any(ord(ch) > 126 or ord(ch) < 32 or ch == "=" for ch in name):
            errors.invalid(here + ("name",), name, "a valid environment variable name must consist only of printable "
                           "ASCII characters other than '='", "환경 변수 이름에는 '='을 뺀 출력 가능한 ASCII 문자만 쓸 수 있습니다")
        source = var.get("valueFrom")
        if not isinstance(source, dict):
            continue
        kinds = [k for k in ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef")
                 if source.get(k) is not None]
        where = here + ("valueFrom",)
        if not kinds:
            errors.invalid(where, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, "
                           "`secretKeyRef` or `fileKeyRef`", "`fieldRef`, `resourceFieldRef`, `configMapKeyRef`, "
                           "`secretKeyRef`, `fileKeyRef` 중 하나를 지정해야 합니다")
        elif text(var.get("value")):
            errors.invalid(where, "", "may not be specified when `value` is not empty", "`value`가 있으면 쓸 수 없습니다")
        elif len(kinds) > 1:
            errors.invalid(where, "", "may not have more than one field specified at a time", "한 가지만 지정할 수 있습니다")
        for kind in ("configMapKeyRef", "secretKeyRef"):
            ref = source.get(kind)
            if isinstance(ref, dict):
                name = text(ref.get("name"))
                f.check_name(errors, where + (kind, "name"), name, f.dns_subdomain(name))
                key = ref.get("key")
                if key == "":
                    errors.required(where + (kind, "key"))
                elif isinstance(key, str):
                    f.check_name(errors, where + (kind, "key"), key, config_key(key))
        field_ref = source.get("fieldRef")
        if isinstance(field_ref, dict) and isinstance(field_ref.get("fieldPath"), str):
            env_field_path(errors, field_ref["fieldPath"], where + ("fieldRef",), ENV_FIELD_PATHS)
        resource_ref = source.get("resourceFieldRef")
        if isinstance(resource_ref, dict):
            resource_field(errors, resource_ref, where + ("resourceFieldRef",), volume=False)


RESOURCE_FIELDS = ["limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu",
                   "requests.ephemeral-storage", "requests.memory"]


def resource_field(errors: Errors, ref: dict[str, Any], path: Path, volume: bool) -> None:
    """validateContainerResourceFieldSelector: a resourceFieldRef names a resource (and, in a volume, a container)."""
    resource = text(ref.get("resource"))
    if volume and not text(ref.get("containerName")):
        errors.required(path + ("containerName",), at=path)
    elif not resource:
        errors.required(path + ("resource",), at=path)
    elif resource not in RESOURCE_FIELDS and not resource.startswith(("limits.hugepages-", "requests.hugepages-")):
        errors.unsupported(path + ("resource",), resource, RESOURCE_FIELDS)


def env_field_path(errors: Errors, field_path: str, path: Path, supported: list[str]) -> None:
    """validateObjectFieldSelector: a fieldRef's fieldPath, converted as the v1 API converts it, then checked."""
    if not field_path:
        errors.required(path + ("fieldPath",))
        return
    subscripted = re.fullmatch(r"([^\[]+)\['([^']*)'\]", field_path)
    if subscripted and subscripted[1] in ("metadata.labels", "metadata.annotations"):
        key = subscripted[2].lower() if subscripted[1].endswith("annotations") else subscripted[2]
        f.check_name(errors, path, key, f.qualified_name(key))
        return
    problem = (f"field label does not support subscript: {field_path}" if subscripted else
               f"field label not supported: {field_path}" if field_path not in FIELD_LABELS else None)
    if problem:
        errors.invalid(path + ("fieldPath",), field_path, f"error converting fieldPath: {problem}",
                       f"fieldRef로 읽을 수 없는 필드입니다 (쓸 수 있는 것: {', '.join(ENV_FIELD_PATHS)}, "
                       "metadata.labels['키'], metadata.annotations['키'])")
    elif field_path.replace("spec.host", "spec.nodeName") not in supported:
        errors.unsupported(path + ("fieldPath",), field_path, supported)


def config_key(key: str) -> list[f.Message]:
    """IsConfigMapKey: a ConfigMap, Secret or key reference's key."""
    out = [("must be no more than 253 characters", "253자를 넘을 수 없습니다")] if len(key) > 253 else []
    if not re.fullmatch(r"[-._a-zA-Z0-9]+", key):
        out.append(("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
                    "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
                    "키에는 영문자, 숫자, '-', '_', '.'만 쓸 수 있습니다 (예: 'key.name', 'KEY_NAME', 'key-name')"))
    if key in (".", ".."):
        out.append((f"must not be '{key}'", f"'{key}'은(는) 쓸 수 없습니다"))
    elif key.startswith(".."):
        out.append(("must not start with '..'", "'..'로 시작할 수 없습니다"))
    return out


def _env_from(errors: Errors, env_from: Any, path: Path) -> None:
    for i, source in items(env_from):
        kinds = [k for k in ("configMapRef", "secretRef") if source.get(k) is not None]
        for kind in kinds:
            name = mapping(source.get(kind)).get("name")
            if not text(name):
                errors.required(path + (i, kind, "name"), at=path + (i, kind))
            else:
                masked = name[:-2] + "a" if len(name) > 1 and name.endswith("-") else name  # maskTrailingDash: a prefix
                for en, ko in f.dns_subdomain(masked):
                    errors.invalid(path + (i, kind, "name"), name, en, ko)
        if not kinds:
            errors.invalid(path, "", "must specify one of: `configMapRef` or `secretRef`",
                           "`configMapRef`나 `secretRef` 중 하나를 지정해야 합니다", at=path + (i,))
        elif len(kinds) > 1:
            errors.invalid(path, "", "may not have more than one field specified at a time", "한 가지만 지정할 수 있습니다",
                           at=path + (i,))


def _handler(errors: Errors, handler: dict[str, Any], path: Path, kinds: tuple[str, ...], grace: int = 30) -> None:
    present = [k for k in kinds if handler.get(k) is not None]
    if not present:
        errors.required(path, *NO_HANDLER)
    for extra in present[1:]:
        errors.forbidden(path + (extra,), "may not specify more than 1 handler type", "핸들러는 하나만 지정할 수 있습니다")
    if not present:
        return
    kind, action = present[0], mapping(handler.get(present[0]))
    here = path + (kind,)
    if kind == "exec" and not action.get("command"):
        errors.required(here + ("command",))
    elif kind == "httpGet":
        f.port_number_or_name(errors, action.get("port"), here + ("port",))
        f.enum(errors, action, here, "scheme", ["HTTP", "HTTPS"])
        for j, header in items(action.get("httpHeaders")):
            name = header.get("name")
            if isinstance(name, str) and not re.fullmatch(r"[-A-Za-z0-9]+", name):
                errors.invalid(here + ("httpHeaders",), name, "a valid HTTP header must consist of alphanumeric characters "
                               "or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
                               "HTTP 헤더 이름에는 영문자, 숫자, '-'만 쓸 수 있습니다 (예: 'X-Header-Name')",
                               at=here + ("httpHeaders", j, "name"))
    elif kind == "sleep":
        seconds = integer(action.get("seconds"))
        if seconds is not None and not 0 <= seconds <= grace:
            errors.invalid(here, seconds, f"must be non-negative and less than terminationGracePeriodSeconds ({grace})",
                           f"0 이상, terminationGracePeriodSeconds({grace}) 이하여야 합니다", at=here + ("seconds",))
    elif kind == "tcpSocket":
        f.port_number_or_name(errors, action.get("port"), here + ("port",))
    elif kind == "grpc":
        port = integer(action.get("port"))
        if port is not None and not 1 <= port <= 65535:
            errors.invalid(here + ("port",), port, *f.PORT_RANGE)


def _probe(errors: Errors, probe: Any, path: Path, kind: str) -> None:
    if not isinstance(probe, dict):
        return
    _handler(errors, probe, path, ("exec", "httpGet", "tcpSocket", "grpc"))
    for field in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"):
        f.non_negative(errors, probe.get(field), path + (field,))
    grace = integer(probe.get("terminationGracePeriodSeconds"))
    if grace is not None and grace <= 0:
        errors.invalid(path + ("terminationGracePeriodSeconds",), grace, "must be greater than 0", "0보다 커야 합니다")
    success = integer(probe.get("successThreshold"))
    if kind != "readinessProbe" and success not in (None, 0, 1):  # 0 is defaulted to 1
        errors.invalid(path + ("successThreshold",), success, "must be 1", "1이어야 합니다")
    if kind == "readinessProbe" and grace is not None:
        errors.invalid(path + ("terminationGracePeriodSeconds",), grace, "must not be set for readinessProbes",
                       "readinessProbe에는 쓸 수 없습니다")


def _lifecycle(errors: Errors, container: dict[str, Any], path: Path, grace: int = 30) -> None:
    lifecycle = mapping(container.get("lifecycle"))
    for hook in ("postStart", "preStop"):
        if isinstance(lifecycle.get(hook), dict):
            _handler(errors, lifecycle[hook], path + ("lifecycle", hook), ("exec", "httpGet", "tcpSocket", "sleep"), grace)


def template_spec(errors: Errors, obj: Any, path: Path, extra_volumes: list[str] | None = None) -> None:
    """ValidatePodTemplateSpec: the template's labels (reported as `<path>.labels`) and its pod spec."""
    template = mapping(get(obj, *path))
    f.validate_labels(errors, get(template, "metadata", "labels"), path + ("labels",), at=path + ("metadata", "labels"))
    spec = template.get("spec")
    if spec is None:
        errors.required(path + ("spec", "containers"), at=path if template else path[:-1])
    if isinstance(spec, dict):
        validate_pod_spec(errors, spec, path + ("spec",), tuple(extra_volumes or ()))

