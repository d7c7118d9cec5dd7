"""Scalar field types shared by the pack schema and the fact vocabulary.

Pydantic's strict mode would reject ``1000`` for a Decimal and a JSON date
string for a ``date``; its lax mode would accept ``True`` as 1 and a float
for money. These types accept exactly what a person writes in YAML or JSON
and nothing else.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    getcontext,
    setcontext,
)
from typing import Annotated, Any, Callable, Literal, Optional, TypeVar

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema

from policyrules.dates import parse_iso_date
from policyrules.errors import Invalid

MAX_DIGITS = 40
MAX_EXPONENT = 30

CONTEXT = Context(
    prec=200,
    rounding=ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
"""The one decimal context of the library, whatever the caller's ``decimal.getcontext()`` says.

Inputs have at most MAX_DIGITS significant digits within 1e±MAX_EXPONENT,
so sums and products of a few of them are exact in 200 digits; a quotient
that does not terminate (1/3) is rounded half-even at the 200th digit.
Overflow and invalid operations raise instead of giving Infinity or NaN.
"""

F = TypeVar("F", bound=Callable[..., Any])


def exact(fn: F) -> F:
    """Run ``fn`` in :data:`CONTEXT`: results never depend on the caller's decimal context."""

    @functools.wraps(fn)
    def in_context(*args: Any, **kwargs: Any) -> Any:
        outer = getcontext()
        if outer is CONTEXT:  # called from inside another exact function
            return fn(*args, **kwargs)
        # CONTEXT itself, not a copy: what it traps is what an operation raises; the flags it gathers are never read.
        setcontext(CONTEXT)
        try:
            return fn(*args, **kwargs)
        finally:
            setcontext(outer)

    return in_context  # type: ignore[return-value]


# A number written as text: ASCII digits, an optional sign, point and exponent (no "1_000", "１２" or "NaN").
NUMBER_TEXT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")


# A whole number below this in size is within range (its digits and exponent at most MAX_EXPONENT + 1 ≤ MAX_DIGITS).
_WHOLE_LIMIT = 10 ** (MAX_EXPONENT + 1)


def _to_decimal(value: object) -> Decimal:
    if value.__class__ is int and -_WHOLE_LIMIT < value < _WHOLE_LIMIT:  # type: ignore[operator]
        return Decimal(value)  # type: ignore[arg-type]  # the common case, without the checks below
    if isinstance(value, bool) or isinstance(value, float):
        raise Invalid("value.inexact", value=value)
    if isinstance(value, (int, Decimal)):
        return _in_range(Decimal(value), value)
    if isinstance(value, str):
        # ASCII digits only: Decimal() itself also takes "1_000", "２００" and "١٩٨٠".
        text = value.strip()
        if len(text) > 40 or not NUMBER_TEXT.fullmatch(text):
            raise Invalid("value.not_ascii_number", value=value)
        try:
            return _in_range(Decimal(text), value)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
            raise Invalid("value.not_number", value=value) from None
    raise Invalid("value.not_number", value=value)


def _in_range(number: Decimal, given: object) -> Decimal:
    # Bounded inputs keep every sum and product of them exact in CONTEXT (see docs/reliability.md).
    if not number.is_finite():
        raise Invalid("value.not_finite", value=given)
    if number and not -MAX_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
        raise Invalid("value.out_of_range", value=given, exponent=MAX_EXPONENT)
    if len(number.as_tuple().digits) > MAX_DIGITS:
        raise Invalid("value.too_many_digits", value=given, digits=MAX_DIGITS)
    return number


_TEXTS: dict[Decimal, str] = {}


def decimal_text(value: Decimal) -> str:
    """A Number as its JSON writes it: normalised, in fixed-point notation."""
    # Equal numbers print alike once normalised (results repeat figures), but for -0, equal to 0.
    if not value:
        return "-0" if value.is_signed() else "0"
    text = _TEXTS.get(value)
    if text is None:
        text = format(value.normalize(CONTEXT), "f")
        if len(_TEXTS) >= 4096:
            _TEXTS.clear()
        _TEXTS[value] = text
    return text


Number = Annotated[
    Decimal, BeforeValidator(_to_decimal), PlainSerializer(decimal_text, return_type=str, when_used="json")
]
"""An exact decimal: money, rates, years. Serialised to JSON as a string."""

IsoDate = Annotated[date, BeforeValidator(parse_iso_date)]
"""A date written YYYY-MM-DD (YAML or JSON)."""

STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)
"""Every model: unknown keys rejected, no coercion, immutable."""


class Domain(str):
    """The domain of a fact, as docs/vocabulary.md prints it (pydantic ignores it; the ``Field`` enforces it)."""


Count = Annotated[int, Field(ge=0, le=10**15), Domain("whole number ≥ 0")]
"""Head counts, sessions, years of age, months: a whole number, never negative."""


def _within(low: int, high: int | None) -> tuple[AfterValidator, WithJsonSchema]:
    """A check that a Number lies in [low, high], and the JSON Schema that says so."""

    def check(value: Decimal) -> Decimal:
        if value < low or (high is not None and value > high):
            raise Invalid("value.at_least", low=low) if high is None else Invalid("value.between", low=low, high=high)
        return value

    number: dict[str, object] = {"type": "number", "minimum": low}
    if high is not None:
        number["maximum"] = high
    text = {"type": "string", "pattern": r"^\+?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"}
    return AfterValidator(check), WithJsonSchema({"anyOf": [number, text]})


_AT_LEAST_ZERO = _within(0, None)
_ZERO_TO_ONE = _within(0, 1)

NonNegative = Annotated[Number, _AT_LEAST_ZERO[0], _AT_LEAST_ZERO[1], Domain("≥ 0")]
"""Money, wages, durations, distances: never negative."""

Share = Annotated[Number, _ZERO_TO_ONE[0], _ZERO_TO_ONE[1], Domain("0 to 1")]
"""A share or rate as a decimal (0.6 for 60%)."""


def _whole_grade(value: object) -> object:
    # Literal[1, 2, 3, 4] alone would take True (== 1) and 1.0.
    if type(value) is not int:
        raise Invalid("value.grade", value=value)
    return value


Grade = Annotated[Literal[1, 2, 3, 4], BeforeValidator(_whole_grade), Domain("1, 2, 3 or 4")]
"""A disability grade: 一级 (1, most severe) to 四级 (4)."""


def _no_surrogates(value: str) -> str:
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise Invalid("value.surrogate")
    return value


Text = Annotated[str, Field(max_length=10_000), AfterValidator(_no_surrogates)]
"""Free text in a case: valid Unicode, at most 10,000 characters."""


Lang = Literal["zh", "en"]
"""A language the library speaks: Simplified Chinese (``zh``, the default) or English."""

LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"


def lang_from_accept_language(header: Optional[str]) -> Lang:
    """The language to answer in for an HTTP ``Accept-Language`` header (default zh).

    Ranges are taken in order of their q-value; the first that names zh or en
    (``zh-CN``, ``zh-Hans``, ``en-GB``…) wins. Traditional-script ranges
    (``zh-Hant``, ``zh-TW``, ``zh-HK``) still get zh: the texts exist in
    Simplified Chinese and English only.
    """
    if not header:
        return DEFAULT_LANG
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, i, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        primary = tag.split("-")[0]
        if primary in LANGS:
            return primary  # type: ignore[return-value]
        if tag == "*":
            return DEFAULT_LANG
    return DEFAULT_LANG
