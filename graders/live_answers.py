"""How `lint --live` puts one answer of each kind on a practice cluster: manifests applied, kubectl and helm lines run
with the practice context, a static pod written into a node's staticPodPath; each returns how to take it off again."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any, Callable

from graders.cluster import Cluster, ClusterError

COMMAND_SECONDS = 120.0
"""A kubectl or helm line that takes longer is stopped (helm --wait, a drain that waits on a pod)."""
STATIC_POD_DIR = "/etc/kubernetes/manifests"
HELM_VERBS = frozenset({"install", "upgrade", "rollback", "uninstall"})
"""The helm commands that change a release; the others (list, history, status, template ...) only read."""
KUBECTL_REFUSED = {
    "config": "changes a kubeconfig, not the cluster",
    "edit": "opens an editor",
    "exec": "runs in a container", "attach": "runs in a container", "cp": "runs in a container", "debug": "runs in a container",
    "port-forward": "never ends by itself", "proxy": "never ends by itself",
}
"""kubectl commands lint --live does not run for an author (kubedojo's own kubeconfig stays as it is)."""

CLUSTER_FLAGS = ("--kubeconfig", "--context", "--kube-context", "--server", "-s", "--token", "--user", "--cluster", "--as",
                 "--kube-apiserver", "--kube-token", "--kube-as-user", "--certificate-authority", "--client-certificate", "--client-key")
"""Flags that point a line at another cluster or identity: lint --live runs it on the practice context only, so not at all."""

Undo = Callable[[], None]


def _own_cluster(words: list[str]) -> None:
    if any(w.split("=", 1)[0] in CLUSTER_FLAGS for w in words):
        raise NotRunnable("it names its own kubeconfig, context, server or identity; lint --live runs lines on the practice context only")


class ApplyRefused(Exception):
    """The answer cannot be put on the cluster (not YAML, the API server refuses it, the command fails)."""


class NotRunnable(Exception):
    """The answer is not something lint --live runs (a shell pipeline, a read-only command ...); the exercise is not tested live."""


# --- manifests ------------------------------------------------------------------------------


def apply_answer(kube: Cluster, text: str, namespace: str, made: list[tuple[str, str | None, str]]) -> None:
    """`kubectl apply --server-side --force-conflicts -n NS -f -`, with `kubectl replace --force` where a pod cannot change;
    `made` gets each object as it is sent, so what a half-applied answer made is removed too."""
    from graders.source import parse_documents

    documents, errors = parse_documents(text)
    if errors:
        raise ApplyRefused(errors[0].message)
    for document in documents:
        obj = json.loads(json.dumps(document.obj))
        if not isinstance(obj, dict) or not obj.get("kind") or not isinstance(obj.get("metadata"), dict) or not obj["metadata"].get("name"):
            raise ApplyRefused("an object without kind or metadata.name")
        obj.pop("status", None)
        meta = obj["metadata"]
        try:
            if kube.resource(obj["kind"], obj.get("apiVersion"))[2]:
                meta["namespace"] = meta.get("namespace") or namespace
            else:
                meta.pop("namespace", None)
            path = kube.path(obj["kind"], meta.get("namespace"), meta["name"], obj.get("apiVersion"))
            made.append((obj["kind"], meta.get("namespace"), meta["name"]))
            if obj["kind"] == "Pod" and kube.get("Pod", meta["name"], meta["namespace"]):
                _replace(kube, path, obj)
                continue
            try:
                _apply(kube, path, obj)
            except ClusterError as err:
                if not any(word in err.problem.detail for word in ("immutable", "may not change", "Forbidden: pod updates")):
                    raise
                _replace(kube, path, obj)
        except ClusterError as err:
            if err.problem.kind != "api":  # the cluster, not the answer, is the trouble
                raise
            raise ApplyRefused(f"the API server refuses it: {err.problem.detail}") from None


def _apply(kube: Cluster, path: str, obj: dict[str, Any]) -> None:
    kube.request("PATCH", path, [("fieldManager", "kubectl"), ("force", "true")], json.dumps(obj), content_type="application/apply-patch+yaml")


def _replace(kube: Cluster, path: str, obj: dict[str, Any]) -> None:
    kube.request("DELETE", path, [("gracePeriodSeconds", 0)], missing_ok=True)
    kube.wait_for(obj["kind"], obj["metadata"].get("namespace"), lambda items: not items, 30, fields=f"metadata.name={obj['metadata']['name']}")
    _apply(kube, path, obj)


def remove_made(kube: Cluster, made: list[tuple[str, str | None, str]]) -> None:
    """What the answer applied (reset takes what setup made and the exercise's own namespace; in `default`, or elsewhere,
    the answer's objects are the self-test's to remove)."""
    for kind, obj_namespace, name in made:
        kube.request("DELETE", kube.path(kind, obj_namespace, name), [("gracePeriodSeconds", 0)], missing_ok=True)


# --- command lines --------------------------------------------------------------------------


def kubectl_argvs(line: str) -> list[list[str]]:
    """The kubectl commands of a line, as argv (without `kubectl`), when lint --live can run them; NotRunnable says why not."""
    from graders.kubectl import parse_stage
    from graders.kubectl_shell import CommandParseError, split_line
    from graders.kubectl_verbs import changes_state

    try:
        stages = split_line(line)
    except CommandParseError as err:
        raise NotRunnable(f"the line cannot be read: {err.message}") from None
    argvs, changes = [], False
    for stage in stages:
        words = [w for w in stage.words]
        at = next((i for i, w in enumerate(words) if w.text.rpartition("/")[2] in ("kubectl", "k")), None)
        if at is None or stage.op not in ("", "&&", ";") or stage.redirects or stage.depth or stage.background:
            raise NotRunnable("it is a shell line, not only kubectl commands one after another")
        if any(w.expansions or w.substitutions for w in words):
            raise NotRunnable("it expands shell variables or runs commands inside the line")
        if any(w.text not in ("$", "#", "time", "command") for w in words[:at]):
            raise NotRunnable("it sets the environment or runs another program first")
        try:
            command = parse_stage(stage, line)
        except CommandParseError as err:
            raise NotRunnable(f"kubectl would refuse it: {err.message}") from None
        if command.verb in KUBECTL_REFUSED:
            raise NotRunnable(f"`kubectl {command.verb}` {KUBECTL_REFUSED[command.verb]}")
        if command.has_flag("stdin") or command.has_flag("tty") or command.has_flag("watch"):
            raise NotRunnable("it waits for a terminal or watches")
        changes = changes or changes_state(command)
        argv = [w.text for w in words[at + 1:]]
        _own_cluster(argv)
        if command.namespace is None and not command.all_namespaces:
            argv += ["--namespace", "{namespace}"]
        argvs.append(argv)
    if not changes:
        raise NotRunnable("its commands only read the cluster: nothing to grade on it")
    return argvs


def helm_argv(line: str) -> list[str]:
    """One helm command that changes a release, as argv (without `helm`); NotRunnable says why lint --live does not run it."""
    try:
        words = shlex.split(line.strip().removeprefix("$ "))
    except ValueError as err:
        raise NotRunnable(f"the line cannot be read: {err}") from None
    if not words or words[0].rpartition("/")[2] != "helm":
        raise NotRunnable("not a helm command")
    if any(w in ("&&", "||", ";", "|") or w.startswith(("$(", "`")) for w in words):
        raise NotRunnable("it is a shell line, not one helm command")
    verb, i = None, 1
    while i < len(words):
        if words[i] in ("-n", "--namespace"):
            i += 2
        elif words[i].startswith("-"):
            i += 1
        else:
            verb = words[i]
            break
    if verb not in HELM_VERBS:
        raise NotRunnable(f"`helm {verb}` changes no release: nothing to grade on the cluster")
    argv = words[1:]
    _own_cluster(argv)
    if not any(w in ("-n", "--namespace") or w.startswith("--namespace=") for w in argv):
        argv += ["--namespace", "{namespace}"]
    return argv


def run_line(program: str, argv: list[str], kube: Cluster, namespace: str, cwd: Path | None) -> subprocess.CompletedProcess:
    """Run kubectl or helm on the practice context (its kubeconfig files in $KUBECONFIG, its context on the command line; neither changed)."""
    found = shutil.which(program)
    if found is None:
        raise NotRunnable(f"{program} is not on PATH")
    context = ["--context", kube.info.name] if program == "kubectl" else ["--kube-context", kube.info.name]
    command = [found, *(a.replace("{namespace}", namespace) for a in argv), *context]
    files = os.pathsep.join(str(Path(f).expanduser().resolve()) for f in kube.info.kubeconfig.split(os.pathsep) if f)
    env = {**os.environ, "KUBECONFIG": files}  # a list of files, as $KUBECONFIG holds them; absolute, since cwd is the pack's
    try:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=COMMAND_SECONDS, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise ApplyRefused(f"{program} did not finish in {COMMAND_SECONDS:.0f} s") from None
    if done.returncode != 0:
        raise ApplyRefused(f"{program} fails: {(done.stderr or done.stdout).strip()[-300:]}")
    return done


# --- static pods ----------------------------------------------------------------------------


def static_pod_files(text: str) -> list[tuple[str, str, str]]:
    """(file name, pod namespace, pod name) of each pod in a static-pod answer, with the manifest to write."""
    from graders.source import parse_documents

    import yaml

    documents, errors = parse_documents(text)
    if errors:
        raise ApplyRefused(errors[0].message)
    files = []
    for index, document in enumerate(documents):
        obj = document.obj if isinstance(document.obj, dict) else {}
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        name = str(meta.get("name") or f"answer-{index}")
        files.append((f"{name}.yaml", str(meta.get("namespace") or "default"), yaml.safe_dump(obj)))
    return files


def write_static_pods(nodes: Any, node: str, text: str, kube: Cluster) -> Undo:
    """Write the answer's pods where the node's kubelet reads static pods; the undo removes them and waits for the mirror pods to go."""
    written = []
    for file, pod_namespace, manifest in static_pod_files(text):
        path = f"{STATIC_POD_DIR}/{file}"
        nodes.write(node, path, manifest)
        written.append((path, pod_namespace, f"{file.removesuffix('.yaml')}-{node}"))

    def undo() -> None:
        for path, pod_namespace, mirror in written:
            nodes.remove(node, path)
            kube.wait_for("Pod", pod_namespace, lambda items: not items, 60, fields=f"metadata.name={mirror}")
    return undo
