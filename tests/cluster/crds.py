"""The CRDs that bundled live exercises use (Gateway API), fetched through the Go module proxy and installed on the test cluster."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import yaml

from graders.crd_schemas import kinds, source
from tests.cluster.build import _go, _go_env


def _module() -> tuple[str, str]:
    """The module and version offline validation was generated from (graders/data/crd-schemas.json), so both agree."""
    module, _, version = source().split()[0].partition("@")
    return module, version


def groups() -> set[str]:
    return {k["group"] for k in kinds()}


def needs_crds(exercise) -> bool:
    """The exercise's answer or starting state uses a kind from a bundled CRD."""
    texts = [exercise.solution, *(json.dumps(o) for o in exercise.live.setup)]
    return any(f"{group}/" in text for group in groups() for text in texts)


def module_crds() -> list[dict]:
    module, version = _module()
    done = subprocess.run([_go(), "mod", "download", "-json", f"{module}@{version}"], capture_output=True, text=True,
                          env=_go_env(), cwd=Path(__file__).parent / "go", timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"go mod download {module}@{version} failed: {done.stderr or done.stdout}")
    base = Path(json.loads(done.stdout)["Dir"]) / "config" / "crd" / "standard"
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(base.glob("*.yaml"))]


def install(kube, timeout: float = 60) -> list[str]:
    """Apply the module's standard-channel CRDs (idempotent) and wait until the API server serves each of them."""
    names = []
    for crd in module_crds():
        kube.apply(crd)
        names.append(crd["metadata"]["name"])
    deadline = time.monotonic() + timeout
    for name in names:
        while True:
            crd = kube.get("CustomResourceDefinition", name) or {}
            conditions = {c.get("type"): c.get("status") for c in (crd.get("status") or {}).get("conditions") or []}
            if conditions.get("Established") == "True" and _serves(kube, crd):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"CRD {name} is not Established and served after {timeout:g} s")
            time.sleep(0.5)
    return names


def _serves(kube, crd: dict) -> bool:
    """A list of its objects answers: Established comes before the API server's storage for it is ready
    ("storage is (re)initializing" for a while after, on a busy machine)."""
    spec = crd["spec"]
    version = next(v["name"] for v in spec["versions"] if v.get("served"))
    try:
        kube.request("GET", f"/apis/{spec['group']}/{version}/{spec['names']['plural']}", [("limit", 1)])
    except Exception:  # noqa: BLE001 - ClusterError for the 5xx while it initializes; anything else shows at the deadline
        return False
    return True
