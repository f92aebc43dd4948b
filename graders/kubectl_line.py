"""Read a whole answer line: its kubectl commands, and whether every other part of it (pipes, `;`, `&&`, redirects,
substitutions) is harmless, so that a line passes only when all of it does what was asked and nothing more."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, replace

from graders.kubectl import KubectlCommand, kubectl_stage, parse_stage
from graders.kubectl_shell import CommandParseError, Stage, Word, split_line
from graders.kubectl_verbs import changes_state

# Programs that only read their input or files and print: harmless anywhere in a line.
_READERS = frozenset("""grep egrep fgrep zgrep wc head tail sort uniq cut tr column less more cat jq nl tac rev fold fmt
base64 echo printf true false : sleep date clear pwd ls which type history diff cmp comm yq awk gawk sed expand
strings od hexdump xxd tee watch alias unalias complete""".split())
_SHELLS = frozenset("sh bash zsh dash ksh fish csh tcsh source . eval exec python python3 perl ruby node php".split())
_ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)", re.DOTALL)
_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
_SED_WRITES = re.compile(r"(?:^|[;{}\s])(?:\d+|\$|/[^/]*/)?[wWe](?:\s|$)|/[gpIiMm\d]*[we](?:\s|$)")
_AWK_RUNS = re.compile(r"\bsystem\s*\(|\|\s*\"|\|&|\bgetline\b|>\s*\"|>>|print[^;]*>")
_XARGS_VALUED = frozenset("-a -d -E -e -I -i -L -l -n -P -s --arg-file --delimiter --max-args --max-procs".split())


@dataclass(frozen=True)
class Issue:
    """Something in the line beyond the graded command that the task did not ask for."""

    en: str
    ko: str


@dataclass(frozen=True)
class AnswerLine:
    """An answer line read as a shell would run it."""

    commands: tuple[KubectlCommand, ...]
    """Every kubectl command of the line, in order."""
    ops: tuple[str, ...]
    """The operator before each of them, as Stage.op (`&&`, `||`, `;`, `|`, "")."""
    graded: int
    """The index in `commands` of the one the task asks about."""
    issues: tuple[Issue, ...]
    output: str | None
    """The file the graded command's output is written to: `> f`, `>> f`, `| tee f`."""

    @property
    def command(self) -> KubectlCommand:
        return self.commands[self.graded]


def read_line(line: str, verb: str | None = None, subverb: str | None = None, by_effect: bool = False,
              asked_file: str | None = None, outputs: dict[str, str] | None = None) -> AnswerLine:
    """Read `line`; the graded command is the first kubectl command with this verb (else the first one that changes
    something, else the first). by_effect: other kubectl commands that change something are applied, not issues.
    outputs: what read-only commands print where the starting state tells (`kubectl config current-context`), so
    that `$(...)` of one of them is filled in as the shell would."""
    stages = split_line(line)
    if not stages:
        raise CommandParseError("empty command")
    variables: dict[str, str] = {}
    known = {_SUBSTITUTION.format(c): v for c, v in (outputs or {}).items()}
    commands: list[tuple[int, KubectlCommand]] = []
    for index, stage in enumerate(stages):
        if kubectl_stage(stage):
            command = parse_stage(_expand(stage, variables, known), line)
            commands.append((index, _named_stdin(command, stages, index)))
        else:
            _assign(stage, variables)
    if not commands:
        parse_stage(stages[0], line)  # raises: not a kubectl command
    pick = next((n for n, (_, c) in enumerate(commands) if c.verb == verb and subverb in (None, c.subverb)), None)
    if pick is None:
        pick = next((n for n, (_, c) in enumerate(commands) if changes_state(c)), 0)
    graded_stage = commands[pick][0]
    issues: list[Issue] = []
    output = _output(stages, graded_stage)
    kubectl_at = {index: command for index, command in commands}
    for index, stage in enumerate(stages):
        for word in stage.words:
            issues.extend(_substitution_issues(word))
            if index == graded_stage or index in kubectl_at:
                issues.extend(_expansion_issue(word, variables, known))
        for redirect in stage.redirects:
            target = redirect.target
            asked = index == graded_stage and redirect.stdout and same_file(target, asked_file)
            if redirect.writes and not asked:
                issues.append(Issue(f"`{_shown(redirect.fd, redirect.op, target)}` writes the file {target}, which the task did not ask for",
                                    f"`{_shown(redirect.fd, redirect.op, target)}`은(는) 문제에서 요구하지 않은 파일 {target}에 씁니다"))
        if index == graded_stage:
            continue
        if index in kubectl_at:
            command = kubectl_at[index]
            if changes_state(command) and not by_effect:
                issues.append(_changes(stage, line))
            continue
        tee_file = output if same_file(output, asked_file) and index == graded_stage + 1 else None
        issues.extend(_program_issues(stage, line, tee_file))
    graded_command = commands[pick][1]
    if not changes_state(graded_command) and asked_file is None:
        structured = str(graded_command.flag("output") or "").split("=")[0] in ("yaml", "json")
        away = next((r for r in stages[graded_stage].redirects
                     if r.fd in ("", "1", "&") and r.op in (">", ">>", ">|", "&>", "&>>")), None)
        if away is not None:
            issues.append(Issue(f"`{_shown(away.fd, away.op, away.target)}` sends what kubectl prints to {away.target}, so it is not shown (the task asks to see it)",
                                f"`{_shown(away.fd, away.op, away.target)}`은(는) kubectl의 출력을 {away.target}(으)로 보내서 화면에 보이지 않습니다 (과제는 출력을 보라고 합니다)"))
        index = graded_stage + 1
        while index < len(stages) and stages[index].op == "|" and index not in kubectl_at:
            issues.extend(_cut_issues(stages[index], line, structured))
            index += 1
    ordered = [command for _, command in commands]
    ops = tuple(stages[index].op for index, _ in commands)
    return AnswerLine(tuple(ordered), ops, pick, tuple(issues), output)


def same_file(a: str | None, b: str | None) -> bool:
    """Whether two paths, as typed, name the same file (`./redis.yaml` is `redis.yaml`)."""
    return a is not None and b is not None and posixpath.normpath(a) == posixpath.normpath(b)


def _named_stdin(command: KubectlCommand, stages: tuple[Stage, ...], index: int) -> KubectlCommand:
    """`-f -` reading `< pod.yaml` or `cat pod.yaml |` is `-f pod.yaml`."""
    files = command.flags.get("filename")
    if not files or "-" not in files:
        return command
    stage = stages[index]
    source = next((r.target for r in stage.redirects if r.op == "<" and r.fd in ("", "0")), None)
    if source is None and stage.piped:
        words = [w.text for w in stages[index - 1].words]
        if len(words) == 2 and words[0] == "cat" and not words[1].startswith("-"):
            source = words[1]
    if source is None:
        return command
    flags = dict(command.flags)
    flags["filename"] = tuple(source if f == "-" else f for f in files)
    return replace(command, flags=flags)


def _shown(fd: str, op: str, target: str) -> str:
    return f"{fd}{op} {target}"


def _changes(stage: Stage, line: str) -> Issue:
    text = line[stage.start:stage.end]
    return Issue(f"`{text}` changes the cluster too, which the task did not ask for",
                 f"`{text}`도 클러스터를 바꾸는데, 문제에서 요구하지 않은 일입니다")


def _assign(stage: Stage, variables: dict[str, str]) -> None:
    """Remember NAME=VALUE and `export NAME=VALUE` stages (values without expansions), as the shell would."""
    words = list(stage.words)
    if words and words[0].text in ("export", "declare", "local", "readonly"):
        words = [w for w in words[1:] if not w.text.startswith("-")]
    for word in words:
        match = _ASSIGNMENT.fullmatch(word.text)
        if not match:
            return
        if not word.expansions:
            variables[match.group(1)] = match.group(2)


_SUBSTITUTION = "$({})"


def substitution_key(text: str) -> str:
    """`$( k  config current-context )` and `` `kubectl config current-context` `` as one key."""
    inner = text[2:-1] if text.startswith("$(") else text.strip("`")
    words = inner.split()
    if words[:1] == ["k"]:
        words[0] = "kubectl"
    return _SUBSTITUTION.format(" ".join(words))


def _expand(stage: Stage, variables: dict[str, str], known: dict[str, str] | None = None) -> Stage:
    """The stage with `$NAME` words replaced by values set earlier in the line (split into words unless quoted), and
    `$(...)` of a command whose output is known replaced by that output."""
    known = known or {}
    if not (variables or known) or not any(w.expansions for w in stage.words):
        return stage
    words: list[Word] = []
    for word in stage.words:
        names = [_VARIABLE.fullmatch(e) for e in word.expansions]
        if not word.expansions or not all((m and (m.group(1) or m.group(2)) in variables) or substitution_key(e) in known
                                          for m, e in zip(names, word.expansions)):
            words.append(word)
            continue
        text = word.text
        for e in word.expansions:
            if substitution_key(e) in known and not _VARIABLE.fullmatch(e):
                text = text.replace(e, known[substitution_key(e)], 1)
        text = _VARIABLE.sub(lambda m: variables.get(m.group(1) or m.group(2), m.group(0)), text)
        if _VARIABLE.fullmatch(word.raw):  # unquoted: the shell splits the value into words
            words.extend(Word(part, word.start, word.end, raw=part) for part in text.split())
        else:
            words.append(Word(text, word.start, word.end, raw=word.raw))
    return replace(stage, words=tuple(words))


def _expansion_issue(word: Word, variables: dict[str, str], known: dict[str, str] | None = None) -> list[Issue]:
    unknown = [e for e in word.expansions if not (_VARIABLE.fullmatch(e) and
                                                  (_VARIABLE.fullmatch(e).group(1) or _VARIABLE.fullmatch(e).group(2)) in variables)  # type: ignore[union-attr]
               and not (e.startswith(("$(", "`")) and substitution_key(e) in (known or {}))]
    if not unknown:
        return []
    shown = ", ".join(f"`{e}`" for e in unknown)
    return [Issue(f"{shown} is filled in by your shell, so the command depends on what it holds there: write the value itself",
                  f"{shown}은(는) 셸이 채워 넣는 값이라서 명령이 그 값에 따라 달라집니다: 값을 직접 쓰세요")]


def _substitution_issues(word: Word) -> list[Issue]:
    """What the commands inside `$(...)`, backticks and `<(...)` would do: they must be harmless too."""
    issues: list[Issue] = []
    for inner in word.substitutions:
        try:
            stages = split_line(inner)
        except CommandParseError:
            stages = ()
        for stage in stages:
            if kubectl_stage(stage):
                try:
                    command = parse_stage(stage, inner)
                except CommandParseError:
                    continue
                if changes_state(command):
                    issues.append(_changes(stage, inner))
            else:
                issues.extend(_program_issues(stage, inner, None))
            for redirect in stage.redirects:
                if redirect.writes:
                    issues.append(Issue(f"`{inner}` writes the file {redirect.target}",
                                        f"`{inner}`은(는) 파일 {redirect.target}에 씁니다"))
    return issues


def _output(stages: tuple[Stage, ...], graded: int) -> str | None:
    """Where the graded command's output ends up: its own `>` redirect, or the file a `| tee` right after it writes."""
    target = next((r.target for r in reversed(stages[graded].redirects) if r.stdout), None)
    if target is None and graded + 1 < len(stages) and stages[graded + 1].op == "|":
        words = [w.text for w in stages[graded + 1].words]
        files = [w for w in words[1:] if not w.startswith("-")]
        if words and words[0] == "tee" and len(files) == 1:
            target = files[0]
    return target


def _program_issues(stage: Stage, line: str, tee_file: str | None) -> list[Issue]:
    """Whether a stage that is not kubectl is harmless: it reads and prints, and writes no file."""
    words = [w.text for w in stage.words]
    while words and _ASSIGNMENT.fullmatch(words[0]):
        words = words[1:]
    text = line[stage.start:stage.end]
    if not words or words[0] in ("export", "declare", "readonly", "cd"):
        return []
    program = words[0].rpartition("/")[2]
    if program in ("time", "command", "nohup") and len(words) > 1:
        return _program_issues(replace(stage, words=stage.words[1:]), line, tee_file)
    if program == "xargs":
        rest = _after_options(words[1:])
        if not rest:
            return []
        inner = " ".join(rest)
        sub = split_line(inner)
        if sub and kubectl_stage(sub[0]):
            try:
                if not changes_state(parse_stage(sub[0], inner)):
                    return []
            except CommandParseError:
                pass
            return [Issue(f"`{text}` runs `{inner}` for every line it reads, which the task did not ask for",
                          f"`{text}`은(는) 읽은 줄마다 `{inner}`을(를) 실행하는데, 문제에서 요구하지 않은 일입니다")]
        return _program_issues(sub[0], inner, None) if sub else []
    if program in _SHELLS:
        return [Issue(f"`{text}` runs commands ({'the output of the line before it' if stage.piped else 'a script'}), which the task did not ask for",
                      f"`{text}`은(는) {'앞 명령의 출력을' if stage.piped else '스크립트를'} 명령으로 실행하는데, 문제에서 요구하지 않은 일입니다")]
    if program not in _READERS:
        return [Issue(f"`{text}` runs `{program}`, which the task did not ask for",
                      f"`{text}`은(는) 문제에서 요구하지 않은 `{program}`을(를) 실행합니다")]
    args = words[1:]
    if program == "tee":
        files = [a for a in args if not a.startswith("-") and a != "/dev/null"]
        unasked = [f for f in files if f != tee_file]
        if unasked:
            return [Issue(f"`{text}` writes the file {', '.join(unasked)}, which the task did not ask for",
                          f"`{text}`은(는) 문제에서 요구하지 않은 파일 {', '.join(unasked)}에 씁니다")]
    if program in ("sed",) and (any(a in ("-i", "--in-place") or a.startswith(("-i", "--in-place=")) for a in args)
                                or any(_SED_WRITES.search(a) for a in args if not a.startswith("-"))):
        return [Issue(f"`{text}` edits or writes files", f"`{text}`은(는) 파일을 고치거나 씁니다")]
    if program in ("awk", "gawk") and any(_AWK_RUNS.search(a) for a in args):
        return [Issue(f"`{text}` runs commands or writes files", f"`{text}`은(는) 명령을 실행하거나 파일에 씁니다")]
    if program == "yq" and any(a in ("-i", "--inplace") for a in args):
        return [Issue(f"`{text}` edits a file", f"`{text}`은(는) 파일을 고칩니다")]
    if program == "watch":
        inner = " ".join(a for a in args if not a.startswith("-"))
        sub = split_line(inner) if inner else ()
        if sub and kubectl_stage(sub[0]) and not changes_state(parse_stage(sub[0], inner)):
            return []
        return [Issue(f"`{text}` runs `{inner}` again and again", f"`{text}`은(는) `{inner}`을(를) 계속 다시 실행합니다")]
    return []


_DROPS_INPUT = frozenset("wc true false : sleep echo printf date clear pwd ls which type history alias unalias complete".split())
"""Programs that print nothing of what is piped into them, or only a count."""
_LINE_FILTERS = frozenset("grep egrep fgrep zgrep sed awk gawk cut tr sort uniq tac rev fold fmt column nl expand".split())
"""Programs that keep or rewrite some lines: on a table the reader's choice, on YAML or JSON a broken document."""


def _cut_issues(stage: Stage, line: str, structured: bool) -> list[Issue]:
    """What a stage piped after a command whose output is the answer keeps of that output (`| head -1`, `| wc -l`)."""
    words = [w.text for w in stage.words]
    if not words:
        return []
    program, args = words[0].rpartition("/")[2], words[1:]
    text = line[stage.start:stage.end]
    whole = ("(the task asks to see all of it)", "(과제는 전부를 보라고 합니다)")
    if program in _DROPS_INPUT:
        return [Issue(f"`{text}` throws away what kubectl prints {whole[0]}", f"`{text}`은(는) kubectl이 출력한 내용을 버립니다 {whole[1]}")]
    if program in ("grep", "egrep", "fgrep", "zgrep") and any(
            a in ("--quiet", "--silent", "--count", "--files-with-matches", "--files-without-match")
            or (a.startswith("-") and not a.startswith("--") and set(a[1:]) & set("qclL")) for a in args):
        return [Issue(f"`{text}` prints no lines, only a count or nothing {whole[0]}",
                      f"`{text}`은(는) 줄을 출력하지 않고 개수만 보여 주거나 아무것도 보여 주지 않습니다 {whole[1]}")]
    follows = any(a in ("-f", "-F", "--follow") or a.startswith("--follow=") for a in args)
    from_line = any(a.startswith("+") or (a.startswith("-n+") or a.startswith("--lines=+")) for a in args) or \
        any(a in ("-n", "--lines") and nxt.startswith("+") for a, nxt in zip(args, args[1:]))
    if program == "head" or (program == "tail" and not follows and not from_line):
        return [Issue(f"`{text}` shows only some lines of what kubectl prints {whole[0]}",
                      f"`{text}`은(는) kubectl이 출력한 내용 중 몇 줄만 보여 줍니다 {whole[1]}")]
    operands = [a for a in args if not a.startswith("-")]
    if structured and (program in _LINE_FILTERS or program == "tail" or (program in ("jq", "yq") and operands[:1] not in ([], ["."]))):
        return [Issue(f"`{text}` keeps only part of the YAML or JSON kubectl prints, so it is no longer the whole object",
                      f"`{text}`은(는) kubectl이 출력한 YAML/JSON의 일부만 남기므로 더 이상 오브젝트 전체가 아닙니다")]
    return []


def _after_options(words: list[str]) -> list[str]:
    i = 0
    while i < len(words) and words[i].startswith("-"):
        i += 2 if words[i] in _XARGS_VALUED else 1
    return words[i:]
