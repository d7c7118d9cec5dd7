"""Batch evaluation: one pack over a table of cases, on columns (numpy and Arrow).

May import: engine, pack, facts, expr, and the stages below them. numpy,
pyarrow and dask are imported when first used (``pip install 'policyrules[batch]'``).
"""

from .outcomes import STATES
from .run import BatchResult, BatchRun, BatchSummary, evaluate, evaluate_to_parquet
from .table import decode_mask, missing_names

__all__ = [
    "STATES",
    "BatchResult",
    "BatchRun",
    "BatchSummary",
    "decode_mask",
    "evaluate",
    "evaluate_to_parquet",
    "missing_names",
]
