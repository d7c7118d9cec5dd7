"""Money figures: rounded to the currency's smallest unit by one documented rule.

Every figure is computed exactly in the library's decimal context
(:data:`policyrules.types.CONTEXT`). A figure whose unit is a currency is
then rounded half up (四舍五入) to that currency's smallest unit: fen
(0.01) for CNY. The per-unit value is rounded first and totals are the
rounded value times the count, so ``value × count = total`` holds exactly in
every result; a funding share of a total is rounded the same way.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Optional

from policyrules.types import CONTEXT
from policyrules.units import parse_unit

SMALLEST_UNIT: dict[str, Decimal] = {"CNY": Decimal("0.01")}
"""Each currency and the step its figures are rounded to."""


@lru_cache(maxsize=256)
def money_step(unit: Optional[str]) -> Optional[Decimal]:
    """The rounding step of an amount in ``unit`` (None when the unit is not money)."""
    if unit is None:
        return None
    try:
        dims = parse_unit(unit)
    except ValueError:
        return None
    for currency, step in SMALLEST_UNIT.items():
        if dims.powers == ((currency, 1),):
            return step
    return None


def round_money(value: Optional[Decimal], step: Optional[Decimal]) -> Optional[Decimal]:
    if value is None or step is None:
        return value
    exponent = _EXPONENTS.get(step)
    if exponent is None:
        exponent = _EXPONENTS[step] = step.as_tuple().exponent
    if value.as_tuple().exponent >= exponent:
        return value  # already a whole number of the step: kept as written (29700 stays 29700)
    return value.quantize(step, rounding=ROUND_HALF_UP, context=CONTEXT)


_EXPONENTS: dict[Decimal, int] = {}  # a step's exponent, read once per step (steps are few: SMALLEST_UNIT)
