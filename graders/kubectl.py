"""Parse a kubectl command line, as typed at the exam prompt, into one canonical record."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from graders.kubectl_flags import BOOLS, CommandFlags, Flag, flags_for, is_command, subcommands
from graders.kubectl_resources import _KIND, _PLURAL, _plural, _typed, plural, singular  # noqa: F401 - re-exported
from graders.kubectl_shell import CommandParseError, Stage, Word, split_line

__all__ = ["CommandParseError", "KubectlCommand", "parse_kubectl", "parse_stage", "kubectl_stage"]


@dataclass(frozen=True)
class KubectlCommand:
    """One kubectl invocation, in canonical form; equality compares everything but `raw`."""

    verb: str
    """The kubectl subcommand as typed: "get", "run", "create", "rollout", "auth", ..."""
    subverb: str | None = None
    """Second word of verbs with subcommands: "deployment" (create), "status" (rollout), "can-i" (auth)."""
    resource: str | None = None
    """Canonical plural lowercase resource ("pods", "deployments"); a comma list stays one ("pods,services")."""
    names: tuple[str, ...] = ()
    """Object names; for verbs without a resource (config, auth, cp, explain) the remaining words as given."""
    flags: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    """Canonical long flag name, without dashes -> values in the order given; a bare boolean flag is ("true",)."""
    command: tuple[str, ...] = ()
    """The container command: words after a standalone `--`, or extra words of `exec POD` / `run NAME`."""
    redirect: str | None = None
    """Target of a stdout redirect: `> f`, `>> f`, `>f`, `&> f`."""
    raw: str = field(default="", compare=False)
    """The line as typed."""
    pipeline: tuple[str, ...] = ()
    """Raw text of each later stage: "grep x" after `|`; "&& echo ok" after `&&`, `||`, `;`, `&` or a newline."""
    assignments: tuple[str, ...] = ()
    """KEY=VALUE and KEY- words after the names (label, annotate, set, taint); port pairs of port-forward."""
    variant: str | None = None
    """Third word of `create secret` / `create service`: "generic", "tls", "docker-registry", "nodeport", ..."""
    env: tuple[str, ...] = ()
    """NAME=VALUE words before the program: `KUBECONFIG=/tmp/x kubectl ...`."""
    problems: tuple[str, ...] = field(default=(), compare=False)
    """Why kubectl would refuse the command, in kubectl's words (an unknown flag, a bad value ...); () if it would not."""
    args: tuple[str, ...] = field(default=(), compare=False)
    """The positional words after the command path, as typed (names, types, assignments)."""

    def __post_init__(self) -> None:
        if not isinstance(self.flags, MappingProxyType):
            frozen = {name: tuple(values) for name, values in self.flags.items()}
            object.__setattr__(self, "flags", MappingProxyType(frozen))

    def flag(self, name: str) -> str | None:
        """The last value of a canonical long flag ("namespace" or "--namespace"), or None."""
        values = self.flags.get(name.removeprefix("--"))
        return values[-1] if values else None

    def has_flag(self, name: str) -> bool:
        """Whether a canonical long flag was given at all, with any value."""
        return name.removeprefix("--") in self.flags

    @property
    def namespace(self) -> str | None:
        """The namespace given with -n / --namespace, or None."""
        return self.flag("namespace")

    @property
    def all_namespaces(self) -> bool:
        """Whether -A / --all-namespaces is in effect."""
        return self.flag("all-namespaces") == "true"


_CREATE_RESOURCES = {"quota": "resourcequotas", "token": "serviceaccounts"}  # `create token SA` names the account


# Canonical values of flags with an optional value, and of their deprecated boolean forms.
_OPTIONAL = {"dry-run": {"unchanged": "client", "true": "client", "false": "none"},
             "cascade": {"true": "background", "false": "orphan"},
             "validate": {"true": "strict", "false": "ignore"}}
_GROUPS = frozenset("config set rollout auth certificate plugin top".split())  # only run through a subcommand
_POD_VERBS = frozenset("logs exec attach port-forward debug".split())  # first word is a pod unless TYPE/NAME
_NODE_VERBS = frozenset("cordon uncordon drain".split())
_TYPED_VERBS = frozenset("get describe delete edit label annotate expose scale autoscale patch wait taint "
                         "rollout set apply replace".split())  # first word is the resource
_ASSIGNING = frozenset("label annotate taint set".split())
TAKES_COMMAND = frozenset({"run", "exec", "debug", "create deployment", "create job", "create cronjob"})
"""Commands whose words after `--` are a container's command; for the others they are more positional words."""
_PREFIXES = frozenset({"time", "command"})
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")

Targets = tuple[str | None, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def parse_kubectl(line: str) -> KubectlCommand:
    """Parse a line's first command, which must be kubectl (later stages go to .pipeline); raise CommandParseError."""
    stages = split_line(line)
    if not stages:
        raise CommandParseError("empty command")
    command = parse_stage(stages[0], line)
    return replace(command, pipeline=_later_stages(stages, line), raw=line)


def kubectl_stage(stage: Stage) -> bool:
    """Whether a stage runs kubectl (after any prompt, NAME=VALUE words, `time` or `command`)."""
    words = _program_words(list(stage.words))[1]
    return bool(words) and words[0].text.rpartition("/")[2] in ("kubectl", "k")


def parse_stage(stage: Stage, line: str) -> KubectlCommand:
    """One stage of a line as a kubectl command; raise CommandParseError when it is not one we can read."""
    env, words = _program_words(list(stage.words))
    if not words:
        raise CommandParseError("empty command")
    program = words[0]
    if program.text.rpartition("/")[2] not in ("kubectl", "k"):
        raise CommandParseError(f"not a kubectl command: {program.text}", program.start + 1)
    args = words[1:]
    path, used, problems = _command_path(args)
    flags: dict[str, list[str]] = {}
    positionals: list[str] = []
    after_dash: list[str] = []
    spec = flags_for(" ".join(path))
    i = 0
    while i < len(args):
        word = args[i]
        i += 1
        if i - 1 in used:
            continue
        if word.text == "--":
            after_dash = [w.text for w in args[i:]]
            break
        if word.text.startswith("--"):
            i = _long_flag(word, args, i, spec, flags, problems)
        elif word.text.startswith("-") and word.text != "-":
            i = _short_flags(word, args, i, spec, flags, problems)
        else:
            positionals.append(word.text)
    if not path:
        raise CommandParseError("no kubectl verb: expected e.g. get, run, create")
    if " ".join(path[:2]) not in TAKES_COMMAND and path[:1] != ["exec"]:
        positionals, after_dash = positionals + after_dash, []
    verb, subverb, variant, plural = _parts(path, positionals)
    resource, names, assignments, extra = _targets(verb, subverb, plural, positionals, flags)
    redirect = next((r.target for r in reversed(stage.redirects) if r.stdout), None)
    return KubectlCommand(
        verb=verb, subverb=subverb, variant=variant, resource=resource, names=names,
        flags=MappingProxyType({name: tuple(values) for name, values in flags.items()}), assignments=assignments,
        command=extra + tuple(after_dash), redirect=redirect, raw=line[stage.start:stage.end], env=tuple(env),
        problems=tuple(problems), args=tuple(positionals),
    )


def _program_words(words: list[Word]) -> tuple[list[str], list[Word]]:
    """Drop a pasted shell prompt ("$", "user@host:~$", "root@cp:~#", "controlplane $"), NAME=VALUE words and
    `time` / `command` before the program; return the NAME=VALUE words and the rest."""
    if words and words[0].raw.endswith(("$", "#")) and not _ASSIGNMENT.match(words[0].raw):
        words = words[1:]
    elif len(words) > 1 and words[1].raw == "$":
        words = words[2:]
    env = []
    while words and (_ASSIGNMENT.match(words[0].raw) or words[0].text in _PREFIXES):
        if words[0].text not in _PREFIXES:
            env.append(words[0].text)
        words = words[1:]
    return env, words


def _command_path(args: list[Word]) -> tuple[list[str], set[int], list[str]]:
    """The command a line names (["create", "deployment"]), the indexes of those words, and what kubectl says when
    it cannot find it. kubectl finds it as cobra does; when that fails, a kinder reading still names a verb."""
    path, used = _find(args, cobra=True)
    problems: list[str] = []
    if not path:
        first = _next_positional(args, set(), flags_for(""), cobra=True)
        if args and args[0].text.startswith("-"):
            problems.append(f"flags cannot be placed before plugin name: {args[0].text}")
        elif first is not None:
            problems.append(f'unknown command "{args[first].text}" for "kubectl"')
        path, used = _find(args, cobra=False)
        first = _next_positional(args, set(), flags_for(""), cobra=False)
        if not path and first is not None:
            path, used = [args[first].text], {first}
    level = " ".join(path)
    if path and (level in _GROUPS or level in ("create secret", "create service")):
        index = _next_positional(args, used, flags_for(level), cobra=True)
        if index is not None:
            rest = [args[j].text for j in range(index, len(args)) if j not in used and not args[j].text.startswith("-")]
            problems.append(f'unknown command "{" ".join(rest)}" for "kubectl {level}"')
            if level not in ("top", "create secret", "create service"):
                path.append(args[index].text)  # kubectl config use-contxt: still say which subcommand was meant
                used.add(index)
    return path, used, problems


def _find(args: list[Word], cobra: bool) -> tuple[list[str], set[int]]:
    path: list[str] = []
    used: set[int] = set()
    while True:
        level = " ".join(path)
        index = _next_positional(args, used, flags_for(level), cobra)
        name = subcommands(level).get(args[index].text) if index is not None and (not path or is_command(level)) else None
        if name is None:
            return path, used
        path.append(name)
        used.add(index)  # type: ignore[arg-type]


def _next_positional(args: list[Word], used: set[int], flags: CommandFlags, cobra: bool) -> int | None:
    """The index of the first word that is not a flag nor a flag's value. cobra=True reads as cobra does when it
    looks for the command: any flag written without `=` that is not a known switch takes the next word."""
    i = 0
    while i < len(args):
        text = args[i].text
        if i in used:
            i += 1
            continue
        if text == "--":
            return None
        if text.startswith("-") and text != "-":
            i += 1 + _takes_next(text, flags, cobra)
            continue
        return i
    return None


def _takes_next(text: str, flags: CommandFlags, cobra: bool) -> int:
    if "=" in text:
        return 0
    if text.startswith("--"):
        flag = flags.by_name.get(text[2:].replace("_", "-"))
        return 0 if flag is not None and flag.bare is not None else int(cobra or flag is not None)
    if cobra:
        flag = flags.by_short.get(text[1:2])
        return int(len(text) == 2 and (flag is None or flag.bare is None))
    last = flags.by_short.get(text[-1])
    return int(all(c in flags.by_short and flags.by_short[c].bare is not None for c in text[1:-1])
               and last is not None and last.bare is None)


def _long_flag(word: Word, args: list[Word], i: int, spec: CommandFlags, flags: dict[str, list[str]],
               problems: list[str]) -> int:
    name, eq, value = word.text[2:].partition("=")
    name = name.replace("_", "-")  # kubectl normalises word separators in flag names
    if not name or name.startswith("-"):
        raise CommandParseError(f"bad flag syntax: {word.text}", word.start + 1)
    flag = spec.by_name.get(name)
    if flag is None:
        problems.append(f"unknown flag: --{name}")
        flags.setdefault(name, []).append(value if eq else "true")
        return i
    if not eq:
        if flag.bare is not None:
            value = flag.bare
        elif i < len(args):
            value, i = args[i].text, i + 1
        else:
            raise CommandParseError(f"flag needs an argument: --{name}", word.start + 1)
    _record(flag, value, flags, problems)
    return i


def _short_flags(word: Word, args: list[Word], i: int, spec: CommandFlags, flags: dict[str, list[str]],
                 problems: list[str]) -> int:
    """A cluster of short flags, read as pflag does: -it, -nkube-system, -owide, -o=yaml, -A=false."""
    rest = word.text[1:]
    while rest:
        char = rest[0]
        flag = spec.by_short.get(char)
        if flag is None:
            problems.append(f"unknown shorthand flag: '{char}' in -{rest}")
            flags.setdefault(char, []).append("true")
            return i
        if len(rest) > 2 and rest[1] == "=":
            value, rest = rest[2:], ""
        elif flag.bare is not None:
            value, rest = flag.bare, rest[1:]
        elif len(rest) > 1:
            value, rest = rest[1:], ""
        elif i < len(args):
            value, rest, i = args[i].text, "", i + 1
        else:
            raise CommandParseError(f"flag needs an argument: -{char}", word.start + 1)
        _record(flag, value, flags, problems)
    return i


def _record(flag: Flag, value: str, flags: dict[str, list[str]], problems: list[str]) -> None:
    complaint = flag.invalid(value)
    if complaint:
        problems.append(complaint)
    value = flag.normal(value)
    flags.setdefault(flag.name, []).append(_OPTIONAL.get(flag.name, {}).get(BOOLS.get(value, value), value))


def _parts(path: list[str], positionals: list[str]) -> tuple[str, str | None, str | None, str | None]:
    """verb, subverb, variant and (for create) the resource the command path names."""
    verb, subverb, variant = path[0], (path[1] if len(path) > 1 else None), (path[2] if len(path) > 2 else None)
    plural = None
    if verb == "top" and subverb:
        positionals.insert(0, subverb)
        subverb = None
    elif verb == "create" and subverb:
        plural = _CREATE_RESOURCES.get(subverb) or _plural(subverb)
    return verb, subverb, variant, plural


def _later_stages(stages: tuple[Stage, ...], line: str) -> tuple[str, ...]:
    """The raw text of every stage after the first, as KubectlCommand.pipeline describes."""
    texts = []
    first_pipeline = True
    for stage in stages[1:]:
        first_pipeline = first_pipeline and stage.piped
        texts.append(("" if first_pipeline else f"{stage.op} ") + line[stage.start:stage.end])
    return tuple(texts)


def _targets(verb: str, subverb: str | None, plural: str | None, words: list[str],
             flags: dict[str, list[str]]) -> Targets:
    """What the positional words name: (resource, names, assignments, words that belong to the command)."""
    if verb == "create" and subverb:
        return plural, tuple(words), (), ()
    if verb == "run":
        return "pods", tuple(words[:1]), (), tuple(words[1:])
    if verb == "top":
        return (_plural(words[0]) if words else None), tuple(words[1:]), (), ()
    if verb in _POD_VERBS and words:
        resource, name = _typed(words[0]) or ("pods", words[0])
        extra = tuple(words[1:])
        if verb == "exec":  # the removed `exec POD CMD` form
            return resource, (name,), (), extra
        if verb == "port-forward":
            return resource, (name,), extra, ()
        if verb == "logs" and len(extra) == 1 and "container" not in flags:
            flags["container"] = [extra[0]]  # `logs POD CONTAINER` is `logs POD -c CONTAINER`
            extra = ()
        return resource, (name,) + extra, (), ()
    if verb in _NODE_VERBS:
        return "nodes", tuple((_typed(word) or ("", word))[1] for word in words), (), ()
    if verb == "explain" and words:
        return _plural(words[0].partition(".")[0]), tuple(words), (), ()
    if verb == "auth" and subverb == "can-i" and len(words) >= 2:  # can-i VERB TYPE[/NAME]: the type canonical
        kind, slash, name = words[1].partition("/")
        return None, (words[0], _plural(kind) + slash + name, *words[2:]), (), ()
    if verb == "certificate" and subverb:
        return "certificatesigningrequests", tuple(words), (), ()
    if verb in _TYPED_VERBS and words and (verb not in _GROUPS or subverb):
        return _resource_and_names(verb, words)
    return None, tuple(words), (), ()


def _resource_and_names(verb: str, words: list[str]) -> Targets:
    """TYPE NAME... or TYPE/NAME...; label, annotate, set and taint end with KEY=VALUE / KEY- words."""
    rest, assignments = words[1:], ()
    if verb in _ASSIGNING:
        changes = [w for w in rest if "=" in w or w.endswith("-") or (verb == "taint" and ":" in w)]
        rest, assignments = [w for w in rest if w not in changes], tuple(changes)
    if _typed(words[0]) is None:
        resource = ",".join(_plural(part) for part in words[0].split(",") if part)  # pods,svc
        return resource or words[0].lower(), tuple(rest), assignments, ()
    entries = [_typed(word) or ("", word) for word in [words[0], *rest]]
    kinds = list(dict.fromkeys(kind for kind, _ in entries if kind))
    if len(kinds) == 1:
        return kinds[0], tuple(name for _, name in entries), assignments, ()
    return ",".join(kinds), tuple(f"{k}/{n}" if k else n for k, n in entries), assignments, ()
