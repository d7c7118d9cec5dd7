"""policyrules: Chinese disability-employment policy documents as executable, cited rules.

>>> import policyrules
>>> pack = policyrules.load_pack("baotou")
>>> result = pack.evaluate({"unit": {"staff": 200, "disabled_employees": 6}})
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .engine.result import Result
from .errors import (
    BackendError,
    CaseError,
    ExpressionError,
    InputError,
    PackError,
    PackNotFound,
    PolicyRulesError,
)
from .facts.case import Case
from .facts.casefile import load_case
from .interfaces.pack import Pack
from .pack.files import shipped_packs

if TYPE_CHECKING:
    from .compare.structural import StructuralDiff

from . import _moved

_moved.install()

__version__ = "0.1.0"


def diff(a: str | Pack, b: str | Pack) -> "StructuralDiff":
    """Structural diff of two packs (names, paths or loaded packs), aligned by topic."""
    from .compare.structural import structural_diff

    pa = a if isinstance(a, Pack) else load_pack(a)
    pb = b if isinstance(b, Pack) else load_pack(b)
    return structural_diff(pa.compiled, pb.compiled)


def load_pack(name_or_path: str | os.PathLike[str]) -> Pack:
    """Load a shipped pack by name (``"baotou"``) or a pack file by path."""
    from .engine.loading import load_pack as _load

    return Pack(_load(name_or_path))


__all__ = [
    "BackendError",
    "Case",
    "CaseError",
    "ExpressionError",
    "InputError",
    "Pack",
    "PackError",
    "PackNotFound",
    "PolicyRulesError",
    "Result",
    "diff",
    "load_case",
    "load_pack",
    "shipped_packs",
]


def _public_home() -> None:
    """Reprs, tracebacks and docs name ``policyrules.X``, not the private module a name lives in.

    Pydantic models keep their own module: pydantic resolves their deferred
    annotations in the namespace of ``__module__``.
    """
    from pydantic import BaseModel

    for name in __all__:
        obj = globals()[name]
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            continue
        try:
            obj.__module__ = __name__
        except (AttributeError, TypeError):  # pragma: no cover - builtins refuse; none are exported today
            pass


_public_home()
