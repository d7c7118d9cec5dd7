"""Cold start, each figure measured in fresh processes: import, and loading every pack.

    python benchmarks/load.py [--runs N]

Printed (median over N fresh processes, milliseconds of CPU time inside the
process, so the interpreter's own start is excluded; CPU time, because
the machine may be busy with other work):

* ``import policyrules`` (public names are imported on first use), then
  ``first use``: importing what loading and evaluating a pack need (the
  engine, the pack schema, the case model), which ``import policyrules`` no
  longer pays; the two together are the library's whole import cost;
* per pack: load + validate + compile (the YAML read, the pydantic model,
  the checked expressions and closures), its parent included when it has one,
  then generating its function (paid on its first evaluation);
* all packs in one process, in the order ``policyrules list`` gives.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

from policyrules.pack.files import shipped_packs

_CHILD = r"""
import json, sys, time
t0 = time.process_time()
import policyrules
t1 = time.process_time()
from policyrules.engine.codegen import generated
from policyrules.engine.loading import load_pack
import policyrules.engine.evaluator, policyrules.facts.casefile, policyrules.interfaces.pack
names = sys.argv[1].split(",")
t2 = time.process_time()
packs = [load_pack(name) for name in names]
t3 = time.process_time()
for pack in packs:
    generated(pack)
t4 = time.process_time()
print(json.dumps({"import": t1 - t0, "first use": t2 - t1, "load": t3 - t2, "generate": t4 - t3}))
"""


def fresh(names: list[str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", _CHILD, ",".join(names)], capture_output=True, text=True, check=True)
    return {k: v * 1000 for k, v in json.loads(out.stdout).items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per figure")
    args = parser.parse_args(argv)
    names = shipped_packs()
    rows: dict[str, list[dict[str, float]]] = {name: [] for name in [*names, "all"]}
    for _ in range(args.runs):  # interleaved, so that a busy moment spreads over every row
        for name in names:
            rows[name].append(fresh([name]))
        rows["all"].append(fresh(names))

    def med(name: str, key: str) -> float:
        return statistics.median(r[key] for r in rows[name])

    print(f"Python {sys.version.split()[0]}; ms, median of {args.runs} fresh processes")
    print(
        f"import policyrules: {med('all', 'import'):.1f} ms; first use (engine, schema, case model): "
        f"{med('all', 'first use'):.1f} ms"
    )
    print(f"{'pack':<15}{'load+validate+compile':>22}{'generate':>10}")
    for name in [*names, "all"]:
        print(f"{name:<15}{med(name, 'load'):>22.1f}{med(name, 'generate'):>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
