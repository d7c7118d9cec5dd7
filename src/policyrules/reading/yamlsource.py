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
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

import yaml

from policyrules.errors import InputError, Location, Phrase, Problem

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
        where = builder.at(mark) if mark else Location(filename)
        builder.problems.append(
            Problem.of("yaml.syntax", where, "yaml", reason=parser_reason(exc.problem or exc.context))
        )
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", None)
        where = locate(text, position, filename) if isinstance(position, int) else Location(filename)
        reason = getattr(exc, "reason", None) or str(exc)
        builder.problems.append(Problem.of("yaml.syntax", where, "yaml", reason=parser_reason(reason)))
    if builder.problems:
        raise InputError(cap(builder.problems))
    return SourceDocument(data, filename, lines, dict(builder.positions), dict(builder.keys))


def cap(problems: list[Problem]) -> list[Problem]:
    """At most MAX_PROBLEMS problems, the last saying how many were left out."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS + 1
    last = problems[MAX_PROBLEMS - 1]
    more = Problem.of("error.more_problems", last.location, last.code, last.path, n=rest)
    return problems[: MAX_PROBLEMS - 1] + [more]


# What PyYAML's and libyaml's parsers say, as a reader can be told it in either language; the parser's own
# words are kept for anything else.
_PARSER_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"mapping values are not allowed", "yaml.reason.mapping_values"),
        (r"could not find expected ':'", "yaml.reason.expected_colon"),
        (r"found a tab character|found character '\\t'", "yaml.reason.tab"),
        (r"found character .*that cannot start any token", "yaml.reason.bad_token"),
        (r"did not find expected key", "yaml.reason.expected_key"),
        (r"did not find expected node content|expected the node content", "yaml.reason.expected_content"),
        (r"found unexpected end of stream|but found '<stream end>'", "yaml.reason.end_of_stream"),
        (r"did not find expected ',' or '\]'|expected ',' or '\]'", "yaml.reason.expected_entry:]"),
        (r"did not find expected ',' or '}'|expected ',' or '}'", "yaml.reason.expected_entry:}"),
        (r"did not find expected '-' indicator", "yaml.reason.expected_dash"),
        (r"expected <block end>", "yaml.reason.block_end"),
        (r"block sequence entries are not allowed", "yaml.reason.sequence_here"),
        (r"found unknown escape character", "yaml.reason.escape"),
    )
)


def parser_reason(said: object) -> Phrase:
    """The YAML parser's reason for refusing a file, as a phrase."""
    text = str(said)
    for pattern, key in _PARSER_REASONS:
        if pattern.search(text):
            key, _, close = key.partition(":")
            return Phrase.of(key, close=close) if close else Phrase.of(key)
    return Phrase.of("yaml.reason.other", said=text)


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

    def problem(self, key: str, mark: Any, code: str = "yaml", **fields: Any) -> None:
        self.problems.append(Problem.of(key, self.at(mark), code, **fields))

    def stop(self, key: str, mark: Any, **fields: Any) -> NoReturn:
        self.problem(key, mark, "limit", **fields)
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
            self.problem("yaml.second_document", event.start_mark)
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
                        self.problem("yaml.tag", event.start_mark, tag=event.tag)
                    if len(stack) >= self.limits.max_depth:
                        self.stop("limit.depth", event.start_mark, limit=self.limits.max_depth)
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
            self.stop("limit.values", event.start_mark, limit=self.limits.max_nodes)

    def take_key(self, frame: _Frame, event: Any) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            self.stop("yaml.key_not_string", event.start_mark)
        key = event.value
        info = NodeInfo(event.start_mark.line, event.start_mark.column, event.style or None)
        if event.tag == _TAG + "merge" or (key == "<<" and not event.style):
            self.problem("yaml.merge_key", event.start_mark)
            frame.key = _SKIP
        elif key in frame.container:
            self.problem("yaml.duplicate_key", event.start_mark, name=key)
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
            self.stop("yaml.no_aliases", event.start_mark, anchor=event.anchor)
        self.aliases += 1
        if self.aliases > self.limits.max_aliases:
            self.stop("limit.aliases", event.start_mark, limit=self.limits.max_aliases)
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            self.stop("yaml.undefined_alias", event.start_mark, anchor=event.anchor)
        if anchor.size > self.limits.max_alias_nodes:
            self.stop(
                "limit.alias_size",
                event.start_mark,
                anchor=event.anchor,
                size=anchor.size,
                limit=self.limits.max_alias_nodes,
            )
        self.nodes += anchor.size - 1
        if self.nodes > self.limits.max_nodes:
            self.stop("limit.values", event.start_mark, limit=self.limits.max_nodes)
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
                    self.problem("yaml.not_whole", event.start_mark, text=text)
                return value
            self.problem("yaml.not_number", event.start_mark, text=text)
            return None
        if tag == _TAG + "bool" and text in ("true", "false"):
            return text == "true"
        if tag == _TAG + "null" and _NULL.fullmatch(text):
            return None
        if tag == _TAG + "timestamp":
            return self.string(text, event)
        self.problem("yaml.tag", event.start_mark, tag=tag)
        return None

    def string(self, text: str, event: Any) -> str:
        if len(text) > self.limits.max_string:
            self.stop("limit.string", event.start_mark, limit=self.limits.max_string)
        bad = _SURROGATE.search(text)
        if bad is not None:
            self.problem("yaml.surrogate", event.start_mark, char=bad.group())
        return text

    def number(self, text: str, event: Any) -> Any:
        if len(text) > self.limits.max_number_chars:
            self.stop("limit.number", event.start_mark, limit=self.limits.max_number_chars)
        if _INT.fullmatch(text):
            if _LEADING_ZERO.match(text):
                self.problem("yaml.leading_zero", event.start_mark, text=text, number=int(text))
            return int(text)
        return Decimal(text)
