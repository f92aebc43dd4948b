"""Live exercises from the app: the practice service (graders.practice) for its screens, a shell and $EDITOR.

The service's calls block and import the kubernetes client; screens run them in thread workers.
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
    """A probe of the practice cluster, in the learner's language, for the live bar."""

    context: str | None
    reachable: bool
    detail: str = ""
    hint: str | None = None
    server: str = ""

    @classmethod
    def of(cls, probe: Any, lang: str) -> "LiveStatus":
        if probe.reachable:
            return cls(probe.context, True, server=probe.server)
        from graders.cluster import describe

        message, hint = describe(probe.problem, lang)
        return cls(probe.context, False, message, hint, probe.server)


def ClusterTarget(context: str | None = None, kubeconfig: str | None = None, allowed: tuple[str, ...] = ()) -> Any:  # noqa: N802 (the app builds its target by this name)
    """The practice cluster the app talks to, from the settings: graders.practice.Practice, which the CLI uses too."""
    from graders.practice import Practice

    return Practice(context, kubeconfig, tuple(allowed))


def namespaced_kubeconfig(target: Any, namespace: str, directory: Path) -> tuple[Path, str]:
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
