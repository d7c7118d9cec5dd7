"""Native vs durable-rules vs a hand-written function, on baotou's employer rules.

    python benchmarks/backends.py [--cases N] [--differential N] [--seed S]

The rules: excess-quota reward (with its exclusion), the public-sector quota
duty, the SOE guarantee fund, and the credit record (包府办发〔2023〕43号).
The hand-written function computes the same four outcomes from a complete
employer case, the way one would code them without a rule engine.

Printed from one run: single-case latency (median of repeated timings of
one case, µs) and throughput over N seeded cases (cases/s), with ratios to
the hand-written function. ``--differential N`` then runs N seeded random
employer cases (100000 for the figure in docs/backends.md) through all
three and counts disagreements (the four outcomes against the hand-written
function; the whole result, native against durable): it exits 1 on any.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from math import floor
from typing import Any

from policyrules.backends.durable import evaluate as durable_evaluate
from policyrules.engine.evaluator import evaluate as native_evaluate
from policyrules.engine.loading import load_pack
from policyrules.engine.result import Result
from policyrules.facts.case import Case

AS_OF = date(2024, 6, 1)
QUOTA = Decimal("0.015")
KINDS = ("party_government_agency", "public_institution", "state_owned_enterprise", "private_enterprise", "other")

Summary = tuple[Decimal | None, str | None, str | None, bool]
"""(reward total or None, public-sector duty status or None, fund duty status or None, credit record)."""


def by_hand(unit: dict[str, Any], wage: Decimal) -> Summary:
    """The four employer outcomes, hand-coded: what the rules say, for a complete case."""
    staff, disabled = unit["staff"], unit["disabled_employees"]
    required = staff * QUOTA
    below = disabled < required
    excess = max(0, floor(disabled - required))
    reward = None
    if excess >= 1 and not (unit["fiscally_funded"] or unit["is_concentrated_employment_unit"]):
        reward = 5 * wage * excess
    kind, size = unit["kind"], unit["establishment_size"]
    public = (kind == "party_government_agency" and size >= 50) or (
        kind == "public_institution" and size >= 67 and not unit["is_school"]
    )
    duty = ("met" if disabled >= 1 else "unmet") if public and below else None
    fund = ("met" if unit["guarantee_fund_paid"] else "unmet") if kind == "state_owned_enterprise" and below else None
    return reward, duty, fund, below and not unit["guarantee_fund_paid"]


def summary(result: Result) -> Summary:
    def status(rule: str) -> str | None:
        o = result.outcome(rule)
        return None if o is None else o.status

    reward = result.outcome("reward.excess_quota")
    total = reward.amount.total if reward is not None and reward.amount is not None else None
    credit = result.outcome("credit.fund_refusal") is not None
    return total, status("quota.public_sector.duty"), status("quota.soe_guarantee_fund"), credit


def random_unit(rng: random.Random) -> tuple[dict[str, Any], Decimal]:
    staff = rng.choice([rng.randint(1, 2000), rng.choice([99, 100, 101, 199, 200, 201, 299, 300, 301, 67])])
    unit = {
        "kind": rng.choice(KINDS),
        "staff": staff,
        "disabled_employees": rng.randint(0, min(staff, 30)),
        "establishment_size": rng.choice([rng.randint(0, 300), 49, 50, 66, 67]),
        "is_school": rng.random() < 0.2,
        "fiscally_funded": rng.random() < 0.2,
        "is_concentrated_employment_unit": rng.random() < 0.1,
        "guarantee_fund_paid": rng.random() < 0.6,
    }
    return unit, Decimal(rng.choice([1980, 2100, 1750]))


def to_case(unit: dict[str, Any], wage: Decimal) -> Case:
    return Case.model_validate({"unit": unit, "place": {"monthly_minimum_wage": wage}})


def latency_us(fn: Callable[[], Any], repeat: int = 2000) -> float:
    fn()
    timings = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - t)
    return statistics.median(timings) * 1e6


def throughput(fn: Callable[[Any], Any], items: list[Any]) -> float:
    t = time.perf_counter()
    for item in items:
        fn(item)
    return len(items) / (time.perf_counter() - t)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=5000, help="cases for the throughput figures")
    parser.add_argument("--differential", type=int, default=0, metavar="N", help="then compare all three on N cases")
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args(argv)

    pack = load_pack("baotou")
    rng = random.Random(args.seed)
    units = [random_unit(rng) for _ in range(args.cases)]
    cases = [to_case(u, w) for u, w in units]
    one_unit = {
        "kind": "private_enterprise",
        "staff": 200,
        "disabled_employees": 6,
        "establishment_size": 0,
        "is_school": False,
        "fiscally_funded": False,
        "is_concentrated_employment_unit": False,
        "guarantee_fund_paid": True,
    }
    one_wage = Decimal(1980)
    one = to_case(one_unit, one_wage)

    engines: dict[str, tuple[Callable[[], Any], Callable[[Any], Any], list[Any]]] = {
        "hand-written": (lambda: by_hand(one_unit, one_wage), lambda uw: by_hand(*uw), units),
        "native": (lambda: native_evaluate(pack, one, AS_OF), lambda c: native_evaluate(pack, c, AS_OF), cases),
        "durable": (lambda: durable_evaluate(pack, one, AS_OF), lambda c: durable_evaluate(pack, c, AS_OF), cases),
    }
    python = sys.version.split()[0]
    print(f"baotou employer rules, {len(pack.rules)} rules in the pack; {args.cases} seeded cases; Python {python}")
    print(f"{'engine':<14}{'µs/case':>10}{'× hand':>10}{'cases/s':>12}{'× native':>10}")
    figures = {}
    for name, (single, each, items) in engines.items():
        repeat = 300 if name == "durable" else 2000
        figures[name] = (latency_us(single, repeat), throughput(each, items))
    hand, native = figures["hand-written"], figures["native"]
    for name, (lat, rate) in figures.items():
        print(f"{name:<14}{lat:>10.1f}{lat / hand[0]:>10.1f}{rate:>12.0f}{rate / native[1]:>10.2f}")

    if args.differential:
        rng = random.Random(args.seed + 1)
        bad = 0
        t = time.perf_counter()
        for i in range(args.differential):
            unit, wage = random_unit(rng)
            case = to_case(unit, wage)
            want = by_hand(unit, wage)
            native_result = native_evaluate(pack, case, AS_OF)
            durable_result = durable_evaluate(pack, case, AS_OF)
            got_native = summary(native_result)
            whole = native_result.model_copy(update={"backend": "durable"}) == durable_result  # every field
            if got_native != want or summary(durable_result) != want or not whole:
                bad += 1
                if bad <= 5:
                    got_durable = summary(durable_result)
                    print(f"case {i} disagrees: hand {want}, native {got_native}, durable {got_durable}: {unit}")
        took = time.perf_counter() - t
        print(f"differential: {args.differential} cases, {bad} disagreements, {took:.0f} s")
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
