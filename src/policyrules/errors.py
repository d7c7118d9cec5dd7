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
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


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
    """One thing wrong with an input file."""

    message: str
    location: Location
    code: str = "schema"  # what kind of problem: schema, yaml, expression, unit, topic, ledger, cycle, reference
    path: tuple[str | int, ...] = ()  # keys from the document's root to the bad value, when known

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        caret = self.location.caret()
        return f"{text}\n{caret}" if caret else text


class PolicyRulesError(Exception):
    """Base of every error this library raises on purpose."""


@dataclass
class InputError(PolicyRulesError):
    """One or more problems in a file the user gave us; all are collected."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


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

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class MissingExtra(PolicyRulesError):
    """An optional dependency is not installed; the message names the extra that brings it."""

    def __init__(self, what: str, extra: str, detail: str = "") -> None:
        hint = f"{what} needs the '{extra}' extra: pip install 'policyrules[{extra}]'"
        super().__init__(hint + (f" ({detail})" if detail else ""))
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
    message: str

    def __str__(self) -> str:
        if self.row < 0:
            return self.message if self.column == "-" else f"column {self.column}: {self.message}"
        return f"row {self.row}, column {self.column}: {self.message} (got {self.value})"


@dataclass
class TableError(PolicyRulesError):
    """A table of cases has values outside the vocabulary; every bad value is listed (up to a limit)."""

    source: str
    bad: list[BadValue] = field(default_factory=list)
    total: int = 0  # bad values found, when more than are listed

    def __str__(self) -> str:
        lines = [f"{self.source}: {b}" for b in self.bad]
        if self.total > len(self.bad):
            lines.append(f"{self.source}: … {self.total - len(self.bad)} more bad values")
        return "\n".join(lines)


class DiffRequestError(PolicyRulesError):
    """A behavioural diff asked for something that does not exist (a topic neither pack has) or for no cases."""
