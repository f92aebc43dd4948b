"""A real Kubernetes control plane (etcd, kube-apiserver, controller-manager, scheduler) with real nodes or kwok's, for tests.

Run as `python -m tests.cluster.controlplane build|up|down|status|env`.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import socket
import ssl
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.cluster import build, images, kwoknodes, manifests, pki, processes, realnodes, staticpods
from tests.cluster.manifests import CONTROL_PLANE_NODE, WORKER_NODES
from tests.cluster.nodes import NodeError
from tests.cluster.processes import Process

HERE = Path(__file__).resolve().parent
CONTEXT = "kind-kubedojo-test"
LIMITED_CONTEXT = "kind-kubedojo-test-limited"
PROD_CONTEXT = "prod-admin"
# Start order; stopping is nodes first, then all at once, then etcd.
COMPONENTS = ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler")
MARKER = ".kubedojo-testcluster"


class ControlPlaneError(RuntimeError):
    """The control plane could not be started, or stopped answering."""


def default_state_dir() -> Path:
    configured = os.environ.get("KUBEDOJO_TESTCLUSTER_STATE")
    return Path(configured).expanduser().resolve() if configured else HERE / ".state"


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


class ControlPlane:
    """One control plane whose files, logs and PIDs live in state_dir."""

    def __init__(self, state_dir: Path | None = None, log=print):
        self.state_dir = (state_dir or default_state_dir()).resolve()
        self.log = log

    @property
    def kubeconfig(self) -> Path:
        return self.state_dir / "kubeconfig"

    @property
    def context(self) -> str:
        return CONTEXT

    @property
    def server(self) -> str:
        return self._cluster()["server"]

    # --- recorded state -------------------------------------------------------------------------

    def _cluster(self) -> dict:
        return json.loads((self.state_dir / "cluster.json").read_text())

    def _processes(self) -> dict[str, Process]:
        path = self.state_dir / "processes.json"
        if not path.is_file():
            return {}
        return {name: Process.from_json(data) for name, data in json.loads(path.read_text()).items()}

    def _record(self, process: Process) -> None:
        recorded = self._processes() | {process.name: process}
        path = self.state_dir / "processes.json"
        path.write_text(json.dumps({name: p.to_json() for name, p in recorded.items()}, indent=2))

    def _forget(self, *names: str) -> None:
        """Drop processes from the record (components handed over to the kubelet as static pods)."""
        recorded = {name: p for name, p in self._processes().items() if name not in names}
        (self.state_dir / "processes.json").write_text(json.dumps({name: p.to_json() for name, p in recorded.items()}, indent=2))

    def status(self) -> dict[str, Process | None]:
        """Each component (recorded, or due) and its process if it is running, else None; static pods are the kubelet's."""
        recorded = self._processes()
        static = staticpods.handed_over(self.state_dir)
        names = [*(n for n in COMPONENTS if n not in static), *(n for n in recorded if n not in COMPONENTS)]
        return {name: p if (p := recorded.get(name)) and processes.is_running(p) else None for name in names}

    @property
    def real_nodes(self) -> bool:
        """True when the nodes are kubelets (else kwok plays them)."""
        return self._cluster().get("nodes") == "real"

    @property
    def why_not_real(self) -> str | None:
        """Why the nodes are kwok's, if they are."""
        return self._cluster().get("why_not_real")

    def is_up(self) -> bool:
        return all(self.status().values()) and self.ready()

    # --- talking to the API ---------------------------------------------------------------------

    def _request(self, method: str, path: str, body: dict | None = None, timeout: float = 5,
                 content_type: str = "application/json") -> tuple[int, dict | str]:
        cluster = self._cluster()
        context = ssl.create_default_context(cafile=cluster["ca"])
        request = urllib.request.Request(
            cluster["server"] + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Bearer {cluster['admin_token']}", "Content-Type": content_type},
        )
        try:
            with urllib.request.urlopen(request, context=context, timeout=timeout) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def ready(self) -> bool:
        try:
            status, text = self._request("GET", "/readyz", timeout=2)
        except (OSError, ValueError):
            return False
        return status == 200 and text == "ok"

    def _wait(self, what: str, condition, timeout: float, watched: list[str]) -> None:
        """Poll condition until true; fail early, with the log, if a watched component dies."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name in watched:
                process = self._processes()[name]
                if not processes.is_running(process):
                    raise ControlPlaneError(f"{name} exited while waiting for {what}; its log ends:\n"
                                            + processes.log_tail(process))
            try:
                if condition():
                    return
            except (OSError, ValueError):
                pass  # not listening yet
            time.sleep(0.1)
        tails = "\n".join(f"--- {name} ({self._processes()[name].log}):\n" + processes.log_tail(self._processes()[name])
                          for name in watched)
        raise ControlPlaneError(f"timed out after {timeout:.0f} s waiting for {what}\n{tails}")

    # --- up -------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self):
        """Serialise up and down across processes: test sessions of several developers share one tree."""
        locks = build.cache_root() / "locks"
        locks.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256(str(self.state_dir).encode()).hexdigest()[:16]
        with open(locks / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def up(self, timeout: float = 120) -> bool:
        """Start everything unless it is already up; True when this call started it."""
        with self.locked():
            return self._up(timeout)

    def _up(self, timeout: float) -> bool:
        if self.state_dir.exists() and self._answers_soon():
            return False
        if self.state_dir.exists():
            down = [name for name, process in self.status().items() if process is None]
            self.log(f"found a stale or half-running control plane ({', '.join(down) or 'not ready'}); stopping it first")
            self._down()
        why_not_real = realnodes.why_not(self.state_dir, claim=True)
        if why_not_real:
            self.log(f"nodes: kwok's, not real ones ({why_not_real})")
        started = time.monotonic()
        build.ensure_built(self.log, nodes=not why_not_real)
        catalog = None if why_not_real else images.build_catalog(self.log)
        self.log(f"phase: binaries and images ready in {time.monotonic() - started:.1f} s")
        started = time.monotonic()
        self.state_dir.mkdir(parents=True)
        (self.state_dir / MARKER).write_text("state of tests/cluster/controlplane.py; `down` deletes it\n")
        try:
            self._start_all(catalog, why_not_real, timeout)
        except BaseException:
            self.log(f"start-up failed; stopping what was started (logs stay in {self.state_dir / 'logs'})")
            self._stop_recorded()
            raise
        self.log(f"control plane up in {time.monotonic() - started:.1f} s")
        return True

    def _answers_soon(self, grace: float = 30) -> bool:
        """Up: every process runs and the API answers, if need be after a while (a loaded machine is slow)."""
        deadline = time.monotonic() + grace
        while all(self.status().values()):
            if self.ready():
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.5)
        return False

    def _start_all(self, catalog: Path | None, why_not_real: str | None, timeout: float) -> None:
        etcd_port, peer_port, api_port, cm_port, sched_port, kwok_port = _free_ports(6)
        certs = pki.create_pki(self.state_dir / "pki")
        kubelet_client = pki.client_cert(certs, "apiserver-kubelet-client", "kube-apiserver-kubelet-client", ("system:masters",))
        users = ("admin", "limited", "controller-manager", "scheduler", "kwok", "kube-proxy", "coredns")
        tokens = {user: secrets.token_hex(16) for user in users}
        server = f"https://127.0.0.1:{api_port}"
        (self.state_dir / "cluster.json").write_text(json.dumps(
            {"server": server, "ca": str(certs.ca_cert), "admin_token": tokens["admin"],
             "nodes": "kwok" if why_not_real else "real", "why_not_real": why_not_real}, indent=2))
        (self.state_dir / "tokens.csv").write_text(
            f'{tokens["admin"]},kubedojo-admin,uid-admin,"system:masters"\n'
            f'{tokens["limited"]},kubedojo-limited,uid-limited\n'
            f'{tokens["controller-manager"]},system:kube-controller-manager,uid-kcm\n'
            f'{tokens["scheduler"]},system:kube-scheduler,uid-scheduler\n'
            f'{tokens["kwok"]},kwok-controller,uid-kwok,"system:masters"\n'
            f'{tokens["kube-proxy"]},system:kube-proxy,uid-kube-proxy\n'
            f'{tokens["coredns"]},system:coredns,uid-coredns,"system:masters"\n'
        )
        self.kubeconfig.write_text(manifests.kubeconfig(server, certs.ca_cert, {
            CONTEXT: (CONTEXT, CONTEXT, tokens["admin"]),
            LIMITED_CONTEXT: (CONTEXT, "kubedojo-limited", tokens["limited"]),
            PROD_CONTEXT: ("prod", "prod-admin", tokens["admin"]),
        }, current=CONTEXT))
        self.kubeconfig.chmod(0o600)
        for name, user in (("kube-controller-manager", "controller-manager"), ("kube-scheduler", "scheduler")):
            (self.state_dir / f"{name}.kubeconfig").write_text(
                manifests.kubeconfig(server, certs.ca_cert, {name: ("local", name, tokens[user])}, current=name))
        state, logs = self.state_dir, self.state_dir / "logs"

        def launch(name: str, argv: list[str], env: dict[str, str] | None = None) -> None:
            process = processes.start(name, argv, logs / f"{name}.log", cwd=state, env=env)
            self._record(process)

        def binary(name: str) -> list[str]:
            return [str(build.binary_path(name))]

        etcd_url, peer_url = f"http://127.0.0.1:{etcd_port}", f"http://127.0.0.1:{peer_port}"
        launch("etcd", binary("etcd") + [
            "--name=kubedojo", f"--data-dir={state / 'etcd'}", f"--listen-client-urls={etcd_url}",
            f"--advertise-client-urls={etcd_url}", f"--listen-peer-urls={peer_url}",
            f"--initial-advertise-peer-urls={peer_url}", f"--initial-cluster=kubedojo={peer_url}",
            "--unsafe-no-fsync=true", "--log-level=warn",
        ])
        self._wait("etcd", lambda: _http_ok(f"{etcd_url}/health"), timeout, ["etcd"])

        launch("kube-apiserver", binary("kube-apiserver") + [
            f"--etcd-servers={etcd_url}", "--bind-address=127.0.0.1", f"--secure-port={api_port}",
            # Loopback may not be an endpoint, so the `kubernetes` Service gets no endpoints.
            "--advertise-address=127.0.0.1", "--endpoint-reconciler-type=none", f"--tls-cert-file={certs.serving_cert}",
            f"--tls-private-key-file={certs.serving_key}", f"--client-ca-file={certs.ca_cert}",
            f"--token-auth-file={state / 'tokens.csv'}", "--authorization-mode=Node,RBAC",
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            f"--service-account-key-file={certs.service_account_pub}",
            f"--service-account-signing-key-file={certs.service_account_key}",
            "--service-cluster-ip-range=10.96.0.0/16", "--allow-privileged=true",
            # Nodes' address is loopback, where their kubelet (or kwok) listens; it has a client cert for them.
            "--kubelet-preferred-address-types=InternalIP", f"--kubelet-client-certificate={kubelet_client[0]}",
            f"--kubelet-client-key={kubelet_client[1]}",
            # Drain open watches on SIGTERM instead of waiting on them, so a stop takes ~1 s.
            "--shutdown-watch-termination-grace-period=1s", f"--cert-dir={certs.directory}", "--profiling=false",
        ])
        self._wait("kube-apiserver /readyz", self.ready, timeout, ["etcd", "kube-apiserver"])

        component_port = {"kube-controller-manager": cm_port, "kube-scheduler": sched_port}
        for name in ("kube-controller-manager", "kube-scheduler"):
            config = state / f"{name}.kubeconfig"
            common = [f"--kubeconfig={config}", f"--authentication-kubeconfig={config}",
                      f"--authorization-kubeconfig={config}", "--bind-address=127.0.0.1",
                      f"--secure-port={component_port[name]}", "--leader-elect=false"]
            if name == "kube-controller-manager":
                common += [
                    f"--service-account-private-key-file={certs.service_account_key}",
                    f"--root-ca-file={certs.ca_cert}", "--use-service-account-credentials=true",
                    f"--cluster-signing-cert-file={certs.ca_cert}", f"--cluster-signing-key-file={certs.ca_key}",
                    "--controllers=*,bootstrapsigner,tokencleaner", "--cluster-name=kubedojo-test",
                    f"--flex-volume-plugin-dir={state / 'flexvolume'}",  # it would make /usr/libexec/kubernetes
                ]
            launch(name, binary(name) + common)
        started = time.monotonic()
        if catalog is not None:
            realnodes.start(self, certs, tokens, server, catalog, launch, _free_ports, timeout)
            staticpods.hand_over(self, certs, timeout)
        else:
            kwoknodes.start(self, state, server, certs, tokens, kwok_port, launch)
        self._wait("the default service account and three Ready nodes", self._settled, timeout, list(self._processes()))
        self.log(f"phase: {'real' if catalog else 'kwok'} nodes Ready in {time.monotonic() - started:.1f} s")

    def _settled(self) -> bool:
        status, _ = self._request("GET", "/api/v1/namespaces/default/serviceaccounts/default")
        if status != 200:
            return False
        status, nodes = self._request("GET", "/api/v1/nodes")
        ready = {
            node["metadata"]["name"]
            for node in nodes.get("items", [])
            if any(c["type"] == "Ready" and c["status"] == "True" for c in node.get("status", {}).get("conditions", []))
        }
        return ready >= {CONTROL_PLANE_NODE, *WORKER_NODES}

    # --- stopping and restarting ----------------------------------------------------------------

    def down(self) -> None:
        """Stop exactly the processes this state dir records, then delete the state dir."""
        with self.locked():
            self._down()

    def _down(self) -> None:
        self._stop_recorded()
        if (self.state_dir / MARKER).is_file():
            shutil.rmtree(self.state_dir)
        elif self.state_dir.exists():
            raise ControlPlaneError(f"{self.state_dir} has no {MARKER} marker; not deleting it")

    # --- sharing between test sessions -----------------------------------------------------------

    def join_session(self) -> str:
        """Up (or reuse) for a pytest session; returns a ticket that counts as a user until leave_session."""
        with self.locked():
            if self._up(timeout=120):
                (self.state_dir / "started-by-a-test-session").touch()
            users = self.state_dir / "sessions"
            users.mkdir(exist_ok=True)
            ticket = f"{os.getpid()}-{secrets.token_hex(4)}"  # one process may join twice (two fixture copies)
            (users / ticket).touch()
            return ticket

    def leave_session(self, ticket: str, keep: bool = False) -> None:
        """Stop at the last session's end, unless it was up before any session or keep is set."""
        with self.locked():
            users = self.state_dir / "sessions"
            (users / ticket).unlink(missing_ok=True)
            started_by_session = self.state_dir / "started-by-a-test-session"
            if keep:
                started_by_session.unlink(missing_ok=True)  # from now on it is kept like one started by hand
            others = [t for t in users.iterdir() if processes.pid_alive(int(t.name.split("-")[0]))] if users.is_dir() else []
            if not others and started_by_session.is_file():
                self._down()

    def _stop_recorded(self) -> None:
        realnodes.stop(self)
        recorded = self._processes()
        # etcd last: an apiserver that loses etcd mid-shutdown hangs until SIGKILL.
        processes.stop([p for name, p in recorded.items() if name != "etcd"])
        processes.stop([p for name, p in recorded.items() if name == "etcd"])

    def stop_component(self, name: str) -> None:
        if name in staticpods.handed_over(self.state_dir):
            return staticpods.stop(self, name)
        processes.stop([self._processes()[name]])

    def start_component(self, name: str, timeout: float = 60) -> None:
        """Start a stopped component again with its recorded command line; waits for the API if it is the apiserver."""
        if name in staticpods.handed_over(self.state_dir):
            return staticpods.start(self, name, timeout)
        old = self._processes()[name]
        if processes.is_running(old):
            return
        self._record(processes.start(name, old.argv, Path(old.log), cwd=self.state_dir, env=old.env))
        if name == "kube-apiserver":
            self._wait("kube-apiserver /readyz", self.ready, timeout, ["kube-apiserver"])


def _http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.status == 200


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.cluster.controlplane", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("build", "up", "down", "status", "env"))
    parser.add_argument("--state-dir", type=Path, help="default: $KUBEDOJO_TESTCLUSTER_STATE or tests/cluster/.state")
    args = parser.parse_args(argv)
    plane = ControlPlane(args.state_dir, log=lambda message: print(message, file=sys.stderr))
    try:
        if args.command == "build":
            print(f"binaries in {build.ensure_built(plane.log, nodes=not realnodes.why_not(plane.state_dir))}")
        elif args.command == "up":
            if not plane.up():
                print("already up", file=sys.stderr)
            print(f"kubeconfig: {plane.kubeconfig} (context {CONTEXT}, server {plane.server})")
            print(f"export KUBECONFIG={plane.kubeconfig}")
        elif args.command == "down":
            plane.down()
            print("down")
        elif args.command == "status":
            for name, process in plane.status().items():
                print(f"{name:34} {'running, pid ' + str(process.pid) if process else 'not running'}")
            if plane.state_dir.joinpath("cluster.json").is_file():
                print(f"server {plane.server}, {'ready' if plane.ready() else 'not ready'}; kubeconfig {plane.kubeconfig}")
        elif args.command == "env":
            print(f"export KUBECONFIG={plane.kubeconfig}")
    except (ControlPlaneError, build.BuildError, pki.PKIError, NodeError, images.ImageError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
