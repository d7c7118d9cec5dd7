"""Speed of pack diffs, printed as figures.

    python benchmarks/diff.py [--cases N] [--pairs a:b,c:d]

Structural diff of every pair of shipped packs (budget 100 ms each), and the
behavioural diff of the given pairs over N generated cases (target 1 s for
100k cases), as wall and CPU time (on a shared machine CPU time is the
steadier figure).
"""

from __future__ import annotations

import argparse
import itertools
import time

from policyrules.compare.behaviour import behavioural_diff
from policyrules.compare.structural import structural_diff
from policyrules.engine.loading import load_pack
from policyrules.pack.files import shipped_packs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--pairs", default="jinan:baotou,jinan:rizhao")
    args = parser.parse_args()
    packs = {name: load_pack(name) for name in shipped_packs()}
    worst = 0.0
    for a, b in itertools.combinations(packs, 2):
        t0 = time.perf_counter()
        structural_diff(packs[a], packs[b])
        worst = max(worst, time.perf_counter() - t0)
    print(f"structural diff, {len(packs) * (len(packs) - 1) // 2} pairs: slowest {worst * 1000:.1f} ms (budget 100 ms)")
    for pair in args.pairs.split(","):
        a, b = pair.split(":")
        behavioural_diff(packs[a], packs[b], cases=100, seed=1)  # first use: imports numpy and pyarrow
        t0, c0 = time.perf_counter(), time.process_time()
        d = behavioural_diff(packs[a], packs[b], cases=args.cases, seed=1)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        differing = sum(1 for t in d.topics if t.differing)
        print(
            f"behavioural diff {a} vs {b}: {args.cases} cases, {len(d.topics)} topics "
            f"({differing} differ) in {elapsed:.2f} s wall, {cpu:.2f} s CPU (target 1 s per 100k)"
        )


if __name__ == "__main__":
    main()
