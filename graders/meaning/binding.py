"""PersistentVolume binding: can this claim bind this volume, as the PV controller decides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from graders.meaning.selectors import SelectorError, label_selector
from graders.meaning.shape import items, mapping

UNSET: Any = object()


@dataclass(frozen=True)
class Verdict:
    binds: bool
    reasons: tuple[tuple[str, dict[str, Any]], ...] = ()
    """Every reason it cannot, as message keys and values: volume-name, reserved, class, no-class, volume-mode,
    access-modes, no-access-modes, capacity, no-request, selector, selector-error."""


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
    return str(mapping(_meta(volume).get("annotations")).get("volume.beta.kubernetes.io/storage-class") or "")


def can_bind(claim: Mapping[str, Any], volume: Mapping[str, Any], default_class: str | None = None, default_namespace: str = "default") -> Verdict:
    """Every condition of the PV controller's checkVolumeSatisfyClaim and its pre-binding, with the reasons it fails."""
    from graders.matchers import quantity

    claim_spec, volume_spec = _spec(claim), _spec(volume)
    claim_name = str(_meta(claim).get("name") or "")
    claim_namespace = str(_meta(claim).get("namespace") or default_namespace)
    volume_name = str(_meta(volume).get("name") or "")
    reasons: list[tuple[str, dict[str, Any]]] = []

    wanted_volume = claim_spec.get("volumeName")
    if wanted_volume and wanted_volume != volume_name:
        reasons.append(("volume-name", {"name": wanted_volume}))
    ref = volume_spec.get("claimRef")
    if isinstance(ref, Mapping) and ref.get("name"):
        if (ref.get("name"), ref.get("namespace") or "") != (claim_name, claim_namespace):
            reasons.append(("reserved", {"claim": f"{ref.get('namespace') or '?'}/{ref.get('name')}"}))
    wanted_class, offered_class = claim_class(claim, default_class), volume_class(volume)
    if wanted_class != offered_class:
        reasons.append(("class" if wanted_class else "no-class", {"wanted": wanted_class, "offered": offered_class or "—"}))
    wanted_mode = claim_spec.get("volumeMode") or "Filesystem"
    offered_mode = volume_spec.get("volumeMode") or "Filesystem"
    if wanted_mode != offered_mode:
        reasons.append(("volume-mode", {"wanted": wanted_mode, "offered": offered_mode}))
    wanted_modes = {m for m in items(claim_spec.get("accessModes")) if isinstance(m, str)}
    offered_modes = {m for m in items(volume_spec.get("accessModes")) if isinstance(m, str)}
    missing = sorted(wanted_modes - offered_modes)
    if missing:
        reasons.append(("access-modes", {"modes": ", ".join(missing)}))
    if not wanted_modes:
        reasons.append(("no-access-modes", {}))
    requested = quantity(mapping(mapping(claim_spec.get("resources")).get("requests")).get("storage"))
    capacity = quantity(mapping(volume_spec.get("capacity")).get("storage"))
    if requested is None:
        reasons.append(("no-request", {}))
    elif capacity is None or capacity < requested:
        reasons.append(("capacity", {"capacity": mapping(volume_spec.get("capacity")).get("storage") or "—",
                                     "request": mapping(mapping(claim_spec.get("resources")).get("requests")).get("storage")}))
    if claim_spec.get("selector") is not None:
        try:
            if not label_selector(claim_spec["selector"]).matches(mapping(_meta(volume).get("labels"))):
                reasons.append(("selector", {}))
        except SelectorError as err:
            reasons.append(("selector-error", {"error": str(err)}))
    return Verdict(not reasons, tuple(reasons))
