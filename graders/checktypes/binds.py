"""`binds`: a PersistentVolumeClaim can bind the volume (class, access modes, size, volumeMode, selector, claimRef)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import model_validator

from exercises.base import CheckBase, ObjectRef
from graders.checktypes.base import CheckType, lazy, the_target
from graders.report import CheckResult
from graders.subject import Subject, result
from graders.meaning.shape import mapping

binding = lazy("graders.meaning.binding")

MESSAGES = {
    "binds": ("claim `{claim}` can bind volume `{volume}`", "클레임 `{claim}`이(가) 볼륨 `{volume}`에 바인딩될 수 있습니다"),
    "cannot": ("claim `{claim}` cannot bind volume `{volume}`: {why}", "클레임 `{claim}`이(가) 볼륨 `{volume}`에 바인딩될 수 없습니다: {why}"),
    "should-not": ("claim `{claim}` can bind volume `{volume}`, which the task rules out", "클레임 `{claim}`이(가) 볼륨 `{volume}`에 바인딩될 수 있는데, 과제는 이를 막아야 합니다"),
    "missing": ("there is no {kind} `{name}`", "{kind} `{name}`이(가) 없습니다"),
    "volume-name": ("the claim names the volume `{name}`", "클레임이 볼륨 `{name}`을(를) 지정합니다"),
    "reserved": ("the volume is reserved for the claim {claim} (claimRef)", "볼륨이 클레임 {claim}에 예약되어 있습니다 (claimRef)"),
    "class": ("the claim asks for the class `{wanted}` and the volume has `{offered}`", "클레임은 클래스 `{wanted}`를 요청하고 볼륨의 클래스는 `{offered}`입니다"),
    "no-class": ("the claim asks for no class and the volume has the class `{offered}`", "클레임은 클래스를 요청하지 않는데 볼륨의 클래스는 `{offered}`입니다"),
    "volume-mode": ("the claim wants volumeMode {wanted} and the volume is {offered}", "클레임은 volumeMode {wanted}, 볼륨은 {offered}입니다"),
    "access-modes": ("the volume does not offer {modes}", "볼륨이 {modes}을(를) 제공하지 않습니다"),
    "no-access-modes": ("the claim lists no accessModes", "클레임에 accessModes가 없습니다"),
    "capacity": ("the volume's {capacity} is less than the {request} requested", "볼륨 용량 {capacity}이(가) 요청한 {request}보다 작습니다"),
    "no-request": ("the claim requests no storage", "클레임이 storage를 요청하지 않습니다"),
    "selector": ("the claim's selector does not match the volume's labels", "클레임의 selector가 볼륨 레이블과 맞지 않습니다"),
    "selector-error": ("the claim's selector cannot be read: {error}", "클레임의 selector를 읽을 수 없습니다: {error}"),
}


class BindsCheck(CheckBase):
    """The claim can bind the volume, as the PV controller decides; each may be in the answer, the cluster, or given here."""

    type: Literal["binds"]
    claim: ObjectRef | None = None
    """The claim (default: `object`, else the target, when it is a claim)."""
    volume: ObjectRef | None = None
    """The volume (default: `object`, else the target, when it is a volume)."""
    claim_object: dict[str, Any] | None = None
    """The claim as it is in the cluster, when the answer does not write it (a PersistentVolumeClaim manifest)."""
    volume_object: dict[str, Any] | None = None
    """The volume as it is in the cluster, when the answer does not write it (a PersistentVolume manifest)."""
    default_storage_class: str | None = None
    """The cluster's default StorageClass: a claim with no storageClassName gets it (none: it binds classless volumes)."""
    binds: bool = True

    @model_validator(mode="after")
    def _both(self) -> "BindsCheck":
        if self.claim is None and self.claim_object is None and self.volume is None and self.volume_object is None:
            raise ValueError("a binds check names the other side: `volume`/`volume_object` or `claim`/`claim_object`")
        return self


def _side(ref: ObjectRef | None, literal: dict[str, Any] | None, fallback: ObjectRef | None, kind: str, subject: Subject) -> tuple[dict[str, Any] | None, str]:
    chosen = ref or (fallback if fallback is not None and fallback.kind.lower() == kind.lower() else None)
    if chosen is not None:
        found = subject.find(chosen)[0]
        if found is not None:
            return found, ""
        if literal is None:
            return None, subject.tell(MESSAGES, "missing", kind=chosen.kind, name=chosen.name or "?")
    if literal is not None:
        return literal, ""
    return None, subject.tell(MESSAGES, "missing", kind=kind, name="?")


def run_binds(check: BindsCheck, subject: Subject) -> CheckResult:
    fallback = check.object or subject.default_ref
    claim, why = _side(check.claim, check.claim_object, fallback, "PersistentVolumeClaim", subject)
    if claim is None:
        return result(check, subject, False, why)
    volume, why = _side(check.volume, check.volume_object, fallback, "PersistentVolume", subject)
    if volume is None:
        return result(check, subject, False, why)
    verdict = binding.can_bind(claim, volume, check.default_storage_class, subject.namespace)
    values = {"claim": mapping(claim.get("metadata")).get("name"), "volume": mapping(volume.get("metadata")).get("name")}
    if verdict.binds:
        ok = check.binds
        return result(check, subject, ok, subject.tell(MESSAGES, "binds" if ok else "should-not", **values))
    why = "; ".join(subject.tell(MESSAGES, key, **extra) for key, extra in verdict.reasons)
    return result(check, subject, not check.binds, subject.tell(MESSAGES, "cannot", why=why, **values))


def needs(check: BindsCheck, target: ObjectRef | None) -> list[ObjectRef]:
    return the_target(check, target) + [r for r in (check.claim, check.volume) if r is not None]


TYPE = CheckType("binds", BindsCheck, run_binds, needs)
