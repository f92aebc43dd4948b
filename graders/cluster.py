"""A live cluster: connecting to a kubeconfig context, reading, applying, deleting and watching objects."""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import quote, urlencode

import yaml

from graders.cluster_base import (  # noqa: F401 - re-exported: the cluster's one import
    CONNECT_TIMEOUT, EXERCISE_LABEL, FIELD_MANAGER, KINDS, MANAGED_BY, READ_TIMEOUT, WATCH_SEGMENT, ClusterError, ClusterProblem, describe,
    status_kind,
)


@dataclass(frozen=True)
class ContextInfo:
    """A kubeconfig context, as read from the file (before any connection)."""

    name: str
    server: str
    kubeconfig: str
    """The kubeconfig path(s), os.pathsep-separated as in $KUBECONFIG."""
    namespace: str = "default"


def kubeconfig_paths(kubeconfig: str | None) -> list[Path]:
    """--kubeconfig, else $KUBECONFIG (a list), else ~/.kube/config."""
    raw = kubeconfig or os.environ.get("KUBECONFIG") or "~/.kube/config"
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p]


def read_context(context: str | None = None, kubeconfig: str | None = None) -> ContextInfo:
    """Find `context` (default: the current one) in the kubeconfig files; the first file that names a thing wins."""
    paths = kubeconfig_paths(kubeconfig)
    existing = [p for p in paths if p.is_file()]
    if not existing:
        raise ClusterError(ClusterProblem("no-kubeconfig", context or "", "", ", ".join(map(str, paths))))  # the files looked for
    merged: dict[str, dict[str, Any]] = {"contexts": {}, "clusters": {}}
    current = None
    for path in existing:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
            raise ClusterError(ClusterProblem("bad-kubeconfig", context or "", "", f"{path}: {err}")) from None
        if not isinstance(data, dict):
            raise ClusterError(ClusterProblem("bad-kubeconfig", context or "", "", f"{path}: not a kubeconfig"))
        current = current or data.get("current-context")
        for section, key in (("contexts", "context"), ("clusters", "cluster")):
            for entry in data.get(section) or []:
                if isinstance(entry, dict) and entry.get("name") not in merged[section]:
                    merged[section][entry.get("name")] = entry.get(key) or {}
    name = context or current
    if not name or name not in merged["contexts"]:
        known = ", ".join(sorted(str(n) for n in merged["contexts"])) or "none"
        detail = f"known contexts: {known}" if name else f"no current context is set (known contexts: {known})"
        raise ClusterError(ClusterProblem("no-context", name or "", "", detail))
    ctx = merged["contexts"][name]
    server = str((merged["clusters"].get(ctx.get("cluster")) or {}).get("server", ""))
    return ContextInfo(name, server, os.pathsep.join(map(str, existing)), ctx.get("namespace") or "default")


def is_practice(context: str, allowed: Iterable[str] = ()) -> bool:
    """kind-* contexts, and those the user allowed, are practice clusters kubedojo may change."""
    return context.startswith("kind-") or context in set(allowed)


def require_practice(info: ContextInfo, allowed: Iterable[str] = ()) -> None:
    if not is_practice(info.name, allowed):
        raise ClusterError(ClusterProblem("not-practice", info.name, info.server))


def connect(context: str | None = None, kubeconfig: str | None = None, probe: bool = True) -> "Cluster":
    """A client for the context; with `probe`, one GET /version proves the server answers."""
    info = read_context(context, kubeconfig)
    from graders import kubeclient

    try:
        configuration = kubeclient.load_configuration(info.kubeconfig, info.name)
    except ImportError as err:
        raise ClusterError(ClusterProblem("bad-kubeconfig", info.name, info.server, f"the kubernetes client is not installed ({err})")) from None
    except Exception as err:  # the loader raises many types (ConfigException, ValueError, exec plugin errors)
        raise ClusterError(ClusterProblem("bad-kubeconfig", info.name, info.server, str(err).strip()[:300])) from None
    configuration.retries = False  # one attempt: a dead server must fail fast, not after urllib3's retries
    cluster = Cluster(info, configuration, kubeclient.rest_client(configuration))
    if probe:
        cluster.version()
    return cluster


@dataclass
class Cluster:
    """One connection to one context; every request goes through `request`, which turns failures into ClusterError."""

    info: ContextInfo
    configuration: Any
    """The client's Configuration: host, TLS files, token (and its refresh hook)."""
    rest: Any
    """The client's REST layer (urllib3 pool manager)."""
    _resources: dict[tuple[str, str], tuple[str, str, bool]] = field(default_factory=dict)

    # --- requests ---------------------------------------------------------------------------

    def problem(self, kind: str, detail: str) -> ClusterError:
        return ClusterError(ClusterProblem(kind, self.info.name, self.info.server, detail))

    def url(self, path: str, query: list[tuple[str, Any]] | None = None) -> str:
        return self.configuration.host.rstrip("/") + path + (("?" + urlencode(query)) if query else "")

    def request(self, method: str, path: str, query: list[tuple[str, Any]] | None = None, body: Any = None,
                content_type: str | None = None, timeout: Any = None, stream: bool = False, missing_ok: bool = False) -> Any:
        """One API call: the decoded JSON body (None for a 404 when `missing_ok`), or the raw response when `stream`."""
        import urllib3

        from graders.kubeclient import auth_headers

        headers = {"Accept": "application/json", "User-Agent": "kubedojo", **auth_headers(self.configuration)}
        if content_type:
            headers["Content-Type"] = content_type
        if isinstance(body, (str, bytes)) and (content_type or "application/json").endswith("json"):
            body = json.loads(body)  # the REST layer serialises JSON bodies itself
        elif body is not None and not isinstance(body, (str, bytes)) and not (content_type or "application/json").endswith("json"):
            body = json.dumps(body)  # JSON is YAML: an apply patch may be given as an object too
        try:
            response = self.rest.request(method, self.url(path, query), headers=headers, body=body, _request_timeout=timeout or (CONNECT_TIMEOUT, READ_TIMEOUT))
        except urllib3.exceptions.HTTPError as err:
            raise self._network_problem(err) from None
        except Exception as err:  # ApiException(status=0) for TLS failures
            if getattr(err, "status", None) == 0:
                raise self.problem("tls", str(getattr(err, "reason", err)).splitlines()[-1][:300]) from None
            raise
        if stream and response.status < 300:
            return response.response
        data = response.read()
        if response.status == 404 and missing_ok:
            return None
        if response.status >= 300:
            raise self._status_problem(response.status, data, method, path)
        try:
            return json.loads(data) if data else {}
        except ValueError:
            raise self.problem("api", f"the answer to {method} {path} is not JSON (is the server a Kubernetes API server?)") from None

    def _network_problem(self, err: Exception) -> ClusterError:
        import urllib3

        reason = getattr(err, "reason", None) or err
        text = str(reason)
        for known in ("Connection refused", "Name or service not known", "No route to host", "Network is unreachable", "Connection reset"):
            if known in text:
                return self.problem("unreachable", known.lower())
        if isinstance(reason, urllib3.exceptions.SSLError):
            return self.problem("tls", text[:300])
        if isinstance(reason, urllib3.exceptions.NewConnectionError):  # a subclass of ConnectTimeoutError, but not a timeout
            return self.problem("unreachable", text[:300])
        if isinstance(reason, urllib3.exceptions.TimeoutError):
            return self.problem("timeout", f"no answer within {CONNECT_TIMEOUT:g} s to connect or {READ_TIMEOUT:g} s to reply")
        return self.problem("unreachable", text[:300])

    def _status_problem(self, status: int, data: bytes, method: str, path: str) -> ClusterError:
        try:
            message = json.loads(data).get("message") or ""
        except (ValueError, AttributeError):
            message = data[:200].decode("utf-8", "replace")
        return self.problem(status_kind(status, message), message or f"HTTP {status} for {method} {path}")

    def version(self) -> dict[str, Any]:
        return self.request("GET", "/version", timeout=(CONNECT_TIMEOUT, 5.0))

    # --- resources --------------------------------------------------------------------------

    def resource(self, kind: str, api_version: str | None = None) -> tuple[str, str, bool]:
        """(apiVersion, plural, namespaced) for a kind, from the table or the server's discovery."""
        known = KINDS.get(kind) or next((v for k, v in KINDS.items() if k.lower() == kind.lower()), None)
        if known and (api_version is None or api_version == known[0]):
            return known
        key = (kind.lower(), api_version or "")
        if key not in self._resources:
            self._resources[key] = self._discover(kind, api_version)
        return self._resources[key]

    def _discover(self, kind: str, api_version: str | None) -> tuple[str, str, bool]:
        versions = [api_version] if api_version else ["v1"] + [g["preferredVersion"]["groupVersion"] for g in self.request("GET", "/apis").get("groups", [])]
        for version in versions:
            listing = self.request("GET", "/api/v1" if version == "v1" else f"/apis/{version}", missing_ok=True) or {}
            for res in listing.get("resources", []):
                if res.get("kind", "").lower() == kind.lower() and "/" not in res.get("name", ""):
                    return version, res["name"], bool(res.get("namespaced"))
        raise self.problem("api", f"the server knows no kind {kind!r}" + (f" in {api_version}" if api_version else ""))

    def path(self, kind: str, namespace: str | None = None, name: str | None = None, api_version: str | None = None) -> str:
        version, plural, namespaced = self.resource(kind, api_version)
        base = "/api/v1" if version == "v1" else f"/apis/{version}"
        if namespaced and namespace:
            base += f"/namespaces/{quote(namespace, safe='')}"
        base += f"/{plural}"
        return base + (f"/{quote(name, safe='')}" if name else "")

    def get(self, kind: str, name: str, namespace: str | None = None) -> dict[str, Any] | None:
        """The object as plain JSON (camelCase, as in YAML), or None when it does not exist."""
        return self.request("GET", self.path(kind, namespace, name), missing_ok=True)

    def list(self, kind: str, namespace: str | None = None, **selectors: str) -> dict[str, Any]:
        """A list response; its items get their kind and apiVersion back, as a GET would give them."""
        query = [(k, v) for k, v in (("labelSelector", selectors.get("labels")), ("fieldSelector", selectors.get("fields"))) if v]
        listing = self.request("GET", self.path(kind, namespace), query, missing_ok=True) or {"items": [], "metadata": {}}
        version = self.resource(kind)[0]
        for item in listing.get("items") or []:
            item.setdefault("kind", kind)
            item.setdefault("apiVersion", version)
        return listing

    def apply(self, obj: dict[str, Any]) -> dict[str, Any]:
        """Server-side apply with field manager `kubedojo`, taking over fields another manager set."""
        meta = obj.get("metadata") or {}
        path = self.path(obj["kind"], meta.get("namespace"), meta["name"], obj.get("apiVersion"))
        query = [("fieldManager", FIELD_MANAGER), ("force", "true")]
        return self.request("PATCH", path, query, json.dumps(obj), content_type="application/apply-patch+yaml")

    def delete(self, kind: str, namespace: str | None = None, name: str | None = None, labels: str | None = None, grace: int | None = None) -> Any:
        """Delete one object, or a collection by label selector; background propagation, a missing object is fine."""
        if name is None and labels is None and not (namespace and self.resource(kind)[2]):
            raise ValueError(f"refusing to delete every {kind} of the cluster: name one, or give a namespace or a label selector")
        query: list[tuple[str, Any]] = [("propagationPolicy", "Background")]
        if labels:
            query.append(("labelSelector", labels))
        if grace is not None:
            query.append(("gracePeriodSeconds", grace))
        return self.request("DELETE", self.path(kind, namespace, name), query, missing_ok=True)

    # --- waiting ----------------------------------------------------------------------------

    def wait_for(self, kind: str, namespace: str | None, done: Callable[[list[dict[str, Any]]], bool], timeout: float,
                 labels: str | None = None, fields: str | None = None, stop: Callable[[], bool] | None = None) -> list[dict[str, Any]]:
        """List, then watch, until `done(items)`, `timeout` seconds pass or `stop()`; returns the last items seen.

        With `stop`, the watch is renewed every WATCH_SEGMENT seconds so that a stop is seen that soon.
        """
        deadline = time.monotonic() + timeout
        while True:
            listing = self.list(kind, namespace, labels=labels or "", fields=fields or "")
            items = {_key(o): o for o in listing.get("items") or []}
            if done(list(items.values())):
                return list(items.values())
            version = (listing.get("metadata") or {}).get("resourceVersion", "")
            segment_end = min(deadline, time.monotonic() + WATCH_SEGMENT) if stop else deadline
            for event_type, obj in self._watch(kind, namespace, version, segment_end, labels, fields):
                if event_type == "ERROR":
                    break  # 410 Gone: the version is too old; list again
                obj.setdefault("kind", kind)
                if event_type == "DELETED":
                    items.pop(_key(obj), None)
                elif event_type in ("ADDED", "MODIFIED"):
                    items[_key(obj)] = obj
                if event_type != "BOOKMARK" and done(list(items.values())):
                    return list(items.values())
            if time.monotonic() >= deadline or (stop is not None and stop()):
                return list(items.values())

    def _watch(self, kind: str, namespace: str | None, version: str, deadline: float, labels: str | None, fields: str | None) -> Iterator[tuple[str, dict[str, Any]]]:
        import urllib3

        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        query: list[tuple[str, Any]] = [("watch", "true"), ("resourceVersion", version), ("timeoutSeconds", max(1, math.ceil(remaining)))]
        query += [(k, v) for k, v in (("labelSelector", labels), ("fieldSelector", fields)) if v]
        response = self.request("GET", self.path(kind, namespace), query, timeout=(CONNECT_TIMEOUT, remaining + 1), stream=True)
        try:
            for line in response:
                if line.strip():
                    event = json.loads(line)
                    yield event.get("type", ""), event.get("object") or {}
                if time.monotonic() >= deadline:
                    return
        except (urllib3.exceptions.HTTPError, OSError):
            return  # the read timed out or the server closed the watch: the deadline decides what happens
        finally:
            response.close()
            response.release_conn()


def _key(obj: dict[str, Any]) -> tuple[str, str]:
    meta = obj.get("metadata") or {}
    return meta.get("namespace") or "", meta.get("name") or ""


from graders.cluster_setup import Outcome, exercise_labels, gone, labelled, reset, selector, setup  # noqa: E402,F401 - one module to import
