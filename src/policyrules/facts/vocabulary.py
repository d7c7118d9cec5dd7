"""The fact vocabulary as expression types, read from the case models themselves."""

from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from policyrules.expr import BOOL, DATE, STRING, Type, number
from policyrules.types import Domain
from policyrules.units import parse_unit

from .case import Case


@dataclass(frozen=True)
class FactInfo:
    path: str
    type: Type
    zh: str
    description: str
    unit: str | None
    integer: bool = False  # whole numbers only (counts, years of age)
    domain: str = ""  # the values the fact may take, in words ("≥ 0"), from its type


def _unwrap(annotation: object) -> object:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Union:
        inner = [a for a in args if a is not type(None)]
        return _unwrap(inner[0])
    if typing.get_origin(annotation) is typing.Annotated:
        return _unwrap(args[0])
    return annotation


def _domain(annotation: object) -> str:
    """The Domain marker on a field's type, looking through Optional and Annotated."""
    if typing.get_origin(annotation) is typing.Annotated:
        marks = [m for m in annotation.__metadata__ if isinstance(m, Domain)]  # type: ignore[attr-defined]
        return str(marks[0]) if marks else _domain(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) is typing.Union:
        return next((d for d in map(_domain, typing.get_args(annotation)) if d), "")
    return ""


def _walk(model: type[BaseModel], prefix: str, out: dict[str, FactInfo]) -> None:
    for name, field in model.model_fields.items():
        path = prefix + name
        inner = _unwrap(field.annotation)
        if typing.get_origin(inner) is list:
            continue  # lists are not facts rules read; the case reader counts them (facts/employees.py)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            _walk(inner, path + ".", out)
            continue
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        unit = extra.get("unit")
        if typing.get_origin(inner) is typing.Literal:
            values = typing.get_args(inner)
            if all(isinstance(v, int) for v in values):
                t = number(parse_unit(unit or "1"))
            else:
                t = Type("string", choices=frozenset(str(v) for v in values))
        elif inner is bool:
            t = BOOL
        elif inner in (int, Decimal):
            t = number(parse_unit(str(unit or "1")))
        elif inner is date:
            t = DATE
        elif inner is str:
            t = STRING
        else:  # pragma: no cover - guarded by tests over the whole vocabulary
            raise TypeError(f"unsupported fact type at {path}: {inner!r}")
        integer = inner is int or (typing.get_origin(inner) is typing.Literal and t.kind == "number")
        out[path] = FactInfo(
            path,
            t,
            str(extra.get("zh", "")),
            field.description or "",
            unit and str(unit),
            integer,
            _domain(field.annotation),
        )


@lru_cache(maxsize=1)
def case_facts() -> dict[str, FactInfo]:
    """Every input fact path of a case, with its type and documentation."""
    out: dict[str, FactInfo] = {}
    _walk(Case, "", out)
    return out


AS_OF = FactInfo("as_of", DATE, "评估日期", "the date the case is decided as of", None)


def suggestions(path: str, known: typing.Iterable[str]) -> list[str]:
    return difflib.get_close_matches(path, list(known), n=2, cutoff=0.6)


@dataclass(frozen=True)
class NeutralDefault:
    """A value a missing fact takes, declared here and nowhere else, and reported in every result that used it.

    The reason a result gives, in either language, is the phrase ``default.<path>`` of ``engine.words``.
    """

    path: str
    source: str  # "as_of": the date the case is decided as of; "0": the number 0
    # taken only while each of these facts is missing or has one of the values listed with it
    only_if: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # reported only when the case holds this subject (a default about a unit says nothing to a person's case)
    subject: str = ""

    def value(self, as_of: date) -> Any:
        return as_of if self.source == "as_of" else 0

    def applies(self, facts: typing.Mapping[str, Any]) -> bool:
        if facts.get(self.path) is not None:
            return False
        for path, values in self.only_if:  # a loop, not all(...): every evaluation asks this of every default
            value = facts.get(path)
            if value is not None and value not in values:
                return False
        return True


DEFAULTS: tuple[NeutralDefault, ...] = (
    NeutralDefault("application.date", "as_of"),
    NeutralDefault(
        "unit.dispatched_disabled",
        "0",
        only_if=(("unit.dispatch_counted_by", ("no_dispatch",)), ("unit.dispatched_disabled_severe", ())),
        subject="unit",
    ),
    # taken exactly where unit.dispatched_disabled is: a count of dispatched workers given leaves it asked for
    NeutralDefault(
        "unit.dispatched_disabled_severe",
        "0",
        only_if=(("unit.dispatch_counted_by", ("no_dispatch",)), ("unit.dispatched_disabled", ())),
        subject="unit",
    ),
)
"""Every neutral default of the vocabulary. A missing fact not listed here is never guessed."""


@dataclass(frozen=True)
class ImpliedFact:
    """A fact another given fact states as well: filled in from it when the case does not give it."""

    path: str
    source: str  # a date fact; ``path`` is its calendar year
    reason: str


IMPLIED: tuple[ImpliedFact, ...] = (
    ImpliedFact(
        "person.graduation.year",
        "person.graduation.date",
        "a graduation date gives the calendar year of graduation; a case that gives both must give the same year",
    ),
)
"""Facts filled in from others of the same case, declared here and nowhere else (the year of a date).

Rules on a graduation year (应届, 毕业年度) then read a case that gives only the
date, and rules on a date (毕业未满5年) decide from the year alone whenever
every day of that year gives the same answer (written so in the pack).
"""
