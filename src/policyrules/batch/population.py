"""A synthetic population of employers and disabled persons, for costing and benchmarks.

Every distribution below is an assumption chosen to exercise the rules, not a
statistic: the shares, medians and spreads are round numbers, written out in
docs/batch.md. The same seed gives the same table, row for row.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Optional

from ._deps import need

MISSING = 0.05  # share of each fact left missing, independently
CHUNK = 1_000_000
ROW_GROUP = 65_536

UNIT_KINDS = {
    "private_enterprise": 0.70,
    "public_institution": 0.10,
    "state_owned_enterprise": 0.08,
    "party_government_agency": 0.05,
    "individual_business": 0.04,
    "social_organisation": 0.03,
}
ADMIN_LEVELS = {"township": 0.05, "county": 0.50, "prefecture": 0.30, "province": 0.15}
MINIMUM_WAGES = {"1980": 0.4, "2070": 0.3, "2200": 0.3}  # CNY a month
CATEGORIES = {
    "physical": 0.35,
    "hearing": 0.20,
    "visual": 0.15,
    "mental": 0.12,
    "intellectual": 0.10,
    "multiple": 0.06,
    "speech": 0.02,
}
GRADES = {1: 0.10, 2: 0.20, 3: 0.35, 4: 0.35}
EMPLOYMENT = {"unemployed": 0.35, "employed": 0.35, "self_employed": 0.15, "flexible": 0.15}
BUSINESS_KINDS = {"individual_business": 0.7, "small_micro_enterprise": 0.2, "other": 0.1}


@dataclass(frozen=True)
class Assumption:
    fact: str
    how: str


ASSUMPTIONS = (
    Assumption("(every fact)", f"missing independently with probability {MISSING:.0%}"),
    Assumption("unit.kind", ", ".join(f"{k} {v:.0%}" for k, v in UNIT_KINDS.items())),
    Assumption("unit.staff", "log-normal, median 30, σ 1.2 (log scale), whole, 1 to 20,000"),
    Assumption("unit.disabled_employees", "half of units 0; the rest binomial(staff, p), p uniform 0.5%–4%"),
    Assumption("unit.establishment_size", "agencies and public institutions: staff; others missing"),
    Assumption("unit.fiscally_funded", "agencies yes; public institutions 70%; others no"),
    Assumption("unit.is_school", "public institutions 25%; others no"),
    Assumption(
        "unit.admin_level", "agencies and institutions: " + ", ".join(f"{k} {v:.0%}" for k, v in ADMIN_LEVELS.items())
    ),
    Assumption("unit.is_concentrated_employment_unit", "2%"),
    Assumption("unit.guarantee_fund_paid", "85%"),
    Assumption("place.monthly_minimum_wage", ", ".join(f"{k} CNY {v:.0%}" for k, v in MINIMUM_WAGES.items())),
    Assumption("person.disability.category", ", ".join(f"{k} {v:.0%}" for k, v in CATEGORIES.items())),
    Assumption("person.disability.grade", ", ".join(f"{k}: {v:.0%}" for k, v in GRADES.items())),
    Assumption("person.disability.certified", "92%"),
    Assumption("person.age", "uniform, 16 to 64"),
    Assumption("person.employment", ", ".join(f"{k} {v:.0%}" for k, v in EMPLOYMENT.items())),
    Assumption("person.rural", "45%"),
    Assumption("person.lowbao.household_receives", "20%"),
    Assumption(
        "person.business.*",
        "self-employed only: kind "
        + ", ".join(f"{k} {v:.0%}" for k, v in BUSINESS_KINDS.items())
        + "; licensed 0–5 years before the reference date; first business 80%; rents premises 60%, "
        "rent uniform 500–3,000 CNY a month",
    ),
    Assumption(
        "application.kind",
        "self-employed: startup_subsidy or rent_subsidy; unemployed: vocational_training or "
        "public_welfare_post; others missing",
    ),
    Assumption("application.training.*", "vocational training: 5–60 days, cost 500–3,000 CNY"),
)


def _pick(rng: Any, np: Any, table: dict[Any, float], n: int) -> Any:
    keys = list(table)
    return np.array(keys, dtype=object)[
        rng.choice(len(keys), size=n, p=np.array(list(table.values())) / sum(table.values()))
    ]


def _yuan(pa: Any, whole: Any, mask: Any = None) -> Any:
    """Whole yuan as exact decimals with two places (money is never a float)."""
    return pa.array(whole, mask=mask).cast(pa.decimal128(19, 0)).cast(pa.decimal128(21, 2))


def _employers(rng: Any, np: Any, pa: Any, n: int) -> dict[str, Any]:
    kind = _pick(rng, np, UNIT_KINDS, n)
    public = (kind == "party_government_agency") | (kind == "public_institution")
    staff = np.clip(np.rint(rng.lognormal(np.log(30), 1.2, n)), 1, 20_000).astype(np.int64)
    p = np.where(rng.random(n) < 0.5, 0.0, rng.uniform(0.005, 0.04, n))
    disabled = rng.binomial(staff, p).astype(np.int64)
    fiscal = np.where(kind == "party_government_agency", True, (kind == "public_institution") & (rng.random(n) < 0.7))
    school = (kind == "public_institution") & (rng.random(n) < 0.25)
    wage = _pick(rng, np, MINIMUM_WAGES, n)
    return {
        "unit.kind": pa.array(kind, type=pa.string()),
        "unit.staff": pa.array(staff),
        "unit.disabled_employees": pa.array(disabled),
        "unit.establishment_size": pa.array(staff, mask=~public),
        "unit.fiscally_funded": pa.array(fiscal),
        "unit.is_school": pa.array(school),
        "unit.admin_level": pa.array(_pick(rng, np, ADMIN_LEVELS, n), type=pa.string(), mask=~public),
        "unit.is_concentrated_employment_unit": pa.array(rng.random(n) < 0.02),
        "unit.guarantee_fund_paid": pa.array(rng.random(n) < 0.85),
        "place.monthly_minimum_wage": _yuan(pa, wage.astype(np.int64)),
    }


def _persons(rng: Any, np: Any, pa: Any, n: int, reference: date) -> dict[str, Any]:
    employment = _pick(rng, np, EMPLOYMENT, n)
    self_employed = employment == "self_employed"
    unemployed = employment == "unemployed"
    application = np.where(
        self_employed,
        np.where(rng.random(n) < 0.5, "startup_subsidy", "rent_subsidy"),
        np.where(unemployed, np.where(rng.random(n) < 0.6, "vocational_training", "public_welfare_post"), None),
    )
    training = application == "vocational_training"
    licensed = np.datetime64(reference, "D") - rng.integers(0, 5 * 365, n).astype("timedelta64[D]")
    wage = _pick(rng, np, MINIMUM_WAGES, n)
    return {
        "person.disability.category": pa.array(_pick(rng, np, CATEGORIES, n), type=pa.string()),
        "person.disability.grade": pa.array(_pick(rng, np, GRADES, n).astype(np.int64)),
        "person.disability.certified": pa.array(rng.random(n) < 0.92),
        "person.age": pa.array(rng.integers(16, 65, n)),
        "person.employment": pa.array(employment, type=pa.string()),
        "person.rural": pa.array(rng.random(n) < 0.45),
        "person.lowbao.household_receives": pa.array(rng.random(n) < 0.2),
        "person.business.kind": pa.array(_pick(rng, np, BUSINESS_KINDS, n), type=pa.string(), mask=~self_employed),
        "person.business.licensed_on": pa.array(licensed, type=pa.date32(), mask=~self_employed),
        "person.business.first_business": pa.array(rng.random(n) < 0.8, mask=~self_employed),
        "person.business.rents_premises": pa.array(rng.random(n) < 0.6, mask=~self_employed),
        "person.business.monthly_rent": _yuan(pa, rng.integers(500, 3001, n), ~self_employed),
        "application.kind": pa.array(application, type=pa.string()),
        "application.training.days": pa.array(rng.integers(5, 61, n), mask=~training),
        "application.training.cost": _yuan(pa, rng.integers(500, 3001, n), ~training),
        "place.monthly_minimum_wage": _yuan(pa, wage.astype(np.int64)),
    }


def population_batches(employers: int, persons: int, seed: int, reference: date, chunk: int = CHUNK) -> Any:
    """Record batches of at most ``chunk`` rows: the employers, then the persons, each fact 5% missing."""
    np = need("numpy")
    pa = need("pyarrow")
    pc = need("pyarrow.compute")
    rng = np.random.default_rng(seed)
    schema: Optional[Any] = None
    for count, make in ((employers, "employers"), (persons, "persons")):
        done = 0
        while done < count:
            n = min(chunk, count - done)
            cols = _employers(rng, np, pa, n) if make == "employers" else _persons(rng, np, pa, n, reference)
            if schema is None:
                schema = _schema(pa, reference)
            arrays = []
            for field in schema:
                col = cols.get(field.name)
                if col is None:
                    arrays.append(pa.nulls(n, field.type))
                    continue
                drop = pa.array(rng.random(n) < MISSING)
                arrays.append(pc.if_else(drop, pa.scalar(None, field.type), col.cast(field.type)))
            yield pa.RecordBatch.from_arrays(arrays, schema=schema)
            done += n


def _schema(pa: Any, reference: date) -> Any:
    np = need("numpy")
    rng = np.random.default_rng(0)
    fields: dict[str, Any] = {}
    for cols in (_employers(rng, np, pa, 1), _persons(rng, np, pa, 1, reference)):
        for name, col in cols.items():
            fields.setdefault(name, col.type)
    return pa.schema(list(fields.items()))


def write_population(
    path: str | os.PathLike[str],
    employers: int,
    persons: int,
    seed: int,
    reference: date = date(2024, 6, 1),
    progress: Optional[Callable[[int], None]] = None,
) -> int:
    """Write the population to a Parquet file; returns the number of rows."""
    pq = need("pyarrow.parquet")
    rows = 0
    writer = None
    target = Path(path)
    try:
        for batch in population_batches(employers, persons, seed, reference):
            if writer is None:
                writer = pq.ParquetWriter(str(target), batch.schema)
            writer.write_batch(batch, row_group_size=ROW_GROUP)  # readers hold one row group at a time
            rows += batch.num_rows
            if progress is not None:
                progress(batch.num_rows)
    finally:
        if writer is not None:
            writer.close()
    return rows
