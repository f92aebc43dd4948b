"""Live exercises from the app: probing, setting up, grading and resetting on a cluster, a shell and $EDITOR.

The cluster calls block and import the kubernetes client; screens run them in thread workers.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MAX_KUBECONFIG_BYTES = 16 * 1024 * 1024
"""A kubeconfig with many clusters is a few hundred KiB; more is refused unread."""


@dataclass(frozen=True)
class LiveStatus:
    """Whether the cluster answers, and if not why, in the learner's language."""

    context: str | None
    reachable: bool
    detail: str = ""
    hint: str | None = None
    server: str = ""


class LiveError(Exception):
    """A cluster action failed; the message is ready to show."""


@dataclass(frozen=True)
class ClusterTarget:
    """Which cluster the app talks to: from the settings (context, kubeconfig, allowed contexts)."""

    context: str | None = None
    kubeconfig: str | None = None
    allowed: tuple[str, ...] = ()

    def _describe(self, err: Any, lang: str) -> tuple[str, str | None]:
        from graders.cluster import describe

        return describe(err.problem, lang)

    def probe(self, lang: str) -> LiveStatus:
        """Read the kubeconfig and ask the server for /version."""
        try:
            from graders.cluster import ClusterError, connect, read_context
        except ImportError:
            from app.tui.strings import t

            return LiveStatus(self.context, False, t("live.unavailable", lang))
        try:
            info = read_context(self.context, self.kubeconfig)
        except ClusterError as err:
            message, hint = self._describe(err, lang)
            return LiveStatus(err.problem.context or self.context, False, message, hint)
        try:
            connect(info.name, self.kubeconfig, probe=True)
        except ClusterError as err:
            message, hint = self._describe(err, lang)
            return LiveStatus(info.name, False, message, hint, info.server)
        return LiveStatus(info.name, True, server=info.server)

    def check(self, exercise: Any, lang: str) -> Any:
        """A live GradeReport; an unusable cluster is a report with a fatal error, never an exception."""
        from graders.cluster import ClusterError, connect
        from graders.live import grade_live
        from graders.report import AnswerError, unusable

        max_score = len(exercise.all_checks())
        try:
            return grade_live(exercise, connect(self.context, self.kubeconfig), lang)
        except ClusterError as err:
            message, hint = self._describe(err, lang)
            return unusable(exercise.id, AnswerError(message, hint=hint), max_score=max_score, mode="live")

    def act(self, action: str, exercise: Any, lang: str) -> str:
        """setup or reset on a practice context only; returns what was done, raises LiveError."""
        from graders import cluster as live
        from graders.live import exercise_namespace

        try:
            info = live.read_context(self.context, self.kubeconfig)
            live.require_practice(info, self.allowed)
            cluster = live.connect(info.name, self.kubeconfig)
            run = live.setup if action == "setup" else live.reset
            outcome = run(cluster, exercise.id, exercise_namespace(exercise), exercise.live.setup)
        except live.ClusterError as err:
            message, hint = self._describe(err, lang)
            raise LiveError(f"{message}" + (f" ({hint})" if hint else "")) from None
        done = ", ".join(outcome.objects) or "—"
        if outcome.pending:
            done += " … " + ", ".join(outcome.pending)
        return f"{done} ({outcome.seconds:.1f} s)"


def namespaced_kubeconfig(target: ClusterTarget, namespace: str, directory: Path) -> tuple[Path, str]:
    """A private copy of the kubeconfig whose current context is the target's, with `namespace` set on it.

    The user's own files are never changed (the exam's `kubectl config set-context --current --namespace`,
    done on a copy). Returns the file and the context's name.
    """
    from graders.cluster import kubeconfig_paths

    merged: dict[str, Any] = {"apiVersion": "v1", "kind": "Config", "preferences": {}, "clusters": [], "contexts": [], "users": []}
    seen: dict[str, set[str]] = {"clusters": set(), "contexts": set(), "users": set()}
    current = None
    from graders.files import FileReadError, read_text_file

    for path in kubeconfig_paths(target.kubeconfig):
        if not path.is_file():
            continue
        try:
            data = yaml.safe_load(read_text_file(path, MAX_KUBECONFIG_BYTES)) or {}
        except FileReadError as err:
            raise ValueError(str(err)) from None
        except (yaml.YAMLError, RecursionError) as err:
            raise ValueError(f"{path}: not valid YAML ({type(err).__name__})") from None
        if not isinstance(data, dict):
            continue
        current = current or data.get("current-context")
        for section in seen:
            for entry in data.get(section) or []:
                if isinstance(entry, dict) and entry.get("name") not in seen[section]:
                    seen[section].add(entry.get("name"))
                    merged[section].append(_absolute_paths(entry, path.parent))
    name = target.context or current
    for entry in merged["contexts"]:
        if entry.get("name") == name:
            entry.setdefault("context", {})["namespace"] = namespace
    merged["current-context"] = name
    out = directory / "kubeconfig"
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        yaml.safe_dump(merged, handle, sort_keys=False)
    return out, name or ""


def _absolute_paths(entry: dict[str, Any], base: Path) -> dict[str, Any]:
    """Relative certificate paths in a kubeconfig are relative to its file: keep them pointing there."""
    body_key = next((k for k in ("cluster", "user", "context") if k in entry), None)
    if body_key is None or not isinstance(entry[body_key], dict):
        return entry
    body = dict(entry[body_key])
    for key in ("certificate-authority", "client-certificate", "client-key", "tokenFile"):
        value = body.get(key)
        if isinstance(value, str) and value and not os.path.isabs(value):
            body[key] = str(base / value)
    return {**entry, body_key: body}


def shell_command() -> list[str]:
    return [os.environ.get("SHELL") or "/bin/sh"]


def editor_command() -> list[str]:
    raw = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return shlex.split(raw)


def run_shell(env: dict[str, str], banner: str) -> int:
    """Run the learner's shell in the foreground (call inside App.suspend)."""
    print(banner, flush=True)
    return subprocess.call(shell_command(), env=env)


class EditorTextError(Exception):
    """What the editor saved cannot be the answer (not UTF-8, too large, not a file); the file is kept at `path`."""

    def __init__(self, why: str, path: Path) -> None:
        super().__init__(why)
        self.why = why
        self.path = path


def edit_text(text: str, suffix: str) -> str:
    """Open `text` in $VISUAL/$EDITOR (call inside App.suspend) and return what was saved.

    Raises OSError when the editor cannot run or fails, EditorTextError when what it saved is not usable text
    (then the file is left where it is, so nothing typed in the editor is lost).
    """
    import shutil

    from graders.files import FileReadError, read_text_file
    from graders.source import MAX_ANSWER_BYTES

    folder = Path(tempfile.mkdtemp(prefix="kubedojo-"))
    path = folder / f"answer{suffix}"
    keep = False
    try:
        path.write_text(text, encoding="utf-8", errors="replace")
        code = subprocess.call([*editor_command(), str(path)])
        if code != 0:
            raise OSError(f"exit status {code}")
        try:
            return read_text_file(path, MAX_ANSWER_BYTES)
        except FileReadError as err:
            keep = path.exists()
            raise EditorTextError(err.reason, path) from None
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
