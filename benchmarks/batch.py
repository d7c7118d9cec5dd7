"""Speed of batch evaluation, printed as figures and ratios measured side by side.

    python benchmarks/batch.py [--rows N] [--big N] [--dask]

1. Whole pack, input in memory (baotou, jinan): the synthetic population
   (5% of every fact missing, employer and person rows), already converted
   to columns; CPU time of the column pass (every rule's state and missing
   facts, figures, exclusions, derived facts), median of interleaved rounds.
   Beside it, the same rows through the scalar engine one at a time.
2. Baotou's employer rules on complete employer records: the column compiler
   on those rules alone against a hand-vectorised numpy version of them
   (checked equal on every row first).
3. Parquet to Parquet, one process: reading, checking, evaluating, writing (a second thread writes while the
   next chunk is evaluated); wall time and CPU time of all threads, since the machine may be shared.
4. Peak memory of Parquet to Parquet for --big rows (default 10M), in a
   child process (ru_maxrss).
5. With --dask: the same as 3 on a local cluster of two worker processes.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from policyrules.batch import evaluate, evaluate_to_parquet, write_population
from policyrules.batch.inputs import Converter
from policyrules.batch.memory import keeping_freed_memory
from policyrules.batch.outcomes import FIRED, evaluate_chunk, plan_for
from policyrules.engine.evaluator import evaluate_facts
from policyrules.engine.loading import load_pack

DAY = date(2024, 6, 1)
EMPLOYER_RULES = (
    "quota.required",
    "quota.below",
    "quota.excess",
    "quota.public_sector.duty",
    "quota.soe_report",
    "reward.excess_quota",
    "reward.excess_quota.not_fiscal",
    "quota.private_report",
)  # the guarantee-fund duties read the national fund's levy (derived.fund_owed): not part of this comparison


def cpu(fn, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times)


def population(rows: int, seed: int, tmp: Path) -> pa.Table:
    path = tmp / f"pop-{rows}-{seed}.parquet"
    if not path.exists():
        write_population(path, rows // 2, rows - rows // 2, seed)
    return pq.read_table(path)


def whole_pack(name: str, table: pa.Table) -> None:
    pack = load_pack(name)
    plan = plan_for(pack, DAY)
    batch = table.combine_chunks().to_batches()[0]
    inputs, *_ = Converter(plan.inputs).convert(batch, 0)
    n = batch.num_rows
    defaults = cpu(lambda: evaluate_chunk(plan, inputs, n))
    with keeping_freed_memory():  # as every batch run does (policyrules/batch/memory.py)
        column_pass = cpu(lambda: evaluate_chunk(plan, inputs, n))
    whole = cpu(lambda: evaluate(pack, table, DAY), 3)
    sample = table.slice(0, 2000).to_pylist()
    facts = [{k: v for k, v in r.items() if v is not None} for r in sample]
    scalar = cpu(lambda: [evaluate_facts(pack, f, DAY) for f in facts], 3) / len(facts) * n
    print(
        f"  {name:<7} {len(pack.rules):>3} rules  column pass {n / column_pass:>12,.0f} rows/s "
        f"({n / defaults:,.0f} with the allocator's defaults)   "
        f"Arrow in → Arrow out {n / whole:>10,.0f} rows/s   scalar engine {n / scalar:>8,.0f} rows/s   "
        f"column pass ÷ scalar {scalar / column_pass:>6.0f}×"
    )


def employer_subpack():
    pack = load_pack("baotou")
    rules = tuple(r for r in pack.rules if r.id in EMPLOYER_RULES)
    setters = {k: v for k, v in pack.setters.items() if all(rid in EMPLOYER_RULES for rid in v)}
    derived = {k: v for k, v in pack.derived.items() if k in setters}
    return dataclasses.replace(pack, rules=rules, rule_index={r.id: r for r in rules}, setters=setters, derived=derived)


def employer_columns(n: int, seed: int = 11) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    kinds = np.array(["private_enterprise", "state_owned_enterprise", "public_institution", "party_government_agency"])
    staff = rng.integers(1, 2000, n)
    return {
        "kind": kinds[rng.integers(0, 4, n)],
        "staff": staff,
        "disabled": (staff * rng.uniform(0, 0.04, n)).astype(np.int64),
        "est": rng.integers(1, 200, n),
        "school": rng.random(n) < 0.2,
        "fiscal": rng.random(n) < 0.3,
        "conc": rng.random(n) < 0.05,
        "paid": rng.random(n) < 0.8,
        "wage": rng.choice(np.array([1980, 2070, 2200]), n),  # whole yuan
    }


def hand_numpy(c: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The employer rules by hand: quota 1.5% of staff in thousandths, exact integers throughout."""
    required_milli = c["staff"] * 15  # staff × 0.015, in thousandths of a person
    below = c["disabled"] * 1000 < required_milli
    excess = np.maximum(0, (c["disabled"] * 1000 - required_milli) // 1000)
    kind = c["kind"]
    public = ((kind == "party_government_agency") & (c["est"] >= 50)) | (
        (kind == "public_institution") & (c["est"] >= 67) & ~c["school"]
    )
    reward = (excess >= 1) & ~(c["fiscal"] | c["conc"])
    return {
        "public_duty": public & below,
        "public_met": c["disabled"] >= 1,
        "excess": excess,
        "reward_total": np.where(reward, 5 * c["wage"] * excess, 0),
    }


def employer_table(c: dict[str, np.ndarray]) -> pa.Table:
    return pa.table(
        {
            "unit.kind": c["kind"],
            "unit.staff": c["staff"],
            "unit.disabled_employees": c["disabled"],
            "unit.establishment_size": c["est"],
            "unit.is_school": c["school"],
            "unit.fiscally_funded": c["fiscal"],
            "unit.is_concentrated_employment_unit": c["conc"],
            "unit.guarantee_fund_paid": c["paid"],
            "place.monthly_minimum_wage": pa.array(c["wage"]).cast(pa.decimal128(19, 0)).cast(pa.decimal128(21, 2)),
        }
    )


def employer_rules(n: int) -> None:
    sub = employer_subpack()
    plan = plan_for(sub, DAY)
    c = employer_columns(n)
    batch = employer_table(c).combine_chunks().to_batches()[0]
    inputs, *_ = Converter(plan.inputs).convert(batch, 0)
    with keeping_freed_memory():  # for both, as every batch run does
        _employer_rules(plan, inputs, n, c, len(sub.rules))


def _employer_rules(plan, inputs, n: int, c, rules: int) -> None:
    out = evaluate_chunk(plan, inputs, n)
    hand = hand_numpy(c)
    state = out.state
    assert (out.derived["excess_persons"].val == hand["excess"]).all()
    assert ((state["quota.public_sector.duty"] == FIRED) == hand["public_duty"]).all()
    total = out.figures["reward.excess_quota"]["total"]
    paid = state["reward.excess_quota"] == FIRED
    got = np.where(paid, total.val // 10**total.scale, 0)
    assert (got == hand["reward_total"]).all() and (total.val % 10**total.scale == 0).all()
    rounds = []
    for _ in range(7):  # interleaved
        t = time.process_time()
        hand_numpy(c)
        th = time.process_time() - t
        t = time.process_time()
        evaluate_chunk(plan, inputs, n)
        rounds.append((th, time.process_time() - t))
    th = statistics.median(r[0] for r in rounds)
    tc = statistics.median(r[1] for r in rounds)
    print(
        f"  {n:,} complete employer records, {rules} rules (checked equal on every row): "
        f"hand numpy {n / th:,.0f} rows/s, column compiler {n / tc:,.0f} rows/s, compiler ÷ hand {tc / th:.1f}× the time"
    )


def parquet_to_parquet(rows: int, tmp: Path) -> None:
    population(rows, 2, tmp)
    source = tmp / f"pop-{rows}-2.parquet"
    for name in ("baotou", "jinan"):
        out = tmp / f"{name}-out.parquet"
        evaluate_to_parquet(name, table_slice(source, 1000), out, DAY)  # the pack loaded, modules imported
        t, c = time.perf_counter(), time.process_time()
        summary = evaluate_to_parquet(name, source, out, DAY)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        columns = pq.ParquetFile(out).schema_arrow
        print(
            f"  {name:<7} {summary.evaluated:,} rows × {len(columns)} result columns Parquet → Parquet in "
            f"{wall:.2f} s: {summary.evaluated / wall:,.0f} rows/s (wall), {summary.evaluated / cpu:,.0f} rows per "
            f"CPU-second (all threads: reading, evaluating, writing); {summary.scalar_rows:,} rows on the scalar engine"
        )


def table_slice(source: Path, rows: int) -> pa.Table:
    return pq.ParquetFile(source).read_row_group(0).slice(0, rows)


def peak_memory(rows: int, tmp: Path) -> None:
    source = tmp / f"pop-{rows}-3.parquet"
    if not source.exists():
        write_population(source, rows // 2, rows - rows // 2, 3)
    code = (
        "import resource, sys, time; from policyrules.batch import evaluate_to_parquet; t = time.perf_counter(); "
        "c = time.process_time(); "
        f"s = evaluate_to_parquet('baotou', {str(source)!r}, {str(tmp / 'big-out.parquet')!r}, '2024-06-01'); "
        "print(s.evaluated, time.perf_counter() - t, time.process_time() - c, "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    evaluated, seconds, cpu, kib = int(out[0]), float(out[1]), float(out[2]), int(out[3])
    print(
        f"  baotou {evaluated:,} rows Parquet → Parquet: peak RSS {kib / 1024:,.0f} MiB "
        f"(budget 1 GiB), {evaluated / seconds:,.0f} rows/s (wall), {evaluated / cpu:,.0f} rows per CPU-second"
    )


def on_dask(rows: int, tmp: Path) -> None:
    from policyrules.batch.distributed import run_on_dask

    table = population(rows, 4, tmp)
    parts = tmp / "parts"
    parts.mkdir(exist_ok=True)
    for i, batch in enumerate(table.to_batches(max_chunksize=max(1, rows // 8))):
        pq.write_table(pa.Table.from_batches([batch]), parts / f"{i:03d}.parquet")
    t = time.perf_counter()
    single = evaluate_to_parquet("baotou", table, tmp / "single.parquet", DAY)
    one = time.perf_counter() - t
    t = time.perf_counter()
    summary = run_on_dask("baotou", str(parts), str(tmp / "dask-out"), DAY, "local:2")
    wall = time.perf_counter() - t
    same = pq.read_table(tmp / "dask-out").sort_by("row").equals(pq.read_table(tmp / "single.parquet"))
    print(
        f"  {summary.evaluated:,} rows on a local cluster of 2 worker processes in {wall:.2f} s (cluster start "
        f"included): {summary.evaluated / wall / 2:,.0f} rows/s per worker; one process {single.evaluated / one:,.0f} "
        f"rows/s; results identical: {same}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--big", type=int, default=10_000_000)
    parser.add_argument("--dask", action="store_true")
    args = parser.parse_args()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        table = population(min(args.rows, 200_000), 1, tmp)
        print(f"1. whole pack, {table.num_rows:,} population rows in memory (5% of facts missing), one core, CPU time")
        for pack in ("baotou", "jinan"):
            whole_pack(pack, table)
        print("2. baotou's employer rules, one core, CPU time")
        employer_rules(args.rows)
        print("3. Parquet → Parquet, one process")
        parquet_to_parquet(args.rows, tmp)
        if args.big:
            print("4. peak memory")
            peak_memory(args.big, tmp)
        if args.dask:
            print("5. Dask")
            on_dask(args.rows, tmp)


if __name__ == "__main__":
    main()
