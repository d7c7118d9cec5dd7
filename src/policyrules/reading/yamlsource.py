"""Safe YAML (and JSON) reading that remembers where every value came from.

PyYAML's defaults are hostile to rule packs: ``NO`` becomes False, ``0.015``
becomes a binary float, ``0200`` is octal 128 and ``1:30`` is 90 (YAML 1.1),
duplicate keys silently overwrite each other, unquoted dates become ``date``
objects, and an alias may repeat a subtree exponentially often. This reader
takes only the parser's event stream (libyaml's when PyYAML was built with
it, else the pure-Python parser: the same events, so the same results) and
builds plain data itself, without recursion, so that it can

* reject duplicate keys, merge keys and every tag but the plain ones,
* read plain scalars by the YAML 1.2 core schema: ``true``/``false`` only as
  booleans; integers in decimal only, without a leading zero (``0200`` is
  refused as ambiguous) or underscores; every number with a fraction or an
  exponent as ``Decimal``; everything else, dates included, as text (the
  models parse ISO dates themselves, identically for YAML and JSON),
* enforce :mod:`policyrules.reading.limits` while reading (depth, values,
  aliases and what each repeats, string and number length),
* record the line and column of every value and every key, keyed by its
  path, so that a schema error deep inside a pack still names a line.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from policyrules.errors import InputError, Location, Problem

from .document import NodeInfo, PathKey, SourceDocument
from .jsonsource import parse_json
from .limits import CASE_LIMITS, MAX_PROBLEMS, PACK_LIMITS, Limits
from .textfile import STDIN, decode, locate, read_text, source_name

__all__ = [
    "CASE_LIMITS",
    "LIBYAML",
    "PACK_LIMITS",
    "NodeInfo",
    "SourceDocument",
    "parse_json",
    "parse_yaml",
    "read_document",
]

LIBYAML: bool = bool(getattr(yaml, "__with_libyaml__", False))
"""True when PyYAML has libyaml's C parser, which this reader then uses."""

_TAG = "tag:yaml.org,2002:"
_COLLECTION_TAGS = frozenset((None, "!", _TAG + "map", _TAG + "seq"))
_NULL = re.compile(r"~|null|Null|NULL|")
_INT = re.compile(r"[-+]?[0-9]+")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]")
_DECIMAL = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")


def read_document(path: Path, limits: Limits = PACK_LIMITS) -> SourceDocument:
    """Read a YAML or JSON file into a :class:`SourceDocument`, within ``limits``.

    ``-`` reads standard input, named ``<stdin>`` in errors: JSON when its text opens with ``{`` or ``[``
    (it has no suffix to tell), YAML otherwise.
    """
    text = read_text(path, limits)
    name = source_name(path)
    if str(path) == STDIN:
        json = text.lstrip()[:1] in ("{", "[")
    else:
        json = path.suffix.lower() == ".json"
    return parse_json(text, name, limits) if json else parse_yaml(text, name, limits)


def parse_document(data: bytes, path: Path, limits: Limits, error: type[InputError]) -> SourceDocument:
    """A file's bytes, already read, as a document (JSON by its suffix, else YAML); problems raised as ``error``."""
    try:
        text = decode(data, str(path))
        if path.suffix.lower() == ".json":
            return parse_json(text, str(path), limits)
        return parse_yaml(text, str(path), limits)
    except InputError as exc:
        raise error(exc.problems) from None


def parse_yaml(
    text: str, filename: str, limits: Limits = PACK_LIMITS, *, libyaml: bool | None = None
) -> SourceDocument:
    """Parse YAML text; ``libyaml=False`` forces the pure-Python parser (the results are the same)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = tuple(text.splitlines())
    builder = _Builder(filename, lines, limits)
    try:
        parser = (yaml.CSafeLoader if (LIBYAML if libyaml is None else libyaml) else yaml.SafeLoader)(text)
        try:
            data = builder.document(parser)
        finally:
            parser.dispose()
    except _Stop:
        pass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"invalid YAML: {exc.problem or exc.context}"
        builder.problems.append(Problem(message, builder.at(mark) if mark else Location(filename), "yaml"))
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", None)
        where = locate(text, position, filename) if isinstance(position, int) else Location(filename)
        reason = getattr(exc, "reason", None) or str(exc)
        builder.problems.append(Problem(f"invalid YAML: {reason}", where, "yaml"))
    if builder.problems:
        raise InputError(cap(builder.problems))
    return SourceDocument(data, filename, lines, dict(builder.positions), dict(builder.keys))


def cap(problems: list[Problem]) -> list[Problem]:
    """At most MAX_PROBLEMS problems, the last saying how many were left out."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS + 1
    last = problems[MAX_PROBLEMS - 1]
    return problems[: MAX_PROBLEMS - 1] + [replace(last, message=f"… and {rest} more problems")]


class _Stop(Exception):
    """A limit was reached: the problem is recorded and reading stops."""


@dataclass
class _Anchor:
    data: Any
    positions: list[tuple[PathKey, NodeInfo]]
    keys: list[tuple[PathKey, NodeInfo]]
    size: int


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: PathKey
    anchor: str | None
    first_position: int
    first_key: int
    first_node: int
    key: Any = None  # in a mapping: the key waiting for its value (None: the next scalar is a key)


_SKIP = object()  # a key whose value is read but dropped (duplicate or merge key)


@dataclass
class _Builder:
    filename: str
    lines: tuple[str, ...]
    limits: Limits
    problems: list[Problem] = field(default_factory=list)
    positions: list[tuple[PathKey, NodeInfo]] = field(default_factory=list)
    keys: list[tuple[PathKey, NodeInfo]] = field(default_factory=list)
    anchors: dict[str, _Anchor] = field(default_factory=dict)
    nodes: int = 0
    aliases: int = 0

    def at(self, mark: Any) -> Location:
        src = self.lines[mark.line] if 0 <= mark.line < len(self.lines) else None
        return Location(self.filename, mark.line + 1, mark.column + 1, src)

    def problem(self, message: str, mark: Any, code: str = "yaml") -> None:
        self.problems.append(Problem(message, self.at(mark), code))

    def stop(self, message: str, mark: Any) -> None:
        self.problem(message, mark, "limit")
        raise _Stop

    def document(self, parser: Any) -> Any:
        parser.get_event()  # stream start
        event = parser.get_event()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        data = self.tree(parser)
        parser.get_event()  # document end
        event = parser.get_event()
        if not isinstance(event, yaml.StreamEndEvent):
            self.problem("a file holds one document; found a second one", event.start_mark)
        return data

    def tree(self, parser: Any) -> Any:
        """One node and everything under it, from the parser's events, without recursion."""
        stack: list[_Frame] = []
        while True:
            event = parser.get_event()
            top = stack[-1] if stack else None
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                self.close_anchor(frame)
                value: Any = frame.container
            elif top is not None and isinstance(top.container, dict) and top.key is None:
                self.take_key(top, event)
                continue
            else:
                path = top.path + (top.key if isinstance(top.container, dict) else len(top.container),) if top else ()
                self.count(event)
                if isinstance(event, yaml.AliasEvent):
                    value = self.alias(event, path)
                elif isinstance(event, yaml.ScalarEvent):
                    value = self.scalar(event, path)
                    self.positions.append(
                        (path, NodeInfo(event.start_mark.line, event.start_mark.column, event.style or None))
                    )
                    if event.anchor is not None:
                        info = self.positions[-1][1]
                        self.anchors[event.anchor] = _Anchor(value, [((), info)], [], 1)
                else:  # a mapping or a sequence starts
                    if event.tag not in _COLLECTION_TAGS:
                        self.problem(f"tag {event.tag!r} is not allowed; write plain values", event.start_mark)
                    if len(stack) >= self.limits.max_depth:
                        self.stop(f"nested more than {self.limits.max_depth} levels deep", event.start_mark)
                    self.positions.append((path, NodeInfo(event.start_mark.line, event.start_mark.column, None)))
                    container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                    stack.append(
                        _Frame(container, path, event.anchor, len(self.positions) - 1, len(self.keys), self.nodes - 1)
                    )
                    continue
            if not stack:
                return value
            parent = stack[-1]
            if isinstance(parent.container, dict):
                if parent.key is not _SKIP:
                    parent.container[parent.key] = value
                parent.key = None
            else:
                parent.container.append(value)

    def count(self, event: Any) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            self.stop(f"more than {self.limits.max_nodes:,} values", event.start_mark)

    def take_key(self, frame: _Frame, event: Any) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            self.stop("a key must be a plain string", event.start_mark)
        key = event.value
        info = NodeInfo(event.start_mark.line, event.start_mark.column, event.style or None)
        if event.tag == _TAG + "merge" or (key == "<<" and not event.style):
            self.problem("merge keys (<<) are not supported; write the keys out", event.start_mark)
            frame.key = _SKIP
        elif key in frame.container:
            self.problem(f"duplicate key {key!r}", event.start_mark)
            frame.key = _SKIP
        else:
            frame.key = key
            self.keys.append((frame.path + (key,), info))

    def close_anchor(self, frame: _Frame) -> None:
        if frame.anchor is None:
            return
        cut = len(frame.path)
        self.anchors[frame.anchor] = _Anchor(
            frame.container,
            [(p[cut:], i) for p, i in self.positions[frame.first_position :]],
            [(p[cut:], i) for p, i in self.keys[frame.first_key :]],
            self.nodes - frame.first_node,
        )

    def alias(self, event: Any, path: PathKey) -> Any:
        if self.limits.max_aliases == 0:
            self.stop(f"aliases (*{event.anchor}) are not allowed in this file; write the value out", event.start_mark)
        self.aliases += 1
        if self.aliases > self.limits.max_aliases:
            self.stop(f"more than {self.limits.max_aliases} aliases", event.start_mark)
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            self.stop(f"alias *{event.anchor} names no anchor defined before it", event.start_mark)
        if anchor.size > self.limits.max_alias_nodes:
            self.stop(
                f"alias *{event.anchor} repeats {anchor.size:,} values; at most "
                f"{self.limits.max_alias_nodes:,} may be repeated",
                event.start_mark,
            )
        self.nodes += anchor.size - 1
        if self.nodes > self.limits.max_nodes:
            self.stop(f"more than {self.limits.max_nodes:,} values", event.start_mark)
        self.positions.extend((path + p, i) for p, i in anchor.positions)
        self.keys.extend((path + p, i) for p, i in anchor.keys)
        return copy.deepcopy(anchor.data)

    def scalar(self, event: Any, path: PathKey) -> Any:
        text: str = event.value
        tag = event.tag
        plain = event.implicit[0] and not event.style
        if tag in (None, "!") and not plain:
            return self.string(text, event)
        if tag is None:
            if _NULL.fullmatch(text):
                return None
            if text in ("true", "false"):
                return text == "true"
            if _INT.fullmatch(text) or _DECIMAL.fullmatch(text):
                return self.number(text, event)
            return self.string(text, event)
        if tag == _TAG + "str":
            return self.string(text, event)
        if tag in (_TAG + "int", _TAG + "float"):
            if _INT.fullmatch(text) or _DECIMAL.fullmatch(text):
                value = self.number(text, event)
                if tag == _TAG + "int" and not isinstance(value, int):
                    self.problem(f"invalid value: {text!r} is not a whole number", event.start_mark)
                return value
            self.problem(f"invalid value: {text!r} is not a number", event.start_mark)
            return None
        if tag == _TAG + "bool" and text in ("true", "false"):
            return text == "true"
        if tag == _TAG + "null" and _NULL.fullmatch(text):
            return None
        if tag == _TAG + "timestamp":
            return self.string(text, event)
        self.problem(f"tag {tag!r} is not allowed; write plain values", event.start_mark)
        return None

    def string(self, text: str, event: Any) -> str:
        if len(text) > self.limits.max_string:
            self.stop(f"a string longer than {self.limits.max_string:,} characters", event.start_mark)
        bad = _SURROGATE.search(text)
        if bad is not None:
            self.problem(f"invalid character {bad.group()!r} (a lone surrogate)", event.start_mark)
        return text

    def number(self, text: str, event: Any) -> Any:
        if len(text) > self.limits.max_number_chars:
            self.stop(f"a number longer than {self.limits.max_number_chars} characters", event.start_mark)
        if _INT.fullmatch(text):
            if _LEADING_ZERO.match(text):
                self.problem(
                    f"invalid value: {text!r} has a leading zero (octal in YAML 1.1); write {int(text)} or quote it",
                    event.start_mark,
                )
            return int(text)
        return Decimal(text)
