"""ValidatePodSpec: containers, init containers, volumes, probes, ports, env, resources, scheduling."""

from __future__ import annotations

import re
from typing import Any

from graders.apivalidation import fields as f
from graders.apivalidation.fields import Errors, Key, Path, get, integer, items, mapping, text

PROTOCOLS = ["SCTP", "TCP", "UDP"]
SOURCES = ("emptyDir", "hostPath", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret", "nfs", "iscsi",
           "glusterfs", "flocker", "persistentVolumeClaim", "rbd", "cinder", "cephfs", "quobyte", "downwardAPI", "fc",
           "flexVolume", "configMap", "azureFile", "vsphereVolume", "photonPersistentDisk", "portworxVolume",
           "azureDisk", "storageos", "projected", "scaleIO", "csi", "ephemeral", "image")
HOST_PATH_TYPES = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"]
ENV_FIELD_PATHS = ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
                   "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"]
# ConvertDownwardAPIFieldLabel: what a v1 fieldRef may name at all, before ENV_FIELD_PATHS says what env may use
FIELD_LABELS = {"metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
                "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName", "status.phase",
                "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs", "spec.host"}
MAX_INT32 = 2**31 - 1
FILE_MODE = ("must be a number between 0 and 0777 (octal), both inclusive", "0부터 0777(8진수) 사이의 숫자여야 합니다")
NO_HANDLER = ("must specify a handler type", "exec, httpGet, tcpSocket, grpc 중 하나를 지정해야 합니다")
INIT_ONLY_ALWAYS = ("may not be set for init containers without restartPolicy=Always",
                    "restartPolicy=Always가 아닌 init 컨테이너에는 쓸 수 없습니다")


def validate_pod_spec(errors: Errors, spec: dict[str, Any], path: Path, extra_volumes: tuple[str, ...] = ()) -> None:
    volumes = _volumes(errors, spec.get("volumes"), path + ("volumes",)) | set(extra_volumes)
    containers = spec.get("containers")
    if isinstance(containers, list) and not containers:
        errors.required(path + ("containers",))
    names: set[str] = set()
    for i, container in items(containers):
        here = path + ("containers", i)
        _container(errors, container, here, volumes)
        name = text(container.get("name"))
        if name in names:
            errors.duplicate(here + ("name",), name)
        names.add(name)
        _lifecycle(errors, container, here)
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
            _lifecycle(errors, container, here)
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                _probe(errors, container.get(probe), here + (probe,), probe)
        else:
            for field in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if container.get(field) is not None:
                    errors.forbidden(here + (field,), *INIT_ONLY_ALWAYS)
    _enum(errors, spec, path, "restartPolicy", ["Always", "OnFailure", "Never"])
    _enum(errors, spec, path, "dnsPolicy", ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"])
    f.validate_labels(errors, spec.get("nodeSelector"), path + ("nodeSelector",))
    _pod_security_context(errors, mapping(spec.get("securityContext")), path + ("securityContext",))
    _affinity(errors, mapping(spec.get("affinity")), path + ("affinity",))
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
    _tolerations(errors, spec.get("tolerations"), path + ("tolerations",))
    _topology_spread(errors, spec.get("topologySpreadConstraints"), path + ("topologySpreadConstraints",))


def _enum(errors: Errors, obj: dict[str, Any], path: Path, field: str, supported: list[str]) -> None:
    """A defaulted string field: unset or "" takes the default; anything else must be one of supported."""
    value = obj.get(field)
    if isinstance(value, str) and value and value not in supported:
        errors.unsupported(path + (field,), value, supported)


def _container(errors: Errors, c: dict[str, Any], path: Path, volumes: set[str]) -> None:
    """validateContainerCommon."""
    name = c.get("name")
    if name == "":
        errors.required(path + ("name",))
    elif isinstance(name, str):
        f.check_name(errors, path + ("name",), name, f.dns_label(name))
    if not text(c.get("image")):
        errors.required(path + ("image",))
    _enum(errors, c, path, "terminationMessagePolicy", ["File", "FallbackToLogsOnError"])
    _container_ports(errors, c.get("ports"), path + ("ports",))
    _env(errors, c.get("env"), path + ("env",))
    _env_from(errors, c.get("envFrom"), path + ("envFrom",))
    _volume_mounts(errors, c.get("volumeMounts"), path + ("volumeMounts",), volumes)
    _enum(errors, c, path, "imagePullPolicy", ["Always", "IfNotPresent", "Never"])
    _resources(errors, mapping(c.get("resources")), path + ("resources",))
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
    """A container's own restartPolicy (sidecars, and restart rules since 1.35): Always, Never or OnFailure."""
    _enum(errors, c, path, "restartPolicy", ["Always", "Never", "OnFailure"])


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
        _enum(errors, port, here, "protocol", PROTOCOLS)


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
            _env_field_path(errors, field_ref["fieldPath"], where + ("fieldRef",))


def _env_field_path(errors: Errors, field_path: str, path: Path) -> None:
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
    elif field_path.replace("spec.host", "spec.nodeName") not in ENV_FIELD_PATHS:
        errors.unsupported(path + ("fieldPath",), field_path, ENV_FIELD_PATHS)


def config_key(key: str) -> list[f.Message]:
    """IsConfigMapKey: a ConfigMap, Secret or key reference's key."""
    out = [(f"must be no more than 253 characters", "253자를 넘을 수 없습니다")] if len(key) > 253 else []
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
        if not kinds:
            errors.invalid(path, "", "must specify one of: `configMapRef` or `secretRef`",
                           "`configMapRef`나 `secretRef` 중 하나를 지정해야 합니다", at=path + (i,))
        elif len(kinds) > 1:
            errors.invalid(path, "", "may not have more than one field specified at a time", "한 가지만 지정할 수 있습니다",
                           at=path + (i,))


def _volume_mounts(errors: Errors, mounts: Any, path: Path, volumes: set[str]) -> None:
    mount_points: set[str] = set()
    for i, mount in items(mounts):
        here = path + (i,)
        name, mount_path = text(mount.get("name")), text(mount.get("mountPath"))
        if "name" in mount and not name:
            errors.required(here + ("name",))
        if name not in volumes and "name" in mount:
            errors.not_found(here + ("name",), name)
        if "mountPath" in mount and not mount_path:
            errors.required(here + ("mountPath",))
        if mount_path in mount_points:
            errors.invalid(here + ("mountPath",), mount_path, "must be unique", "같은 경로에 두 번 마운트할 수 없습니다")
        mount_points.add(mount_path)
        for field in ("subPath", "subPathExpr"):
            if text(mount.get(field)):
                _descending_path(errors, mount[field], path + (field,), at=here + (field,))
        _enum(errors, mount, here, "mountPropagation", ["Bidirectional", "HostToContainer", "None"])


def _descending_path(errors: Errors, value: str, path: Path, at: Path | None = None) -> None:
    if value.startswith("/"):
        errors.invalid(path, value, "must be a relative path", "상대 경로여야 합니다", at=at)
    if ".." in value.split("/"):
        errors.invalid(path, value, "must not contain '..'", "'..'를 쓸 수 없습니다", at=at)


def _local_path(errors: Errors, value: str, path: Path) -> None:
    """ValidateLocalNonReservedPath: a key's file under the mount (`items[].path`)."""
    _descending_path(errors, value, path)
    if value.startswith("..") and not value.startswith("../"):
        errors.invalid(path, value, "must not start with '..'", "'..'로 시작할 수 없습니다")


def _mode(errors: Errors, value: Any, path: Path, limit: int = 0o777) -> None:
    number = integer(value)
    if number is not None and not 0 <= number <= limit:
        errors.invalid(path, number, *FILE_MODE)


def _key_to_paths(errors: Errors, entries: Any, path: Path) -> None:
    for i, item in items(entries):
        here = path + (i,)
        if item.get("key") == "":
            errors.required(here + ("key",))
        if item.get("path") == "":
            errors.required(here + ("path",))
        _local_path(errors, text(item.get("path")), here + ("path",))
        _mode(errors, item.get("mode"), here + ("mode",))


def _volumes(errors: Errors, volumes: Any, path: Path) -> set[str]:
    """ValidateVolumes: the names of the volumes that are valid, which are the ones a mount may name."""
    valid: set[str] = set()
    for i, volume in items(volumes):
        here = path + (i,)
        mine = Errors()
        _volume_source(mine, volume, here)
        name = volume.get("name")
        if name == "":
            mine.required(here + ("name",))
        elif isinstance(name, str):
            f.check_name(mine, here + ("name",), name, f.dns_label(name))
        if isinstance(name, str) and name in valid:
            mine.duplicate(here + ("name",), name)
        if not mine and isinstance(name, str):
            valid.add(name)
        errors.extend(mine)
    return valid


def _volume_source(errors: Errors, volume: dict[str, Any], path: Path) -> None:
    present = [s for s in SOURCES if volume.get(s) is not None]
    if not present:
        return  # a volume with no source is defaulted to an emptyDir
    for extra in present[1:]:
        errors.forbidden(path + (extra,), "may not specify more than 1 volume type", "볼륨 종류는 하나만 지정할 수 있습니다")
    kind, source = present[0], mapping(volume.get(present[0]))
    here = path + (kind,)
    if kind == "hostPath":
        value = text(source.get("path"))
        if "path" in source and not value:
            errors.required(here + ("path",))
        elif ".." in value.split("/"):
            errors.invalid(here + ("path",), value, "must not contain '..'", "'..'를 쓸 수 없습니다")
        if isinstance(source.get("type"), str) and source["type"] not in HOST_PATH_TYPES:
            errors.unsupported(here + ("type",), source["type"], HOST_PATH_TYPES)
    elif kind in ("secret", "configMap"):
        name_field = "secretName" if kind == "secret" else "name"
        if not text(source.get(name_field)):
            errors.required(here + (name_field,))
        _mode(errors, source.get("defaultMode"), here + ("defaultMode",))
        _key_to_paths(errors, source.get("items"), here + ("items",))
    elif kind == "persistentVolumeClaim" and source.get("claimName") == "":
        errors.required(here + ("claimName",))
    elif kind == "nfs":
        if source.get("server") == "":
            errors.required(here + ("server",))
        nfs_path = text(source.get("path"))
        if "path" in source and not nfs_path:
            errors.required(here + ("path",))
        if "path" in source and not nfs_path.startswith("/"):
            errors.invalid(here + ("path",), nfs_path, "must be an absolute path", "절대 경로여야 합니다")
    elif kind == "emptyDir":
        size = f.quantity_of(source.get("sizeLimit"))
        if size is not None and size.value < 0:
            errors.forbidden(here + ("sizeLimit",), "SizeLimit field must be a valid resource quantity",
                             "sizeLimit은 0 이상의 올바른 양이어야 합니다")
    elif kind == "projected":
        _mode(errors, source.get("defaultMode"), here + ("defaultMode",))
        _projection(errors, source.get("sources"), here)
    elif kind == "downwardAPI":
        _mode(errors, source.get("defaultMode"), here + ("defaultMode",))


def _projection(errors: Errors, sources: Any, path: Path) -> None:
    seen: set[str] = set()
    for i, source in items(sources):
        here = path + ("sources", i)
        kinds = [k for k in ("secret", "configMap", "downwardAPI", "serviceAccountToken", "clusterTrustBundle",
                             "podCertificate") if source.get(k) is not None]
        for kind in ("secret", "configMap"):
            part = mapping(source.get(kind))
            if source.get(kind) is None:
                continue
            if not text(part.get("name")):
                errors.required(here + (kind, "name"))
            _key_to_paths(errors, part.get("items"), here + (kind, "items"))
            for _, item in items(part.get("items")):
                file = text(item.get("path"))
                if file and file in seen:
                    errors.invalid(path, text(part.get("name")), "conflicting duplicate paths", "같은 경로가 두 번 쓰였습니다")
                seen.add(file)
        if len(kinds) > 1:
            errors.forbidden(here, "may not specify more than 1 volume type per source", "source 하나에는 종류를 하나만 지정할 수 있습니다")


STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")


def _resources(errors: Errors, resources: dict[str, Any], path: Path) -> None:
    limits, requests = mapping(resources.get("limits")), mapping(resources.get("requests"))
    for section, values in (("limits", limits), ("requests", requests)):
        for name, value in values.items():
            here = path + (section, Key(name))
            if isinstance(name, str):
                _resource_name(errors, name, here)
            amount = f.quantity_of(value)
            if amount is None:
                continue  # the schema says it is not a quantity
            amount = amount.rounded_up(3)
            if amount.value < 0:
                errors.invalid(here, str(amount), *f.NEGATIVE)
            if section == "requests" and name in limits and f.quantity_of(limits[name]) is not None:
                cap = f.quantity_of(limits[name]).rounded_up(3)  # type: ignore[union-attr]
                if not _overcommitable(name) and amount.value != cap.value:
                    errors.invalid(path + ("requests",), str(amount), f"must be equal to {name} limit of {cap}",
                                   f"{name} limit({cap})과 같아야 합니다", at=here)
                elif amount.value > cap.value:
                    errors.invalid(path + ("requests",), str(amount), f"must be less than or equal to {name} limit of {cap}",
                                   f"{name} limit({cap})보다 클 수 없습니다", at=here)
            elif section == "requests" and not _overcommitable(str(name)):
                errors.required(path + ("limits",), "Limit must be set for non overcommitable resources",
                                "이 리소스는 limit을 반드시 지정해야 합니다", at=here)


def _overcommitable(name: str) -> bool:
    return name in STANDARD_CONTAINER_RESOURCES or ("/" not in name and not name.startswith("hugepages-"))


def _resource_name(errors: Errors, name: str, path: Path) -> None:
    """ValidateContainerResourceName: cpu, memory, ephemeral-storage, hugepages-*, or a qualified extended name."""
    messages = f.qualified_name(name)
    f.check_name(errors, path, name, messages)
    if messages or "/" in name:
        return
    if not name.startswith("hugepages-") and name not in STANDARD_CONTAINER_RESOURCES:
        if name not in _STANDARD_RESOURCES:
            errors.invalid(path, name, "must be a standard resource type or fully qualified", "표준 리소스 이름이거나 "
                           "도메인을 붙인 이름(예: example.com/gpu)이어야 합니다")
        errors.invalid(path, name, "must be a standard resource for containers", "컨테이너에 쓸 수 있는 표준 리소스"
                       "(cpu, memory, ephemeral-storage, hugepages-*)가 아닙니다")


_STANDARD_RESOURCES = {"cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory",
                       "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods",
                       "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps",
                       "persistentvolumeclaims", "requests.storage", "services.nodeports", "services.loadbalancers",
                       "storage"}


def _handler(errors: Errors, handler: dict[str, Any], path: Path, kinds: tuple[str, ...]) -> None:
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
        _enum(errors, action, here, "scheme", ["HTTP", "HTTPS"])
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


def _lifecycle(errors: Errors, container: dict[str, Any], path: Path) -> None:
    lifecycle = mapping(container.get("lifecycle"))
    for hook in ("postStart", "preStop"):
        if isinstance(lifecycle.get(hook), dict):
            _handler(errors, lifecycle[hook], path + ("lifecycle", hook), ("exec", "httpGet", "tcpSocket", "sleep"))


def _tolerations(errors: Errors, tolerations: Any, path: Path) -> None:
    for i, toleration in items(tolerations):
        here = path + (i,)
        key, operator, value = text(toleration.get("key")), text(toleration.get("operator")), text(toleration.get("value"))
        effect = text(toleration.get("effect"))
        if key:
            f.check_name(errors, here + ("key",), key, f.qualified_name(key))
        if not key and operator != "Exists":
            errors.invalid(here + ("operator",), operator, "operator must be Exists when `key` is empty, which means "
                           "\"match all values and all keys\"", "`key`가 비어 있으면(모든 키와 값을 뜻함) operator는 "
                           "Exists여야 합니다")
        if toleration.get("tolerationSeconds") is not None and effect != "NoExecute":
            errors.invalid(here + ("effect",), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set",
                           "`tolerationSeconds`를 쓰려면 effect가 'NoExecute'여야 합니다")
        if operator in ("Equal", ""):
            messages = f.label_value(value)
            if messages:
                errors.invalid(here + ("operator",), value, ";".join(m[0] for m in messages),
                               ";".join(m[1] for m in messages), at=here + ("value",))
        elif operator == "Exists":
            if value:
                errors.invalid(here + ("operator",), value, "value must be empty when `operator` is 'Exists'",
                               "`operator`가 'Exists'이면 value를 비워야 합니다", at=here + ("value",))
        else:
            errors.unsupported(here + ("operator",), operator, ["Equal", "Exists"])
        if effect and effect not in ("NoSchedule", "PreferNoSchedule", "NoExecute"):
            errors.unsupported(here + ("effect",), effect, ["NoSchedule", "PreferNoSchedule", "NoExecute"])


def _affinity(errors: Errors, affinity: dict[str, Any], path: Path) -> None:
    node = mapping(affinity.get("nodeAffinity"))
    required = node.get("requiredDuringSchedulingIgnoredDuringExecution")
    here = path + ("nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution")
    if isinstance(required, dict):
        terms = required.get("nodeSelectorTerms")
        if isinstance(terms, list) and not terms:
            errors.required(here + ("nodeSelectorTerms",), "must have at least one node selector term",
                            "nodeSelectorTerms가 하나 이상 있어야 합니다")
        for i, term in items(terms):
            _node_selector_term(errors, term, here + ("nodeSelectorTerms", i), strict=True)
    preferred = path + ("nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution")
    for i, term in items(node.get("preferredDuringSchedulingIgnoredDuringExecution")):
        _weight(errors, term.get("weight"), preferred + (i, "weight"))
        _node_selector_term(errors, mapping(term.get("preference")), preferred + (i, "preference"), strict=False)
    for kind in ("podAffinity", "podAntiAffinity"):
        rules = mapping(affinity.get(kind))
        for i, term in items(rules.get("requiredDuringSchedulingIgnoredDuringExecution")):
            _pod_affinity_term(errors, term, path + (kind, "requiredDuringSchedulingIgnoredDuringExecution", i))
        for i, term in items(rules.get("preferredDuringSchedulingIgnoredDuringExecution")):
            here = path + (kind, "preferredDuringSchedulingIgnoredDuringExecution", i)
            _weight(errors, term.get("weight"), here + ("weight",))
            _pod_affinity_term(errors, mapping(term.get("podAffinityTerm")), here + ("podAffinityTerm",))


def _weight(errors: Errors, value: Any, path: Path) -> None:
    weight = integer(value)
    if weight is not None and not 1 <= weight <= 100:
        errors.invalid(path, weight, "must be in the range 1-100", "1부터 100 사이여야 합니다")


def _node_selector_term(errors: Errors, term: dict[str, Any], path: Path, strict: bool) -> None:
    for i, req in items(term.get("matchExpressions")):
        here = path + ("matchExpressions", i)
        operator, values = text(req.get("operator")), req.get("values") or []
        if operator in ("In", "NotIn") and not values:
            errors.required(here + ("values",), "must be specified when `operator` is 'In' or 'NotIn'",
                            "`operator`가 'In'이나 'NotIn'이면 values가 있어야 합니다")
        elif operator in ("Exists", "DoesNotExist") and values:
            errors.forbidden(here + ("values",), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                             "`operator`가 'Exists'나 'DoesNotExist'이면 values를 쓸 수 없습니다")
        elif operator in ("Gt", "Lt") and (not isinstance(values, list) or len(values) != 1):
            errors.required(here + ("values",), "must be specified single value when `operator` is 'Lt' or 'Gt'",
                            "`operator`가 'Lt'나 'Gt'이면 값을 하나만 써야 합니다")
        elif operator not in ("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt") and "operator" in req:
            errors.invalid(here + ("operator",), operator, "not a valid selector operator", "올바른 selector 연산자가 아닙니다")
        if isinstance(req.get("key"), str):
            f.check_name(errors, here + ("key",), req["key"], f.qualified_name(req["key"]))
        for j, value in enumerate(values if strict and isinstance(values, list) else []):
            if isinstance(value, str):
                f.check_name(errors, here + ("values", j), value, f.label_value(value))


def _pod_affinity_term(errors: Errors, term: dict[str, Any], path: Path) -> None:
    f.validate_selector(errors, term.get("labelSelector"), path + ("labelSelector",))
    f.validate_selector(errors, term.get("namespaceSelector"), path + ("namespaceSelector",))
    key = term.get("topologyKey")
    if key == "":
        errors.required(path + ("topologyKey",), "can not be empty", "비어 있으면 안 됩니다")
    if isinstance(key, str):
        f.check_name(errors, path + ("topologyKey",), key, f.qualified_name(key))


def _topology_spread(errors: Errors, constraints: Any, path: Path) -> None:
    for i, constraint in items(constraints):
        here = path + (i,)
        skew = integer(constraint.get("maxSkew"))
        if skew is not None and skew <= 0:
            errors.invalid(here + ("maxSkew",), skew, "must be greater than zero", "0보다 커야 합니다")
        _enum(errors, constraint, here, "whenUnsatisfiable", ["DoNotSchedule", "ScheduleAnyway"])
        key = constraint.get("topologyKey")
        if key == "":
            errors.required(here + ("topologyKey",), "can not be empty", "비어 있으면 안 됩니다")
        elif isinstance(key, str):
            f.check_name(errors, here + ("topologyKey",), key, f.qualified_name(key))
        f.validate_selector(errors, constraint.get("labelSelector"), here + ("labelSelector",))


def template_spec(errors: Errors, obj: Any, path: Path, extra_volumes: list[str] | None = None) -> None:
    """ValidatePodTemplateSpec: the template's labels (reported as `<path>.labels`) and its pod spec."""
    template = mapping(get(obj, *path))
    f.validate_labels(errors, get(template, "metadata", "labels"), path + ("labels",), at=path + ("metadata", "labels"))
    spec = template.get("spec")
    if isinstance(spec, dict):
        validate_pod_spec(errors, spec, path + ("spec",), tuple(extra_volumes or ()))
