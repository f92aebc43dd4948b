"""NetworkPolicy: may a peer reach a pod on a port, and is everything the policies allow within what was asked."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from graders.meaning.selectors import Selector, SelectorError, label_selector, labels_selector
from graders.meaning.shape import items

NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"
PROTOCOLS = ("TCP", "UDP", "SCTP")


@dataclass(frozen=True)
class Pod:
    """A pod as policies see it: its namespace (and the namespace's labels), its labels, its named ports."""

    namespace: str
    labels: Mapping[str, str] = field(default_factory=dict)
    namespace_labels: Mapping[str, str] = field(default_factory=dict)
    ports: Mapping[str, int] = field(default_factory=dict)
    """Container port name -> number (named ports in policies resolve against the pod they reach)."""
    ip: str | None = None

    def all_namespace_labels(self) -> dict[str, str]:
        return {**self.namespace_labels, NAMESPACE_NAME_LABEL: self.namespace}

    def text(self) -> str:
        labels = ",".join(f"{k}={v}" for k, v in sorted(self.labels.items())) or "no labels"
        return f"pods ({labels}) in {self.namespace}"


@dataclass(frozen=True)
class Address:
    """Something outside the cluster, known by its IP."""

    ip: str

    def text(self) -> str:
        return self.ip


Peer = Pod | Address


@dataclass(frozen=True)
class PortRange:
    protocol: str = "TCP"
    low: int | None = None
    """None: every port of the protocol."""
    high: int | None = None
    name: str | None = None
    """A named port, resolved against the pod reached."""

    def contains(self, protocol: str, port: int, named: Mapping[str, int]) -> bool:
        if protocol != self.protocol:
            return False
        if self.name is not None:
            return named.get(self.name) == port
        if self.low is None:
            return True
        return self.low <= port <= (self.high if self.high is not None else self.low)

    def within(self, other: "PortRange", named: Mapping[str, int]) -> bool:
        """Every port this range admits, `other` admits too."""
        if self.protocol != other.protocol:
            return False
        if other.low is None and other.name is None:
            return True
        mine = self._numbers(named)
        theirs = other._numbers(named)
        if mine is None or theirs is None:
            return mine is not None and self.name is not None and self.name == other.name
        return mine[0] >= theirs[0] and mine[1] <= theirs[1]

    def _numbers(self, named: Mapping[str, int]) -> tuple[int, int] | None:
        if self.name is not None:
            number = named.get(self.name)
            return (number, number) if number is not None else (1, 0)  # an unknown name admits nothing
        if self.low is None:
            return None
        return self.low, self.high if self.high is not None else self.low

    def text(self) -> str:
        if self.name is not None:
            return f"{self.protocol} {self.name}"
        if self.low is None:
            return f"every {self.protocol} port"
        return f"{self.protocol} {self.low}" + (f"-{self.high}" if self.high not in (None, self.low) else "")


ALL_PORTS = tuple(PortRange(p) for p in PROTOCOLS)


class PolicyError(ValueError):
    """A policy kubedojo cannot read (the API server would refuse it)."""


def _port_ranges(given: Any) -> tuple[PortRange, ...]:
    if not isinstance(given, list) or not given:
        return ALL_PORTS
    ranges = []
    for item in given:
        if not isinstance(item, Mapping):
            raise PolicyError("a ports item must be a mapping")
        protocol = str(item.get("protocol") or "TCP")
        port, end = item.get("port"), item.get("endPort")
        if port is None:
            ranges.append(PortRange(protocol))
        elif isinstance(port, int) and not isinstance(port, bool):
            ranges.append(PortRange(protocol, port, end if isinstance(end, int) else None))
        elif isinstance(port, str) and port.isdigit():
            ranges.append(PortRange(protocol, int(port), end if isinstance(end, int) else None))
        else:
            ranges.append(PortRange(protocol, name=str(port)))
    return tuple(ranges)


@dataclass(frozen=True)
class PeerSet:
    """The peers one `from`/`to` item admits: anyone, pods by selector (in namespaces), or a CIDR."""

    pods: Selector | None = None
    """Pods matching this (None: no pods, an ipBlock)."""
    namespaces: Selector | None = None
    """Namespaces whose pods count; None means the policy's own namespace."""
    own_namespace: str = ""
    cidr: str | None = None
    excepts: tuple[str, ...] = ()
    anyone: bool = False

    def admits(self, peer: Peer) -> bool:
        if self.anyone:
            return True
        if self.cidr is not None:
            ip = peer.ip if isinstance(peer, Pod) else peer.ip
            if not ip:
                return False
            address = ipaddress.ip_address(ip)
            network = ipaddress.ip_network(self.cidr, strict=False)
            return address.version == network.version and address in network and not any(
                address in ipaddress.ip_network(e, strict=False) for e in self.excepts if ipaddress.ip_network(e, strict=False).version == address.version)
        if not isinstance(peer, Pod) or self.pods is None:
            return False
        if self.namespaces is None:
            in_namespace = peer.namespace == self.own_namespace
        else:
            in_namespace = self.namespaces.matches(peer.all_namespace_labels())
        return in_namespace and self.pods.matches(peer.labels)

    def text(self) -> str:
        if self.cidr is not None:
            return f"{self.cidr}" + (f" except {', '.join(self.excepts)}" if self.excepts else "")
        if self.anyone or self.pods is None:
            return "anyone"
        where = f"namespace {self.own_namespace}" if self.namespaces is None else (
            "every namespace" if self.namespaces.everything else f"namespaces ({self.namespaces.text()})")
        who = "every pod" if self.pods.everything else f"pods ({self.pods.text()})"
        return f"{who} in {where}"


EVERYONE = PeerSet(anyone=True)
"""A rule with no `from`/`to`: every pod of every namespace and every address."""


def _peer_sets(given: Any, own_namespace: str) -> tuple[PeerSet, ...]:
    if not isinstance(given, list) or not given:
        return (EVERYONE,)
    sets = []
    for item in given:
        if not isinstance(item, Mapping):
            raise PolicyError("a from/to item must be a mapping")
        try:
            if "ipBlock" in item:
                block = item.get("ipBlock") if isinstance(item.get("ipBlock"), Mapping) else {}
                cidr, excepts = str(block.get("cidr")), tuple(str(e) for e in items(block.get("except")))
                for network in (cidr, *excepts):
                    try:
                        ipaddress.ip_network(network, strict=False)
                    except ValueError:
                        raise PolicyError(f"ipBlock: {network!r} is not a CIDR") from None  # the API server refuses it
                sets.append(PeerSet(cidr=cidr, excepts=excepts))
                continue
            pods = label_selector(item.get("podSelector")) if "podSelector" in item else label_selector({})
            namespaces = label_selector(item.get("namespaceSelector")) if "namespaceSelector" in item else None
        except SelectorError as err:
            raise PolicyError(str(err)) from None
        if "podSelector" not in item and "namespaceSelector" not in item:
            continue  # an empty peer: the API server refuses it; it admits nothing here
        sets.append(PeerSet(pods, namespaces, own_namespace))
    return tuple(sets)


@dataclass(frozen=True)
class Rule:
    peers: tuple[PeerSet, ...]
    ports: tuple[PortRange, ...]


@dataclass(frozen=True)
class Policy:
    """A NetworkPolicy, with its defaults applied."""

    name: str
    namespace: str
    selects: Selector
    ingress: tuple[Rule, ...] | None
    """None: the policy does not isolate ingress."""
    egress: tuple[Rule, ...] | None


def policy(obj: Mapping[str, Any], default_namespace: str = "default") -> Policy:
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), Mapping) else {}
    namespace = str(meta.get("namespace") or default_namespace)
    spec = obj.get("spec") if isinstance(obj.get("spec"), Mapping) else {}
    try:
        selects = label_selector(spec.get("podSelector") if spec.get("podSelector") is not None else {})
    except SelectorError as err:
        raise PolicyError(str(err)) from None
    types = [t for t in items(spec.get("policyTypes")) if isinstance(t, str)]
    if not types:  # the API server's default: Ingress always, Egress when there are egress rules
        types = ["Ingress"] + (["Egress"] if spec.get("egress") else [])

    def rules(key: str, peers_key: str) -> tuple[Rule, ...]:
        return tuple(Rule(_peer_sets(r.get(peers_key), namespace), _port_ranges(r.get("ports")))
                     for r in items(spec.get(key)) if isinstance(r, Mapping))

    return Policy(str(meta.get("name") or ""), namespace, selects,
                  rules("ingress", "from") if "Ingress" in types else None,
                  rules("egress", "to") if "Egress" in types else None)


def policies(objects: Iterable[Mapping[str, Any]], default_namespace: str = "default") -> list[Policy]:
    return [policy(o, default_namespace) for o in objects if isinstance(o, Mapping) and o.get("kind") == "NetworkPolicy"]


def _governing(found: list[Policy], pod: Pod, direction: str) -> list[Policy]:
    return [p for p in found if p.namespace == pod.namespace and p.selects.matches(pod.labels) and getattr(p, direction) is not None]


def ingress_allowed(found: list[Policy], source: Peer, target: Pod, protocol: str, port: int) -> bool:
    chosen = _governing(found, target, "ingress")
    if not chosen:
        return True
    return any(any(s.admits(source) for s in rule.peers) and any(r.contains(protocol, port, target.ports) for r in rule.ports)
               for p in chosen for rule in p.ingress or ())


def egress_allowed(found: list[Policy], source: Pod, target: Peer, protocol: str, port: int) -> bool:
    chosen = _governing(found, source, "egress")
    if not chosen:
        return True
    named = target.ports if isinstance(target, Pod) else {}
    return any(any(s.admits(target) for s in rule.peers) and any(r.contains(protocol, port, named) for r in rule.ports)
               for p in chosen for rule in p.egress or ())


def may_reach(found: list[Policy], source: Peer, target: Peer, protocol: str, port: int) -> tuple[bool, str]:
    """Whether a connection is allowed, and which side stops it ("" when allowed)."""
    if isinstance(source, Pod) and not egress_allowed(found, source, target, protocol, port):
        return False, "egress"
    if isinstance(target, Pod) and not ingress_allowed(found, source, target, protocol, port):
        return False, "ingress"
    return True, ""


# --- "nothing else" --------------------------------------------------------------------------


@dataclass(frozen=True)
class Wanted:
    """One part of what a task allows: these peers on these ports (the peers by selector, or a CIDR)."""

    pods: Selector | None = None
    namespaces: Selector | None = None
    """None: exactly the namespace `namespace`."""
    namespace: str = ""
    cidr: str | None = None
    ports: tuple[PortRange, ...] = ALL_PORTS

    @staticmethod
    def anyone(ports: tuple[PortRange, ...] = ALL_PORTS) -> "Wanted":
        return Wanted(ports=ports)

    @staticmethod
    def of(namespace: str = "", labels: Mapping[str, str] | None = None, namespace_labels: Mapping[str, str] | None = None,
           cidr: str | None = None, ports: tuple[PortRange, ...] = ALL_PORTS) -> "Wanted":
        if cidr is not None:
            return Wanted(cidr=cidr, ports=ports)
        namespaces = labels_selector(namespace_labels) if namespace_labels is not None else None
        return Wanted(labels_selector(labels or {}), namespaces, namespace, ports=ports)


def _namespaces_within(allowed: PeerSet, wanted: Wanted, known: Mapping[str, Mapping[str, str]]) -> bool:
    """Every namespace the policy's peer admits is one the task allows."""
    if wanted.namespaces is None:  # exactly one namespace
        if allowed.namespaces is None:
            return allowed.own_namespace == wanted.namespace
        return allowed.namespaces.implies(labels_selector({NAMESPACE_NAME_LABEL: wanted.namespace}))
    if allowed.namespaces is None:
        labels = {**known.get(allowed.own_namespace, {}), NAMESPACE_NAME_LABEL: allowed.own_namespace}
        return wanted.namespaces.matches(labels)
    return allowed.namespaces.implies(wanted.namespaces)


def _cidr_within(allowed: PeerSet, wanted: Wanted) -> bool:
    if wanted.cidr is None or allowed.cidr is None:
        return False
    outer = ipaddress.ip_network(wanted.cidr, strict=False)
    remaining = [ipaddress.ip_network(allowed.cidr, strict=False)]
    for cut in allowed.excepts:
        cut_net = ipaddress.ip_network(cut, strict=False)
        remaining = [piece for net in remaining for piece in ([net] if not net.overlaps(cut_net) or net.version != cut_net.version
                     else (net.address_exclude(cut_net) if cut_net.subnet_of(net) else []))]  # type: ignore[arg-type]
    return all(net.version == outer.version and net.subnet_of(outer) for net in remaining)  # type: ignore[arg-type]


def peer_within(allowed: PeerSet, wanted: Wanted, known: Mapping[str, Mapping[str, str]]) -> bool:
    if wanted.pods is None and wanted.cidr is None:
        return True
    if allowed.anyone:
        return False
    if allowed.cidr is not None or wanted.cidr is not None:
        return _cidr_within(allowed, wanted)
    if allowed.pods is None or wanted.pods is None:
        return False
    return allowed.pods.implies(wanted.pods) and _namespaces_within(allowed, wanted, known)


@dataclass(frozen=True)
class Widening:
    """Something a policy allows that the task does not: which policy, whom, on which ports."""

    policy: str
    peers: PeerSet
    ports: PortRange

    def text(self) -> str:
        return f"{self.peers.text()} on {self.ports.text()}" + (f" (policy {self.policy})" if self.policy else "")


def beyond_ingress(found: list[Policy], target: Pod, wanted: list[Wanted], known: Mapping[str, Mapping[str, str]] | None = None) -> list[Widening]:
    """What may reach `target` that `wanted` does not cover; an unprotected target lets everything in."""
    known = known or {}
    chosen = _governing(found, target, "ingress")
    if not chosen:
        return [Widening("", EVERYONE, r) for r in ALL_PORTS if not _covered(EVERYONE, r, wanted, target.ports, known)]
    return [Widening(p.name, peers, ports) for p in chosen for rule in p.ingress or () for peers in rule.peers for ports in rule.ports
            if not _covered(peers, ports, wanted, target.ports, known)]


def beyond_egress(found: list[Policy], source: Pod, wanted: list[Wanted], known: Mapping[str, Mapping[str, str]] | None = None) -> list[Widening]:
    """Where `source` may connect that `wanted` does not cover."""
    known = known or {}
    chosen = _governing(found, source, "egress")
    if not chosen:
        return [Widening("", EVERYONE, r) for r in ALL_PORTS if not _covered(EVERYONE, r, wanted, {}, known)]
    return [Widening(p.name, peers, ports) for p in chosen for rule in p.egress or () for peers in rule.peers for ports in rule.ports
            if not _covered(peers, ports, wanted, {}, known)]


def _covered(peers: PeerSet, ports: PortRange, wanted: list[Wanted], named: Mapping[str, int], known: Mapping[str, Mapping[str, str]]) -> bool:
    if ports.name is not None and named and ports.name not in named:
        return True  # a named port the pod does not have admits nothing
    if peers.pods is not None and not peers.pods.satisfiable():
        return True
    return any(peer_within(peers, w, known) and any(ports.within(r, named) for r in w.ports) for w in wanted)
