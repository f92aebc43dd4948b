"""`disruption_budget`: a PodDisruptionBudget lets exactly so many pods of a workload be evicted at once."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from exercises.base import CheckBase
from graders.checktypes.base import CheckType, lazy
from graders.report import CheckResult
from graders.subject import Subject, result
from graders.meaning.shape import mapping

disruption = lazy("graders.meaning.disruption")

MESSAGES = {
    "ok": ("with {replicas} healthy pods, {allowed} may be evicted at once", "정상 파드 {replicas}개 중 {allowed}개까지 한 번에 축출할 수 있습니다"),
    "wrong": ("with {replicas} healthy pods, {got} may be evicted at once; the task allows {allowed}", "정상 파드 {replicas}개 중 {got}개까지 한 번에 축출할 수 있습니다. 과제는 {allowed}개입니다"),
    "bad": ("the budget cannot be read: {error}", "budget을 읽을 수 없습니다: {error}"),
    "not-pdb": ("a {kind} is not a PodDisruptionBudget", "{kind}은(는) PodDisruptionBudget이 아닙니다"),
}


class DisruptionBudgetCheck(CheckBase):
    """With `replicas` healthy pods, the budget (minAvailable or maxUnavailable, a number or a percentage) allows `allowed` evictions at a time."""

    type: Literal["disruption_budget"]
    replicas: list[int] = Field(min_length=1)
    """The pod counts to try (the workload's replicas, and after scaling, when the task says "always one")."""
    allowed: list[int] = Field(min_length=1)
    """For each count in `replicas`, how many pods may be evicted at once."""

    @model_validator(mode="after")
    def _pairs(self) -> "DisruptionBudgetCheck":
        if len(self.replicas) != len(self.allowed):
            raise ValueError("give one `allowed` number for each count in `replicas`")
        return self


def run_disruption_budget(check: DisruptionBudgetCheck, subject: Subject) -> CheckResult:
    obj, why = subject.find(check.object)
    if obj is None:
        return result(check, subject, False, why)
    if str(obj.get("kind")) != "PodDisruptionBudget":
        return result(check, subject, False, subject.tell(MESSAGES, "not-pdb", kind=obj.get("kind")))
    spec = mapping(obj.get("spec"))
    line = subject.line_for(obj, ("spec",))
    shown = []
    for replicas, allowed in zip(check.replicas, check.allowed):
        try:
            got = disruption.allowed_disruptions(spec, replicas)
        except disruption.BudgetError as err:
            return result(check, subject, False, subject.tell(MESSAGES, "bad", error=err), "spec", line)
        if got != allowed:
            return result(check, subject, False, subject.tell(MESSAGES, "wrong", replicas=replicas, got=got, allowed=allowed), "spec", line)
        shown.append(subject.tell(MESSAGES, "ok", replicas=replicas, allowed=allowed))
    return result(check, subject, True, "; ".join(shown), "spec", line)


TYPE = CheckType("disruption_budget", DisruptionBudgetCheck, run_disruption_budget)
