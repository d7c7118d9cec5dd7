"""Speed of pack diffs, printed as figures.

    python benchmarks/diff.py [--cases N] [--pairs a:b,c:d] [--repeat R]

Structural diff of every pair of shipped packs (budget 100 ms each), and the
behavioural diff of the given pairs over N generated cases (target 1 s for
100k cases), as wall and CPU time, the median of R runs (on a shared machine
CPU time is the steadier figure; the load average is printed with them).
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import time

from policyrules.compare.behaviour import behavioural_diff
from policyrules.compare.structural import structural_diff
from policyrules.engine.loading import load_pack
from policyrules.pack.files import shipped_packs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--pairs", default="jinan:baotou,jinan:rizhao")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("load average %.2f %.2f %.2f" % os.getloadavg())
    packs = {name: load_pack(name) for name in shipped_packs()}
    worst = 0.0
    for a, b in itertools.combinations(packs, 2):
        t0 = time.perf_counter()
        structural_diff(packs[a], packs[b])
        worst = max(worst, time.perf_counter() - t0)
    print(f"structural diff, {len(packs) * (len(packs) - 1) // 2} pairs: slowest {worst * 1000:.1f} ms (budget 100 ms)")
    for pair in args.pairs.split(","):
        a, b = pair.split(":")
        behavioural_diff(packs[a], packs[b], cases=100, seed=1)  # first use: imports numpy, generates code
        walls, cpus = [], []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            d = behavioural_diff(packs[a], packs[b], cases=args.cases, seed=1)
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
        differing = sum(1 for t in d.topics if t.differing)
        print(
            f"behavioural diff {a} vs {b}: {args.cases} cases, {len(d.topics)} topics ({differing} differ) "
            f"in {statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU "
            f"(median of {args.repeat}; fastest {min(cpus):.2f} s CPU; target 1 s per 100k)"
        )


if __name__ == "__main__":
    main()
