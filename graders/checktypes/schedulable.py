"""`schedulable`: the pods fit the nodes the task names and stay off the others (nodeSelector, affinity, taints)."""

from __future__ import annotations

from typing import Any, Literal


from exercises.base import CheckBase, Strict
from graders.checktypes.base import CheckType, lazy, pods_of
from graders.report import CheckResult
from graders.subject import Subject, result
from graders.meaning.shape import mapping

scheduling = lazy("graders.meaning.scheduling")

MESSAGES = {
    "fits": ("the pods may run on {nodes}", "파드가 {nodes}에서 실행될 수 있습니다"),
    "kept-off": ("; not on {nodes}", "; {nodes}에서는 실행되지 않습니다"),
    "does-not-fit": ("the pods cannot run on {node}: {why}", "파드가 {node}에서 실행될 수 없습니다: {why}"),
    "should-not-fit": ("the pods may also run on {node}, which the task rules out", "파드가 {node}에서도 실행될 수 있는데, 과제는 이를 막아야 합니다"),
    "evicted": ("the pods are evicted from {node} after {seconds} s (tolerationSeconds)", "파드가 {seconds}초 뒤 {node}에서 쫓겨납니다 (tolerationSeconds)"),
    "node-name": ("nodeName pins them to {name}", "nodeName이 {name}에 고정합니다"),
    "node-selector": ("nodeSelector {key}={value} does not match its labels", "nodeSelector {key}={value}이(가) 노드 레이블과 맞지 않습니다"),
    "affinity": ("no required node affinity term matches its labels", "필수 노드 어피니티 조건 중 노드 레이블과 맞는 것이 없습니다"),
    "affinity-error": ("the node affinity cannot be read: {error}", "노드 어피니티를 읽을 수 없습니다: {error}"),
    "taint": ("the taint {taint} is not tolerated", "테인트 {taint}을(를) 용인(toleration)하지 않습니다"),
}


class NodeSpec(Strict):
    """A node as the task describes it."""

    name: str = "node"
    labels: dict[str, str] = {}
    taints: list[str] = []
    """`key=value:Effect` or `key:Effect`, as `kubectl taint` writes them."""
    unschedulable: bool = False
    """Cordoned."""

    def text(self) -> str:
        parts = [f"{k}={v}" for k, v in sorted(self.labels.items())] + list(self.taints) + (["unschedulable"] if self.unschedulable else [])
        return f"{self.name} ({', '.join(parts)})" if parts else self.name


class SchedulableCheck(CheckBase):
    """The object's pods may be scheduled on every node of `fits` (and stay there) and on none of `does_not_fit`."""

    type: Literal["schedulable"]
    fits: list[NodeSpec] = []
    does_not_fit: list[NodeSpec] = []
    stays: bool = True
    """A NoExecute taint tolerated for `tolerationSeconds` only evicts the pods: not a fit."""


def _own_spec(pods: Any) -> dict:
    """The pod spec as the answer wrote it: a live pod's nodeName came from the scheduler unless a field manager set it."""
    spec = dict(pods.spec)
    managed = mapping(pods.obj.get("metadata")).get("managedFields")
    if spec.get("nodeName") and str(pods.obj.get("kind")) == "Pod" and isinstance(managed, list):
        if not any("f:nodeName" in ((mapping(m.get("fieldsV1")).get("f:spec")) or {}) for m in managed if isinstance(m, dict)):
            spec.pop("nodeName")  # the scheduler binds through pods/binding, which no field manager records
    return spec


def _why(verdict: Any, subject: Subject) -> str:
    key, values = verdict.reason
    return subject.tell(MESSAGES, key, **values)


def run_schedulable(check: SchedulableCheck, subject: Subject) -> CheckResult:
    pods = pods_of(check, subject)
    if isinstance(pods, str):
        return result(check, subject, False, pods)
    daemonset = str(pods.obj.get("kind", "")).lower() == "daemonset"
    spec = _own_spec(pods)
    line = pods.line(subject)
    for node in check.fits:
        verdict = scheduling.fits(spec, scheduling.node(node.model_dump()), daemonset)
        if not verdict.fits:
            return result(check, subject, False, subject.tell(MESSAGES, "does-not-fit", node=node.text(), why=_why(verdict, subject)), None, line)
        if check.stays and verdict.evicted_after is not None:
            return result(check, subject, False, subject.tell(MESSAGES, "evicted", node=node.text(), seconds=f"{verdict.evicted_after:g}"), None, line)
    for node in check.does_not_fit:
        verdict = scheduling.fits(spec, scheduling.node(node.model_dump()), daemonset)
        if verdict.fits and not (check.stays and verdict.evicted_after is not None):
            return result(check, subject, False, subject.tell(MESSAGES, "should-not-fit", node=node.text()), None, line)
    message = subject.tell(MESSAGES, "fits", nodes=", ".join(n.text() for n in check.fits) or "—")
    if check.does_not_fit:
        message += subject.tell(MESSAGES, "kept-off", nodes=", ".join(n.text() for n in check.does_not_fit))
    return result(check, subject, True, message, None, line)


TYPE = CheckType("schedulable", SchedulableCheck, run_schedulable)
