"""policyrules: Chinese disability-employment policy documents as executable, cited rules.

>>> import policyrules
>>> pack = policyrules.load_pack("baotou")
>>> result = pack.evaluate({"unit": {"staff": 200, "disabled_employees": 6}})
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .cases import load_case
from .errors import CaseError, ExpressionError, InputError, PackError, PackNotFound, PolicyRulesError
from .facts import Case
from .loader import shipped_packs
from .pack import Pack
from .result import Result

if TYPE_CHECKING:
    from .structural import StructuralDiff

__version__ = "0.1.0"


def diff(a: str | Pack, b: str | Pack) -> "StructuralDiff":
    """Structural diff of two packs (names, paths or loaded packs), aligned by topic."""
    from .structural import structural_diff

    pa = a if isinstance(a, Pack) else load_pack(a)
    pb = b if isinstance(b, Pack) else load_pack(b)
    return structural_diff(pa.compiled, pb.compiled)


def load_pack(name_or_path: str | os.PathLike[str]) -> Pack:
    """Load a shipped pack by name (``"baotou"``) or a pack file by path."""
    from .loader import load_pack as _load

    return Pack(_load(name_or_path))


__all__ = [
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
