"""The custom resources kubedojo knows offline (Gateway API), as strict schema definitions beside the built-in kinds."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any, Iterator

SOURCE = Path(__file__).parent / "data" / "crd-schemas.json"
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"


@functools.lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    with open(SOURCE, encoding="utf-8") as f:
        return json.load(f)


def source() -> str:
    """Where the schemas come from: `module@version path`, as generate_crd_schemas.py wrote it."""
    return str(_document()["source"])


def kinds() -> list[dict[str, Any]]:
    """Each served version of each bundled CRD: group, version, kind, plural, namespaced, schema."""
    return list(_document()["kinds"])


@functools.lru_cache(maxsize=1)
def namespaced_kinds() -> dict[str, bool]:
    """Each bundled custom resource kind: whether its objects live in a namespace."""
    return {str(entry["kind"]): bool(entry["namespaced"]) for entry in kinds()}


def _strict(schema: Any) -> None:
    """Unknown fields are errors, as `kubectl apply` (field validation Strict) reports them for a CRD."""
    if not isinstance(schema, dict):
        return
    if "properties" in schema and "additionalProperties" not in schema and not schema.get("x-kubernetes-preserve-unknown-fields"):
        schema["additionalProperties"] = False
    for key in ("properties", "patternProperties"):
        for sub in (schema.get(key) or {}).values():
            _strict(sub)
    for key in ("items", "additionalProperties", "not"):
        _strict(schema.get(key))
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key) or ():
            _strict(sub)


def definitions() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(apiVersion, kind, definition) for each bundled custom resource; metadata is the built-in ObjectMeta."""
    for entry in kinds():
        schema = copy.deepcopy(entry["schema"])
        _strict(schema)
        properties = schema.setdefault("properties", {})
        properties["metadata"] = {"$ref": f"#/$defs/{OBJECT_META}"}
        properties["apiVersion"] = {"type": "string", "enum": [f"{entry['group']}/{entry['version']}"]}
        properties["kind"] = {"type": "string", "enum": [entry["kind"]]}
        schema["additionalProperties"] = False
        schema["x-kubernetes-group-version-kind"] = [{"group": entry["group"], "version": entry["version"], "kind": entry["kind"]}]
        yield f"{entry['group']}/{entry['version']}", entry["kind"], schema
