"""The nodes' image registry answers as a registry does: known names and version-like tags are served with
consistent digests, anything else is "not found"; and the machine check says why it cannot run real nodes."""

from __future__ import annotations

import hashlib
import json
import threading
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer

import pytest

from tests.cluster import images, nodes, registry


@pytest.fixture
def served(tmp_path, monkeypatch):
    """registry.py on a free loopback port, serving a one-image catalog with one layer in a scratch cache."""
    monkeypatch.setenv("KUBEDOJO_TESTCLUSTER_CACHE", str(tmp_path))
    layer = b"a layer's bytes"
    digest = "sha256:" + hashlib.sha256(layer).hexdigest()
    images.blob_path(digest).parent.mkdir(parents=True)
    images.blob_path(digest).write_bytes(layer)
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps({"architecture": "amd64", "images": [{
        "name": "nginx", "repositories": ["docker.io/library/nginx", "registry.k8s.io/nginx"],
        "tags": images.DEFAULT_TAGS, "version": "1.27.0",
        "config": {"Cmd": ["nginx"], "Env": ["NGINX_VERSION={version}"]},
        "layers": [{"digest": digest, "size": len(layer)}]}]}))
    registry.Handler.catalog = registry.Catalog(catalog)
    registry.Handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), registry.Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", digest
    server.shutdown()


def get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.parametrize("tag", ["1.14", "1.14.2", "1.25.3", "1.25-alpine", "1.36.1-glibc", "latest", "alpine", "stable-alpine"])
def test_a_version_like_tag_of_a_known_image_is_served_with_its_own_config(served, tag):
    base, layer = served
    status, headers, body = get(f"{base}/v2/library/nginx/manifests/{tag}?ns=docker.io")
    assert status == 200 and headers["Content-Type"] == registry.MANIFEST_MEDIA_TYPE
    manifest = json.loads(body)
    assert headers["Docker-Content-Digest"] == "sha256:" + hashlib.sha256(body).hexdigest()
    assert [entry["digest"] for entry in manifest["layers"]] == [layer]
    status, _, config = get(f"{base}/v2/library/nginx/blobs/{manifest['config']['digest']}?ns=docker.io")
    assert status == 200 and "sha256:" + hashlib.sha256(config).hexdigest() == manifest["config"]["digest"]
    env = json.loads(config)["config"]["Env"]
    assert env[0].startswith("PATH=/usr/local/sbin") and f"NGINX_VERSION={images.version_of(tag, '1.27.0')}" in env
    by_digest = get(f"{base}/v2/library/nginx/manifests/{headers['Docker-Content-Digest']}?ns=docker.io")
    assert by_digest[0] == 200 and by_digest[2] == body
    assert get(f"{base}/v2/library/nginx/blobs/{layer}?ns=docker.io")[2] == b"a layer's bytes"


@pytest.mark.parametrize("path, code", [
    ("/v2/library/redis123/manifests/latest?ns=docker.io", "NAME_UNKNOWN"),       # a typo in the name
    ("/v2/library/nginx/manifests/1.14x?ns=docker.io", "MANIFEST_UNKNOWN"),       # a typo in the tag
    ("/v2/library/nginx/manifests/latest?ns=quay.io", "NAME_UNKNOWN"),            # the name on another registry
    ("/v2/library/nginx/blobs/sha256:" + "0" * 64 + "?ns=docker.io", "BLOB_UNKNOWN"),
])
def test_anything_else_is_not_found_as_on_a_real_registry(served, path, code):
    status, _, body = get(served[0] + path)
    assert status == 404 and json.loads(body)["errors"][0]["code"] == code


def test_a_short_docker_hub_name_means_library_and_another_registry_is_told_by_ns(served):
    assert get(f"{served[0]}/v2/nginx/manifests/1.14")[0] == 200
    assert get(f"{served[0]}/v2/nginx/manifests/1.14?ns=registry.k8s.io")[0] == 200


def test_the_machine_check_names_what_is_missing_and_how_to_get_it(monkeypatch, tmp_path):
    monkeypatch.setattr(nodes.os, "geteuid", lambda: 1000)
    assert "need root" in nodes.unavailable()
    monkeypatch.setattr(nodes.os, "geteuid", lambda: 0)
    monkeypatch.setattr(nodes, "PATH", str(tmp_path))  # nothing on PATH
    reason = nodes.unavailable()
    assert "containerd" in reason and "runc" in reason and "install-deps.sh" in reason
