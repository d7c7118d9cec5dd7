"""Load and evaluation times of every shipped pack, printed as figures.

    python benchmarks/evaluate.py [--cases N]

Compile time is measured cold (cache cleared); evaluation on the shipped
example employer case, as_of a date the pack is in force.
"""

from __future__ import annotations

import argparse
import time
from datetime import timedelta

from policyrules import load_case
from policyrules.engine.evaluator import evaluate
from policyrules.engine.loading import clear_cache, load_pack
from policyrules.pack.files import rules_dir, shipped_packs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20000)
    args = parser.parse_args()
    case = load_case(rules_dir().parent / "examples" / "baotou-employer.yaml")
    print(f"{'pack':<14}{'rules':>6}{'load ms':>10}{'µs/case':>10}{'cases/s':>10}")
    for name in shipped_packs():
        clear_cache()
        t0 = time.perf_counter()
        pack = load_pack(name)
        load_ms = (time.perf_counter() - t0) * 1000
        day = pack.valid_from + timedelta(days=30)
        evaluate(pack, case, day)
        t0 = time.perf_counter()
        for _ in range(args.cases):
            evaluate(pack, case, day)
        per = (time.perf_counter() - t0) / args.cases
        print(f"{name:<14}{len(pack.rules):>6}{load_ms:>10.1f}{per * 1e6:>10.1f}{1 / per:>10.0f}")


if __name__ == "__main__":
    main()
