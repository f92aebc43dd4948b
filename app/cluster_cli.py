"""The live-cluster commands: `cluster up|down|status`, `setup`, `reset`, `node-shell`, and `check --live`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

import click

from app.cli import EXIT_UNUSABLE, Unusable, catalog_for, cluster_options, exercise_or_fail, lang_option, pack_option, resolve_lang
from graders.cluster import ClusterError, describe
from graders.report import AnswerError, GradeReport, unusable

KIND_CLUSTER = "kubedojo"
KIND_CONTEXT = f"kind-{KIND_CLUSTER}"
KIND_CONFIG = Path(__file__).parent / "data" / "kind-config.yaml"
INSTALL = {
    "docker": "docker is not installed: get Docker Engine (https://docs.docker.com/engine/install/) or Docker Desktop",
    "kind": "kind is not installed: `go install sigs.k8s.io/kind@latest`, or a release binary (https://kind.sigs.k8s.io/docs/user/quick-start/#installation)",
}


def _say(lang: str, en: str, ko: str) -> str:
    return ko if lang == "ko" else en


def _settings() -> Any:
    from app.config import ConfigError, Settings, load_settings

    try:
        return load_settings()
    except ConfigError as err:
        click.secho(f"kubedojo: {err} (using defaults)", err=True, fg="yellow")
        return Settings()


def _where(context: str | None, kubeconfig: str | None) -> tuple[str | None, str | None]:
    settings = _settings()
    return context or settings.context, kubeconfig or settings.kubeconfig


def _allowed(allow_context: tuple[str, ...]) -> list[str]:
    return list(_settings().allowed_contexts) + list(allow_context)


def answer_error(err: ClusterError, lang: str) -> AnswerError:
    message, hint = describe(err.problem, lang)
    return AnswerError(message, hint=hint)


def check_live(exercise: Any, lang: str, context: str | None = None, kubeconfig: str | None = None, allow_context: tuple[str, ...] = ()) -> GradeReport:
    """Grade the exercise on the cluster; a cluster that cannot be used is a report with a fatal error, never an exception."""
    from graders.cluster import connect
    from graders.live import grade_live

    max_score = len(exercise.all_checks())
    if exercise.live is None:
        why = _say(lang, f"{exercise.id} has no live version: grade it with --file or --answer", f"{exercise.id}은(는) 실제 클러스터용 문제가 아닙니다: --file 또는 --answer로 채점하세요")
        return unusable(exercise.id, AnswerError(why), max_score=max_score, mode="live")
    try:
        return grade_live(exercise, connect(*_where(context, kubeconfig)), lang)
    except ClusterError as err:
        return unusable(exercise.id, answer_error(err, lang), max_score=max_score, mode="live")


# --- setup and reset ---------------------------------------------------------------------------


def _practice_cluster(context: str | None, kubeconfig: str | None, allow_context: tuple[str, ...]) -> Any:
    """Connect only after the guard passed: a refused context is never contacted, let alone changed."""
    from graders.cluster import connect, read_context, require_practice

    context, kubeconfig = _where(context, kubeconfig)
    info = read_context(context, kubeconfig)
    require_practice(info, _allowed(allow_context))
    return connect(info.name, kubeconfig)


def _exercise_action(action: str, exercise_id: str, context: str | None, kubeconfig: str | None, allow_context: tuple[str, ...], packs: tuple[Path, ...], lang: str | None, as_json: bool) -> None:
    from graders import cluster as live_cluster
    from graders.live import exercise_namespace

    lang = resolve_lang(lang)
    exercise = exercise_or_fail(catalog_for(packs), exercise_id, as_json)
    if exercise.live is None:
        raise Unusable(_say(lang, f"{exercise_id} has no live version (nothing to {action} on a cluster)", f"{exercise_id}은(는) 실제 클러스터용 문제가 아닙니다"), exercise_id, as_json)
    payload: dict[str, Any] = {"exercise": exercise_id, "action": action, "ok": False, "context": context, "server": None, "namespace": exercise_namespace(exercise)}
    try:
        cluster = _practice_cluster(context, kubeconfig, allow_context)
        payload.update(context=cluster.info.name, server=cluster.info.server)
        if action == "setup":
            outcome = live_cluster.setup(cluster, exercise.id, exercise_namespace(exercise), exercise.live.setup)
        else:
            kinds = [exercise.target.kind] if exercise.target else []
            outcome = live_cluster.reset(cluster, exercise.id, exercise_namespace(exercise), exercise.live.setup, kinds)
    except ClusterError as err:
        _fail(err, lang, as_json, payload)
    payload.update(ok=True, objects=list(outcome.objects), pending=list(outcome.pending), seconds=round(outcome.seconds, 3), errors=[])
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False))
    else:
        _print_outcome(outcome, payload, lang)
    sys.exit(0)


def _fail(err: ClusterError, lang: str, as_json: bool, payload: dict[str, Any]) -> NoReturn:
    """The one place a cluster error is shown by these commands: exit 2, one JSON object under --json."""
    message, hint = describe(err.problem, lang)
    if as_json:
        payload.update(context=err.problem.context or payload.get("context"), server=err.problem.server or payload.get("server"), errors=[{"message": message, "hint": hint}])
        click.echo(json.dumps(payload, ensure_ascii=False))
    else:
        click.secho(f"kubedojo: {message}", err=True, fg="red")
        if hint:
            click.secho(f"  {_say(lang, 'hint', '힌트')}: {hint}", err=True, fg="yellow")
    sys.exit(EXIT_UNUSABLE)


def _print_outcome(outcome: Any, payload: dict[str, Any], lang: str) -> None:
    things = ", ".join(outcome.objects) or _say(lang, "nothing to do", "할 일 없음")
    if outcome.action == "setup":
        click.secho(_say(lang, f"✔ {outcome.exercise_id} is set up on {payload['context']}: {things} ({outcome.seconds:.2f} s)", f"✔ {payload['context']}에 {outcome.exercise_id} 준비 완료: {things} ({outcome.seconds:.2f}초)"), fg="green")
        if outcome.namespace != "default":
            click.echo(_say(lang, f"  The task is set in namespace {outcome.namespace}:", f"  문제는 네임스페이스 {outcome.namespace}에 있습니다:"))
            click.echo(f"    kubectl config set-context --current --namespace={outcome.namespace}")
        click.echo(_say(lang, f"  When done: kubedojo check {outcome.exercise_id} --live", f"  다 했으면: kubedojo check {outcome.exercise_id} --live"))
    elif outcome.pending:
        click.secho(_say(lang, f"! reset {outcome.exercise_id}: deleted {things}; still going away: {', '.join(outcome.pending)} (the next setup waits for it)", f"! {outcome.exercise_id} 초기화: {things} 삭제; 아직 삭제 중: {', '.join(outcome.pending)} (다음 setup은 삭제가 끝나길 기다립니다)"), fg="yellow")
    else:
        click.secho(_say(lang, f"✔ reset {outcome.exercise_id}: deleted {things} ({outcome.seconds:.2f} s)", f"✔ {outcome.exercise_id} 초기화: {things} 삭제 ({outcome.seconds:.2f}초)"), fg="green")


def _action_command(action: str, doc: str) -> click.Command:
    @click.command(action, help=doc)
    @click.argument("exercise_id")
    @cluster_options
    @pack_option
    @lang_option
    @click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout, whatever happens.")
    def command(exercise_id: str, context: str | None, kubeconfig: str | None, allow_context: tuple[str, ...], packs: tuple[Path, ...], lang: str | None, as_json: bool) -> None:
        _exercise_action(action, exercise_id, context, kubeconfig, allow_context, packs, lang, as_json)

    return command


setup = _action_command("setup", "Prepare an exercise's starting state on your practice cluster (kind-* or an allowed context).")
reset = _action_command("reset", "Delete everything an exercise put on your practice cluster, and what you made in its namespace.")


# --- the kind cluster ----------------------------------------------------------------------------


def missing_tools(*tools: str) -> str | None:
    """What stops kind from working here, with how to get it; None when docker (and kind) are ready."""
    for tool in tools:
        if shutil.which(tool) is None:
            return INSTALL[tool]
    if "docker" in tools:
        try:
            info = subprocess.run(["docker", "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True, timeout=15)
        except subprocess.TimeoutExpired:
            return "docker is installed but its engine does not answer (docker info timed out)"
        if info.returncode != 0 or not info.stdout.strip():
            reason = (info.stderr.strip().splitlines() or ["no answer"])[-1]
            return f"docker is installed but its engine is not running ({reason}): start it (`sudo systemctl start docker`, or Docker Desktop)"
    return None


@click.group("cluster")
def cluster() -> None:
    """Your practice cluster: a local kind cluster named kubedojo (1 control plane, 2 workers)."""


@cluster.command("up")
@click.option("--timeout", default=300, show_default=True, help="Seconds to wait for every node to be Ready.")
def cluster_up(timeout: float) -> None:
    """Create the kind cluster `kubedojo` (if needed) and wait until its nodes are Ready."""
    problem = missing_tools("docker", "kind")
    if problem:
        raise Unusable(problem)
    existing = subprocess.run(["kind", "get", "clusters"], capture_output=True, text=True).stdout.split()
    if KIND_CLUSTER in existing:
        click.echo(f"kind cluster {KIND_CLUSTER} already exists; context {KIND_CONTEXT}")
        subprocess.run(["kind", "export", "kubeconfig", "--name", KIND_CLUSTER], check=False)
    elif subprocess.run(["kind", "create", "cluster", "--name", KIND_CLUSTER, "--config", str(KIND_CONFIG)]).returncode != 0:
        raise Unusable("kind create cluster failed (its output is above)")
    from graders.cluster import connect

    try:
        kube = connect(KIND_CONTEXT)
        start, seen = time.monotonic(), ""

        def all_ready(nodes: list[dict[str, Any]]) -> bool:
            nonlocal seen
            ready = sorted(n["metadata"]["name"] for n in nodes if _node_ready(n))
            line = f"nodes Ready: {len(ready)}/{len(nodes)} ({time.monotonic() - start:.0f} s)"
            if line != seen:
                click.echo(f"\r{line}", nl=False)
                seen = line
            return len(nodes) >= 3 and len(ready) == len(nodes)

        nodes = kube.wait_for("Node", None, all_ready, timeout)
        click.echo()
    except ClusterError as err:
        _fail(err, "en", False, {})
    if not all_ready(nodes):
        raise Unusable(f"not every node was Ready after {timeout:g} s: `kubectl get nodes` and `kubectl describe node` say why")
    click.secho(f"✔ cluster {KIND_CLUSTER} is up: context {KIND_CONTEXT}, nodes {', '.join(n['metadata']['name'] for n in nodes)}", fg="green")


@cluster.command("down")
def cluster_down() -> None:
    """Delete the kind cluster `kubedojo`."""
    problem = missing_tools("docker", "kind")
    if problem:
        raise Unusable(problem)
    sys.exit(subprocess.run(["kind", "delete", "cluster", "--name", KIND_CLUSTER]).returncode)


def _node_ready(node: dict[str, Any]) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in (node.get("status") or {}).get("conditions") or [])


@cluster.command("status")
@cluster_options
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout.")
def cluster_status(context: str | None, kubeconfig: str | None, allow_context: tuple[str, ...], as_json: bool) -> None:
    """Show the context, server, version, nodes and kubedojo's namespaces."""
    from graders.cluster import MANAGED_BY, connect, is_practice

    payload: dict[str, Any] = {"context": context, "server": None}
    try:
        kube = connect(*_where(context, kubeconfig))
        version = kube.version().get("gitVersion")
        nodes = kube.list("Node").get("items") or []
        namespaces = kube.list("Namespace", labels=f"{MANAGED_BY}=kubedojo").get("items") or []
    except ClusterError as err:
        _fail(err, "en", as_json, payload)
    payload = {
        "context": kube.info.name,
        "server": kube.info.server,
        "practice": is_practice(kube.info.name, _allowed(allow_context)),
        "version": version,
        "nodes": [{"name": n["metadata"]["name"], "ready": _node_ready(n), "roles": sorted(k.rsplit("/", 1)[-1] for k in (n["metadata"].get("labels") or {}) if k.startswith("node-role.kubernetes.io/"))} for n in nodes],
        "namespaces": [{"name": n["metadata"]["name"], "exercise": (n["metadata"].get("labels") or {}).get("kubedojo.dev/exercise"), "phase": (n.get("status") or {}).get("phase")} for n in namespaces],
    }
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False))
        return
    click.echo(f"context    {payload['context']}" + ("" if payload["practice"] else "  (not a practice context: setup and reset refuse it)"))
    click.echo(f"server     {payload['server']}")
    click.echo(f"version    {version}")
    for node in payload["nodes"]:
        click.echo(f"node       {node['name']:<28} {'Ready' if node['ready'] else 'NotReady':<9} {','.join(node['roles']) or '-'}")
    for ns in payload["namespaces"] or [{"name": "-", "exercise": None, "phase": ""}]:
        click.echo(f"namespace  {ns['name']:<28} {ns['exercise'] or ''} {ns['phase'] or ''}".rstrip())


# --- node-shell ----------------------------------------------------------------------------------


def kind_node(name: str) -> str | None:
    """The docker container of a kind node called `name` (or `kubedojo-name`), if there is one."""
    for candidate in (name, f"{KIND_CLUSTER}-{name}"):
        probe = subprocess.run(["docker", "inspect", "--format", '{{ index .Config.Labels "io.x-k8s.kind.role" }}', candidate], capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.strip() not in ("", "<no value>"):
            return candidate
    return None


@click.command("node-shell")
@click.argument("node")
def node_shell(node: str) -> None:
    """Open a shell on a kind node (`docker exec`), as `ssh node01` does in the exam."""
    problem = missing_tools("docker")
    if problem:
        raise Unusable(problem)
    container = kind_node(node)
    if container is None:
        raise Unusable(f"{node} is not a kind node on this machine (`kind get nodes --name {KIND_CLUSTER}` lists them); node-shell works on kind clusters only")
    os.execvp("docker", ["docker", "exec", "-it", container, "sh", "-c", "command -v bash >/dev/null && exec bash || exec sh"])

