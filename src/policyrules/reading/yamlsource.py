"""Safe YAML (and JSON) reading that remembers where every value came from.

PyYAML's defaults are hostile to rule packs: ``NO`` becomes False, ``0.015``
becomes a binary float, duplicate keys silently overwrite each other and
unquoted dates become ``date`` objects in some places and strings in others.
This reader builds plain data from the composed node tree of a ``SafeLoader``
so that it can

* reject duplicate keys and merge keys,
* resolve only ``true``/``false`` as booleans (YAML 1.2),
* keep every number with a fraction as ``Decimal`` and dates as text (the
  models parse ISO dates themselves, identically for YAML and JSON),
* record the line and column of every value, keyed by its path, so that a
  schema error deep inside a pack still names a line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from policyrules.errors import InputError, Location, Problem

PathKey = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    pass


# Start from SafeLoader's resolvers minus bool/float/timestamp, then add YAML 1.2 ones.
_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]+(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(str(loader.construct_scalar(node)).replace("_", ""))


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: str(loader.construct_scalar(node)))


_ALLOWED_TAGS = frozenset(
    "tag:yaml.org,2002:" + t for t in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
)


@dataclass(frozen=True)
class NodeInfo:
    """Where a value starts, and how its scalar was written (None for collections)."""

    line: int  # 0-based, as PyYAML marks
    column: int
    style: str | None


@dataclass(frozen=True)
class SourceDocument:
    """Parsed data plus everything needed to point back into the file."""

    data: Any
    filename: str
    lines: tuple[str, ...]
    positions: dict[PathKey, NodeInfo]

    def location(self, path: PathKey) -> Location:
        """The location of the deepest known value on ``path``."""
        for cut in range(len(path), -1, -1):
            info = self.positions.get(tuple(path[:cut]))
            if info is not None:
                return self._at(info.line, info.column)
        return Location(self.filename)

    def location_in_scalar(self, path: PathKey, offset: int) -> Location:
        """The location of character ``offset`` inside the scalar at ``path``."""
        info = self.positions.get(path)
        if info is None:
            return self.location(path)
        value = self.data_at(path)
        if not isinstance(value, str):
            return self._at(info.line, info.column)
        before = value[:offset]
        row = before.count("\n")
        col_in_row = len(before) - (before.rfind("\n") + 1)
        if info.style in ("|", ">"):
            line = info.line + 1 + row
            text = self.lines[line] if line < len(self.lines) else ""
            indent = len(text) - len(text.lstrip(" "))
            return self._at(line, indent + col_in_row)
        quote = 1 if info.style in ("'", '"') else 0
        if row == 0:
            return self._at(info.line, info.column + quote + col_in_row)
        line = info.line + row
        text = self.lines[line] if line < len(self.lines) else ""
        indent = len(text) - len(text.lstrip(" "))
        return self._at(line, indent + col_in_row)

    def data_at(self, path: PathKey) -> Any:
        node = self.data
        for key in path:
            node = node[key]
        return node

    def _at(self, line: int, column: int) -> Location:
        source = self.lines[line] if 0 <= line < len(self.lines) else None
        return Location(self.filename, line + 1, column + 1, source)


def read_document(path: Path) -> SourceDocument:
    """Read a YAML or JSON file into a :class:`SourceDocument`."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(f"cannot read file: {exc}", Location(str(path)))]) from None
    if path.suffix.lower() == ".json":
        return parse_json(text, str(path))
    return parse_yaml(text, str(path))


def parse_json(text: str, filename: str) -> SourceDocument:
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        lines = tuple(text.splitlines())
        src = lines[exc.lineno - 1] if 0 < exc.lineno <= len(lines) else None
        raise InputError(
            [Problem(f"invalid JSON: {exc.msg}", Location(filename, exc.lineno, exc.colno, src))]
        ) from None
    return SourceDocument(data, filename, tuple(text.splitlines()), {})


def parse_yaml(text: str, filename: str) -> SourceDocument:
    lines = tuple(text.splitlines())
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"invalid YAML: {exc.problem or exc.context}"
        loc = (
            Location(filename, mark.line + 1, mark.column + 1, lines[mark.line] if mark.line < len(lines) else None)
            if mark
            else Location(filename)
        )
        raise InputError([Problem(message, loc, "yaml")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(f"invalid YAML: {exc}", Location(filename))]) from None
    positions: dict[PathKey, NodeInfo] = {}
    problems: list[Problem] = []
    try:
        data = _build(loader, node, (), positions, problems, filename, lines) if node is not None else None
    finally:
        loader.dispose()
    if problems:
        raise InputError(problems)
    return SourceDocument(data, filename, lines, positions)


def _build(
    loader: _Loader,
    node: yaml.Node,
    path: PathKey,
    positions: dict[PathKey, NodeInfo],
    problems: list[Problem],
    filename: str,
    lines: tuple[str, ...],
) -> Any:
    mark = node.start_mark
    style = node.style if isinstance(node, yaml.ScalarNode) else None
    positions[path] = NodeInfo(mark.line, mark.column, style)

    def problem(message: str, at: yaml.Node) -> None:
        m = at.start_mark
        src = lines[m.line] if m.line < len(lines) else None
        problems.append(Problem(message, Location(filename, m.line + 1, m.column + 1, src), "yaml"))

    if node.tag not in _ALLOWED_TAGS:
        problem(f"tag {node.tag!r} is not allowed; write plain values", node)
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                problem("merge keys (<<) are not supported; write the keys out", key_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                problem("a key must be a plain string", key_node)
                continue
            key = str(key_node.value)
            if key in out:
                problem(f"duplicate key {key!r}", key_node)
                continue
            out[key] = _build(loader, value_node, path + (key,), positions, problems, filename, lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(loader, item, path + (i,), positions, problems, filename, lines) for i, item in enumerate(node.value)
        ]
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        problem(f"invalid value: {exc}", node)
        return None
