"""The harness's helm (built by build.py from helm.sh/helm/v3), run on the test cluster; and the Helm exercises' starting
states made with it: `python -m tests.cluster.helm setups` (the control plane up) prints each one's `live.setup`."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import yaml

from exercises.loader import BUNDLED_PACKS
from tests.cluster import build

PACK = BUNDLED_PACKS / "cka-core"
"""Where helm runs, so that `charts/shop` in an answer is the chart the pack ships."""

STARTS: dict[str, tuple[str, list[list[str]]]] = {
    "cluster-helm-upgrade": ("helm-upgrade", [
        ["install", "web", "charts/shop", "--set", "replicaCount=2"],
    ]),
    "cluster-helm-rollback": ("helm-rollback", [
        ["install", "web", "charts/shop", "--set", "replicaCount=2"],
        ["upgrade", "web", "charts/shop", "--reuse-values", "--set", "image.tag=1.26"],
        ["upgrade", "web", "charts/shop", "--reuse-values", "--set", "replicaCount=3,image.tag=1.27"],
        ["upgrade", "web", "charts/shop", "--reuse-values", "--set", "image.repository=ngnix"],
    ]),
}
"""Exercise id -> (its namespace, the helm commands that made its starting state)."""


def helm_path() -> Path:
    """The harness's helm, built first if it is not in the cache yet."""
    path = build.binary_path("helm")
    if not path.is_file():
        build.ensure_built()
    return path


def run_helm(args: list[str], kubeconfig: str, context: str, namespace: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """helm with the test cluster's kubeconfig and context, in the pack folder."""
    command = [str(helm_path()), *args, "--kubeconfig", str(kubeconfig), "--kube-context", context]
    if namespace and not any(a in ("-n", "--namespace") for a in args):
        command += ["--namespace", namespace]
    done = subprocess.run(command, cwd=PACK, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
    if check and done.returncode != 0:
        raise RuntimeError(f"helm {' '.join(args)} failed: {done.stderr or done.stdout}")
    return done


def as_setup(kube, namespace: str) -> list[dict]:
    """The release Secrets of the namespace and the objects of the deployed revision, as a pack's `live.setup` writes them."""
    from graders.meaning import helm

    secrets = [s for s in kube.list("Secret", namespace).get("items") or [] if helm.is_release_secret(s | {"kind": "Secret"})]
    out = []
    for secret in sorted(secrets, key=lambda s: int(s["metadata"]["labels"]["version"])):
        labels = {k: v for k, v in secret["metadata"]["labels"].items() if k in ("name", "owner", "status", "version")}
        out.append({"apiVersion": "v1", "kind": "Secret", "type": secret["type"],
                    "metadata": {"name": secret["metadata"]["name"], "labels": labels}, "data": {"release": secret["data"]["release"]}})
    now = helm.current([helm.revision(s | {"kind": "Secret"}) for s in secrets])
    body = helm.decode(next(s for s in secrets if int(s["metadata"]["labels"]["version"]) == now.version)["data"]["release"])
    for obj in yaml.safe_load_all(body["manifest"]):
        if not obj:
            continue
        obj = copy.deepcopy(obj)
        obj["metadata"].setdefault("annotations", {}).update({"meta.helm.sh/release-name": now.name, "meta.helm.sh/release-namespace": namespace})
        out.append(obj)
    return out


def make_setup(kube, kubeconfig: str, context: str, exercise_id: str) -> list[dict]:
    """Run the exercise's helm commands in a fresh namespace of the test cluster; its starting state, read back."""
    namespace, steps = STARTS[exercise_id]
    kube.request("DELETE", kube.path("Namespace", None, namespace), missing_ok=True)
    kube.wait_for("Namespace", None, lambda items: not items, 60, fields=f"metadata.name={namespace}")
    kube.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
    try:
        for step in steps:
            run_helm(step, kubeconfig, context, namespace)
        return as_setup(kube, namespace)
    finally:
        kube.request("DELETE", kube.path("Namespace", None, namespace), missing_ok=True)


def main(argv: list[str]) -> int:
    from graders.cluster import connect
    from tests.cluster.controlplane import default_state_dir

    if argv[:1] != ["setups"]:
        print("usage: python -m tests.cluster.helm setups [EXERCISE...]", file=sys.stderr)
        return 2
    kubeconfig = str(default_state_dir() / "kubeconfig")
    context = "kind-kubedojo-test"
    kube = connect(context, kubeconfig)
    for exercise_id in argv[1:] or list(STARTS):
        print(f"# {exercise_id}: live.setup")
        print(yaml.safe_dump(make_setup(kube, kubeconfig, context, exercise_id), sort_keys=False, width=100000))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
