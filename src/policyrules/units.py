"""Units as dimension vectors, so that a formula mixing per-month and per-year fails to load.

A unit is a product of base units with integer powers: ``CNY/month`` is
{CNY: 1, month: -1}. There are no conversions: a month is not 1/12 of a year
here, because the texts never say which rounding they mean. Mixing them is
an error the pack author must resolve explicitly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policyrules.errors import Invalid

BASE_UNITS: dict[str, str] = {
    "CNY": "yuan renminbi (元)",
    "person": "a person (人, 名)",
    "household": "a household (户)",
    "post": "a job post (岗位, 个)",
    "outlet": "a kiosk, stall or sales point (网点, 摊位)",
    "institution": "an institution or base (机构, 基地)",
    "session": "one training session or event (次, 期)",
    "year": "a year (年)",
    "month": "a month (月)",
    "day": "a day (天, 日)",
    "hour": "a class hour (课时)",
    "m": "metre (米)",
}

_TOKEN = re.compile(r"\s*([*/])?\s*([A-Za-z]+)(?:\^(-?\d+))?\s*")


@dataclass(frozen=True)
class Dim:
    """A unit as sorted (base, power) pairs; the empty tuple is dimensionless."""

    powers: tuple[tuple[str, int], ...] = ()

    @staticmethod
    def of(mapping: dict[str, int]) -> Dim:
        return Dim(tuple(sorted((k, v) for k, v in mapping.items() if v != 0)))

    def __mul__(self, other: Dim) -> Dim:
        out = dict(self.powers)
        for k, v in other.powers:
            out[k] = out.get(k, 0) + v
        return Dim.of(out)

    def __truediv__(self, other: Dim) -> Dim:
        return self * Dim(tuple((k, -v) for k, v in other.powers))

    @property
    def dimensionless(self) -> bool:
        return not self.powers

    def __str__(self) -> str:
        if not self.powers:
            return "1"
        num = [k if v == 1 else f"{k}^{v}" for k, v in self.powers if v > 0]
        den = [k if v == -1 else f"{k}^{-v}" for k, v in self.powers if v < 0]
        text = "*".join(num) if num else "1"
        for d in den:
            text += f"/{d}"
        return text


DIMENSIONLESS = Dim()


def parse_unit(text: str) -> Dim:
    """Parse ``CNY/month``, ``CNY/person/year``, ``1`` (dimensionless), ``m``.

    Raises ValueError naming the bad part.
    """
    text = text.strip()
    if text in ("1", ""):
        return DIMENSIONLESS
    out: dict[str, int] = {}
    pos = 0
    first = True
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise Invalid("unit.unreadable", unit=text, rest=text[pos:])
        op, name, power = m.group(1), m.group(2), int(m.group(3) or 1)
        if first and op is not None:
            raise Invalid("unit.starts", unit=text)
        if not first and op is None:
            raise Invalid("unit.join", unit=text)
        if name not in BASE_UNITS:
            raise Invalid("unit.unknown", name=name, known=", ".join(BASE_UNITS))
        sign = -1 if op == "/" else 1
        out[name] = out.get(name, 0) + sign * power
        pos = m.end()
        first = False
    return Dim.of(out)
