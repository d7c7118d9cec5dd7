"""Native (generated code), native (closures) and durable-rules, against baotou written by hand.

    python benchmarks/backends.py [--cases N] [--differential N] [--seed S]

The baseline is the whole baotou pack (包府办发〔2023〕43号, 48 rules)
written by hand with the engine's outputs (benchmarks/handwritten/baotou.py):
the same decisions, figures, exclusions and missing facts, so "× hand"
compares equal work. (An earlier version of this benchmark compared the
engine with a function computing 4 of the 48 outcomes from a complete
employer record; its ratio measured mostly the other 44 rules.)

Printed from one run, each engine building its whole typed Result:
single-case latency (CPU time, median of repeated timings of the example
employer case, µs) and throughput over N seeded employer cases (cases/s),
with ratios. ``--differential N`` then runs N
seeded random employer cases through all of them and counts disagreements
(hand-written against the engine's outputs; the whole result, native against
durable): it exits 1 on any.
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
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from handwritten import baotou as by_hand  # noqa: E402

from policyrules.backends.durable import evaluate as durable_evaluate  # noqa: E402
from policyrules.engine.codegen import generated  # noqa: E402
from policyrules.engine.evaluator import evaluate as native_evaluate  # noqa: E402
from policyrules.engine.loading import load_pack  # noqa: E402
from policyrules.facts.case import Case, flatten  # noqa: E402

AS_OF = date(2024, 6, 1)
KINDS = ("party_government_agency", "public_institution", "state_owned_enterprise", "private_enterprise", "other")


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


def latency_us(fn: Callable[[], Any], repeat: int) -> float:
    """Median over 15 rounds of the mean CPU time of ``repeat // 15`` calls."""
    fn()
    rounds = []
    k = max(1, repeat // 15)
    for _ in range(15):
        t = time.process_time()
        for _ in range(k):
            fn()
        rounds.append((time.process_time() - t) / k)
    return statistics.median(rounds) * 1e6


def throughput(fn: Callable[[Any], Any], items: list[Any]) -> float:
    t = time.process_time()
    for item in items:
        fn(item)
    return len(items) / (time.process_time() - t)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=5000, help="cases for the throughput figures")
    parser.add_argument("--differential", type=int, default=0, metavar="N", help="then compare all three on N cases")
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args(argv)

    pack = load_pack("baotou")
    generated(pack)  # up front: the figures are the generated function's, not the warm-up's
    rng = random.Random(args.seed)
    cases = [to_case(*random_unit(rng)) for _ in range(args.cases)]
    facts = [flatten(c) for c in cases]
    one = to_case(
        {
            "kind": "private_enterprise",
            "staff": 200,
            "disabled_employees": 6,
            "establishment_size": 0,
            "is_school": False,
            "fiscally_funded": False,
            "is_concentrated_employment_unit": False,
            "guarantee_fund_paid": True,
        },
        Decimal(1980),
    )
    one_facts = flatten(one)

    engines: dict[str, tuple[Callable[[], Any], Callable[[Any], Any], list[Any]]] = {
        "hand-written": (lambda: by_hand.evaluate(one_facts, AS_OF), lambda f: by_hand.evaluate(f, AS_OF), facts),
        # native results are built on first read: read one field, so every engine builds its whole Result
        "native": (
            lambda: native_evaluate(pack, one, AS_OF).undetermined,
            lambda c: native_evaluate(pack, c, AS_OF).undetermined,
            cases,
        ),
        "closures": (
            lambda: native_evaluate(pack, one, AS_OF, reference=True),
            lambda c: native_evaluate(pack, c, AS_OF, reference=True),
            cases,
        ),
        "durable": (lambda: durable_evaluate(pack, one, AS_OF), lambda c: durable_evaluate(pack, c, AS_OF), cases),
    }
    python = sys.version.split()[0]
    print(f"baotou, {len(pack.rules)} rules, employer cases; {args.cases} seeded cases; Python {python}; CPU time")
    print(f"{'engine':<14}{'µs/case':>10}{'× hand':>10}{'cases/s':>12}{'× native':>10}")
    figures = {}
    for name, (single, each, items) in engines.items():
        repeat = 300 if name == "durable" else 3000
        figures[name] = (latency_us(single, repeat), throughput(each, items))
    hand, native = figures["hand-written"], figures["native"]
    for name, (lat, rate) in figures.items():
        print(f"{name:<14}{lat:>10.1f}{lat / hand[0]:>10.1f}{rate:>12.0f}{rate / native[1]:>10.2f}")

    if args.differential:
        rng = random.Random(args.seed + 1)
        bad = 0
        t = time.perf_counter()
        for i in range(args.differential):
            case = to_case(*random_unit(rng))
            want = by_hand.evaluate(flatten(case), AS_OF)
            native_result = native_evaluate(pack, case, AS_OF)
            durable_result = durable_evaluate(pack, case, AS_OF)
            got_native = by_hand.project(native_result)
            whole = native_result.model_copy(update={"backend": "durable"}) == durable_result  # every field
            if got_native != want or not whole:
                bad += 1
                if bad <= 5:
                    print(f"case {i} disagrees: hand {want}\nnative {got_native}\ndurable equal: {whole}: {case}")
        took = time.perf_counter() - t
        print(f"differential: {args.differential} cases, {bad} disagreements, {took:.0f} s")
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
