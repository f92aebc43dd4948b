"""The YAML of a `kubectl ... --dry-run=client` command the learner types, for an offline answer; never run otherwise."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from dataclasses import dataclass

TIMEOUT_SECONDS = 10.0
"""A client dry run answers at once; one that talks to an absent server gives up by then."""
MAX_OUTPUT_BYTES = 1024 * 1024
SHELL_WORDS = {"|", "||", "&&", ";", ">", ">>", "<", "&"}


@dataclass(frozen=True)
class KubectlYaml:
    """The command's YAML, or why there is none (`error`, one sentence)."""

    yaml: str = ""
    error: str = ""
    argv: tuple[str, ...] = ()


def dry_run_argv(command: str) -> tuple[list[str] | None, str]:
    """The argv to run for `command`, with `-o yaml` added when no output is asked for; or None and why not."""
    try:
        words = shlex.split(command)
    except ValueError as err:
        return None, f"the command cannot be read ({err})"
    if not words:
        return None, "type a kubectl command, e.g. kubectl create deployment web --image=nginx --dry-run=client"
    if words[0] == "k":
        words[0] = "kubectl"
    if words[0] != "kubectl":
        return None, f"only kubectl is run here, not {words[0]!r}"
    shell = next((w for w in words if w in SHELL_WORDS or w.startswith(("|", ">"))), None)
    if shell:
        return None, f"{shell!r} needs a shell, and none is used: give the kubectl command alone"
    if _values(words, "--dry-run") != ["client"]:
        return None, "add --dry-run=client: here kubectl only prints what it would create, it changes nothing"
    outputs = _values(words, "--output", "-o")
    if not outputs:
        words += ["-o", "yaml"]
    elif outputs[-1] not in ("yaml", "json"):
        return None, f"-o {outputs[-1]} is not YAML: use -o yaml (or leave -o out)"
    return words, ""


def _values(words: list[str], long: str, short: str = "") -> list[str]:
    """Every value given to an option: `--opt v`, `--opt=v`, and `-ov` / `-o=v` / `-o v` for a short one."""
    found = []
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if word == long or (short and word == short):
            found.append(following)
        elif word.startswith(long + "="):
            found.append(word.split("=", 1)[1])
        elif short and word.startswith(short) and len(word) > len(short):
            found.append(word[len(short):].removeprefix("="))
    return found


def kubectl_yaml(command: str, timeout: float = TIMEOUT_SECONDS) -> KubectlYaml:
    """Run the dry run (kubectl from PATH, at most `timeout` seconds) and return its output."""
    argv, why = dry_run_argv(command)
    if argv is None:
        return KubectlYaml(error=why)
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        return KubectlYaml(error="kubectl is not on PATH, so the command cannot run here: install kubectl, or paste its YAML", argv=tuple(argv))
    try:
        done = subprocess.run([kubectl, *argv[1:]], capture_output=True, stdin=subprocess.DEVNULL, timeout=timeout)
    except subprocess.TimeoutExpired:
        return KubectlYaml(error=f"kubectl gave no answer in {timeout:g} s (a dry run that needs the server waits for one)", argv=tuple(argv))
    except OSError as err:
        return KubectlYaml(error=f"kubectl could not run: {err.strerror or err}", argv=tuple(argv))
    stderr = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode != 0:
        first = stderr.splitlines()[0] if stderr else f"exit status {done.returncode}"
        return KubectlYaml(error=f"kubectl said: {first}", argv=tuple(argv))
    if len(done.stdout) > MAX_OUTPUT_BYTES:
        return KubectlYaml(error=f"kubectl printed more than {MAX_OUTPUT_BYTES // 1024} KiB; not inserted", argv=tuple(argv))
    text = done.stdout.decode("utf-8", "replace")
    if not text.strip():
        return KubectlYaml(error="kubectl printed nothing", argv=tuple(argv))
    return KubectlYaml(yaml=text if text.endswith("\n") else text + "\n", argv=tuple(argv))
