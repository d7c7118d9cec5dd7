"""Evaluation backends. ``native`` is our evaluator; ``durable`` runs the same compiled pack on durable-rules."""

from __future__ import annotations

import sys
from datetime import date

from policyrules.engine.evaluator import evaluate
from policyrules.engine.model import CompiledPack
from policyrules.engine.result import Result
from policyrules.errors import BackendError
from policyrules.facts.case import Case

__all__ = ["BACKENDS", "BackendError", "evaluate_with"]

BACKENDS = ("native", "durable")


def evaluate_with(backend: str, pack: CompiledPack, case: Case, as_of: date) -> Result:
    if backend == "native":
        return evaluate(pack, case, as_of)
    if backend == "durable":
        if sys.version_info >= (3, 13):
            raise BackendError.of("backend.durable_python")
        try:
            import durable.engine  # noqa: F401  (the C extension: fail here, not inside a run)

            from .durable import evaluate as durable_evaluate
        except ImportError as exc:
            raise BackendError.of("backend.durable_missing", exc=exc) from None
        return durable_evaluate(pack, case, as_of)
    raise BackendError.of("backend.unknown", backend=repr(backend), choices=", ".join(BACKENDS))
