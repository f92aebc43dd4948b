"""Check a parsed object against the Kubernetes OpenAPI schema, strictly, with every error on its line."""

from __future__ import annotations

import difflib
import functools
import importlib.util
import json
import re
import threading
from pathlib import Path
from typing import Any, Iterator, Sequence

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
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_-]+")


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


def _did_you_mean(name: str, choices: Any) -> str | None:
    """The allowed name the user most likely meant: same letters in another case, or a near spelling."""
    bare = name.strip().lstrip("-").strip()
    by_lower = {str(c).lower(): str(c) for c in choices}
    for candidate in (bare, bare.rstrip("s"), bare + "s"):
        if candidate.lower() in by_lower and by_lower[candidate.lower()] != name:
            return by_lower[candidate.lower()]
    close = difflib.get_close_matches(bare.lower(), list(by_lower), n=1, cutoff=0.75)
    return by_lower[close[0]] if close else None


def _dotted(obj: Any, path: Sequence[Any]) -> str:
    """A kubectl-style path, naming list items by their `name` when they have one."""
    out, node = "", obj
    for step in path:
        if isinstance(node, list) and isinstance(step, int):
            node = node[step] if 0 <= step < len(node) else None
            name = node.get("name") if isinstance(node, dict) else None
            out += f"[{name}]" if isinstance(name, str) and name else f"[{step}]"
        else:
            text = str(step)
            out += (("." if out else "") + text) if _PLAIN_NAME.fullmatch(text) else f"[{text}]"
            node = node.get(step) if isinstance(node, dict) else None
    return out or "the object"


def _got(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"a string (\"{value[:40]}\")"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    return f"a {type(value).__name__} value"


_TYPE_NAMES = {"integer": "an integer", "number": "a number", "string": "a string", "boolean": "true or false",
               "array": "a list", "object": "a mapping of fields"}

# (error, path of the object, the field an unknown key was taken for | "!" + a missing required field)
Explained = Iterator[tuple[SourceError, tuple[Any, ...], "str | None"]]


def _explain(error: Any, obj: Any, lines: LineMap, schemas: _Schemas) -> Explained:
    """One jsonschema error in the words of a Kubernetes instructor, with its line and a hint."""
    path = tuple(error.absolute_path)
    where = _dotted(obj, path)
    line, column = lines.position_for(path)
    keyword, value = error.validator, error.instance
    if keyword == "additionalProperties" and error.validator_value is False and isinstance(value, dict):
        allowed = error.schema.get("properties", {})
        for key in value:
            if key not in allowed:
                yield _unknown_field(obj, lines, path, str(key), allowed)
    elif keyword == "required" and isinstance(value, dict):
        for field in error.validator_value:
            if field not in value:
                yield (SourceError(f"line {line}: {where}: missing required field \"{field}\"", line, column,
                                   f"Add `{field}:` to {where}.", f"{where}에 `{field}:` 필드를 추가하세요."),
                       path, "!" + field)
    elif keyword == "type":
        expected = [t for t in ([error.validator_value] if isinstance(error.validator_value, str)
                                else error.validator_value) if t != "null"]
        hint = _type_hint(path[-1] if path else "", value, expected)
        names = " or ".join(_TYPE_NAMES.get(t, t) for t in expected)
        yield SourceError(f"line {line}: {where}: expected {names}, got {_got(value)}", line, column,
                          *hint), path, None
    elif keyword == "oneOf" and error.schema is schemas.quantity:
        if isinstance(value, str):
            fixed = re.sub(r"([KMGTPE])[Bb]$", r"\1i", value)
            example = f"`{fixed}`" if fixed != value else "`128Mi`, `1Gi`, `500m` or `0.5`"
            yield (SourceError(f"line {line}: {where}: \"{value}\" is not a valid quantity", line, column,
                               f"Write a quantity such as {example}: a number with an optional suffix "
                               "(m, k, M, G, Ki, Mi, Gi).",
                               f"{example}처럼 숫자 뒤에 단위(m, k, M, G, Ki, Mi, Gi)를 붙여 쓰세요."), path, None)
        else:
            yield (SourceError(f"line {line}: {where}: expected a quantity (a number or a string such as "
                               f"\"128Mi\"), got {_got(value)}", line, column), path, None)
    elif keyword == "oneOf" and error.schema is schemas.int_or_string and not _fits(value, "int32"):
        yield (SourceError(f"line {line}: {where}: {value} does not fit an int32 (from {-2**31} to {2**31 - 1})", line,
                           column, "Use a smaller number, or a percentage such as `25%`.",
                           "더 작은 숫자나 `25%` 같은 퍼센트를 쓰세요."), path, None)
    elif keyword == "oneOf" and error.schema is schemas.int_or_string:
        yield (SourceError(f"line {line}: {where}: expected an integer or a string, got {_got(value)}", line,
                           column), path, None)
    elif keyword == "format" and error.validator_value in _INT_RANGES:
        low, high = _INT_RANGES[error.validator_value]
        yield (SourceError(f"line {line}: {where}: {value} does not fit an {error.validator_value} (from {low} to {high})",
                           line, column, f"Use a number from {low} to {high}.",
                           f"{low}부터 {high} 사이의 숫자를 쓰세요 ({where}는 {error.validator_value}입니다)."), path, None)
    elif keyword == "enum":
        choices = ", ".join(f"\"{c}\"" for c in error.validator_value if c is not None)
        guess = _did_you_mean(str(value), [c for c in error.validator_value if c is not None])
        tail = f"; did you mean \"{guess}\"?" if guess else ""
        yield (SourceError(f"line {line}: {where}: \"{value}\" is not one of {choices}{tail}", line, column,
                           f"Use `{path[-1]}: {guess}`." if guess and path else None), path, None)
    else:
        yield SourceError(f"line {line}: {where}: {error.message}", line, column), path, None


def _unknown_field(obj: Any, lines: LineMap, path: tuple[Any, ...], key: str, allowed: dict) -> Any:
    """An unknown field: a misplaced key, a dash with no space, or a typo of an allowed field."""
    line, column = lines.position_for((*path, key))
    message = f"line {line}: {_dotted(obj, (*path, key))}: unknown field \"{key}\""
    if re.match(r"-[A-Za-z_]", key):  # `-name:` parses as a key named "-name"
        bare = key[1:].strip()
        return (SourceError(message + "; a list item needs a space after the dash", line, column,
                            f"Put a space after the dash: `- {bare}:`.",
                            f"대시(-) 뒤에는 반드시 한 칸을 띄워야 합니다: `- {bare}:`"), path, None)
    misplaced = lines.indent_hint((*path, key))
    if misplaced:
        return SourceError(message, line, column, *misplaced), path, None
    guess = _did_you_mean(key, allowed)
    if guess is None:
        return (SourceError(message, line, column, f"Remove `{key}:`, or move it to the object it belongs to.",
                            f"`{key}:` 필드를 지우거나, 이 필드가 속한 오브젝트 아래로 옮기세요."), path, None)
    message += f"; did you mean \"{guess}\"?"
    return (SourceError(message, line, column, f"Rename `{key}` to `{guess}`.",
                        f"필드 이름의 철자를 확인하세요: `{key}` → `{guess}`"), path, guess)


def _type_hint(field: Any, value: Any, expected: list[str]) -> tuple[str | None, str | None]:
    """A fix for the type mistakes people make in manifests."""
    if "integer" in expected and isinstance(value, str) and value.strip().isdigit():
        return (f"Remove the quotes: `{field}: {value.strip()}`.",
                f"따옴표를 빼고 숫자로 쓰세요: `{field}: {value.strip()}`")
    if expected == ["array"] and isinstance(value, str):
        items = ", ".join(json.dumps(word) for word in value.split()) or '""'
        return (f"Write it as a list: `{field}: [{items}]`, or one `- item` per line.",
                f"리스트로 써야 합니다: `{field}: [{items}]` 또는 줄마다 `- 항목` 형식으로 쓰세요.")
    if expected == ["array"] and isinstance(value, dict):
        return (f"`{field}` is a list: start each item with a dash, as in `- name: ...`.",
                f"`{field}` 필드는 리스트입니다. 각 항목을 대시(-)로 시작하세요: `- name: ...`")
    if expected == ["object"] and isinstance(value, list):
        return (f"`{field}` holds fields directly, not a list: remove the dash (`- `) before them.",
                f"`{field}` 아래에는 리스트가 아니라 필드가 바로 와야 합니다. 앞의 대시(- )를 지우세요.")
    if expected == ["object"] and isinstance(value, str) and re.match(r"[A-Za-z_][\w.-]*:\S", value):
        key, _, rest = value.partition(":")
        return (f"Put a space after the colon: `{key}: {rest}`.",
                f"콜론(:) 뒤에는 반드시 한 칸을 띄워야 합니다: `{key}: {rest}`")
    if expected == ["string"] and isinstance(value, (bool, int, float)):
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        return (f"Quote the value so it stays a string: `{field}: \"{shown}\"`.",
                f"값을 따옴표로 감싸 문자열로 쓰세요: `{field}: \"{shown}\"`")
    return None, None
