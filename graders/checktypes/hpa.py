"""`hpa`: an autoscaler scales the workload the task names, between its bounds, on exactly the metrics asked."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import field_validator

from exercises.base import CheckBase, ObjectRef
from graders.checktypes.base import CheckType, lazy
from graders.report import CheckResult
from graders.subject import Subject, result
from graders.meaning.shape import mapping

hpa, resources = lazy("graders.meaning.hpa"), lazy("graders.meaning.resources")

MESSAGES = {
    "ok": ("scales {kind} `{name}` from {min} to {max} replicas on {metrics}", "{kind} `{name}`을(를) {min}~{max}개 레플리카 사이에서 {metrics} 기준으로 조정합니다"),
    "target": ("it scales {got}; the task names {kind} `{name}`", "{got}을(를) 조정합니다. 과제는 {kind} `{name}`입니다"),
    "group": ("scaleTargetRef.apiVersion `{got}` is not in the API group of {kind} (`{group}`): the controller cannot find it", "scaleTargetRef.apiVersion `{got}`이(가) {kind}의 API 그룹(`{group}`)이 아니라 컨트롤러가 찾지 못합니다"),
    "min": ("minReplicas is {got}; expected {wanted}", "minReplicas 값은 {got}, 기대한 값은 {wanted}"),
    "max": ("maxReplicas is {got}; expected {wanted}", "maxReplicas 값은 {got}, 기대한 값은 {wanted}"),
    "missing-metric": ("there is no metric {metric} (it has: {got})", "{metric} 메트릭이 없습니다 (있는 메트릭: {got})"),
    "extra-metric": ("it also scales on {metric}: the task asks for nothing more", "{metric} 메트릭으로도 조정합니다: 과제는 그 이상을 요구하지 않습니다"),
    "frozen-up": ("behavior.scaleUp.selectPolicy is Disabled: it never scales up, so it cannot hold the target",
                  "behavior.scaleUp.selectPolicy가 Disabled라서 확장하지 않으므로 목표를 유지할 수 없습니다"),
    "frozen-down": ("behavior.scaleDown.selectPolicy is Disabled: it never scales down, so it cannot hold the target",
                    "behavior.scaleDown.selectPolicy가 Disabled라서 축소하지 않으므로 목표를 유지할 수 없습니다"),
    "not-hpa": ("a {kind} is not a HorizontalPodAutoscaler", "{kind}은(는) HorizontalPodAutoscaler가 아닙니다"),
}


class HpaCheck(CheckBase):
    """The HPA (v1 or v2, with the API server's defaults) scales `scales`, between min and max, on exactly `metrics`."""

    type: Literal["hpa"]
    scales: ObjectRef
    """The workload in scaleTargetRef (kind and name)."""
    min_replicas: int | None = None
    max_replicas: int | None = None
    metrics: list[dict[str, Any]] | None = None
    """Exactly these metrics, nothing more: `{resource: cpu, utilization: 50}`, `{resource: memory, average_value: 500Mi}`,
    `{type: Pods, metric: rps, average_value: 100}`. Unset: not checked."""

    @field_validator("metrics")
    @classmethod
    def _readable(cls, value: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
        for item in value or []:
            hpa.metric_from_check(item)
        return value


def run_hpa(check: HpaCheck, subject: Subject) -> CheckResult:
    obj, why = subject.find(check.object)
    if obj is None:
        return result(check, subject, False, why)
    if str(obj.get("kind")) != "HorizontalPodAutoscaler":
        return result(check, subject, False, subject.tell(MESSAGES, "not-hpa", kind=obj.get("kind")))
    found = hpa.autoscaler(obj)
    line = subject.line_for(obj, ("spec",))
    if (found.target_kind, found.target_name) != (check.scales.kind, check.scales.name):
        got = f"{found.target_kind or '?'} `{found.target_name or '?'}`"
        return result(check, subject, False, subject.tell(MESSAGES, "target", got=got, kind=check.scales.kind, name=check.scales.name),
                      "spec.scaleTargetRef", subject.line_for(obj, ("spec", "scaleTargetRef")))
    known = resources.BY_KIND.get(check.scales.kind.lower())
    if known is not None and found.target_group != known.group:
        got = (mapping(obj.get("spec")).get("scaleTargetRef") or {}).get("apiVersion") or "—"
        return result(check, subject, False, subject.tell(MESSAGES, "group", got=got, kind=check.scales.kind, group=known.group or "v1"),
                      "spec.scaleTargetRef.apiVersion", subject.line_for(obj, ("spec", "scaleTargetRef")))
    if check.min_replicas is not None and found.min_replicas != check.min_replicas:
        return result(check, subject, False, subject.tell(MESSAGES, "min", got=found.min_replicas, wanted=check.min_replicas), "spec.minReplicas", line)
    if check.max_replicas is not None and found.max_replicas != check.max_replicas:
        return result(check, subject, False, subject.tell(MESSAGES, "max", got=found.max_replicas, wanted=check.max_replicas), "spec.maxReplicas", line)
    if check.metrics is not None:
        wanted = [hpa.metric_from_check(m) for m in check.metrics]
        got = ", ".join(m.text() for m in found.metrics) or "—"
        for metric in wanted:
            if not any(metric.same(m) for m in found.metrics):
                return result(check, subject, False, subject.tell(MESSAGES, "missing-metric", metric=metric.text(), got=got), "spec.metrics", line)
        for metric in found.metrics:
            if not any(metric.same(w) for w in wanted):
                return result(check, subject, False, subject.tell(MESSAGES, "extra-metric", metric=metric.text()), "spec.metrics", line)
    if found.frozen:
        return result(check, subject, False, subject.tell(MESSAGES, f"frozen-{found.frozen[0]}"),
                      "spec.behavior", subject.line_for(obj, ("spec", "behavior")))
    metrics = ", ".join(m.text() for m in found.metrics)
    return result(check, subject, True, subject.tell(MESSAGES, "ok", kind=found.target_kind, name=found.target_name, min=found.min_replicas,
                                                     max=found.max_replicas, metrics=metrics), "spec", line)


TYPE = CheckType("hpa", HpaCheck, run_hpa)
