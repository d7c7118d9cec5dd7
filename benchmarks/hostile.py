"""How long refusing hostile files takes, and YAML reading with libyaml against pure Python.

    python benchmarks/hostile.py

Prints the median of 5 runs per input and parser (milliseconds). The alias
bombs are the reliability audit's: each level ten aliases of the last.
"""

from __future__ import annotations

import statistics
import time

from policyrules.errors import InputError
from policyrules.pack.files import rules_dir, shipped_packs
from policyrules.reading import yamlsource
from policyrules.reading.limits import CASE_LIMITS, PACK_LIMITS


def bomb(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append(f"unit: *a{levels}")
    return "\n".join(lines) + "\n"


def timed(text: str, limits, libyaml: bool) -> tuple[float, str]:  # type: ignore[no-untyped-def]
    runs = []
    outcome = "accepted"
    for _ in range(5):
        start = time.perf_counter()
        try:
            yamlsource.parse_yaml(text, "x.yaml", limits, libyaml=libyaml)
        except InputError as exc:
            outcome = exc.problems[0].message[:60]
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000, outcome


def main() -> None:
    parsers = [False] + ([True] if yamlsource.LIBYAML else [])
    inputs = [
        (f"alias bomb, 9 levels ({len(bomb(9))} B), as a pack", bomb(9), PACK_LIMITS),
        (f"alias bomb, 14 levels ({len(bomb(14))} B), as a case", bomb(14), CASE_LIMITS),
        ("nesting 1,000 deep", "unit: " + "[" * 1000 + "]" * 1000 + "\n", CASE_LIMITS),
        ("nesting 100,000 deep", "unit: " + "[" * 100_000 + "]" * 100_000 + "\n", CASE_LIMITS),
    ]
    print(f"{'input':<44}{'parser':>12}{'ms':>9}  outcome")
    for label, text, limits in inputs:
        for libyaml in parsers:
            ms, outcome = timed(text, limits, libyaml)
            print(f"{label:<44}{'libyaml' if libyaml else 'python':>12}{ms:>9.2f}  {outcome}")
    totals = {p: 0.0 for p in parsers}
    for name in shipped_packs():
        text = (rules_dir() / f"{name}.yaml").read_text(encoding="utf-8")
        for libyaml in parsers:
            totals[libyaml] += timed(text, PACK_LIMITS, libyaml)[0]
    for libyaml, ms in totals.items():
        print(f"{'read all shipped packs':<44}{'libyaml' if libyaml else 'python':>12}{ms:>9.2f}")


if __name__ == "__main__":
    main()
