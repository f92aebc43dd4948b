"""What the API server rejects that the OpenAPI schema cannot say: names, duplicates, ranges, references."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from graders.matchers import quantity

Path = tuple[str | int, ...]

DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
ENV_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*")
LABEL_KINDS = frozenset({"namespace", "service"})
POD_TEMPLATE_PATHS = {
    "pod": ("spec",),
    "deployment": ("spec", "template", "spec"),
    "replicaset": ("spec", "template", "spec"),
    "daemonset": ("spec", "template", "spec"),
    "statefulset": ("spec", "template", "spec"),
    "job": ("spec", "template", "spec"),
    "cronjob": ("spec", "jobTemplate", "spec", "template", "spec"),
}


@dataclass(frozen=True)
class Rejection:
    """One reason the API server would refuse the object."""

    path: Path
    en: str
    ko: str


def _get(obj: Any, path: Path) -> Any:
    for part in path:
        if isinstance(part, int):
            obj = obj[part] if isinstance(obj, list) and part < len(obj) else None
        else:
            obj = obj.get(part) if isinstance(obj, dict) else None
    return obj


def _items(obj: Any, path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    value = _get(obj, path)
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield path + (i,), item


def validate_object(obj: dict[str, Any]) -> list[Rejection]:
    """Every rejection for one object (already schema-valid or not: each rule checks its own types)."""
    out: list[Rejection] = []
    kind = str(obj.get("kind", "")).lower()
    _name_rules(obj, kind, out)
    spec_path = POD_TEMPLATE_PATHS.get(kind)
    if spec_path is not None and isinstance(_get(obj, spec_path), dict):
        _pod_spec_rules(obj, spec_path, out)
    if kind in ("deployment", "replicaset", "statefulset", "daemonset"):
        _selector_rules(obj, out)
    if kind == "service":
        for path, port in _items(obj, ("spec", "ports")):
            _port_range(port.get("port"), path + ("port",), out)
    return out


def _name_rules(obj: dict[str, Any], kind: str, out: list[Rejection]) -> None:
    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        return
    name = meta.get("name")
    if name is None:
        if not meta.get("generateName"):
            out.append(Rejection(("metadata",), "metadata.name is required", "metadata.name은 반드시 있어야 합니다"))
        return
    if not isinstance(name, str):
        return
    pattern, limit = (DNS_LABEL, 63) if kind in LABEL_KINDS else (DNS_SUBDOMAIN, 253)
    if not pattern.fullmatch(name) or len(name) > limit:
        out.append(
            Rejection(
                ("metadata", "name"),
                f"metadata.name `{name}` is not a valid name: lowercase letters, digits and '-', starting and ending with a letter or digit",
                f"metadata.name `{name}`은(는) 올바른 이름이 아닙니다: 소문자, 숫자, '-'만 쓰고 영문자나 숫자로 시작하고 끝나야 합니다",
            )
        )


def _port_range(value: Any, path: Path, out: list[Rejection]) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and not 1 <= value <= 65535:
        out.append(Rejection(path, f"port {value} is out of range (1-65535)", f"포트 {value}은(는) 범위(1-65535)를 벗어났습니다"))


def _pod_spec_rules(obj: dict[str, Any], spec: Path, out: list[Rejection]) -> None:
    containers = list(_items(obj, spec + ("containers",)))
    init = list(_items(obj, spec + ("initContainers",)))
    if not containers and not isinstance(_get(obj, spec + ("containers",)), list):
        return  # the schema reports a missing list
    if not containers:
        out.append(Rejection(spec + ("containers",), "a pod needs at least one container", "파드에는 컨테이너가 하나 이상 있어야 합니다"))
    volumes = {v["name"] for _, v in _items(obj, spec + ("volumes",)) if isinstance(v.get("name"), str)}
    seen: dict[str, Path] = {}
    for path, container in init + containers:
        name = container.get("name")
        if isinstance(name, str):
            if not DNS_LABEL.fullmatch(name) or len(name) > 63:
                out.append(Rejection(path + ("name",), f"container name `{name}` is not a valid name (lowercase letters, digits, '-')", f"컨테이너 이름 `{name}`은(는) 올바른 이름이 아닙니다 (소문자, 숫자, '-')"))
            if name in seen:
                out.append(Rejection(path + ("name",), f"container name `{name}` is used twice", f"컨테이너 이름 `{name}`이(가) 두 번 쓰였습니다"))
            seen[name] = path
        if not container.get("image") and "image" in container:
            out.append(Rejection(path + ("image",), "image must not be empty", "image는 비어 있으면 안 됩니다"))
        _container_rules(container, path, volumes, out)


def _container_rules(container: dict[str, Any], path: Path, volumes: set[str], out: list[Rejection]) -> None:
    port_names: set[str] = set()
    for port_path, port in _items(container, ("ports",)):
        _port_range(port.get("containerPort"), path + port_path + ("containerPort",), out)
        name = port.get("name")
        if isinstance(name, str):
            if name in port_names:
                out.append(Rejection(path + port_path + ("name",), f"port name `{name}` is used twice", f"포트 이름 `{name}`이(가) 두 번 쓰였습니다"))
            port_names.add(name)
    for env_path, env in _items(container, ("env",)):
        name = env.get("name")
        if isinstance(name, str) and not ENV_NAME.fullmatch(name):
            out.append(Rejection(path + env_path + ("name",), f"env name `{name}` is not valid", f"환경 변수 이름 `{name}`은(는) 쓸 수 없습니다"))
    for mount_path, mount in _items(container, ("volumeMounts",)):
        name = mount.get("name")
        if isinstance(name, str) and name not in volumes:
            out.append(Rejection(path + mount_path + ("name",), f"volumeMount `{name}` names no volume of the pod", f"volumeMount `{name}`에 해당하는 볼륨이 파드에 없습니다"))
    for probe_name in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = container.get(probe_name)
        if not isinstance(probe, dict):
            continue
        success = probe.get("successThreshold")
        if probe_name != "readinessProbe" and isinstance(success, int) and success != 1:
            out.append(Rejection(path + (probe_name, "successThreshold"), f"{probe_name}.successThreshold must be 1", f"{probe_name}.successThreshold는 1이어야 합니다"))
        for field in ("periodSeconds", "timeoutSeconds", "failureThreshold", "successThreshold"):
            value = probe.get(field)
            if isinstance(value, int) and not isinstance(value, bool) and value < 1:
                out.append(Rejection(path + (probe_name, field), f"{probe_name}.{field} must be at least 1", f"{probe_name}.{field}는 1 이상이어야 합니다"))
        handlers = [h for h in ("exec", "httpGet", "tcpSocket", "grpc") if h in probe]
        if len(handlers) > 1:
            out.append(Rejection(path + (probe_name,), f"{probe_name} may use only one of exec, httpGet, tcpSocket, grpc (has {', '.join(handlers)})", f"{probe_name}에는 exec, httpGet, tcpSocket, grpc 중 하나만 쓸 수 있습니다 ({', '.join(handlers)}가 있음)"))
    _resources_rules(container, path, out)


def _resources_rules(container: dict[str, Any], path: Path, out: list[Rejection]) -> None:
    resources = container.get("resources")
    if not isinstance(resources, dict):
        return
    requests, limits = resources.get("requests") or {}, resources.get("limits") or {}
    for section_name, section in (("requests", requests), ("limits", limits)):
        if not isinstance(section, dict):
            continue
        for resource, value in section.items():
            if quantity(value) is None:
                out.append(Rejection(path + ("resources", section_name, resource), f"`{value}` is not a quantity (e.g. 500m, 0.5, 128Mi)", f"`{value}`은(는) 올바른 양이 아닙니다 (예: 500m, 0.5, 128Mi)"))
    if isinstance(requests, dict) and isinstance(limits, dict):
        for resource, value in requests.items():
            have, cap = quantity(value), quantity(limits.get(resource))
            if have is not None and cap is not None and have > cap:
                out.append(Rejection(path + ("resources", "requests", resource), f"requests.{resource} ({value}) must not exceed limits.{resource} ({limits[resource]})", f"requests.{resource}({value})는 limits.{resource}({limits[resource]})보다 클 수 없습니다"))


def _selector_rules(obj: dict[str, Any], out: list[Rejection]) -> None:
    match_labels = _get(obj, ("spec", "selector", "matchLabels"))
    labels = _get(obj, ("spec", "template", "metadata", "labels"))
    if not isinstance(match_labels, dict):
        return
    labels = labels if isinstance(labels, dict) else {}
    if any(labels.get(k) != v for k, v in match_labels.items()):
        out.append(Rejection(("spec", "selector"), "spec.selector does not match the template's labels (spec.template.metadata.labels)", "spec.selector가 템플릿의 레이블(spec.template.metadata.labels)과 맞지 않습니다"))

