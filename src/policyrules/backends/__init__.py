"""Evaluation backends. ``native`` is our evaluator; ``durable`` runs the same compiled pack on durable-rules."""

from __future__ import annotations

from datetime import date

from ..errors import PolicyRulesError
from ..facts import Case
from ..model import CompiledPack
from ..result import Result

BACKENDS = ("native", "durable")


class BackendError(PolicyRulesError):
    """A backend is unknown, not installed, or cannot run a pack."""


def evaluate_with(backend: str, pack: CompiledPack, case: Case, as_of: date) -> Result:
    if backend == "native":
        from ..evaluator import evaluate

        return evaluate(pack, case, as_of)
    if backend == "durable":
        try:
            from .durable import evaluate as durable_evaluate
        except ImportError as exc:
            raise BackendError(
                f"the durable backend needs durable-rules: pip install 'policyrules[durable]' ({exc})"
            ) from None
        return durable_evaluate(pack, case, as_of)
    raise BackendError(f"unknown backend {backend!r}; choose one of: {', '.join(BACKENDS)}")
