"""A live check loads only the kubernetes client's kubeconfig loader and REST layer; the rest of the package still works later."""

import json
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
KUBECONFIG = {
    "apiVersion": "v1", "kind": "Config", "current-context": "kind-x",
    "clusters": [{"name": "c", "cluster": {"server": "https://127.0.0.1:9", "insecure-skip-tls-verify": True}}],
    "users": [{"name": "u", "user": {"token": "t0ken"}}],
    "contexts": [{"name": "kind-x", "context": {"cluster": "c", "user": "u"}}],
}
PROBE = """
import json, sys
from graders.cluster import connect
from graders.kubeclient import auth_headers
cluster = connect(probe=False)
light = sorted(m for m in sys.modules if m.split('.')[0] in ('kubernetes', 'requests', 'requests_oauthlib', 'dateutil') or m == 'oauthlib.oauth2')
headers = auth_headers(cluster.configuration)
url = cluster.url('/api/v1/pods', [('labelSelector', 'a=b')])
import kubernetes
from kubernetes.client import ApiClient, CoreV1Api, V1Pod
from kubernetes.stream import stream
from kubernetes.config import kube_config
import requests_oauthlib
session = kube_config.OAuth2Session(client_id='x')
print(json.dumps({'light': light, 'headers': headers, 'url': url, 'version': kubernetes.__version__,
                  'whole': [CoreV1Api.__name__, V1Pod.__name__, ApiClient.__module__, type(stream).__name__, kubernetes.client.models.V1Pod.__name__],
                  'session': isinstance(session, requests_oauthlib.OAuth2Session)}))
"""


def test_a_connection_loads_the_kubeconfig_loader_and_rest_layer_only(tmp_path):
    kubeconfig = tmp_path / "config"
    kubeconfig.write_text(yaml.safe_dump(KUBECONFIG))
    env = {"KUBECONFIG": str(kubeconfig), "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    light = set(seen["light"])
    assert {"kubernetes.config.kube_config", "kubernetes.client.rest", "kubernetes.client.configuration"} <= light
    assert not [m for m in light if m.startswith(("kubernetes.client.api", "kubernetes.client.models.", "kubernetes.dynamic", "kubernetes.watch"))]
    assert not [m for m in light if m.split(".")[0] in ("requests", "requests_oauthlib", "dateutil")] and "oauthlib.oauth2" not in light
    assert seen["headers"] == {"authorization": "Bearer t0ken"}
    assert seen["url"] == "https://127.0.0.1:9/api/v1/pods?labelSelector=a%3Db"
    assert seen["whole"] == ["CoreV1Api", "V1Pod", "kubernetes.client.api_client", "partial", "V1Pod"]
    assert seen["session"] is True  # the OIDC refresh still gets the real OAuth2Session
