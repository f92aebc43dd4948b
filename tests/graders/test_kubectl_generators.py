"""kubectl run / create TYPE as the objects kubectl makes, and manifest exercises answered with those commands."""

from __future__ import annotations

import pytest

from exercises.model import Exercise
from graders.command_answer import is_command_answer, objects_of
from graders.grade import grade
from graders.kubectl import parse_kubectl
from graders.kubectl_effect import start_state
from graders.kubectl_effect_verbs import Failed
from graders.kubectl_generators import generated

# (line, the generated object's fields that must be as kubectl makes them)
MADE = [
    ("kubectl run web --image=nginx:1.25", {"kind": "Pod", "metadata.labels": {"run": "web"}, "spec.containers.0.name": "web",
                                            "spec.restartPolicy": "Always", "metadata.namespace": "default"}),
    ("kubectl run web --image=nginx --labels=app=web,tier=fe -n prod --port 80",
     {"metadata.labels": {"app": "web", "tier": "fe"}, "metadata.namespace": "prod", "spec.containers.0.ports": [{"containerPort": 80}]}),
    ("kubectl run box --image=busybox --restart=Never -- sleep 3600", {"spec.containers.0.args": ["sleep", "3600"], "spec.restartPolicy": "Never"}),
    ("kubectl run box --image=busybox --command -- sleep 3600", {"spec.containers.0.command": ["sleep", "3600"]}),
    ("kubectl run web web --image=nginx", {"spec.containers.0.args": ["web"]}),  # an extra word is the container's args
    ("kubectl run web --image=nginx --env=A=1 --env=B=2", {"spec.containers.0.env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]}),
    ("kubectl create deployment web --image=docker.io/library/nginx:1.25 --replicas=3 --port=80",
     {"kind": "Deployment", "metadata.labels": {"app": "web"}, "spec.replicas": 3, "spec.selector": {"matchLabels": {"app": "web"}},
      "spec.template.metadata.labels": {"app": "web"}, "spec.template.spec.containers.0.name": "nginx",
      "spec.template.spec.containers.0.ports": [{"containerPort": 80}]}),
    ("kubectl create deploy two --image=nginx --image=nginx:1.2", {"spec.replicas": 1, "spec.template.spec.containers.1.name": "nginx-1"}),
    ("kubectl create job once --image=busybox -- date", {"kind": "Job", "spec.template.spec.restartPolicy": "Never",
                                                         "spec.template.spec.containers.0": {"name": "once", "image": "busybox", "command": ["date"]}}),
    ("kubectl create cronjob tick --image=busybox --schedule='*/5 * * * *' -- date",
     {"spec.schedule": "*/5 * * * *", "spec.jobTemplate.spec.template.spec.restartPolicy": "OnFailure",
      "spec.jobTemplate.spec.template.spec.containers.0.name": "tick"}),
    ("kubectl create service nodeport web --tcp=80:8080 --node-port=30080",
     {"spec.type": "NodePort", "spec.selector": {"app": "web"}, "spec.ports.0": {"name": "80-8080", "port": 80, "protocol": "TCP", "targetPort": 8080, "nodePort": 30080}}),
    ("kubectl create configmap cfg --from-literal=a=1 --from-literal=b=2", {"data": {"a": "1", "b": "2"}}),
    ("kubectl create secret generic s --from-literal=password=hunter2", {"data": {"password": "aHVudGVyMg=="}}),
    ("kubectl create role r --verb=get,list --verb=watch --resource=pods,deployments,pods/log,deployments.apps/scale",
     {"rules": [{"apiGroups": [""], "resources": ["pods", "pods/log"], "verbs": ["get", "list", "watch"]},
                {"apiGroups": ["apps"], "resources": ["deployments", "deployments/scale"], "verbs": ["get", "list", "watch"]}]}),
    ("kubectl create role r --verb=get --resource=po --resource-name=a",
     {"rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"], "resourceNames": ["a"]}]}),
    ("kubectl create clusterrole c --verb=get --non-resource-url=/healthz", {"rules": [{"nonResourceURLs": ["/healthz"], "verbs": ["get"]}], "metadata": {"name": "c"}}),
    ("kubectl create rolebinding rb --role=r --user=jane --group=devs --serviceaccount=prod:robot -n prod",
     {"roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"},
      "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "jane"},
                   {"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "devs"},
                   {"kind": "ServiceAccount", "name": "robot", "namespace": "prod"}]}),
    ("kubectl create clusterrolebinding crb --clusterrole=view --user=jane", {"roleRef.kind": "ClusterRole", "metadata": {"name": "crb"}}),
    ("kubectl create ingress web --class=nginx --rule=foo.com/api*=api:8080 --rule=foo.com/=web:http,tls=cert",
     {"spec.ingressClassName": "nginx", "spec.rules": [{"host": "foo.com", "http": {"paths": [
         {"path": "/api", "pathType": "Prefix", "backend": {"service": {"name": "api", "port": {"number": 8080}}}},
         {"path": "/", "pathType": "Exact", "backend": {"service": {"name": "web", "port": {"name": "http"}}}}]}}],
      "spec.tls": [{"hosts": ["foo.com"], "secretName": "cert"}]}),
    ("kubectl create sa robot -n prod", {"kind": "ServiceAccount", "metadata": {"name": "robot", "namespace": "prod"}}),
    ("kubectl create ns team", {"kind": "Namespace", "metadata": {"name": "team"}}),
    ("kubectl create quota q --hard=pods=2,requests.cpu=1 --scopes=BestEffort", {"spec": {"hard": {"pods": "2", "requests.cpu": "1"}, "scopes": ["BestEffort"]}}),
    ("kubectl create priorityclass high --value=1000 --description=important",
     {"value": 1000, "globalDefault": False, "preemptionPolicy": "PreemptLowerPriority", "description": "important"}),
    ("kubectl create pdb p --selector=app=web,tier!=db --min-available=50%",
     {"apiVersion": "policy/v1", "spec": {"selector": {"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["db"]}]},
                                          "minAvailable": "50%"}}),
    ("kubectl create pdb p --selector=app=web --max-unavailable=1", {"spec.maxUnavailable": 1}),
]

REFUSED = [
    "kubectl run web",  # no --image
    "kubectl create deployment web",
    "kubectl create role r --verb=get --resource=pods,gadgets",
    "kubectl create role r --verb=fly --resource=pods",
    "kubectl create rolebinding rb --role=a --clusterrole=b --user=u",
    "kubectl create rolebinding rb --role=a --serviceaccount=robot",
    "kubectl create pdb p --selector=app=web",
    "kubectl create configmap c --from-file=app.conf",
    "kubectl create ingress web --rule=nopath=svc:80",
    "kubectl run web --image=nginx --restart=Sometimes",
]


def _at(obj, path):
    for part in path.split("."):
        obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    return obj


@pytest.mark.parametrize(("line", "fields"), MADE, ids=[m[0] for m in MADE])
def test_generated_objects_have_kubectls_defaults(line, fields):
    made = generated(parse_kubectl(line), start_state([]))
    obj = made[-1]
    for path, want in fields.items():
        have = _at(obj, path)
        if isinstance(want, dict) and isinstance(have, dict) and path in ("metadata", "spec"):
            assert {k: have.get(k) for k in want} == want, (path, have)
        else:
            assert have == want, (path, have)


@pytest.mark.parametrize("line", REFUSED)
def test_what_kubectl_refuses_makes_nothing(line):
    with pytest.raises(Failed):
        generated(parse_kubectl(line), start_state([]))


def test_run_expose_makes_a_service_selecting_the_pod():
    service, pod = generated(parse_kubectl("kubectl run web --image=nginx --port=80 --expose"), start_state([]))
    assert service["kind"] == "Service" and service["spec"]["selector"] == pod["metadata"]["labels"] == {"run": "web"}
    assert service["spec"]["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 80}]


def test_job_from_a_cronjob_copies_its_template():
    cron = generated(parse_kubectl("kubectl create cronjob tick --image=busybox --schedule='@hourly' -- date"), start_state([]))[0]
    job = generated(parse_kubectl("kubectl create job now --from=cronjob/tick"), start_state([cron]))[0]
    assert job["spec"] == cron["spec"]["jobTemplate"]["spec"]
    assert job["metadata"]["annotations"] == {"cronjob.kubernetes.io/instantiate": "manual"}


def test_command_answers_are_told_from_yaml():
    assert is_command_answer("# make it\nkubectl run x --image=nginx\n")
    assert is_command_answer("k create deploy web --image=nginx")
    assert not is_command_answer("apiVersion: v1\nkind: Pod\n")
    assert not is_command_answer("kubectl: yes\n")


def test_lines_run_in_order_and_a_second_create_of_the_same_object_fails():
    objects, errors = objects_of("kubectl create ns shop\nkubectl create deploy web --image=nginx -n shop\nkubectl create deploy web --image=nginx -n shop")
    assert [o["kind"] for o in objects] == ["Namespace", "Deployment"]
    assert len(errors) == 1 and "already exists" in errors[0].message and errors[0].line == 3


def _pod_exercise(**extra) -> Exercise:
    return Exercise.model_validate({
        "id": "gen-pod", "kind": "manifest", "title": {"en": "t", "ko": "t"}, "task": {"en": "t", "ko": "t"},
        "domain": "workloads-scheduling", "difficulty": "quick", "solution": "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: web, image: 'nginx:1.25'}]\n",
        "target": {"kind": "Pod", "name": "web"},
        "checks": [{"id": "exists", "type": "object_exists"}, {"id": "image", "type": "image", "image": "nginx:1.25"},
                   {"id": "label", "type": "field", "path": ".metadata.labels.tier", "expect": {"equals": "fe"}}], **extra})


@pytest.mark.parametrize(("answer", "passes"), [
    ("kubectl run web --image=nginx:1.25 --labels=tier=fe", True),
    ("kubectl run web --image=docker.io/library/nginx:1.25 -l tier=fe --dry-run=client -o yaml > pod.yaml", True),
    ("kubectl run web --image=nginx:1.25 --labels=tier=fe --restart=Never", True),
    ("kubectl run web --image=nginx:1.25", False),  # the default label is run=web, not tier=fe
    ("kubectl run web --image=nginx --labels=tier=fe", False),  # nginx:latest
    ("kubectl run web --image=nginx:1.25 --labels=tier=fe | sh", False),
    ("kubectl run web --image=nginx:1.25 --labels=tier=fe; kubectl delete ns kube-system", False),
    ("kubectl run web --image=nginx:1.25 --labels=tier=fe --bogus", False),
])
def test_a_command_answer_is_graded_by_the_objects_it_makes(answer, passes):
    report = grade(_pod_exercise(), answer)
    assert report.passed is passes, report.to_json()
