"""YAML read node by node, so every value keeps the file position it came from.

Scalars follow the YAML 1.2 core schema, not PyYAML's 1.1 habits: `no`, `on` and `2020-08-09` stay
text; only `true`/`false`, numbers and `null`/`~`/empty become other types. Duplicate keys are
errors. The raw text of every plain scalar is kept so a schema that wants text can have it back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .diagnostics import Diagnostic, Location, error

Path = tuple  # a JSON-pointer-like tuple of keys and indexes

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+)$")
_STR_TAG = "tag:yaml.org,2002:str"
_CORE_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null")}
_MAX_NODES = 200_000  # alias expansion beyond this is refused ("billion laughs")
_MAX_DEPTH = 100  # nesting beyond this is refused (no content needs it; recursion would)
_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


_PLAIN_TAG = "tag:dossier,2020:plain"


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Composes nodes only. Every unquoted, untagged scalar gets a tag of our own, which we then
    resolve by the YAML 1.2 core schema; an explicit `!!str` stays text."""

    yaml_implicit_resolvers: dict = {}


_Loader.add_implicit_resolver(_PLAIN_TAG, re.compile(r".*", re.S), None)


@dataclass
class YamlDocument:
    """Plain data plus where each value (and each mapping key) stands in the file."""

    data: Any
    path: str
    positions: dict = field(default_factory=dict)  # Path -> Location of the value
    key_positions: dict = field(default_factory=dict)  # Path -> Location of the key naming it
    raw: dict = field(default_factory=dict)  # Path -> source text of plain non-text scalars
    diagnostics: list = field(default_factory=list)

    def where(self, path: Path) -> Location:
        """The closest known position for `path` (falls back to its parents)."""
        path = tuple(path)
        while path and path not in self.positions:
            path = path[:-1]
        return self.positions.get(path, Location(self.path, 1, 1))

    def where_key(self, path: Path) -> Location:
        return self.key_positions.get(tuple(path)) or self.where(path)


def load_yaml(text: str, path: str, first_line: int = 1) -> YamlDocument:
    """Parse `text` (which starts at line `first_line` of `path`) into a YamlDocument."""
    doc = YamlDocument(data=None, path=path)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        doc.diagnostics.append(_syntax_error(exc, path, first_line))
        return doc
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (control characters…)
        at = min(max(exc.position, 0), len(text))
        line = text.count("\n", 0, at) + first_line
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        doc.diagnostics.append(error(Location(path, line, col), f"character U+{exc.character:04X} is not allowed in YAML"
                                     if isinstance(exc.character, int) else "a character here is not allowed in YAML",
                                     "remove it (control characters cannot appear in YAML text)"))
        return doc
    except yaml.YAMLError as exc:
        doc.diagnostics.append(error(Location(path, first_line, 1), f"YAML error: {str(exc).splitlines()[0]}"))
        return doc
    except RecursionError:
        doc.diagnostics.append(error(Location(path, first_line, 1), "YAML nested too deeply",
                                     f"at most {_MAX_DEPTH} levels of nesting"))
        return doc
    if node is not None:
        doc.data = _Builder(doc, first_line).build(node, ())
    return doc


def _syntax_error(exc: yaml.MarkedYAMLError, path: str, first_line: int) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    where = Location(path, mark.line + first_line, mark.column + 1) if mark else Location(path, first_line, 1)
    message = f"YAML syntax error: {exc.problem or exc.context}"
    hint = ""
    if exc.context and exc.problem and exc.context_mark:
        hint = f"{exc.context} (line {exc.context_mark.line + first_line})"
    if "mapping values are not allowed" in message or "found character" in message:
        hint = (hint + "\n" if hint else "") + "text containing ': ', '#' or quote marks must be quoted: wrap it in '…'"
    return error(where, message, hint)


class _Builder:
    def __init__(self, doc: YamlDocument, first_line: int):
        self.doc = doc
        self.first_line = first_line
        self.count = 0
        self.active: set[int] = set()
        self.too_deep = False

    def at(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.doc.path, mark.line + self.first_line, mark.column + 1)

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > _MAX_NODES:
            if self.count == _MAX_NODES + 1:
                self.doc.diagnostics.append(error(self.at(node), "YAML document too large (alias expansion?)"))
            return None
        self.doc.positions[path] = self.at(node)
        if len(path) > _MAX_DEPTH:
            if not self.too_deep:
                self.too_deep = True
                self.doc.diagnostics.append(error(self.at(node), "YAML nested too deeply",
                                                  f"at most {_MAX_DEPTH} levels of nesting"))
            return None
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _COLLECTION_TAGS:
            self.doc.diagnostics.append(error(self.at(node), f"unsupported YAML tag '{node.tag}'",
                                              "remove the tag; write plain values"))
            return None
        if id(node) in self.active:
            self.doc.diagnostics.append(error(self.at(node), "recursive YAML alias"))
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, path)
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
            return self.scalar(node, path)
        finally:
            self.active.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: Path) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.doc.diagnostics.append(error(self.at(key_node), "a key must be plain text"))
                continue
            key = key_node.value
            if key in result:
                first = self.doc.key_positions[path + (key,)]
                self.doc.diagnostics.append(
                    error(self.at(key_node), f"duplicate key '{key}' (first defined at line {first.line})",
                          "remove one of them, or merge their values")
                )
                continue
            self.doc.key_positions[path + (key,)] = self.at(key_node)
            result[key] = self.build(value_node, path + (key,))
        return result

    def scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        text = node.value
        if node.tag == _PLAIN_TAG:
            value = resolve_plain(text)
            if not isinstance(value, str):
                self.doc.raw[path] = text
            return value
        if node.tag == _STR_TAG:  # quoted, block, or tagged !!str: always text
            return text
        if node.tag in _CORE_TAGS:  # an explicit !!int, !!bool… on a value
            return resolve_plain(text)
        self.doc.diagnostics.append(error(self.at(node), f"unsupported YAML tag '{node.tag}'",
                                          "remove the tag; write plain values"))
        return text


def resolve_plain(text: str) -> Any:
    """YAML 1.2 core schema for an unquoted scalar."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text
