"""Storage: PersistentVolume and PersistentVolumeClaim (core/v1) and StorageClass (storage.k8s.io/v1)."""

from __future__ import annotations

from typing import Any

from graders.apivalidation import fields as f
from graders.apivalidation.fields import Errors, Key, Path, get, items, mapping, text
from graders.apivalidation.scheduling import node_selector_term

ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
PV_SOURCES = ("hostPath", "gcePersistentDisk", "awsElasticBlockStore", "glusterfs", "nfs", "rbd", "quobyte", "cinder",
              "cephfs", "fc", "flocker", "flexVolume", "azureFile", "vsphereVolume", "azureDisk", "photonPersistentDisk",
              "portworxVolume", "scaleIO", "local", "storageos", "csi", "iscsi")


def _access_modes(errors: Errors, modes: Any, path: Path, claim: bool) -> None:
    if isinstance(modes, list) and not modes or modes is None:
        if claim:
            errors.required(path, "at least 1 access mode is required", "accessModes가 하나 이상 있어야 합니다", at=path[:-1])
        else:
            errors.required(path, at=path[:-1])
        return
    if not isinstance(modes, list):
        return
    once_pod = other = False
    for mode in modes:
        if isinstance(mode, str) and mode not in ACCESS_MODES:
            errors.unsupported(path, mode, ACCESS_MODES)
        once_pod |= mode == "ReadWriteOncePod"
        other |= mode in ACCESS_MODES and mode != "ReadWriteOncePod"
    if once_pod and other:
        errors.forbidden(path, "may not use ReadWriteOncePod with other access modes",
                         "ReadWriteOncePod는 다른 access mode와 함께 쓸 수 없습니다")


def _class_name(errors: Errors, value: Any, path: Path) -> None:
    if isinstance(value, str) and value:
        f.check_name(errors, path, value, f.dns_subdomain(value))


def _volume_mode(errors: Errors, value: Any, path: Path) -> None:
    if isinstance(value, str) and value not in ("Block", "Filesystem"):
        errors.unsupported(path, value, ["Block", "Filesystem"])


def persistent_volume(errors: Errors, obj: dict[str, Any]) -> None:
    spec = mapping(obj.get("spec"))
    _access_modes(errors, spec.get("accessModes"), ("spec", "accessModes"), claim=False)
    capacity = spec.get("capacity")
    if not capacity:
        errors.required(("spec", "capacity"), at=("spec",))
    if not isinstance(capacity, dict) or "storage" not in capacity or len(capacity) > 1:
        errors.unsupported(("spec", "capacity"), capacity if isinstance(capacity, dict) else None, ["storage"],
                           at=("spec", "capacity") if capacity is not None else ("spec",))
    for name, value in mapping(capacity).items():
        amount = f.quantity_of(value)
        if amount is not None and amount.rounded_up(3).value <= 0:
            errors.invalid(("spec", "capacity", Key(name)), str(amount.rounded_up(3)), "must be greater than zero",
                           "0보다 커야 합니다")
    policy = spec.get("persistentVolumeReclaimPolicy")
    if isinstance(policy, str) and policy and policy not in ("Delete", "Recycle", "Retain"):
        errors.unsupported(("spec", "persistentVolumeReclaimPolicy"), policy, ["Delete", "Recycle", "Retain"])
    present = [s for s in PV_SOURCES if spec.get(s) is not None]
    if not present:
        errors.required(("spec",), "must specify a volume type", "볼륨 종류(hostPath, nfs, local, csi ...)를 하나 지정해야 합니다")
    for extra in present[1:]:
        errors.forbidden(("spec", extra), "may not specify more than 1 volume type", "볼륨 종류는 하나만 지정할 수 있습니다")
    host = mapping(spec.get("hostPath"))
    if present and present[0] == "hostPath":
        value = text(host.get("path"))
        if "path" in host and not value:
            errors.required(("spec", "hostPath", "path"))
        elif ".." in value.split("/"):
            errors.invalid(("spec", "hostPath", "path"), value, "must not contain '..'", "'..'를 쓸 수 없습니다")
    local, nfs = mapping(spec.get("local")), mapping(spec.get("nfs"))
    if present and present[0] == "local" and not text(local.get("path")):
        errors.required(("spec", "local", "path"), at=("spec", "local"))
    if present and present[0] == "nfs":
        if not text(nfs.get("server")):
            errors.required(("spec", "nfs", "server"), at=("spec", "nfs"))
        if not text(nfs.get("path")):
            errors.required(("spec", "nfs", "path"), at=("spec", "nfs"))
        if not text(nfs.get("path")).startswith("/"):
            errors.invalid(("spec", "nfs", "path"), text(nfs.get("path")), "must be an absolute path", "절대 경로여야 합니다",
                           at=("spec", "nfs"))
    if isinstance(spec.get("nodeAffinity"), dict) and get(spec, "nodeAffinity", "required") is None:
        errors.required(("spec", "nodeAffinity", "required"), "must specify required node constraints",
                        "nodeAffinity.required를 지정해야 합니다", at=("spec", "nodeAffinity"))
    terms = get(spec, "nodeAffinity", "required", "nodeSelectorTerms")
    if isinstance(get(spec, "nodeAffinity", "required"), dict) and isinstance(terms, list) and not terms:
        errors.required(("spec", "nodeAffinity", "required", "nodeSelectorTerms"), "must have at least one node selector term",
                        "nodeSelectorTerms가 하나 이상 있어야 합니다")
    for i, term in items(terms):
        node_selector_term(errors, term, ("spec", "nodeAffinity", "required", "nodeSelectorTerms", i), strict=True)
    if present and present[0] == "local" and spec.get("nodeAffinity") is None:
        errors.required(("spec", "nodeAffinity"), "Local volume requires node affinity", "local 볼륨에는 nodeAffinity가 필요합니다",
                        at=("spec", "local"))
    _class_name(errors, spec.get("storageClassName"), ("spec", "storageClassName"))
    _volume_mode(errors, spec.get("volumeMode"), ("spec", "volumeMode"))


def persistent_volume_claim(errors: Errors, obj: dict[str, Any]) -> None:
    spec = mapping(obj.get("spec"))
    claim_spec(errors, spec, ("spec",))


def claim_spec(errors: Errors, spec: dict[str, Any], path: Path) -> None:
    _access_modes(errors, spec.get("accessModes"), path + ("accessModes",), claim=True)
    f.validate_selector(errors, spec.get("selector"), path + ("selector",))
    requests = mapping(mapping(spec.get("resources")).get("requests"))
    where = path + ("resources", Key("storage"))
    if "storage" not in requests:
        errors.required(where, at=path + ("resources",) if "resources" in spec else path)
    else:
        amount = f.quantity_of(requests["storage"])
        if amount is not None and amount.rounded_up(3).value <= 0:
            errors.invalid(where, str(amount.rounded_up(3)), "must be greater than zero", "0보다 커야 합니다",
                           at=path + ("resources", "requests", "storage"))
    _class_name(errors, spec.get("storageClassName"), path + ("storageClassName",))
    _volume_mode(errors, spec.get("volumeMode"), path + ("volumeMode",))


def storage_class(errors: Errors, obj: dict[str, Any]) -> None:
    provisioner = obj.get("provisioner")
    if provisioner == "":
        errors.required(("provisioner",))
    elif isinstance(provisioner, str):
        f.check_name(errors, ("provisioner",), provisioner.lower(), f.qualified_name(provisioner.lower()))
    policy = obj.get("reclaimPolicy")
    if isinstance(policy, str) and policy and policy not in ("Delete", "Retain"):
        errors.unsupported(("reclaimPolicy",), policy, ["Delete", "Retain"])
    mode = obj.get("volumeBindingMode")
    if isinstance(mode, str) and mode not in ("Immediate", "WaitForFirstConsumer"):
        errors.unsupported(("volumeBindingMode",), mode, ["Immediate", "WaitForFirstConsumer"])
    for key in mapping(obj.get("parameters")):
        if key == "":
            errors.invalid(("parameters",), "", "field can not be empty.", "빈 키는 쓸 수 없습니다")


