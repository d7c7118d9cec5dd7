"""Counting a unit's disabled employees from a list, as the employment security fund counts them.

A case may list the unit's disabled employees one by one (``unit.disabled_staff``)
instead of giving the count (``unit.disabled_employees``). Rules compare
numbers, not lists, so the case reader turns the list into the count here,
once, and every pack reads the count. The conditions are those of
财税〔2015〕72号《残疾人就业保障金征收使用管理办法》第七条 (an external
document; docs/compliance.md quotes it):

* a person counts when recruited as 在编 staff, or of working age on a labour
  contract or service agreement of at least 1 year (1年以上（含1年）: 12 months
  included), *and* actually paid at least the local minimum wage *and* with
  social insurance paid in full. The wage and insurance conditions are read
  as applying to 在编 staff too (且…并 follow both alternatives);
* a holder of a 残疾人证 of grade 1–2 or a 残疾军人证 of grade 1–3 counts as 2.

A record that lacks a fact its condition needs is *undecided*; one undecided
record leaves the count unknown (never guessed).

Seasonal workers (``unit.seasonal_staff``, batches of workers with the months
they worked) are converted here to a yearly average, as 第八条 requires
(季节性用工应当折算为年平均用工人数): the months summed, divided by 12.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, Optional, Sequence

from policyrules.errors import Invalid

MIN_CONTRACT_MONTHS = 12  # 1年以上（含1年）
SEVERE_GRADE = {"disability": 2, "disabled_soldier": 3}  # 1至2级 残疾人证, 1至3级 残疾军人证


@dataclass(frozen=True)
class Counted:
    """One listed employee: how many persons they count as, or why not, or what is missing."""

    index: int
    name: Optional[str]
    status: Literal["counted", "not_counted", "undecided"]
    weight: int  # 0, 1 or 2 (2 for a severe grade)
    reasons: tuple[str, ...]  # why not counted / which facts are missing, in words
    why: tuple[tuple[str, tuple[str, ...]], ...] = ()  # the same as (code, figures), for a reader in any language


def count_one(index: int, record: object, minimum_wage: Optional[Decimal]) -> Counted:
    """Apply 第七条 to one record (any object with the fields of ``facts.case.DisabledEmployee``)."""
    g = record.__getattribute__
    prefix = f"unit.disabled_staff[{index}]."
    failed: list[str] = []
    codes: list[tuple[str, tuple[str, ...]]] = []  # (contract | wage | insurance, figures) beside each failure
    missing: list[str] = []

    established, working_age, months = g("on_establishment"), g("working_age"), g("contract_months")
    contract_ok: Optional[bool] = None
    if working_age is not None and months is not None:
        contract_ok = working_age and months >= MIN_CONTRACT_MONTHS
    elif working_age is False or (months is not None and months < MIN_CONTRACT_MONTHS):
        contract_ok = False
    if established is True or contract_ok is True:
        pass
    elif established is False and contract_ok is False:
        failed.append(
            "neither 在编 nor of working age on a contract of at least 12 months"
            + (f" (contract {months} months)" if months is not None else "")
        )
        codes.append(("contract", () if months is None else (str(months),)))
    else:
        if established is None:
            missing.append(prefix + "on_establishment")
        if contract_ok is None:
            missing += [prefix + f for f in ("working_age", "contract_months") if g(f) is None]

    wage = g("monthly_wage")
    if wage is None:
        missing.append(prefix + "monthly_wage")
    elif minimum_wage is None:
        missing.append("place.monthly_minimum_wage")
    elif wage < minimum_wage:
        failed.append(f"wage {wage} below the local minimum wage {minimum_wage}")
        codes.append(("wage", (str(wage), str(minimum_wage))))

    insured = g("social_insurance_full")
    if insured is None:
        missing.append(prefix + "social_insurance_full")
    elif not insured:
        failed.append("social insurance not paid in full")
        codes.append(("insurance", ()))

    name = g("name")
    if failed:
        return Counted(index, name, "not_counted", 0, tuple(failed), tuple(codes))
    if missing:
        return Counted(index, name, "undecided", 0, tuple(missing), tuple(("missing", (m,)) for m in missing))
    severe = g("grade") <= SEVERE_GRADE[g("certificate")]
    if severe:
        return Counted(index, name, "counted", 2, ("counts as 2 (severe grade)",), (("severe", ()),))
    return Counted(index, name, "counted", 1, ())


def count_list(records: Sequence[object], minimum_wage: Optional[Decimal]) -> tuple[Optional[int], list[Counted]]:
    """The counted total (None when a record is undecided) and each record's verdict."""
    verdicts = [count_one(i, r, minimum_wage) for i, r in enumerate(records)]
    if any(v.status == "undecided" for v in verdicts):
        return None, verdicts
    return sum(v.weight for v in verdicts), verdicts


SEASONAL_PLACES = Decimal("0.00000001")  # 1/12 has no finite decimal: the average is kept to 8 places


def seasonal_average(unit: object) -> Optional[Decimal]:
    """The yearly average of seasonal work outside ``unit.staff``: from the list, the figure given, or 0.

    第八条 季节性用工应当折算为年平均用工人数 prints no method; the average of the
    twelve monthly head counts is the months worked, summed over the workers,
    divided by 12 (12 workers for 3 months = 3), rounded half up at the 8th
    decimal place. A unit that gives its staff and no seasonal workers has its
    staff read as the full 第八条 count, seasonal work already in it: nothing is
    added (0). A figure given beside a list must agree with it.
    """
    g = unit.__getattribute__
    given, listed = g("seasonal_staff_average"), g("seasonal_staff")
    if listed is not None:
        months = sum(batch.workers * batch.months for batch in listed)
        average = (Decimal(months) / 12).quantize(SEASONAL_PLACES, rounding=ROUND_HALF_UP).normalize()
        if average == average.to_integral():
            average = average.quantize(Decimal(1))
        if given is not None and given != average:
            raise Invalid("case.seasonal_disagrees", given=given, months=months, average=average)
        return average
    if given is None and g("staff") is not None:
        return Decimal(0)
    return given
