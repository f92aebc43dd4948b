"""The bundled packs' live exercises on the real control plane: set up, apply the reference solution, check passes; counterexamples fail.

On real nodes every live exercise runs, exec, restarts and static pods included; on kwok's nodes the
ones that need a kubelet are skipped, saying why the nodes are kwok's.

Exercises are graded side by side (KUBEDOJO_LIVE_WORKERS threads, default 6), as most of the time is pod
waits: those that share a namespace or a cluster-scoped object, or claim storage (a volume binds across
namespaces), take turns in one thread; those that break nodes run alone, after the rest.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml

from exercises.loader import load_catalog
from graders import cluster as live_cluster
from graders.cluster import ClusterError, connect
from graders.live import exercise_namespace, grade_live
from graders.live_selftest import needs_a_kubelet
from tests.cluster import crds

pytestmark = pytest.mark.cluster
CATALOG = load_catalog(bundled=True, user=False)


def is_static_pod(exercise) -> bool:
    """The answer is a manifest in a node's staticPodPath (the exercise grades its mirror pod), not `kubectl apply`."""
    return any(check.type == "mirror_pod" for check in exercise.live.checks)


LIVE = [e for e in CATALOG.exercises() if e.live is not None and e.kind == "manifest"]
GRADABLE = LIVE  # live-only ones too: a static pod is written on a node, a node fault repaired, anything else applied (a custom resource of a CRD setup installs)


@pytest.fixture(scope="module")
def kube(control_plane):
    return connect(control_plane.context, str(control_plane.kubeconfig))


@pytest.fixture(scope="module")
def custom_resources(kube):
    """The bundled CRDs (Gateway API), installed once for the exercises that use them; a user's cluster needs them too."""
    return crds.install(kube)


def user_apply(kube, text: str, namespace: str) -> list[tuple[str, str | None, str]]:
    """`kubectl apply --server-side --force-conflicts -n NS -f -`; a pod field that cannot change means `kubectl replace --force`."""
    made = []
    for obj in yaml.safe_load_all(text):
        if not obj:
            continue
        obj.pop("status", None)
        meta = obj.setdefault("metadata", {})
        namespaced = kube.resource(obj["kind"], obj.get("apiVersion"))[2]
        if namespaced:
            meta["namespace"] = meta.get("namespace") or namespace
        else:
            meta.pop("namespace", None)
        path = kube.path(obj["kind"], meta.get("namespace"), meta["name"], obj.get("apiVersion"))
        made.append((obj["kind"], meta.get("namespace"), meta["name"]))
        if obj["kind"] == "Pod" and kube.get("Pod", meta["name"], meta["namespace"]):
            replace_force(kube, path, obj, meta)  # kwok does not re-stage a pod edited in place; a kubelet would
            continue
        try:
            kube.request("PATCH", path, [("fieldManager", "kubectl"), ("force", "true")], json.dumps(obj), content_type="application/apply-patch+yaml")
        except ClusterError as err:
            if not any(word in err.problem.detail for word in ("immutable", "may not change", "Forbidden: pod updates")):
                raise
            replace_force(kube, path, obj, meta)
    return made


def replace_force(kube, path: str, obj: dict, meta: dict) -> None:
    """`kubectl replace --force -f`: delete now, create again."""
    kube.request("DELETE", path, [("gracePeriodSeconds", 0)], missing_ok=True)
    kube.wait_for(obj["kind"], meta.get("namespace"), lambda items: not items, 30, fields=f"metadata.name={meta['name']}")
    kube.request("PATCH", path, [("fieldManager", "kubectl"), ("force", "true")], json.dumps(obj), content_type="application/apply-patch+yaml")


def names_a_namespace(text: str) -> bool:
    return any((doc or {}).get("metadata", {}).get("namespace") for doc in yaml.safe_load_all(text))


def clean(kube, made, namespace: str, everywhere: bool = False) -> None:
    """What the user made outside the exercise's namespace (reset rightly leaves it alone), or `everywhere`."""
    for kind, obj_namespace, name in made:
        if everywhere or obj_namespace != namespace:
            kube.request("DELETE", kube.path(kind, obj_namespace, name), [("gracePeriodSeconds", 0)], missing_ok=True)


def impatient(exercise):
    """The exercise with its live waits cut to 3 s: a wrong answer must fail anyway, and need not keep the suite waiting."""
    checks = [c.model_copy(update={"timeout_seconds": min(c.timeout_seconds, 3)}) if hasattr(c, "timeout_seconds") else c for c in exercise.live.checks]
    return exercise.model_copy(update={"live": exercise.live.model_copy(update={"checks": checks})})


def fresh(kube, exercise) -> str:
    namespace = exercise_namespace(exercise)
    live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup)
    live_cluster.setup(kube, exercise.id, namespace, exercise.live.setup)
    return namespace


class StaticPods:
    """Answers written where a kubelet reads static pods: /etc/kubernetes/manifests on a worker, as on kind."""

    def __init__(self, control_plane, kube):
        self.control_plane, self.kube = control_plane, kube
        self.node = "kubedojo-worker"
        self.written: list[tuple[str, str]] = []  # (file, the pod's namespace/name it makes)

    def write(self, text: str) -> list[tuple[str, str | None, str]]:
        self.remove()
        for index, obj in enumerate(o for o in yaml.safe_load_all(text) if o):
            name = (obj.get("metadata") or {}).get("name") or f"answer-{index}"
            file = f"/etc/kubernetes/manifests/{name}.yaml"
            done = self.control_plane.node_shell(self.node, f"cat > {file}", input=yaml.safe_dump(obj))
            assert done.returncode == 0, done.stderr
            self.written.append((file, f"{(obj.get('metadata') or {}).get('namespace') or 'default'}/{name}-{self.node}"))
        return []

    def remove(self) -> None:
        """Delete the manifests; wait until the kubelet has removed their mirror pods."""
        for file, mirror in self.written:
            self.control_plane.node_shell(self.node, f"rm -f {file}")
            namespace, name = mirror.split("/")
            self.kube.wait_for("Pod", namespace, lambda items: not items, 60, fields=f"metadata.name={name}")
        self.written = []


WORKERS = max(1, int(os.environ.get("KUBEDOJO_LIVE_WORKERS", "6")))
STORAGE = {"PersistentVolume", "PersistentVolumeClaim", "StorageClass"}


def runs_alone(exercise) -> bool:
    """Faults stop kubelets and break control-plane components; a Node object changes where everyone's pods go."""
    return bool(exercise.live.faults) or any(d.get("kind") == "Node" for d in _documents(exercise))


def _documents(exercise) -> list[dict]:
    texts = [exercise.solution] + [c.answer for c in exercise.counterexamples]
    docs = [dict(o) for o in exercise.live.setup]
    for text in texts:
        try:
            docs += [d for d in yaml.safe_load_all(text) if isinstance(d, dict)]
        except yaml.YAMLError:
            pass  # a counterexample that is not YAML puts nothing on the cluster
    return docs


def shares(kube, exercise) -> set[str]:
    """What this exercise's objects could collide on with another's: a namespace it makes (and reset deletes);
    in `default`, which no exercise deletes, its objects' names and labels (a Service selects by label);
    cluster-scoped names; storage (a volume binds to any namespace's claim)."""
    own = exercise_namespace(exercise)
    keys = set() if own == "default" else {f"namespace/{own}"}
    unqualified = "default" if names_a_namespace(exercise.solution) else own  # where counterexamples go
    for doc in _documents(exercise):
        kind, meta = doc.get("kind"), doc.get("metadata") or {}
        if kind in STORAGE:
            keys.add("storage")
        try:
            namespaced = kube.resource(kind, doc.get("apiVersion"))[2]
        except (ClusterError, KeyError, TypeError):
            namespaced = False  # a kind the cluster does not know yet (its CRD comes with the exercise): take no chance
        if not namespaced:
            keys.add(f"{kind}/{meta.get('name')}")
            continue
        for where in {meta.get("namespace") or own, meta.get("namespace") or unqualified}:
            if where != "default":
                keys.add(f"namespace/{where}")
                continue
            keys.add(f"default/{kind}/{meta.get('name')}")
            keys |= {f"default/label/{k}={v}" for k, v in _labels(doc).items()}
    return keys


def _labels(doc: dict) -> dict:
    """The labels an object has, gives its pods, or selects by."""
    spec = doc.get("spec") or {}
    found = dict((doc.get("metadata") or {}).get("labels") or {})
    found |= ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
    selector = spec.get("selector") or {}
    found |= selector.get("matchLabels") or ({k: v for k, v in selector.items() if isinstance(v, str)})
    return found


def turns(kube, exercises) -> list[list]:
    """Exercises grouped so that any two that share something are in one group (union of overlapping key sets)."""
    groups: list[tuple[set[str], list]] = []
    for exercise in exercises:
        keys, members = shares(kube, exercise), [exercise]
        for group in [g for g in groups if g[0] & keys]:
            groups.remove(group)
            keys |= group[0]
            members = group[1] + members
        groups.append((keys, members))
    return sorted((members for _, members in groups), key=len, reverse=True)


@pytest.fixture(scope="module")
def side_by_side(kube, control_plane, request):
    """Every selected exercise that can share the cluster, graded in WORKERS threads: exercise id -> what it raised."""
    chosen = [item.callspec.params["exercise"] for item in request.session.items
              if getattr(item, "originalname", "") == "test_the_reference_solution_passes_live_and_counterexamples_fail"]
    together = [e for e in chosen if not runs_alone(e)]
    if any(crds.needs_crds(e) for e in together):
        request.getfixturevalue("custom_resources")
    outcomes: dict[str, BaseException | None] = {}

    def take_turns(group) -> None:
        for exercise in group:
            try:
                solution_then_counterexamples(kube, control_plane, exercise)
                outcomes[exercise.id] = None
            except BaseException as err:  # noqa: BLE001 - pytest's skip and fail too: raised again in the exercise's own test
                outcomes[exercise.id] = err

    with ThreadPoolExecutor(WORKERS, thread_name_prefix="exercise") as pool:
        list(pool.map(take_turns, turns(kube, together)))
    return outcomes


def test_there_are_bundled_live_exercises():
    assert GRADABLE, "no bundled exercise can be graded live on the control plane"


@pytest.mark.parametrize("exercise", GRADABLE, ids=lambda e: e.id)
def test_the_reference_solution_passes_live_and_counterexamples_fail(kube, control_plane, exercise, request):
    if exercise.live.faults:
        return broken_then_repaired(kube, control_plane, exercise)
    if crds.needs_crds(exercise):
        request.getfixturevalue("custom_resources")
    if runs_alone(exercise):
        return solution_then_counterexamples(kube, control_plane, exercise)
    outcome = request.getfixturevalue("side_by_side")[exercise.id]
    if outcome is not None:
        raise outcome


def solution_then_counterexamples(kube, control_plane, exercise) -> None:
    """Set up, the solution passes; each counterexample, on a fresh setup, fails (or the API server refuses it)."""
    if needs_a_kubelet(exercise):
        control_plane.require_real_nodes()
    static = StaticPods(control_plane, kube) if is_static_pod(exercise) else None
    namespace = fresh(kube, exercise)
    made = []
    try:
        made = static.write(exercise.solution) if static else user_apply(kube, exercise.solution, namespace)
        report = grade_live(exercise, kube)
        assert report.passed, json.dumps(report.to_json(), indent=1, ensure_ascii=False)
        # Without -n, kubectl puts an object that names no namespace where the user's context points: default.
        where = "default" if names_a_namespace(exercise.solution) else namespace
        for counter in exercise.counterexamples:
            clean(kube, made, namespace)
            fresh(kube, exercise)
            try:
                made = static.write(counter.answer) if static else user_apply(kube, counter.answer, where)
            except (ClusterError, KeyError, TypeError, AttributeError, yaml.YAMLError):
                continue  # the API server (or kubectl, or YAML) refuses it: the user cannot get it onto the cluster
            report = grade_live(impatient(exercise), kube, settle_seconds=3.0)
            assert not report.passed, f"counterexample passed live ({counter.why})"
    finally:
        if static:
            static.remove()
        clean(kube, made, namespace)
        live_cluster.reset(kube, exercise.id, exercise_namespace(exercise), exercise.live.setup, [exercise.target.kind] if exercise.target else [])


def broken_then_repaired(kube, control_plane, exercise):
    """An exercise that breaks nodes: set up, its faults carried out on the harness's nodes, it fails; the faults
    repaired as the user would (what reset's undo does), it passes. The answer is work on a node, not a manifest."""
    from graders.faults import apply_faults, undo_faults
    from tests.cluster.faults import HarnessNodes, not_here

    control_plane.require_real_nodes()
    nodes = HarnessNodes(control_plane)
    why = not_here(exercise.live.faults, nodes)
    if why:
        pytest.skip(why)
    namespace = exercise_namespace(exercise)
    made = []
    apiserver = any(getattr(fault, "manifest", None) == "kube-apiserver.yaml" for fault in exercise.live.faults)
    steady = 15 if apiserver else 0  # a repaired API server's static pod takes a while to answer for good

    def objects() -> None:  # the starting objects again; not the namespace: with no controller-manager it could not go
        if not apiserver:  # with none, nothing could be set up (and nothing a counterexample made got there)
            live_cluster.setup(kube, exercise.id, namespace, exercise.live.setup)

    try:
        live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup)
        live_cluster.setup(kube, exercise.id, namespace, [])
        apply_faults(exercise.id, exercise.live.faults, nodes)
        if apiserver:
            control_plane.wait_unready()  # the kubelet restarts it with the broken flag within seconds; not before grading
        if exercise.live.setup:
            live_cluster.setup(kube, exercise.id, namespace, exercise.live.setup)
        assert not passes_broken(kube, exercise), "the broken starting state passes"
        for counter in exercise.counterexamples:  # shortcuts taken on the broken cluster (a pinned probe pod ...)
            try:
                made = user_apply(kube, counter.answer, namespace)
            except (ClusterError, KeyError, TypeError, AttributeError, yaml.YAMLError):
                continue  # a command line or words, not objects: nothing to put on the cluster
            assert not passes_broken(kube, exercise), f"counterexample passed live ({counter.why})"
            clean(kube, made, namespace, everywhere=True)
            objects()
        undo_faults(exercise.id, exercise.live.faults, nodes)
        control_plane.wait_ready(steady=steady)
        made = user_apply(kube, exercise.solution, namespace)  # the objects the solution makes after the repair, if any
        report = grade_live(exercise, kube)
        assert report.passed, json.dumps(report.to_json(), indent=1, ensure_ascii=False)
    finally:
        undo_faults(exercise.id, exercise.live.faults, nodes)
        control_plane.wait_ready(steady=steady)
        clean(kube, made, namespace)
        live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup, [exercise.target.kind] if exercise.target else [])


def passes_broken(kube, exercise) -> bool:
    """Whether the exercise passes on the broken cluster; one whose API server does not answer cannot."""
    try:
        return grade_live(impatient(exercise), kube, settle_seconds=3.0).passed
    except ClusterError:
        return False


def test_every_bundled_live_exercise_is_graded_here():
    """A live-only exercise whose answer this file cannot put on the cluster would silently go untested."""
    assert [e.id for e in LIVE if e not in GRADABLE] == []
