"""JSON read like YAML: a position for every value and key, duplicate keys refused.

The standard ``json`` module keeps the last of two equal keys and forgets
where values were. This small parser follows RFC 8259 exactly, uses the
standard module's string scanner, and gives the same :class:`SourceDocument`
as the YAML reader: numbers with a fraction or exponent are ``Decimal``,
integers ``int``; the same limits apply (depth, values, string and number
length), and every error names its line and column.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from decimal import Decimal
from json.decoder import JSONDecodeError, scanstring
from typing import Any

from policyrules.errors import InputError, Phrase, Problem

from .document import NodeInfo, PathKey, SourceDocument
from .limits import CASE_LIMITS, Limits
from .textfile import locate

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LITERALS = (("true", True), ("false", False), ("null", None))


class _Fail(Exception):
    def __init__(self, index: int, key: str, **fields: Any) -> None:
        self.reason = Phrase.of(key, **fields)
        self.index = index


def parse_json(text: str, filename: str, limits: Limits = CASE_LIMITS) -> SourceDocument:
    if text.startswith("\ufeff"):
        text = text[1:]
    parser = _Parser(text, limits)
    try:
        i = parser.skip(0)
        data, i = parser.value(i, (), 0)
        i = parser.skip(i)
        if i != len(text):
            raise _Fail(i, "json.extra_data")
    except _Fail as exc:
        raise InputError(
            [Problem.of("json.syntax", locate(text, exc.index, filename), "json", reason=exc.reason)]
        ) from None
    if parser.duplicates:
        raise InputError(
            [
                Problem.of("json.duplicate_key", locate(text, at, filename), "json", name=key)
                for key, at in parser.duplicates
            ]
        )
    return SourceDocument(data, filename, tuple(text.splitlines()), parser.positions, parser.keys)


class _Parser:
    def __init__(self, text: str, limits: Limits) -> None:
        self.text = text
        self.limits = limits
        self.positions: dict[PathKey, NodeInfo] = {}
        self.keys: dict[PathKey, NodeInfo] = {}
        self.duplicates: list[tuple[str, int]] = []
        self.nodes = 0
        # Line starts, to turn an index into (line, column) for every value.
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def info(self, index: int, style: str | None) -> NodeInfo:
        line = bisect_right(self.starts, index) - 1
        return NodeInfo(line, index - self.starts[line], style)

    def skip(self, i: int) -> int:
        return _WS.match(self.text, i).end()  # type: ignore[union-attr]

    def value(self, i: int, path: PathKey, depth: int) -> tuple[Any, int]:
        text = self.text
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise _Fail(i, "limit.values", limit=self.limits.max_nodes)
        if i >= len(text):
            raise _Fail(i, "json.value_missing")
        ch = text[i]
        if ch == "{" or ch == "[":
            if depth >= self.limits.max_depth:
                raise _Fail(i, "limit.depth", limit=self.limits.max_depth)
            self.positions[path] = self.info(i, None)
            return (self.mapping if ch == "{" else self.sequence)(i + 1, path, depth + 1)
        if ch == '"':
            self.positions[path] = self.info(i, '"')
            return self.string(i)
        for word, literal in _LITERALS:
            if text.startswith(word, i):
                self.positions[path] = self.info(i, None)
                return literal, i + len(word)
        match = _NUMBER.match(text, i)
        if match is None:
            raise _Fail(i, "json.expected_value", char=ch)
        number = match.group()
        if len(number) > self.limits.max_number_chars:
            raise _Fail(i, "limit.number", limit=self.limits.max_number_chars)
        self.positions[path] = self.info(i, None)
        value = Decimal(number) if match.group(1) or match.group(2) else int(number)
        return value, match.end()

    def string(self, i: int) -> tuple[str, int]:
        try:
            out, end = scanstring(self.text, i + 1, True)
        except JSONDecodeError as exc:
            said = exc.msg.split(" ")[1] if exc.msg.startswith(("Unterminated", "Invalid")) else ""
            key = {
                "string": "json.unterminated",
                "control": "json.control",
                "\\escape": "json.escape",
                "\\uXXXX": "json.escape",
            }.get(said)
            raise (_Fail(exc.pos, key) if key else _Fail(exc.pos, "json.string", said=exc.msg)) from None
        if len(out) > self.limits.max_string:
            raise _Fail(i, "limit.string", limit=self.limits.max_string)
        if _SURROGATE.search(out):
            raise _Fail(i, "json.surrogate")
        return out, end

    def mapping(self, i: int, path: PathKey, depth: int) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        i = self.skip(i)
        if self.text.startswith("}", i):
            return out, i + 1
        while True:
            if not self.text.startswith('"', i):
                raise _Fail(i, "json.expected_key")
            key_at = i
            key, i = self.string(i)
            i = self.skip(i)
            if not self.text.startswith(":", i):
                raise _Fail(i, "json.expected_colon")
            i = self.skip(i + 1)
            if key in out:
                self.duplicates.append((key, key_at))
                _, i = self.value(i, path + ("\0duplicate",), depth)
            else:
                self.keys[path + (key,)] = self.info(key_at, '"')
                out[key], i = self.value(i, path + (key,), depth)
            i = self.skip(i)
            if self.text.startswith(",", i):
                i = self.skip(i + 1)
                continue
            if self.text.startswith("}", i):
                return out, i + 1
            raise _Fail(i, "json.expected_entry", close="}")

    def sequence(self, i: int, path: PathKey, depth: int) -> tuple[list[Any], int]:
        out: list[Any] = []
        i = self.skip(i)
        if self.text.startswith("]", i):
            return out, i + 1
        while True:
            item, i = self.value(i, path + (len(out),), depth)
            out.append(item)
            i = self.skip(i)
            if self.text.startswith(",", i):
                i = self.skip(i + 1)
                continue
            if self.text.startswith("]", i):
                return out, i + 1
            raise _Fail(i, "json.expected_entry", close="]")
