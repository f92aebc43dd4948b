"""The bundled pack cka-core: it loads cleanly, covers the five CKA domains, and grades meaning rather than shape."""

from __future__ import annotations

import re

import pytest

from exercises.lint import lint_exercise
from exercises.loader import BUNDLED_PACKS, load_exercise, load_pack
from exercises.model import DOMAINS, LANGUAGES, Exercise
from graders.grade import grade

PACK_DIR = BUNDLED_PACKS / "cka-core"
PACK, PACK_PROBLEMS = load_pack(PACK_DIR)
LOADED = {path.stem: load_exercise(path) for path in sorted(PACK_DIR.glob("*.yaml")) if path.name != "pack.yaml"}
EXERCISES: list[Exercise] = [ex for ex, _ in LOADED.values() if ex is not None]
AREA_PREFIXES = ("deploy-", "sched-", "workload-", "config-", "svc-", "net-", "storage-", "rbac-", "cluster-", "trouble-")


def _why_not(report) -> str:
    reasons = [e.message for e in report.errors] + [f"{r.check_id}: {r.message}" for r in report.results if not r.passed]
    return "; ".join(reasons)


def _by_id(exercise_id: str) -> Exercise:
    exercise, problems = LOADED[exercise_id]
    assert exercise is not None, [str(p) for p in problems]
    return exercise


def test_pack_loads_without_problems():
    assert PACK is not None, [str(p) for p in PACK_PROBLEMS]
    assert PACK_PROBLEMS == []
    assert PACK.meta.id == "cka-core"
    assert set(PACK.meta.languages) == set(LANGUAGES)
    broken = {stem: [str(p) for p in problems] for stem, (_, problems) in LOADED.items() if problems}
    assert broken == {}
    assert len(EXERCISES) >= 100


CURRICULUM_WEIGHTS = {"troubleshooting": 30, "cluster-architecture": 25, "services-networking": 20, "workloads-scheduling": 15, "storage": 10}
"""The CKA curriculum's domain weights (per cent), v1.35."""


def test_pack_covers_the_five_domains_at_the_curriculums_weights():
    assert set(CURRICULUM_WEIGHTS) == set(DOMAINS)
    shares = {domain: 100 * sum(1 for ex in EXERCISES if ex.domain == domain) / len(EXERCISES) for domain in DOMAINS}
    off = {domain: round(share, 1) for domain, share in shares.items() if abs(share - CURRICULUM_WEIGHTS[domain]) > 3}
    assert off == {}, f"domains more than 3 points from the curriculum's weight: {off}"


def test_most_of_the_pack_is_hands_on_on_a_cluster():
    live = sum(1 for ex in EXERCISES if ex.live is not None)
    assert live >= 0.6 * len(EXERCISES), f"{live} of {len(EXERCISES)} exercises are live"


def test_every_difficulty_is_in_every_big_domain():
    for domain, weight in CURRICULUM_WEIGHTS.items():
        levels = {ex.difficulty for ex in EXERCISES if ex.domain == domain}
        assert weight < 15 or levels == {"quick", "core", "deep"}, (domain, levels)


def test_pack_has_every_kind_of_exercise():
    assert {ex.kind for ex in EXERCISES} == {"manifest", "command", "quiz"}


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.id)
def test_lint_finds_nothing(exercise: Exercise):
    problems = lint_exercise(exercise, PACK_DIR / f"{exercise.id}.yaml", PACK)
    assert [str(p) for p in problems if p.severity == "error"] == []


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: ex.id)
def test_exercise_is_complete(exercise: Exercise):
    assert exercise.id.startswith(AREA_PREFIXES), f"{exercise.id}: prefix the id with its area"
    texts = [exercise.title, exercise.task, *exercise.hints]
    assert exercise.explanation is not None
    texts.append(exercise.explanation)
    for text in texts:
        for lang in LANGUAGES:
            assert (text.get(lang) or "").strip(), f"missing {lang}: {text}"
    # Korean text is actually Korean, not a copy of the English.
    assert re.search(r"[\uac00-\ud7a3]", exercise.task["ko"])
    assert 2 <= len(exercise.hints) <= 3
    # The exam's browser reaches the Kubernetes docs, and Helm's since Helm is in the curriculum.
    assert exercise.docs and all(url.startswith(("https://kubernetes.io/docs/", "https://helm.sh/docs/")) for url in exercise.docs)
    assert len(exercise.counterexamples) >= 2
    assert all(c.answer.strip() != exercise.solution.strip() for c in exercise.counterexamples)
    for check in exercise.all_checks():
        assert check.description is not None, check.id


ALSO_RIGHT: dict[str, list[str]] = {
    # Answers that differ from the reference in form only: each must pass.
    "deploy-create": [
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {creationTimestamp: null, labels: {app: web}, name: web}\n"
        "spec:\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n  strategy: {}\n"
        "  template:\n    metadata: {creationTimestamp: null, labels: {app: web}}\n"
        "    spec:\n      containers:\n      - {image: 'nginx:1.25', name: nginx, resources: {}}\nstatus: {}\n",
    ],
    "deploy-scale": ["kubectl scale deploy/web --replicas 5 -n shop", "k -n shop scale deployment.apps/web --replicas=5"],
    "deploy-set-image": ["kubectl -n shop set image deploy web nginx=nginx:1.26"],
    "deploy-rollout-undo": ["kubectl -n shop rollout undo deploy web --to-revision 2"],
    "workload-resourcequota": [
        "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: team-a-quota, namespace: team-a}\n"
        "spec:\n  hard: {pods: '10', requests.cpu: 2000m, requests.memory: '4294967296'}\n",
    ],
    "workload-cronjob": [
        "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: report}\nspec:\n  schedule: '0,30 * * * *'\n"
        "  successfulJobsHistoryLimit: 2\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"
        "          restartPolicy: OnFailure\n          containers:\n          - {name: report, image: 'busybox:1.36', command: [date]}\n",
    ],
    "sched-toleration": [
        "apiVersion: v1\nkind: Pod\nmetadata: {name: trainer}\nspec:\n  tolerations: [{key: dedicated, value: gpu}]\n"
        "  containers:\n  - {name: trainer, image: 'busybox:1.36', command: [sh, -c, sleep 3600]}\n",
    ],
    "svc-clusterip": [
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {tier: frontend}\n"
        "  ports:\n  - {name: http, port: 80, targetPort: http, protocol: TCP}\n",
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web, tier: frontend}\n"
        "  ports:\n  - {port: 80, targetPort: 8080}\n",
    ],
    "svc-expose": ["kubectl expose deploy api --port 80 --target-port 8080 --name api-svc -n shop"],
    "net-default-deny": [
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny-ingress, namespace: prod}\n"
        "spec:\n  podSelector: {matchLabels: {}}\n  policyTypes: [Ingress]\n  ingress: []\n",
    ],
    "net-policy-allow": [
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db-allow-api, namespace: prod}\n"
        "spec:\n  podSelector: {matchLabels: {app: db}}\n"
        "  ingress:\n  - from: [{podSelector: {matchLabels: {role: api}}}]\n    ports: [{port: 5432}]\n",
    ],
    "net-dns-name": ["DB.prod.svc.cluster.local.", "`db.prod.svc.cluster.local`"],
    "storage-pvc-bind": [
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data-pvc, namespace: shop}\n"
        "spec:\n  storageClassName: manual\n  volumeName: data-pv\n  accessModes: [ReadWriteOnce]\n"
        "  resources: {requests: {storage: 500Mi}}\n",
    ],
    "cluster-etcd-snapshot": [
        "etcdctl snapshot save /opt/backup/etcd.db --cacert=/etc/kubernetes/pki/etcd/ca.crt "
        "--cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key",
        "sudo ETCDCTL_API=3 etcdctl --endpoints 127.0.0.1:2379 --cacert /etc/kubernetes/pki/etcd/ca.crt "
        "--cert /etc/kubernetes/pki/etcd/server.crt --key /etc/kubernetes/pki/etcd/server.key snapshot save /opt/backup/etcd.db",
    ],
    "cluster-drain": ["kubectl drain node01 --ignore-daemonsets=true --timeout=5m", "kubectl drain --ignore-daemonsets node/node01"],
    "cluster-cordon": ["kubectl cordon node/node02"],
    "trouble-svc-selector": [
        "apiVersion: v1\nkind: Service\nmetadata: {name: shop-api}\nspec:\n  selector: {app: shop-api, tier: backend}\n"
        "  ports:\n  - {port: 80, targetPort: http}\n",
    ],
    "trouble-crashloop-logs": ["kubectl logs payment app -p -n shop", "kubectl -n shop logs pod/payment --container=app --previous=true"],
    "trouble-events-sorted": [
        "kubectl get ev -n shop --sort-by='{.metadata.creationTimestamp}'",
        "kubectl -n shop get events --sort-by=.metadata.creationTimestamp -o wide",
    ],
    "trouble-pending-quiz": ["f, c, b, a", "a b c f"],
}
ALSO_RIGHT["rbac-auth-can-i"] = [
    "kubectl auth can-i create deployment --as=system:serviceaccount:ci:builder -n ci",
    "kubectl auth can-i create deploy --as=system:serviceaccount:ci:builder -n ci",
    "kubectl auth can-i create deployments.apps -n ci --as system:serviceaccount:ci:builder",
]
ALSO_RIGHT["cluster-use-context"] = ["kubectl config use prod-admin"]
ALSO_RIGHT_CASES = [(exercise_id, answer) for exercise_id, answers in ALSO_RIGHT.items() for answer in answers]


@pytest.mark.parametrize(("exercise_id", "answer"), ALSO_RIGHT_CASES, ids=[f"{i}#{n}" for n, (i, _) in enumerate(ALSO_RIGHT_CASES)])
def test_equivalent_answers_pass(exercise_id: str, answer: str):
    report = grade(_by_id(exercise_id), answer)
    assert report.passed, _why_not(report)
