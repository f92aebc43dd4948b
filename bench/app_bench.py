"""How fast the app is ready and how much memory it holds; prints figures, asserts nothing.

    python bench/app_bench.py [--runs N]

1. in-process: KubedojoApp() to the home screen ready (App.run_test, headless), imports excluded and included;
2. as a process: `python -m app.tui.main` in a pty, from exec to the home screen's summary line on the terminal,
   and the process's resident memory (VmRSS) then;
3. which heavy modules are loaded at each step: the kubernetes client must wait for a live exercise.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

IN_PROCESS = r"""
import json, sys, time
t0 = time.perf_counter()
from app.tui.main import KubedojoApp
t_import = time.perf_counter() - t0
import asyncio

def heavy():
    return sorted({m.split('.')[0] if m.startswith('kubernetes') else m for m in sys.modules
                   if m.startswith('kubernetes') or m in ('pydantic', 'exercises.model', 'graders.schema', 'graders.cluster', 'graders.live')})

async def main():
    out = {"import_s": t_import}
    app = KubedojoApp(lang="en", user=False)
    async with app.run_test(size=(120, 40)) as pilot:
        while app.ready_at is None:
            await pilot.pause(0.01)
        out["ready_s"] = app.ready_at - app.started_at
        out["modules_at_home"] = heavy()
        out["models_at_home"] = app.loaded
        while not app.loaded:  # the rows came from the last start's listing: the models are read behind them
            await pilot.pause(0.01)
        out["loaded_s"] = time.perf_counter() - app.started_at
        out["exercises"] = len(app.exercises)
        offline = next(e for e in app.exercises if e.live is None)
        app.open_exercise(offline.id)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        out["modules_after_offline_check"] = heavy()
        live = next((e for e in app.exercises if e.live is not None), None)
        if live is not None:
            await pilot.press("escape", "escape")
            app.open_exercise(live.id)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            out["live_exercise"] = live.id
            out["cluster_reachable"] = bool(app.screen.cluster and app.screen.cluster.reachable)
            out["modules_after_live_open"] = heavy()
    print(json.dumps(out))

asyncio.run(main())
"""

FAKE_KUBECONFIG = """apiVersion: v1
kind: Config
clusters: [{name: bench, cluster: {server: "https://127.0.0.1:9"}}]
users: [{name: bench, user: {token: bench}}]
contexts: [{name: kind-bench, context: {cluster: bench, user: bench}}]
current-context: kind-bench
"""


def in_process(env: dict[str, str]) -> dict:
    out = subprocess.run([sys.executable, "-c", IN_PROCESS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("bare app passed")
Bare().run()
"""


def as_process(env: dict[str, str], argv: list[str] | None = None) -> tuple[float, int, float]:
    """Seconds from exec to the home screen's summary on the terminal, VmRSS (KiB) then, and CPU seconds used by then.

    The CPU time (user + system) is the figure to compare on a shared machine: the wall time grows with the load.
    """
    import fcntl
    import termios

    argv = argv or [sys.executable, "-m", "app.tui.main", "--lang", "en", "--no-user"]
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.execvpe(sys.executable, argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    seen = b""
    ready = float("nan")
    try:
        while time.perf_counter() - start < 30:
            if select.select([fd], [], [], 0.05)[0]:
                seen += os.read(fd, 65536)
                if b"passed" in seen:
                    ready = time.perf_counter() - start
                    break
        rss = 0
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
            cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    return ready, rss, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        kubeconfig = Path(tmp) / "kubeconfig"
        kubeconfig.write_text(FAKE_KUBECONFIG)
        env = {**os.environ, "KUBEDOJO_DATA_DIR": f"{tmp}/data", "KUBEDOJO_CONFIG_DIR": f"{tmp}/config",
               "KUBECONFIG": str(kubeconfig), "TERM": "xterm-256color", "PYTHONPATH": str(ROOT)}
        print(f"kubedojo app bench: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {args.runs} runs each, "
              f"load average {os.getloadavg()[0]:.2f}, bytecode cache {'off (PYTHONDONTWRITEBYTECODE)' if env.get('PYTHONDONTWRITEBYTECODE') else 'on'}")
        runs = [in_process(env) for _ in range(args.runs)]
        first = runs[0]
        print(f"  exercises loaded               {first['exercises']}")
        print(f"  import app.tui.main            median {statistics.median(r['import_s'] for r in runs) * 1000:.0f} ms")
        later = runs[1:] or runs
        print(f"  App() -> home ready (headless) first start {first['ready_s'] * 1000:.0f} ms (no listing yet: the rows wait for the models); "
              f"later starts median {statistics.median(r['ready_s'] for r in later) * 1000:.0f} ms")
        print(f"  ... models read behind the rows median {statistics.median(r['loaded_s'] for r in later) * 1000:.0f} ms after App()")
        procs = [as_process(env) for _ in range(args.runs)]  # the listing is there: as a learner's second evening
        print(f"  exec -> home on the terminal   median {statistics.median(p[0] for p in procs) * 1000:.0f} ms "
              f"(runs: {', '.join(f'{p[0] * 1000:.0f}' for p in procs)} ms)")
        print(f"  CPU time by then (user+system) median {statistics.median(p[2] for p in procs) * 1000:.0f} ms")
        print(f"  memory at home (VmRSS)         median {statistics.median(p[1] for p in procs) / 1024:.1f} MiB")
        bare = [as_process(env, [sys.executable, "-c", BARE_APP]) for _ in range(args.runs)]
        print(f"  for scale, a bare Textual app  median {statistics.median(p[0] for p in bare) * 1000:.0f} ms to its first screen, "
              f"{statistics.median(p[2] for p in bare) * 1000:.0f} ms CPU, {statistics.median(p[1] for p in bare) / 1024:.1f} MiB")
        print(f"  load average now               {os.getloadavg()[0]:.2f}")
        print(f"  heavy modules at home          first start {first['modules_at_home'] or 'none'}; later {later[-1]['modules_at_home'] or 'none'}")
        print(f"  ... after an offline check     {first['modules_after_offline_check'] or 'none'}")
        if "live_exercise" in first:
            print(f"  ... after opening {first['live_exercise']} (live; fake cluster, reachable={first['cluster_reachable']}): "
                  f"{first['modules_after_live_open'] or 'none'}")
        kube_early = any(m.startswith("kubernetes") for r in runs for m in r["modules_at_home"] + r["modules_after_offline_check"])
        print(f"  kubernetes client imported before a live exercise: {'YES (bad)' if kube_early else 'no'}")


if __name__ == "__main__":
    main()
