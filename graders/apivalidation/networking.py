"""networking.k8s.io/v1: NetworkPolicy peers, ports and policy types; Ingress rules, paths and backends."""

from __future__ import annotations

import ipaddress
from typing import Any

from graders.apivalidation import fields as f
from graders.apivalidation.fields import Errors, Path, integer, items, mapping, text

PATH_TYPES = ["Exact", "ImplementationSpecific", "Prefix"]


def network_policy(errors: Errors, obj: dict[str, Any]) -> None:
    spec = mapping(obj.get("spec"))
    f.validate_selector(errors, spec.get("podSelector"), ("spec", "podSelector"))
    for direction, peers_field in (("ingress", "from"), ("egress", "to")):
        for i, rule in items(spec.get(direction)):
            here = ("spec", direction, i)
            for j, port in items(rule.get("ports")):
                _policy_port(errors, port, here + ("ports", j))
            for j, peer in items(rule.get(peers_field)):
                _peer(errors, peer, here + (peers_field, j))
    types = spec.get("policyTypes")
    if isinstance(types, list):
        if len(types) > 2:
            errors.invalid(("spec", "policyTypes"), types, "may not specify more than two policyTypes",
                           "policyTypes는 두 개까지만 쓸 수 있습니다")
            return
        for i, kind in enumerate(types):
            if isinstance(kind, str) and kind not in ("Ingress", "Egress"):
                errors.unsupported(("spec", "policyTypes", i), kind, ["Ingress", "Egress"])


def _policy_port(errors: Errors, port: dict[str, Any], path: Path) -> None:
    protocol = port.get("protocol")
    if isinstance(protocol, str) and protocol not in ("TCP", "UDP", "SCTP"):
        errors.unsupported(path + ("protocol",), protocol, ["TCP", "UDP", "SCTP"])
    number, end = port.get("port"), integer(port.get("endPort"))
    if integer(number) is not None:
        if not 1 <= integer(number) <= 65535:  # type: ignore[operator]
            errors.invalid(path + ("port",), integer(number), *f.PORT_RANGE)
        if end is not None:
            if end < integer(number):  # type: ignore[operator]
                errors.invalid(path + ("endPort",), end, "must be greater than or equal to `port`", "`port`보다 작을 수 없습니다")
            if not 1 <= end <= 65535:
                errors.invalid(path + ("endPort",), end, *f.PORT_RANGE)
    elif isinstance(number, str):
        if end is not None:
            errors.invalid(path + ("endPort",), end, "may not be specified when `port` is non-numeric",
                           "`port`가 숫자가 아니면 쓸 수 없습니다")
        f.port_number_or_name(errors, number, path + ("port",))
    elif end is not None:
        errors.invalid(path + ("endPort",), end, "may not be specified when `port` is not specified", "`port`가 없으면 쓸 수 없습니다")


def _peer(errors: Errors, peer: dict[str, Any], path: Path) -> None:
    kinds = [k for k in ("podSelector", "namespaceSelector", "ipBlock") if peer.get(k) is not None]
    for kind in ("podSelector", "namespaceSelector"):
        f.validate_selector(errors, peer.get(kind), path + (kind,))
    block = peer.get("ipBlock")
    if isinstance(block, dict):
        _ip_block(errors, block, path + ("ipBlock",))
    if not kinds:
        errors.required(path, "must specify a peer", "podSelector, namespaceSelector, ipBlock 중 하나를 지정해야 합니다")
    elif len(kinds) > 1 and "ipBlock" in kinds:
        errors.forbidden(path, "may not specify both ipBlock and another peer", "ipBlock은 다른 peer와 함께 쓸 수 없습니다")


def _network(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(value, strict=False)
    except ValueError:
        return None


def _ip_block(errors: Errors, block: dict[str, Any], path: Path) -> None:
    cidr = text(block.get("cidr"))
    if not cidr:
        if "cidr" in block:
            errors.required(path + ("cidr",))
        return
    network = _network(cidr) if "/" in cidr else None
    if network is None:
        errors.invalid(path + ("cidr",), cidr, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
                       "올바른 CIDR이어야 합니다 (예: 10.9.8.0/24, 2001:db8::/64)")
        return
    for i, except_cidr in enumerate(block.get("except") or [] if isinstance(block.get("except"), list) else []):
        if not isinstance(except_cidr, str):
            continue
        inner = _network(except_cidr) if "/" in except_cidr else None
        if inner is None:
            errors.invalid(path + ("except", i), except_cidr, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or "
                           "2001:db8::/64)", "올바른 CIDR이어야 합니다 (예: 10.9.8.0/24, 2001:db8::/64)")
        elif inner.version != network.version or not (inner.network_address in network and inner.prefixlen > network.prefixlen):
            errors.invalid(path + ("except", i), except_cidr, "must be a strict subset of `cidr`",
                           "`cidr` 안에 있는 더 좁은 범위여야 합니다")


def ingress(errors: Errors, obj: dict[str, Any]) -> None:
    spec = mapping(obj.get("spec"))
    rules = spec.get("rules")
    if not (isinstance(rules, list) and rules) and spec.get("defaultBackend") is None:
        errors.invalid(("spec",), rules if isinstance(rules, list) else None,
                       "either `defaultBackend` or `rules` must be specified", "`defaultBackend`나 `rules`가 있어야 합니다")
    if isinstance(spec.get("defaultBackend"), dict):
        _backend(errors, spec["defaultBackend"], ("spec", "defaultBackend"))
    for i, rule in items(rules):
        here = ("spec", "rules", i)
        host = text(rule.get("host"))
        if host:
            if _network(host) is not None and "/" not in host:
                errors.invalid(here + ("host",), host, "must be a DNS name, not an IP address", "IP 주소가 아니라 DNS 이름이어야 합니다")
            if "*" in host:
                if not (host.startswith("*.") and not f.dns_subdomain(host[2:])):
                    errors.invalid(here + ("host",), host, "a wildcard DNS-1123 subdomain must start with '*.', followed "
                                   "by a valid DNS subdomain, which must consist of lower case alphanumeric characters, "
                                   "'-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used "
                                   "for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                                   "와일드카드 호스트는 '*.' 뒤에 올바른 DNS 서브도메인이 와야 합니다 (예: '*.example.com')")
            else:
                f.check_name(errors, here + ("host",), host, f.dns_subdomain(host))
        http = rule.get("http")
        if not isinstance(http, dict):
            continue
        paths = http.get("paths")
        if isinstance(paths, list) and not paths:
            errors.required(here + ("http", "paths"))
        for j, entry in items(paths):
            _http_path(errors, entry, here + ("http", "paths", j))
    for i, tls in items(spec.get("tls")):
        for j, host in enumerate(tls.get("hosts") or [] if isinstance(tls.get("hosts"), list) else []):
            if isinstance(host, str) and "*" not in host:
                f.check_name(errors, ("spec", "tls", i, "hosts", j), host, f.dns_subdomain(host))
        secret = text(tls.get("secretName"))
        if secret:
            f.check_name(errors, ("spec", "tls", i, "secretName"), secret, f.dns_subdomain(secret))
    name = spec.get("ingressClassName")
    if isinstance(name, str):  # a pointer: "" is checked too
        f.check_name(errors, ("spec", "ingressClassName"), name, f.dns_subdomain(name))


def _http_path(errors: Errors, entry: dict[str, Any], path: Path) -> None:
    kind, value = entry.get("pathType"), text(entry.get("path"))
    if kind is None:
        if "pathType" in entry:
            errors.required(path + ("pathType",), "pathType must be specified", "pathType을 지정해야 합니다")
        return
    if kind in ("Exact", "Prefix"):
        if not value.startswith("/"):
            errors.invalid(path + ("path",), value, "must be an absolute path", "'/'로 시작하는 절대 경로여야 합니다",
                           at=path + ("path",) if "path" in entry else path)
        for bad in ("//", "/./", "/../", "%2f", "%2F"):
            if value and bad in value:
                errors.invalid(path + ("path",), value, f"must not contain '{bad}'", f"'{bad}'를 쓸 수 없습니다")
        for bad in ("/..", "/."):
            if value.endswith(bad):
                errors.invalid(path + ("path",), value, f"cannot end with '{bad}'", f"'{bad}'로 끝날 수 없습니다")
    elif kind == "ImplementationSpecific":
        if value and not value.startswith("/"):
            errors.invalid(path + ("path",), value, "must be an absolute path", "'/'로 시작하는 절대 경로여야 합니다")
    elif isinstance(kind, str):
        errors.unsupported(path + ("pathType",), kind, PATH_TYPES)
        return
    backend = entry.get("backend")
    if isinstance(backend, dict):
        _backend(errors, backend, path + ("backend",))


def _backend(errors: Errors, backend: dict[str, Any], path: Path) -> None:
    service, resource = backend.get("service"), backend.get("resource")
    if service is not None and resource is not None:
        errors.invalid(path, "", "cannot set both resource and service backends", "resource와 service를 함께 쓸 수 없습니다")
        return
    if resource is not None:
        return
    if not isinstance(service, dict):
        errors.invalid(path, "", "resource or service backend is required", "service나 resource backend가 있어야 합니다")
        return
    name = service.get("name")
    if name == "":
        errors.required(path + ("service", "name"))
    elif isinstance(name, str):
        f.check_name(errors, path + ("service", "name"), name, f.dns_label(name))
    port = mapping(service.get("port"))
    port_name, number = text(port.get("name")), integer(port.get("number")) or 0
    if port_name and number:
        errors.invalid(path, "", "cannot set both port name & port number", "포트 이름과 번호를 함께 쓸 수 없습니다")
    elif port_name:
        f.check_name(errors, path + ("service", "port", "name"), port_name, f.port_name(port_name))
    elif number:
        if not 1 <= number <= 65535:
            errors.invalid(path + ("service", "port", "number"), number, *f.PORT_RANGE)
    else:
        errors.required(path, "port name or number is required", "포트 이름이나 번호(service.port)가 있어야 합니다",
                        at=path + ("service",))
