"""What a check looks at (the objects of an answer or a cluster) and how its result is made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Protocol

from exercises.base import CheckBase, ObjectRef, pick
from graders.cluster_base import CLUSTER_SCOPED_KINDS
from graders.messages import Text, say, tell
from graders.report import CheckResult

Path = tuple[str | int, ...]


class LineLookup(Protocol):
    def __call__(self, obj: dict[str, Any], path: Path) -> int | None: ...


def _no_lines(obj: dict[str, Any], path: Path) -> int | None:
    return None


@dataclass
class Subject:
    """The objects a check looks at: parsed from an answer, or read from a cluster."""

    objects: list[dict[str, Any]]
    line_for: LineLookup = _no_lines
    default_ref: ObjectRef | None = None
    lang: str = "en"
    cluster: Any = None
    """The live cluster handle for live-only checks; None offline."""

    namespace: str = "default"
    """Where an object without metadata.namespace lands: the exercise's namespace (`exercise_namespace`), where the
    app's terminal, `kubedojo setup` and lint --live apply an answer."""

    def say(self, en: str, ko: str) -> str:
        return say(self.lang, en, ko)

    def tell(self, messages: Mapping[str, tuple[str, str]], message: str, /, **values: Any) -> str:
        """A check type's `message` (a key of `messages`) in the reader's language, with its values filled in."""
        return tell(messages, message, self.lang, f"{catalog_name(messages)}.{message}", **values)

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [o for o in self.objects if str(o.get("kind", "")).lower() == kind.lower()]

    def namespace_of(self, obj: Mapping[str, Any]) -> str:
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), Mapping) else {}
        return str(meta.get("namespace") or self.namespace)

    def find(self, ref: ObjectRef | None) -> tuple[dict[str, Any] | None, str]:
        """The object `ref` names, or None with a sentence saying what is there instead."""
        ref = ref or self.default_ref
        if ref is None:
            return (self.objects[0], "") if len(self.objects) == 1 else (None, self.say("no object to check", "검사할 오브젝트가 없습니다"))
        same_kind = [o for o in self.objects if str(o.get("kind", "")).lower() == ref.kind.lower()]
        if ref.name is None:
            if len(same_kind) == 1:
                return same_kind[0], ""
        else:
            for obj in same_kind:
                meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
                if meta.get("name") == ref.name and (ref.namespace is None or meta.get("namespace") in (None, ref.namespace)):
                    return obj, ""
        return None, self._not_found(ref, same_kind)

    def lookup(self, kind: str, name: str, namespace: str | None = None) -> dict[str, Any] | None:
        """An object by kind and name (a ConfigMap or Secret a pod refers to) among the objects; live, also on the cluster."""
        for obj in self.objects:
            meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
            if str(obj.get("kind")) == kind and meta.get("name") == name and (namespace is None or meta.get("namespace") in (None, namespace)):
                return obj
        return None

    def _not_found(self, ref: ObjectRef, same_kind: list[dict[str, Any]]) -> str:
        wanted = f"{ref.kind} `{ref.name}`" if ref.name else f"one {ref.kind}"
        from graders.matchers import show  # a name or kind from an answer may be anything: shown as data, cut

        names = [show((o.get("metadata") or {}).get("name", "?"))[1:-1] for o in same_kind if isinstance(o.get("metadata"), dict)]
        if names:
            have = ", ".join(f"`{n}`" for n in names)
            return self.say(f"expected {wanted}; found {ref.kind} {have}", f"{wanted}이(가) 있어야 하는데 {ref.kind} {have}만 있습니다")
        kinds = sorted({show(o["kind"])[1:-1] if "kind" in o else self.say("no kind", "kind 없음") for o in self.objects})
        have_kinds = ", ".join(kinds) if kinds else self.say("nothing", "아무것도 없음")
        return self.say(f"expected {wanted}; found {have_kinds}", f"{wanted}이(가) 있어야 하는데 {have_kinds}이(가) 있습니다")


Runner = Callable[[Any, Subject], CheckResult]


def exercise_namespace(exercise: Any) -> str:
    """The namespace the task is set in: `live.namespace`, else `default`. The one rule, offline and live: an object
    of the answer that names no namespace lands here (the app's terminal and `kubedojo setup` set it on the context,
    lint --live applies it there), so a field check on `.metadata.namespace` sees where it lands."""
    live = getattr(exercise, "live", None)
    return (live.namespace if live is not None else None) or "default"


def land(objects: list[dict[str, Any]], namespace: str) -> list[dict[str, Any]]:
    """The objects as they land when applied in `namespace`: a namespaced one naming no namespace gets it (in place,
    so each object's line lookup still holds). Kinds defined by a CRD follow its scope (one in the answer first,
    then kubedojo's bundled CRDs)."""
    scopes = {str(((o.get("spec") or {}).get("names") or {}).get("kind")): (o.get("spec") or {}).get("scope")
              for o in objects if o.get("kind") == "CustomResourceDefinition" and isinstance(o.get("spec"), dict)
              and isinstance(o["spec"].get("names"), dict)}
    for obj in objects:
        kind = obj.get("kind")
        if not isinstance(kind, str) or kind in CLUSTER_SCOPED_KINDS or scopes.get(kind, _bundled_scope(kind)) == "Cluster":
            continue
        meta = obj.get("metadata")
        if meta is None:
            meta = obj["metadata"] = {}
        if isinstance(meta, dict) and not meta.get("namespace"):
            meta["namespace"] = namespace
    return objects


def _bundled_scope(kind: str) -> str:
    """`Cluster` for a bundled custom resource kept outside namespaces (GatewayClass), else `Namespaced`."""
    from graders.crd_schemas import namespaced_kinds

    return "Cluster" if namespaced_kinds().get(kind) is False else "Namespaced"


def catalog_name(messages: Mapping[str, tuple[str, str]]) -> str:
    """The check type whose MESSAGES these are (the key's first part), found in the explicit registry."""
    name = _CATALOG_NAMES.get(id(messages))
    if name is None:
        import sys

        from graders.checktypes import REGISTRY

        name = next((n for n, kind in REGISTRY.items() if getattr(sys.modules.get(kind.run.__module__), "MESSAGES", None) is messages), "check")
        _CATALOG_NAMES[id(messages)] = name  # the catalogs are module constants: their ids never change
    return name


_CATALOG_NAMES: dict[int, str] = {}


def local(text: Any, lang: str) -> Text | None:
    """A pack's {en, ko} text as a message shown in `lang`."""
    if not text:
        return None
    return Text({"en": pick(text, "en"), "ko": pick(text, "ko")}, lang)


def result(check: CheckBase, subject: Subject, ok: bool, message: str, path: str | None = None, line: int | None = None) -> CheckResult:
    remediation = local(check.remediation, subject.lang) if not ok else None
    return CheckResult(check.id, "pass" if ok else "fail", message, path, line, remediation)


