"""What kubectl refuses before it reaches the API server: unknown flags, bad values, wrong numbers of words.

Each row is checked against graders.kubectl_verbs.refusals; when a real kubectl is installed, also against it."""

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from graders.kubectl import parse_kubectl
from graders.kubectl_flags import flags_for, is_command, kubectl_version, subcommands
from graders.kubectl_verbs import changes_state, refusals

ACCEPTED = [
    "kubectl get pods",
    "kubectl get pods -A -o wide --show-labels",
    "kubectl get pods --all_namespaces",
    "kubectl -n kube-system get pods",
    "kubectl -o yaml get pods",
    "kubectl get pods -w",
    "kubectl get po --sort-by=.metadata.creationTimestamp",
    "kubectl run webserver --image=nginx:1.14",
    "kubectl run redis --image=redis123 --dry-run -o yaml",
    "kubectl run redis --image=redis123 --dry-run=true -o yaml",
    "kubectl run web --image=nginx --record",
    "kubectl run tmp --image=busybox --rm -it --restart=Never -- sh",
    "kubectl create deploy web --image=nginx -r 3",
    "kubectl create deployment web --image=nginx --replicas=3 -- sleep 3600",
    "kubectl create secret generic s1 --from-literal=a=b",
    "kubectl create cm cfg --from-literal=a=b",
    "kubectl exec -it multipod -c nginx-container -- /bin/bash",
    "kubectl logs multipod nginx-container",
    "kubectl logs -p payment -c app -n shop",
    "kubectl delete pod web --cascade",
    "kubectl delete pod web --cascade=false",
    "kubectl delete pod web --grace-period=0 --force",
    "kubectl drain node01 --ignore-daemonsets --delete-emptydir-data",
    "kubectl drain node01 --timeout=5m",
    "kubectl cordon node02",
    "kubectl cordon -l disk=ssd",
    "kubectl scale deploy web --replicas=5 -n shop",
    "kubectl scale deploy web --replicas=0x5",
    "kubectl set image deploy/web nginx=nginx:1.26",
    "kubectl label pod web tier=fe --overwrite",
    "kubectl patch node node02 -p '{\"spec\":{\"unschedulable\":true}}'",
    "kubectl config use-context prod-admin",
    "kubectl config use prod-admin",
    "kubectl config set current-context prod-admin",
    "kubectl config set-context --current --namespace=dev",
    "kubectl auth can-i create deployments --as=system:serviceaccount:ci:builder -n ci",
    "kubectl expose deployment api --name=api-svc --port=80 --target-port=8080 -n shop",
    "kubectl rollout undo deployment/web --to-revision=2 -n shop",
    "kubectl top pod --containers",
    "kubectl top po",
    "kubectl logs -l app=web --all-containers",
    "kubectl get -f pod.yaml",
    "kubectl delete -f pod.yaml",
    "kubectl auth can-i --list -n dev",
    "kubectl get pods -o JSON",
    "kubectl get pods -o=jsonpath={.items[*].metadata.name}",
    "kubectl get pods -o custom-columns=NAME:.metadata.name",
    "kubectl run x --image=nginx --dry-run=client -o NAME",
    "kubectl run x --image=nginx --dry-run=none",
    "kubectl run x --image=nginx --image-pull-policy=IfNotPresent",
    "kubectl create secret generic s --from-literal=a=b --dry-run=client -o Yaml",
    "kubectl scale deploy web --replicas=2 --dry-run=server -o Json",
    "kubectl expose deploy web --port=80 --session-affinity=ClientIP",
    "kubectl delete pod web --cascade=orphan",
    "kubectl delete pod web --cascade=foreground",
    "kubectl delete pod web --dry-run=server",
]
REFUSED = [
    ("kubectl get pods -*x-watch", "unknown shorthand flag: '*' in -*x-watch"),
    ("kubectl get pods --foo", "unknown flag: --foo"),
    ("kubectl get pods --image=nginx", "unknown flag: --image"),
    ("kubectl -A get pods", "flags cannot be placed before plugin name: -A"),
    ("kubectl gett pods", 'unknown command "gett" for "kubectl"'),
    ("kubectl drain node01 --delete-local-data", "unknown flag: --delete-local-data"),
    ("kubectl exec -p web -- ls", "unknown shorthand flag: 'p' in -p"),
    ("kubectl exec web ls", "exec [POD] [COMMAND] is not supported anymore"),
    ("kubectl exec web", "you must specify at least one command for the container"),
    ("kubectl get pods --all-namespaces=maybe", 'invalid argument "maybe" for "-A, --all-namespaces" flag'),
    ("kubectl get pods -A=", "unknown shorthand flag: '=' in -="),
    ("kubectl scale deploy web --replicas=five", 'invalid argument "five" for "--replicas" flag'),
    ("kubectl scale deploy web", 'required flag(s) "replicas" not set'),
    ("kubectl drain node01 --timeout=5", 'invalid argument "5" for "--timeout" flag: time: missing unit'),
    ("kubectl config set-context --current -n dev", "unknown shorthand flag: 'n' in -n"),
    ("kubectl config use-context", "Unexpected args: []"),
    ("kubectl config use-context a b", "Unexpected args: [a b]"),
    ("kubectl config use-contxt prod", 'unknown command "use-contxt prod" for "kubectl config"'),
    ("kubectl create deployments web --image=nginx", "unknown flag: --image"),
    ("kubectl create deploy a b --image=nginx", "exactly one NAME is required, got 2"),
    ("kubectl create ns", "exactly one NAME is required, got 0"),
    ("kubectl create -f pod.yaml foo", "Unexpected args: [foo]"),
    ("kubectl run webserver", 'required flag(s) "image" not set'),
    ("kubectl logs a b c", "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'"),
    ("kubectl logs web --timeout 5", "unknown flag: --timeout"),
    ("kubectl label pod web", "at least one label update is required"),
    ("kubectl cordon", "USAGE: cordon NODE [flags]"),
    ("kubectl auth can-i get", "you must specify two arguments"),
    ("kubectl get", "Required resource not specified."),
    ("kubectl patch deploy web", 'required flag(s) "patch" not set'),
    ("kubectl get -l app=web", "Required resource not specified."),
    ("kubectl delete -l app=web", "You must provide one or more resources"),
    ("kubectl run x --image=nginx --dry-run=foo", 'Invalid dry-run value (foo). Must be "none", "server", or "client".'),
    ("kubectl delete pod web --dry-run=Client", 'Invalid dry-run value (Client)'),
    ("kubectl delete pod web --cascade=Orphan", 'invalid cascade value (Orphan). Must be "background", "foreground", or "orphan"'),
    ("kubectl run x --image=nginx --image-pull-policy=always", "invalid image pull policy: always"),
    ("kubectl run x --image=nginx --restart=never", "invalid restart policy: never"),
    ("kubectl run x --image=nginx --dry-run=client -o wide", 'unable to match a printer suitable for the output format "wide"'),
    ("kubectl create deploy x --image=nginx -o custom-columns=NAME:.metadata.name", "unable to match a printer"),
]

REFUSED_ONCE_THE_SERVER_ANSWERS = [  # kubectl v1.32 against a live API server (get and expose read the objects first)
    ("kubectl expose deploy web --port=80 --session-affinity=clientip", "unknown session affinity: clientip"),
    ("kubectl get pods -o Wide", 'unable to match a printer suitable for the output format "Wide"'),
    ("kubectl get pods -o jsonpath", "template format specified but no template given"),
    ("kubectl get pods -o custom-columns", "custom-columns format specified but no custom columns given"),
]


@pytest.mark.parametrize("line", ACCEPTED)
def test_kubectl_accepts(line: str):
    assert refusals(parse_kubectl(line)) == []


@pytest.mark.parametrize(("line", "complaint"), REFUSED + REFUSED_ONCE_THE_SERVER_ANSWERS,
                         ids=[line for line, _ in REFUSED + REFUSED_ONCE_THE_SERVER_ANSWERS])
def test_kubectl_refuses_and_says_why(line: str, complaint: str):
    found = refusals(parse_kubectl(line))
    assert any(complaint in item for item in found), found


def test_flag_table_is_kubectls_own():
    assert kubectl_version().startswith("v1.")
    assert flags_for("logs").by_short["p"].name == "previous"
    assert flags_for("patch").by_short["p"].name == "patch"
    assert flags_for("create deployment").by_short["r"].name == "replicas"
    assert flags_for("run").by_short["l"].name == "labels" and flags_for("get").by_short["l"].name == "selector"
    assert "n" not in flags_for("config set-context").by_short  # its own --namespace has no -n
    assert flags_for("get").by_name["all-namespaces"].type == "bool"
    assert flags_for("scale").by_name["replicas"].type == "int"
    assert flags_for("run").by_name["dry-run"].bare == "unchanged"
    assert flags_for("get").by_name["output"].bare is None
    output = flags_for("get").by_name["output"]
    assert output.normal("YAML") == "yaml" and output.normal("Json") == "json" and output.normal("NAME") == "name"
    assert output.normal("Wide") == "Wide" and output.normal("jsonpath={.A}") == "jsonpath={.A}"  # kubectl takes these only as written
    assert subcommands("create")["deploy"] == "deployment" and "deployments" not in subcommands("create")
    assert subcommands("config")["use"] == "use-context"
    assert is_command("create secret generic") and not is_command("create secret Generic")


@pytest.mark.parametrize(("line", "changes"), [
    ("kubectl get pods", False), ("kubectl cordon node02", True), ("kubectl run x --image=y --dry-run=client", False),
    ("kubectl delete pod x --dry-run=server", False), ("kubectl exec web --dry-run=client -- ls", True),
    ("kubectl config view", False), ("kubectl config use-context x", True), ("kubectl rollout status deploy/x", False),
    ("kubectl label pod web --list", False), ("kubectl cordon node02 --help", False),
])
def test_which_commands_change_anything(line: str, changes: bool):
    assert changes_state(parse_kubectl(line)) is changes


# --- the same table against a real kubectl, when there is one --------------------------------------------

KUBECTL = os.environ.get("KUBEDOJO_KUBECTL") or next(
    (p for p in ("/usr/lib/google-cloud-sdk/bin/kubectl.1.33", shutil.which("kubectl") or "") if p and Path(p).exists()), None)


def _kubectl_refuses(line: str, home: Path) -> bool:
    """Whether kubectl stops before it tries to reach the API server (which, here, is not there)."""
    config = home / "config"
    config.write_text("apiVersion: v1\nkind: Config\nclusters: [{name: none, cluster: {server: 'http://127.0.0.1:9'}}]\n"
                      "users: [{name: u, user: {}}]\ncontexts: [{name: c, context: {cluster: none, user: u}},"
                      " {name: prod-admin, context: {cluster: none, user: u}}]\ncurrent-context: c\n", encoding="utf-8")
    (home / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: i}]}\n",
                                   encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "KUBECONFIG": str(config)}
    done = subprocess.run([KUBECTL, "--request-timeout=2s", *shlex.split(line)[1:]], capture_output=True, text=True,
                          env=env, cwd=home, timeout=30, check=False, stdin=subprocess.DEVNULL)
    output = done.stdout + done.stderr
    return done.returncode != 0 and "127.0.0.1:9" not in output


@pytest.mark.skipif(KUBECTL is None, reason="no kubectl binary to compare with")
@pytest.mark.parametrize("line", ACCEPTED + [line for line, _ in REFUSED])
def test_real_kubectl_agrees(line: str, tmp_path: Path):
    ours = bool(refusals(parse_kubectl(line)))
    assert _kubectl_refuses(line, tmp_path) is ours


@pytest.mark.skipif(KUBECTL is None, reason="no kubectl binary to compare with")
@pytest.mark.parametrize("path", ["get", "run", "drain", "logs", "config set-context", "create deployment", "scale"])
def test_flag_table_matches_kubectl_help(path: str, tmp_path: Path):
    """The committed table is what the generator reads from this kubectl (regenerate it when this fails)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate", Path(__file__).parents[2] / "graders" / "data" / "generate_kubectl_flags.py")
    generate = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(generate)  # type: ignore[union-attr]
    kubectl = generate.Kubectl(KUBECTL, tmp_path)
    if kubectl_version() not in kubectl.run("version", "--client"):
        pytest.skip(f"this kubectl is not {kubectl_version()}, which the table was made from")
    help_flags = generate.parse_help(kubectl.run(*path.split(), "--help"))["flags"]
    table = flags_for(path).by_name
    assert {name: (s, t) for name, (s, t, _) in help_flags.items()} == \
        {name: (table[name].short, table[name].type) for name in help_flags}
