"""Environment variables: where a container's variable gets its value (env beats envFrom; the last one wins)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping
from graders.meaning.shape import items


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

