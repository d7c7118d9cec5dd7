"""policyrules: Chinese disability-employment policy documents as executable, cited rules.

>>> import policyrules
>>> pack = policyrules.load_pack("baotou")
>>> result = pack.evaluate({"unit": {"staff": 200, "disabled_employees": 6}}, as_of="2024-06-01")
>>> result.validity.in_force
True

Every public name lives here, in one flat namespace; each is imported from
its private module when first used, so that ``import policyrules`` costs
little and a program pays only for the stages it uses (a service that only
evaluates never imports the comparison or the checks).
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

from . import _moved
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

if TYPE_CHECKING:
    from .compare.structural import StructuralDiff
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
    from .facts.case import Case
    from .facts.casefile import load_case
    from .interfaces.pack import DateLike, Pack
    from .pack.files import shipped_packs
    from .types import DEFAULT_LANG, LANGS, Lang, lang_from_accept_language

_moved.install()

__version__ = "0.1.0"

# Public name -> the private module it lives in, imported on first use.
_LAZY: dict[str, str] = {
    "AmountOut": "engine.result",
    "CitationOut": "engine.result",
    "ConflictOut": "engine.result",
    "DurationOut": "engine.result",
    "ErrorOut": "engine.result",
    "ExclusionOut": "engine.result",
    "FundingOut": "engine.result",
    "LimitOut": "engine.result",
    "OutcomeOut": "engine.result",
    "Result": "engine.result",
    "UndeterminedOut": "engine.result",
    "Validity": "engine.result",
    "ExplainReport": "engine.explain",
    "Case": "facts.case",
    "load_case": "facts.casefile",
    "DateLike": "interfaces.pack",
    "Pack": "interfaces.pack",
    "shipped_packs": "pack.files",
    "DEFAULT_LANG": "types",
    "LANGS": "types",
    "Lang": "types",
    "lang_from_accept_language": "types",
    "StructuralDiff": "compare.structural",
}


def diff(a: str | Pack, b: str | Pack, lang: Lang | None = None) -> StructuralDiff:
    """Structural diff of two packs (names, paths or loaded packs), aligned by topic, in ``lang`` (zh unless en)."""
    from .compare.structural import structural_diff
    from .engine.model import localize
    from .types import DEFAULT_LANG

    pack = __getattr__("Pack")
    pa = a if isinstance(a, pack) else load_pack(a)
    pb = b if isinstance(b, pack) else load_pack(b)
    chosen = lang or DEFAULT_LANG
    return structural_diff(localize(pa.compiled, chosen), localize(pb.compiled, chosen))


def load_pack(name_or_path: str | os.PathLike[str], lang: Lang | None = None) -> Pack:
    """Load a shipped pack by name (``"baotou"``) or a pack file by path.

    ``lang`` (``"zh"``, the default, or ``"en"``) is the language of titles and
    summaries in its results; ``Pack.evaluate(..., lang=...)`` can still choose.
    """
    from .engine.loading import load_pack as _load
    from .types import DEFAULT_LANG, LANGS

    if lang is None:
        lang = DEFAULT_LANG
    if lang not in LANGS:
        raise InputError([Problem.of("args.lang", Location("lang"), "argument", langs=", ".join(LANGS), lang=lang)])
    return __getattr__("Pack")(_load(name_or_path, lang))


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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'policyrules' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    _public_home(value)
    globals()[name] = value  # once: the next access is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def _public_home(obj: Any) -> None:
    """Reprs, tracebacks and docs name ``policyrules.X``, not the private module a name lives in.

    Pydantic models keep their own module: pydantic resolves their deferred
    annotations in the namespace of ``__module__``.
    """
    if not callable(obj) or getattr(obj, "__pydantic_fields__", None) is not None:
        return
    try:
        obj.__module__ = __name__
    except (AttributeError, TypeError):  # pragma: no cover - builtins refuse; none are exported today
        pass


for _name in __all__:
    if _name in globals():
        _public_home(globals()[_name])
del _name
