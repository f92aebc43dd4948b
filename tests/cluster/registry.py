"""A read-only OCI registry on loopback that serves images.py's catalog to the nodes' containerd.

Run as `python -m tests.cluster.registry CATALOG PORT`. containerd uses it as the mirror of every
public registry (hosts.toml), so `image: nginx:1.14` is pulled for real and `redis123` is not found.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.cluster.images import LAYER_MEDIA_TYPE, blob_path, version_of

MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json"
CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json"
DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"  # what Docker images set
ROUTE = re.compile(r"^/v2/(?P<name>.+)/(?P<kind>manifests|blobs)/(?P<reference>[^/]+)$")


class Catalog:
    """The images by repository; manifests and configs are made per tag on first request."""

    def __init__(self, path: Path):
        data = json.loads(path.read_text())
        self.architecture = data["architecture"]
        self.by_repository = {repository: image for image in data["images"] for repository in image["repositories"]}
        self.documents: dict[str, tuple[str, bytes]] = {}  # digest -> (media type, bytes)

    def image(self, registry: str, name: str) -> dict | None:
        return self.by_repository.get(f"{registry}/{name}")

    def manifest(self, image: dict, tag: str) -> tuple[str, bytes]:
        version = version_of(tag, image["version"])
        config = json.loads(json.dumps(image["config"]).replace("{version}", version))
        if not any(e.startswith("PATH=") for e in config.get("Env", [])):
            config["Env"] = [DEFAULT_PATH, *config.get("Env", [])]
        config_bytes = _canonical({
            "architecture": self.architecture, "os": "linux", "config": config,
            "rootfs": {"type": "layers", "diff_ids": [layer["digest"] for layer in image["layers"]]},
            "history": [{"created": "2024-01-01T00:00:00Z", "created_by": f"kubedojo test image {image['name']}:{tag}"}],
        })
        config_digest = self._keep(CONFIG_MEDIA_TYPE, config_bytes)
        manifest = _canonical({
            "schemaVersion": 2, "mediaType": MANIFEST_MEDIA_TYPE,
            "config": {"mediaType": CONFIG_MEDIA_TYPE, "digest": config_digest, "size": len(config_bytes)},
            "layers": [{"mediaType": LAYER_MEDIA_TYPE, **layer} for layer in image["layers"]],
        })
        self._keep(MANIFEST_MEDIA_TYPE, manifest)
        return MANIFEST_MEDIA_TYPE, manifest

    def _keep(self, media_type: str, data: bytes) -> str:
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        self.documents[digest] = (media_type, data)
        return digest


def _canonical(document: dict) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


class Handler(BaseHTTPRequestHandler):
    catalog: Catalog
    server_version = "kubedojo-test-registry"

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def _serve(self, body: bool) -> None:
        path, _, query = self.path.partition("?")
        # containerd names the registry it mirrors in ?ns=; a direct pull from us counts as docker.io.
        registry = dict(p.partition("=")[::2] for p in query.split("&") if p).get("ns", "docker.io")
        if path in ("/v2", "/v2/"):
            return self._send(HTTPStatus.OK, "application/json", b"{}", body)
        route = ROUTE.match(path)
        if not route:
            return self._error(HTTPStatus.NOT_FOUND, "UNSUPPORTED", "not a registry path", body)
        name, kind, reference = route.group("name", "kind", "reference")
        if registry == "docker.io" and "/" not in name:
            name = f"library/{name}"
        image = self.catalog.image(registry, name)
        if image is None:
            return self._error(HTTPStatus.NOT_FOUND, "NAME_UNKNOWN", f"repository {registry}/{name} not known", body)
        if kind == "manifests" and not reference.startswith("sha256:"):
            if not re.fullmatch(image["tags"], reference):
                return self._error(HTTPStatus.NOT_FOUND, "MANIFEST_UNKNOWN", f"manifest unknown: {name}:{reference}", body)
            media_type, data = self.catalog.manifest(image, reference)
            return self._send(HTTPStatus.OK, media_type, data, body)
        if reference in self.catalog.documents:
            media_type, data = self.catalog.documents[reference]
            return self._send(HTTPStatus.OK, media_type, data, body)
        blob = blob_path(reference) if re.fullmatch(r"sha256:[0-9a-f]{64}", reference) else None
        if kind == "blobs" and blob is not None and blob.is_file():
            return self._send_file(blob, reference, body)
        code = "MANIFEST_UNKNOWN" if kind == "manifests" else "BLOB_UNKNOWN"
        return self._error(HTTPStatus.NOT_FOUND, code, f"{reference} unknown", body)

    def _send(self, status: HTTPStatus, media_type: str, data: bytes, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Docker-Content-Digest", "sha256:" + hashlib.sha256(data).hexdigest())
        self.send_header("Docker-Distribution-API-Version", "registry/2.0")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _send_file(self, path: Path, digest: str, body: bool) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(path.stat().st_size))
        self.send_header("Docker-Content-Digest", digest)
        self.end_headers()
        if body:
            with open(path, "rb") as blob:
                while chunk := blob.read(1 << 20):
                    self.wfile.write(chunk)

    def _error(self, status: HTTPStatus, code: str, message: str, body: bool) -> None:
        data = json.dumps({"errors": [{"code": code, "message": message}]}).encode()
        self._send(status, "application/json", data, body)


def main(argv: list[str]) -> int:
    catalog_path, port = Path(argv[0]), int(argv[1])
    Handler.catalog = Catalog(catalog_path)
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    print(f"serving {catalog_path.name} on 127.0.0.1:{port}", file=sys.stderr, flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
