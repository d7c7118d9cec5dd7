"""Ledger reasons checked against the clause they explain.

A ledger entry that reasons a clause out as a ``target`` or an ``aggregate``
says the clause is a total for the whole jurisdiction, with nothing to
decide for one person or unit. Two kinds of wording contradict that:

- a minimum per unit or per area: 每个乡镇…至少1处, 各县(市、区)至少建立1处,
  每个单位不少于… — a duty of each county, township or unit, decidable for it;
- an entitlement whose figure lives elsewhere: 按规定给予… — an outcome with no
  figure, not a target.

Such a clause is a finding unless a rule of the entry quotes the words, or
the reason itself quotes them and says why they are not a case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from policyrules.engine.model import CompiledPack
from policyrules.errors import Phrase

from .across import clause_texts, wording

_UNIT = "县|區|区|乡|鄉|镇|鎮|街道|市|州|单位|單位|机构|機構|旗"
PER_UNIT = re.compile(
    rf"(?:每个|每個|每|各)[^，,。；;]{{0,14}}?(?:{_UNIT})[^。；;]{{0,24}}?(?:至少|不少于|不少於)[^，,。；;]{{0,6}}?\d+"
)
BY_RULE = re.compile(r"按[规規]定(?:给予|給予)[^，,。；;]{1,24}")
TOTAL_KINDS = ("target", "aggregate")


@dataclass(frozen=True)
class ReasonProblem:
    clause: str
    kind: str
    words: str  # the words of the clause that contradict the reason
    message: str  # the phrase in the pack's language
    phrase: Phrase


def reason_problems(pack: CompiledPack, sources: Optional[Path]) -> list[ReasonProblem]:
    texts = clause_texts(pack, sources)
    problems: list[ReasonProblem] = []
    for i, entry in enumerate(pack.spec.ledger):
        nc = entry.not_computed
        if nc is None or nc.kind not in TOTAL_KINDS or i not in texts:
            continue
        quotes = [wording(pack.rule_index[r].citation.quote) for r in entry.rules if r in pack.rule_index]
        reason = wording(nc.reason)
        for pattern, what in ((PER_UNIT, "ledger.per_unit"), (BY_RULE, "ledger.by_rule")):
            for m in pattern.finditer(texts[i]):
                words = wording(m.group(0))
                core = words[-12:]
                if any(core in q or q in words for q in quotes) or core in reason or words[:8] in reason:
                    continue
                said = Phrase.of(
                    "ledger.total",
                    clause=entry.clause,
                    kind=Phrase(f"ledger.kind.{nc.kind}"),
                    what=Phrase(what),
                    words=m.group(0),
                )
                problems.append(ReasonProblem(entry.clause, nc.kind, m.group(0), said.text(pack.lang), said))
    return problems
