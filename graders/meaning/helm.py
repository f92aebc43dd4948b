"""Helm releases as Helm stores them: a Secret `sh.helm.release.v1.NAME.vN` per revision (labels owner=helm, name,
status, version), its `release` key the release as gzipped JSON in base64; read without running helm."""

from __future__ import annotations

import base64
import binascii
import gzip
import io
import json
from dataclasses import dataclass
from typing import Any

from graders.meaning.shape import mapping

GZIP_MAGIC = b"\x1f\x8b\x08"
MAX_RELEASE_BYTES = 8 * 1024 * 1024
"""A release bigger than this unpacked is not read (a Secret holds at most 1 MiB packed)."""


class ReleaseError(ValueError):
    """A Secret that says it is a Helm release but cannot be read as one."""


@dataclass(frozen=True)
class Revision:
    """One revision of a release, as `helm history` shows it."""

    name: str
    namespace: str
    version: int
    status: str
    """deployed, superseded, failed, uninstalled, pending-install, pending-upgrade, pending-rollback."""
    description: str
    chart: str
    """The chart's name."""
    chart_version: str
    config: dict[str, Any]
    """The values given at install or upgrade (`--set`, `-f`), what `helm get values` prints."""
    defaults: dict[str, Any]
    """The chart's own values.yaml."""

    @property
    def values(self) -> dict[str, Any]:
        """What the templates saw: the chart's values with the given ones over them (`helm get values --all`)."""
        return coalesce(self.defaults, self.config)


def is_release_secret(obj: dict[str, Any]) -> bool:
    meta = mapping(obj.get("metadata"))
    return (str(obj.get("kind")) == "Secret" and mapping(meta.get("labels")).get("owner") == "helm"
            and (obj.get("type") == "helm.sh/release.v1" or str(meta.get("name", "")).startswith("sh.helm.release.v1.")))


def decode(payload: str) -> dict[str, Any]:
    """The release JSON from a Secret's `data.release` (base64 of what Helm stored: base64 of gzipped JSON)."""
    try:
        stored = base64.b64decode(payload, validate=False)
        packed = base64.b64decode(stored, validate=False)
    except (binascii.Error, ValueError) as err:
        raise ReleaseError(f"not base64: {err}") from None
    if packed[:3] == GZIP_MAGIC:
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(packed)) as unpacking:
                packed = unpacking.read(MAX_RELEASE_BYTES + 1)
        except (OSError, EOFError) as err:
            raise ReleaseError(f"not gzip: {err}") from None
        if len(packed) > MAX_RELEASE_BYTES:
            raise ReleaseError("larger than 8 MiB unpacked")
    try:
        body = json.loads(packed)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ReleaseError(f"not JSON: {err}") from None
    if not isinstance(body, dict):
        raise ReleaseError("not a JSON object")
    return body


def revision(obj: dict[str, Any]) -> Revision:
    """The revision a release Secret holds."""
    meta, labels = mapping(obj.get("metadata")), mapping(mapping(obj.get("metadata")).get("labels"))
    payload = mapping(obj.get("data")).get("release")
    if not isinstance(payload, str):
        raise ReleaseError(f"Secret {meta.get('name')} has no data.release")
    body = decode(payload)
    info, chart = mapping(body.get("info")), mapping(body.get("chart"))
    chart_meta = mapping(chart.get("metadata"))
    try:
        version = int(body.get("version") or labels.get("version") or 0)
    except (TypeError, ValueError):
        raise ReleaseError(f"Secret {meta.get('name')}: version {body.get('version')!r} is not a number") from None
    return Revision(name=str(body.get("name") or labels.get("name") or ""), namespace=str(body.get("namespace") or meta.get("namespace") or ""),
                    version=version, status=str(info.get("status") or labels.get("status") or ""), description=str(info.get("description") or ""),
                    chart=str(chart_meta.get("name") or ""), chart_version=str(chart_meta.get("version") or ""),
                    config=dict(mapping(body.get("config"))), defaults=dict(mapping(chart.get("values"))))


def history(objects: list[dict[str, Any]], release: str, namespace: str | None = None) -> list[Revision]:
    """Every revision of `release` among the objects, oldest first (`helm history`)."""
    found = []
    for obj in objects:
        if not is_release_secret(obj):
            continue
        meta = mapping(obj.get("metadata"))
        if mapping(meta.get("labels")).get("name") != release or (namespace and meta.get("namespace") not in (None, namespace)):
            continue
        found.append(revision(obj))
    return sorted(found, key=lambda r: r.version)


def current(revisions: list[Revision]) -> Revision | None:
    """What `helm status` shows: the newest deployed revision, else the newest of all."""
    deployed = [r for r in revisions if r.status == "deployed"]
    return (deployed or revisions or [None])[-1]


def coalesce(defaults: Any, given: Any) -> Any:
    """Helm's merge of values: maps merge key by key, anything else given replaces the default; a null given removes it."""
    if not isinstance(defaults, dict) or not isinstance(given, dict):
        return given
    merged = dict(defaults)
    for key, value in given.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = coalesce(defaults.get(key), value) if isinstance(value, dict) else value
    return merged


def value_at(values: dict[str, Any], dotted: str) -> tuple[bool, Any]:
    """(found, value) at a `--set` style key: `image.tag`, `service.port`."""
    node: Any = values
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node
