"""policyrules: Chinese disability-employment policy documents as executable, cited rules.

>>> import policyrules
>>> pack = policyrules.load_pack("baotou")
>>> result = pack.evaluate({"unit": {"staff": 200, "disabled_employees": 6}}, as_of="2024-06-01")
>>> result.validity.in_force
True
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .engine.explain import ExplainReport
from .engine.result import (
    AmountOut,
    CitationOut,
    ConflictOut,
    DurationOut,
    ErrorOut,
    ExclusionOut,
    FundingOut,
    LimitOut,
    OutcomeOut,
    Result,
    UndeterminedOut,
    Validity,
)
from .errors import (
    BackendError,
    CaseError,
    ExpressionError,
    InputError,
    Location,
    PackError,
    PackNotFound,
    PolicyRulesError,
    Problem,
)
from .facts.case import Case
from .facts.casefile import load_case
from .interfaces.pack import DateLike, Pack
from .pack.files import shipped_packs
from .types import DEFAULT_LANG, LANGS, Lang, lang_from_accept_language

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


def load_pack(name_or_path: str | os.PathLike[str], lang: Lang = DEFAULT_LANG) -> Pack:
    """Load a shipped pack by name (``"baotou"``) or a pack file by path.

    ``lang`` (``"zh"``, the default, or ``"en"``) is the language of titles and
    summaries in its results; ``Pack.evaluate(..., lang=...)`` can still choose.
    """
    from .engine.loading import load_pack as _load

    if lang not in LANGS:
        raise InputError([Problem(f"expected one of {', '.join(LANGS)}, got {lang!r}", Location("lang"), "argument")])
    return Pack(_load(name_or_path, lang))


__all__ = [
    "AmountOut",
    "BackendError",
    "Case",
    "CaseError",
    "CitationOut",
    "ConflictOut",
    "DEFAULT_LANG",
    "DateLike",
    "DurationOut",
    "ErrorOut",
    "ExclusionOut",
    "ExplainReport",
    "ExpressionError",
    "FundingOut",
    "InputError",
    "LANGS",
    "Lang",
    "LimitOut",
    "Location",
    "OutcomeOut",
    "Pack",
    "PackError",
    "PackNotFound",
    "PolicyRulesError",
    "Problem",
    "Result",
    "StructuralDiff",
    "UndeterminedOut",
    "Validity",
    "diff",
    "lang_from_accept_language",
    "load_case",
    "load_pack",
    "shipped_packs",
]


def __getattr__(name: str) -> object:
    # The structural diff pulls in the compare stage; import it only when asked for.
    if name == "StructuralDiff":
        from .compare.structural import StructuralDiff

        return StructuralDiff
    raise AttributeError(f"module 'policyrules' has no attribute {name!r}")


def _public_home() -> None:
    """Reprs, tracebacks and docs name ``policyrules.X``, not the private module a name lives in.

    Pydantic models keep their own module: pydantic resolves their deferred
    annotations in the namespace of ``__module__``.
    """
    from pydantic import BaseModel

    for name in __all__:
        obj = globals().get(name)  # StructuralDiff is imported on first use
        if obj is None or not callable(obj) or (isinstance(obj, type) and issubclass(obj, BaseModel)):
            continue
        try:
            obj.__module__ = __name__
        except (AttributeError, TypeError):  # pragma: no cover - builtins refuse; none are exported today
            pass


_public_home()
