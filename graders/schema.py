"""Check a parsed object against the Kubernetes OpenAPI schema, strictly, with every error on its line."""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import threading
from pathlib import Path
from typing import Any

from graders.source import Document, LineMap, SourceError, strip_nulls

DEFAULT_KUBERNETES_VERSION = "1.35.0"

_QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
_INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
# The grammar resource.ParseQuantity really takes: a signed decimal whose digits may all be missing (`-`, `Mi` are
# zero), then a binary or decimal SI suffix or an exponent; the API server trims spaces first (UnmarshalJSON).
# tests/graders/test_apivalidation.py holds it to the recorded Go verdicts (quantities.json).
_QUANTITY_PATTERN = r"^(?=\s*\S)\s*[+-]?[0-9]*(\.[0-9]*)?([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?\s*$"
# Fields the schema calls required that the API server accepts left out: defaulting fills them in, or their zero
# value is valid. Each has an ok_ fixture in tests/fixtures/apivalidation with the server's recorded verdict.
_DEFAULTED = (("io.k8s.api.rbac.v1.RoleRef", "apiGroup"), ("io.k8s.api.core.v1.PreferredSchedulingTerm", "preference"),
              ("io.k8s.api.core.v1.SleepAction", "seconds"), ("io.k8s.api.core.v1.HTTPHeader", "value"),
              ("io.k8s.api.core.v1.Sysctl", "value"), ("io.k8s.api.core.v1.LimitRangeSpec", "limits"))


class _Schemas:
    """The OpenAPI definitions of one Kubernetes version, and a validator per kind, made on first use."""

    def __init__(self, directory: Path) -> None:
        with open(directory / "_definitions.json", encoding="utf-8") as f:
            document = json.load(f)
        defs = document["$defs"]
        quantity = defs[_QUANTITY]["oneOf"]
        quantity[0] = {**quantity[0], "pattern": _QUANTITY_PATTERN}  # the schema only says "a string"
        self.quantity, self.int_or_string = defs[_QUANTITY], defs[_INT_OR_STRING]
        self.int_or_string["oneOf"] = [  # IntOrString holds an int32
            {**branch, "format": "int32"} if "integer" in str(branch.get("type")) else branch
            for branch in self.int_or_string["oneOf"]]
        for name, field in _DEFAULTED:  # the API server fills these in before it validates
            if name in defs and field in defs[name].get("required", ()):
                defs[name] = {**defs[name], "required": [f for f in defs[name]["required"] if f != field]}
        from graders.crd_schemas import definitions as custom_definitions

        for api, kind, definition in custom_definitions():  # the bundled CRDs (Gateway API) beside the built-in kinds
            defs[f"custom.{api}.{kind}"] = definition
        self.kinds: dict[tuple[str, str], str] = {}  # (apiVersion, kind) -> definition name
        for name, definition in defs.items():
            for gvk in definition.get("x-kubernetes-group-version-kind", ()):
                api = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
                self.kinds[(api, gvk["kind"])] = name
        self.api_versions: dict[str, list[str]] = {}  # kind -> apiVersions, the preferred one first
        for api, kind in sorted(self.kinds, key=lambda k: _version_rank(k[0])):
            self.api_versions.setdefault(kind, []).append(api)
        self._defs = defs
        self._inlined: set[str] = set()  # definitions whose own references are replaced
        self._ready: set[str] = set()  # kinds whose whole tree of definitions is
        self._validators: dict[str, Any] = {}
        self._lock = threading.Lock()  # the app grades in worker threads; inlining edits the shared dicts

    def schema(self, name: str) -> dict[str, Any]:
        """The definition of a kind, with every reference replaced by what it refers to."""
        if name not in self._ready:
            with self._lock:
                self._inline(name)
                self._ready.add(name)
        return self._defs[name]

    def validator(self, name: str) -> Any:
        if name not in self._validators:
            import jsonschema  # ~80 ms; only imported when an answer breaks the schema

            checker = jsonschema.FormatChecker([])
            for fmt in _INT_RANGES:
                checker.checks(fmt)(lambda value, fmt=fmt: _fits(value, fmt))
            self._validators[name] = jsonschema.Draft202012Validator(self.schema(name), format_checker=checker)
        return self._validators[name]

    def _inline(self, name: str) -> None:
        """Replace each `$ref` reachable from a definition by the definition it names, once.

        Validating then never looks a reference up, which saves a quarter of the time. Every `$ref` in
        these files points into `#/$defs/`, with only annotations beside it; recursive types become cycles.
        """
        pending = [name]
        while pending:
            current = pending.pop()
            if current in self._inlined:
                continue
            self._inlined.add(current)
            stack = [self._defs[current]]
            while stack:
                schema = stack.pop()
                slots: list[tuple[Any, Any]] = [(schema, k) for k in ("items", "additionalProperties")
                                                if isinstance(schema.get(k), dict)]
                slots += [(schema["properties"], k) for k in schema.get("properties", ())]
                slots += [(schema["oneOf"], i) for i in range(len(schema.get("oneOf", ())))]
                for holder, key in slots:
                    sub = holder[key]
                    ref = sub.get("$ref")
                    if isinstance(ref, str) and ref.startswith("#/$defs/"):
                        holder[key] = self._defs[ref[len("#/$defs/"):]]
                        pending.append(ref[len("#/$defs/"):])
                    else:
                        stack.append(sub)


class _Unsure(Exception):
    """The schema uses a keyword _conforms does not know; ask jsonschema."""


_ANNOTATIONS = {"description", "$schema", "$id"}
# Go decodes an int32 field into an int32: a number outside it is a decoding error, before any validation.
_INT_RANGES = {"int32": (-2**31, 2**31 - 1), "int64": (-2**63, 2**63 - 1)}


def _fits(value: Any, fmt: Any) -> bool:
    bounds = _INT_RANGES.get(fmt)
    if bounds is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return True
    return bounds[0] <= value <= bounds[1]


def _conforms(schema: dict[str, Any], value: Any) -> bool:
    """Whether value is valid, exactly as jsonschema would say for the keywords of the Kubernetes schemas.

    A valid answer, the common case, is checked ~10x faster than by jsonschema, and without importing it;
    jsonschema runs only to explain what is wrong. tests/graders/test_schema.py holds the two to agreement.
    """
    if "patternProperties" in schema or "unevaluatedProperties" in schema:
        raise _Unsure("patternProperties")  # they change what additionalProperties means
    for keyword, rule in schema.items():
        if keyword == "type":
            if not any(_is_type(value, t) for t in ([rule] if isinstance(rule, str) else rule)):
                return False
        elif keyword == "properties":
            if isinstance(value, dict) and not all(_conforms(rule[k], v) for k, v in value.items() if k in rule):
                return False
        elif keyword == "additionalProperties":
            if isinstance(value, dict):
                known = schema.get("properties", {})
                extra = [v for k, v in value.items() if k not in known]
                if rule is False and extra or isinstance(rule, dict) and not all(_conforms(rule, v) for v in extra):
                    return False
        elif keyword == "items":
            if isinstance(value, list) and not all(_conforms(rule, v) for v in value):
                return False
        elif keyword == "required":
            if isinstance(value, dict) and not all(k in value for k in rule):
                return False
        elif keyword == "oneOf":
            if sum(1 for sub in rule if _conforms(sub, value)) != 1:
                return False
        elif keyword == "enum":
            if not all(isinstance(e, str) or e is None for e in rule):
                raise _Unsure(keyword)
            if not (value is None or isinstance(value, str)) or value not in rule:
                return False
        elif keyword == "pattern":
            if isinstance(value, str) and not re.search(rule, value):
                return False
        elif keyword == "format":
            if not _fits(value, rule):
                return False
        elif keyword not in _ANNOTATIONS and not keyword.startswith("x-"):
            raise _Unsure(keyword)
    return True


def _is_type(value: Any, name: str) -> bool:
    """jsonschema's draft 2020-12 types: booleans are not numbers, and 3.0 is an integer."""
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return name == "number" or (name == "integer" and (isinstance(value, int) or value.is_integer()))


def _version_rank(api: str) -> tuple[int, int, str]:
    """Sort key putting GA versions first, then the newest: v2 before v1 before v1beta1."""
    match = re.search(r"v(\d+)(alpha|beta)?(\d*)$", api)
    if not match:
        return (3, 0, api)
    stage = {None: 0, "beta": 1, "alpha": 2}[match.group(2)]
    return (stage, -int(match.group(1)), api)


@functools.lru_cache(maxsize=16)
def _schemas(version: str) -> _Schemas:
    """The schemas of the newest bundled version not newer than version's major.minor (as kubernetes-validate)."""
    spec = importlib.util.find_spec("kubernetes_validate")  # its __init__ imports jsonschema; skip it
    if spec is None or not spec.submodule_search_locations:
        raise ValueError("the kubernetes-validate package, which holds the schemas, is not installed")
    base = Path(list(spec.submodule_search_locations)[0]) / "kubernetes-json-schema"
    available = sorted((_minor(p.name), p) for p in base.glob("v*-local-strict") if _minor(p.name))
    wanted = _minor(version)
    older = [p for minor, p in available if wanted and minor <= wanted]
    if not older or wanted > available[-1][0]:
        raise ValueError(f"no schema for Kubernetes {version}; known: "
                         f"{', '.join('.'.join(map(str, m)) for m, _ in available)}")
    return _load(older[-1])


@functools.lru_cache(maxsize=4)
def _load(directory: Path) -> _Schemas:
    return _Schemas(directory)


def _minor(version: str) -> tuple[int, int] | None:
    match = re.match(r"v?(\d+)\.(\d+)", version)
    return (int(match.group(1)), int(match.group(2))) if match else None


def known_kinds(version: str = DEFAULT_KUBERNETES_VERSION) -> list[tuple[str, str]]:
    """Every (apiVersion, kind) the schema of this Kubernetes version describes."""
    return sorted(_schemas(version).kinds)


def validate_document(doc: Document, version: str = DEFAULT_KUBERNETES_VERSION) -> list[SourceError]:
    """Every way doc breaks the strict schema of its kind, each with its line; [] when it is valid.

    Raises ValueError only for a Kubernetes version that no bundled schema covers.
    """
    schemas = _schemas(version)
    obj = strip_nulls(doc.obj)
    if not isinstance(obj, dict):
        return [SourceError(f"line {doc.start_line}: expected a Kubernetes object", doc.start_line)]
    name, errors = _identify(obj, doc.lines, schemas, version)
    if name is None:
        return errors
    try:
        if _conforms(schemas.schema(name), obj):
            return []
    except (_Unsure, RecursionError):
        pass
    try:
        found = list(schemas.validator(name).iter_errors(obj))
    except RecursionError:
        return [SourceError(f"line {doc.start_line}: the object is nested too deeply to check", doc.start_line)]
    explained = [item for error in found for item in _explain(error, obj, doc.lines, schemas)]
    # `container:` for `containers:` is one mistake: keep "did you mean", drop "missing containers"
    suggested = {(path, field) for _, path, field in explained if field and field[0] != "!"}
    kept = [e for e, path, field in explained if not field or (path, field[1:]) not in suggested]
    return sorted(dict.fromkeys(kept), key=lambda e: (e.line or 0, e.column or 0))


def _identify(obj: dict, lines: LineMap, schemas: _Schemas, version: str) -> tuple[str | None, list[SourceError]]:
    """The schema definition for the object's apiVersion and kind, or errors saying what is wrong."""
    api, kind = obj.get("apiVersion"), obj.get("kind")
    errors: list[SourceError] = []
    for field, value in (("apiVersion", api), ("kind", kind)):
        line, column = lines.position_for([field] if value is not None else [])
        if value is None:
            known = isinstance(kind, str) and kind in schemas.api_versions
            example = ("kind: Pod" if field == "kind" else  # the kind of most exercises
                       f"apiVersion: {schemas.api_versions[kind][0]}" if known else "apiVersion: v1")
            errors.append(SourceError(f"line {line}: missing field \"{field}\"; every Kubernetes object "
                                      "needs apiVersion and kind", line, column,
                                      f"Add `{field}:`, such as `{example}`.",
                                      f"다음 필드를 추가하세요: `{example}` (모든 오브젝트에는 apiVersion과 "
                                      "kind가 필요합니다)"))
        elif not isinstance(value, str):
            errors.append(SourceError(f"line {line}: {field}: expected a string, got {_got(value)}", line,
                                      column))
    if errors:
        return None, errors
    if (api, kind) in schemas.kinds:
        return schemas.kinds[(api, kind)], []
    if kind in schemas.api_versions:
        right = schemas.api_versions[kind][0]
        line, column = lines.position_for(["apiVersion"])
        return None, [SourceError(f"line {line}: apiVersion \"{api}\" has no kind {kind}; {kind} is served "
                                  f"as apiVersion \"{right}\"", line, column, f"Use `apiVersion: {right}`.",
                                  f"{kind}의 apiVersion은 `{right}`입니다: `apiVersion: {right}`")]
    line, column = lines.position_for(["kind"])
    guess = _did_you_mean(kind, schemas.api_versions)
    message = f"line {line}: unknown kind \"{kind}\""
    if guess is None:
        return None, [SourceError(f"{message} in Kubernetes {version}", line, column)]
    right = schemas.api_versions[guess][0]
    fix = f"`kind: {guess}`" + (f" with `apiVersion: {right}`" if api != right else "")
    return None, [SourceError(f"{message}; did you mean \"{guess}\"?", line, column, f"Use {fix}.",
                              f"kind 이름을 확인하세요: {fix}")]


from graders.schema_errors import _did_you_mean, _explain, _got  # noqa: E402 - the second half of this module
