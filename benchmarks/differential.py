"""Native against durable on N generated cases per pack: the benchmark-sized differential run.

    python benchmarks/differential.py [--cases 100000] [--packs baotou,jinan] [--seed 1]

Cases are generated over every fact each pack reads, drawn from the
thresholds its texts print (± 1) and ordinary values, 5% of facts missing
(the behavioural diff's generator); each distinct case is evaluated by both
backends as of a date the pack is in force, and the two JSON results are
compared field by field, apart from ``backend``. Prints, per pack, the
cases, distinct cases, disagreements and time; exits 1 on any disagreement.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import timedelta

from pydantic import ValidationError

from policyrules.backends.durable import evaluate as durable_evaluate
from policyrules.compare.behaviour import generate_rows, nest_row
from policyrules.engine.evaluator import evaluate as native_evaluate
from policyrules.engine.loading import load_pack
from policyrules.facts.case import Case
from policyrules.facts.vocabulary import case_facts
from policyrules.pack.files import shipped_packs


def _comparable(result) -> dict:  # type: ignore[no-untyped-def]
    data = json.loads(result.to_json())
    data.pop("backend")
    return data


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--packs", default=",".join(shipped_packs()))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    facts = case_facts()
    failed = False
    for name in args.packs.split(","):
        pack = load_pack(name)
        day = pack.valid_from + timedelta(days=30)
        paths = sorted(p for p in pack.inputs_of(list(pack.rules)) if p in facts)
        rows = generate_rows(paths, [pack], args.cases, f"{args.seed}:{name}")
        t0 = time.perf_counter()
        distinct = disagreements = invalid = 0
        for values, _count in rows.items():
            try:
                case = Case.model_validate(nest_row(dict(zip(paths, values)), day))
            except ValidationError:
                invalid += 1
                continue
            distinct += 1
            if _comparable(native_evaluate(pack, case, day)) != _comparable(durable_evaluate(pack, case, day)):
                disagreements += 1
                if disagreements <= 3:
                    print(f"  {name}: disagreement on {case.model_dump_json(exclude_none=True)}")
        elapsed = time.perf_counter() - t0
        print(
            f"{name:<14} {args.cases} cases, {distinct} distinct valid ({invalid} invalid skipped), "
            f"{disagreements} disagreements, {elapsed:.0f} s"
        )
        failed = failed or disagreements > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
