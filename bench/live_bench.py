"""Prints how fast live grading is: in-process per exercise, the same checks as `kubectl get -o json` processes, and reset time."""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exercises.loader import load_catalog  # noqa: E402
from graders import cluster as live_cluster  # noqa: E402
from graders import matchers  # noqa: E402
from graders.live import exercise_namespace, grade_live  # noqa: E402

FIXTURE_PACK = ROOT / "tests" / "fixtures" / "packs" / "live"


def gradable_without_kubelet(exercise) -> bool:
    if exercise.live is None or exercise.kind != "manifest" or exercise.live_only:
        return False
    return not any(c.type in ("exec", "mirror_pod") or (c.type == "restart_count" and not matchers.matches(c.expect, 0)) for c in exercise.live.checks)


def user_apply(kube, text: str, namespace: str) -> None:
    """`kubectl apply --server-side -n NS`, deleting first what cannot be changed in place."""
    import yaml

    for obj in yaml.safe_load_all(text):
        if not obj:
            continue
        obj.pop("status", None)
        meta = obj.setdefault("metadata", {})
        if kube.resource(obj["kind"], obj.get("apiVersion"))[2]:
            meta["namespace"] = meta.get("namespace") or namespace
        path = kube.path(obj["kind"], meta.get("namespace"), meta["name"], obj.get("apiVersion"))
        query = [("fieldManager", "kubectl"), ("force", "true")]
        if obj["kind"] == "Pod" and kube.get("Pod", meta["name"], meta.get("namespace")):  # kubectl replace --force: kwok does not re-stage a pod edited in place
            kube.request("DELETE", path, [("gracePeriodSeconds", 0)], missing_ok=True)
            kube.wait_for("Pod", meta.get("namespace"), lambda items: not items, 30, fields=f"metadata.name={meta['name']}")
        try:
            kube.request("PATCH", path, query, json.dumps(obj), content_type="application/apply-patch+yaml")
        except live_cluster.ClusterError:
            kube.request("DELETE", path, [("gracePeriodSeconds", 0)], missing_ok=True)
            kube.wait_for(obj["kind"], meta.get("namespace"), lambda items: not items, 30, fields=f"metadata.name={meta['name']}")
            kube.request("PATCH", path, query, json.dumps(obj), content_type="application/apply-patch+yaml")


def kubectl_commands(exercise, kubectl: str, kubeconfig: str, context: str) -> list[list[str]]:
    """What a shell verify script runs: one `kubectl get ... -o json` per check."""
    namespace = exercise_namespace(exercise)
    base = [kubectl, "--kubeconfig", kubeconfig, "--context", context]
    commands = []
    for check in exercise.all_checks():
        ref = check.object or exercise.target
        ns = ref.namespace or namespace
        if check.type == "event":
            commands.append(base + ["get", "events", "-n", ns, "--field-selector", f"involvedObject.name={ref.name}", "-o", "json"])
        elif check.type == "endpoints":
            commands.append(base + ["get", "endpointslices", "-n", ns, "-l", f"kubernetes.io/service-name={ref.name}", "-o", "json"])
        else:
            commands.append(base + ["get", ref.kind.lower(), *([ref.name] if ref.name else []), "-n", ns, "-o", "json"])
    return commands


def median_ms(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--context", help="a practice context to use (default: start the test control plane)")
    parser.add_argument("--kubeconfig", help="its kubeconfig")
    parser.add_argument("--runs", type=int, default=20, help="gradings per exercise (median is printed)")
    args = parser.parse_args()
    plane = None
    if args.context is None and args.kubeconfig is None:
        from tests.cluster.controlplane import ControlPlane

        plane = ControlPlane(log=lambda message: print(message, file=sys.stderr))
        started = plane.up()
        args.context, args.kubeconfig = plane.context, str(plane.kubeconfig)
        if not started:
            plane = None  # it was up before: leave it up
    kubectl = shutil.which("kubectl")
    try:
        run(args, kubectl)
    finally:
        if plane is not None:
            plane.down()


def run(args, kubectl: str | None) -> None:
    start = time.perf_counter()
    kube = live_cluster.connect(args.context, args.kubeconfig)
    print(f"context {kube.info.name} at {kube.info.server}, {kube.version().get('gitVersion')}; connect {1000 * (time.perf_counter() - start):.0f} ms (first import of the client included)")
    print(f"kubectl: {kubectl or 'not found: the kubectl column is empty'}")
    catalog = load_catalog([FIXTURE_PACK], bundled=True, user=False)
    exercises = [e for e in catalog.exercises() if gradable_without_kubelet(e)]
    print(f"{len(exercises)} live exercises gradable without a real kubelet; {args.runs} gradings each, medians\n")
    print(f"{'exercise':<26} {'checks':>6} {'GETs':>5} {'in-process':>11} {'kubectl way':>12} {'ratio':>7} {'setup':>8} {'reset':>8}  verdict")
    totals: list[tuple[float, float, float]] = []
    for exercise in exercises:
        namespace = exercise_namespace(exercise)
        kinds = [exercise.target.kind] if exercise.target else []
        live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup, kinds)
        setup = live_cluster.setup(kube, exercise.id, namespace, exercise.live.setup)
        try:
            user_apply(kube, exercise.solution, namespace)
        except live_cluster.ClusterError as err:
            print(f"{exercise.id:<26} cannot apply the solution: {err}")
            continue
        verdict = grade_live(exercise, kube)  # the first grading waits for the pods to settle; not timed
        if not verdict.passed:  # timing a failing grading would time its waits
            print(f"{exercise.id:<26} the solution does not pass here ({', '.join(r.check_id for r in verdict.results if not r.passed)}); not timed")
            live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup, kinds)
            continue
        requests = count_requests(kube, exercise)
        in_process = median_ms(lambda: grade_live(exercise, kube), args.runs)
        commands = kubectl_commands(exercise, kubectl, args.kubeconfig, args.context) if kubectl else []
        kubectl_ms = median_ms(lambda: [subprocess.run(c, capture_output=True, check=False) for c in commands], 3) if commands else float("nan")
        outcome = live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup, kinds)
        ratio = kubectl_ms / in_process if in_process else float("nan")
        totals.append((in_process, kubectl_ms, outcome.seconds))
        status = "pass" if verdict.passed else "FAIL " + ",".join(r.check_id for r in verdict.results if not r.passed)
        print(f"{exercise.id:<26} {len(exercise.all_checks()):>6} {requests:>5} {in_process:>9.1f}ms {kubectl_ms:>10.0f}ms {ratio:>6.0f}x {setup.seconds * 1000:>6.0f}ms {outcome.seconds * 1000:>6.0f}ms  {status}")
    if totals:
        med = [statistics.median(col) for col in zip(*totals)]
        print(f"\nmedian over exercises: in-process {med[0]:.1f} ms, kubectl way {med[1]:.0f} ms ({med[1] / med[0]:.0f}x), reset {med[2] * 1000:.0f} ms")
        print(f"worst: in-process {max(t[0] for t in totals):.1f} ms, reset {max(t[2] for t in totals) * 1000:.0f} ms")
        print("reset waits (by watch) until the exercise's objects are gone; the emptied namespace finishes terminating on its own"
              " (the namespace controller waits 5 s before it starts; setup waits for it if needed)")


def count_requests(kube, exercise) -> int:
    """API requests one grading makes, counted by wrapping the connection's request method."""
    calls = 0
    original = kube.request

    def counting(*a, **k):
        nonlocal calls
        calls += 1
        return original(*a, **k)

    kube.request = counting
    try:
        grade_live(exercise, kube)
    finally:
        kube.request = original
    return calls


if __name__ == "__main__":
    main()
