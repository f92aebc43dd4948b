"""The bundled packs: they load cleanly, speak both languages, and every solution passes while every counterexample fails."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from exercises.loader import load_catalog
from exercises.model import LANGUAGES, Exercise
from graders.grade import grade

CATALOG = load_catalog(bundled=True, user=False)
EXERCISES: list[Exercise] = CATALOG.exercises()
OFFLINE = [ex for ex in EXERCISES if ex.offline]
LIVE_ONLY = [ex for ex in EXERCISES if ex.live_only]
COUNTEREXAMPLES = [(ex, i) for ex in OFFLINE for i in range(len(ex.counterexamples))]


def _pack_id(ex: Exercise) -> str:
    pack = CATALOG.pack_of(ex.id)
    return pack.meta.id if pack else "?"


def _why_not(report) -> str:
    reasons = [e.message for e in report.errors] + [f"{r.check_id}: {r.message}" for r in report.results if not r.passed]
    return "; ".join(reasons)


POD_IDS = {
    # manifests
    "pod-nginx-run", "pod-webserver-yaml", "pod-multicontainer", "pod-redis-fix-image", "pod-liveness-exec",
    "pod-liveness-httpget", "pod-liveness-tcpsocket", "pod-init-containers", "pod-resources", "pod-env",
    "pod-sidecar", "pod-adapter", "pod-ambassador", "static-pod",
    # commands
    "cmd-pods-all-namespaces", "cmd-pods-current-namespace", "cmd-describe-pod", "cmd-logs-container",
    "cmd-exec-container", "cmd-delete-all-pods", "cmd-dry-run-yaml", "cmd-get-pods-wide", "cmd-edit-pod",
    # quizzes
    "quiz-ready-column", "quiz-pause-container", "quiz-static-pod-path", "quiz-resource-units",
    "quiz-probe-mechanisms", "quiz-memory-limit", "quiz-multicontainer-patterns", "quiz-init-order",
}

LIVENESS_EXEC = """\
apiVersion: v1
kind: Pod
metadata:
  name: liveness-exam
spec:
  containers:
  - name: busybox-container
    image: busybox:latest
    args: [/bin/sh, -c, "touch /tmp/healthy; sleep 30; rm -rf /tmp/healthy; sleep 600"]
    livenessProbe:
      exec:
        command: {command}
      initialDelaySeconds: 10
      periodSeconds: 5
      failureThreshold: 2
"""

ALSO_RIGHT: dict[str, list[str]] = {
    # Answers that differ from the reference in form only: each must pass.
    "pod-webserver-yaml": [
        "apiVersion: v1\nkind: Pod\nmetadata: {name: webserver}\nspec:\n  containers:\n"
        "  - {name: nginx-container, image: 'nginx:1.14', imagePullPolicy: Always, ports: [{containerPort: 80}]}\n",
    ],
    "pod-multicontainer": [
        "apiVersion: v1\nkind: Pod\nmetadata: {name: multipod}\nspec:\n  containers:\n"
        "  - {name: centos-container, image: 'centos:7', command: [sh, -c, sleep 10000]}\n"
        "  - {name: nginx-container, image: 'nginx:1.14', ports: [{containerPort: 80, protocol: TCP}]}\n",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: multipod}\nspec:\n  containers:\n"
        "  - {name: nginx-container, image: 'nginx:1.14', ports: [{containerPort: 80}]}\n"
        "  - {name: centos-container, image: 'centos:7', args: [/bin/sleep, '10000']}\n",
    ],
    "pod-redis-fix-image": [
        "apiVersion: v1\nkind: Pod\nmetadata: {name: redis}\nspec:\n  containers:\n  - {name: redis, image: 'redis:latest'}\n",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: redis}\nspec:\n  containers:\n  - {name: redis, image: docker.io/library/redis}\n",
    ],
    "pod-liveness-exec": [
        LIVENESS_EXEC.format(command='[cat, /tmp/healthy]'),
        LIVENESS_EXEC.format(command='[test, -e, /tmp/healthy]'),
        LIVENESS_EXEC.format(command='[sh, -c, "ls /tmp/healthy"]'),
    ],
    "pod-liveness-httpget": [
        "apiVersion: v1\nkind: Pod\nmetadata: {name: nginx-pod-liveness}\nspec:\n  containers:\n"
        "  - name: nginx-container\n    image: nginx:1.14\n    ports: [{containerPort: 80}]\n"
        "    livenessProbe: {httpGet: {port: 80}, periodSeconds: 5}\n",
    ],
    "pod-init-containers": [
        "apiVersion: v1\nkind: Pod\nmetadata: {name: myapp-pod, labels: {app.kubernetes.io/name: MyApp}}\nspec:\n"
        "  initContainers:\n"
        "  - {name: init-myservice, image: 'busybox:1.28', command: [sh, -c], args: ['until nslookup myservice; do sleep 2; done']}\n"
        "  - {name: init-mydb, image: 'busybox:1.28', args: [sh, -c, 'until nslookup mydb.default.svc.cluster.local; do sleep 2; done']}\n"
        "  containers:\n"
        "  - {name: myapp-container, image: 'busybox:1.28', command: [sh, -c, 'echo The app is running! && sleep 3600']}\n",
    ],
    "pod-resources": [
        "apiVersion: v1\nkind: Pod\nmetadata: {name: nginx-pod-resources}\nspec:\n  containers:\n"
        "  - name: nginx-container\n    image: nginx:1.14\n    resources:\n"
        "      limits: {memory: 524288000, cpu: 1000m}\n      requests: {memory: 250Mi, cpu: '0.2'}\n",
    ],
    "pod-env": [
        "apiVersion: v1\nkind: Pod\nmetadata: {name: nginx-pod-env}\nspec:\n  containers:\n"
        "  - name: nginx-container\n    image: nginx:1.14\n"
        "    env: [{name: APP_MODE, value: production}, {name: MYVAR, value: testvalue}]\n",
    ],
    "pod-ambassador": [
        "apiVersion: v1\nkind: Pod\nmetadata: {name: app-with-ambassador}\nspec:\n  containers:\n"
        "  - {name: app, image: 'redis:7.2', command: [sh, -c, 'while true; do redis-cli ping; sleep 5; done']}\n"
        "  - name: ambassador\n    image: alpine/socat:1.8.0.0\n    command: [socat]\n"
        "    args: ['TCP-LISTEN:6379,fork,reuseaddr', 'TCP:redis-service.default.svc.cluster.local:6379']\n"
        "    ports: [{containerPort: 6379, protocol: TCP}]\n",
    ],
    "cmd-pods-all-namespaces": ["k get po -A", "kubectl get pods --all-namespaces=true -o wide"],
    "cmd-pods-current-namespace": ["k get po", "kubectl get pod -o wide"],
    "cmd-describe-pod": ["kubectl describe pods/nginx-pod", "k describe po nginx-pod"],
    "cmd-logs-container": ["kubectl logs multipod --container=nginx-container", "kubectl logs pod/multipod -c nginx-container -f"],
    "cmd-exec-container": [
        "kubectl exec -ti multipod -c nginx-container -- bash",
        "kubectl exec --stdin --tty multipod --container nginx-container -- /bin/bash",
        "k exec multipod -it -c nginx-container -- bash",
    ],
    "cmd-delete-all-pods": ["k delete po --all", "kubectl delete pods --all --force --grace-period=0"],
    "cmd-dry-run-yaml": [
        "kubectl run redis --image=redis123 --dry-run -o yaml > redis.yaml",
        "kubectl run redis --image redis123 -oyaml --dry-run=client >redis.yaml",
    ],
    "cmd-get-pods-wide": ["kubectl get po -owide", "kubectl get pods -o=wide"],
    "cmd-get-pods-watch": ["kubectl get pods -w"],
    "quiz-resource-units": ["c, b, a", "a b c"],
    "quiz-static-pod-path": ["/etc/kubernetes/manifests/", " /etc/kubernetes/manifests "],
    "quiz-pattern-scenario": ["Ambassador", "앰배서더 패턴"],
    "quiz-pod-container-count": ["one", "1개"],
}
ALSO_RIGHT_CASES = [(exercise_id, answer) for exercise_id, answers in ALSO_RIGHT.items() for answer in answers]


def test_catalog_has_no_problems():
    assert [str(p) for p in CATALOG.problems] == []
    assert EXERCISES, "no bundled exercise loaded"
    assert len(EXERCISES) == len(CATALOG.ids())


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: f"{_pack_id(ex)}/{ex.id}")
def test_every_text_in_every_language(exercise: Exercise):
    texts = [exercise.title, exercise.task, *exercise.hints]
    if exercise.explanation:
        texts.append(exercise.explanation)
    if exercise.quiz:
        texts.extend(option.text for option in exercise.quiz.options)
    for check in exercise.all_checks():
        texts.extend(t for t in (check.description, check.remediation) if t)
    for text in texts:
        for lang in LANGUAGES:
            assert (text.get(lang) or "").strip(), f"missing {lang}: {text}"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: f"{_pack_id(ex)}/{ex.id}")
def test_hints_and_explanation_exist(exercise: Exercise):
    assert exercise.hints, "give hints, from gentle to explicit"
    assert exercise.explanation is not None
    assert exercise.docs and all(url.startswith("https://") for url in exercise.docs)


@pytest.mark.parametrize("exercise", OFFLINE, ids=lambda ex: f"{_pack_id(ex)}/{ex.id}")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_solution_passes(exercise: Exercise, lang: str):
    report = grade(exercise, exercise.solution, lang)
    assert report.passed, _why_not(report)


@pytest.mark.parametrize(
    ("exercise", "index"), COUNTEREXAMPLES, ids=[f"{_pack_id(ex)}/{ex.id}#{i + 1}" for ex, i in COUNTEREXAMPLES]
)
def test_counterexample_fails(exercise: Exercise, index: int):
    counter = exercise.counterexamples[index]
    report = grade(exercise, counter.answer)
    assert not report.passed, f"passes but must fail: {counter.why}"


@pytest.mark.parametrize("exercise", LIVE_ONLY, ids=lambda ex: f"{_pack_id(ex)}/{ex.id}")
def test_live_only_exercises_refuse_offline_grading(exercise: Exercise):
    report = grade(exercise, exercise.solution)
    assert not report.passed and not report.usable
    assert exercise.live is not None and exercise.live.checks


def test_pods_pack_has_the_required_exercises():
    pods = next(p for p in CATALOG.packs if p.meta.id == "pods")
    assert POD_IDS <= set(pods.exercise_files), sorted(POD_IDS - set(pods.exercise_files))
    assert set(pods.meta.languages) == set(LANGUAGES)


@pytest.mark.parametrize("exercise_id", sorted(ex.id for ex in EXERCISES if _pack_id(ex) == "pods"))
def test_pods_exercises_are_complete(exercise_id: str):
    exercise = CATALOG.get(exercise_id)
    assert exercise is not None
    assert 2 <= len(exercise.hints) <= 3
    assert len(exercise.counterexamples) >= 2
    assert all(c.answer.strip() != exercise.solution.strip() for c in exercise.counterexamples)


@pytest.mark.parametrize(("exercise_id", "answer"), ALSO_RIGHT_CASES, ids=[f"{i}#{n}" for n, (i, _) in enumerate(ALSO_RIGHT_CASES)])
def test_equivalent_answers_pass(exercise_id: str, answer: str):
    exercise = CATALOG.get(exercise_id)
    assert exercise is not None, exercise_id
    report = grade(exercise, answer)
    assert report.passed, _why_not(report)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda ex: f"{_pack_id(ex)}/{ex.id}")
def test_markdown_emphasis_renders(exercise: Exercise):
    # `**`x`**를` is not bold in CommonMark: a closing ** after punctuation must not touch a letter.
    md = MarkdownIt()
    texts = [exercise.task, *exercise.hints] + ([exercise.explanation] if exercise.explanation else [])
    for text in texts:
        for lang in LANGUAGES:
            html = re.sub(r"<code>.*?</code>", "", md.render(text[lang]), flags=re.S)
            assert "**" not in html, f"{lang}: unrendered ** in {text[lang]!r}"
