"""Past one machine: the same evaluation on a Dask cluster (``pip install 'policyrules[dask]'``).

A partitioned Parquet dataset is evaluated one file per task, each task
writing its own Parquet part; row numbers continue across files, so the
parts together equal the single-process result row for row. Workers load the
pack themselves (by shipped name or path): compiled packs hold closures and
never travel.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterator, Optional

from policyrules.errors import BadValue, TableError

from ._deps import need
from .outcomes import STATES
from .run import BatchSummary, as_compiled, as_date, evaluate, evaluate_to_parquet


def pack_reference(pack: Any) -> str:
    """What a worker needs to load the same pack: its file, or its shipped name."""
    compiled = as_compiled(pack)
    return compiled.source_path or compiled.id


@contextmanager
def client_for(address: str) -> Iterator[Any]:
    """A client for a scheduler address, or for a local cluster of N worker processes (``local:N``)."""
    distributed = need("distributed", "dask")
    if address.startswith("local:"):
        workers = int(address.split(":", 1)[1] or "2")
        with (
            distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            yield client
        return
    with distributed.Client(address) as client:
        yield client


@dataclass
class _Failed:
    """A task's bad input, as plain data (exceptions with fields do not survive pickling)."""

    source: str
    bad: list[BadValue]
    total: int


def _part(pack: str, path: str, out: str, as_of: date, keep: tuple[str, ...], offset: int) -> Any:
    try:
        return evaluate_to_parquet(pack, path, out, as_of, keep=keep, row_offset=offset)
    except TableError as exc:
        return _Failed(exc.source, exc.bad, exc.total)


def parquet_files(source: str) -> list[tuple[str, int]]:
    """The files of a Parquet dataset with their row counts (from the footers; nothing is read)."""
    ds = need("pyarrow.dataset")
    pq = need("pyarrow.parquet")
    dataset = ds.dataset(source, format="parquet")
    return [(f, pq.ParquetFile(f).metadata.num_rows) for f in sorted(dataset.files)]


def run_on_dask(
    pack: Any, source: str, output: str, as_of: Any, address: str, *, keep: tuple[str, ...] = ()
) -> BatchSummary:
    """Evaluate a Parquet dataset on a Dask cluster into ``output/part-NNNNN.parquet``, one part per input file."""
    ref = pack_reference(pack)
    day = as_date(as_of)
    files = parquet_files(source)
    target = Path(output)
    target.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    offsets, total = [], 0
    for _, rows in files:
        offsets.append(total)
        total += rows
    with client_for(address) as client:
        futures = [
            client.submit(_part, ref, f, str(target / f"part-{i:05d}.parquet"), day, keep, off, pure=False)
            for i, ((f, _), off) in enumerate(zip(files, offsets))
        ]
        parts = client.gather(futures)
    failed = [p for p in parts if isinstance(p, _Failed)]
    if failed:
        raise TableError(source, [b for p in failed for b in p.bad][:100], sum(p.total for p in failed))
    compiled = as_compiled(pack)
    summary = BatchSummary(compiled.id, day, parts[0].in_force if parts else True)
    summary.states = {r.id: [0] * len(STATES) for r in compiled.rules}
    for p in parts:
        summary.rows += p.rows
        summary.evaluated += p.evaluated
        summary.scalar_rows += p.scalar_rows
        for reason, count in p.scalar_reasons.items():
            summary.scalar_reasons[reason] = summary.scalar_reasons.get(reason, 0) + count
        for rid, counts in p.states.items():
            summary.states[rid] = [a + b for a, b in zip(summary.states[rid], counts)]
    summary.seconds = time.perf_counter() - started
    return summary


def evaluate_dask(
    pack: Any, frame: Any, as_of: Any = None, *, keep: tuple[str, ...] = (), on_error: str = "raise"
) -> Any:
    """A dask DataFrame of cases in, a dask DataFrame of results out (lazy; one pandas partition per input one)."""
    need("dask.dataframe", "dask")
    ref = pack_reference(pack)
    day = as_date(as_of)
    lengths = frame.map_partitions(len).compute()
    offsets: list[int] = []
    total = 0
    for n in lengths:
        offsets.append(total)
        total += int(n)
    meta = evaluate(ref, frame._meta, day, keep=keep).table.to_pandas()

    def part(pdf: Any, offsets: list[int], partition_info: Optional[dict[str, Any]] = None) -> Any:
        offset = offsets[partition_info["number"]] if partition_info else 0
        result = evaluate(ref, pdf, day, keep=keep, on_error=on_error, row_offset=offset)  # type: ignore[arg-type]
        return result.table.to_pandas()

    return frame.map_partitions(part, offsets, meta=meta)
