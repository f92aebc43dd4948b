"""apps/v1, batch/v1 and autoscaling/v2: selectors that match their template, replicas, strategies, schedules, HPAs."""


from __future__ import annotations


import re


from typing import Any


from graders.apivalidation import fields as f


from graders.apivalidation.fields import Errors, Path, get, integer, items, mapping, text


from graders.apivalidation.pods import template_spec


from graders.apivalidation.schedule import schedule_error


from graders.apivalidation.storage import claim_spec


def _selector(errors: Errors, spec: dict[str, Any], kind: str, required: bool = True) -> None:
    """A controller's selector: present, not empty, valid, and selecting its own template's pods."""
    selector = spec.get("selector")
    if selector is None:
        if required:
            errors.required(("spec", "selector"), at=("spec",))
        return
    if not isinstance(selector, dict):
        return
    f.validate_selector(errors, selector, ("spec", "selector"))
    if not mapping(selector.get("matchLabels")) and not selector.get("matchExpressions"):
        errors.invalid(("spec", "selector"), f.selector_value(selector), f"empty selector is invalid for {kind}",
                       f"{kind}의 selector가 비어 있으면 안 됩니다")
        return
    labels = get(spec, "template", "metadata", "labels")
    if not f.selector_is_readable(selector):
        if kind != "daemonset":
            detail = "" if kind == "statefulset" else "invalid label selector"
            errors.invalid(("spec", "selector"), f.selector_value(selector), detail, "label selector를 읽을 수 없습니다")
    elif not f.selector_matches(selector, labels):
        errors.invalid(("spec", "template", "metadata", "labels"), labels if isinstance(labels, dict) else None,
                       "`selector` does not match template `labels`", "`selector`가 템플릿의 `labels`와 맞지 않습니다",
                       at=("spec", "template", "metadata", "labels") if isinstance(labels, dict) else ("spec", "template"))


def _always_restarts(errors: Errors, spec: dict[str, Any], kind: str) -> None:
    policy = get(spec, "template", "spec", "restartPolicy")
    if isinstance(policy, str) and policy not in ("", "Always"):
        errors.unsupported(("spec", "template", "spec", "restartPolicy"), policy, ["Always"])
    if get(spec, "template", "spec", "activeDeadlineSeconds") is not None:
        errors.forbidden(("spec", "template", "spec", "activeDeadlineSeconds"), f"activeDeadlineSeconds in {kind} is not Supported",
                         f"{kind}에는 activeDeadlineSeconds를 쓸 수 없습니다")


def _int_or_percent(errors: Errors, value: Any, path: Path) -> int | None:
    """ValidatePositiveIntOrPercent; the number it stands for (a percentage's number), or None."""
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9]+%", value):
            errors.invalid(path, value, "a valid percent string must be a numeric string followed by an ending '%' "
                           "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
                           "퍼센트는 숫자 뒤에 '%'를 붙여 써야 합니다 (예: '1%', '93%')")
            return int(value) if re.fullmatch(r"[+-]?[0-9]+", value) else 0  # IntOrString.IntValue()
        percent = int(value[:-1])
        if percent > 100 and path[-1] != "maxSurge":
            errors.invalid(path, value, "must not be greater than 100%", "100%를 넘을 수 없습니다")
        return percent
    number = integer(value)
    if number is not None:
        f.non_negative(errors, number, path)
    return number


def _strategy_struct(strategy: dict[str, Any], rolling_fields: tuple[str, ...], pointers: tuple[str, ...] = ()) -> f.GoStruct:
    """An update strategy as the API server prints its internal struct: `{"Type":"Rolling","RollingUpdate":null}`.

    An unset IntOrString prints 0, an unset pointer null.
    """
    rolling = strategy.get("rollingUpdate")
    if isinstance(rolling, dict):
        rolling = f.GoStruct((name, rolling.get(name[0].lower() + name[1:], None if name in pointers else 0))
                             for name in rolling_fields)
    return f.GoStruct(Type=strategy.get("type"), RollingUpdate=rolling if isinstance(rolling, dict) else None)


def deployment(errors: Errors, obj: dict[str, Any]) -> None:
    spec = mapping(obj.get("spec"))
    f.non_negative(errors, spec.get("replicas"), ("spec", "replicas"))
    _selector(errors, spec, "deployment")
    template_spec(errors, obj, ("spec", "template"))
    _always_restarts(errors, spec, "ReplicaSet")
    strategy = mapping(spec.get("strategy"))
    kind = strategy.get("type")
    here = ("spec", "strategy")
    if kind == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            errors.forbidden(here + ("rollingUpdate",), "may not be specified when strategy `type` is 'Recreate'",
                             "strategy `type`이 'Recreate'이면 rollingUpdate를 쓸 수 없습니다")
    elif kind in (None, "", "RollingUpdate"):
        rolling = mapping(strategy.get("rollingUpdate"))
        unavailable = _int_or_percent(errors, rolling.get("maxUnavailable", "25%"), here + ("rollingUpdate", "maxUnavailable"))
        surge = _int_or_percent(errors, rolling.get("maxSurge", "25%"), here + ("rollingUpdate", "maxSurge"))
        if unavailable == 0 and surge == 0:
            errors.invalid(here + ("rollingUpdate", "maxUnavailable"), rolling.get("maxUnavailable", 0),
                           "may not be 0 when `maxSurge` is 0", "`maxSurge`가 0이면 0일 수 없습니다")
    elif isinstance(kind, str):
        errors.unsupported(here, _strategy_struct(strategy, ("MaxUnavailable", "MaxSurge")), ["Recreate", "RollingUpdate"],
                           at=here + ("type",))
    for field in ("minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"):
        f.non_negative(errors, spec.get(field), ("spec", field))
    deadline, ready = integer(spec.get("progressDeadlineSeconds")), integer(spec.get("minReadySeconds")) or 0
    if deadline is not None and deadline <= ready:
        errors.invalid(("spec", "progressDeadlineSeconds"), deadline, "must be greater than minReadySeconds",
                       "minReadySeconds보다 커야 합니다")


def replica_set(errors: Errors, obj: dict[str, Any]) -> None:
    spec = mapping(obj.get("spec"))
    f.non_negative(errors, spec.get("replicas"), ("spec", "replicas"))
    f.non_negative(errors, spec.get("minReadySeconds"), ("spec", "minReadySeconds"))
    _selector(errors, spec, "deployment")
    template_spec(errors, obj, ("spec", "template"))
    _always_restarts(errors, spec, "ReplicaSet")


def daemon_set(errors: Errors, obj: dict[str, Any]) -> None:
    spec = mapping(obj.get("spec"))
    _selector(errors, spec, "daemonset", required=False)
    template_spec(errors, obj, ("spec", "template"))
    _always_restarts(errors, spec, "DaemonSet")
    f.non_negative(errors, spec.get("minReadySeconds"), ("spec", "minReadySeconds"))
    strategy = mapping(spec.get("updateStrategy"))
    kind, here = strategy.get("type"), ("spec", "updateStrategy")
    if kind in (None, "", "RollingUpdate"):
        rolling = mapping(strategy.get("rollingUpdate"))
        unavailable = _int_or_percent(errors, rolling.get("maxUnavailable", 1), here + ("rollingUpdate", "maxUnavailable"))
        surge = _int_or_percent(errors, rolling.get("maxSurge", 0), here + ("rollingUpdate", "maxSurge"))
        if unavailable and surge:
            errors.invalid(here + ("rollingUpdate", "maxSurge"), rolling.get("maxSurge"),
                           "may not be set when maxUnavailable is non-zero", "maxUnavailable이 0이 아니면 쓸 수 없습니다")
        elif unavailable == 0 and surge == 0:
            errors.required(here + ("rollingUpdate", "maxUnavailable"), "cannot be 0 when maxSurge is 0",
                            "maxSurge가 0이면 0일 수 없습니다")
    elif kind != "OnDelete" and isinstance(kind, str):
        errors.unsupported(here, _strategy_struct(strategy, ("MaxUnavailable", "MaxSurge")), ["RollingUpdate", "OnDelete"],
                           at=here + ("type",))


def stateful_set(errors: Errors, obj: dict[str, Any]) -> None:
    spec = mapping(obj.get("spec"))
    policy = spec.get("podManagementPolicy")
    if isinstance(policy, str) and policy and policy not in ("OrderedReady", "Parallel"):
        errors.invalid(("spec", "podManagementPolicy"), policy, "must be 'OrderedReady' or 'Parallel'",
                       "'OrderedReady'나 'Parallel'이어야 합니다")
    kind = get(spec, "updateStrategy", "type")
    if isinstance(kind, str) and kind and kind not in ("RollingUpdate", "OnDelete"):
        errors.invalid(("spec", "updateStrategy"), _strategy_struct(mapping(spec.get("updateStrategy")), ("Partition", "MaxUnavailable"), ("MaxUnavailable",)),
                       "must be 'RollingUpdate' or 'OnDelete'", "'RollingUpdate'나 'OnDelete'여야 합니다",
                       at=("spec", "updateStrategy", "type"))
    f.non_negative(errors, spec.get("replicas"), ("spec", "replicas"))
    f.non_negative(errors, spec.get("minReadySeconds"), ("spec", "minReadySeconds"))
    service = text(spec.get("serviceName"))
    if service:
        f.check_name(errors, ("spec", "serviceName"), service, f.dns_label(service))
    rolling = get(spec, "updateStrategy", "rollingUpdate")
    if isinstance(rolling, dict):
        f.non_negative(errors, rolling.get("partition"), ("spec", "updateStrategy", "rollingUpdate", "partition"))
    for when in ("whenDeleted", "whenScaled"):
        value = get(spec, "persistentVolumeClaimRetentionPolicy", when)
        if isinstance(value, str) and value and value not in ("Retain", "Delete"):  # "" is defaulted to Retain
            errors.unsupported(("spec", "persistentVolumeClaimRetentionPolicy", when), value, ["Retain", "Delete"])
    _selector(errors, spec, "statefulset")
    claims = []
    for i, claim in items(spec.get("volumeClaimTemplates")):
        claim_spec(errors, mapping(claim.get("spec")), ("spec", "volumeClaimTemplates", i, "spec"))
        name = text(get(claim, "metadata", "name"))
        here = ("spec", "template", "spec", "volumes", i)  # each claim becomes a volume of the pod template
        if not name:
            errors.required(here + ("name",), at=("spec", "volumeClaimTemplates", i))
            errors.required(here + ("persistentVolumeClaim", "claimName"), at=("spec", "volumeClaimTemplates", i))
        else:
            for en, ko in f.dns_label(name):
                errors.invalid(here + ("name",), name, en, ko, at=("spec", "volumeClaimTemplates", i, "metadata", "name"))
        claims.append(name)
    template_spec(errors, obj, ("spec", "template"), extra_volumes=claims)
    _always_restarts(errors, spec, "StatefulSet")


def _job_spec(errors: Errors, spec: dict[str, Any], path: Path, obj: dict[str, Any]) -> None:
    for field in ("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"):
        f.non_negative(errors, spec.get(field), path + (field,))
    mode = spec.get("completionMode")
    if isinstance(mode, str) and mode not in ("NonIndexed", "Indexed"):
        errors.unsupported(path + ("completionMode",), mode, ["NonIndexed", "Indexed"])
    template_spec(errors, obj, path + ("template",))
    policy = get(spec, "template", "spec", "restartPolicy")
    here = path + ("template", "spec", "restartPolicy")
    if policy in (None, "", "Always"):
        errors.required(here, 'valid values: "OnFailure", "Never"', '"OnFailure"나 "Never"를 지정해야 합니다',
                        at=here if policy else path + ("template", "spec"))
    elif isinstance(policy, str) and policy not in ("OnFailure", "Never"):
        errors.unsupported(here, policy, ["OnFailure", "Never"])


def job(errors: Errors, obj: dict[str, Any]) -> None:
    _job_spec(errors, mapping(obj.get("spec")), ("spec",), obj)
    labels = get(obj, "spec", "template", "metadata", "labels")
    if labels and not get(obj, "metadata", "labels"):  # SetDefaults_Job gives the Job its template's labels
        f.validate_labels(errors, labels, ("metadata", "labels"), at=("spec", "template", "metadata", "labels"))


def cron_job(errors: Errors, obj: dict[str, Any]) -> None:
    spec = mapping(obj.get("spec"))
    schedule = spec.get("schedule", "" if obj.get("spec") is None else None)
    if schedule == "":
        errors.required(("spec", "schedule"))
    elif isinstance(schedule, str):
        problem = schedule_error(schedule)
        if problem:
            errors.invalid(("spec", "schedule"), schedule, *problem)
        if "TZ" in schedule:
            errors.invalid(("spec", "schedule"), schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
                           "schedule에 TZ나 CRON_TZ를 쓸 수 없습니다. timeZone 필드를 쓰세요")
    f.non_negative(errors, spec.get("startingDeadlineSeconds"), ("spec", "startingDeadlineSeconds"))
    zone = spec.get("timeZone")
    if zone == "":
        errors.invalid(("spec", "timeZone"), "", "timeZone must be nil or non-empty string", "timeZone은 비워 둘 수 없습니다")
    elif isinstance(zone, str) and not _known_zone(zone):
        errors.invalid(("spec", "timeZone"), zone, f"unknown time zone {zone}", f"알 수 없는 시간대입니다: {zone} (예: Asia/Seoul, UTC)")
    policy = spec.get("concurrencyPolicy")
    if isinstance(policy, str) and policy and policy not in ("Allow", "Forbid", "Replace"):
        errors.unsupported(("spec", "concurrencyPolicy"), policy, ["Allow", "Forbid", "Replace"])
    job_spec = get(spec, "jobTemplate", "spec")
    if job_spec is None and ("jobTemplate" in spec or obj.get("spec") is None):
        job_spec = {}
    if isinstance(job_spec, dict):
        _job_spec(errors, job_spec, ("spec", "jobTemplate", "spec"), obj)
    for field in ("successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        f.non_negative(errors, spec.get(field), ("spec", field))


def _known_zone(zone: str) -> bool:
    """time.LoadLocation: an IANA zone name (`Asia/Seoul`, `UTC`), not `Local`."""
    import zoneinfo

    if zone.lower() == "local" or any(p in (".", "..") or p.startswith("-") or not re.fullmatch(r"[A-Za-z.\-_0-9+]{1,14}", p)
                                      for p in zone.split("/")):
        return False
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True

