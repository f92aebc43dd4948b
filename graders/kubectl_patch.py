"""The three patches `kubectl patch` sends, applied as the API server applies them: JSON merge (RFC 7386), JSON
patch (RFC 6902) and strategic merge (list items merged by the schema's patch merge keys)."""

from __future__ import annotations

import copy
import functools
import importlib.util
import json
from pathlib import Path
from typing import Any

SCHEMA_VERSION = "v1.35.0"


class PatchError(ValueError):
    """The patch cannot be applied; the message is what the API server (or kubectl) would say."""


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge, null deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def json_patch(target: Any, operations: Any) -> Any:
    """RFC 6902: add, remove, replace, move, copy and test, in order; any failure leaves nothing changed."""
    if not isinstance(operations, list):
        raise PatchError("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    doc = copy.deepcopy(target)
    for operation in operations:
        if not isinstance(operation, dict) or "op" not in operation:
            raise PatchError("Unexpected kind: missing op in a JSON patch operation")
        op, path = operation["op"], operation.get("path")
        if not isinstance(path, str):
            raise PatchError(f"missing path in a JSON patch {op} operation")
        if op == "add":
            doc = _put(doc, path, _value(operation), insert=True)
        elif op == "remove":
            doc, _ = _take(doc, path)
        elif op == "replace":
            _get(doc, path)
            doc = _put(doc, path, _value(operation), insert=False)
        elif op in ("move", "copy"):
            source = operation.get("from")
            if not isinstance(source, str):
                raise PatchError(f"missing from in a JSON patch {op} operation")
            if op == "move":
                doc, value = _take(doc, source)
            else:
                value = copy.deepcopy(_get(doc, source))
            doc = _put(doc, path, value, insert=True)
        elif op == "test":
            if _get(doc, path) != _value(operation):
                raise PatchError(f"testing value {path} failed")
        else:
            raise PatchError(f"Unexpected kind: {op}")
    return doc


def _value(operation: dict) -> Any:
    if "value" not in operation:
        raise PatchError(f"missing value in a JSON patch {operation['op']} operation")
    return copy.deepcopy(operation["value"])


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise PatchError(f"JSON pointer must be empty or start with a \"/\": {path}")
    return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]


def _index(container: list, part: str, path: str, end_ok: bool) -> int:
    if part == "-" and end_ok:
        return len(container)
    if not part.isdigit() or (len(part) > 1 and part.startswith("0")):
        raise PatchError(f"add operation does not apply: doc is missing path: \"{path}\"")
    index = int(part)
    if index > len(container) or (index == len(container) and not end_ok):
        raise PatchError(f"doc is missing path: \"{path}\": index out of range")
    return index


def _get(doc: Any, path: str) -> Any:
    for part in _pointer(path):
        if isinstance(doc, dict) and part in doc:
            doc = doc[part]
        elif isinstance(doc, list):
            doc = doc[_index(doc, part, path, False)]
        else:
            raise PatchError(f"doc is missing path: \"{path}\"")
    return doc


def _parent(doc: Any, path: str) -> tuple[Any, str]:
    parts = _pointer(path)
    if not parts:
        raise PatchError("unable to patch the root of the document with this operation")
    parent = _get(doc, "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts[:-1]))
    return parent, parts[-1]


def _put(doc: Any, path: str, value: Any, insert: bool) -> Any:
    if path == "":
        return value
    parent, key = _parent(doc, path)
    if isinstance(parent, dict):
        parent[key] = value
    elif isinstance(parent, list):
        index = _index(parent, key, path, insert)
        if insert:
            parent.insert(index, value)
        else:
            parent[index] = value
    else:
        raise PatchError(f"doc is missing path: \"{path}\"")
    return doc


def _take(doc: Any, path: str) -> tuple[Any, Any]:
    parent, key = _parent(doc, path)
    if isinstance(parent, dict) and key in parent:
        return doc, parent.pop(key)
    if isinstance(parent, list):
        return doc, parent.pop(_index(parent, key, path, False))
    raise PatchError(f"remove operation does not apply: doc is missing path: \"{path}\"")


# --- strategic merge ------------------------------------------------------------------------------


@functools.cache
def _definitions() -> dict[str, Any]:
    spec = importlib.util.find_spec("kubernetes_validate")  # its __init__ imports jsonschema; only find it
    if spec is None or not spec.submodule_search_locations:
        raise PatchError("strategic merge patch needs the kubernetes-validate package (its schemas)")
    base = Path(list(spec.submodule_search_locations)[0]) / "kubernetes-json-schema"
    with open(base / f"{SCHEMA_VERSION}-local" / "_definitions.json", encoding="utf-8") as handle:
        return json.load(handle)["$defs"]


@functools.cache
def _kind_definitions() -> dict[tuple[str, str], str]:
    found = {}
    for name, definition in _definitions().items():
        for gvk in definition.get("x-kubernetes-group-version-kind", ()):
            api = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            found[(api, gvk["kind"])] = name
    return found


def _resolve(schema: dict | None) -> dict | None:
    while schema and "$ref" in schema:
        schema = _definitions().get(schema["$ref"].rsplit("/", 1)[-1])
    return schema


def strategic_merge_patch(target: dict, patch: Any) -> dict:
    """Apply a strategic merge patch to a built-in object; custom kinds refuse it, as the API server does."""
    if not isinstance(patch, dict):
        raise PatchError("strategic merge patch must be a JSON object")
    name = _kind_definitions().get((str(target.get("apiVersion")), str(target.get("kind"))))
    if name is None:
        raise PatchError(f"strategic merge patch is not supported for {target.get('kind')}: use --type merge or json")
    return _merge_map(target, patch, _definitions()[name])


def _merge_map(original: Any, patch: dict, schema: dict | None) -> Any:
    if patch.get("$patch") == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
    if patch.get("$patch") == "delete":
        return None
    result = copy.deepcopy(original) if isinstance(original, dict) else {}
    retain = patch.get("$retainKeys")
    properties = (schema or {}).get("properties", {})
    values = _resolve((schema or {}).get("additionalProperties")) if isinstance((schema or {}).get("additionalProperties"), dict) else None
    for key, value in patch.items():
        if key in ("$patch", "$retainKeys") or key.startswith("$setElementOrder/"):
            continue
        if key.startswith("$deleteFromPrimitiveList/"):
            field = key.split("/", 1)[1]
            if isinstance(result.get(field), list) and isinstance(value, list):
                result[field] = [item for item in result[field] if item not in value]
            continue
        field = properties.get(key)
        sub = _resolve(field) if field is not None else values
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict) and not (field or {}).get("x-kubernetes-map-type") == "atomic":
            merged = _merge_map(result.get(key), value, sub)
            if merged is None:
                result.pop(key, None)
            else:
                result[key] = merged
        elif isinstance(value, list) and "merge" in str((field or {}).get("x-kubernetes-patch-strategy", "")):
            result[key] = _merge_list(result.get(key), value, field or {})
        else:
            result[key] = copy.deepcopy(value)
    if isinstance(retain, list):
        result = {k: v for k, v in result.items() if k in retain}
    return result


def _merge_list(original: Any, patch: list, field: dict) -> list:
    items = copy.deepcopy(original) if isinstance(original, list) else []
    key = field.get("x-kubernetes-patch-merge-key")
    if any(isinstance(p, dict) and p.get("$patch") == "replace" for p in patch):
        return [copy.deepcopy(p) for p in patch if not (isinstance(p, dict) and "$patch" in p)]
    if key is None:  # a list of scalars merged as a set
        return items + [copy.deepcopy(p) for p in patch if p not in items]
    schema = _resolve(field.get("items"))
    for entry in patch:
        if not isinstance(entry, dict) or key not in entry:
            raise PatchError(f"map: {entry} does not contain declared merge key: {key}")
        at = next((i for i, item in enumerate(items) if isinstance(item, dict) and item.get(key) == entry[key]), None)
        if entry.get("$patch") == "delete":
            if at is not None:
                items.pop(at)
        elif at is None:
            items.append(_merge_map({}, entry, schema))
        else:
            items[at] = _merge_map(items[at], entry, schema)
    return items
