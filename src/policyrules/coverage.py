"""How much of a pack's document its ledger accounts for."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .model import CompiledPack


@dataclass(frozen=True)
class Coverage:
    pack: str
    clauses: int  # ledger entries: every clause of the document, as printed
    encoded: int  # clauses with at least one rule
    reasoned: int  # clauses with no rule, each with its reason
    rules: int  # rules defined by the pack itself (inherited ones excluded)
    rules_in_ledger: int

    @property
    def percent(self) -> int:
        accounted = self.encoded + self.reasoned
        rules_ok = self.rules == self.rules_in_ledger
        if not self.clauses:
            return 0
        return 100 * accounted // self.clauses if rules_ok else min(99, 100 * accounted // self.clauses)

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "percent": self.percent}


def coverage(pack: CompiledPack) -> Coverage:
    ledger = pack.spec.ledger
    listed = {rid for entry in ledger for rid in entry.rules}
    own = [r for r in pack.rules if r.pack_id == pack.id]
    return Coverage(
        pack=pack.id,
        clauses=len(ledger),
        encoded=sum(1 for e in ledger if e.rules),
        reasoned=sum(1 for e in ledger if not e.rules and e.not_computed is not None),
        rules=len(own),
        rules_in_ledger=sum(1 for r in own if r.id in listed),
    )
