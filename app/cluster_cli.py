"""The live-cluster commands: `cluster up|down|status`, `setup`, `reset`, `node-shell`, and `check --live`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, NoReturn

import click

from app.cli import EXIT_UNUSABLE, Unusable, catalog_for, cluster_options, exercise_or_fail, lang_option, pack_option, resolve_lang
from graders.practice import KIND_CLUSTER
from graders.report import GradeReport

PLAIN_PROGRESS_SECONDS = 5.0
"""Without a terminal, a progress line is printed at most this often (and only when it says something new)."""


def _say(lang: str, en: str, ko: str) -> str:
    return ko if lang == "ko" else en


def _settings() -> Any:
    from app.config import ConfigError, Settings, load_settings

    try:
        return load_settings()
    except ConfigError as err:
        click.secho(f"kubedojo: {err} (using defaults)", err=True, fg="yellow")
        return Settings()


def practice_for(context: str | None, kubeconfig: str | None, allow_context: tuple[str, ...] = ()) -> Any:
    """The practice cluster the flags and the settings name (graders.practice.Practice, which the app uses too)."""
    from graders.practice import Practice

    settings = _settings()
    allowed = tuple(dict.fromkeys([*settings.allowed_contexts, *allow_context]))
    return Practice(context or settings.context, kubeconfig or settings.kubeconfig, allowed)


def progress_printer(lang: str) -> Callable[[Any], None]:
    """Progress lines on stderr: rewritten in place on a terminal; otherwise a new line now and then when it changes."""
    stream = sys.stderr
    on_terminal = stream.isatty()
    last = {"text": "", "at": -PLAIN_PROGRESS_SECONDS}

    def show(progress: Any) -> None:
        line = progress.line(lang)
        if on_terminal:
            width = shutil.get_terminal_size((100, 20)).columns - 1
            click.echo("\r" + line[:width].ljust(width), nl=False, err=True)
            last["text"] = line
            return
        news = line.split(":", 1)[-1]  # what it waits for, without the seconds counter
        if news != last["text"] and progress.elapsed - last["at"] >= PLAIN_PROGRESS_SECONDS:
            click.echo(line, err=True)
            last.update(text=news, at=progress.elapsed)

    def done() -> None:
        if on_terminal and last["text"]:
            click.echo("\r" + " " * (shutil.get_terminal_size((100, 20)).columns - 1) + "\r", nl=False, err=True)

    show.done = done  # type: ignore[attr-defined]
    return show


def check_live(exercise: Any, lang: str, context: str | None = None, kubeconfig: str | None = None, allow_context: tuple[str, ...] = ()) -> GradeReport:
    """Grade the exercise on the cluster; a cluster that cannot be used is a report with a fatal error, never an exception."""
    progress = progress_printer(lang)
    try:
        return practice_for(context, kubeconfig, allow_context).check(exercise, lang, progress)
    finally:
        progress.done()  # type: ignore[attr-defined]


# --- setup and reset ---------------------------------------------------------------------------


def _exercise_action(action: str, exercise_id: str, context: str | None, kubeconfig: str | None, allow_context: tuple[str, ...], packs: tuple[Path, ...], lang: str | None, as_json: bool) -> None:
    lang = resolve_lang(lang)
    exercise = exercise_or_fail(catalog_for(packs), exercise_id, as_json)
    practice = practice_for(context, kubeconfig, allow_context)
    done = practice.setup(exercise) if action == "setup" else practice.reset(exercise)
    if done.refusal is not None:
        raise Unusable(done.error(lang)[0], exercise_id, as_json)
    if as_json:
        click.echo(json.dumps(done.to_json(lang), ensure_ascii=False))
    elif done.ok:
        _print_outcome(done, lang)
    else:
        message, hint = done.error(lang)
        click.secho(f"kubedojo: {message}", err=True, fg="red")
        if hint:
            click.secho(f"  {_say(lang, 'hint', '힌트')}: {hint}", err=True, fg="yellow")
    sys.exit(0 if done.ok else EXIT_UNUSABLE)


def _fail(err: Any, lang: str, as_json: bool, payload: dict[str, Any]) -> NoReturn:
    """A cluster error for `cluster up|status`: exit 2, one JSON object under --json."""
    from graders.cluster import describe

    message, hint = describe(err.problem, lang)
    if as_json:
        payload.update(context=err.problem.context or payload.get("context"), server=err.problem.server or payload.get("server"), errors=[{"message": message, "hint": hint}])
        click.echo(json.dumps(payload, ensure_ascii=False))
    else:
        click.secho(f"kubedojo: {message}", err=True, fg="red")
        if hint:
            click.secho(f"  {_say(lang, 'hint', '힌트')}: {hint}", err=True, fg="yellow")
    sys.exit(EXIT_UNUSABLE)


def _print_outcome(done: Any, lang: str) -> None:
    outcome = done.outcome
    if outcome.action == "setup":
        click.secho(_say(lang, f"✔ {outcome.exercise_id} is set up on {done.context}: {done.summary(lang)}", f"✔ {done.context}에 {outcome.exercise_id} 준비 완료: {done.summary(lang)}"), fg="green")
        if outcome.namespace != "default":
            click.echo(_say(lang, f"  The task is set in namespace {outcome.namespace}:", f"  문제는 네임스페이스 {outcome.namespace}에 있습니다:"))
            click.echo(f"    kubectl config set-context --current --namespace={outcome.namespace}")
        click.echo(_say(lang, f"  When done: kubedojo check {outcome.exercise_id} --live", f"  다 했으면: kubedojo check {outcome.exercise_id} --live"))
    elif outcome.pending:
        click.secho(_say(lang, f"! reset {outcome.exercise_id}: deleted {done.summary(lang)} (the next setup waits for it)", f"! {outcome.exercise_id} 초기화: {done.summary(lang)} 삭제 (다음 setup은 삭제가 끝나길 기다립니다)"), fg="yellow")
    else:
        click.secho(_say(lang, f"✔ reset {outcome.exercise_id}: deleted {done.summary(lang)}", f"✔ {outcome.exercise_id} 초기화: {done.summary(lang)} 삭제"), fg="green")


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


@click.group("cluster")
def cluster() -> None:
    """Your practice cluster: a local kind cluster named kubedojo (1 control plane, 2 workers)."""


@cluster.command("up")
@click.option("--timeout", default=300, show_default=True, help="Seconds to wait for every node to be Ready.")
@lang_option
def cluster_up(timeout: float, lang: str | None) -> None:
    """Create the kind cluster `kubedojo` (if needed) and wait until its nodes are Ready."""
    from app.cluster_up import ClusterUp

    done = ClusterUp(timeout=timeout, lang=resolve_lang(lang))(click.echo)
    if not done.ok:
        raise Unusable(done.message)
    click.secho(f"✔ {done.message}", fg="green")


@cluster.command("down")
def cluster_down() -> None:
    """Delete the kind cluster `kubedojo`."""
    from graders.practice import missing_tools

    problem = missing_tools("docker", "kind", lang=resolve_lang(None))
    if problem:
        raise Unusable(problem)
    sys.exit(subprocess.run(["kind", "delete", "cluster", "--name", KIND_CLUSTER]).returncode)


@cluster.command("status")
@cluster_options
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout.")
def cluster_status(context: str | None, kubeconfig: str | None, allow_context: tuple[str, ...], as_json: bool) -> None:
    """Show the context, server, version, nodes and kubedojo's namespaces."""
    from graders.cluster import ClusterError

    try:
        payload = practice_for(context, kubeconfig, allow_context).status()
    except ClusterError as err:
        _fail(err, "en", as_json, {"context": context, "server": None})
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False))
        return
    click.echo(f"context    {payload['context']}" + ("" if payload["practice"] else "  (not a practice context: setup and reset refuse it)"))
    click.echo(f"server     {payload['server']}")
    click.echo(f"version    {payload['version']}")
    for node in payload["nodes"]:
        click.echo(f"node       {node['name']:<28} {'Ready' if node['ready'] else 'NotReady':<9} {','.join(node['roles']) or '-'}")
    for ns in payload["namespaces"] or [{"name": "-", "exercise": None, "phase": ""}]:
        click.echo(f"namespace  {ns['name']:<28} {ns['exercise'] or ''} {ns['phase'] or ''}".rstrip())


# --- node-shell ----------------------------------------------------------------------------------


@click.command("node-shell")
@click.argument("node")
def node_shell(node: str) -> None:
    """Open a shell on a kind node (`docker exec`), as `ssh node01` does in the exam."""
    shell = practice_for(None, None).node_shell(node)
    if shell.problem:
        raise Unusable(shell.problem)
    os.execvp(shell.argv[0], list(shell.argv))
