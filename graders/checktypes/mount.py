"""`mount`: what containers see at a path (the volume's source, its keys as files), deeper mounts and items included."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from exercises.base import CheckBase, Strict
from graders.checktypes.base import CheckType, lazy, pods_of
from graders.report import CheckResult
from graders.subject import Subject, result

mounts, workloads = lazy("graders.meaning.mounts"), lazy("graders.meaning.workloads")

MESSAGES = {
    "sees": ("`{container}` sees {origin} at {path}", "`{container}`은(는) {path}에서 {origin}을(를) 봅니다"),
    "nothing": ("`{container}` has nothing mounted at {path}; expected {wanted}", "`{container}`의 {path}에 마운트된 것이 없습니다. 기대한 것은 {wanted}"),
    "other": ("`{container}` sees {origin} at {path}; expected {wanted}", "`{container}`은(는) {path}에서 {origin}을(를) 봅니다. 기대한 것은 {wanted}"),
    "shadowed": ("at {path} `{container}` sees {origin} (the mount at {mount}), not {wanted}", "{path}에서 `{container}`은(는) {wanted}이(가) 아니라 {origin}({mount} 마운트)을(를) 봅니다"),
    "missing-key": ("`{container}` has no file {path}: the volume's items leave out key `{key}`", "`{container}`에 {path} 파일이 없습니다: 볼륨의 items에 키 `{key}`가 빠졌습니다"),
    "no-volume": ("`{container}` mounts `{volume}` at {path}, but the pod has no such volume", "`{container}`이(가) {path}에 `{volume}`을(를) 마운트하지만 파드에 그런 볼륨이 없습니다"),
    "writable": ("`{container}` can write to {path}; it should be read-only", "`{container}`이(가) {path}에 쓸 수 있습니다. 읽기 전용이어야 합니다"),
    "read-only": ("`{container}` sees {path} read-only; it must be writable", "`{container}`의 {path}이(가) 읽기 전용입니다. 쓸 수 있어야 합니다"),
    "not-shared": ("`{first}` and `{second}` see different volumes at {path} (`{a}` and `{b}`): they do not share files", "`{first}`와 `{second}`가 {path}에서 서로 다른 볼륨(`{a}`, `{b}`)을 봅니다: 파일을 공유하지 않습니다"),
    "no-container": ("there is no container `{container}`", "`{container}` 컨테이너가 없습니다"),
    "shared": ("{containers} see {origin} at {path}, the same volume `{volume}`", "{containers}이(가) {path}에서 {origin}을(를) 봅니다. 같은 볼륨 `{volume}`입니다"),
    "kind-emptyDir": ("an emptyDir volume", "emptyDir 볼륨"),
}


class Source(Strict):
    """What must be there: exactly one of these."""

    configMap: str | None = None
    secret: str | None = None
    persistentVolumeClaim: str | None = None
    emptyDir: bool | None = None
    hostPath: str | None = None

    @model_validator(mode="after")
    def _one(self) -> "Source":
        chosen = [k for k in type(self).model_fields if getattr(self, k) not in (None, False)]
        if len(chosen) != 1:
            raise ValueError("a mount source sets exactly one of configMap, secret, persistentVolumeClaim, emptyDir, hostPath")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in type(self).model_fields if getattr(self, k) not in (None, False))

    @property
    def name(self) -> str:
        value = getattr(self, self.kind)
        return "" if value is True else str(value)

    def text(self, subject: Subject) -> str:
        if self.kind == "emptyDir":
            return subject.tell(MESSAGES, "kind-emptyDir")
        return f"{self.kind} `{self.name}`"


class MountCheck(CheckBase):
    """Containers see `source` at `path`: a directory of the source, or (with `key`) one key's file."""

    type: Literal["mount"]
    path: str = Field(min_length=1)
    source: Source
    container: str | None = None
    """The container; unset: the pod's only container (or every container in `containers`)."""
    containers: list[str] = []
    """Several containers that must all see it, and share the same volume there."""
    keys: list[str] = []
    """ConfigMap or Secret keys that must each be a file named after the key under `path`."""
    key: str | None = None
    """`path` is a file holding this key (a subPath mount, or items)."""
    read_only: bool | None = None


def _origin_matches(origin: Any, source: Source, key: str | None) -> bool:
    if origin.kind != source.kind:
        return False
    if source.kind == "hostPath":
        return origin.name.rstrip("/") == source.name.rstrip("/")
    if source.kind in ("configMap", "secret"):
        return origin.name == source.name and origin.key == (key or "") and not origin.sub_path
    if source.kind == "persistentVolumeClaim":
        return origin.name == source.name and not origin.sub_path
    if source.kind == "emptyDir":
        return True  # a sub-path of an emptyDir is as empty and as shared (by whoever mounts the same sub-path)
    return not origin.sub_path


def run_mount(check: MountCheck, subject: Subject) -> CheckResult:
    pods = pods_of(check, subject)
    if isinstance(pods, str):
        return result(check, subject, False, pods)
    names = check.containers or ([check.container] if check.container else [c.get("name") for c in workloads.containers(pods.spec)][:1])
    source_ref = (check.source.kind, check.source.name) if check.source.kind in ("configMap", "secret") else None
    wanted = check.source.text(subject)
    seen_volumes: list[tuple[str, str]] = []
    message, origin = "", ""
    for name in names:
        index = pods.index(str(name))
        if index is None:
            return result(check, subject, False, subject.tell(MESSAGES, "no-container", container=name))
        line = pods.line(subject, index[0], index[1], "volumeMounts")
        values = {"container": name, "path": check.path, "wanted": wanted}
        seen = mounts.sees(pods.spec, str(name), check.path, source_ref)
        if not seen.present and not seen.origin.kind:
            return result(check, subject, False, subject.tell(MESSAGES, "no-volume", volume=seen.volume, **values), None, line)
        if not _origin_matches(seen.origin, check.source, check.key):
            key = "nothing" if not seen.origin.kind else "other"
            return result(check, subject, False, subject.tell(MESSAGES, key, origin=seen.origin.text(), **values), None, line)
        if check.key is not None and not seen.present:
            return result(check, subject, False, subject.tell(MESSAGES, "missing-key", key=check.key, **values), None, line)
        for key in check.keys:
            file = check.path.rstrip("/") + "/" + key
            inner = mounts.sees(pods.spec, str(name), file, source_ref)
            if inner.mount_path != seen.mount_path and inner.origin.kind:
                return result(check, subject, False, subject.tell(MESSAGES, "shadowed", origin=inner.origin.text(), mount=inner.mount_path,
                                                                  **{**values, "path": file, "wanted": f"{wanted} key `{key}`"}), None, line)
            if not inner.present or not _origin_matches(inner.origin, check.source, key):  # the file, from this source
                return result(check, subject, False, subject.tell(MESSAGES, "missing-key", key=key, **{**values, "path": file}), None, line)
        if check.read_only is True and not seen.read_only:
            return result(check, subject, False, subject.tell(MESSAGES, "writable", **values), None, line)
        if check.read_only is False and seen.read_only:
            return result(check, subject, False, subject.tell(MESSAGES, "read-only", **values), None, line)
        seen_volumes.append((str(name), seen.volume + (f" (sub-path `{seen.origin.sub_path}`)" if seen.origin.sub_path else "")))
        origin = seen.origin.text()
        message = message or subject.tell(MESSAGES, "sees", origin=origin, **values)
    if len(seen_volumes) > 1:
        (first, a), *others = seen_volumes
        for second, b in others:
            if a != b:
                return result(check, subject, False, subject.tell(MESSAGES, "not-shared", first=first, second=second, path=check.path, a=a, b=b))
        message = subject.tell(MESSAGES, "shared", containers=", ".join(f"`{n}`" for n, _ in seen_volumes), origin=origin, path=check.path, volume=a)
    return result(check, subject, True, message)


TYPE = CheckType("mount", MountCheck, run_mount)
