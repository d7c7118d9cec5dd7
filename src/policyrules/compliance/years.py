"""Year by year, for one employer: the quota, the counted disabled employees, the fund and the rewards.

Each year is the pack evaluated as of 31 December of that year (or the pack's
last day in force, when it ends earlier in the year): the fund levied in a
year is computed from the previous year's figures, which the case gives, so
the same figures are carried through every year and only the rules in force
change (the reliefs run to 2027-12-31). A year the pack is not in force on its
last day is reported as such, with nothing computed.

The fund levied in a year is computed with the previous year's (上年) average
wage: when the case lists the unit's wages year by year
(``unit.average_annual_wages``), the year before's is used for that year's
row; otherwise the case's ``unit.average_annual_wage`` is carried. Each row
names the wage it used (``wage_source``).

"One more hire" is the same case with one more member of staff who is a
disabled employee meeting the counting conditions (a contract of at least a
year, the minimum wage, social insurance in full), counted once, or twice for
a severe grade, with the row's wage: the change it shows is the hire's alone.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from policyrules.engine.evaluator import evaluate
from policyrules.engine.model import CompiledPack
from policyrules.engine.result import CitationOut, OutcomeOut, Result
from policyrules.errors import InputError, Location, Problem
from policyrules.facts.case import Case
from policyrules.facts.employees import SEVERE_GRADE, count_list
from policyrules.types import Number

FUND_TOPICS = ("fund.owed", "fund.reduction", "fund.exempt")


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReasonOut(_Out):
    code: Literal["contract", "wage", "insurance", "missing", "severe"]
    figures: list[str] = Field(
        default=[], description="contract: months; wage: wage and minimum wage; missing: the fact path"
    )


class EmployeeOut(_Out):
    index: int
    name: Optional[str] = None
    status: Literal["counted", "not_counted", "undecided"]
    counts_as: int
    reasons: list[str] = Field(default=[], description="why not counted, or the facts missing to decide")
    why: list[ReasonOut] = Field(default=[], description="the reasons as codes with their figures")


class RewardOut(_Out):
    rule: str
    topic: str
    title: str
    amount: Optional[Number] = Field(
        default=None, description="the total in CNY, when the rule states and the case decides it"
    )
    per: list[str] = []
    figure: Optional[str] = Field(default=None, description="the figure as the rule writes it, when there is no total")
    citation: CitationOut


class HireEffect(_Out):
    certificate: Literal["disability", "disabled_soldier"]
    grade: int
    counts_as: int
    fund_due: Optional[Number] = None
    fund_change: Optional[Number] = Field(default=None, description="fund after the hire minus before (negative saves)")
    rewards_change: Optional[Number] = Field(default=None, description="known CNY rewards after minus before")


class YearRow(_Out):
    year: int
    as_of: date
    in_force: bool
    reason: Optional[str] = None
    staff: Optional[Number] = None
    quota_ratio: Optional[Number] = None
    quota: Optional[Number] = Field(default=None, description="disabled employees the ratio requires (staff × ratio)")
    counted_disabled: Optional[Number] = None
    shortfall: Optional[Number] = None
    unit_wage: Optional[Number] = Field(default=None, description="the unit's average annual wage used, before the cap")
    wage_source: Optional[str] = Field(
        default=None,
        description="where unit_wage comes from: unit.average_annual_wages[YEAR] (the year before) "
        "or unit.average_annual_wage (the case's last-year wage, carried when that year is not listed)",
    )
    wage_base: Optional[Number] = None
    fund_full: Optional[Number] = Field(default=None, description="the fund before any reduction")
    payable_share: Optional[Number] = None
    exempt: Optional[bool] = None
    owed: Optional[bool] = None
    fund_due: Optional[Number] = Field(default=None, description="the fund payable after the tier or exemption")
    reduction: Optional[Number] = Field(default=None, description="the saving from the tiered reduction or exemption")
    fund: list[OutcomeOut] = Field(default=[], description="fund.owed, fund.reduction, fund.exempt as they fired")
    rewards: list[RewardOut] = Field(default=[], description="the unit's other entitlements (rewards, subsidies)")
    rewards_total: Optional[Number] = Field(default=None, description="sum of the rewards with a known CNY total")
    missing: list[str] = Field(default=[], description="facts that would decide the fund where it is left open")
    next_hire: Optional[HireEffect] = None


class ComplianceReport(_Out):
    pack: str
    document: str
    fund_pack: Optional[str] = Field(description="the pack that computes the fund (national_fund), if layered")
    employees: list[EmployeeOut] = []
    years: list[YearRow]


def parse_years(text: str) -> list[int]:
    """``2023..2027`` or ``2024``: the years, in order."""
    first, sep, last = text.partition("..")
    try:
        a = int(first)
        b = int(last) if sep else a
    except ValueError:
        raise InputError([Problem.of("args.years_form", Location("<args>"), text=text)]) from None
    if not (1900 <= a <= b <= 2200) or b - a > 50:
        raise InputError([Problem.of("args.years_range", Location("<args>"), text=text)])
    return list(range(a, b + 1))


def _ancestors(pack: CompiledPack) -> list[str]:
    out = []
    p: Optional[CompiledPack] = pack
    while p is not None:
        out.append(p.id)
        p = p.parent
    return out


def _year_date(pack: CompiledPack, year: int) -> date:
    day = date(year, 12, 31)
    end = pack.valid_until
    if end is not None and end.year == year and end < day:
        return end
    return day


def _rewards(result: Result) -> tuple[list[RewardOut], Optional[Decimal]]:
    out = []
    total: Optional[Decimal] = Decimal(0)
    for e in result.entitlements:
        if e.to != "unit" or e.topic in FUND_TOPICS:
            continue
        amount = e.amount
        known = amount is not None and amount.unit == "CNY" and amount.total is not None
        out.append(
            RewardOut(
                rule=e.rule,
                topic=e.topic,
                title=e.title,
                amount=amount.total if known else None,  # type: ignore[union-attr]
                per=list(amount.per) if amount else [],
                figure=None if known or amount is None else (amount.expression or amount.reference),
                citation=e.citation,
            )
        )
        if known and total is not None:
            total += amount.total  # type: ignore[union-attr,operator]
    return out, total


def _with_year_wage(case: Case, year: int) -> tuple[Case, Optional[str]]:
    """The case with the wage of the year before ``year`` (上年) when it lists one, and where the wage comes from."""
    unit = case.unit
    if unit is None:
        return case, None
    for w in unit.average_annual_wages or ():
        if w.year == year - 1:
            more = unit.model_copy(update={"average_annual_wage": w.average_annual_wage})
            return case.model_copy(update={"unit": more}), f"unit.average_annual_wages[{w.year}]"
    return case, "unit.average_annual_wage" if unit.average_annual_wage is not None else None


def _row(pack: CompiledPack, case: Case, year: int) -> YearRow:
    day = _year_date(pack, year)
    case, wage_source = _with_year_wage(case, year)
    result = evaluate(pack, case, day)
    if not result.validity.in_force:
        return YearRow(year=year, as_of=day, in_force=False, reason=result.validity.reason)
    d = result.derived
    fund = [o for o in (*result.obligations, *result.entitlements) if o.topic in FUND_TOPICS]
    rewards, rewards_total = _rewards(result)
    # Only what the fund needs: a city pack's other rules (persons, outlets) are not the employer's question here.
    missing = sorted(
        {m for u in result.undetermined if u.topic in FUND_TOPICS for m in u.missing}
        | {m for o in fund for m in (o.amount.missing if o.amount else [])}
    )
    due, full = d.get("fund_amount_due"), d.get("fund_amount_full")
    reduction = None
    if due is not None and full is not None and d.get("fund_owed") is not None:
        reduction = full - due if (d.get("fund_owed") or d.get("fund_exempt")) else Decimal(0)
    if d.get("fund_owed") is False and not d.get("fund_exempt"):
        due = Decimal(0)
    return YearRow(
        year=year,
        as_of=day,
        in_force=True,
        staff=d.get("fund_staff"),
        quota_ratio=d.get("fund_quota_ratio"),
        quota=d.get("fund_required"),
        counted_disabled=d.get("fund_counted_disabled"),
        shortfall=d.get("fund_shortfall"),
        unit_wage=case.unit.average_annual_wage if case.unit else None,
        wage_source=wage_source,
        wage_base=d.get("fund_wage_base"),
        fund_full=full,
        payable_share=d.get("fund_payable_share"),
        exempt=d.get("fund_exempt"),
        owed=d.get("fund_owed"),
        fund_due=due,
        reduction=reduction,
        fund=fund,
        rewards=rewards,
        rewards_total=rewards_total,
        missing=missing,
    )


def _with_one_more(case: Case, counts_as: int) -> Optional[Case]:
    unit = case.unit
    if unit is None or unit.staff is None or unit.disabled_employees is None:
        return None
    more = unit.model_copy(
        update={
            "staff": unit.staff + 1,
            "disabled_employees": unit.disabled_employees + counts_as,
            "disabled_staff": None,
        }
    )
    return case.model_copy(update={"unit": more})


def compliance(
    pack: CompiledPack,
    case: Case,
    years: list[int],
    hire_grade: int = 2,
    hire_certificate: Literal["disability", "disabled_soldier"] = "disability",
) -> ComplianceReport:
    """The fund, its reliefs and the unit's rewards year by year, with what one more hire changes."""
    counts_as = 2 if hire_grade <= SEVERE_GRADE[hire_certificate] else 1
    more = _with_one_more(case, counts_as)
    rows = []
    for year in years:
        row = _row(pack, case, year)
        if row.in_force:
            effect = HireEffect(certificate=hire_certificate, grade=hire_grade, counts_as=counts_as)
            if more is not None:
                after = _row(pack, more, year)
                effect = effect.model_copy(
                    update={
                        "fund_due": after.fund_due,
                        "fund_change": None
                        if after.fund_due is None or row.fund_due is None
                        else after.fund_due - row.fund_due,
                        "rewards_change": None
                        if after.rewards_total is None or row.rewards_total is None
                        else after.rewards_total - row.rewards_total,
                    }
                )
            row = row.model_copy(update={"next_hire": effect})
        rows.append(row)
    employees = []
    if case.unit is not None and case.unit.disabled_staff is not None:
        wage = case.place.monthly_minimum_wage if case.place else None
        _, verdicts = count_list(case.unit.disabled_staff, wage)
        employees = [
            EmployeeOut(
                index=v.index,
                name=v.name,
                status=v.status,
                counts_as=v.weight,
                reasons=list(v.reasons),
                why=[ReasonOut(code=c, figures=list(f)) for c, f in v.why],  # type: ignore[arg-type]
            )
            for v in verdicts
        ]
    ancestors = _ancestors(pack)
    return ComplianceReport(
        pack=pack.id,
        document=pack.document.number,
        fund_pack="national_fund" if "national_fund" in ancestors else None,
        employees=employees,
        years=rows,
    )
