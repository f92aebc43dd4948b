"""core/v1 beyond the pod spec: Pod, Service, ConfigMap, Secret and ResourceQuota."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from graders.apivalidation import fields as f
from graders.apivalidation.fields import Errors, Key, Rejection, get, integer, items, mapping, text
from graders.apivalidation.pods import PROTOCOLS, config_key, validate_pod_spec

SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]


def pod(errors: Errors, obj: dict[str, Any]) -> None:
    spec = obj.get("spec")
    if spec is None:
        errors.required(("spec", "containers"), at=())
    if not isinstance(spec, dict):
        return
    validate_pod_spec(errors, _with_requests_from_limits(spec), ("spec",))
    for field in ("containers", "initContainers"):
        for i, container in items(spec.get(field)):
            image = text(container.get("image"))
            if image and image != image.strip():
                errors.invalid(("spec", field, i, "image"), image, "must not have leading or trailing whitespace",
                               "앞뒤에 공백이 있으면 안 됩니다")


def _is_ip(value: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _with_requests_from_limits(spec: dict[str, Any]) -> dict[str, Any]:
    """SetDefaults_Pod (a Pod's, not a template's): a limit with no request is the request too; with hostNetwork a
    port's hostPort is its containerPort."""
    out = dict(spec)
    host_network = spec.get("hostNetwork") is True
    for field in ("containers", "initContainers"):
        listed = []
        for _, container in items(spec.get(field)):
            resources = mapping(container.get("resources"))
            limits = mapping(resources.get("limits"))
            if limits:
                requests = {**limits, **mapping(resources.get("requests"))}
                container = {**container, "resources": {**resources, "requests": requests}}
            if host_network and isinstance(container.get("ports"), list):  # with the host's network, hostPort = containerPort
                container = {**container, "ports": [{**p, "hostPort": p.get("hostPort") or p.get("containerPort")}
                                                    if isinstance(p, dict) else p for p in container["ports"]]}
            listed.append(container)
        if isinstance(spec.get(field), list) and len(listed) == len(spec[field]):
            out[field] = listed
    return out


def service(errors: Errors, obj: dict[str, Any]) -> None:
    spec = mapping(obj.get("spec"))
    kind = text(spec.get("type")) or "ClusterIP"
    cluster_ip = text(spec.get("clusterIP"))
    headless = cluster_ip == "None"
    if cluster_ip and not headless and kind != "ExternalName" and not _is_ip(cluster_ip):
        # the IP is allocated (and refused) before the rest of the Service is validated
        errors.invalid(("spec", "clusterIPs", 0), cluster_ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                       "올바른 IP 주소여야 합니다 (예: 10.96.0.10). headless 서비스는 `clusterIP: None`", at=("spec", "clusterIP"))
        return
    ports = spec.get("ports")
    if not (isinstance(ports, list) and ports) and not headless and kind != "ExternalName":
        errors.required(("spec", "ports"), at=("spec",))
    if kind in ("LoadBalancer", "NodePort") and headless:
        errors.invalid(("spec", "clusterIPs", 0), "None", f"may not be set to 'None' for {kind} services",
                       f"{kind} 서비스에는 'None'을 쓸 수 없습니다", at=("spec", "clusterIP"))
    if kind == "ExternalName":
        name = text(spec.get("externalName")).removesuffix(".")
        if name:
            f.check_name(errors, ("spec", "externalName"), name, f.dns_subdomain(name))
        else:
            errors.required(("spec", "externalName"), at=("spec",))
        if cluster_ip or spec.get("clusterIPs"):  # an ExternalName service is only a DNS alias: it has no virtual IP
            errors.forbidden(("spec", "clusterIPs"), "may not be set for ExternalName services",
                             "ExternalName 서비스에는 clusterIP를 쓸 수 없습니다", at=("spec", "clusterIP" if cluster_ip else "clusterIPs"))
    names: set[str] = set()
    seen: set[tuple[str, int]] = set()
    node_ports: set[tuple[str, int]] = set()
    many = isinstance(ports, list) and len(ports) > 1
    for i, port in items(ports):
        here = ("spec", "ports", i)
        name = text(port.get("name"))
        if many and not name:
            errors.required(here + ("name",), at=here)
        elif name:
            f.check_name(errors, here + ("name",), name, f.dns_label(name))
            if name in names:
                errors.duplicate(here + ("name",), name)
            names.add(name)
        number = integer(port.get("port"))
        if number is not None and not 1 <= number <= 65535:
            errors.invalid(here + ("port",), number, *f.PORT_RANGE)
        protocol = text(port.get("protocol")) or "TCP"
        if protocol not in PROTOCOLS:
            errors.unsupported(here + ("protocol",), protocol, PROTOCOLS)
        target = port.get("targetPort")
        if target in (None, 0, ""):
            target = number  # defaulted to the port
        f.port_number_or_name(errors, target, here + ("targetPort",), at=here + ("targetPort" if "targetPort" in port else "port",))
        node_port = integer(port.get("nodePort"))
        if node_port and kind == "ClusterIP":
            errors.forbidden(here + ("nodePort",), "may not be used when `type` is 'ClusterIP'",
                             "`type`이 'ClusterIP'이면 nodePort를 쓸 수 없습니다")
        if node_port and kind != "ClusterIP" and not 30000 <= node_port <= 32767:  # the default --service-node-port-range
            errors.invalid(here + ("nodePort",), node_port, "provided port is not in the valid range. The range of valid "
                           "ports is 30000-32767", "nodePort는 30000-32767 범위 안에 있어야 합니다")
        if node_port and (protocol, node_port) in node_ports:  # the allocator refuses it before validation says Duplicate
            errors.invalid(here + ("nodePort",), node_port, "provided port is already allocated",
                           "이 nodePort는 같은 서비스의 다른 포트가 이미 쓰고 있습니다")
        if node_port:
            node_ports.add((protocol, node_port))
        if number is not None and (protocol, number) in seen:
            key = f.GoStruct(Name="", Protocol=protocol, AppProtocol=None, Port=number, TargetPort=0, NodePort=0)
            errors.append(Rejection(here, f.field_string(here), "Duplicate value", f.go_value(key),
                                    "", "", f"Two ports of this Service use {protocol} port {number}: give each port its own number.",
                                    f"이 서비스의 두 포트가 {protocol} {number}번을 함께 씁니다. 포트마다 다른 번호를 쓰세요."))
        if number is not None:
            seen.add((protocol, number))
    f.validate_labels(errors, spec.get("selector"), ("spec", "selector"))
    affinity = spec.get("sessionAffinity")
    if isinstance(affinity, str) and affinity and affinity not in ("ClientIP", "None"):
        errors.unsupported(("spec", "sessionAffinity"), affinity, ["ClientIP", "None"])
    timeout = integer(get(spec, "sessionAffinityConfig", "clientIP", "timeoutSeconds"))
    if affinity == "ClientIP" and timeout is not None and not 0 < timeout <= 86400:
        errors.invalid(("spec", "sessionAffinityConfig", "clientIP", "timeoutSeconds"), timeout,
                       "must be greater than 0 and less than 86400", "0보다 크고 86400 이하여야 합니다")
    if isinstance(spec.get("type"), str) and spec["type"] and spec["type"] not in SERVICE_TYPES:
        errors.unsupported(("spec", "type"), spec["type"], SERVICE_TYPES)
    for field in ("externalTrafficPolicy", "internalTrafficPolicy"):
        value = spec.get(field)
        if isinstance(value, str) and value and value not in ("Cluster", "Local"):
            errors.unsupported(("spec", field), value, ["Cluster", "Local"])
    if text(spec.get("externalTrafficPolicy")) and kind not in ("NodePort", "LoadBalancer"):
        errors.invalid(("spec", "externalTrafficPolicy"), spec["externalTrafficPolicy"],
                       "may only be set for externally-accessible services", "외부에서 접근하는 서비스(NodePort, "
                       "LoadBalancer)에만 쓸 수 있습니다")


def _not_base64(errors: Errors, values: dict[Any, Any], field: str) -> None:
    """[]byte fields are base64 in JSON: the API server cannot even read the object otherwise."""
    for key, value in values.items():
        if isinstance(value, str):
            try:
                base64.b64decode(value.replace("\r", "").replace("\n", ""), validate=True)
            except (binascii.Error, ValueError):
                errors.append(Rejection(
                    (field, key), f"{field}[{key}]", "Invalid value", None,
                    f"values under `{field}` must be base64-encoded; the API server cannot read this object",
                    f"`{field}`의 값은 base64로 인코딩해야 합니다. API 서버가 이 오브젝트를 읽을 수 없습니다",
                    "Write plain text under `stringData:` (Secret) or `data:` (ConfigMap) instead, or encode it: "
                    "`echo -n 'value' | base64`.",
                    "평문은 `stringData:`(Secret)나 `data:`(ConfigMap) 아래에 쓰거나, `echo -n '값' | base64`로 인코딩하세요."))


def config_map(errors: Errors, obj: dict[str, Any]) -> None:
    binary = mapping(obj.get("binaryData"))
    _not_base64(errors, binary, "binaryData")
    for key in mapping(obj.get("data")):
        if isinstance(key, str):
            f.check_name(errors, ("data", Key(key)), key, config_key(key))
            if key in binary:
                errors.invalid(("data", Key(key)), key, "duplicate of key present in binaryData",
                               "binaryData에 같은 키가 있습니다")
    for key in binary:
        if isinstance(key, str):
            f.check_name(errors, ("binaryData", Key(key)), key, config_key(key))


def secret(errors: Errors, obj: dict[str, Any]) -> None:
    data = mapping(obj.get("data"))
    _not_base64(errors, data, "data")
    keys = set(data) | set(mapping(obj.get("stringData")))
    for key in sorted(k for k in keys if isinstance(k, str)):
        for en, ko in config_key(key):  # stringData is merged into data before validation
            errors.invalid(("data", Key(key)), key, en, ko, at=("data" if key in data else "stringData", key))
    kind = text(obj.get("type"))
    needed = {"kubernetes.io/tls": ("tls.crt", "tls.key"), "kubernetes.io/dockerconfigjson": (".dockerconfigjson",),
              "kubernetes.io/dockercfg": (".dockercfg",), "kubernetes.io/ssh-auth": ("ssh-privatekey",)}
    for key in needed.get(kind, ()):
        if key not in keys:
            errors.required(("data", Key(key)), at=("type",))
        elif kind.startswith("kubernetes.io/docker") and not _json_object(data.get(key), mapping(obj.get("stringData")).get(key)):
            plain = mapping(obj.get("stringData")).get(key)
            empty = plain == "" if isinstance(plain, str) else not data.get(key)
            errors.invalid(("data", Key(key)), "<secret contents redacted>",
                           "unexpected end of JSON input" if empty else "not a JSON object",
                           f"`{key}`의 내용이 JSON 오브젝트가 아닙니다", at=("data" if key in data else "stringData", key))
    if kind == "kubernetes.io/basic-auth" and not {"username", "password"} & keys:
        errors.required(("data", Key("username")), at=("type",))
        errors.required(("data", Key("password")), at=("type",))
    if kind == "kubernetes.io/service-account-token" and not text(
            mapping(mapping(obj.get("metadata")).get("annotations")).get("kubernetes.io/service-account.name")):
        errors.required(("metadata", "annotations", Key("kubernetes.io/service-account.name")), at=("type",))


def _json_object(encoded: Any, plain: Any) -> bool:
    import json

    try:
        text_value = plain if isinstance(plain, str) else base64.b64decode(str(encoded or "")).decode("utf-8")
        return isinstance(json.loads(text_value), dict)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False


QUOTA_SCOPES = {"Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass",
                "CrossNamespacePodAffinity", "VolumeAttributesClass"}
QUOTA_RESOURCES = {"pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps",
                   "persistentvolumeclaims", "services.nodeports", "services.loadbalancers", "cpu", "memory",
                   "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
                   "requests.storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage"}


def resource_quota(errors: Errors, obj: dict[str, Any]) -> None:
    for name, value in mapping(mapping(obj.get("spec")).get("hard")).items():
        here = ("spec", "hard", Key(name))
        if not isinstance(name, str):
            continue
        messages = f.qualified_name(name)
        f.check_name(errors, here, name, messages)
        if not messages and "/" not in name and name not in QUOTA_RESOURCES and not name.startswith(
                ("count/", "requests.hugepages-", "hugepages-")):
            errors.invalid(here, name, "must be a standard resource type or fully qualified",
                           "표준 리소스 이름이거나 도메인을 붙인 이름이어야 합니다")
            errors.invalid(here, name, "must be a standard resource for quota", "ResourceQuota에 쓸 수 있는 리소스가 아닙니다")
        amount = f.quantity_of(value)
        if amount is not None and amount.rounded_up(3).value < 0:
            errors.invalid(here, str(amount.rounded_up(3)), *f.NEGATIVE)
    scopes = mapping(obj.get("spec")).get("scopes")
    if isinstance(scopes, list) and any(not isinstance(s, str) or s not in QUOTA_SCOPES for s in scopes):
        errors.invalid(("spec", "scopes"), scopes, "unsupported scope", "지원하지 않는 scope입니다 (BestEffort, "
                       "NotBestEffort, Terminating, NotTerminating, PriorityClass ...)")


LIMIT_TYPES = ("Pod", "Container", "PersistentVolumeClaim")


def limit_range(errors: Errors, obj: dict[str, Any]) -> None:
    from graders.apivalidation.resources import resource_name

    seen: set[str] = set()
    for i, limit in items(mapping(obj.get("spec")).get("limits")):
        here = ("spec", "limits", i)
        kind = text(limit.get("type"))
        messages = f.qualified_name(kind)
        f.check_name(errors, here + ("type",), kind, messages)
        if not messages and "/" not in kind and kind not in LIMIT_TYPES:
            errors.invalid(here + ("type",), kind, "must be a standard limit type or fully qualified",
                           "type은 Container, Pod, PersistentVolumeClaim 중 하나여야 합니다")
        if kind in seen:
            errors.duplicate(here + ("type",), kind)
        seen.add(kind)
        sections = {name: {k: f.quantity_of(v) for k, v in mapping(limit.get(name)).items()}
                    for name in ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio")}
        for name, values in sections.items():
            if kind == "Pod" and name in ("default", "defaultRequest") and values:
                errors.forbidden(here + (name,), "may not be specified when `type` is 'Pod'", "type이 'Pod'이면 쓸 수 없습니다")
                continue
            for key in values:
                if kind in ("Pod", "Container") and isinstance(key, str):
                    resource_name(errors, key, here + (name, Key(key)))
        if kind == "Container":  # SetDefaults_LimitRangeItem: default from max, defaultRequest from default, then min
            for key, value in sections["max"].items():
                sections["default"].setdefault(key, value)
            for key, value in [*sections["default"].items(), *sections["min"].items()]:
                sections["defaultRequest"].setdefault(key, value)
        low, high, default, request = (sections[n] for n in ("min", "max", "default", "defaultRequest"))
        for key in sorted(set().union(*sections.values()), key=str):
            def q(values: dict[Any, Any]) -> Any:
                return values.get(key)
            if q(low) and q(high) and q(low).value > q(high).value:
                errors.invalid(here + ("min", Key(key)), str(q(low)), f"min value {q(low)} is greater than max value {q(high)}",
                               f"min({q(low)})이 max({q(high)})보다 큽니다")
            if q(request) and q(low) and q(low).value > q(request).value:
                errors.invalid(here + ("defaultRequest", Key(key)), str(q(request)), f"min value {q(low)} is greater than "
                               f"default request value {q(request)}", f"min({q(low)})이 defaultRequest({q(request)})보다 큽니다")
            if q(request) and q(high) and q(request).value > q(high).value:
                errors.invalid(here + ("defaultRequest", Key(key)), str(q(request)), f"default request value {q(request)} is "
                               f"greater than max value {q(high)}", f"defaultRequest({q(request)})가 max({q(high)})보다 큽니다")
            if q(request) and q(default) and q(request).value > q(default).value:
                errors.invalid(here + ("defaultRequest", Key(key)), str(q(request)), f"default request value {q(request)} "
                               f"is greater than default limit value {q(default)}",
                               f"defaultRequest({q(request)})가 default({q(default)})보다 큽니다")
            if q(default) and q(low) and q(low).value > q(default).value:
                errors.invalid(here + ("default", Key(key)), str(q(low)), f"min value {q(low)} is greater than default "
                               f"value {q(default)}", f"min({q(low)})이 default({q(default)})보다 큽니다")
            if q(default) and q(high) and q(default).value > q(high).value:  # the API server shows the max as the value
                errors.invalid(here + ("default", Key(key)), str(q(high)), f"default value {q(default)} is greater than "
                               f"max value {q(high)}", f"default({q(default)})가 max({q(high)})보다 큽니다")


POD_SECURITY_LEVELS = ("privileged", "baseline", "restricted")


def namespace(errors: Errors, obj: dict[str, Any]) -> None:
    """The PodSecurity admission plugin refuses a namespace whose pod-security labels it cannot read."""
    import re

    for key, value in mapping(mapping(obj.get("metadata")).get("labels")).items():
        if not isinstance(value, str) or not isinstance(key, str) or not key.startswith("pod-security.kubernetes.io/"):
            continue
        if f.label_value(value):
            continue  # refused as a label value before admission looks at it
        mode = key.rpartition("/")[2]
        here = ("metadata", "labels", Key(key))
        if mode in ("enforce", "audit", "warn") and value not in POD_SECURITY_LEVELS:
            errors.invalid(here, value, "must be one of privileged, baseline, restricted",
                           "privileged, baseline, restricted 중 하나여야 합니다", at=("metadata", "labels", key))
        elif mode.endswith("-version") and value != "latest" and not re.fullmatch(r"v1\.(0|[1-9][0-9]*)", value):
            errors.invalid(here, value, "must be 'latest' or of the form 'v1.x'", "'latest'나 'v1.x' 형식이어야 합니다",
                           at=("metadata", "labels", key))
