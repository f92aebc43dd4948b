"""Prints how fast live grading is: in-process and as a `kubedojo check --live` process per exercise, the same checks as `kubectl get -o json` processes, and reset time."""

from __future__ import annotations

import argparse
import json
import os
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
from graders.live import exercise_namespace, grade_live  # noqa: E402
from graders.live_selftest import needs_a_kubelet  # noqa: E402

FIXTURE_PACK = ROOT / "tests" / "fixtures" / "packs" / "live"


def benchable(exercise, real_nodes: bool) -> bool:
    """Live manifest exercises whose answer `kubectl apply` puts on the cluster; those needing a kubelet only on real nodes.

    Static-pod exercises (live-only: the answer is a file in a node's staticPodPath) are left out.
    """
    if exercise.live is None or exercise.kind != "manifest" or exercise.live_only:
        return False
    return real_nodes or not needs_a_kubelet(exercise)


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
    parser.add_argument("--process-runs", type=int, default=7, help="`kubedojo check --live` processes and kubectl rounds per exercise")
    parser.add_argument("--real-nodes", action="store_true", help="with --context: its nodes run pods (kind), so exercises needing a kubelet are timed too")
    args = parser.parse_args()
    plane = started = None
    if args.context is None and args.kubeconfig is None:
        from tests.cluster.controlplane import ControlPlane

        plane = ControlPlane(log=lambda message: print(message, file=sys.stderr))
        started = plane.up()
        args.context, args.kubeconfig = plane.context, str(plane.kubeconfig)
        from tests.cluster import crds

        crds.install(live_cluster.connect(args.context, args.kubeconfig))  # the Gateway API's, as the live tests have them
        args.real_nodes = plane.real_nodes
        print("nodes: real kubelets" if plane.real_nodes else f"nodes: kwok's ({plane.why_not_real})")
    kubectl = shutil.which("kubectl")
    try:
        run(args, kubectl)
    finally:
        if started:  # it was up before: leave it up
            plane.down()


def run(args, kubectl: str | None) -> None:
    start = time.perf_counter()
    kube = live_cluster.connect(args.context, args.kubeconfig)
    print(f"context {kube.info.name} at {kube.info.server}, {kube.version().get('gitVersion')}; connect {1000 * (time.perf_counter() - start):.0f} ms (first import of the client included)")
    print(f"kubectl: {kubectl or 'not found: the kubectl column is empty'}")
    catalog = load_catalog([FIXTURE_PACK], bundled=True, user=False)
    exercises = [e for e in catalog.exercises() if benchable(e, args.real_nodes)]
    kind = "live exercises" if args.real_nodes else "live exercises gradable without a real kubelet"
    print(f"{len(exercises)} {kind}; {args.runs} gradings each, medians")
    python_ms = median_ms(lambda: subprocess.run([sys.executable, "-c", "pass"], check=False), args.process_runs)
    kubectl_one = median_ms(lambda: subprocess.run([kubectl, "--kubeconfig", args.kubeconfig, "--context", args.context, "get", "--raw", "/version"], capture_output=True, check=False), args.process_runs) if kubectl else float("nan")
    print(f"baseline: an empty python process {python_ms:.0f} ms, one `kubectl get --raw /version` {kubectl_one:.0f} ms\n")
    print(f"{'exercise':<26} {'checks':>6} {'GETs':>5} {'in-process':>11} {'process':>9} {'kubectl way':>12} {'proc/kubectl':>13} {'setup':>8} {'reset':>8}  verdict")
    totals: list[tuple[float, float, float, float]] = []
    for exercise in exercises:
        namespace = exercise_namespace(exercise)
        kinds = [exercise.target.kind] if exercise.target else []
        try:
            live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup, kinds)
            setup = live_cluster.setup(kube, exercise.id, namespace, exercise.live.setup)
            user_apply(kube, exercise.solution, namespace)
        except live_cluster.ClusterError as err:  # e.g. a kind this cluster does not serve: said, the others timed
            print(f"{exercise.id:<26} not timed: {err}")
            continue
        verdict = grade_live(exercise, kube)  # the first grading waits for the pods to settle; not timed
        if not verdict.passed:  # timing a failing grading would time its waits
            print(f"{exercise.id:<26} the solution does not pass here ({', '.join(r.check_id for r in verdict.results if not r.passed)}); not timed")
            live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup, kinds)
            continue
        requests = count_requests(kube, exercise)
        in_process = median_ms(lambda: grade_live(exercise, kube), args.runs)
        process = median_ms(lambda: check_process(exercise.id, args.context, args.kubeconfig), args.process_runs)
        commands = kubectl_commands(exercise, kubectl, args.kubeconfig, args.context) if kubectl else []
        kubectl_ms = median_ms(lambda: [subprocess.run(c, capture_output=True, check=False) for c in commands], args.process_runs) if commands else float("nan")
        outcome = live_cluster.reset(kube, exercise.id, namespace, exercise.live.setup, kinds)
        totals.append((in_process, process, kubectl_ms, outcome.seconds))
        status = "pass" if verdict.passed else "FAIL " + ",".join(r.check_id for r in verdict.results if not r.passed)
        print(f"{exercise.id:<26} {len(exercise.all_checks()):>6} {requests:>5} {in_process:>9.1f}ms {process:>7.0f}ms {kubectl_ms:>10.0f}ms {process / kubectl_ms:>12.2f}x {setup.seconds * 1000:>6.0f}ms {outcome.seconds * 1000:>6.0f}ms  {status}")
    if totals:
        med = [statistics.median(col) for col in zip(*totals)]
        print(f"\nmedian over exercises: in-process {med[0]:.1f} ms, check process {med[1]:.0f} ms, kubectl way {med[2]:.0f} ms"
              f" (process / kubectl {med[1] / med[2]:.2f}x), reset {med[3] * 1000:.0f} ms")
        print(f"worst: in-process {max(t[0] for t in totals):.1f} ms, check process {max(t[1] for t in totals):.0f} ms, reset {max(t[3] for t in totals) * 1000:.0f} ms")
        print("reset waits (by watch) until the exercise's objects are gone; the emptied namespace finishes terminating on its own"
              " (the namespace controller waits 5 s before it starts; setup waits for it if needed)")
    print_process_imports(exercises[0].id if exercises else None, args.context, args.kubeconfig)


PROCESS_ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def check_process(exercise_id: str, context: str, kubeconfig: str) -> None:
    """One `kubedojo check ID --live` process of this tree, as a user runs it."""
    done = subprocess.run([sys.executable, "-m", "app.cli", "--pack", str(FIXTURE_PACK), "check", exercise_id, "--live", "--context", context, "--kubeconfig", kubeconfig],
                          capture_output=True, cwd=ROOT, env=PROCESS_ENV, check=False)
    if done.returncode != 0:
        raise SystemExit(f"`kubedojo check {exercise_id} --live` exited {done.returncode}: {done.stdout.decode()[-400:]} {done.stderr.decode()[-400:]}")


def print_process_imports(exercise_id: str | None, context: str, kubeconfig: str) -> None:
    """What a check process imports (python -X importtime), by top-level package, the biggest first."""
    if exercise_id is None:
        return
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "app.cli", "--pack", str(FIXTURE_PACK), "check", exercise_id, "--live", "--context", context, "--kubeconfig", kubeconfig],
                          capture_output=True, text=True, cwd=ROOT, env=PROCESS_ENV, check=False)
    by_package: dict[str, int] = {}
    modules = 0
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line or "self [us]" in line:
            continue
        _, self_us, name = (part.strip() for part in line.split("|", 2))
        modules += 1
        package = name.strip().split(".")[0]
        by_package[package] = by_package.get(package, 0) + int(self_us.split()[-1])
    top = sorted(by_package.items(), key=lambda kv: -kv[1])[:10]
    kube_modules = sum(1 for line in done.stderr.splitlines() if "| " in line and line.rsplit("|", 1)[-1].strip().startswith("kubernetes"))
    print(f"\na check process imports {modules} modules ({kube_modules} of the kubernetes package); import time by package (self, ms): "
          + ", ".join(f"{name} {us / 1000:.0f}" for name, us in top))


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
