"""Regenerate crd-schemas.json from the Gateway API CRDs in its Go module: `python3 graders/data/generate_crd_schemas.py`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

OUT = Path(__file__).with_name("crd-schemas.json")
MODULE, VERSION = "sigs.k8s.io/gateway-api", "v1.4.0"
LICENCE = "Apache-2.0 (the Gateway API authors); schemas without their descriptions"
FILES = ("gatewayclasses", "gateways", "httproutes", "referencegrants")


def module_dir(module: str = MODULE, version: str = VERSION) -> Path:
    """The module's files, fetched through the Go module proxy into the module cache."""
    done = subprocess.run(["go", "mod", "download", "-json", f"{module}@{version}"], capture_output=True, text=True, check=True)
    return Path(json.loads(done.stdout)["Dir"])


def crds(directory: Path) -> list[dict]:
    """The standard channel's CRDs of FILES, as the module ships them."""
    base = directory / "config" / "crd" / "standard"
    return [yaml.safe_load((base / f"gateway.networking.k8s.io_{name}.yaml").read_text(encoding="utf-8")) for name in FILES]


def _strip(schema):
    if isinstance(schema, dict):
        return {k: _strip(v) for k, v in schema.items() if k != "description"}
    if isinstance(schema, list):
        return [_strip(v) for v in schema]
    return schema


def main() -> int:
    kinds = []
    for crd in crds(module_dir()):
        spec = crd["spec"]
        for version in spec["versions"]:
            if version.get("served"):
                kinds.append({"group": spec["group"], "version": version["name"], "kind": spec["names"]["kind"],
                              "plural": spec["names"]["plural"], "namespaced": spec["scope"] == "Namespaced",
                              "schema": _strip(version["schema"]["openAPIV3Schema"])})
    document = {"source": f"{MODULE}@{VERSION} config/crd/standard", "licence": LICENCE, "kinds": kinds}
    OUT.write_text(json.dumps(document, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(kinds)} kind versions from {MODULE}@{VERSION}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
