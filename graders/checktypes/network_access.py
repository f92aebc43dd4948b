"""`network_access`: which connections the NetworkPolicies allow, and that nothing else may reach (or leave) a pod."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from exercises.base import CheckBase, ObjectRef, Strict
from graders.checktypes.base import CheckType, lazy
from graders.report import CheckResult
from graders.subject import Subject, result

netpol = lazy("graders.meaning.netpol")

MESSAGES = {
    "allowed": ("{source} may reach {target} on {port}", "{source}에서 {target}의 {port}(으)로 접속할 수 있습니다"),
    "blocked": ("{source} cannot reach {target} on {port}: {side}", "{source}에서 {target}의 {port}(으)로 접속할 수 없습니다: {side}"),
    "side-ingress": ("the policies on {target} do not let it in", "{target}에 적용된 정책이 들여보내지 않습니다"),
    "side-egress": ("the policies on {source} do not let it out", "{source}에 적용된 정책이 내보내지 않습니다"),
    "should-block": ("{source} may reach {target} on {port}, which the task forbids", "{source}에서 {target}의 {port}(으)로 접속할 수 있는데, 과제는 이를 막아야 합니다"),
    "widened-in": ("{peers} may also reach {target} on {ports}{policy}: the task allows nothing else", "{peers}도 {target}의 {ports}(으)로 접속할 수 있습니다{policy}: 과제는 그 밖의 접속을 허용하지 않습니다"),
    "widened-out": ("{source} may also reach {peers} on {ports}{policy}: the task allows nothing else", "{source}에서 {peers}의 {ports}(으)로도 접속할 수 있습니다{policy}: 과제는 그 밖의 접속을 허용하지 않습니다"),
    "unprotected-in": ("no policy isolates {target}, so everyone may reach it", "{target}을(를) 격리하는 정책이 없어 누구나 접속할 수 있습니다"),
    "unprotected-out": ("no policy isolates {source}'s outgoing traffic, so it may connect anywhere", "{source}의 나가는 트래픽을 격리하는 정책이 없어 어디로든 접속할 수 있습니다"),
    "policy": (" (policy {name})", " (정책 {name})"),
    "nothing-else": ("; nothing else", "; 그 밖의 접속은 없습니다"),
    "bad-policy": ("NetworkPolicy `{name}` cannot be read: {error}", "NetworkPolicy `{name}`을(를) 읽을 수 없습니다: {error}"),
    "pods": ("pods {labels} in {namespace}", "{namespace}의 파드 {labels}"),
    "any-pod": ("any pod in {namespace}", "{namespace}의 모든 파드"),
    "every-namespace": ("every namespace", "모든 네임스페이스"),
    "namespaces": ("namespaces {labels}", "네임스페이스 {labels}"),
    "anyone": ("anyone", "누구나"),
    "every-port": ("every {protocol} port", "모든 {protocol} 포트"),
}


class Peer(Strict):
    """One end of a connection: pods (their namespace and labels), or an address outside the cluster."""

    namespace: str | None = None
    labels: dict[str, str] = {}
    """The pod's labels; in `nothing_else`, "pods carrying these labels" (any others too)."""
    namespace_labels: dict[str, str] = {}
    """The labels of the pod's namespace (`kubernetes.io/metadata.name` is always there)."""
    any_labelled_namespace: bool = False
    """In `nothing_else`: the task allows these pods in every namespace carrying `namespace_labels`, not only in `namespace`."""
    ports: dict[str, int] = {}
    """The pod's named container ports, for policies that name them."""
    ip: str | None = None
    """An address (a pod IP or outside the cluster); in `nothing_else` a CIDR may be given as `cidr`."""
    cidr: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "Peer":
        if (self.ip or self.cidr) and self.namespace:
            raise ValueError("a peer is pods (namespace, labels) or an address (ip, cidr), not both")
        if not (self.ip or self.cidr or self.namespace):
            raise ValueError("a peer needs a namespace (pods) or an ip/cidr")
        if self.any_labelled_namespace and not self.namespace_labels:
            raise ValueError("any_labelled_namespace needs the `namespace_labels` that such namespaces carry")
        return self

    def evaluated(self) -> netpol.Peer:
        if self.ip or self.cidr:
            return netpol.Address(self.ip or str(self.cidr).split("/")[0])
        return netpol.Pod(str(self.namespace), self.labels, self.namespace_labels, self.ports)


class Connection(Strict):
    """A connection: from, to (each defaulting to the check's), a port and a protocol."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    source: Peer | None = Field(default=None, alias="from")
    to: Peer | None = None
    port: int = Field(ge=1, le=65535)
    protocol: Literal["TCP", "UDP", "SCTP"] = "TCP"


class NetworkAccessCheck(CheckBase):
    """Connections the NetworkPolicies of the answer (or the cluster) must allow, must stop, and "nothing else"."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    type: Literal["network_access"]
    source: Peer | None = Field(default=None, alias="from")
    """The default `from` of the connections (the pods whose outgoing traffic the task is about)."""
    to: Peer | None = None
    """The default `to` (the pods being reached)."""
    allowed: list[Connection] = []
    denied: list[Connection] = []
    nothing_else: bool = False
    """With `to`: nothing but the `allowed` peers and ports may reach it. With only `from`: it may connect nowhere else."""

    @model_validator(mode="after")
    def _ends(self) -> "NetworkAccessCheck":
        for c in self.allowed + self.denied:
            if (c.source or self.source) is None or (c.to or self.to) is None:
                raise ValueError("every connection needs a `from` and a `to` (its own or the check's)")
        if self.nothing_else and self.to is None and self.source is None:
            raise ValueError("nothing_else needs the check's `to` (who may reach it) or `from` (where it may go)")
        if self.nothing_else and self.to is not None and (self.to.ip or self.to.cidr):
            raise ValueError("nothing_else with `to` needs pods, not an address")
        return self


def _peer_text(peer: Any, subject: Subject) -> str:
    if isinstance(peer, netpol.Address):
        return peer.ip
    labels = "{" + ", ".join(f"{k}={v}" for k, v in sorted(peer.labels.items())) + "}"
    return subject.tell(MESSAGES, "pods", labels=labels, namespace=peer.namespace) if peer.labels else subject.tell(MESSAGES, "any-pod", namespace=peer.namespace)


def _peers_text(peers: netpol.PeerSet, subject: Subject) -> str:
    if peers.anyone:
        return subject.tell(MESSAGES, "anyone")
    if peers.cidr is not None:
        return peers.text()
    pods = peers.pods.text() if peers.pods is not None and not peers.pods.everything else ""
    if peers.namespaces is None:
        where = peers.own_namespace
    elif peers.namespaces.everything:
        where = subject.tell(MESSAGES, "every-namespace")
    else:
        where = subject.tell(MESSAGES, "namespaces", labels="{" + peers.namespaces.text() + "}")
    return subject.tell(MESSAGES, "pods", labels="{" + pods + "}", namespace=where) if pods else subject.tell(MESSAGES, "any-pod", namespace=where)


def _ports_text(ports: netpol.PortRange, subject: Subject) -> str:
    if ports.low is None and ports.name is None:
        return subject.tell(MESSAGES, "every-port", protocol=ports.protocol)
    return ports.text()


def _wanted(check: NetworkAccessCheck, outgoing: bool) -> list[netpol.Wanted]:
    wanted = []
    for c in check.allowed:
        other = (c.to or check.to) if outgoing else (c.source or check.source)
        assert other is not None
        ports = (netpol.PortRange(c.protocol, c.port),)
        if other.ip or other.cidr:
            wanted.append(netpol.Wanted(cidr=other.cidr or f"{other.ip}/{128 if ':' in str(other.ip) else 32}", ports=ports))
        else:
            namespace_labels = other.namespace_labels if other.any_labelled_namespace else None
            wanted.append(netpol.Wanted.of(str(other.namespace), other.labels, namespace_labels, ports=ports))
    return wanted


def run_network_access(check: NetworkAccessCheck, subject: Subject) -> CheckResult:
    try:
        found = [netpol.policy(o, subject.namespace) for o in subject.of_kind("NetworkPolicy")]
    except netpol.PolicyError as err:
        return result(check, subject, False, subject.tell(MESSAGES, "bad-policy", name="?", error=err))
    known = {p.namespace: dict(p.namespace_labels) for p in (check.to, check.source) if p is not None and p.namespace}
    shown = []
    for c in check.allowed:
        source, target = (c.source or check.source).evaluated(), (c.to or check.to).evaluated()  # type: ignore[union-attr]
        ok, side = netpol.may_reach(found, source, target, c.protocol, c.port)
        port = f"{c.protocol} {c.port}"
        texts = {"source": _peer_text(source, subject), "target": _peer_text(target, subject), "port": port}
        if not ok:
            return result(check, subject, False, subject.tell(MESSAGES, "blocked", side=subject.tell(MESSAGES, f"side-{side}", **texts), **texts))
        shown.append(subject.tell(MESSAGES, "allowed", **texts))
    for c in check.denied:
        source, target = (c.source or check.source).evaluated(), (c.to or check.to).evaluated()  # type: ignore[union-attr]
        if netpol.may_reach(found, source, target, c.protocol, c.port)[0]:
            return result(check, subject, False, subject.tell(MESSAGES, "should-block", source=_peer_text(source, subject),
                                                              target=_peer_text(target, subject), port=f"{c.protocol} {c.port}"))
    if check.nothing_else:
        outgoing = check.to is None
        end = (check.source if outgoing else check.to).evaluated()  # type: ignore[union-attr]
        assert isinstance(end, netpol.Pod)
        widened = (netpol.beyond_egress if outgoing else netpol.beyond_ingress)(found, end, _wanted(check, outgoing), known)
        if widened:
            first = widened[0]
            if first.policy == "":
                key = "unprotected-out" if outgoing else "unprotected-in"
                return result(check, subject, False, subject.tell(MESSAGES, key, source=_peer_text(end, subject), target=_peer_text(end, subject)))
            policy = subject.tell(MESSAGES, "policy", name=first.policy)
            key = "widened-out" if outgoing else "widened-in"
            return result(check, subject, False, subject.tell(MESSAGES, key, source=_peer_text(end, subject), target=_peer_text(end, subject),
                                                              peers=_peers_text(first.peers, subject), ports=_ports_text(first.ports, subject), policy=policy))
        shown.append(subject.tell(MESSAGES, "nothing-else").lstrip("; "))
    return result(check, subject, True, "; ".join(shown))


def needs(check: NetworkAccessCheck, target: ObjectRef | None) -> list[ObjectRef]:
    ends = [check.source, check.to] + [p for c in check.allowed + check.denied for p in (c.source, c.to)]
    namespaces = sorted({p.namespace for p in ends if p is not None and p.namespace})
    return [ObjectRef(kind="NetworkPolicy", namespace=n) for n in namespaces]


TYPE = CheckType("network_access", NetworkAccessCheck, run_network_access, needs)
