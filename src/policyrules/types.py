"""Scalar field types shared by the pack schema and the fact vocabulary.

Pydantic's strict mode would reject ``1000`` for a Decimal and a JSON date
string for a ``date``; its lax mode would accept ``True`` as 1 and a float
for money. These types accept exactly what a person writes in YAML or JSON
and nothing else.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import BeforeValidator, ConfigDict, PlainSerializer

from policyrules.dates import parse_iso_date

_NUMBER_TEXT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(f"expected an exact number, got {value!r}")
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, str):
        # ASCII digits only: Decimal() itself also takes "1_000", "２００" and "١٩٨٠".
        text = value.strip()
        if len(text) > 40 or not _NUMBER_TEXT.fullmatch(text):
            raise ValueError(f"expected a number written in ASCII digits, got {value!r}")
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
            raise ValueError(f"expected a number, got {value!r}") from None
    raise ValueError(f"expected a number, got {value!r}")


def _decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


Number = Annotated[
    Decimal, BeforeValidator(_to_decimal), PlainSerializer(_decimal_text, return_type=str, when_used="json")
]
"""An exact decimal: money, rates, years. Serialised to JSON as a string."""

IsoDate = Annotated[date, BeforeValidator(parse_iso_date)]
"""A date written YYYY-MM-DD (YAML or JSON)."""

STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)
"""Every model: unknown keys rejected, no coercion, immutable."""
