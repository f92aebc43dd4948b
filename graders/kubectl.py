"""Parse a kubectl command line, as typed at the exam prompt, into one canonical record."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


class CommandParseError(ValueError):
    """The line is not a kubectl command we can read; .column is 1-based or None."""

    def __init__(self, message: str, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.column = column


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


# "plural singular short..." per resource; unknown words stay as typed, lowercased.
_RESOURCES = """
pods pod po; services service svc; deployments deployment deploy; replicasets replicaset rs; jobs job;
daemonsets daemonset ds; statefulsets statefulset sts; cronjobs cronjob cj; namespaces namespace ns; nodes node no;
configmaps configmap cm; secrets secret; serviceaccounts serviceaccount sa; endpoints endpoints ep; events event ev;
persistentvolumes persistentvolume pv; persistentvolumeclaims persistentvolumeclaim pvc; storageclasses storageclass sc;
ingresses ingress ing; ingressclasses ingressclass; networkpolicies networkpolicy netpol; endpointslices endpointslice;
horizontalpodautoscalers horizontalpodautoscaler hpa; poddisruptionbudgets poddisruptionbudget pdb;
priorityclasses priorityclass pc; resourcequotas resourcequota quota; limitranges limitrange limits;
roles role; rolebindings rolebinding; clusterroles clusterrole; clusterrolebindings clusterrolebinding;
customresourcedefinitions customresourcedefinition crd crds; certificatesigningrequests certificatesigningrequest csr;
replicationcontrollers replicationcontroller rc; componentstatuses componentstatus cs; leases lease;
runtimeclasses runtimeclass; volumeattachments volumeattachment; csidrivers csidriver; csinodes csinode;
podtemplates podtemplate; controllerrevisions controllerrevision; apiservices apiservice;
mutatingwebhookconfigurations mutatingwebhookconfiguration;
validatingwebhookconfigurations validatingwebhookconfiguration
"""
_PLURAL = {alias: entry.split()[0] for entry in _RESOURCES.split(";") for alias in entry.split()}
_KIND = {entry.split()[0]: entry.split()[1] for entry in _RESOURCES.split(";")}
_CREATE_SPECIAL = {"resourcequotas": ("quota", "resourcequotas"),
                   "token": ("token", "serviceaccounts")}  # `create token SA` names the service account
_VARIANTS = {"secret": frozenset({"generic", "tls", "docker-registry"}),
             "service": frozenset({"clusterip", "nodeport", "loadbalancer", "externalname"})}

# Flags: which long names take a value, and what each short letter means, globally and per verb.
_GLOBAL_SHORT = ("n=namespace o=output l=selector f=filename A=all-namespaces w=watch L=label-columns "
                 "R=recursive k=kustomize s=server v=v h=help")
_VALUED = frozenset("""
as as-group as-uid cache-dir certificate-authority client-certificate client-key cluster context kubeconfig
namespace password profile profile-output request-timeout server tls-server-name token user username v vmodule
log-dir log-file output selector field-selector filename kustomize label-columns sort-by template chunk-size raw
image port labels env restart replicas tail since since-time limit-bytes max-log-requests pod-running-timeout
container containers pod name type target-port protocol external-ip cluster-ip load-balancer-ip session-affinity
schedule from from-literal from-file from-env-file docker-server docker-username docker-password docker-email cert
key verb resource resource-name non-resource-url aggregation-rule role clusterrole group serviceaccount to-revision
revision grace-period timeout for hard scopes value description preemption-policy rule class default-backend
annotation annotations overrides image-pull-policy requests limits patch patch-file subresource current-replicas
resource-version min max cpu-percent duration bound-object-kind bound-object-name bound-object-uid audience
field-manager address copy-to target set-image custom prune-allowlist prune-whitelist min-available max-unavailable
tcp node-port clusterip external-name output-directory namespaces api-group verbs categories api-version generator
pod-selector skip-wait-for-delete-timeout retries types auth-provider auth-provider-arg exec-command
exec-api-version exec-arg exec-env proxy-url
""".split())
_OPTIONAL = {"dry-run": ("client", "client", "none"),  # value when bare, when true, when false
             "cascade": ("background", "background", "orphan"),
             "validate": ("strict", "strict", "ignore")}
_LONG_ALIASES = {"delete-local-data": "delete-emptydir-data"}
_TRUE, _FALSE = frozenset("1 t T TRUE true True".split()), frozenset("0 f F FALSE false False".split())
_VERB_FLAGS = {  # verb or "verb subverb": (short=long pairs, more valued longs, longs that are boolean here)
    "exec": ("c=container i=stdin t=tty q=quiet p=pod", "", ""),
    "attach": ("c=container i=stdin t=tty q=quiet", "", ""),
    "debug": ("c=container i=stdin t=tty q=quiet", "", ""),
    "run": ("i=stdin t=tty q=quiet l=labels", "", ""),
    "logs": ("c=container f=follow p=previous", "", ""),
    "cp": ("c=container", "", ""),
    "patch": ("p=patch", "", ""),
    "auth": ("q=quiet", "", ""),
    "create deployment": ("r=replicas", "", ""),
    "set env": ("c=containers e=env", "prefix keys", ""),
    "set resources": ("c=containers", "", ""),
    "top": ("", "", "containers"),
    "config": ("", "", "raw"),
}


def _flag_spec(*entries: tuple[str, str, str]) -> tuple[dict[str, str], frozenset[str]]:
    shorts, valued = dict(pair.split("=") for pair in _GLOBAL_SHORT.split()), set(_VALUED)
    for short, more, boolean in entries:
        shorts.update(pair.split("=") for pair in short.split())
        valued = (valued | set(more.split())) - set(boolean.split())
    return shorts, frozenset(valued)


_GLOBAL_SPEC = _flag_spec()
_SPECS = {key: _flag_spec(*(_VERB_FLAGS[k] for k in dict.fromkeys((key.split()[0], key)) if k in _VERB_FLAGS))
          for key in _VERB_FLAGS}

# Verbs by what their positional words mean.
_SUBCOMMANDS: dict[str, frozenset[str] | None] = {  # None: any word is the subcommand
    "create": None, "rollout": None, "set": None, "config": None, "auth": None, "certificate": None,
    "cluster-info": None, "plugin": None, "alpha": None,
    "apply": frozenset({"edit-last-applied", "set-last-applied", "view-last-applied"}),
}
_SUBVERB_ALIASES = {"set": {"sa": "serviceaccount"}, "config": {"use": "use-context"}}
_POD_VERBS = frozenset("logs exec attach port-forward debug".split())  # first word is a pod unless TYPE/NAME
_NODE_VERBS = frozenset("cordon uncordon drain".split())
_TYPED_VERBS = frozenset("get describe delete edit label annotate expose scale autoscale patch wait taint "
                         "rollout set top apply replace".split())  # first word is the resource
_ASSIGNING = frozenset("label annotate taint set".split())

_BLANKS = re.compile(r"(?:[^\S\n]++|\\\n)*+")  # blanks and line continuations
_TOKEN = re.compile(_BLANKS.pattern + r"""(?:
    (?P<comment>\#[^\n]*+)
  | (?P<redir>(?:\d+|&)?(?:>>|>&|>\||>|<<<|<<-|<<|<&|<>|<))
  | (?P<op>\|\||\|&|\||&&|&|;|\n)
  | (?P<word>(?:[^\s'"\\|&;<>]++|\\[\s\S]|'[^']*+'|"(?:[^"\\]++|\\[\s\S])*+")++)
  | \Z)""", re.VERBOSE)
# shlex's POSIX rules: '...' is literal; in "..." a backslash escapes only " and \; outside, any character.
_QUOTED = re.compile(r"""'([^']*)'|"((?:[^"\\]|\\[\s\S])*)"|\\([\s\S])""")
_QUOTING = re.compile(r"['\"\\]")
_ESCAPED_IN_DOUBLE = re.compile(r'\\(["\\])')
_SHELL_SPECIAL = re.compile(r"['\"\\|&;<>#\n]")
_PLAIN_WORD = re.compile(r"\S+")
_REDIR = re.compile(r"(\d+|&)?(.*)", re.DOTALL)
_PIPES = ("|", "|&")

Token = tuple[str, str, int, int]  # kind ("word", "op", "redir"), text (unquoted for words), start, end
Targets = tuple[str | None, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def parse_kubectl(line: str) -> KubectlCommand:
    """Parse one kubectl command line; raise CommandParseError when it is not one we can read."""
    tokens = _tokenize(line)
    end = 0
    while end < len(tokens) and tokens[end][0] != "op":
        end += 1
    words, redirect = _words_and_redirect(tokens[:end])
    words = _skip_prompt(words, line)
    if not words:
        raise CommandParseError("empty command", tokens[end][2] + 1 if end < len(tokens) else None)
    program, start, _ = words[0]
    if program.rpartition("/")[2] not in ("kubectl", "k"):
        raise CommandParseError(f"not a kubectl command: {program}", start + 1)
    pipeline = _stages(tokens[end:], line)

    args = [(word, start) for word, start, _ in words[1:]]
    verb: str | None = None
    subverb = variant = plural = None
    flags: dict[str, list[str]] = {}
    positionals: list[str] = []
    command: list[str] = []
    shorts, valued = _GLOBAL_SPEC
    i = 0
    while i < len(args):
        word, start = args[i]
        i += 1
        if word == "--":
            command = [word for word, _ in args[i:]]
            break
        if word.startswith("--"):
            i = _long_flag(word, start, args, i, valued, flags)
        elif word.startswith("-") and word != "-":
            i = _short_flags(word, start, args, i, shorts, valued, flags)
        elif verb is None:
            verb = word
            shorts, valued = _SPECS.get(verb, _GLOBAL_SPEC)
        elif subverb is None and not positionals and verb in _SUBCOMMANDS and (
                _SUBCOMMANDS[verb] is None or word in _SUBCOMMANDS[verb]):
            if verb == "create":
                subverb, plural = _create_kind(word)
            else:
                subverb = _SUBVERB_ALIASES.get(verb, {}).get(word, word)
            shorts, valued = _SPECS.get(f"{verb} {subverb}") or _SPECS.get(verb, _GLOBAL_SPEC)
        elif (verb == "create" and variant is None and not positionals
              and word.lower() in _VARIANTS.get(subverb or "", ())):
            variant = word.lower()
        else:
            positionals.append(word)
    if verb is None:
        raise CommandParseError("no kubectl verb: expected e.g. get, run, create")

    resource, names, assignments, extra = _targets(verb, subverb, plural, positionals, flags)
    return KubectlCommand(
        verb=verb, subverb=subverb, variant=variant, resource=resource, names=names,
        flags=MappingProxyType({name: tuple(values) for name, values in flags.items()}), assignments=assignments,
        command=extra + tuple(command), redirect=redirect, pipeline=pipeline, raw=line,
    )


def _tokenize(line: str) -> list[Token]:
    """Split a shell line into words and operators as shlex (posix) would, keeping where each starts."""
    if not _SHELL_SPECIAL.search(line):  # the common case: nothing but words and blanks
        return [("word", m.group(), m.start(), m.end()) for m in _PLAIN_WORD.finditer(line)]
    tokens: list[Token] = []
    pos, heredoc = 0, False
    for match in _TOKEN.finditer(line):
        if match.start() != pos:
            break  # nothing matched at pos
        pos, kind = match.end(), match.lastgroup
        if kind is None or kind == "comment":
            continue
        text, start = match.group(kind), match.start(kind)
        if kind == "word":
            tokens.append(("word", _QUOTED.sub(_unquote_piece, text) if _QUOTING.search(text) else text, start, pos))
            continue
        if text == "\n" and heredoc:
            return tokens  # the rest is a here-document body, not commands
        heredoc = heredoc or text.lstrip("0123456789&") in ("<<", "<<-")
        tokens.append((kind, text, start, pos))
    if pos < len(line):  # only an unclosed quote or a trailing backslash matches nothing
        pos = _BLANKS.match(line, pos).end()
        char = line[pos]
        message = f"unbalanced {char} quote" if char in "'\"" else "nothing after backslash"
        raise CommandParseError(message if char in "'\"\\" else f"unexpected {char!r}", pos + 1)
    return tokens


def _unquote_piece(match: re.Match[str]) -> str:
    single, double, escaped = match.groups()
    return single if single is not None else escaped if double is None else _ESCAPED_IN_DOUBLE.sub(r"\1", double)


def _words_and_redirect(tokens: list[Token]) -> tuple[list[tuple[str, int, int]], str | None]:
    words: list[tuple[str, int, int]] = []
    redirect = None
    i = 0
    while i < len(tokens):
        kind, text, start, end = tokens[i]
        i += 1
        if kind == "word":
            words.append((text, start, end))
            continue
        if i >= len(tokens) or tokens[i][0] != "word":
            raise CommandParseError(f"redirect {text} needs a target", start + 1)
        target = tokens[i][1]
        i += 1
        fd, op = _REDIR.fullmatch(text).groups(default="")  # type: ignore[union-attr]
        if op in (">&", "<&") and (target.isdigit() or target == "-"):
            continue  # 2>&1 duplicates a descriptor
        if op.startswith(">") and fd in ("", "1", "&"):
            redirect = target
    return words, redirect


def _skip_prompt(words: list[tuple[str, int, int]], line: str) -> list[tuple[str, int, int]]:
    """Drop a pasted shell prompt: "$", "user@host:~$", "root@cp:~#", "controlplane $"."""
    if words and line[words[0][1]:words[0][2]].endswith(("$", "#")):
        return words[1:]
    if len(words) > 1 and line[words[1][1]:words[1][2]] == "$":
        return words[2:]
    return words


def _stages(tokens: list[Token], line: str) -> tuple[str, ...]:
    """The raw text of every stage after the first command, as KubectlCommand.pipeline describes."""
    ops = [i for i, token in enumerate(tokens) if token[0] == "op"] + [len(tokens)]
    stages: list[str] = []
    first_pipeline = True
    for i, j in zip(ops, ops[1:]):
        op, start = tokens[i][1], tokens[i][2]
        first_pipeline = first_pipeline and op in _PIPES
        if i + 1 < j:
            prefix = "" if first_pipeline else ("; " if op == "\n" else f"{op} ")
            stages.append(prefix + line[tokens[i + 1][2]:tokens[j - 1][3]])
        elif op in ("|", "|&", "||", "&&"):
            raise CommandParseError(f"nothing after {op}", start + 1)
    return tuple(stages)


def _switch_value(name: str, given: str | None) -> str:
    """The value of a flag that takes none unless written with `=`: booleans, --dry-run, --cascade."""
    bare, on, off = _OPTIONAL.get(name, ("true", "true", "false"))
    if given is None:
        return bare
    return on if given in _TRUE else off if given in _FALSE else given


def _long_flag(word: str, start: int, args: list[tuple[str, int]], i: int,
               valued: frozenset[str], flags: dict[str, list[str]]) -> int:
    name, eq, value = word[2:].partition("=")
    name = name.replace("_", "-")  # kubectl normalises word separators in flag names
    if not name or name.startswith("-"):
        raise CommandParseError(f"bad flag syntax: {word}", start + 1)
    name = _LONG_ALIASES.get(name, name)
    if name not in valued:
        value = _switch_value(name, value if eq else None)
    elif not eq:
        if i >= len(args):
            raise CommandParseError(f"flag needs an argument: --{name}", start + 1)
        value, i = args[i][0], i + 1
    flags.setdefault(name, []).append(value)
    return i


def _short_flags(word: str, start: int, args: list[tuple[str, int]], i: int, shorts: dict[str, str],
                 valued: frozenset[str], flags: dict[str, list[str]]) -> int:
    """A cluster of short flags, read as pflag does: -it, -nkube-system, -owide, -o=yaml, -A=false."""
    rest = word[1:]
    while rest:
        char, rest = rest[0], rest[1:]
        name = shorts.get(char, char)
        if rest.startswith("="):
            value, rest = rest[1:], ""
            if name not in valued:
                value = _switch_value(name, value)
        elif name not in valued:
            value = _switch_value(name, None)
        elif rest:
            value, rest = rest, ""
        elif i < len(args):
            value, i = args[i][0], i + 1
        else:
            raise CommandParseError(f"flag needs an argument: -{char}", start + 1)
        flags.setdefault(name, []).append(value)
    return i


def _create_kind(word: str) -> tuple[str, str]:
    """`create deploy` -> ("deployment", "deployments"): the kind kubectl creates, and its resource."""
    plural = _plural(word)
    return _CREATE_SPECIAL.get(plural) or (_KIND.get(plural, plural), plural)


def _plural(word: str) -> str:
    lower = word.lower()
    if lower in _PLURAL:
        return _PLURAL[lower]
    head, dot, _ = lower.partition(".")  # deployments.apps, deployments.v1.apps
    return _PLURAL[head] if dot and head in _PLURAL else lower


def _typed(word: str) -> tuple[str, str] | None:
    kind, slash, name = word.partition("/")
    return (_plural(kind), name) if slash and kind and name else None


def _targets(verb: str, subverb: str | None, plural: str | None, words: list[str],
             flags: dict[str, list[str]]) -> Targets:
    """What the positional words name: (resource, names, assignments, words that belong to the command)."""
    if verb == "create" and subverb:
        return plural, tuple(words), (), ()
    if verb == "run":
        return "pods", tuple(words[:1]), (), tuple(words[1:])
    if verb in _POD_VERBS and words:
        resource, name = _typed(words[0]) or ("pods", words[0])
        extra = tuple(words[1:])
        if verb == "exec":  # deprecated `exec POD CMD` form
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
    if verb in _TYPED_VERBS and words and (verb not in _SUBCOMMANDS or subverb):
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
