"""Environment variables as the kubelet builds them: where a variable comes from (env beats envFrom, the last one
wins), and the values a container starts with (envFrom, env, valueFrom refs and $(VAR) expansion)."""

from __future__ import annotations

import base64
import binascii
import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from graders.meaning.shape import items

Lookup = Callable[[str, str], "dict[str, Any] | None"]
"""(kind, name) -> the ConfigMap or Secret of the pod's namespace, or None when it is not known."""
EXPANSION = re.compile(r"\$\$|\$\(([^)]*)\)")
FIELD_LABEL = re.compile(r"^metadata\.(labels|annotations)\['([^']*)'\]$")


@dataclass(frozen=True)
class EnvValue:
    """The value of a variable, or where the kubelet reads it from."""

    kind: str
    """value, secret, configMap, field, resource, or "" when the variable is not set."""
    name: str = ""
    """The Secret or ConfigMap; the fieldPath or resource for downward values."""
    key: str = ""
    value: str | None = None
    whole: bool = False
    """From envFrom: the variable is there only if the object has that key."""

    def text(self) -> str:
        if not self.kind:
            return "not set"
        if self.kind == "value":
            return f"`{self.value}`"
        return f"{self.kind} `{self.name}`" + (f" key `{self.key}`" if self.key else "")


UNSET = EnvValue("")


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def env_value(container: Mapping[str, Any], name: str) -> EnvValue:
    """What `name` is in the container, as the kubelet builds the environment."""
    found = UNSET
    for source in items(container.get("envFrom")):
        if not isinstance(source, Mapping):
            continue
        prefix = str(source.get("prefix") or "")
        if not name.startswith(prefix):
            continue
        for kind, key in (("configMap", "configMapRef"), ("secret", "secretRef")):
            ref = source.get(key)
            if isinstance(ref, Mapping):
                found = EnvValue(kind, str(ref.get("name") or ""), name[len(prefix):], whole=True)
    for item in items(container.get("env")):
        if not isinstance(item, Mapping) or item.get("name") != name:
            continue
        ref = item.get("valueFrom")
        if isinstance(ref, Mapping):
            for kind, key, name_key in (("secret", "secretKeyRef", "name"), ("configMap", "configMapKeyRef", "name")):
                if isinstance(ref.get(key), Mapping):
                    found = EnvValue(kind, str(ref[key].get(name_key) or ""), str(ref[key].get("key") or ""))
            if isinstance(ref.get("fieldRef"), Mapping):
                found = EnvValue("field", str(ref["fieldRef"].get("fieldPath") or ""))
            if isinstance(ref.get("resourceFieldRef"), Mapping):
                found = EnvValue("resource", str(ref["resourceFieldRef"].get("resource") or ""))
        else:
            found = EnvValue("value", value=_scalar(item.get("value")))
    return found



# --- the values a container starts with ------------------------------------------------------------------


@dataclass(frozen=True)
class EnvVar:
    """One variable of a container's environment."""

    value: str | None
    """The value; None when it cannot be known here (a ConfigMap or Secret that is not at hand, a status field)."""
    source: tuple[str, str] = ("", "")
    """(en, ko) where it comes from when not a plain `value`: `ConfigMap app-config, key mode`."""
    missing: tuple[str, str] | None = None
    """(en, ko) what was not at hand, when `value` is None."""


def _decode(secret: dict[str, Any], key: str) -> str | None:
    """A Secret's key: `stringData` (an answer file) wins over `data` (base64, as the API server keeps it)."""
    if key in (secret.get("stringData") or {}):
        return str(secret["stringData"][key])
    raw = (secret.get("data") or {}).get(key)
    if raw is None:
        return None
    try:
        return base64.b64decode(str(raw), validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return None


def _keys(kind: str, obj: dict[str, Any]) -> dict[str, str | None]:
    if kind == "ConfigMap":
        return {str(k): str(v) for k, v in (obj.get("data") or {}).items()}
    keys = {str(k): _decode(obj, str(k)) for k in (obj.get("data") or {})}
    keys.update({str(k): str(v) for k, v in (obj.get("stringData") or {}).items()})
    return keys


def _key_ref(kind: str, ref: dict[str, Any], lookup: Lookup) -> EnvVar | None:
    """A configMapKeyRef / secretKeyRef; None when the variable is not set (an optional ref that is not there)."""
    name, key = str(ref.get("name") or ""), str(ref.get("key") or "")
    source = (f"{kind} {name}, key {key}", f"{kind} {name}의 키 {key}")
    obj = lookup(kind, name)
    if obj is None:
        return None if ref.get("optional") else EnvVar(None, source, (f"{kind} {name}", f"{kind} {name}"))
    keys = _keys(kind, obj)
    if key not in keys:
        return None if ref.get("optional") else EnvVar(None, source, (f"key {key} in {kind} {name}", f"{kind} {name}의 키 {key}"))
    return EnvVar(keys[key], source)


def _field_ref(path: str, pod: dict[str, Any]) -> EnvVar:
    source = (f"fieldRef {path}", f"fieldRef {path}")
    meta, spec, status = pod.get("metadata") or {}, pod.get("spec") or {}, pod.get("status") or {}
    simple = {"metadata.name": meta.get("name"), "metadata.namespace": meta.get("namespace"), "metadata.uid": meta.get("uid"),
              "spec.nodeName": spec.get("nodeName"), "spec.serviceAccountName": spec.get("serviceAccountName") or spec.get("serviceAccount"),
              "status.hostIP": status.get("hostIP"), "status.podIP": status.get("podIP")}
    labelled = FIELD_LABEL.match(path)
    value = ((meta.get(labelled[1]) or {}).get(labelled[2], "") if labelled else simple.get(path))
    if value is None:
        return EnvVar(None, source, (f"the pod's {path}", f"파드의 {path}"))
    return EnvVar(str(value), source)


def _resource_ref(ref: dict[str, Any], containers: dict[str, dict[str, Any]], default: str) -> EnvVar:
    from graders.matchers import quantity

    resource = str(ref.get("resource") or "")
    source = (f"resourceFieldRef {resource}", f"resourceFieldRef {resource}")
    section, _, name = resource.partition(".")
    container = containers.get(str(ref.get("containerName") or default)) or {}
    amount = quantity(((container.get("resources") or {}).get(section) or {}).get(name))
    divisor = quantity(ref.get("divisor") or "1") or 1
    if amount is None:  # unset limits default to the node's allocatable: not known here
        return EnvVar(None, source, (f"the container's {resource}", f"컨테이너의 {resource}"))
    return EnvVar(str(math.ceil(amount / divisor)), source)


def expand(text: str, known: dict[str, EnvVar]) -> str:
    """`$(VAR)` becomes VAR's value when it is defined earlier; `$$` is a literal `$`; anything else stays as written."""
    def one(match: re.Match[str]) -> str:
        if match[0] == "$$":
            return "$"
        var = known.get(match[1])
        return var.value if var is not None and var.value is not None else match[0]

    return EXPANSION.sub(one, text)


@dataclass(frozen=True)
class Environment:
    """What a container starts with, and the envFrom sources that could not be read (they may hold more)."""

    vars: dict[str, EnvVar]
    unread: tuple[tuple[str, str], ...] = ()


def effective_env(container: dict[str, Any], pod: dict[str, Any], lookup: Lookup) -> Environment:
    """The variables the container starts with: envFrom in order, then env in order (later wins), as the kubelet does."""
    env: dict[str, EnvVar] = {}
    unread: list[tuple[str, str]] = []
    for source in container.get("envFrom") or []:
        if not isinstance(source, dict):
            continue
        prefix = str(source.get("prefix") or "")
        for kind, key in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
            ref = source.get(key)
            if not isinstance(ref, dict):
                continue
            name = str(ref.get("name") or "")
            obj = lookup(kind, name)
            if obj is None:
                if not ref.get("optional"):
                    unread.append((f"{kind} {name}", f"{kind} {name}"))
                continue
            for k, v in _keys(kind, obj).items():
                if k and "=" not in k:
                    env[prefix + k] = EnvVar(v, (f"envFrom {kind} {name}", f"envFrom {kind} {name}"))
    containers = {str(c.get("name")): c for key in ("containers", "initContainers") for c in (pod.get("spec") or {}).get(key) or [] if isinstance(c, dict)}
    for item in container.get("env") or []:
        if not isinstance(item, dict) or not item.get("name"):
            continue
        name, value_from = str(item["name"]), item.get("valueFrom")
        if isinstance(value_from, dict):
            if isinstance(value_from.get("configMapKeyRef"), dict):
                var = _key_ref("ConfigMap", value_from["configMapKeyRef"], lookup)
            elif isinstance(value_from.get("secretKeyRef"), dict):
                var = _key_ref("Secret", value_from["secretKeyRef"], lookup)
            elif isinstance(value_from.get("fieldRef"), dict):
                var = _field_ref(str(value_from["fieldRef"].get("fieldPath") or ""), pod)
            elif isinstance(value_from.get("resourceFieldRef"), dict):
                var = _resource_ref(value_from["resourceFieldRef"], containers, str(container.get("name")))
            else:
                var = EnvVar(None, ("valueFrom", "valueFrom"), ("a valueFrom kubedojo does not read", "kubedojo가 읽지 않는 valueFrom"))
            if var is None:
                env.pop(name, None)
                continue
            env[name] = var
        else:
            env[name] = EnvVar(expand(str(item.get("value") if item.get("value") is not None else ""), env))
    return Environment(env, tuple(unread))

