"""Turn the text of an answer into Kubernetes objects, each with a map from its fields to lines."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any, Sequence

import yaml
from yaml.events import (AliasEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                         SequenceEndEvent, SequenceStartEvent, StreamEndEvent)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from graders.json_values import MAP as _MAP, MERGE as _MERGE, SEQ as _SEQ, STR as _STR, JsonConstructor
from graders.yaml_mistakes import CHECK_INDENT, classic_mistake, first_tab, unclosed

MAX_ANSWER_BYTES = 1024 * 1024
MAX_NODES = 100_000  # values in one answer once aliases are expanded; a real manifest has hundreds
MAX_DEPTH = 64  # nesting; a Pod is about 12 deep, and the schema validator recurses per level
MAX_DOCUMENTS = 1000  # documents in one answer, empty ones too; an exam answer has a handful

_resolve = Resolver().resolve

try:  # libyaml's parser emits the same events ~10x faster; we compose and construct in Python either way
    from yaml.cyaml import CParser as _EventParser
    _OFFSETS_IN_BYTES = True  # libyaml reports a bad character's position in UTF-8 bytes
except ImportError:  # pragma: no cover - PyYAML built without libyaml: the same events, from Python
    _OFFSETS_IN_BYTES = False

    class _EventParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)


@dataclass(frozen=True)
class SourceError:
    """One problem with the answer text itself, where it is."""

    message: str
    """A sentence saying what is wrong, starting with `line N:` when the place is known."""
    line: int | None = None
    """1-based line of the problem."""
    column: int | None = None
    """1-based column of the problem."""
    hint: str | None = None
    """A plain-language fix, in English, for the classic mistakes."""
    hint_ko: str | None = None
    """The same fix, in Korean."""


class LineMap:
    """Where each value of one parsed document stands in the text."""

    __slots__ = ("_root",)

    def __init__(self, root: Node) -> None:
        self._root = root

    def _walk(self, path: Sequence[str | int]) -> tuple[Any, Node, Node | None, int]:
        """The mark of the deepest node on path, that node, its parent mapping, and the key's index."""
        node: Node = self._root
        mark, parent, index = node.start_mark, None, -1
        for step in path:
            if isinstance(node, MappingNode):
                want = step if isinstance(step, str) else str(step)
                for i in range(len(node.value) - 1, -1, -1):  # the last of duplicate keys wins
                    key = node.value[i][0]
                    if isinstance(key, ScalarNode) and key.value == want:
                        parent, index, mark, node = node, i, key.start_mark, node.value[i][1]
                        break
                else:
                    break
            elif isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                node = node.value[step]
                parent, index, mark = None, -1, node.start_mark
            else:
                break
        return mark, node, parent, index

    def position_for(self, path: Sequence[str | int]) -> tuple[int, int]:
        """1-based (line, column) of the key or item at path, or of its deepest existing ancestor."""
        mark = self._walk(path)[0]
        return mark.line + 1, mark.column + 1

    def line_for(self, path: Sequence[str | int]) -> int | None:
        return self.position_for(path)[0]

    def block_end(self, line: int) -> int | None:
        """The last line of the value whose key (or list item) starts on `line`, or None if none starts there."""
        stack: list[Node] = [self._root]
        while stack:
            node = stack.pop()
            pairs = node.value if isinstance(node, MappingNode) else [(None, v) for v in node.value] \
                if isinstance(node, SequenceNode) else []
            for key, value in pairs:
                start = (key or value).start_mark.line + 1
                if start == line:
                    end = value.end_mark
                    return end.line + (1 if end.column else 0)  # an end at column 0 is the start of the next line
                if start < line <= value.end_mark.line + 1:
                    stack.append(value)
        return None

    def indent_hint(self, path: Sequence[str | int]) -> tuple[str, str] | None:
        """English and Korean hints when the key at path sits under the dash of the list above it."""
        _, _, parent, index = self._walk(path)
        if parent is None or index < 1:
            return None
        key = parent.value[index][0]
        above_key, above = parent.value[index - 1]
        if not (isinstance(above, SequenceNode) and not above.flow_style and above.value
                and above.start_mark.column == key.start_mark.column):
            return None
        item = above.value[-1]
        if not isinstance(item, MappingNode) or not item.value or item.flow_style:
            return None
        first = item.value[0][0]
        if not isinstance(first, ScalarNode):
            return None
        shift = first.start_mark.column - key.start_mark.column
        return (f"`{key.value}:` lines up with the dash of the `{above_key.value}` list, so YAML reads it as "
                f"a field of the parent. Indent it {shift} more spaces to line up with `{first.value}:` "
                f"on line {first.start_mark.line + 1}.",
                f"`{key.value}:` 필드가 `{above_key.value}` 리스트의 대시(-)와 같은 위치에 있어 상위 필드로 "
                f"인식됩니다. {first.start_mark.line + 1}번째 줄의 `{first.value}:` 필드와 위치가 맞도록 "
                f"{shift}칸 더 들여쓰기 하세요.")


@dataclass(frozen=True)
class Document:
    """One Kubernetes object of the answer, with where its fields are."""

    obj: Any
    """The object as plain Python data; null values are kept (see `strip_nulls`)."""
    index: int
    """0-based position among the documents taken from the file."""
    start_line: int
    """1-based line where the object begins."""
    lines: LineMap
    """Where each field of obj is written."""


def strip_nulls(obj: Any) -> Any:
    """A copy of obj without the mapping keys whose value is null, as the API server reads it."""
    if isinstance(obj, dict):
        return {k: strip_nulls(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list):
        return [strip_nulls(v) for v in obj]
    return obj


class _LimitError(yaml.MarkedYAMLError):
    """The answer is too large or too deep once aliases are expanded."""


def _tag_of(event: ScalarEvent) -> str:
    """The resolved tag of a scalar; most keys and values start with a letter no implicit type uses."""
    tag = event.tag
    if tag is not None and tag != "!":
        return tag
    value = event.value
    if not event.implicit[0]:
        return _STR
    if value in _KUBECTL_BOOLS:
        return _BOOL
    if value and value[0] not in _IMPLICIT_FIRST:
        return _STR
    tag = _resolve(ScalarNode, value, event.implicit)
    if ":" in value and tag in (_INT, _FLOAT):
        return _STR  # YAML 1.1's base 60 (`1:30` is 90); go-yaml has none
    if tag == _STR and _KUBECTL_FLOAT.fullmatch(value.replace("_", "")) and math.isfinite(float(value.replace("_", ""))):
        return _FLOAT  # `1e6`, `1.5e3`: numbers to kubectl's YAML reader (go-yaml), text to YAML 1.1; one that
    return tag         # overflows stays text there too (ParseFloat fails)


_IMPLICIT_FIRST = frozenset(k for k in Resolver.yaml_implicit_resolvers if k)
_KUBECTL_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
"""go-yaml's float (yamlStyleFloat), which kubectl applies to an unquoted scalar with its underscores removed."""
_KUBECTL_BOOLS = frozenset("y Y n N".split())
"""Booleans to kubectl's YAML reader (go-yaml v2) that YAML 1.1 reads as text."""
_BOOL, _FLOAT, _INT = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:float", "tag:yaml.org,2002:int"


def _compose(parser: Any, anchored: set[int], duplicates: list[tuple[ScalarNode, int]]) -> Node:
    """Compose one document's node tree from parser events, refusing alias bombs and deep nesting.

    Duplicate keys, which PyYAML would silently merge, are added to duplicates as (second key, first line).
    """
    anchors: dict[str, Node] = {}
    measured: dict[int, tuple[int, int]] = {}  # anchored node -> (values, height), once it is complete
    stack: list[list[Any]] = []  # [node, pending key, values, height, {(tag, key): line} or None]
    get_event = parser.get_event
    total, aliased = 0, False
    while True:
        event = get_event()
        kind = event.__class__
        if kind is ScalarEvent:
            node = ScalarNode(_tag_of(event), event.value, event.start_mark, event.end_mark, event.style)
            size = height = 1
            if event.anchor is not None:
                anchors[event.anchor] = node
                measured[id(node)] = (1, 1)
                anchored.add(id(node))
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if len(stack) >= MAX_DEPTH:
                raise _LimitError(None, None, f"the answer is nested more than {MAX_DEPTH} levels deep",
                                  event.start_mark)
            mapping = kind is MappingStartEvent
            tag = event.tag
            if tag is None or tag == "!":
                tag = _MAP if mapping else _SEQ
            node = (MappingNode if mapping else SequenceNode)(tag, [], event.start_mark, None,
                                                              flow_style=event.flow_style)
            if event.anchor is not None:
                anchors[event.anchor] = node
                anchored.add(id(node))
            stack.append([node, None, 1, 1, {} if mapping else None])
            continue
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            node, _, size, height, _ = stack.pop()
            node.end_mark = event.end_mark
            if id(node) in anchored:
                measured[id(node)] = (size, height)
            total -= size - 1  # the children were counted as they came; the whole is counted below
        elif kind is AliasEvent:
            node = anchors.get(event.anchor)
            if node is None:
                raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}",
                                                  event.start_mark)
            if id(node) not in measured:
                raise _LimitError(None, None, f"alias *{event.anchor} refers to a value that contains it",
                                  event.start_mark)
            size, height = measured[id(node)]
            aliased = True
            if len(stack) + height > MAX_DEPTH:
                raise _LimitError(None, None, f"aliases nest the answer more than {MAX_DEPTH} levels deep",
                                  event.start_mark)
        else:  # the parser guarantees a node here
            raise yaml.composer.ComposerError(None, None, f"unexpected {kind.__name__}", event.start_mark)
        total += size
        if total > MAX_NODES:
            why = "aliases repeat it too much" if aliased else "far more than any manifest needs"
            raise _LimitError(None, None, f"the answer has more than {MAX_NODES:,} values ({why})",
                              event.start_mark)
        if not stack:
            return node
        frame = stack[-1]
        frame[2] += size
        if height >= frame[3]:
            frame[3] = height + 1
        seen = frame[4]
        if seen is None:
            frame[0].value.append(node)
        elif frame[1] is None:
            frame[1] = node
            if kind is ScalarEvent and node.tag != _MERGE:
                ident = (node.tag, node.value)
                if ident in seen:
                    duplicates.append((node, seen[ident]))
                else:
                    seen[ident] = node.start_mark.line + 1
        else:
            frame[0].value.append((frame[1], node))
            frame[1] = None


def parse_documents(text: str) -> tuple[list[Document], list[SourceError]]:
    """Every Kubernetes object in the answer text, and every problem with the text; never raises."""
    if not isinstance(text, str):
        return [], [SourceError(f"the answer is {type(text).__name__}, expected text")]
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        return [], [SourceError(f"line {line}: the answer contains a character that is not valid text", line)]
    if size > MAX_ANSWER_BYTES:
        return [], [SourceError(f"the answer is {size:,} bytes; the limit is {MAX_ANSWER_BYTES:,} bytes (1 MiB)")]
    text = _untab_json(text)
    documents: list[Document] = []
    errors: list[SourceError] = []
    parser, position = None, 0
    try:
        parser = _EventParser(text)  # PyYAML's own reader may refuse a character here
        parser.get_event()  # StreamStartEvent
        count = 0
        while not parser.check_event(StreamEndEvent):
            start = parser.get_event()  # DocumentStartEvent
            count += 1
            if count > MAX_DOCUMENTS:
                line = start.start_mark.line + 1
                errors.append(SourceError(f"line {line}: the answer has more than {MAX_DOCUMENTS:,} documents "
                                          "(`---` starts each one); an answer needs a few", line))
                break
            anchored: set[int] = set()
            duplicates: list[tuple[ScalarNode, int]] = []
            root = _compose(parser, anchored, duplicates)
            parser.get_event()  # DocumentEndEvent
            for key, first in duplicates:
                errors.append(_duplicate_error(key, first))
            try:
                obj = JsonConstructor(anchored).build(root)
            except (yaml.YAMLError, ValueError, TypeError, LookupError, OverflowError) as exc:
                position += 1
                errors.append(_error_from(exc, text, root.start_mark.line + 1))
                continue
            if obj is None:  # an empty document, or one holding only comments
                continue
            position += 1
            _take(obj, root, position, documents, errors)
    except (yaml.YAMLError, ValueError, TypeError, LookupError, OverflowError, RecursionError) as exc:
        errors.append(_error_from(exc, text, None))
    finally:
        if parser is not None:
            parser.dispose()
    return documents, errors


def _untab_json(text: str) -> str:
    """JSON indented with tabs, which YAML refuses; a tab in valid JSON is only ever whitespace."""
    if "\t" not in text or text.lstrip()[:1] not in ("{", "["):
        return text
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return text
    return text.replace("\t", " ")


def _describe(value: Any) -> str:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return f"a {'string' if isinstance(value, str) else 'number'} ({str(value)[:40]!r})"
    return {list: "a list", bool: "a boolean"}.get(type(value), f"a {type(value).__name__}")


_NOT_OBJECT_EN = "A Kubernetes object is a mapping of fields, starting with `apiVersion:` and `kind:`."
_NOT_OBJECT_KO = "쿠버네티스 오브젝트는 `apiVersion:`과 `kind:`로 시작하는 필드들의 mapping이어야 합니다."


def _take(obj: Any, root: Node, position: int, documents: list[Document], errors: list[SourceError]) -> None:
    """Add the document (or the items of a `kind: List`) to documents, or say why it is not an object."""
    line = root.start_mark.line + 1
    if not isinstance(obj, dict):
        errors.append(SourceError(f"line {line}: document {position} is {_describe(obj)}, expected a "
                                  "Kubernetes object", line, root.start_mark.column + 1,
                                  _NOT_OBJECT_EN, _NOT_OBJECT_KO))
        return
    items = obj.get("items")
    if obj.get("kind") != "List" or not isinstance(items, list):
        documents.append(Document(obj, len(documents), line, LineMap(root)))
        return
    items_node = LineMap(root)._walk(["items"])[1]
    nodes = items_node.value if isinstance(items_node, SequenceNode) else []
    for i, item in enumerate(items):
        node = nodes[i] if len(nodes) == len(items) else root
        item_line = node.start_mark.line + 1
        if isinstance(item, dict):
            documents.append(Document(item, len(documents), item_line, LineMap(node)))
        else:
            errors.append(SourceError(f"line {item_line}: document {position}, item {i + 1} of the List is "
                                      f"{_describe(item)}, expected a Kubernetes object", item_line,
                                      node.start_mark.column + 1, _NOT_OBJECT_EN, _NOT_OBJECT_KO))


def _duplicate_error(key: ScalarNode, first: int) -> SourceError:
    line, name = key.start_mark.line + 1, key.value
    return SourceError(f"line {line}: duplicate key `{name}` (first written on line {first})", line,
                       key.start_mark.column + 1,
                       f"Keep only one `{name}:` in this mapping; the API server rejects repeated keys.",
                       f"같은 mapping 안에 `{name}:` 키가 두 번 있습니다. 하나만 남기세요 "
                       f"(API 서버는 중복된 키를 거부합니다).")


def _error_from(exc: BaseException, text: str, line: int | None) -> SourceError:
    """A SourceError for a reader, parser or constructor failure, pointing at the classic mistake behind it."""
    if isinstance(exc, yaml.reader.ReaderError):
        where = exc.position
        if _OFFSETS_IN_BYTES:
            where = len(text.encode("utf-8")[:where].decode("utf-8", "ignore"))
        line, column = text.count("\n", 0, where) + 1, where - text.rfind("\n", 0, where)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or "\0")
        return SourceError(f"line {line}: the answer contains a character YAML does not allow (U+{code:04X})",
                           line, column, "Delete the invisible control character on this line, or retype the line.",
                           "이 줄에 보이지 않는 제어 문자가 있습니다. 지우거나 줄을 다시 입력하세요.")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc) or type(exc).__name__
    if "maximum nesting depth" in problem:  # libyaml's own limit (1,000) trips before ours on very deep input
        problem = f"the answer is nested more than {MAX_DEPTH} levels deep"
    if mark is None:
        return SourceError(f"line {line}: {problem}" if line else problem, line)
    line, column = mark.line + 1, mark.column + 1
    if not isinstance(exc, (yaml.scanner.ScannerError, yaml.parser.ParserError)):
        return SourceError(f"line {line}: {problem}", line, column)
    lines = text.splitlines()[:line]
    mistake = first_tab(lines) or unclosed(exc, line) or classic_mistake(lines, line)
    if mistake is None:
        generic = any(w in problem for w in ("mapping values", "block end", "expected ':'", "block mapping"))
        return SourceError(f"line {line}: {problem}", line, column, *(CHECK_INDENT if generic else (None, None)))
    m_line, m_column, what, hint, hint_ko = mistake
    if m_line != line:
        what += f" (the YAML parser stopped at line {line}, column {column}: {problem})"
    return SourceError(f"line {m_line}: {what}", m_line, m_column, hint, hint_ko)
