"""PersistentVolume binding: can this claim bind this volume, as the PV controller decides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from graders.meaning.selectors import SelectorError, label_selector

UNSET: Any = object()


@dataclass(frozen=True)
class Verdict:
    binds: bool
    reasons: tuple[str, ...] = ()
    """Every reason it cannot, in words."""


def _spec(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    spec = obj.get("spec")
    return spec if isinstance(spec, Mapping) else {}


def _meta(obj: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = obj.get("metadata")
    return meta if isinstance(meta, Mapping) else {}


def claim_class(claim: Mapping[str, Any], default_class: str | None) -> str:
    """The class a claim asks for: unset means the cluster's default class when there is one, else none."""
    spec = _spec(claim)
    if "storageClassName" in spec and spec["storageClassName"] is not None:
        return str(spec["storageClassName"])
    annotation = _meta(claim).get("annotations", {}) or {}
    if "volume.beta.kubernetes.io/storage-class" in annotation:
        return str(annotation["volume.beta.kubernetes.io/storage-class"])
    return default_class or ""


def volume_class(volume: Mapping[str, Any]) -> str:
    spec = _spec(volume)
    if spec.get("storageClassName") is not None:
        return str(spec["storageClassName"])
    return str((_meta(volume).get("annotations") or {}).get("volume.beta.kubernetes.io/storage-class") or "")


def can_bind(claim: Mapping[str, Any], volume: Mapping[str, Any], default_class: str | None = None, default_namespace: str = "default") -> Verdict:
    """Every condition of the PV controller's checkVolumeSatisfyClaim and its pre-binding, with the reasons it fails."""
    from graders.matchers import quantity

    claim_spec, volume_spec = _spec(claim), _spec(volume)
    claim_name = str(_meta(claim).get("name") or "")
    claim_namespace = str(_meta(claim).get("namespace") or default_namespace)
    volume_name = str(_meta(volume).get("name") or "")
    reasons: list[str] = []

    wanted_volume = claim_spec.get("volumeName")
    if wanted_volume and wanted_volume != volume_name:
        reasons.append(f"the claim names the volume `{wanted_volume}`")
    ref = volume_spec.get("claimRef")
    if isinstance(ref, Mapping) and ref.get("name"):
        if (ref.get("name"), ref.get("namespace") or "") != (claim_name, claim_namespace):
            reasons.append(f"the volume is reserved for the claim {ref.get('namespace') or '?'}/{ref.get('name')}")
    wanted_class, offered_class = claim_class(claim, default_class), volume_class(volume)
    if wanted_class != offered_class:
        reasons.append(f"the claim asks for the class `{wanted_class}` and the volume has `{offered_class}`" if wanted_class
                       else f"the claim asks for no class and the volume has the class `{offered_class}`")
    wanted_mode = claim_spec.get("volumeMode") or "Filesystem"
    offered_mode = volume_spec.get("volumeMode") or "Filesystem"
    if wanted_mode != offered_mode:
        reasons.append(f"the claim wants volumeMode {wanted_mode} and the volume is {offered_mode}")
    wanted_modes = set(claim_spec.get("accessModes") or [])
    offered_modes = set(volume_spec.get("accessModes") or [])
    missing = sorted(wanted_modes - offered_modes)
    if missing:
        reasons.append(f"the volume does not offer {', '.join(missing)}")
    if not wanted_modes:
        reasons.append("the claim lists no accessModes")
    requested = quantity(((claim_spec.get("resources") or {}).get("requests") or {}).get("storage"))
    capacity = quantity((volume_spec.get("capacity") or {}).get("storage"))
    if requested is None:
        reasons.append("the claim requests no storage")
    elif capacity is None or capacity < requested:
        reasons.append(f"the volume's capacity {(volume_spec.get('capacity') or {}).get('storage')} is less than the "
                       f"{((claim_spec.get('resources') or {}).get('requests') or {}).get('storage')} requested")
    if claim_spec.get("selector") is not None:
        try:
            if not label_selector(claim_spec["selector"]).matches(_meta(volume).get("labels") or {}):
                reasons.append("the claim's selector does not match the volume's labels")
        except SelectorError as err:
            reasons.append(f"the claim's selector: {err}")
    return Verdict(not reasons, tuple(reasons))
