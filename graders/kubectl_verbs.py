"""What each kubectl command does beyond its flags: whether it changes anything, what it refuses, which flags matter."""

from __future__ import annotations

from graders.kubectl import TAKES_COMMAND, KubectlCommand

__all__ = ["TAKES_COMMAND", "READ_ONLY", "refusals", "changes_state", "path_of"]

READ_ONLY = frozenset("""get describe logs top explain api-resources api-versions version cluster-info events diff wait
kustomize completion options help""".split()) | frozenset({
    "plugin list", "config view", "config get-contexts", "config get-clusters", "config get-users",
    "config current-context", "auth can-i", "auth whoami", "rollout status", "rollout history",
    "apply view-last-applied", "cluster-info dump"})
"""Commands that only read: they never change the cluster, a kubeconfig or a container."""

RUNS_IN_CONTAINER = frozenset({"exec", "attach", "debug", "cp", "port-forward"})
"""Commands that reach into a running container (or a node): what they do there cannot be known offline."""


_FROM_FILES = ("filename", "kustomize", "raw")  # the objects come from elsewhere: no TYPE nor NAME needed
_SELECTED = {"cordon": ("selector",), "uncordon": ("selector",), "drain": ("selector",), "logs": ("selector",),
             "auth can-i": ("list",), "config set": ("set-raw-bytes",)}  # these flags stand for the names

# path -> (fewest positional words, most (None: any), what kubectl says otherwise); not counted when the objects
# come from files, or from a flag that stands for them (_SELECTED).
_ARITY: dict[str, tuple[int, int | None, str]] = {
    "run": (1, None, "NAME is required for run"),
    "exec": (1, 1, "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead"),
    "attach": (1, 1, "expected POD, TYPE/NAME, or TYPE NAME"),
    "logs": (1, 2, "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'"),
    "port-forward": (2, None, "TYPE/NAME and list of ports are required for port-forward"),
    "cordon": (1, None, "USAGE: cordon NODE [flags]"),
    "uncordon": (1, None, "USAGE: uncordon NODE [flags]"),
    "drain": (1, None, "USAGE: drain NODE [flags]"),
    "create": (0, 0, "Unexpected args"),
    "config use-context": (1, 1, "Unexpected args"),
    "config set": (2, 2, "you must specify a property name and a value: config set PROPERTY_NAME PROPERTY_VALUE"),
    "config set-context": (0, 1, "Unexpected args"),
    "config current-context": (0, 0, "Unexpected args"),
    "config delete-context": (1, 1, "Unexpected args"),
    "config rename-context": (2, 2, "Unexpected args"),
    "config unset": (1, 1, "Unexpected args"),
    "auth can-i": (2, 2, "you must specify two arguments: verb resource or verb resource/resourceName."),
    "auth whoami": (0, 0, "Unexpected args"),
    "get": (1, None, "Required resource not specified."),
    "describe": (1, None, "You must specify the type of resource to describe."),
    "delete": (1, None, "You must provide one or more resources by argument or filename."),
    "edit": (1, None, "You must provide one or more resources by argument or filename."),
    "explain": (1, 1, "You must specify the type of resource to explain."),
    "scale": (1, None, "You must provide one or more resources by argument or filename."),
    "expose": (1, 2, "You must provide one or more resources by argument or filename."),
    "patch": (1, 2, "You must provide one or more resources by argument or filename."),
    "top pod": (0, 1, "pod [NAME | -l label]"),
    "top node": (0, 1, "node [NAME | -l label]"),
    "api-resources": (0, 0, "Unexpected args"),
    "version": (0, 0, "Unexpected args"),
}
_CREATE_ONE = "exactly one NAME is required, got {n}"
_REQUIRED = {  # path -> flags of which one must be given
    "run": ("image",), "create deployment": ("image",), "create cronjob": ("image",), "scale": ("replicas",),
    "patch": ("patch", "patch-file"), "create secret tls": ("cert",), "create role": ("verb",),
    "create clusterrolebinding": ("clusterrole",), "create rolebinding": ("role", "clusterrole"),
    "autoscale": ("max",), "create service nodeport": ("tcp",), "create service clusterip": ("tcp", "clusterip"),
}
_NEEDS_ASSIGNMENT = {"label": "at least one label update is required",
                     "annotate": "at least one annotation update is required",
                     "set image": "at least one image update is required",
                     "taint": "at least one taint update is required"}

TARGETING_FLAGS = frozenset({"dry-run", "all-namespaces", "namespace", "selector", "field-selector", "all",
                             "context", "kubeconfig", "cluster", "user", "server", "as", "as-group", "as-uid",
                             "token", "help", "raw", "local", "filename", "kustomize"})
"""Flags that change what any command acts on, or make it do nothing: added unasked, they fail the answer."""
VERB_TARGETING_FLAGS = {
    "logs": {"previous", "container", "all-containers", "all-pods", "tail", "since", "since-time", "limit-bytes"},
    "exec": {"container"}, "attach": {"container"}, "cp": {"container"}, "set": {"containers"},
    "drain": {"force", "disable-eviction", "pod-selector"},  # --delete-emptydir-data: evicting loses an emptyDir anyway
    "delete": {"cascade"}, "run": {"rm", "overrides", "expose", "privileged"},
    "label": {"list"}, "annotate": {"list"}, "rollout": {"to-revision"}, "describe": {"show-events"},
    "expose": {"type", "protocol", "selector", "external-ip", "cluster-ip", "session-affinity", "load-balancer-ip",
               "overrides"},
}
"""Per verb, more flags that change what it does; an exercise that allows one lists it in harmless_flags."""


def path_of(command: KubectlCommand) -> str:
    return " ".join(filter(None, [command.verb, command.subverb, command.variant]))


_CHOICES = {  # path -> flag -> (the values kubectl takes, exactly as written; what it says otherwise), from kubectl's own checks
    "run": {"restart": (("Always", "OnFailure", "Never"), "invalid restart policy: {value}"),
            "image-pull-policy": (("", "Always", "IfNotPresent", "Never"), "invalid image pull policy: {value}")},
    "expose": {"session-affinity": (("", "None", "ClientIP"), "unknown session affinity: {value}")},
    "delete": {"cascade": (("background", "foreground", "orphan", "true", "false"),
                           'invalid cascade value ({value}). Must be "background", "foreground", or "orphan"')},
}
"""`true`/`false` for --cascade and --dry-run are deprecated spellings kubectl still takes, with a warning."""
_EVERY_COMMAND_CHOICES = {
    "dry-run": (("unchanged", "none", "false", "client", "true", "server"), 'Invalid dry-run value ({value}). Must be "none", "server", or "client".'),
}
"""Flags checked the same way by every command that has them (cmdutil.GetDryRunStrategy); `unchanged` is a bare --dry-run."""

_TEMPLATE_OUTPUTS = ("go-template", "go-template-file", "jsonpath", "jsonpath-as-json", "jsonpath-file", "template", "templatefile")
_PRINTED_BY_GET = ("custom-columns", "custom-columns-file", *_TEMPLATE_OUTPUTS, "json", "name", "wide", "yaml")
_PRINTED_BY_OTHERS = (*_TEMPLATE_OUTPUTS, "json", "name", "yaml")
_OUTPUT_VERBS = frozenset({"run", "create", "expose", "scale"})
"""Verbs whose -o is genericclioptions.PrintFlags (get adds wide and custom columns); others (logs, version, explain,
config view, ...) have their own lists and are left to the API server and kubectl's help."""


def _output_refusal(path: str, verb: str, value: str) -> str | None:
    """kubectl's complaint about `-o value`, or None: json, yaml and name in any case, the rest exactly; templates need `=...`."""
    if verb not in _OUTPUT_VERBS and path != "get":
        return None
    allowed = _PRINTED_BY_GET if path == "get" else _PRINTED_BY_OTHERS
    format_, _, given = value.partition("=")
    if value.lower() in ("json", "yaml", "name") or (value == "wide" and path == "get"):
        return None
    if format_ in allowed and format_ in _TEMPLATE_OUTPUTS + ("custom-columns", "custom-columns-file"):
        if given:
            return None
        return ("custom-columns format specified but no custom columns given" if format_.startswith("custom-columns")
                else "template format specified but no template given")
    return f'unable to match a printer suitable for the output format "{value}", allowed formats are: {",".join(sorted(allowed))}'


def refusals(command: KubectlCommand) -> list[str]:
    """Why kubectl would refuse the command before it changes anything (before it reaches the API server, or for get
    and expose once it has read the objects); [] when it would run it."""
    found = list(command.problems)
    for flag, (values, message) in (_EVERY_COMMAND_CHOICES | _CHOICES.get(path_of(command), {})).items():
        value = command.flag(flag)
        if value is not None and value not in values:
            found.append(message.format(value=value))
    output = command.flag("output")
    if output is not None and (why := _output_refusal(path_of(command), command.verb, output)):
        found.append(why)
    path = path_of(command)
    selected = any(command.has_flag(f) for f in _FROM_FILES + _SELECTED.get(path, ()))
    count = len(command.args)
    if command.verb == "create" and command.subverb:
        if count != 1:
            found.append(_CREATE_ONE.format(n=count))
    elif path in _ARITY and not (selected and path not in ("exec", "run", "create")):
        fewest, most, message = _ARITY[path]
        if count < fewest or (most is not None and count > most):
            extra = f": [{' '.join(command.args)}]" if message == "Unexpected args" else ""
            found.append(message + extra)
    if path == "exec" and not command.command:
        found.append("you must specify at least one command for the container")
    need = _REQUIRED.get(path)
    if need and not any(command.has_flag(flag) for flag in need) and not command.has_flag("filename"):
        found.append(f'required flag(s) "{need[0]}" not set')
    if path in _NEEDS_ASSIGNMENT and not command.assignments and not command.has_flag("list"):
        found.append(_NEEDS_ASSIGNMENT[path])
    return found


def changes_state(command: KubectlCommand) -> bool:
    """Whether running it may change the cluster, a kubeconfig or a container (a dry run changes nothing)."""
    path = path_of(command)
    if path in READ_ONLY or command.verb in READ_ONLY or command.flag("help") == "true":
        return False
    if command.flag("dry-run") in ("client", "server") and command.verb not in RUNS_IN_CONTAINER:
        return False
    return not (command.verb in ("label", "annotate") and command.flag("list") == "true")
