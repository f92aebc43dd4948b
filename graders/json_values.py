"""Building JSON values from a YAML node tree, as the API server receives them; anything else is refused."""

from __future__ import annotations

import json
import math
from typing import Any

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

STR, SEQ, MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
MERGE, TIMESTAMP = "tag:yaml.org,2002:merge", "tag:yaml.org,2002:timestamp"
INT, NULL, BOOL, FLOAT = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool",
                          "tag:yaml.org,2002:float")


class JsonConstructor(SafeConstructor):
    """Builds JSON values from a node tree, as the API server receives them (timestamps stay strings).

    Only str, int, float, bool, None, list and dict come out: a tag that makes anything else (bytes, a set,
    a date, a Python object) or a number JSON cannot carry (NaN, infinity) is refused with its line.
    """

    def __init__(self, anchored: set[int]) -> None:
        super().__init__()
        self.anchored = anchored
        self.memo: dict[int, Any] = {}

    def build(self, node: Node) -> Any:
        cls = node.__class__
        if cls is ScalarNode:
            return self._scalar(node)
        shared = id(node) in self.anchored
        if shared and id(node) in self.memo:
            return self.memo[id(node)]
        if cls is SequenceNode and node.tag == SEQ:
            data: Any = [self.build(child) for child in node.value]
        elif cls is MappingNode and node.tag == MAP:
            data = self._build_mapping(node)
        else:
            raise _refused_tag(node)
        if shared:
            self.memo[id(node)] = data
        return data

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == STR or tag == TIMESTAMP:  # the API server reads an unquoted date as a string
            return node.value
        if tag == NULL:
            return None
        if tag not in (INT, BOOL, FLOAT):
            raise _refused_tag(node)
        try:
            if tag == INT:
                return self.construct_yaml_int(node)
            if tag == BOOL:
                return self.bool_values[node.value.lower()] if node.value not in "yYnN" else node.value in "yY"
            number = self.construct_yaml_float(node)
        except (ValueError, TypeError, LookupError, OverflowError):
            raise ConstructorError(None, None, f"cannot read {node.value[:40]!r} as "
                                   f"{tag.replace('tag:yaml.org,2002:', '!!')}", node.start_mark) from None
        if not math.isfinite(number):
            raise ConstructorError(None, None, f"`{node.value[:40]}` is not a number JSON can carry (the API server "
                                   "never receives NaN or infinity); write a number, or quote it as text",
                                   node.start_mark)
        return number

    def _key(self, key_node: Node) -> str:
        """A mapping key as the text JSON needs: `1:` is "1", `true:` is "true", `null:` is "null"."""
        if key_node.__class__ is not ScalarNode:
            what = "a list" if key_node.__class__ is SequenceNode else "a mapping"
            raise ConstructorError(None, None, f"a mapping key must be text, found {what}", key_node.start_mark)
        key = self._scalar(key_node)
        if isinstance(key, str):
            return key
        if key is None or isinstance(key, bool):
            return json.dumps(key)
        if isinstance(key, float) and key.is_integer() and abs(key) < 1e16:
            return str(int(key))
        return repr(key) if isinstance(key, float) else str(key)

    def _build_mapping(self, node: MappingNode) -> dict[str, Any]:
        data: dict[str, Any] = {}
        build, key_of = self.build, self._key
        for key_node, value_node in node.value:
            if key_node.tag == MERGE:
                self.flatten_mapping(node)  # merged pairs go first, so explicit keys override them
                return self._build_mapping(node)
            key = key_of(key_node)
            data[key] = build(value_node)
        return data


_NOT_JSON = {"binary": "bytes", "set": "a set", "omap": "an ordered map", "pairs": "a list of pairs"}


def _refused_tag(node: Node) -> ConstructorError:
    """Why a tagged value cannot be part of a Kubernetes object."""
    tag = node.tag
    short = tag.replace("tag:yaml.org,2002:", "!!")
    name = tag.removeprefix("tag:yaml.org,2002:")
    if name in _NOT_JSON:
        problem = (f"`{short}` makes {_NOT_JSON[name]}, which JSON (and so the API server) cannot carry; "
                   "write " + ("the base64 text without the tag" if name == "binary" else "a list or a mapping"))
    elif name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"):
        kind = {ScalarNode: "a single value", SequenceNode: "a list", MappingNode: "a mapping"}[node.__class__]
        problem = f"`{short}` cannot tag {kind}; remove the tag"
    else:
        problem = f"the tag `{short[:60]}` has no meaning in a Kubernetes manifest; remove it"
    return ConstructorError(None, None, problem, node.start_mark)
