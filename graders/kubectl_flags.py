"""The commands and flags kubectl accepts, read from data/kubectl-flags.json (generated from kubectl's own --help)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

_DATA = Path(__file__).parent / "data" / "kubectl-flags.json"
BOOLS = {"1": "true", "t": "true", "T": "true", "TRUE": "true", "true": "true", "True": "true",
          "0": "false", "f": "false", "F": "false", "FALSE": "false", "false": "false", "False": "false"}
_INT = re.compile(r"[+-]?(?:0[xX][0-9a-fA-F](?:_?[0-9a-fA-F])*|0[bB][01](?:_?[01])*|0[oO]?(?:_?[0-7])*|[1-9](?:_?[0-9])*)")
_DURATION = re.compile(r"[+-]?(?:0|(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)")


@dataclass(frozen=True)
class Flag:
    """One flag of a command, as pflag knows it."""

    name: str
    short: str
    type: str
    """bool, int, duration, string or list."""
    bare: str | None
    """The value when given without one (`--dry-run` -> unchanged, a bool -> true); None: it needs a value."""

    @property
    def shown(self) -> str:
        """As kubectl names it in its errors: `-A, --all-namespaces`."""
        return f"-{self.short}, --{self.name}" if self.short else f"--{self.name}"

    def invalid(self, value: str) -> str | None:
        """kubectl's complaint about this value, or None when pflag takes it."""
        if self.type == "bool" and value not in BOOLS:
            why = f'strconv.ParseBool: parsing "{value}": invalid syntax'
        elif self.type == "int" and not _INT.fullmatch(value):
            why = f'strconv.ParseInt: parsing "{value}": invalid syntax'
        elif self.type == "duration" and not _DURATION.fullmatch(value):
            why = f'time: {"missing unit in" if value.lstrip("+-").replace(".", "").isdigit() else "invalid"} duration "{value}"'
        else:
            return None
        return f'invalid argument "{value}" for "{self.shown}" flag: {why}'

    def normal(self, value: str) -> str:
        """The value in one spelling: booleans as true/false; -o json, yaml and name in lower case (kubectl's printers
        take them in any case, `-o YAML` is `-o yaml`; wide and the template formats only as written)."""
        if self.type == "bool":
            return BOOLS.get(value, value)
        if self.name == "output" and value.lower() in ("json", "yaml", "name"):
            return value.lower()
        return value


@dataclass(frozen=True)
class CommandFlags:
    """Every flag one command accepts: its own and the global ones (its own win, as pflag merges them)."""

    path: str
    by_name: Mapping[str, Flag]
    by_short: Mapping[str, Flag]
    usage: str = ""


@functools.cache
def _data() -> dict:
    with open(_DATA, encoding="utf-8") as handle:
        return json.load(handle)


def kubectl_version() -> str:
    """The kubectl the table was generated from."""
    return _data()["kubectl"]


def is_command(path: str) -> bool:
    """Whether `path` ("get", "create deployment") is a kubectl command."""
    return path in _data()["commands"]


@functools.cache
def subcommands(path: str) -> Mapping[str, str]:
    """The words that name a subcommand of `path` (its names and aliases) -> the subcommand's name."""
    commands = _data()["commands"]
    prefix = f"{path} " if path else ""
    found: dict[str, str] = {}
    names = commands[path]["subcommands"] if path else [c for c in commands if " " not in c]
    for name in names:
        found[name] = name
        for alias in commands.get(prefix + name, {}).get("aliases", ()):
            found.setdefault(alias, name)
    return found


def _flag(name: str, spec: list) -> Flag:
    short, kind, no_opt = spec
    return Flag(name, short, kind, "true" if kind == "bool" else no_opt)


@functools.cache
def flags_for(path: str) -> CommandFlags:
    """The flags of a command ("" for kubectl itself, before any verb): its own, then the global ones."""
    data = _data()
    command = data["commands"].get(path, {}) if path else {}
    by_name = {name: _flag(name, spec) for name, spec in data["global"].items()}
    by_name.update((name, _flag(name, spec)) for name, spec in command.get("flags", {}).items())
    by_name.setdefault("help", Flag("help", "h", "bool", "true"))  # cobra adds it to every command
    by_short = {flag.short: flag for flag in by_name.values() if flag.short}
    return CommandFlags(path, by_name, by_short, command.get("usage", ""))
