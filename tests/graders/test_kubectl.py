"""parse_kubectl: every form a CKA candidate types reads to one canonical KubectlCommand."""

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graders.kubectl import CommandParseError, KubectlCommand, parse_kubectl

K = KubectlCommand
T = ("true",)


def case(line: str, expected: KubectlCommand, id: str | None = None):
    return pytest.param(line, expected, id=id or line)


# The commands in the course notes (seed/pods-course-notes.ko.md), as written there.
NOTES = [
    case("kubectl run webserver --image=nginx:1.14",
         K("run", resource="pods", names=("webserver",), flags={"image": ("nginx:1.14",)})),
    case("kubectl run nginx-pod --image=nginx:1.14",
         K("run", resource="pods", names=("nginx-pod",), flags={"image": ("nginx:1.14",)})),
    case("kubectl create -f pod-nginx.yaml", K("create", flags={"filename": ("pod-nginx.yaml",)})),
    case("kubectl get pods", K("get", resource="pods")),
    case("kubectl get pods -o wide", K("get", resource="pods", flags={"output": ("wide",)})),
    case("kubectl get pods web1 -o yaml # 이거 확인해서 pod yaml 파일 작성할 수 있음",
         K("get", resource="pods", names=("web1",), flags={"output": ("yaml",)}), id="get-yaml-with-comment"),
    case("kubectl exec multipod -c nginx-container -it -- /bin/bash",
         K("exec", resource="pods", names=("multipod",), command=("/bin/bash",),
           flags={"container": ("nginx-container",), "stdin": T, "tty": T})),
    case("kubectl logs multipod -c nginx-container",
         K("logs", resource="pods", names=("multipod",), flags={"container": ("nginx-container",)})),
    case("kubectl describe pod webserver", K("describe", resource="pods", names=("webserver",))),
    case("kubectl describe pod nginx-pod ", K("describe", resource="pods", names=("nginx-pod",))),
    case("kubectl edit pod webserver", K("edit", resource="pods", names=("webserver",))),
    case("kubectl edit pod redis", K("edit", resource="pods", names=("redis",))),
    case("kubectl get pods --all-namespaces #전체 네임스페이스에서 동작중인 파드 확인 ",
         K("get", resource="pods", flags={"all-namespaces": T}), id="get-all-namespaces-with-comment"),
    case("kubectl delete pod webserver", K("delete", resource="pods", names=("webserver",))),
    case("kubectl delete pod --all", K("delete", resource="pods", flags={"all": T})),
    case("kubectl delete pod nginx-pod", K("delete", resource="pods", names=("nginx-pod",))),
    case("kubectl run redis --image=redis123 --dry-run -o yaml > redis.yaml # dry-run : 실행되는지 확인",
         K("run", resource="pods", names=("redis",), redirect="redis.yaml",
           flags={"image": ("redis123",), "dry-run": ("client",), "output": ("yaml",)}), id="run-dry-run-redirect"),
    case("kubectl create -f redis.yaml", K("create", flags={"filename": ("redis.yaml",)})),
]

# One flag form per row, on a verb where it means something.
FLAG_FORMS = [
    case("kubectl get pods -n x", K("get", resource="pods", flags={"namespace": ("x",)})),
    case("kubectl get pods -nx", K("get", resource="pods", flags={"namespace": ("x",)})),
    case("kubectl get pods -n=x", K("get", resource="pods", flags={"namespace": ("x",)})),
    case("kubectl get pods --namespace x", K("get", resource="pods", flags={"namespace": ("x",)})),
    case("kubectl get pods --namespace=x", K("get", resource="pods", flags={"namespace": ("x",)})),
    case("kubectl -n x get pods", K("get", resource="pods", flags={"namespace": ("x",)})),
    case("kubectl get pods -owide", K("get", resource="pods", flags={"output": ("wide",)})),
    case("kubectl get pods -o=yaml", K("get", resource="pods", flags={"output": ("yaml",)})),
    case("kubectl get pods --output yaml", K("get", resource="pods", flags={"output": ("yaml",)})),
    case("kubectl get pods -A", K("get", resource="pods", flags={"all-namespaces": T})),
    case("kubectl get pods --all-namespaces=true", K("get", resource="pods", flags={"all-namespaces": T})),
    case("kubectl get pods --all-namespaces=True", K("get", resource="pods", flags={"all-namespaces": T})),
    case("kubectl get pods -A=false", K("get", resource="pods", flags={"all-namespaces": ("false",)})),
    case("kubectl get pods --all_namespaces", K("get", resource="pods", flags={"all-namespaces": T})),
    case("kubectl get pods -l app=web", K("get", resource="pods", flags={"selector": ("app=web",)})),
    case("kubectl get pods --selector=app=web", K("get", resource="pods", flags={"selector": ("app=web",)})),
    case("kubectl get pods -w --show-labels", K("get", resource="pods", flags={"watch": T, "show-labels": T})),
    case("kubectl get pods --watch", K("get", resource="pods", flags={"watch": T})),
    case("kubectl get pods --sort-by=.metadata.name",
         K("get", resource="pods", flags={"sort-by": (".metadata.name",)})),
    case("kubectl get pods --sort-by .metadata.name",
         K("get", resource="pods", flags={"sort-by": (".metadata.name",)})),
    case("kubectl get pods --field-selector status.phase=Running",
         K("get", resource="pods", flags={"field-selector": ("status.phase=Running",)})),
    case("kubectl get pods --context prod --kubeconfig /root/.kube/config",
         K("get", resource="pods", flags={"context": ("prod",), "kubeconfig": ("/root/.kube/config",)})),
    case("kubectl get --raw /api/v1", K("get", flags={"raw": ("/api/v1",)})),
    case("kubectl config view --raw", K("config", subverb="view", flags={"raw": T})),
    case("kubectl get pods --foo", K("get", resource="pods", flags={"foo": T}), id="unknown-long-is-read-as-a-switch"),
    case("kubectl get pods -Z", K("get", resource="pods", flags={"Z": T}), id="unknown-short-is-boolean"),
    case("kubectl exec -it web -- sh", K("exec", resource="pods", names=("web",), command=("sh",),
                                         flags={"stdin": T, "tty": T})),
    case("kubectl exec -ti web -- sh", K("exec", resource="pods", names=("web",), command=("sh",),
                                         flags={"tty": T, "stdin": T})),
    case("kubectl exec web -i -t -- sh", K("exec", resource="pods", names=("web",), command=("sh",),
                                           flags={"stdin": T, "tty": T})),
    case("kubectl exec web -itc app -- sh", K("exec", resource="pods", names=("web",), command=("sh",),
                                              flags={"stdin": T, "tty": T, "container": ("app",)})),
    case("kubectl exec -c app web -- ls", K("exec", resource="pods", names=("web",), command=("ls",),
                                            flags={"container": ("app",)}), id="exec-c-takes-a-value"),
    case("kubectl exec web --container app -- ls", K("exec", resource="pods", names=("web",), command=("ls",),
                                                     flags={"container": ("app",)})),
    case("kubectl logs web -p", K("logs", resource="pods", names=("web",), flags={"previous": T})),
    case("kubectl logs web --previous", K("logs", resource="pods", names=("web",), flags={"previous": T})),
    case("kubectl logs -f web", K("logs", resource="pods", names=("web",), flags={"follow": T}),
         id="logs-f-is-follow"),
    case("kubectl logs web --tail=20 --since 1h --timestamps",
         K("logs", resource="pods", names=("web",), flags={"tail": ("20",), "since": ("1h",), "timestamps": T})),
    case("kubectl logs web --tail -1", K("logs", resource="pods", names=("web",), flags={"tail": ("-1",)})),
    case("kubectl cp web:/tmp/a ./a -c app", K("cp", names=("web:/tmp/a", "./a"), flags={"container": ("app",)})),
    case("kubectl run web --image nginx --restart=Never --port=80 --labels=app=web,tier=fe",
         K("run", resource="pods", names=("web",),
           flags={"image": ("nginx",), "restart": ("Never",), "port": ("80",), "labels": ("app=web,tier=fe",)})),
    case("kubectl run web --image=nginx -l app=web", K("run", resource="pods", names=("web",),
                                                       flags={"image": ("nginx",), "labels": ("app=web",)}),
         id="run-l-is-labels"),
    case("kubectl run web --image=nginx --env=A=1 --env B=2",
         K("run", resource="pods", names=("web",), flags={"image": ("nginx",), "env": ("A=1", "B=2")})),
    case("kubectl run tmp --image=busybox --rm -it --restart=Never -- wget -qO- http://web",
         K("run", resource="pods", names=("tmp",), command=("wget", "-qO-", "http://web"),
           flags={"image": ("busybox",), "rm": T, "stdin": T, "tty": T, "restart": ("Never",)})),
    case("kubectl run bb --image=busybox --command -- sleep 3600",
         K("run", resource="pods", names=("bb",), command=("sleep", "3600"), flags={"image": ("busybox",),
                                                                                     "command": T})),
    case("kubectl run web --image=nginx --expose --port 80 --serviceaccount=sa1",
         K("run", resource="pods", names=("web",),
           flags={"image": ("nginx",), "expose": T, "port": ("80",), "serviceaccount": ("sa1",)})),
    case("kubectl run web --image=nginx --dry-run=client", K("run", resource="pods", names=("web",), flags={
        "image": ("nginx",), "dry-run": ("client",)})),
    case("kubectl run web --image=nginx --dry-run=server", K("run", resource="pods", names=("web",), flags={
        "image": ("nginx",), "dry-run": ("server",)})),
    case("kubectl run web --image=nginx --dry-run=true", K("run", resource="pods", names=("web",), flags={
        "image": ("nginx",), "dry-run": ("client",)}), id="dry-run-true-is-client"),
    case("kubectl run web --image=nginx --dry-run=false", K("run", resource="pods", names=("web",), flags={
        "image": ("nginx",), "dry-run": ("none",)}), id="dry-run-false-is-none"),
    case("kubectl delete pod web --force --grace-period=0", K("delete", resource="pods", names=("web",),
                                                              flags={"force": T, "grace-period": ("0",)})),
    case("kubectl delete pod web --now", K("delete", resource="pods", names=("web",), flags={"now": T})),
    case("kubectl delete pod web --cascade", K("delete", resource="pods", names=("web",),
                                               flags={"cascade": ("background",)})),
    case("kubectl apply -f pod.yaml --record --save-config --server-side",
         K("apply", flags={"filename": ("pod.yaml",), "record": T, "save-config": T, "server-side": T})),
    case("kubectl apply --filename=pod.yaml", K("apply", flags={"filename": ("pod.yaml",)})),
    case("kubectl apply -k overlays/dev", K("apply", flags={"kustomize": ("overlays/dev",)})),
    case("kubectl apply --kustomize overlays/dev", K("apply", flags={"kustomize": ("overlays/dev",)})),
    case("kubectl create deployment web --image=nginx -r 3", K(
        "create", subverb="deployment", resource="deployments", names=("web",),
        flags={"image": ("nginx",), "replicas": ("3",)}), id="create-deployment-r-is-replicas"),
    case("kubectl create deploy web --image=nginx --replicas=3", K(
        "create", subverb="deployment", resource="deployments", names=("web",),
        flags={"image": ("nginx",), "replicas": ("3",)})),
    case("kubectl scale deploy web --replicas 5", K("scale", resource="deployments", names=("web",),
                                                    flags={"replicas": ("5",)})),
    case("kubectl label pod web tier=fe --overwrite", K("label", resource="pods", names=("web",),
                                                        assignments=("tier=fe",), flags={"overwrite": T})),
    case("kubectl rollout undo deploy/web --to-revision=2", K(
        "rollout", subverb="undo", resource="deployments", names=("web",), flags={"to-revision": ("2",)})),
    case("kubectl drain node01 --ignore-daemonsets --delete-emptydir-data --force", K(
        "drain", resource="nodes", names=("node01",),
        flags={"ignore-daemonsets": T, "delete-emptydir-data": T, "force": T})),
    case("kubectl drain node01 --delete-local-data", K("drain", resource="nodes", names=("node01",),
                                                       flags={"delete-local-data": T}), id="removed-flag-kept-as-typed"),
    case("kubectl create cronjob c --image=busybox --schedule='*/5 * * * *' -- date", K(
        "create", subverb="cronjob", resource="cronjobs", names=("c",), command=("date",),
        flags={"image": ("busybox",), "schedule": ("*/5 * * * *",)})),
    case("kubectl create configmap cfg --from-literal=a=1 --from-literal b=2 --from-file=app.conf", K(
        "create", subverb="configmap", resource="configmaps", names=("cfg",),
        flags={"from-literal": ("a=1", "b=2"), "from-file": ("app.conf",)})),
    case("kubectl expose deploy web --port=80 --target-port=8080 --type=NodePort --name=web-svc", K(
        "expose", resource="deployments", names=("web",),
        flags={"port": ("80",), "target-port": ("8080",), "type": ("NodePort",), "name": ("web-svc",)})),
    case("kubectl auth can-i create pods --as=jane", K("auth", subverb="can-i", names=("create", "pods"),
                                                       flags={"as": ("jane",)})),
    case("kubectl patch deploy web -p '{\"spec\":{\"replicas\":2}}' --type=merge", K(
        "patch", resource="deployments", names=("web",),
        flags={"patch": ('{"spec":{"replicas":2}}',), "type": ("merge",)}), id="patch-p-is-patch"),
    case("kubectl get pods -o jsonpath='{.items[*].metadata.name}'", K(
        "get", resource="pods", flags={"output": ("jsonpath={.items[*].metadata.name}",)})),
    case("kubectl top pod --containers --sort-by=cpu", K("top", resource="pods",
                                                         flags={"containers": T, "sort-by": ("cpu",)})),
    case("kubectl set env deploy/web -e A=1 -c app", K(
        "set", subverb="env", resource="deployments", names=("web",), flags={"env": ("A=1",), "containers": ("app",)})),
]

# What the words after the verb name.
POSITIONALS = [
    case("kubectl get po", K("get", resource="pods")),
    case("kubectl get pod a b", K("get", resource="pods", names=("a", "b"))),
    case("kubectl get pod/a", K("get", resource="pods", names=("a",))),
    case("kubectl get pod/a pod/b", K("get", resource="pods", names=("a", "b"))),
    case("kubectl get pod/a svc/b", K("get", resource="pods,services", names=("pods/a", "services/b"))),
    case("kubectl get pods,svc", K("get", resource="pods,services")),
    case("kubectl get deploy,rs,ds,sts", K("get", resource="deployments,replicasets,daemonsets,statefulsets")),
    case("kubectl get Pods", K("get", resource="pods")),
    case("kubectl get deployments.apps web", K("get", resource="deployments", names=("web",))),
    case("kubectl get all", K("get", resource="all")),
    case("kubectl get widgets.example.com", K("get", resource="widgets.example.com"), id="unknown-resource-kept"),
    case("kubectl describe deploy/web", K("describe", resource="deployments", names=("web",))),
    *[case(f"kubectl get {short}", K("get", resource=plural), id=f"short-{short}") for short, plural in [
        ("svc", "services"), ("ns", "namespaces"), ("no", "nodes"), ("cm", "configmaps"), ("secret", "secrets"),
        ("rs", "replicasets"), ("ds", "daemonsets"), ("sts", "statefulsets"), ("pv", "persistentvolumes"),
        ("pvc", "persistentvolumeclaims"), ("sa", "serviceaccounts"), ("ep", "endpoints"), ("ing", "ingresses"),
        ("netpol", "networkpolicies"), ("cj", "cronjobs"), ("job", "jobs"), ("jobs", "jobs"),
        ("hpa", "horizontalpodautoscalers"), ("pc", "priorityclasses"), ("sc", "storageclasses"),
        ("crd", "customresourcedefinitions"), ("csr", "certificatesigningrequests"), ("ev", "events"),
        ("quota", "resourcequotas"), ("limits", "limitranges"), ("clusterrole", "clusterroles"),
    ]],
    case("kubectl logs web", K("logs", resource="pods", names=("web",))),
    case("kubectl logs pod/web", K("logs", resource="pods", names=("web",))),
    case("kubectl logs deploy/web", K("logs", resource="deployments", names=("web",))),
    case("kubectl logs web app", K("logs", resource="pods", names=("web",), flags={"container": ("app",)}),
         id="logs-pod-container"),
    case("kubectl exec web -- ls -la /", K("exec", resource="pods", names=("web",), command=("ls", "-la", "/"))),
    case("kubectl exec deploy/web -- env", K("exec", resource="deployments", names=("web",), command=("env",))),
    case("kubectl attach web -it", K("attach", resource="pods", names=("web",), flags={"stdin": T, "tty": T})),
    case("kubectl port-forward pod/web 8080:80", K("port-forward", resource="pods", names=("web",),
                                                   assignments=("8080:80",))),
    case("kubectl port-forward svc/web 8080:80 9090", K("port-forward", resource="services", names=("web",),
                                                        assignments=("8080:80", "9090"))),
    case("kubectl debug node/node01 -it --image=ubuntu", K(
        "debug", resource="nodes", names=("node01",), flags={"stdin": T, "tty": T, "image": ("ubuntu",)})),
    case("kubectl create ns dev", K("create", subverb="namespace", resource="namespaces", names=("dev",))),
    case("kubectl create namespace dev", K("create", subverb="namespace", resource="namespaces", names=("dev",))),
    case("kubectl create cm cfg", K("create", subverb="configmap", resource="configmaps", names=("cfg",))),
    case("kubectl create sa robot", K("create", subverb="serviceaccount", resource="serviceaccounts",
                                      names=("robot",))),
    case("kubectl create secret generic s1 --from-literal=k=v", K(
        "create", subverb="secret", variant="generic", resource="secrets", names=("s1",),
        flags={"from-literal": ("k=v",)})),
    case("kubectl create secret tls t1 --cert=c.crt --key=c.key", K(
        "create", subverb="secret", variant="tls", resource="secrets", names=("t1",),
        flags={"cert": ("c.crt",), "key": ("c.key",)})),
    case("kubectl create service nodeport web --tcp=80:8080", K(
        "create", subverb="service", variant="nodeport", resource="services", names=("web",),
        flags={"tcp": ("80:8080",)})),
    case("kubectl create role r --verb=get,list --resource=pods", K(
        "create", subverb="role", resource="roles", names=("r",),
        flags={"verb": ("get,list",), "resource": ("pods",)})),
    case("kubectl create rolebinding rb --role=r --user=jane", K(
        "create", subverb="rolebinding", resource="rolebindings", names=("rb",),
        flags={"role": ("r",), "user": ("jane",)})),
    case("kubectl create clusterrolebinding crb --clusterrole=view --serviceaccount=dev:robot", K(
        "create", subverb="clusterrolebinding", resource="clusterrolebindings", names=("crb",),
        flags={"clusterrole": ("view",), "serviceaccount": ("dev:robot",)})),
    case("kubectl create job j --from=cronjob/c", K("create", subverb="job", resource="jobs", names=("j",),
                                                    flags={"from": ("cronjob/c",)})),
    case("kubectl create ingress web --rule=a.com/=web:80", K(
        "create", subverb="ingress", resource="ingresses", names=("web",), flags={"rule": ("a.com/=web:80",)})),
    case("kubectl create quota q --hard=pods=2", K("create", subverb="quota", resource="resourcequotas",
                                                   names=("q",), flags={"hard": ("pods=2",)})),
    case("kubectl create priorityclass high --value=1000", K(
        "create", subverb="priorityclass", resource="priorityclasses", names=("high",), flags={"value": ("1000",)})),
    case("kubectl create token robot", K("create", subverb="token", resource="serviceaccounts", names=("robot",))),
    case("kubectl rollout status deploy/web", K("rollout", subverb="status", resource="deployments",
                                                names=("web",))),
    case("kubectl rollout history deployment web", K("rollout", subverb="history", resource="deployments",
                                                     names=("web",))),
    case("kubectl set image deploy/web nginx=nginx:1.25", K(
        "set", subverb="image", resource="deployments", names=("web",), assignments=("nginx=nginx:1.25",))),
    case("kubectl set image deployment web nginx=nginx:1.25 --record", K(
        "set", subverb="image", resource="deployments", names=("web",), assignments=("nginx=nginx:1.25",),
        flags={"record": T})),
    case("kubectl set sa deploy/web robot", K("set", subverb="serviceaccount", resource="deployments",
                                              names=("web", "robot"))),
    case("kubectl label pod web tier=frontend env-", K("label", resource="pods", names=("web",),
                                                       assignments=("tier=frontend", "env-"))),
    case("kubectl label pods --all app.kubernetes.io/name=web", K(
        "label", resource="pods", assignments=("app.kubernetes.io/name=web",), flags={"all": T})),
    case("kubectl annotate deploy web note='a b'", K("annotate", resource="deployments", names=("web",),
                                                     assignments=("note=a b",))),
    case("kubectl taint nodes node01 key=v:NoSchedule", K("taint", resource="nodes", names=("node01",),
                                                          assignments=("key=v:NoSchedule",))),
    case("kubectl taint node node01 key:NoSchedule-", K("taint", resource="nodes", names=("node01",),
                                                        assignments=("key:NoSchedule-",))),
    case("kubectl cordon node01", K("cordon", resource="nodes", names=("node01",))),
    case("kubectl uncordon node01", K("uncordon", resource="nodes", names=("node01",))),
    case("kubectl top pod", K("top", resource="pods")),
    case("kubectl top node", K("top", resource="nodes")),
    case("kubectl top pods web", K("top", resource="pods", names=("web",))),
    case("kubectl config use-context prod", K("config", subverb="use-context", names=("prod",))),
    case("kubectl config set-context --current --namespace=dev", K(
        "config", subverb="set-context", flags={"current": T, "namespace": ("dev",)})),
    case("kubectl explain pod.spec.containers", K("explain", resource="pods", names=("pod.spec.containers",))),
    case("kubectl explain deploy --recursive", K("explain", resource="deployments", names=("deploy",),
                                                 flags={"recursive": T})),
    case("kubectl certificate approve jane", K("certificate", subverb="approve",
                                               resource="certificatesigningrequests", names=("jane",))),
    case("kubectl wait --for=condition=Ready pod/web", K("wait", resource="pods", names=("web",),
                                                         flags={"for": ("condition=Ready",)})),
    case("kubectl api-resources --namespaced=false", K("api-resources", flags={"namespaced": ("false",)})),
    case("kubectl version --client", K("version", flags={"client": T})),
    case("kubectl cluster-info", K("cluster-info")),
    case("kubectl cluster-info dump", K("cluster-info", subverb="dump")),
    case("kubectl replace --force -f pod.yaml", K("replace", flags={"force": T, "filename": ("pod.yaml",)})),
]

# The shell around the command: program names, prompts, quotes, redirects, pipelines.
SHELL = [
    case("k get po", K("get", resource="pods")),
    case("/usr/local/bin/kubectl get po", K("get", resource="pods")),
    case("$ kubectl get po", K("get", resource="pods")),
    case("controlplane $ k get po", K("get", resource="pods")),
    case("student@node-1:~$ k get po", K("get", resource="pods")),
    case("root@cp:~# k get po", K("get", resource="pods")),
    case("  kubectl\tget   po  ", K("get", resource="pods"), id="blanks-and-tabs"),
    case("kubectl get pods > pods.txt", K("get", resource="pods", redirect="pods.txt")),
    case("kubectl get pods >pods.txt", K("get", resource="pods", redirect="pods.txt")),
    case("kubectl get pods >> pods.txt", K("get", resource="pods", redirect="pods.txt")),
    case("kubectl get pods 2>&1 > out", K("get", resource="pods", redirect="out")),
    case("kubectl get pods > out 2>&1", K("get", resource="pods", redirect="out")),
    case("kubectl get pods &> out", K("get", resource="pods", redirect="out")),
    case("kubectl get pods 2>/dev/null", K("get", resource="pods"), id="stderr-redirect-is-not-recorded"),
    case("kubectl get pods -o yaml > 'my pods.yaml'", K("get", resource="pods", redirect="my pods.yaml",
                                                        flags={"output": ("yaml",)})),
    case("kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata: {name: it's}\nEOF", K(
        "apply", flags={"filename": ("-",)}), id="heredoc-body-ignored"),
    case("kubectl get pods | wc -l", K("get", resource="pods", pipeline=("wc -l",))),
    case("kubectl get pods -A | grep -i error | wc -l", K(
        "get", resource="pods", flags={"all-namespaces": T}, pipeline=("grep -i error", "wc -l"))),
    case("kubectl get pods|grep 'a|b'", K("get", resource="pods", pipeline=("grep 'a|b'",))),
    case("kubectl get pods && echo ok", K("get", resource="pods", pipeline=("&& echo ok",))),
    case("kubectl get pods; kubectl get svc", K("get", resource="pods", pipeline=("; kubectl get svc",))),
    case("kubectl get pods | grep x && kubectl get svc | wc -l", K(
        "get", resource="pods", pipeline=("grep x", "&& kubectl get svc", "| wc -l"))),
    case("kubectl port-forward svc/web 8080:80 &", K("port-forward", resource="services", names=("web",),
                                                     assignments=("8080:80",))),
    case("kubectl get pods -l 'app in (web, api)'", K("get", resource="pods",
                                                      flags={"selector": ("app in (web, api)",)})),
    case('kubectl create cm c --from-literal="msg=hello world"', K(
        "create", subverb="configmap", resource="configmaps", names=("c",),
        flags={"from-literal": ("msg=hello world",)})),
    case(r"kubectl get pods a\ b", K("get", resource="pods", names=("a b",))),
    case("kubectl get pods 'a#b' c#d # comment", K("get", resource="pods", names=("a#b", "c#d"))),
    case("kubectl exec web -- sh -c 'echo $HOME > /tmp/x'", K(
        "exec", resource="pods", names=("web",), command=("sh", "-c", "echo $HOME > /tmp/x"))),
    case("kubectl get \\\n  pods", K("get", resource="pods"), id="line-continuation"),
]


@pytest.mark.parametrize(("line", "expected"), NOTES + FLAG_FORMS + POSITIONALS + SHELL)
def test_parse(line: str, expected: KubectlCommand):
    parsed = parse_kubectl(line)
    assert parsed == expected
    assert dict(parsed.flags) == dict(expected.flags)  # the same, said plainly when it fails
    assert parsed.raw == line


EQUIVALENT = {
    "get-all-namespaces": ["kubectl get pods -A", "k get po --all-namespaces", "kubectl get --all-namespaces pod",
                           "kubectl get pods --all-namespaces=true", "k get --all-namespaces=True po"],
    "logs-container": ["kubectl logs multipod -c nginx-container", "k logs pod/multipod --container=nginx-container",
                       "k logs --container nginx-container multipod", "kubectl logs multipod nginx-container",
                       "kubectl logs -cnginx-container multipod"],
    "exec-shell": ["kubectl exec -it multipod -c nginx-container -- /bin/bash",
                   "k exec multipod --container=nginx-container -i -t -- /bin/bash",
                   "kubectl exec multipod -c nginx-container -it -- /bin/bash",
                   "kubectl exec --stdin --tty multipod --container nginx-container -- /bin/bash",
                   "kubectl exec -ti pod/multipod -c=nginx-container -- /bin/bash"],
    "run-dry-run": ["kubectl run redis --image=redis123 --dry-run -o yaml > redis.yaml",
                    "k run redis --image redis123 --dry-run=client -oyaml >redis.yaml",
                    "kubectl run --dry-run=client --output=yaml redis --image=redis123 > redis.yaml"],
    "namespace": ["kubectl get pods -n kube-system", "kubectl get pods -nkube-system",
                  "kubectl -n kube-system get pods", "kubectl get pods --namespace=kube-system",
                  "kubectl get po --namespace kube-system", "$ kubectl get pods -n=kube-system"],
    "create-deployment": ["kubectl create deployment web --image=nginx --replicas=3",
                          "k create deploy web --image nginx -r 3", "kubectl create deploy web -r3 --image=nginx"],
    "rollout-status": ["kubectl rollout status deploy/web", "kubectl rollout status deployment web",
                       "k rollout status deployments/web"],
    "scale": ["kubectl scale deploy web --replicas=3", "kubectl scale --replicas 3 deployment/web"],
    "describe-node": ["kubectl describe node node01", "kubectl describe no/node01", "k describe nodes node01"],
}


@pytest.mark.parametrize(("first", "other"), [
    pytest.param(lines[0], other, id=f"{name}-{i}") for name, lines in EQUIVALENT.items()
    for i, other in enumerate(lines[1:], start=1)
])
def test_equivalent_forms_parse_equal(first: str, other: str):
    a, b = parse_kubectl(first), parse_kubectl(other)
    assert (a.verb, a.resource, a.names, dict(a.flags)) == (b.verb, b.resource, b.names, dict(b.flags))
    assert a == b


@pytest.mark.parametrize(("first", "other"), [
    pytest.param("kubectl exec -c nginx-container web -- sh", "kubectl exec -it web -- sh", id="c-vs-it"),
    pytest.param("kubectl logs web -p", "kubectl logs web", id="previous"),
    pytest.param("kubectl get pods -l app=web", "kubectl run pods -l app=web", id="l-selector-vs-labels"),
    pytest.param("kubectl get pods -n a", "kubectl get pods -n b", id="namespace"),
    pytest.param("kubectl get pods -A", "kubectl get pods -A=false", id="all-namespaces-false"),
    pytest.param("kubectl run w --image=nginx --dry-run=client", "kubectl run w --image=nginx --dry-run=server",
                 id="dry-run-strategy"),
    pytest.param("kubectl create secret generic s", "kubectl create secret tls s", id="secret-variant"),
    pytest.param("kubectl get pods > a", "kubectl get pods > b", id="redirect"),
    pytest.param("kubectl get pods | wc -l", "kubectl get pods", id="pipeline"),
    pytest.param("kubectl label pod web a=b", "kubectl label pod web a-", id="assignments"),
])
def test_different_commands_parse_different(first: str, other: str):
    assert parse_kubectl(first) != parse_kubectl(other)


@pytest.mark.parametrize(("line", "message", "column"), [
    pytest.param("", "empty", None, id="empty"),
    pytest.param("   ", "empty", None, id="blank"),
    pytest.param("# just a comment", "empty", None, id="comment-only"),
    pytest.param("$ ", "empty", None, id="prompt-only"),
    pytest.param("| grep x", "empty", 1, id="starts-with-pipe"),
    pytest.param("docker ps", "not a kubectl command: docker", 1, id="docker"),
    pytest.param("$ kubectx prod", "not a kubectl command: kubectx", 3, id="other-program-after-prompt"),
    pytest.param("kubectl get 'pods", "unbalanced ' quote", 13, id="unbalanced-single-quote"),
    pytest.param('kubectl run x --image="nginx', 'unbalanced " quote', 23, id="unbalanced-double-quote"),
    pytest.param('kubectl get "a\\"', 'unbalanced " quote', 13, id="escaped-closing-quote"),
    pytest.param("kubectl get pods \\", "nothing after backslash", 18, id="trailing-backslash"),
    pytest.param("kubectl", "no kubectl verb", None, id="no-verb"),
    pytest.param("kubectl -n dev", "no kubectl verb", None, id="only-flags"),
    pytest.param("kubectl get pods -n", "flag needs an argument: -n", 18, id="short-flag-without-value"),
    pytest.param("kubectl get pods --namespace", "flag needs an argument: --namespace", 18, id="long-no-value"),
    pytest.param("kubectl get pods --=x", "bad flag syntax", 18, id="empty-flag-name"),
    pytest.param("kubectl get pods ---x", "bad flag syntax", 18, id="three-dashes"),
    pytest.param("kubectl get pods >", "redirect > needs a target", 18, id="redirect-without-target"),
    pytest.param("kubectl get pods |", "nothing after |", 18, id="trailing-pipe"),
    pytest.param("kubectl get pods && ", "nothing after &&", 18, id="trailing-and"),
])
def test_parse_errors(line: str, message: str, column: int | None):
    with pytest.raises(CommandParseError, match=None) as caught:
        parse_kubectl(line)
    assert message in caught.value.message
    assert caught.value.column == column
    assert isinstance(caught.value, ValueError)


def test_record_accessors():
    command = parse_kubectl("kubectl get pods -n a --namespace b -A -o wide")
    assert command.flag("namespace") == "b"
    assert command.flag("--namespace") == "b"
    assert command.flags["namespace"] == ("a", "b")
    assert command.flag("selector") is None
    assert command.has_flag("output") and not command.has_flag("watch")
    assert command.namespace == "b"
    assert command.all_namespaces
    assert not parse_kubectl("kubectl get pods -A=false").all_namespaces
    assert parse_kubectl("kubectl get pods").namespace is None


def test_record_is_immutable_hashable_and_ignores_raw_in_equality():
    command = parse_kubectl("k get po")
    with pytest.raises(TypeError):
        command.flags["watch"] = ("true",)  # type: ignore[index]
    assert hash(command) == hash(parse_kubectl("kubectl get pods"))
    assert command == K("get", resource="pods", raw="something else")
    assert K("get", flags={"watch": ["true"]}).flags["watch"] == ("true",)


# Characters a shell treats as plain, quoting or blank; no operators, no `#`, no newline.
SHELL_WORD_TEXT = st.text(alphabet=st.sampled_from(list("ab-=/.:é가 \t'\"\\")), max_size=30)


@given(SHELL_WORD_TEXT)
def test_words_are_split_and_unquoted_as_shlex_does(text: str):
    try:
        expected = tuple(shlex.split(text))
    except ValueError:
        with pytest.raises(CommandParseError):
            parse_kubectl("kubectl exec web -- " + text)
        return
    assert parse_kubectl("kubectl exec web -- " + text).command == expected


@given(st.lists(st.text(max_size=12).filter(lambda s: not s.startswith("-")), max_size=4))
def test_names_survive_shell_quoting(names: list[str]):
    line = shlex.join(["kubectl", "describe", "pods", *names])
    assert parse_kubectl(line).names == tuple(names)


VOCABULARY = ["kubectl", "k", "$", "get", "run", "create", "logs", "exec", "set", "label", "rollout", "config",
              "secret", "generic", "deploy", "pod/a", "a", "b=c", "x-", "-n", "-it", "-c", "-o", "-owide", "--",
              "--image", "--dry-run", "--all-namespaces=false", "-A=", "|", "||", "&&", ";", "&", ">", "2>&1",
              ">>", "<<", "'", '"', "\\", "#", "\n", "=", "/", ",", ""]


@given(st.one_of(st.text(), st.text().map(lambda s: "kubectl " + s),
                 st.lists(st.sampled_from(VOCABULARY), max_size=12).map(" ".join),
                 st.lists(st.sampled_from(VOCABULARY), max_size=12).map("".join)))
def test_any_text_parses_or_raises_command_parse_error(line: str):
    try:
        command = parse_kubectl(line)
    except CommandParseError as error:
        assert error.column is None or 1 <= error.column <= len(line) + 1
    else:
        assert isinstance(command, KubectlCommand) and command.raw == line


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("kubectl auth can-i create deployments -n ci", ("create", "deployments")),
        ("kubectl auth can-i create deploy -n ci", ("create", "deployments")),
        ("kubectl auth can-i create deployments.apps -n ci", ("create", "deployments")),
        ("kubectl auth can-i get pods/web", ("get", "pods/web")),
    ],
)
def test_auth_can_i_names_the_resource_canonically(line, names):
    assert parse_kubectl(line).names == names


def test_config_use_is_use_context():
    assert parse_kubectl("kubectl config use prod").subverb == "use-context"


@pytest.mark.parametrize(("line", "env", "args", "names"), [
    ("KUBECONFIG=/tmp/k kubectl get pods a", ("KUBECONFIG=/tmp/k",), ("pods", "a"), ("a",)),
    ("KUBE_EDITOR=nano time kubectl edit pod a", ("KUBE_EDITOR=nano",), ("pod", "a"), ("a",)),
    ("kubectl delete pod -- nginx-pod", (), ("pod", "nginx-pod"), ("nginx-pod",)),
    ("kubectl get -- pods a", (), ("pods", "a"), ("a",)),
])
def test_environment_words_and_positional_words(line, env, args, names):
    command = parse_kubectl(line)
    assert (command.env, command.args, command.names) == (env, args, names)


@pytest.mark.parametrize(("line", "verb", "subverb", "variant"), [
    ("kubectl create deployments web --image=x", "create", None, None),  # not a subcommand: kubectl reads `create`
    ("kubectl create svc nodeport web --tcp=80", "create", "service", "nodeport"),
    ("kubectl -n x get pods", "get", None, None),
    ("kubectl -o yaml get pods", "get", None, None),  # cobra lets -o take `yaml` before the verb
    ("kubectl -A get pods", "get", None, None),  # kubectl refuses it, but the verb is still said
    ("kubectl config use-contxt prod", "config", "use-contxt", None),
    ("kubectl top no", "top", None, None),
])
def test_the_command_path_is_found_as_cobra_finds_it(line, verb, subverb, variant):
    command = parse_kubectl(line)
    assert (command.verb, command.subverb, command.variant) == (verb, subverb, variant)


@pytest.mark.parametrize(("line", "flag", "value"), [
    ("kubectl logs web -p", "previous", "true"),
    ("kubectl patch deploy web -p '{}'", "patch", "{}"),
    ("kubectl create deploy web --image=x -r 2", "replicas", "2"),
    ("kubectl run web --image=x -l a=b", "labels", "a=b"),
    ("kubectl get pods -l a=b", "selector", "a=b"),
    ("kubectl get pods -A=f", "all-namespaces", "false"),
    ("kubectl delete pod a --cascade=false", "cascade", "orphan"),
    ("kubectl run a --image=x --dry-run=True", "dry-run", "client"),
    ("kubectl run a --image=x --dry-run", "dry-run", "client"),
    ("kubectl cordon n --help", "help", "true"),
])
def test_flags_are_read_with_each_commands_own_table(line, flag, value):
    assert parse_kubectl(line).flag(flag) == value


@pytest.mark.parametrize(("line", "problem"), [
    ("kubectl get pods --foo", "unknown flag: --foo"),
    ("kubectl get pods -Z", "unknown shorthand flag: 'Z' in -Z"),
    ("kubectl logs web -c", None),
])
def test_what_kubectl_refuses_is_recorded_not_raised(line, problem):
    if problem is None:
        with pytest.raises(CommandParseError, match="flag needs an argument"):
            parse_kubectl(line)
    else:
        assert parse_kubectl(line).problems == (problem,)
