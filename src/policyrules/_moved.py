"""Module paths from before the stage layout, served for one release with a warning.

``import policyrules.evaluator`` still works and gives the module now at
``policyrules.engine.evaluator``; the table below is the one list of moves
(CHANGELOG.md prints it). ``policyrules.testing`` is a permanent public name
and does not warn.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings
from types import ModuleType

MOVED: dict[str, str] = {
    "analysis": "check.analysis",
    "behaviour": "compare.behaviour",
    "cases": "facts.casefile",
    "casetests": "check.casetests",
    "citations": "check.citations",
    "cli": "interfaces.cli",
    "compiler": "engine.compiler",
    "coverage": "check.coverage",
    "describe": "compare.describe",
    "diffview": "compare.diffview",
    "docgen": "interfaces.docgen",
    "evaluator": "engine.evaluator",
    "explain": "engine.explain",
    "loader": "engine.loading",
    "matrix": "compare.matrix",
    "model": "engine.model",
    "render": "interfaces.render",
    "result": "engine.result",
    "schema": "pack.schema",
    "structural": "compare.structural",
    "topics": "pack.topics",
    "vocabulary": "facts.vocabulary",
    "yamlsource": "reading.yamlsource",
}

# Old modules whose names are now subpackages, so no shim can stand there.
# ``policyrules.facts`` re-exports what ``facts.py`` held; the other two moved:
# ``policyrules.check`` → ``policyrules.check.consistency``, ``policyrules.pack``
# → ``policyrules.interfaces.pack`` (``policyrules.Pack`` is unchanged).
REPLACED: dict[str, str] = {"check": "check.consistency", "pack": "interfaces.pack"}

# Public for good: imported by users' property tests.
ALIASES: dict[str, str] = {"testing": "check.strategies"}

# Old modules whose names now live in more than one place: the loader was split.
_EXTRA = {"loader": ("pack.files", "reading.validate")}


class _Alias(importlib.abc.Loader):
    def __init__(self, old: str, new: str, warn: bool) -> None:
        self.old, self.new, self.warn = old, new, warn

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        if self.warn:
            warnings.warn(
                f"policyrules.{self.old} moved to policyrules.{self.new}; the old path goes in the next release",
                DeprecationWarning,
                stacklevel=3,
            )
        module = importlib.import_module(f"policyrules.{self.new}")
        extra = _EXTRA.get(self.old)
        if extra is None:
            return module
        # A split module: a fresh namespace holding the names of every part.
        merged = ModuleType(f"policyrules.{self.old}")
        for part in (self.new, *extra):
            src = importlib.import_module(f"policyrules.{part}")
            merged.__dict__.update({k: v for k, v in vars(src).items() if not k.startswith("__")})
        return merged

    def exec_module(self, module: ModuleType) -> None:
        """The target module is already executed."""


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: object, target: object = None) -> importlib.machinery.ModuleSpec | None:
        prefix, _, name = fullname.partition(".")
        if prefix != "policyrules" or "." in name:
            return None
        if name in ALIASES:
            return importlib.util.spec_from_loader(fullname, _Alias(name, ALIASES[name], warn=False))
        if name in MOVED:
            return importlib.util.spec_from_loader(fullname, _Alias(name, MOVED[name], warn=True))
        return None


def install() -> None:
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.append(_Finder())
