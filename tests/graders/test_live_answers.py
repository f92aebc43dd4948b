"""Which answer lines lint --live runs on a practice cluster, and as what argv; the rest is said, never run."""

from __future__ import annotations

import pytest

from graders.live_answers import NotRunnable, helm_argv, kubectl_argvs, static_pod_files

NS = ["--namespace", "{namespace}"]


@pytest.mark.parametrize("line, argvs", [
    ("kubectl scale deployment web --replicas=3 -n shop", [["scale", "deployment", "web", "--replicas=3", "-n", "shop"]]),
    ("k scale deploy/web --replicas 3", [["scale", "deploy/web", "--replicas", "3", *NS]]),
    ("$ kubectl cordon kubedojo-worker", [["cordon", "kubedojo-worker", *NS]]),
    ("kubectl create ns a && kubectl label ns a team=x", [["create", "ns", "a", *NS], ["label", "ns", "a", "team=x", *NS]]),
    ("kubectl delete pod web -A", [["delete", "pod", "web", "-A"]]),
])
def test_kubectl_lines_that_change_something_are_run(line, argvs):
    assert kubectl_argvs(line) == argvs


@pytest.mark.parametrize("line, why", [
    ("kubectl get pods -n shop", "only read"),
    ("kubectl scale deploy web --replicas=3 --dry-run=client -o yaml", "only read"),
    ("kubectl get deploy web -o yaml > web.yaml", "shell line"),
    ("kubectl get pods | grep web", "shell line"),
    ("KUBECONFIG=/tmp/x kubectl delete pod web", "environment"),
    ("kubectl delete pod $(kubectl get pods -o name)", "expands"),
    ("kubectl config use-context prod", "kubeconfig"),
    ("kubectl edit deploy web", "editor"),
    ("kubectl exec web -- touch /tmp/x", "container"),
    ("kubectl run box --image=busybox -it --rm -- sh", "terminal"),
    ("helm install web charts/shop", "shell line"),
    ("kubectl delete pod web --context=prod-admin", "practice context only"),
    ("kubectl --kubeconfig /tmp/other delete pod web", "practice context only"),
])
def test_other_lines_are_not_run_and_say_why(line, why):
    with pytest.raises(NotRunnable, match=why):
        kubectl_argvs(line)


@pytest.mark.parametrize("line, argv", [
    ("helm install web charts/shop -n x --set a=1", ["install", "web", "charts/shop", "-n", "x", "--set", "a=1"]),
    ("helm -n x rollback web 3", ["-n", "x", "rollback", "web", "3"]),
    ("helm upgrade --install web ./charts/shop", ["upgrade", "--install", "web", "./charts/shop", *NS]),
    ("helm uninstall web --namespace=x", ["uninstall", "web", "--namespace=x"]),
])
def test_helm_lines_that_change_a_release_are_run(line, argv):
    assert helm_argv(line) == argv


@pytest.mark.parametrize("line, why", [
    ("helm template web charts/shop", "changes no release"),
    ("helm -n x history web", "changes no release"),
    ("helm install web charts/shop && helm list", "shell line"),
    ("kubectl apply -f x.yaml", "not a helm command"),
    ("helm install web 'charts/shop", "cannot be read"),
    ("helm rollback web 3 --kube-context prod", "practice context only"),
])
def test_other_helm_lines_are_not_run(line, why):
    with pytest.raises(NotRunnable, match=why):
        helm_argv(line)


def test_a_static_pod_answer_is_one_file_per_pod():
    files = static_pod_files("apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\n")
    assert [(f, ns) for f, ns, _ in files] == [("a.yaml", "x"), ("b.yaml", "default")]


@pytest.mark.parametrize("selector, query", [
    ({"matchLabels": {"app": "web"}}, "app=web"),
    ({"matchExpressions": [{"key": "app", "operator": "In", "values": ["web", "api"]}, {"key": "tier", "operator": "Exists"}]},
     "app in (web,api),tier"),
    ({"matchLabels": {"a": "1"}, "matchExpressions": [{"key": "b", "operator": "NotIn", "values": ["x"]}, {"key": "c", "operator": "DoesNotExist"}]},
     "a=1,b notin (x),!c"),
    ({}, ""), (None, ""),
])
def test_a_workloads_selector_is_the_apis_label_selector_query(selector, query):
    from graders.live_workloads import selector_query

    assert selector_query(selector) == query
