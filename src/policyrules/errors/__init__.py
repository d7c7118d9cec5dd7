"""Error types. Every error a user can cause names a file and, where known, a line.

The tree (every error the library raises on purpose is one of these)::

    PolicyRulesError
    ├── InputError          problems, each with a Location: file, line, column
    │   ├── PackError       a pack file that does not load
    │   └── CaseError       a case file that does not validate
    ├── PackNotFound        no shipped pack by that name, no file at that path
    ├── ExpressionError     an expression that does not parse or type-check
    ├── BackendError        a backend that is unknown, not installed, or cannot run a pack
    ├── TableError          a table of cases with bad values: each BadValue has its row and column
    ├── DiffRequestError    a behavioural diff of a topic neither pack has, or of no cases
    └── MissingExtra        an optional dependency is not installed; names the extra

Errors are data, as in jsonschema: a Problem keeps its location, its code and the path to the bad value, and
says what is wrong by a phrase key and the fields the phrase names (``Problem.key``, ``Problem.fields``), so
that it can be said in either language: ``problem.text("zh")``, ``error.text("en")``. The phrases are in
:mod:`policyrules.errors.phrases`. ``str()`` of an error or a problem, and ``Problem.message``, are English:
what a traceback, a log and code written against earlier releases see, whatever language a reader is
served in. The command line and the HTTP API say each error in the reader's language (Chinese by default).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .phrases import Fields, Phrase, say

__all__ = [
    "BackendError",
    "BadValue",
    "CaseError",
    "DiffRequestError",
    "ExpressionError",
    "Fields",
    "InputError",
    "Invalid",
    "Location",
    "MissingExtra",
    "PackError",
    "PackNotFound",
    "Phrase",
    "PolicyRulesError",
    "Problem",
    "TableError",
    "say",
]


@dataclass(frozen=True)
class Location:
    """A place in a file; line and column are 1-based, as editors show them."""

    file: str
    line: int | None = None
    column: int | None = None
    source_line: str | None = None

    def __str__(self) -> str:
        out = self.file
        if self.line is not None:
            out += f":{self.line}"
            if self.column is not None:
                out += f":{self.column}"
        return out

    def caret(self) -> str:
        """The offending source line with a caret under the column, or ''."""
        if self.source_line is None or self.column is None:
            return ""
        # Wide CJK characters take two cells in a terminal.
        width = sum(2 if _is_wide(ch) else 1 for ch in self.source_line[: self.column - 1])
        return f"  {self.source_line}\n  {' ' * width}^"


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file: where, what kind, the path to the bad value, and what is wrong."""

    message: str  # in English (see the module's docstring); text(lang) says it in either language
    location: Location
    code: str = "schema"  # what kind of problem: schema, yaml, expression, unit, topic, ledger, cycle, reference
    path: tuple[str | int, ...] = ()  # keys from the document's root to the bad value, when known
    key: str = ""  # the phrase that says it (errors.phrases); "" for a problem made from an English message
    fields: Fields = ()  # the values the phrase names, as (name, value) pairs

    @classmethod
    def of(
        cls, key: str, location: Location, code: str = "schema", path: tuple[str | int, ...] = (), **fields: Any
    ) -> Problem:
        """The problem said by phrase ``key`` with its ``fields``."""
        pairs = tuple(fields.items())
        return cls(say(key, "en", pairs), location, code, path, key, pairs)

    @classmethod
    def refused(cls, exc: ValueError, location: Location, code: str = "schema") -> Problem:
        """The problem of a value a reader refused (a date, a unit): said by its phrase when it has one."""
        if isinstance(exc, Invalid):
            return cls(str(exc), location, code, (), exc.key, exc.fields)
        return cls(str(exc), location, code)

    def text(self, lang: str) -> str:
        """What is wrong, in ``lang`` (zh or en), without the location."""
        return say(self.key, lang, self.fields) if self.key else self.message

    def render(self, lang: str) -> str:
        """file:line:column: what is wrong, in ``lang``, with the source line and a caret under the column."""
        text = f"{self.location}: {self.text(lang)}"
        caret = self.location.caret()
        return f"{text}\n{caret}" if caret else text

    def __str__(self) -> str:
        return self.render("en")


E = TypeVar("E", bound="PolicyRulesError")


class PolicyRulesError(Exception):
    """Base of every error this library raises on purpose.

    One made with :meth:`of` carries its phrase (``key``, ``fields``) and says itself in either language
    with :meth:`text`; ``str()`` is English.
    """

    key: str = ""
    fields: Fields = ()

    @classmethod
    def of(cls: type[E], key: str, **fields: Any) -> E:
        """The error said by phrase ``key`` with its ``fields``."""
        pairs = tuple(fields.items())
        error = cls(say(key, "en", pairs))
        error.key, error.fields = key, pairs
        return error

    def text(self, lang: str) -> str:
        """The error in ``lang`` (zh or en); one made from an English message only says that message."""
        return say(self.key, lang, self.fields) if self.key else str(self)


@dataclass
class InputError(PolicyRulesError):
    """One or more problems in a file the user gave us; all are collected."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str) -> str:
        return "\n".join(p.render(lang) for p in self.problems)


class PackError(InputError):
    """A rule pack is malformed: bad YAML, schema, expression, units or references."""


class CaseError(InputError):
    """A case file is malformed or names facts outside the vocabulary."""


class PackNotFound(PolicyRulesError):
    """No shipped pack has that name and no file has that path."""


class ExpressionError(PolicyRulesError):
    """An expression does not parse or does not type-check.

    ``offset`` is the 0-based character offset inside the expression text, so
    the loader can turn it into a file line and column.
    """

    def __init__(self, message: str, offset: int = 0, key: str = "", fields: Fields = ()) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.key, self.fields = key, fields

    @classmethod
    def at(cls, offset: int, key: str, **fields: Any) -> ExpressionError:
        """The error said by phrase ``key``, at character ``offset`` of the expression."""
        pairs = tuple(fields.items())
        return cls(say(key, "en", pairs), offset, key, pairs)

    @classmethod
    def refused(cls, exc: ValueError, offset: int) -> ExpressionError:
        """A value the expression holds that a reader (a unit, a date) refuses, said as the reader says it."""
        if isinstance(exc, Invalid):
            return cls(str(exc), offset, exc.key, exc.fields)
        return cls(str(exc), offset)


class MissingExtra(PolicyRulesError):
    """An optional dependency is not installed; the message names the extra that brings it."""

    def __init__(self, what: str | Phrase, extra: str, detail: str | Phrase = "") -> None:
        self.key = "error.missing_extra_detail" if detail else "error.missing_extra"
        self.fields = (("what", what), ("extra", extra), ("detail", detail))
        super().__init__(say(self.key, "en", self.fields))
        self.extra = extra


class BackendError(PolicyRulesError):
    """A backend is unknown, not installed, or cannot run a pack."""


@dataclass(frozen=True)
class BadValue:
    """One value of a table that is not a valid fact: its row (0-based, in input order; -1 for the whole
    column) and column."""

    row: int
    column: str
    value: str
    message: str  # in English; text(lang) says it in either language
    key: str = ""  # the phrase that says it (errors.phrases), as for a Problem
    fields: Fields = ()

    @classmethod
    def of(cls, row: int, column: str, value: str, key: str, **fields: Any) -> BadValue:
        pairs = tuple(fields.items())
        return cls(row, column, value, say(key, "en", pairs), key, pairs)

    def text(self, lang: str) -> str:
        """The bad value with its row and column, in ``lang``."""
        message = say(self.key, lang, self.fields) if self.key else self.message
        if self.row < 0:
            return (
                message
                if self.column == "-"
                else say("table.column", lang, (("column", self.column), ("message", message)))
            )
        fields = (("row", self.row), ("column", self.column), ("message", message), ("value", self.value))
        return say("table.cell", lang, fields)

    def __str__(self) -> str:
        return self.text("en")


@dataclass
class TableError(PolicyRulesError):
    """A table of cases has values outside the vocabulary; every bad value is listed (up to a limit)."""

    source: str
    bad: list[BadValue] = field(default_factory=list)
    total: int = 0  # bad values found, when more than are listed

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str) -> str:
        lines = [f"{self.source}: {b.text(lang)}" for b in self.bad]
        if self.total > len(self.bad):
            more = say("table.more", lang, (("n", self.total - len(self.bad)),))
            lines.append(f"{self.source}: {more}")
        return "\n".join(lines)


class DiffRequestError(PolicyRulesError):
    """A behavioural diff asked for something that does not exist (a topic neither pack has) or for no cases."""


class Invalid(ValueError):
    """A value a model's validator refuses, said by a phrase: pydantic reports it as a ``value_error`` whose
    context holds this exception, and the reader turns it into a problem said in the reader's language."""

    def __init__(self, key: str, **fields: Any) -> None:
        self.key, self.fields = key, tuple(fields.items())
        super().__init__(say(key, "en", self.fields))
