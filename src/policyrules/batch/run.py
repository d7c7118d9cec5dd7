"""The batch driver: a table of cases in, a columnar result out, chunk by chunk in bounded memory."""

from __future__ import annotations

import os
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator, Literal, Optional

from policyrules.dates import as_of_date
from policyrules.engine.loading import load_pack
from policyrules.engine.model import CompiledPack
from policyrules.errors import BadValue, Invalid, TableError

from ._deps import need
from .columns import Input, Unsupported
from .inputs import Converter, check_columns, describe, fact_specs, record_batches, row_facts
from .memory import keeping_freed_memory
from .outcomes import STATES, ChunkOut, Plan, column_name, evaluate_chunk, plan_for
from .scalar import scalar_row
from .table import Builder, schema_for

CHUNK_ROWS = 65_536
LISTED = 100  # bad values listed in an error; all are counted

Progress = Callable[[int], None]


@dataclass
class BatchSummary:
    """What a run did: rows read, evaluated, skipped as bad, decided by the scalar engine, and why."""

    pack: str
    as_of: date
    in_force: bool
    rows: int = 0
    evaluated: int = 0
    bad_rows: int = 0
    scalar_rows: int = 0
    scalar_reasons: dict[str, int] = field(default_factory=dict)
    states: dict[str, list[int]] = field(default_factory=dict)  # rule -> count per state (STATES order)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "pack": self.pack,
            "as_of": self.as_of.isoformat(),
            "in_force": self.in_force,
            "rows": self.rows,
            "evaluated": self.evaluated,
            "bad_rows": self.bad_rows,
            "scalar_rows": self.scalar_rows,
            "scalar_reasons": self.scalar_reasons,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.evaluated / self.seconds) if self.seconds else None,
            "states": {rid: dict(zip(STATES, counts)) for rid, counts in self.states.items()},
        }


@dataclass
class BatchResult:
    """An evaluated table: the result (Arrow), the bad values skipped (Arrow), and the summary."""

    table: Any
    errors: Any
    summary: BatchSummary


def as_compiled(pack: Any) -> CompiledPack:
    if isinstance(pack, CompiledPack):
        return pack
    compiled = getattr(pack, "compiled", None)  # the Pack facade
    if isinstance(compiled, CompiledPack):
        return compiled
    return load_pack(pack)


def as_date(value: Any) -> date:
    try:
        return as_of_date(value)
    except ValueError as exc:
        key, fields = (exc.key, exc.fields) if isinstance(exc, Invalid) else ("", ())
        raise TableError("as_of", [BadValue(-1, "as_of", repr(value), str(exc), key, fields)], 1) from None


class BatchRun:
    """One pack on one date over one source. Iterate :meth:`batches` for the result, chunk by chunk."""

    def __init__(
        self,
        pack: Any,
        as_of: Any = None,
        *,
        keep: tuple[str, ...] = (),
        on_error: Literal["raise", "skip"] = "raise",
        chunk_rows: int = CHUNK_ROWS,
        progress: Optional[Progress] = None,
        row_offset: int = 0,
    ) -> None:
        if on_error not in ("raise", "skip"):
            raise ValueError("on_error is 'raise' or 'skip'")
        self.pack = as_compiled(pack)
        self.plan: Plan = plan_for(self.pack, as_of_date := as_date(as_of))
        self.keep = tuple(keep)
        self.on_error = on_error
        self.chunk_rows = chunk_rows
        self.progress = progress
        self.row_offset = row_offset  # the first row's number: a partition of a larger table starts past 0
        self.bad: list[BadValue] = []
        self.summary = BatchSummary(self.pack.id, as_of_date, self.plan.in_force)
        self.summary.states = {r.id: [0] * len(STATES) for r in self.pack.rules}
        self.schema: Any = None

    def batches(self, source: Any) -> Iterator[Any]:
        with keeping_freed_memory():
            yield from self._batches(source)

    def _batches(self, source: Any) -> Iterator[Any]:
        np = need("numpy")
        pa = need("pyarrow")
        started = time.perf_counter()
        name = describe(source)
        converter = Converter(self.plan.inputs)
        reasons: Counter[str] = Counter()
        offset = self.row_offset
        failed = 0
        builder: Optional[Builder] = None
        for batch in record_batches(source, self.chunk_rows):
            n = batch.num_rows
            if builder is None:
                check_columns(batch.schema.names, self.keep, name)
                missing = [k for k in self.keep if k not in batch.schema.names]
                if missing:
                    raise TableError(name, [BadValue.of(-1, missing[0], missing[0], "batch.no_keep_column")], 1)
                taken = set(schema_for(self.plan, []).names)
                clash = [k for k in self.keep if k in taken]
                if clash:
                    raise TableError(name, [BadValue.of(-1, clash[0], clash[0], "batch.keep_clash")], 1)
                keep_fields = [batch.schema.field(k) for k in self.keep]
                self.schema = schema_for(self.plan, keep_fields)
                builder = Builder(self.plan, self.schema)
            inputs, bad, bad_rows, scalar_rows = converter.convert(batch, offset)
            self.summary.rows += n
            if bad:
                failed += int(bad_rows.sum())
                self.bad += bad
                if self.on_error == "raise":
                    offset += n
                    continue
            if failed and self.on_error == "raise":
                offset += n
                continue
            good = ~bad_rows
            rows = offset + np.flatnonzero(good)
            if not good.all():
                batch = batch.filter(pa.array(good))
                inputs = {p: _take(inp, good) for p, inp in inputs.items()}
                scalar_rows = scalar_rows[good]
            self.summary.bad_rows += n - len(rows)
            out = self._chunk(builder, batch, inputs, rows, scalar_rows, reasons)
            for rid, counts in self.summary.states.items():
                codes = out.column(column_name("state", rid)).indices.to_numpy(zero_copy_only=False)
                found = np.bincount(codes.view(np.uint8), minlength=len(STATES)).tolist()
                counts[:] = [a + b for a, b in zip(counts, found)]
            self.summary.evaluated += out.num_rows
            self.summary.scalar_rows += int(np.asarray(out.column("fallback")).sum())
            offset += n
            if self.progress is not None:
                self.progress(n)
            yield out
        if builder is None:  # an empty source still has a schema
            self.schema = schema_for(self.plan, [])
        self.summary.scalar_reasons = dict(reasons)
        self.summary.seconds = time.perf_counter() - started
        if failed and self.on_error == "raise":
            raise TableError(name, self.bad[:LISTED], len(self.bad))
        self.summary.bad_rows = len({b.row for b in self.bad})

    def _chunk(
        self, builder: Builder, batch: Any, inputs: dict[str, Input], rows: Any, scalar_rows: Any, reasons: Counter[str]
    ) -> Any:
        np = need("numpy")
        n = len(rows)
        out: Optional[ChunkOut] = None
        try:
            out = evaluate_chunk(self.plan, inputs, n)
        except Unsupported as exc:
            reasons[str(exc)] += n
        if out is None:
            fallback = np.ones(n, dtype=bool)
        else:
            fine = builder.too_fine(out)
            if fine.any():
                reasons["a figure finer than the output scale"] += int(fine.sum())
            if scalar_rows.any():
                reasons["a number beyond the exact range"] += int(scalar_rows.sum())
            for reason, count in out.reasons.items():
                reasons[reason] += count
            fallback = out.fallback | scalar_rows | fine
        positions = np.flatnonzero(fallback)
        scalar = [self._scalar_row(batch, int(i), int(rows[i])) for i in positions]
        if out is None:
            return builder.from_rows(scalar) if n else builder.from_rows([])
        keep = [batch.column(k) for k in self.keep]
        vector = builder.from_chunk(out, rows, keep, fallback)
        return builder.merge(vector, builder.from_rows(scalar), positions) if scalar else vector

    def _scalar_row(self, batch: Any, i: int, row: int) -> dict[str, Any]:
        # every fact the row holds, not only those the columns read: the scalar engine fills in a year from
        # its date itself, and the facts a row names decide whom it concerns
        out = scalar_row(self.plan, row_facts(batch, i, fact_specs()))
        out["fallback"] = True
        out["row"] = row
        for k in self.keep:
            out[k] = batch.column(k)[i].as_py()
        return out

    def errors_table(self) -> Any:
        pa = need("pyarrow")
        return pa.table(
            {
                "row": pa.array([b.row for b in self.bad], type=pa.int64()),
                "column": pa.array([b.column for b in self.bad], type=pa.string()),
                "value": pa.array([b.value for b in self.bad], type=pa.string()),
                "message": pa.array([b.message for b in self.bad], type=pa.string()),
            }
        )


def _take(inp: Input, good: Any) -> Input:
    null = None if inp.null is None else inp.null[good]
    return Input(inp.kind, inp.values[good], null, inp.scale, inp.vocab)


def evaluate(
    pack: Any,
    source: Any,
    as_of: Any = None,
    *,
    keep: tuple[str, ...] = (),
    on_error: Literal["raise", "skip"] = "raise",
    chunk_rows: int = CHUNK_ROWS,
    progress: Optional[Progress] = None,
    row_offset: int = 0,
) -> BatchResult:
    """Evaluate ``pack`` over every row of ``source`` as of ``as_of``; the whole result in memory (Arrow).

    ``source`` is a Parquet file or directory, a CSV file, an Arrow table, a
    pandas or polars DataFrame, or an iterable of flat dicts. For tables
    larger than memory use :func:`evaluate_to_parquet`; for a dask DataFrame,
    :func:`policyrules.batch.evaluate_dask`.
    """
    pa = need("pyarrow")
    if type(source).__module__.startswith("dask"):
        raise TypeError("a dask DataFrame is evaluated lazily: use policyrules.batch.evaluate_dask")
    run = BatchRun(
        pack, as_of, keep=keep, on_error=on_error, chunk_rows=chunk_rows, progress=progress, row_offset=row_offset
    )
    batches = list(run.batches(source))
    table = pa.Table.from_batches(batches, schema=run.schema)
    return BatchResult(table, run.errors_table(), run.summary)


def evaluate_to_parquet(
    pack: Any,
    source: Any,
    path: str | os.PathLike[str],
    as_of: Any = None,
    *,
    keep: tuple[str, ...] = (),
    on_error: Literal["raise", "skip"] = "raise",
    errors_path: Optional[str | os.PathLike[str]] = None,
    chunk_rows: int = CHUNK_ROWS,
    progress: Optional[Progress] = None,
    row_offset: int = 0,
) -> BatchSummary:
    """Evaluate ``pack`` over ``source`` into a Parquet file, one chunk at a time (memory bounded by the chunk)."""
    pq = need("pyarrow.parquet")
    run = BatchRun(
        pack, as_of, keep=keep, on_error=on_error, chunk_rows=chunk_rows, progress=progress, row_offset=row_offset
    )
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    writer = None
    pending: Optional[Future[None]] = None
    # One thread writes chunk k while chunk k+1 is evaluated (pyarrow releases the GIL); at most one chunk waits.
    with ThreadPoolExecutor(max_workers=1) as pool:
        try:
            for batch in run.batches(source):
                if writer is None:
                    writer = _writer(pq, partial, run.schema)
                if pending is not None:
                    pending.result()
                pending = pool.submit(writer.write_batch, batch)
            if pending is not None:
                pending.result()
                pending = None
            if writer is None:
                writer = _writer(pq, partial, run.schema)
            writer.close()
            writer = None
            partial.replace(target)
        finally:
            if pending is not None:
                pending.cancel()
            if writer is not None:
                writer.close()
            if partial.exists():
                partial.unlink()
    if errors_path is not None:
        pq.write_table(run.errors_table(), str(errors_path))
    return run.summary


def _writer(pq: Any, path: Path, schema: Any) -> Any:
    """A Parquet writer for the result: statistics for the row number only, and the writer's dictionary encoding
    only for the columns that are dictionaries already (states, statuses). Profiled: hashing every mask, figure
    and row number in search of repeats took more time than the whole evaluation, for files hardly smaller."""
    pa = need("pyarrow")
    coded = [f.name for f in schema if pa.types.is_dictionary(f.type)]
    return pq.ParquetWriter(str(path), schema, write_statistics=["row"], use_dictionary=coded)
