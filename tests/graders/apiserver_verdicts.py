"""What a real kube-apiserver says about each apivalidation fixture (a server-side dry-run create), and the recording of it.

Re-record after adding fixtures, with a control plane up (tests/cluster/README.md):

    PYTHONPATH=$PWD python3 -m tests.graders.apiserver_verdicts --kubeconfig tests/cluster/.state/kubeconfig

kubectl turns each file into the JSON it would send (its own YAML reader, so `cpu: 0.2` is what kubectl sends);
the kubernetes client POSTs it with `dryRun=All` and `fieldValidation=Strict`, as `kubectl create --dry-run=server`
does, and keeps the Status the server answers: its code, reason, message and the causes (`field: message`).
A Service the dry run accepts is created for real and deleted: only a real create allocates its node ports.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "apivalidation"
VERDICTS = FIXTURES / "verdicts.json"
NAMESPACE = "default"

# (apiVersion, kind) -> (resource, namespaced)
RESOURCES = {
    ("v1", "Pod"): ("pods", True), ("v1", "Service"): ("services", True), ("v1", "ConfigMap"): ("configmaps", True),
    ("v1", "Secret"): ("secrets", True), ("v1", "ResourceQuota"): ("resourcequotas", True),
    ("v1", "Namespace"): ("namespaces", False), ("v1", "ServiceAccount"): ("serviceaccounts", True),
    ("v1", "LimitRange"): ("limitranges", True),
    ("v1", "PersistentVolume"): ("persistentvolumes", False),
    ("v1", "PersistentVolumeClaim"): ("persistentvolumeclaims", True),
    ("apps/v1", "Deployment"): ("deployments", True), ("apps/v1", "ReplicaSet"): ("replicasets", True),
    ("apps/v1", "DaemonSet"): ("daemonsets", True), ("apps/v1", "StatefulSet"): ("statefulsets", True),
    ("batch/v1", "Job"): ("jobs", True), ("batch/v1", "CronJob"): ("cronjobs", True),
    ("autoscaling/v2", "HorizontalPodAutoscaler"): ("horizontalpodautoscalers", True),
    ("networking.k8s.io/v1", "NetworkPolicy"): ("networkpolicies", True),
    ("networking.k8s.io/v1", "Ingress"): ("ingresses", True),
    ("rbac.authorization.k8s.io/v1", "Role"): ("roles", True),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"): ("clusterroles", False),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"): ("rolebindings", True),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"): ("clusterrolebindings", False),
    ("storage.k8s.io/v1", "StorageClass"): ("storageclasses", False),
}


def fixtures() -> list[Path]:
    return sorted(FIXTURES.glob("*/*.yaml"))


def fixture_name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def as_kubectl_sends(kubeconfig: str, context: str | None, path: Path) -> dict[str, Any]:
    """The object kubectl would send for this file (its YAML reader, not ours)."""
    command = ["kubectl", "--kubeconfig", kubeconfig, "create", "--dry-run=client", "--validate=false", "-o", "json",
               "-f", str(path)]
    if context:
        command[3:3] = ["--context", context]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        return {"kubectl_error": done.stderr.strip()}
    return json.loads(done.stdout)


def _call(api_client: Any, method: str, path: str, query: list[tuple[str, str]] | None = None,
          body: Any = None) -> tuple[int, Any]:
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    method, url, headers, body, _ = api_client.param_serialize(method, path, query_params=query or [],
                                                               header_params=headers, body=body,
                                                               auth_settings=["BearerToken"])
    response = api_client.call_api(method, url, headers, body, _request_timeout=(5, 30))
    data = response.read()
    return response.status, json.loads(data) if data else {}


def server_verdict(api_client: Any, obj: dict[str, Any]) -> dict[str, Any]:
    """POST obj as a dry run; {"allowed": True} or the refusal's code, reason, message and causes."""
    api, kind = obj.get("apiVersion"), obj.get("kind")
    resource, namespaced = RESOURCES[(api, kind)]
    base = "/api/v1" if api == "v1" else f"/apis/{api}"
    path = f"{base}/namespaces/{NAMESPACE}/{resource}" if namespaced else f"{base}/{resource}"
    code, status = _call(api_client, "POST", path, [("dryRun", "All"), ("fieldValidation", "Strict")], obj)
    if code < 300 and kind == "Service":  # a dry run skips allocating node ports, which refuses out-of-range ones
        code, status = _call(api_client, "POST", path, [("fieldValidation", "Strict")], obj)
        if code < 300:
            _call(api_client, "DELETE", f"{path}/{status['metadata']['name']}")
    if code < 300:
        return {"allowed": True}
    causes = (status.get("details") or {}).get("causes") or []
    return {"allowed": False, "code": code, "reason": status.get("reason"), "message": status.get("message"),
            "causes": sorted(f"{c.get('field')}: {c.get('message')}" if c.get("field") else c.get("message", "")
                             for c in causes)}


def record(kubeconfig: str, context: str | None = None, only: list[str] | None = None) -> dict[str, Any]:
    from kubernetes import config

    api_client = config.new_client_from_config(config_file=kubeconfig, context=context)
    version = _call(api_client, "GET", "/version")[1]
    verdicts: dict[str, Any] = {}
    for path in fixtures():
        name = fixture_name(path)
        if only and not any(o in name for o in only):
            continue
        obj = as_kubectl_sends(kubeconfig, context, path)
        verdicts[name] = ({"allowed": False, "kubectl": obj["kubectl_error"]} if "kubectl_error" in obj
                          else server_verdict(api_client, obj))
    return {"server": version.get("gitVersion"), "verdicts": verdicts}


def differences(kubeconfig: str, context: str | None = None) -> dict[str, tuple[Any, Any]]:
    """Fixture -> (recorded, live) for each fixture on which a live server no longer says what was recorded."""
    recorded = json.loads(VERDICTS.read_text())["verdicts"]
    live = record(kubeconfig, context)["verdicts"]
    keep = ("allowed", "code", "causes")
    return {name: (recorded.get(name), verdict) for name, verdict in live.items()
            if {k: verdict.get(k) for k in keep} != {k: (recorded.get(name) or {}).get(k) for k in keep}}


def _required_fields(obj: Any, schema: Any, names: dict[int, str], path: tuple[Any, ...],
                     out: dict[tuple[str, str], tuple[Any, ...]]) -> None:
    """Every (definition, field) the schema requires that obj has, with where the first such mapping is."""
    if not isinstance(schema, dict):
        return
    if isinstance(obj, dict):
        for field in schema.get("required", ()):
            if field in obj and id(schema) in names:
                out.setdefault((names[id(schema)], field), path)
        properties, extra = schema.get("properties", {}), schema.get("additionalProperties")
        for key, value in obj.items():
            sub = properties.get(key, extra if isinstance(extra, dict) else None)
            _required_fields(value, sub, names, path + (key,), out)
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            _required_fields(value, schema.get("items"), names, path + (i,), out)


def needlessly_required(kubeconfig: str, context: str | None = None) -> list[tuple[str, str]]:
    """(definition, field) the schema requires but the API server accepts left out of an ok_ fixture."""
    import copy

    from kubernetes import config

    from graders.grade import objects_with_lines
    from graders.schema import DEFAULT_KUBERNETES_VERSION, _schemas
    from graders.source import parse_documents

    schemas = _schemas(DEFAULT_KUBERNETES_VERSION)
    found: dict[tuple[str, str], tuple[Any, tuple[Any, ...]]] = {}
    for path in fixtures():
        if not path.name.startswith("ok_"):
            continue
        documents, _ = parse_documents(path.read_text(encoding="utf-8"))
        for obj in objects_with_lines(documents)[0]:
            name = schemas.kinds.get((obj.get("apiVersion"), obj.get("kind")))
            if name is None:
                continue
            schema = schemas.schema(name)
            names = {id(d): n for n, d in schemas._defs.items()}
            where: dict[tuple[str, str], tuple[Any, ...]] = {}
            _required_fields(obj, schema, names, (), where)
            for pair, at in where.items():
                found.setdefault(pair, (obj, at))
    api_client = config.new_client_from_config(config_file=kubeconfig, context=context)
    accepted = []
    for (definition, field), (obj, at) in sorted(found.items()):
        mutant = copy.deepcopy(obj)
        node = mutant
        for step in at:
            node = node[step]
        del node[field]
        if server_verdict(api_client, mutant)["allowed"]:
            accepted.append((definition, field))
    return accepted


def _nodes(node: Any, path: tuple[Any, ...] = ()) -> Any:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _nodes(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _nodes(value, path + (i,))


_DELETE = object()
# what admission (not validation) decides, or what this recorder fixes: the service account must exist, the namespace
# is the one posted to
_NOT_OURS = ("namespace", "serviceAccountName")


def _mutations(value: Any) -> list[Any]:
    out: list[Any] = [_DELETE]
    if isinstance(value, list) and value:
        out += [[], value + value[:1]]  # emptied; its first item twice
    if isinstance(value, dict) and value:
        out.append({})
    if isinstance(value, str):
        out += [value.lower(), value.upper(), "", "a b", "-", "x" * 70, "1"] if value else ["a b", "-"]
    if isinstance(value, int) and not isinstance(value, bool):
        out += [-1, 0, 1, 65536, 100000, 2**31]
    return out


def _offline_refuses(obj: dict[str, Any]) -> bool:
    from graders.apivalidation import validate_object
    from graders.grade import objects_with_lines, validate_all
    from graders.source import parse_documents

    documents, errors = parse_documents(json.dumps(obj))
    if errors or validate_all(documents):
        return True
    return any(validate_object(o) for o in objects_with_lines(documents)[0])


def differential(kubeconfig: str, context: str | None = None) -> list[str]:
    """Mutants of the ok_ fixtures (any value deleted, any list emptied or its first item doubled, any mapping emptied;
    strings re-cased, emptied, spaced, lengthened; numbers -1, 0, 1, 65536, 2^31) on which the offline verdict is not
    the live server's."""
    import copy

    from kubernetes import config

    from graders.grade import objects_with_lines
    from graders.source import parse_documents

    api_client = config.new_client_from_config(config_file=kubeconfig, context=context)
    seen, disagree = set(), []
    for path in fixtures():
        if not path.name.startswith("ok_"):
            continue
        documents, _ = parse_documents(path.read_text(encoding="utf-8"))
        for obj in objects_with_lines(documents)[0]:
            for at, value in _nodes(obj):
                if not at or at[0] in ("apiVersion", "kind") or at in (("metadata",), ("metadata", "name")) or \
                        at[-1] in _NOT_OURS:
                    continue
                for mutation in _mutations(value):
                    key = (obj.get("kind"), tuple(s if isinstance(s, str) else 0 for s in at),
                           "delete" if mutation is _DELETE else repr(mutation))
                    if (mutation is not _DELETE and mutation == value) or key in seen:
                        continue
                    seen.add(key)
                    mutant = copy.deepcopy(obj)
                    node = mutant
                    for step in at[:-1]:
                        node = node[step]
                    if mutation is _DELETE:
                        del node[at[-1]]
                    else:
                        node[at[-1]] = mutation
                    if _offline_refuses(mutant) == server_verdict(api_client, mutant)["allowed"]:
                        disagree.append(f"{fixture_name(path)} {'.'.join(map(str, at))}={key[2]}")
    return disagree


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kubeconfig", required=True)
    parser.add_argument("--context")
    parser.add_argument("--only", nargs="*", help="record only fixtures whose name contains one of these")
    args = parser.parse_args(argv)
    recorded = record(args.kubeconfig, args.context, args.only)
    if args.only and VERDICTS.exists():
        previous = json.loads(VERDICTS.read_text())
        previous["verdicts"].update(recorded["verdicts"])
        recorded["verdicts"] = previous["verdicts"]
    recorded["verdicts"] = dict(sorted(recorded["verdicts"].items()))
    VERDICTS.write_text(json.dumps(recorded, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(recorded['verdicts'])} verdicts from {recorded['server']} -> {VERDICTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
