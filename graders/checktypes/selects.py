"""`selects`: a selector picks the label sets the task means, whether written with matchLabels or matchExpressions."""

from __future__ import annotations

from typing import Any, Literal

from exercises.base import CheckBase, ObjectRef
from graders.checktypes.base import CheckType, lazy, the_target
from graders.report import CheckResult
from graders.subject import Subject, result

selectors, workloads = lazy("graders.meaning.selectors"), lazy("graders.meaning.workloads")

MAP_KINDS = frozenset({"service", "replicationcontroller"})
DEFAULT_PATHS = {"networkpolicy": ".spec.podSelector"}

MESSAGES = {
    "misses": ("{where} ({selector}) does not select {labels}", "{where}({selector})이(가) {labels}을(를) 선택하지 않습니다"),
    "too-wide": ("{where} ({selector}) also selects {labels}", "{where}({selector})이(가) {labels}까지 선택합니다"),
    "bad": ("{where} cannot be read: {error}", "{where}을(를) 읽을 수 없습니다: {error}"),
    "no-pods": ("{kind} `{name}` (the pods to select) is not there", "선택해야 할 파드의 {kind} `{name}`이(가) 없습니다"),
    "all-good": ("{where} ({selector}) selects what it should and nothing it should not", "{where}({selector})이(가) 선택할 것만 선택합니다"),
}


class SelectsCheck(CheckBase):
    """A selector (at `path`) selects these label sets and not those."""

    type: Literal["selects"]
    path: str | None = None
    """JSONPath of the selector; default `.spec.selector` (`.spec.podSelector` for a NetworkPolicy)."""
    form: Literal["auto", "label_selector", "map"] = "auto"
    """How to read it: a LabelSelector (matchLabels/matchExpressions) or a plain map (Service); auto goes by kind."""
    selects: list[dict[str, str]] = []
    """Label sets it must select."""
    does_not_select: list[dict[str, str]] = []
    """Label sets it must not select."""
    selects_pods_of: ObjectRef | None = None
    """It must also select the pod template's labels of this workload (when it is in the answer or the cluster)."""


def _text(labels: dict[str, str]) -> str:
    return "{" + ", ".join(f"{k}={v}" for k, v in sorted(labels.items())) + "}"


def run_selects(check: SelectsCheck, subject: Subject) -> CheckResult:
    from graders import paths

    obj, why = subject.find(check.object)
    if obj is None:
        return result(check, subject, False, why)
    kind = str(obj.get("kind", "")).lower()
    expression = check.path or DEFAULT_PATHS.get(kind, ".spec.selector")
    found = paths.find(obj, expression)
    value: Any = found[0].value if found else ({} if kind == "networkpolicy" else None)
    where = paths.display_expression(expression)
    line = subject.line_for(obj, found[0].path if found else paths.parent_path(obj, expression))
    form = check.form if check.form != "auto" else ("map" if kind in MAP_KINDS else "label_selector")
    try:
        chosen = selectors.map_selector(value) if form == "map" else selectors.label_selector(value)
    except selectors.SelectorError as err:
        return result(check, subject, False, subject.tell(MESSAGES, "bad", where=where, error=err), where, line)
    shown = chosen.text()
    wanted = [dict(labels) for labels in check.selects]
    if check.selects_pods_of is not None:
        workload = subject.find(check.selects_pods_of)[0]
        template = workloads.pod_template(workload) if workload is not None else None
        if template is None:
            return result(check, subject, False, subject.tell(MESSAGES, "no-pods", kind=check.selects_pods_of.kind, name=check.selects_pods_of.name), where, line)
        wanted.append(workloads.labels(template[0]))
    for labels in wanted:
        if not chosen.matches(labels):
            return result(check, subject, False, subject.tell(MESSAGES, "misses", where=where, selector=shown, labels=_text(labels)), where, line)
    for labels in check.does_not_select:
        if chosen.matches(labels):
            return result(check, subject, False, subject.tell(MESSAGES, "too-wide", where=where, selector=shown, labels=_text(labels)), where, line)
    return result(check, subject, True, subject.tell(MESSAGES, "all-good", where=where, selector=shown), where, line)


def needs(check: SelectsCheck, target: ObjectRef | None) -> list[ObjectRef]:
    return the_target(check, target) + ([check.selects_pods_of] if check.selects_pods_of else [])


TYPE = CheckType("selects", SelectsCheck, run_selects, needs)
