"""The public face of a loaded pack."""

from __future__ import annotations

from datetime import date
from typing import Any, Mapping, Optional

from policyrules.backends import evaluate_with
from policyrules.engine.explain import ExplainReport, explain
from policyrules.engine.model import CompiledPack, CompiledRule
from policyrules.engine.result import Result
from policyrules.facts.case import Case
from policyrules.facts.casefile import as_case
from policyrules.pack.schema import Document, Jurisdiction


class Pack:
    """A compiled rule pack. Compile once (``load_pack``), evaluate many times."""

    def __init__(self, compiled: CompiledPack) -> None:
        self.compiled = compiled

    @property
    def id(self) -> str:
        return self.compiled.id

    @property
    def document(self) -> Document:
        return self.compiled.document

    @property
    def jurisdiction(self) -> Jurisdiction:
        return self.compiled.jurisdiction

    @property
    def rules(self) -> tuple[CompiledRule, ...]:
        return self.compiled.rules

    def evaluate(self, case: Case | Mapping[str, Any], as_of: Optional[date] = None, backend: str = "native") -> Result:
        """Entitlements, obligations, sanctions and exclusions for ``case`` as of a date (default today)."""
        return evaluate_with(backend, self.compiled, as_case(case), as_of or date.today())

    def explain(
        self, case: Case | Mapping[str, Any], rule: Optional[str] = None, as_of: Optional[date] = None
    ) -> ExplainReport:
        """Why each rule (or ``rule``) fired or not on ``case``."""
        return explain(self.compiled, as_case(case), as_of or date.today(), rule)

    def __repr__(self) -> str:
        return f"<Pack {self.id} {self.document.number} ({len(self.rules)} rules)>"
