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

FIELD_MANAGER = "kubedojo"
MANAGED_BY = "app.kubernetes.io/managed-by"
EXERCISE_LABEL = "kubedojo.dev/exercise"
CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 10.0
WATCH_SEGMENT = 5.0
"""With a stop signal, a watch lasts at most this long before it is renewed (and the signal looked at)."""

# kind -> (apiVersion, plural, namespaced); other kinds are found through discovery.
KINDS: dict[str, tuple[str, str, bool]] = {
    "Namespace": ("v1", "namespaces", False), "Node": ("v1", "nodes", False), "PersistentVolume": ("v1", "persistentvolumes", False),
    "Pod": ("v1", "pods", True), "Service": ("v1", "services", True), "ConfigMap": ("v1", "configmaps", True), "Secret": ("v1", "secrets", True),
    "ServiceAccount": ("v1", "serviceaccounts", True), "PersistentVolumeClaim": ("v1", "persistentvolumeclaims", True),
    "Endpoints": ("v1", "endpoints", True), "Event": ("v1", "events", True), "LimitRange": ("v1", "limitranges", True),
    "ResourceQuota": ("v1", "resourcequotas", True), "Deployment": ("apps/v1", "deployments", True), "DaemonSet": ("apps/v1", "daemonsets", True),
    "StatefulSet": ("apps/v1", "statefulsets", True), "ReplicaSet": ("apps/v1", "replicasets", True), "Job": ("batch/v1", "jobs", True),
    "CronJob": ("batch/v1", "cronjobs", True), "Role": ("rbac.authorization.k8s.io/v1", "roles", True),
    "RoleBinding": ("rbac.authorization.k8s.io/v1", "rolebindings", True), "ClusterRole": ("rbac.authorization.k8s.io/v1", "clusterroles", False),
    "ClusterRoleBinding": ("rbac.authorization.k8s.io/v1", "clusterrolebindings", False),
    "NetworkPolicy": ("networking.k8s.io/v1", "networkpolicies", True), "Ingress": ("networking.k8s.io/v1", "ingresses", True),
    "IngressClass": ("networking.k8s.io/v1", "ingressclasses", False), "EndpointSlice": ("discovery.k8s.io/v1", "endpointslices", True),
    "StorageClass": ("storage.k8s.io/v1", "storageclasses", False), "HorizontalPodAutoscaler": ("autoscaling/v2", "horizontalpodautoscalers", True),
    "PodDisruptionBudget": ("policy/v1", "poddisruptionbudgets", True), "PriorityClass": ("scheduling.k8s.io/v1", "priorityclasses", False),
}


@dataclass(frozen=True)
class ClusterProblem:
    """Why kubedojo could not use a cluster; `describe` turns it into words."""

    kind: str
    """no-kubeconfig, bad-kubeconfig, no-context, unreachable, timeout, tls, unauthorized, forbidden, not-practice, api"""
    context: str = ""
    server: str = ""
    detail: str = ""


class ClusterError(Exception):
    """A cluster could not be used; carries the problem as data."""

    def __init__(self, problem: ClusterProblem) -> None:
        super().__init__(describe(problem)[0])
        self.problem = problem


def describe(problem: ClusterProblem, lang: str = "en") -> tuple[str, str | None]:
    """The one place a cluster problem becomes a message and a hint."""
    ko = lang == "ko"
    where = f"context {problem.context!r} (server {problem.server or '?'})"
    where_ko = f"컨텍스트 {problem.context!r} (서버 {problem.server or '?'})"
    d = problem.detail
    texts: dict[str, tuple[str, str, str | None]] = {
        "no-kubeconfig": (f"no kubeconfig: {d}", f"kubeconfig가 없습니다: {d}", "start a practice cluster with `kubedojo cluster up`, or pass --kubeconfig"),
        "bad-kubeconfig": (f"cannot use the kubeconfig for {where}: {d}", f"{where_ko}의 kubeconfig를 쓸 수 없습니다: {d}", None),
        "no-context": (f"no context {problem.context!r} in the kubeconfig: {d}", f"kubeconfig에 컨텍스트 {problem.context!r}가 없습니다: {d}", "`kubectl config get-contexts` lists them"),
        "unreachable": (f"cannot reach the cluster of {where}: {d}", f"{where_ko}의 클러스터에 연결할 수 없습니다: {d}", "is the cluster running? `kubedojo cluster up` starts the practice cluster"),
        "timeout": (f"the cluster of {where} did not answer in time: {d}", f"{where_ko}의 클러스터가 제시간에 응답하지 않았습니다: {d}", "is the cluster running? `kubedojo cluster status`"),
        "tls": (f"TLS with the cluster of {where} failed: {d}", f"{where_ko}의 클러스터와 TLS 연결에 실패했습니다: {d}", "the kubeconfig's certificates may be stale: `kind export kubeconfig --name kubedojo`"),
        "unauthorized": (f"the cluster rejected the credentials of {where} (401 Unauthorized): {d}", f"{where_ko}의 자격 증명이 거부되었습니다 (401 Unauthorized): {d}", "the credentials may have expired: get a fresh kubeconfig (`kind export kubeconfig --name kubedojo`)"),
        "forbidden": (f"the user of {where} is not allowed to do this (403 Forbidden): {d}", f"{where_ko}의 사용자에게 권한이 없습니다 (403 Forbidden): {d}", "use a context with admin rights on the practice cluster"),
        "not-practice": (
            f"refusing to change {where}: it is not a practice context (kubedojo changes only kind-* contexts and those you allow); nothing was changed",
            f"{where_ko}는 연습용 컨텍스트가 아니므로 변경하지 않습니다 (kind-* 컨텍스트와 허용한 컨텍스트만 변경합니다); 아무것도 바뀌지 않았습니다",
            f"if this really is a throw-away cluster, pass --allow-context {problem.context} or add it to allowed_contexts in kubedojo's config",
        ),
        "api": (f"the cluster of {where} refused: {d}", f"{where_ko}의 클러스터가 거부했습니다: {d}", None),
    }
    en, ko_text, hint = texts.get(problem.kind, texts["api"])
    return (ko_text if ko else en), hint


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
        raise ClusterError(ClusterProblem("no-kubeconfig", context or "", "", f"{', '.join(map(str, paths))} does not exist"))
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
        kind = {401: "unauthorized", 403: "forbidden"}.get(status, "api")
        return self.problem(kind, message or f"HTTP {status} for {method} {path}")

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


# --- setting an exercise up and resetting it ---------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What setup or reset did to the cluster."""

    action: str
    exercise_id: str
    namespace: str
    objects: tuple[str, ...]
    """`Kind/name` of what was applied or deleted."""
    seconds: float
    pending: tuple[str, ...] = ()
    """What was still going away when reset stopped waiting."""


def exercise_labels(exercise_id: str) -> dict[str, str]:
    return {MANAGED_BY: FIELD_MANAGER, EXERCISE_LABEL: exercise_id}


def selector(exercise_id: str) -> str:
    return ",".join(f"{k}={v}" for k, v in exercise_labels(exercise_id).items())


def _owns(obj: dict[str, Any] | None, exercise_id: str) -> bool:
    labels = ((obj or {}).get("metadata") or {}).get("labels") or {}
    return all(labels.get(k) == v for k, v in exercise_labels(exercise_id).items())


def _gone(cluster: Cluster, kind: str, namespace: str | None, timeout: float, labels: str | None = None, name: str | None = None) -> bool:
    fields = f"metadata.name={name}" if name else None
    return not cluster.wait_for(kind, namespace, lambda items: not items, timeout, labels=labels, fields=fields)


def labelled(exercise_id: str, namespace: str, objects: Iterable[dict[str, Any]], cluster: Cluster) -> list[dict[str, Any]]:
    """The exercise's starting objects with kubedojo's labels, namespaced ones put in the exercise namespace."""
    result = []
    for obj in objects:
        obj = json.loads(json.dumps(obj))
        meta = obj.setdefault("metadata", {})
        meta["labels"] = {**(meta.get("labels") or {}), **exercise_labels(exercise_id)}
        if cluster.resource(obj["kind"], obj.get("apiVersion"))[2]:
            meta.setdefault("namespace", namespace)
        result.append(obj)
    return result


def setup(cluster: Cluster, exercise_id: str, namespace: str, objects: Iterable[dict[str, Any]], timeout: float = 60) -> Outcome:
    """Apply the exercise's namespace and starting objects (waiting out a namespace still being deleted)."""
    start = time.monotonic()
    objects = list(objects)
    applied = []
    if namespace != "default":
        existing = cluster.get("Namespace", namespace)
        if existing and (existing.get("metadata") or {}).get("deletionTimestamp"):
            if not _gone(cluster, "Namespace", None, timeout, name=namespace):
                raise cluster.problem("api", f"namespace {namespace} is still being deleted after {timeout:g} s; try again shortly")
            existing = None
        # A namespace that was there before (the user's, or another exercise's) is never claimed: reset must not delete it.
        if existing is None or _owns(existing, exercise_id):
            cluster.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace, "labels": exercise_labels(exercise_id)}})
            applied.append(f"Namespace/{namespace}")
        # Pods are refused until the namespace's `default` service account exists (made by the controller-manager).
        cluster.wait_for("ServiceAccount", namespace, bool, min(timeout, 15), fields="metadata.name=default")
    for obj in labelled(exercise_id, namespace, objects, cluster):
        cluster.apply(obj)
        applied.append(f"{obj['kind']}/{obj['metadata']['name']}")
        if obj["kind"] == "CustomResourceDefinition":  # its custom resources are refused until it is Established
            _established(cluster, obj["metadata"]["name"], max(1.0, timeout - (time.monotonic() - start)))
    for obj in objects:  # a claim that names its volume is the task's "Bound claim": give the PV controller its moment
        if obj.get("kind") == "PersistentVolumeClaim" and (obj.get("spec") or {}).get("volumeName"):
            cluster.wait_for("PersistentVolumeClaim", (obj.get("metadata") or {}).get("namespace") or namespace,
                             lambda items: bool(items) and (items[0].get("status") or {}).get("phase") == "Bound",
                             min(15.0, max(1.0, timeout - (time.monotonic() - start))), fields=f"metadata.name={obj['metadata']['name']}")
    return Outcome("setup", exercise_id, namespace, tuple(applied), time.monotonic() - start)


def _established(cluster: Cluster, name: str, timeout: float) -> None:
    """Wait until the API server serves the custom resources of CRD `name`."""
    def ready(items: list[dict[str, Any]]) -> bool:
        conditions = ((items[0].get("status") or {}).get("conditions") or []) if items else []
        return any(c.get("type") == "Established" and c.get("status") == "True" for c in conditions)

    if not ready(cluster.wait_for("CustomResourceDefinition", None, ready, timeout, fields=f"metadata.name={name}")):
        raise cluster.problem("api", f"the CustomResourceDefinition {name} is not Established after {timeout:g} s")


def reset(cluster: Cluster, exercise_id: str, namespace: str, objects: Iterable[dict[str, Any]], kinds: Iterable[str] = (),
          timeout: float = 30, wait_namespace: bool = False) -> Outcome:
    """Delete what setup made (by label) and kubedojo's namespace with everything of `kinds` in it; watch until it is gone.

    The namespace controller waits 5 s before it even starts on a deleted namespace, so unless `wait_namespace`,
    reset waits for the namespace's content, not for the empty namespace itself (setup waits for it if need be).
    """
    start = time.monotonic()
    deadline = start + timeout
    sel = selector(exercise_id)
    own_namespace = namespace != "default" and _owns(cluster.get("Namespace", namespace), exercise_id)
    setup_kinds = {(o["kind"], o.get("apiVersion"), (o.get("metadata") or {}).get("namespace")) for o in labelled(exercise_id, namespace, objects, cluster)}
    deleted: list[str] = []
    waits: list[tuple[str, str | None, str | None, str | None]] = []
    if own_namespace:
        cluster.delete("Namespace", name=namespace)  # first: a terminating namespace accepts no new objects
        inside = {k for k in {"Pod", *kinds, *(k for k, _, ns in setup_kinds if ns == namespace)} if _namespaced(cluster, k)}
        for kind in sorted(inside, key=lambda k: k == "Pod"):  # controllers before pods, so none are made again
            deleted += _names(cluster.delete(kind, namespace, grace=0 if kind == "Pod" else None), kind)
            waits.append((kind, namespace, None, None))
        deleted.append(f"Namespace/{namespace}")
        if wait_namespace:
            waits.append(("Namespace", None, None, namespace))
    for kind, api_version, obj_namespace in sorted(setup_kinds, key=str):
        cluster.resource(kind, api_version)
        if own_namespace and obj_namespace == namespace:
            continue
        deleted += _names(cluster.delete(kind, obj_namespace, labels=sel, grace=0 if kind == "Pod" else None), kind)
        waits.append((kind, obj_namespace, sel, None))
    pending = []
    for kind, obj_namespace, labels, name in waits:
        if not _gone(cluster, kind, obj_namespace, max(0.0, deadline - time.monotonic()), labels=labels, name=name):
            pending.append(f"{kind}/{name}" if name else f"{kind} in {obj_namespace or 'the cluster'}")
    return Outcome("reset", exercise_id, namespace, tuple(dict.fromkeys(deleted)), time.monotonic() - start, tuple(pending))


def _namespaced(cluster: Cluster, kind: str) -> bool:
    """A namespaced kind the server knows (a kind it does not know has nothing to delete)."""
    try:
        return cluster.resource(kind)[2]
    except ClusterError as err:
        if err.problem.kind == "api" and "knows no kind" in err.problem.detail:
            return False
        raise


def _names(response: Any, kind: str) -> list[str]:
    items = (response or {}).get("items") or []
    return [f"{kind}/{(i.get('metadata') or {}).get('name')}" for i in items]


def _key(obj: dict[str, Any]) -> tuple[str, str]:
    meta = obj.get("metadata") or {}
    return meta.get("namespace") or "", meta.get("name") or ""
