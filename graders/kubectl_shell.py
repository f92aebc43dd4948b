"""Split a shell line into stages (commands joined by |, &&, ||, ;, &, subshells) of words and redirects, as bash does."""

from __future__ import annotations

import re
from dataclasses import dataclass


class CommandParseError(ValueError):
    """The line is not a kubectl command we can read; .column is 1-based or None."""

    def __init__(self, message: str, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True)
class Word:
    """One shell word: its text with the quotes removed, where it stands, and what the shell would expand in it."""

    text: str
    start: int
    end: int
    expansions: tuple[str, ...] = ()
    """`$(...)`, backticks, `$VAR`, `${VAR}`, `<(...)` found outside single quotes, as typed."""
    substitutions: tuple[str, ...] = ()
    """The commands inside `$(...)`, backticks and `<(...)`: the shell runs them too."""
    raw: str = ""
    """The word as typed, quotes included."""


@dataclass(frozen=True)
class Redirect:
    """`> file`, `2>&1`, `< file`, `<<EOF` ..."""

    fd: str
    """The descriptor written before the operator: "", "1", "2", "&" (both)."""
    op: str
    target: str
    start: int

    @property
    def writes(self) -> bool:
        """Whether it creates or overwrites a file (not a descriptor duplicate, not /dev/null)."""
        if not self.op.startswith(">") and self.op not in ("&>", "&>>", "<>"):
            return False
        if self.op in (">&",) and (self.target.isdigit() or self.target == "-"):
            return False
        return self.target != "/dev/null"

    @property
    def stdout(self) -> bool:
        """Whether it sends the command's output (descriptor 1) to a file."""
        return self.writes and self.fd in ("", "1", "&") and self.op != "<>"


@dataclass(frozen=True)
class Stage:
    """One simple command of a line, with the operator that joins it to the one before."""

    op: str
    """"" for the first, else `|`, `|&`, `&&`, `||`, `;`, `&` or a newline (shown as `;`)."""
    words: tuple[Word, ...]
    redirects: tuple[Redirect, ...]
    start: int
    end: int
    depth: int = 0
    """How many subshells `( ... )` or groups `{ ...; }` it is in."""
    background: bool = False
    """Followed by `&`: runs in the background."""

    @property
    def piped(self) -> bool:
        """Whether it reads the previous stage's output."""
        return self.op in ("|", "|&")


_OPERATORS = ("&&", "||", "|&", ";;", "|", "&", ";", "\n", "(", ")")
_REDIRECT = re.compile(r"(\d+|&)?(>>|>&|>\||>|<<<|<<-|<<|<&|<>|<)")
_AND_REDIRECT = re.compile(r"&>>?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9?$#@*!-]")
_ENDS_WORD = frozenset(" \t\n|&;<>()")
_PLAIN = re.compile(r"[^\s'\"\\|&;<>()#`$]*")
_SIMPLE_LINE = re.compile(r"[^'\"\\|&;<>()#`$\n]*")

Token = tuple[str, object, int, int]  # ("word", Word) | ("op", text) | ("redir", (fd, op)), start, end


def split_line(line: str) -> tuple[Stage, ...]:
    """Every simple command of the line, in order; raise CommandParseError where bash would refuse the line."""
    return _stages(_tokens(line), line)


def _tokens(line: str) -> list[Token]:
    if _SIMPLE_LINE.fullmatch(line):  # the common case: nothing but words and blanks
        return [("word", Word(m.group(), m.start(), m.end(), raw=m.group()), m.start(), m.end())
                for m in re.finditer(r"\S+", line)]
    tokens: list[Token] = []
    heredocs: list[tuple[str, bool]] = []
    i, n = 0, len(line)
    while i < n:
        char = line[i]
        if char in " \t":
            i += 1
        elif line.startswith("\\\n", i):
            i += 2
        elif char == "#":
            end = line.find("\n", i)
            i = n if end < 0 else end
        elif char == "\n" and heredocs:
            tokens.append(("op", "\n", i, i + 1))
            i = _skip_heredocs(line, i + 1, heredocs)
            heredocs = []
        elif (char in "<>" and line.startswith("(", i + 1)) or not _redirect_or_op(line, i):
            word, i = _word(line, i)
            tokens.append(("word", word, word.start, word.end))
        else:
            kind, text, end = _redirect_or_op(line, i)  # type: ignore[misc]
            if kind == "redir":
                fd, op = text  # type: ignore[misc]
                target_start = _skip_blanks(line, end)
                if target_start >= n or line[target_start] in "|&;<>()\n":
                    raise CommandParseError(f"redirect {fd}{op} needs a target", i + 1)
                target, after = _word(line, target_start)
                if op in ("<<", "<<-"):
                    heredocs.append((target.text, op == "<<-"))
                tokens.append(("redir", (fd, op, target), i, after))
                i = after
            else:
                tokens.append(("op", text, i, end))
                i = end
    return tokens


def _skip_blanks(line: str, i: int) -> int:
    while i < len(line) and (line[i] in " \t" or line.startswith("\\\n", i)):
        i += 2 if line[i] == "\\" else 1
    return i


def _redirect_or_op(line: str, i: int) -> tuple[str, object, int] | None:
    """A redirect operator (with its descriptor) or a control operator starting at i, or None for a word."""
    if m := _AND_REDIRECT.match(line, i):
        return "redir", ("&", m.group()[1:]), m.end()
    m = _REDIRECT.match(line, i)
    if m and (m.group(1) is None or m.group(1) == "&" or line[i].isdigit()):
        return "redir", (m.group(1) or "", m.group(2)), m.end()
    for op in _OPERATORS:
        if line.startswith(op, i):
            return "op", op, i + len(op)
    return None


def _skip_heredocs(line: str, i: int, heredocs: list[tuple[str, bool]]) -> int:
    """Skip the bodies of here-documents that start at i; the text after their last delimiter is read on."""
    for delimiter, strip_tabs in heredocs:
        while i < len(line):
            end = line.find("\n", i)
            end = len(line) if end < 0 else end
            text = line[i:end]
            i = end + 1
            if (text.lstrip("\t") if strip_tabs else text) == delimiter:
                break
    return min(i, len(line))


def _word(line: str, start: int) -> tuple[Word, int]:
    """One word starting at `start`, read as bash reads it: quotes removed, expansions noted."""
    parts: list[str] = []
    expansions: list[str] = []
    substitutions: list[str] = []
    i, n = start, len(line)
    while i < n:
        plain = _PLAIN.match(line, i)
        if plain.end() > i:  # type: ignore[union-attr]
            parts.append(plain.group())  # type: ignore[union-attr]
            i = plain.end()  # type: ignore[union-attr]
            continue
        char = line[i]
        if char in _ENDS_WORD and not (i == start and char in "<>" and line.startswith("(", i + 1)):
            break
        if char == "#":  # not at the start of a word: an ordinary character
            parts.append(char)
            i += 1
        elif char == "'":
            end = line.find("'", i + 1)
            if end < 0:
                raise CommandParseError("unbalanced ' quote", i + 1)
            parts.append(line[i + 1:end])
            i = end + 1
        elif char == '"':
            i = _double_quoted(line, i, parts, expansions, substitutions)
        elif char == "\\":
            if i + 1 >= n:
                raise CommandParseError("nothing after backslash", i + 1)
            if line[i + 1] != "\n":
                parts.append(line[i + 1])
            i += 2
        else:  # $ ` <( >(
            text, inner, i = _expansion(line, i)
            parts.append(text)
            if text != "$":
                expansions.append(text)
            if inner is not None:
                substitutions.append(inner)
    return Word("".join(parts), start, i, tuple(expansions), tuple(substitutions), line[start:i]), i


def _double_quoted(line: str, i: int, parts: list[str], expansions: list[str], substitutions: list[str]) -> int:
    """Read "..." from the quote at i; in it a backslash escapes only " and \\ (as shlex does), $ and ` expand."""
    j = i + 1
    while j < len(line):
        char = line[j]
        if char == '"':
            return j + 1
        if char == "\\" and j + 1 < len(line) and line[j + 1] in '"\\':
            parts.append(line[j + 1])
            j += 2
        elif char in "$`" and _expands(line, j):
            text, inner, j = _expansion(line, j)
            parts.append(text)
            expansions.append(text)
            if inner is not None:
                substitutions.append(inner)
        else:
            parts.append(char)
            j += 1
    raise CommandParseError('unbalanced " quote', i + 1)


def _expands(line: str, i: int) -> bool:
    return line[i] == "`" or (i + 1 < len(line) and (line[i + 1] in "({" or bool(_NAME.match(line, i + 1))))


def _expansion(line: str, i: int) -> tuple[str, str | None, int]:
    """The text of `$(...)`, `` `...` ``, `${...}`, `$NAME`, `<(...)` at i, the command inside (if any), and the end."""
    if line[i] == "`":
        end = i + 1
        while end < len(line) and line[end] != "`":
            end += 2 if line[end] == "\\" else 1
        if end >= len(line):
            raise CommandParseError("unclosed ` (command substitution)", i + 1)
        return line[i:end + 1], line[i + 1:end], end + 1
    if line[i] in "<>":  # process substitution
        end = _closing(line, i + 2, "(", ")")
        return line[i:end], line[i + 2:end - 1], end
    if line.startswith("$((", i):
        end = _closing(line, i + 3, "(", ")")
        end = end + 1 if line.startswith(")", end) else end
        return line[i:end], None, end
    if line.startswith("$(", i):
        end = _closing(line, i + 2, "(", ")")
        return line[i:end], line[i + 2:end - 1], end
    if line.startswith("${", i):
        end = _closing(line, i + 2, "{", "}")
        return line[i:end], None, end
    name = _NAME.match(line, i + 1)
    if name is None:  # a lone $ is an ordinary character
        return "$", None, i + 1
    return line[i:name.end()], None, name.end()


def _closing(line: str, i: int, opening: str, closing: str) -> int:
    """The index just after the bracket that closes the one before i, skipping quotes and nested brackets."""
    depth, start = 1, i
    while i < len(line):
        char = line[i]
        if char == "\\":
            i += 2
            continue
        if char == "'":
            end = line.find("'", i + 1)
            i = len(line) if end < 0 else end + 1
            continue
        if char == '"':
            i += 1
            while i < len(line) and line[i] != '"':
                i += 2 if line[i] == "\\" else 1
            i += 1
            continue
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise CommandParseError(f"unclosed {line[start - 2:start] if opening == '(' else '${'} (no matching {closing})",
                            start - 1)


def _stages(tokens: list[Token], line: str) -> tuple[Stage, ...]:
    stages: list[Stage] = []
    words: list[Word] = []
    redirects: list[Redirect] = []
    pending, depth, end_of_stage = "", 0, 0
    after_group = False  # the last token was a `)`: an operator may follow without a command
    dangling: tuple[str, int] | None = None  # an operator that still needs a command after it

    def close(next_op: str) -> None:
        nonlocal words, redirects
        if words or redirects:
            start = min([w.start for w in words] + [r.start for r in redirects])
            stages.append(Stage(pending, tuple(words), tuple(redirects), start, end_of_stage, depth, next_op == "&"))
        words, redirects = [], []

    for kind, value, start, end in tokens:
        if kind == "word":
            word: Word = value  # type: ignore[assignment]
            if not words and not redirects and word.raw in ("{", "}"):  # a group { ...; }
                depth = depth + 1 if word.raw == "{" else max(depth - 1, 0)
                after_group = word.raw == "}"
                continue
            words.append(word)
        elif kind == "redir":
            fd, op, target = value  # type: ignore[misc]
            redirects.append(Redirect(fd, op, target.text, start))
        elif value == "(":
            if words or redirects:
                raise CommandParseError("unexpected ( (quote it, or start a subshell on its own)", start + 1)
            depth += 1
            dangling, after_group = None, False
            continue
        elif value == ")":
            if depth == 0:
                raise CommandParseError("unexpected ) (no ( before it)", start + 1)
            close(")")
            depth -= 1
            after_group = True
            continue
        else:
            if value == "\n" and (dangling or not (words or redirects or after_group)):
                continue  # a newline after `&&` or `|`, or a blank line
            if not (words or redirects or after_group):
                raise CommandParseError("empty command" if not stages else f"unexpected {value}", start + 1)
            close(value)  # type: ignore[arg-type]
            pending = ";" if value == "\n" else value  # type: ignore[assignment]
            dangling = (value, start) if value in ("|", "|&", "&&", "||") else None  # type: ignore[assignment]
            after_group = False
            continue
        end_of_stage, dangling, after_group = end, None, False
    close("")
    if dangling:
        raise CommandParseError(f"nothing after {dangling[0]}", dangling[1] + 1)
    if depth > 0:
        raise CommandParseError("unclosed ( (subshell)", None)
    return tuple(stages)
