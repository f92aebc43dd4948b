"""Pod volumes and the containers' mounts: one source per volume, names a mount can use, paths inside a volume."""

from __future__ import annotations

from typing import Any

from graders.apivalidation import fields as f
from graders.apivalidation.fields import Errors, Path, integer, items, mapping, text


SOURCES = ("emptyDir", "hostPath", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret", "nfs", "iscsi",
           "glusterfs", "flocker", "persistentVolumeClaim", "rbd", "cinder", "cephfs", "quobyte", "downwardAPI", "fc",
           "flexVolume", "configMap", "azureFile", "vsphereVolume", "photonPersistentDisk", "portworxVolume",
           "azureDisk", "storageos", "projected", "scaleIO", "csi", "ephemeral", "image")


HOST_PATH_TYPES = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"]


FILE_MODE = ("must be a number between 0 and 0777 (octal), both inclusive", "0부터 0777(8진수) 사이의 숫자여야 합니다")


def mounts(errors: Errors, mounts: Any, path: Path, volumes: set[str]) -> None:
    mount_points: set[str] = set()
    for i, mount in items(mounts):
        here = path + (i,)
        name, mount_path = text(mount.get("name")), text(mount.get("mountPath"))
        if "name" in mount and not name:
            errors.required(here + ("name",))
        if name not in volumes and "name" in mount:
            errors.not_found(here + ("name",), name)
        if "mountPath" in mount and not mount_path:
            errors.required(here + ("mountPath",))
        if mount_path in mount_points:
            errors.invalid(here + ("mountPath",), mount_path, "must be unique", "같은 경로에 두 번 마운트할 수 없습니다")
        mount_points.add(mount_path)
        for field in ("subPath", "subPathExpr"):
            if text(mount.get(field)):
                _descending_path(errors, mount[field], path + (field,), at=here + (field,))
        propagation = mount.get("mountPropagation")
        if isinstance(propagation, str) and propagation not in ("Bidirectional", "HostToContainer", "None"):
            errors.unsupported(path + ("mountPropagation",), propagation, ["Bidirectional", "HostToContainer", "None"],
                               at=here + ("mountPropagation",))  # the API server names the list, not the item


def _descending_path(errors: Errors, value: str, path: Path, at: Path | None = None) -> None:
    if value.startswith("/"):
        errors.invalid(path, value, "must be a relative path", "상대 경로여야 합니다", at=at)
    if ".." in value.split("/"):
        errors.invalid(path, value, "must not contain '..'", "'..'를 쓸 수 없습니다", at=at)


def _local_path(errors: Errors, value: str, path: Path) -> None:
    """ValidateLocalNonReservedPath: a key's file under the mount (`items[].path`)."""
    _descending_path(errors, value, path)
    if value.startswith("..") and not value.startswith("../"):
        errors.invalid(path, value, "must not start with '..'", "'..'로 시작할 수 없습니다")


def _mode(errors: Errors, value: Any, path: Path, limit: int = 0o777) -> None:
    number = integer(value)
    if number is not None and not 0 <= number <= limit:
        errors.invalid(path, number, *FILE_MODE)


def _key_to_paths(errors: Errors, entries: Any, path: Path) -> None:
    for i, item in items(entries):
        here = path + (i,)
        if item.get("key") == "":
            errors.required(here + ("key",))
        if item.get("path") == "":
            errors.required(here + ("path",))
        _local_path(errors, text(item.get("path")), here + ("path",))
        _mode(errors, item.get("mode"), here + ("mode",))


def volumes(errors: Errors, volumes: Any, path: Path) -> set[str]:
    """ValidateVolumes: the names of the volumes that are valid, which are the ones a mount may name."""
    valid: set[str] = set()
    for i, volume in items(volumes):
        here = path + (i,)
        mine = Errors()
        _volume_source(mine, volume, here)
        name = volume.get("name")
        if name == "":
            mine.required(here + ("name",))
        elif isinstance(name, str):
            f.check_name(mine, here + ("name",), name, f.dns_label(name))
        if isinstance(name, str) and name in valid:
            mine.duplicate(here + ("name",), name)
        if not mine and isinstance(name, str):
            valid.add(name)
        errors.extend(mine)
    return valid


def _volume_source(errors: Errors, volume: dict[str, Any], path: Path) -> None:
    present = [s for s in SOURCES if volume.get(s) is not None]
    if not present:
        return  # a volume with no source is defaulted to an emptyDir
    for extra in present[1:]:
        errors.forbidden(path + (extra,), "may not specify more than 1 volume type", "볼륨 종류는 하나만 지정할 수 있습니다")
    kind, source = present[0], mapping(volume.get(present[0]))
    here = path + (kind,)
    if kind == "hostPath":
        value = text(source.get("path"))
        if "path" in source and not value:
            errors.required(here + ("path",))
        elif ".." in value.split("/"):
            errors.invalid(here + ("path",), value, "must not contain '..'", "'..'를 쓸 수 없습니다")
        if isinstance(source.get("type"), str) and source["type"] not in HOST_PATH_TYPES:
            errors.unsupported(here + ("type",), source["type"], HOST_PATH_TYPES)
    elif kind in ("secret", "configMap"):
        name_field = "secretName" if kind == "secret" else "name"
        if not text(source.get(name_field)):
            errors.required(here + (name_field,))
        _mode(errors, source.get("defaultMode"), here + ("defaultMode",))
        _key_to_paths(errors, source.get("items"), here + ("items",))
    elif kind == "persistentVolumeClaim" and source.get("claimName") == "":
        errors.required(here + ("claimName",))
    elif kind == "nfs":
        if source.get("server") == "":
            errors.required(here + ("server",))
        nfs_path = text(source.get("path"))
        if "path" in source and not nfs_path:
            errors.required(here + ("path",))
        if "path" in source and not nfs_path.startswith("/"):
            errors.invalid(here + ("path",), nfs_path, "must be an absolute path", "절대 경로여야 합니다")
    elif kind == "emptyDir":
        size = f.quantity_of(source.get("sizeLimit"))
        if size is not None and size.value < 0:
            errors.forbidden(here + ("sizeLimit",), "SizeLimit field must be a valid resource quantity",
                             "sizeLimit은 0 이상의 올바른 양이어야 합니다")
    elif kind == "projected":
        _mode(errors, source.get("defaultMode"), here + ("defaultMode",))
        _projection(errors, source.get("sources"), here)
    elif kind == "downwardAPI":
        _mode(errors, source.get("defaultMode"), here + ("defaultMode",))
        for i, file in items(source.get("items")):
            _downward_file(errors, file, here, here + ("items", i))


VOLUME_FIELD_PATHS = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"]


def _downward_file(errors: Errors, file: dict[str, Any], path: Path, at: Path) -> None:
    """validateDownwardAPIVolumeFile; the API server names the volume (`downwardAPI.path`), not the item."""
    from graders.apivalidation.pods import env_field_path, resource_field

    if not text(file.get("path")):
        errors.required(path + ("path",), at=at)
    else:
        _local_path(errors, file["path"], path + ("path",))
    field_ref, resource_ref = file.get("fieldRef"), file.get("resourceFieldRef")
    if isinstance(field_ref, dict):
        env_field_path(errors, text(field_ref.get("fieldPath")), path + ("fieldRef",), VOLUME_FIELD_PATHS)
        if resource_ref is not None:
            errors.invalid(path, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously",
                           "fieldRef와 resourceFieldRef를 함께 쓸 수 없습니다", at=at)
    elif isinstance(resource_ref, dict):
        resource_field(errors, resource_ref, path + ("resourceFieldRef",), volume=True)
    else:
        errors.required(path, "one of fieldRef and resourceFieldRef is required", "fieldRef나 resourceFieldRef가 있어야 합니다",
                        at=at)
    _mode(errors, file.get("mode"), path + ("mode",))


def _projection(errors: Errors, sources: Any, path: Path) -> None:
    seen: set[str] = set()
    for i, source in items(sources):
        here = path + ("sources", i)
        kinds = [k for k in ("secret", "configMap", "downwardAPI", "serviceAccountToken", "clusterTrustBundle",
                             "podCertificate") if source.get(k) is not None]
        for kind in ("secret", "configMap"):
            part = mapping(source.get(kind))
            if source.get(kind) is None:
                continue
            if not text(part.get("name")):
                errors.required(here + (kind, "name"))
            _key_to_paths(errors, part.get("items"), here + (kind, "items"))
            for _, item in items(part.get("items")):
                file = text(item.get("path"))
                if file and file in seen:
                    errors.invalid(path, text(part.get("name")), "conflicting duplicate paths", "같은 경로가 두 번 쓰였습니다")
                seen.add(file)
        downward = source.get("downwardAPI")
        if isinstance(downward, dict):
            for j, file in items(downward.get("items")):
                _downward_file(errors, file, here + ("downwardAPI",), here + ("downwardAPI", "items", j))
                name = text(file.get("path"))
                if name and name in seen:
                    errors.invalid(path, name, "conflicting duplicate paths", "같은 경로가 두 번 쓰였습니다",
                                   at=here + ("downwardAPI", "items", j, "path"))
                seen.add(name)
        token = source.get("serviceAccountToken")
        if isinstance(token, dict):
            seconds = integer(token.get("expirationSeconds"))
            if seconds is not None and seconds < 600:
                errors.invalid(here + ("serviceAccountToken", "expirationSeconds"), seconds,
                               "may not specify a duration less than 10 minutes", "10분(600초)보다 짧게 지정할 수 없습니다")
            if seconds is not None and seconds > 2**32:
                errors.invalid(here + ("serviceAccountToken", "expirationSeconds"), seconds,
                               "may not specify a duration larger than 2^32 seconds", "2^32초보다 길게 지정할 수 없습니다")
            if not text(token.get("path")):
                errors.required(path + ("path",), at=here + ("serviceAccountToken",))
            else:
                _local_path(errors, token["path"], path + ("path",))
        if len(kinds) > 1:
            errors.forbidden(here, "may not specify more than 1 volume type per source", "source 하나에는 종류를 하나만 지정할 수 있습니다")

