"""Batch evaluation: one pack over a table of cases, on columns (numpy and Arrow).

May import: engine, pack, facts, expr, and the stages below them. numpy,
pyarrow and dask are imported when first used (``pip install 'policyrules[batch]'``,
``'policyrules[dask]'``).
"""

from __future__ import annotations

from typing import Any

from .outcomes import STATES, column_name
from .run import BatchResult, BatchRun, BatchSummary, evaluate, evaluate_to_parquet
from .table import decode_mask, mask_words, missing_names


def evaluate_dask(pack: Any, frame: Any, as_of: Any = None, **kwargs: Any) -> Any:
    """A dask DataFrame of cases in, a lazy dask DataFrame of results out (see :mod:`.distributed`)."""
    from .distributed import evaluate_dask as run

    return run(pack, frame, as_of, **kwargs)


def simulate(pack: Any, population: Any, as_of: Any = None, **kwargs: Any) -> Any:
    """Per-topic counts and costs of a pack over a population (see :mod:`.costing`)."""
    from .costing import simulate as run

    return run(pack, population, as_of, **kwargs)


def write_population(path: Any, employers: int, persons: int, seed: int, **kwargs: Any) -> int:
    """A synthetic population as Parquet; its assumptions are in docs/batch.md (see :mod:`.population`)."""
    from .population import write_population as run

    return run(path, employers, persons, seed, **kwargs)


__all__ = [
    "STATES",
    "BatchResult",
    "BatchRun",
    "BatchSummary",
    "column_name",
    "decode_mask",
    "mask_words",
    "evaluate",
    "evaluate_dask",
    "evaluate_to_parquet",
    "missing_names",
    "simulate",
    "write_population",
]
