"""Regenerate kubectl-flags.json from a real kubectl's help: `python3 graders/data/generate_kubectl_flags.py [KUBECTL]`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).with_name("kubectl-flags.json")
DEFAULT_KUBECTL = "/usr/lib/google-cloud-sdk/bin/kubectl.1.33"
# Flags kubectl hides from --help but still accepts on some commands (deprecated ones): probed on every command.
HIDDEN_CANDIDATES = ("record", "prune-whitelist", "delete-local-data", "export", "generator", "serviceaccount",
                     "requests", "limits", "show-all", "include-uninitialized", "server-dry-run", "schema-cache-dir",
                     "openapi-patch", "use-openapi-print-columns", "pod", "hostport", "service-generator",
                     "service-overrides", "include-extended-apis", "output-version", "kuberc", "container-type")
# What a flag with an optional value means when given bare (pflag's NoOptDefVal); --help does not show it.
NO_OPT_DEFAULTS = {"dry-run": "unchanged", "cascade": "background", "validate": "strict"}
# Flags newer than the kubectl the table is generated from, read from kubectl's source (k8s.io/kubectl@v0.35.0):
# (command path, flag, [short, type, bare value], where it is defined). Merged into the probed table.
ADDITIONS = (
    ("top node", "show-swap", ["", "bool", None], "v1.34: pkg/cmd/top/top_node.go (BoolVar ShowSwap)"),
    ("top pod", "show-swap", ["", "bool", None], "v1.34: pkg/cmd/top/top_pod.go (BoolVar ShowSwap)"),
    ("autoscale", "cpu", ["", "string", None], "v1.35: pkg/cmd/autoscale/autoscale.go (StringVar CPU; --cpu-percent deprecated)"),
    ("autoscale", "memory", ["", "string", None], "v1.35: pkg/cmd/autoscale/autoscale.go (StringVar Memory)"),
)


def add_newer(data: dict) -> None:
    """Merge ADDITIONS into the table, and record where each came from."""
    for path, name, flag, source in ADDITIONS:
        data["commands"][path]["flags"].setdefault(name, flag)
    data["additions"] = [{"command": path, "flag": name, "source": source} for path, name, _, source in ADDITIONS]


# Commands whose own --help is not the command (or that only print): not probed.
SKIP = {"help", "completion", "__complete", "__completeNoDesc"}

_SECTION = re.compile(r"^(\S[^:]*):\s*$")
_FLAG = re.compile(r"^\s{4}(?:-(?P<short>\S), )?--(?P<name>[\w-]+)=(?P<default>.*?):(?: \(DEPRECATED.*)?$")
_COMMAND = re.compile(r"^  (?P<name>[a-z][\w-]*)\s{2,}\S")
_DURATION = re.compile(r"^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$")


class Kubectl:
    def __init__(self, binary: str, home: Path) -> None:
        self.binary = binary
        config = home / "config"
        config.write_text("apiVersion: v1\nkind: Config\nclusters: [{name: none, cluster: {server: 'http://127.0.0.1:9'}}]\n"
                          "users: [{name: u, user: {}}]\ncontexts: [{name: c, context: {cluster: none, user: u}}]\n"
                          "current-context: c\n", encoding="utf-8")
        self.env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "KUBECONFIG": str(config), "KUBECTL_KUBERC": "false"}
        self.cwd = home

    def run(self, *args: str) -> str:
        done = subprocess.run([self.binary, *args], capture_output=True, text=True, env=self.env, cwd=self.cwd,
                              timeout=20, check=False)
        return done.stdout + done.stderr


def parse_help(text: str) -> dict:
    """Aliases, subcommands, flags and usage of one command's --help."""
    section, found = None, {"aliases": [], "subcommands": [], "flags": {}, "usage": ""}
    for line in text.splitlines():
        head = _SECTION.match(line)
        if head:
            section = head.group(1)
            continue
        if section == "Aliases" and line.strip():
            found["aliases"] = [a.strip() for a in line.split(",")][1:]
            section = None
        elif section == "Usage" and line.strip() and not found["usage"]:
            found["usage"] = line.strip()
        elif section in ("Options", "The following options can be passed to any command") and (m := _FLAG.match(line)):
            found["flags"][m["name"]] = [m["short"] or "", value_type(m["default"]), None]
        elif section and (section.endswith("Commands") or section.startswith("Basic Commands")
                          or section.endswith("Commands (Beginner)") or section.endswith("Commands (Intermediate)")) \
                and (m := _COMMAND.match(line)):
            found["subcommands"].append(m["name"])
    return found


def value_type(default: str) -> str:
    if default.startswith("'"):
        return "string"
    if default.startswith("["):
        return "list"
    if default in ("true", "false"):
        return "bool"
    if re.fullmatch(r"-?\d+", default):
        return "int"
    if _DURATION.match(default):
        return "duration"
    return "string"


def probe_optional(kubectl: Kubectl, path: list[str], name: str) -> bool:
    """Whether `--name` may be given without a value: then the next word is read as a flag of its own."""
    out = kubectl.run(*path, f"--{name}", "--zzz-probe", "--yyy-probe")
    return "unknown flag: --zzz-probe" in out


def probe_hidden(kubectl: Kubectl, path: list[str], name: str) -> str | None:
    """The type of a hidden flag the command accepts, or None when it does not know it."""
    out = kubectl.run(*path, f"--{name}=1", "--zzz-probe")
    if f"unknown flag: --{name}" in out:
        return None
    if "ParseBool" in kubectl.run(*path, f"--{name}=maybe", "--zzz-probe"):
        return "bool"
    if "ParseInt" in out or "ParseInt" in kubectl.run(*path, f"--{name}=x", "--zzz-probe"):
        return "int"
    return "string"


def main() -> None:
    binary = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_KUBECTL
    with tempfile.TemporaryDirectory() as tmp:
        kubectl = Kubectl(binary, Path(tmp))
        version = re.search(r"Client Version: (\S+)", kubectl.run("version", "--client"))
        global_flags = parse_help(kubectl.run("options"))["flags"]
        commands: dict[str, dict] = {}
        queue = [[name] for name in parse_help(kubectl.run("--help"))["subcommands"] if name not in SKIP]
        while queue:
            path = queue.pop(0)
            info = parse_help(kubectl.run(*path, "--help"))
            for name, spec in info["flags"].items():
                if spec[1] != "bool" and probe_optional(kubectl, path, name):
                    if name not in NO_OPT_DEFAULTS:
                        raise SystemExit(f"{' '.join(path)} --{name} takes an optional value: add it to NO_OPT_DEFAULTS")
                    spec[2] = NO_OPT_DEFAULTS[name]
            for name in HIDDEN_CANDIDATES:
                if name not in info["flags"] and name not in global_flags:
                    kind = probe_hidden(kubectl, path, name)
                    if kind:
                        info["flags"][name] = ["", kind, None]
            commands[" ".join(path)] = info
            queue.extend(path + [sub] for sub in info["subcommands"] if sub not in SKIP)
            print(" ".join(path), len(info["flags"]), file=sys.stderr)
    data = {"kubectl": version.group(1) if version else "unknown", "global": global_flags, "commands": commands}
    add_newer(data)
    OUT.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(commands)} commands from kubectl {data['kubectl']}")


if __name__ == "__main__":
    main()
