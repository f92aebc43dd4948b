"""What each state-changing kubectl command does to plain objects offline: one row per behaviour, named by it."""

import pytest

from graders.kubectl import parse_kubectl
from graders.kubectl_effect import Failed, apply, differences, run_commands, start_state
from graders.kubectl_line import read_line


def node(name, **spec):
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": {"disk": "ssd" if name == "n1" else "hdd"}},
            "spec": spec}


def pod(name, node_name="n1", owner=None, namespace="default", volumes=None, labels=None):
    meta = {"name": name, "namespace": namespace, "labels": labels or {"app": name}}
    if owner:
        meta["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": owner, "name": f"{name}-owner", "uid": f"uid-{name}", "controller": True}]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": {"nodeName": node_name, "containers": [{"name": "c", "image": "nginx", "ports": [{"name": "http", "containerPort": 8080}]}],
                     **({"volumes": volumes} if volumes else {})}}


def deployment(name="web", namespace="shop", replicas=3, image="nginx:1.25", containers=None, uid="uid-web"):
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": namespace, "labels": {"app": name}, "uid": uid},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": containers or [{"name": "nginx", "image": image, "ports": [{"name": "http", "containerPort": 8080}]}]}}}}


def config(current="dev", **namespaces):
    return {"apiVersion": "v1", "kind": "Config", "current-context": current,
            "contexts": [{"name": n, "context": {"cluster": "c1", "user": "u", **({"namespace": namespaces[n]} if n in namespaces else {})}}
                         for n in ("dev", "prod")]}


def find(state, kind, name):
    return next(o for o in state.objects if o.get("kind") == kind and (o.get("metadata") or {}).get("name") == name)


START = [node("n1"), node("n2", unschedulable=True, taints=[{"key": "a", "value": "b", "effect": "NoSchedule"}]),
         pod("web-1", owner="ReplicaSet"), pod("proxy", owner="DaemonSet", namespace="kube-system"),
         deployment(), deployment("api", namespace="default", uid="uid-api"),
         {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web-abc", "namespace": "shop",
          "ownerReferences": [{"kind": "Deployment", "name": "web", "uid": "uid-web", "controller": True}]}},
         {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "old", "namespace": "shop"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}},
         config(prod="prod")]

CHANGES = [
    ("cordon-sets-unschedulable", "kubectl cordon n1", lambda s: find(s, "Node", "n1")["spec"]["unschedulable"] is True),
    ("uncordon-clears-it", "kubectl uncordon n2", lambda s: "unschedulable" not in find(s, "Node", "n2")["spec"]),
    ("cordon-by-selector", "kubectl cordon -l disk=ssd", lambda s: find(s, "Node", "n1")["spec"]["unschedulable"]),
    ("drain-evicts-managed-pods", "kubectl drain n1 --ignore-daemonsets",
     lambda s: not any((o.get("metadata") or {}).get("name") == "web-1" for o in s.objects) and find(s, "Pod", "proxy")),
    ("taint-adds", "kubectl taint node n1 k=v:NoExecute", lambda s: find(s, "Node", "n1")["spec"]["taints"] == [{"key": "k", "value": "v", "effect": "NoExecute"}]),
    ("taint-removes-by-key", "kubectl taint node n2 a-", lambda s: "taints" not in find(s, "Node", "n2")["spec"]),
    ("taint-overwrites", "kubectl taint node n2 a=c:NoSchedule --overwrite", lambda s: find(s, "Node", "n2")["spec"]["taints"][0]["value"] == "c"),
    ("label-adds", "kubectl label pod web-1 tier=fe", lambda s: find(s, "Pod", "web-1")["metadata"]["labels"] == {"app": "web-1", "tier": "fe"}),
    ("label-removes", "kubectl label pod web-1 app-", lambda s: "app" not in find(s, "Pod", "web-1")["metadata"]["labels"]),
    ("label-overwrites", "kubectl label pod web-1 app=x --overwrite", lambda s: find(s, "Pod", "web-1")["metadata"]["labels"]["app"] == "x"),
    ("label-same-value-needs-no-overwrite", "kubectl label pod web-1 app=web-1", lambda s: True),
    ("label-all", "kubectl label deploy --all -n shop tier=fe", lambda s: find(s, "Deployment", "web")["metadata"]["labels"]["tier"] == "fe"),
    ("annotate-value-with-equals", "kubectl annotate pod web-1 note=a=b", lambda s: find(s, "Pod", "web-1")["metadata"]["annotations"] == {"note": "a=b"}),
    ("scale", "kubectl scale deploy web --replicas=5 -n shop", lambda s: find(s, "Deployment", "web")["spec"]["replicas"] == 5),
    ("scale-typed-name", "kubectl scale deployment/web --replicas 0 -n shop", lambda s: find(s, "Deployment", "web")["spec"]["replicas"] == 0),
    ("scale-precondition-met", "kubectl scale deploy web --replicas=5 --current-replicas=3 -n shop", lambda s: find(s, "Deployment", "web")["spec"]["replicas"] == 5),
    ("set-image-by-name", "kubectl set image deploy/web nginx=nginx:1.26 -n shop",
     lambda s: find(s, "Deployment", "web")["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.26"),
    ("set-image-star", "kubectl set image deploy/web *=nginx:1.26 -n shop",
     lambda s: find(s, "Deployment", "web")["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.26"),
    ("set-image-pod", "kubectl set image pod/web-1 c=nginx:2", lambda s: find(s, "Pod", "web-1")["spec"]["containers"][0]["image"] == "nginx:2"),
    ("patch-strategic", "kubectl patch deploy web -n shop -p '{\"spec\":{\"replicas\":1}}'", lambda s: find(s, "Deployment", "web")["spec"]["replicas"] == 1),
    ("patch-yaml-body", "kubectl patch deploy web -n shop -p 'spec: {replicas: 1}'", lambda s: find(s, "Deployment", "web")["spec"]["replicas"] == 1),
    ("patch-merge", "kubectl patch node n1 --type=merge -p '{\"metadata\":{\"labels\":{\"disk\":null}}}'", lambda s: find(s, "Node", "n1")["metadata"]["labels"] == {}),
    ("patch-json", "kubectl patch deploy web -n shop --type json -p '[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":2}]'",
     lambda s: find(s, "Deployment", "web")["spec"]["replicas"] == 2),
    ("expose-copies-selector-and-ports", "kubectl expose deploy web -n shop --port=80 --name=web-svc",
     lambda s: find(s, "Service", "web-svc")["spec"] == {"selector": {"app": "web"}, "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}]}),
    ("expose-finds-the-container-port", "kubectl expose deploy web -n shop",
     lambda s: find(s, "Service", "web")["spec"]["ports"] == [{"port": 8080, "protocol": "TCP", "targetPort": 8080}]),
    ("expose-pod-uses-its-labels", "kubectl expose pod web-1 --port=80 --target-port=http --type=NodePort",
     lambda s: find(s, "Service", "web-1")["spec"]["selector"] == {"app": "web-1"} and find(s, "Service", "web-1")["spec"]["type"] == "NodePort"),
    ("delete-cascades-to-owned", "kubectl delete deploy web -n shop",
     lambda s: not [o for o in s.objects if (o.get("metadata") or {}).get("namespace") == "shop" and o["kind"] in ("Deployment", "ReplicaSet")]),
    ("delete-orphans", "kubectl delete deploy web -n shop --cascade=orphan", lambda s: find(s, "ReplicaSet", "web-abc")),
    ("create-namespace", "kubectl create ns dev", lambda s: find(s, "Namespace", "dev")),
    ("create-service-clusterip", "kubectl create svc clusterip api --tcp=80:8080",
     lambda s: find(s, "Service", "api")["spec"]["selector"] == {"app": "api"}),
    ("use-context", "kubectl config use-context prod", lambda s: s.config["current-context"] == "prod"),
    ("set-current-context", "kubectl config set current-context prod", lambda s: s.config["current-context"] == "prod"),
    ("set-context-current-namespace", "kubectl config set-context --current --namespace=shop",
     lambda s: s.context()["context"]["namespace"] == "shop"),
    ("set-context-property", "kubectl config set contexts.dev.namespace shop", lambda s: s.context()["context"]["namespace"] == "shop"),
    ("rename-context", "kubectl config rename-context dev work", lambda s: s.config["current-context"] == "work"),
    ("rollout-restart", "kubectl rollout restart deploy/web -n shop",
     lambda s: "kubectl.kubernetes.io/restartedAt" in find(s, "Deployment", "web")["spec"]["template"]["metadata"]["annotations"]),
    ("rollout-pause", "kubectl rollout pause deploy/web -n shop", lambda s: find(s, "Deployment", "web")["spec"]["paused"] is True),
]


@pytest.mark.parametrize(("line", "check"), [(line, check) for _, line, check in CHANGES], ids=[n for n, _, _ in CHANGES])
def test_changes(line, check):
    state = apply(parse_kubectl(line), start_state(START))
    assert check(state)


@pytest.mark.parametrize("line", [
    "kubectl get pods -A", "kubectl cordon n1 --dry-run=client", "kubectl scale deploy web --replicas=5 -n shop --dry-run=server",
    "kubectl label pod web-1 --list", "kubectl config view", "kubectl rollout status deploy/web -n shop",
])
def test_what_changes_nothing(line):
    start = start_state(START)
    assert differences(apply(parse_kubectl(line), start), start, start) == []


FAILURES = [
    ("not-found-says-the-namespace", "kubectl scale deploy web --replicas=5", 'deployments.apps "web" not found (kubectl looked in the namespace default)'),
    ("label-without-overwrite", "kubectl label pod web-1 app=x", "'app' already has a value (web-1), and --overwrite is false"),
    ("label-bad-value", "kubectl label pod web-1 'tier=a b'", "invalid label value"),
    ("taint-same-effect-without-overwrite", "kubectl taint node n2 a=c:NoSchedule", "--overwrite is false"),
    ("taint-bad-effect", "kubectl taint node n1 k=v:Sometimes", "invalid taint effect"),
    ("drain-stops-at-daemonset-pods", "kubectl drain n1", "cannot delete DaemonSet-managed Pods"),
    ("scale-precondition-unmet", "kubectl scale deploy web --replicas=5 --current-replicas=2 -n shop", "Expected replicas to be 2, was 3"),
    ("scale-a-pod", "kubectl scale pod web-1 --replicas=2", "no scaler"),
    ("set-image-unknown-container", "kubectl set image deploy/web redis=redis -n shop", 'unable to find container named "redis"'),
    ("patch-unknown-type", "kubectl patch deploy web -n shop --type=yaml -p '{}'", "--type must be one of"),
    ("patch-not-json-nor-yaml", "kubectl patch deploy web -n shop -p '{\"spec\": '", "unable to parse the patch"),
    ("patch-json-missing-path", "kubectl patch deploy web -n shop --type=json -p '[{\"op\":\"remove\",\"path\":\"/spec/nope\"}]'", "doc is missing path"),
    ("expose-existing-service", "kubectl expose deploy web -n shop --name=old --port=80", 'services "old" already exists'),
    ("expose-node", "kubectl expose node n1 --port=80", "cannot expose a Node"),
    ("use-missing-context", "kubectl config use-context stage", 'no context exists with the name: "stage"'),
    ("another-cluster", "kubectl cordon n1 --server=https://other:6443", "another cluster"),
    ("a-file-kubedojo-cannot-see", "kubectl scale -f web.yaml --replicas=2", "reads files kubedojo cannot see"),
    ("edit-is-interactive", "kubectl edit deploy web -n shop", "cannot tell offline"),
    ("refused-by-kubectl", "kubectl cordon n1 --foo", "kubectl refuses it: unknown flag: --foo"),
]


@pytest.mark.parametrize(("line", "message"), [(line, m) for _, line, m in FAILURES], ids=[n for n, _, _ in FAILURES])
def test_failures_say_why(line, message):
    with pytest.raises(Failed) as caught:
        apply(parse_kubectl(line), start_state(START))
    assert message in caught.value.en
    assert caught.value.ko


def test_failure_after_cordon_keeps_the_cordon():
    start = start_state(START)
    line = read_line("kubectl drain n1", by_effect=True)
    outcome = run_commands(line.commands, line.ops, start)
    assert outcome.failures and find(outcome.state, "Node", "n1")["spec"] == {}  # a failed command changes nothing here


@pytest.mark.parametrize(("line", "replicas"), [
    ("kubectl scale deploy web --replicas=5 -n shop && kubectl scale deploy web --replicas=6 -n shop", 6),
    ("kubectl scale deploy nope --replicas=5 -n shop && kubectl scale deploy web --replicas=6 -n shop", 3),
    ("kubectl scale deploy nope --replicas=5 -n shop || kubectl scale deploy web --replicas=6 -n shop", 6),
    ("kubectl scale deploy web --replicas=5 -n shop || kubectl scale deploy web --replicas=6 -n shop", 5),
    ("kubectl config use-context prod; kubectl scale deploy web --replicas=4", 3),
    ("kubectl config set-context --current --namespace=shop; kubectl scale deploy web --replicas=4", 4),
])
def test_lines_run_as_the_shell_runs_them(line, replicas):
    answer = read_line(line, by_effect=True)
    state = run_commands(answer.commands, answer.ops, start_state(START)).state
    assert find(state, "Deployment", "web")["spec"]["replicas"] == replicas


def test_differences_name_the_field_and_ignore_bookkeeping():
    start = start_state(START)
    wanted = apply(parse_kubectl("kubectl scale deploy web --replicas=5 -n shop"), start)
    mine = apply(parse_kubectl("kubectl annotate deploy web -n shop kubernetes.io/change-cause=scaled"), start)
    assert differences(mine, wanted, start) == [("Deployment shop/web: spec.replicas is `3`, the task needs `5`",
                                                 "Deployment shop/web: spec.replicas이(가) `3`인데, `5`이어야 합니다")]
    same = apply(parse_kubectl("kubectl scale deploy web --replicas=5 -n shop --record"), start)
    assert differences(same, wanted, start) == []


def test_a_named_target_port_is_the_number_it_names():
    start = start_state(START)
    by_number = apply(parse_kubectl("kubectl expose deploy web -n shop --port=80 --target-port=8080"), start)
    by_name = apply(parse_kubectl("kubectl expose deploy web -n shop --port=80 --target-port=http"), start)
    assert differences(by_name, by_number, start) == []


def test_a_named_list_says_which_entry_was_added_or_changed_not_the_whole_list():
    """`set-context prod` beside `prod-admin` listed every context twice (issue 11); the entries by name instead."""
    from exercises.loader import load_catalog
    from graders.grade import grade

    exercise = load_catalog(bundled=True, user=False).get("cluster-context-namespace")
    for lang, changed, added in (("en", "contexts[name=prod-admin].context.namespace is `\"default\"`, the task needs `\"payments\"`",
                                  "the kubeconfig: contexts[name=prod] was added, which the task did not ask for"),
                                 ("ko", "contexts[name=prod-admin].context.namespace이(가) `\"default\"`인데, `\"payments\"`이어야 합니다",
                                  "kubeconfig: contexts[name=prod]이(가) 추가되었는데, 문제에서 요구하지 않은 일입니다")):
        report = grade(exercise, "kubectl config set-context prod --namespace=payments", lang)
        effect = next(r for r in report.results if r.check_id == "effect")
        assert changed in effect.message and added in effect.message and "dev-cluster" not in effect.message
        assert "the kubeconfig" not in effect.message or lang == "en"
