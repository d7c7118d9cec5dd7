"""How much of its document a pack accounts for, measured against the source text itself.

Every ledger entry carries an *anchor*: the clause's opening words, verbatim
with its printed number. The source text's numbered clauses (一、 （一） 1．
at the start of a line) are found independently; a numbered clause counts as
accounted when a ledger anchor starts exactly there. So a clause the ledger
forgot shows up as unaccounted, with its line, instead of passing silently.
Anchors must appear in the ledger's order, each after the one before.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Optional

from policyrules.engine.model import CompiledPack
from policyrules.engine.words import word

from .citations import squeeze

# A printed clause number at the start of a line: 一、 （一） (一) 1． 1. 1、
MARKER = re.compile(
    r"^[ \t\u3000]*([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d{1,2}[．.、](?!\d))",
    re.M,
)


@dataclass(frozen=True)
class Coverage:
    pack: str
    clauses: int  # ledger entries
    encoded: int  # entries with at least one rule
    reasoned: int  # entries with no rule, each with its reason
    rules: int  # rules the pack itself defines (inherited ones excluded)
    rules_in_ledger: int
    numbered: Optional[int] = None  # numbered clauses found in the source text (None: no source text)
    anchored: Optional[int] = None  # of those, clauses a ledger anchor starts at
    unaccounted: tuple[
        str, ...
    ] = ()  # "line N: opening words" (in the pack's language) of numbered clauses without a ledger entry
    anchor_problems: tuple[str, ...] = ()  # anchors missing, not found, or out of order

    @property
    def percent(self) -> int:
        if self.rules != self.rules_in_ledger or self.anchor_problems or not self.clauses:
            return min(99, 100 * (self.encoded + self.reasoned) // max(self.clauses, 1))
        if self.numbered:
            return 100 * (self.anchored or 0) // self.numbered
        return 100

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "percent": self.percent}


def coverage(pack: CompiledPack, sources: Optional[Path] = None) -> Coverage:
    ledger = pack.spec.ledger
    listed = {rid for entry in ledger for rid in entry.rules}
    own = [r for r in pack.rules if r.pack_id == pack.id]
    base = Coverage(
        pack=pack.id,
        clauses=len(ledger),
        encoded=sum(1 for e in ledger if e.rules),
        reasoned=sum(1 for e in ledger if not e.rules and e.not_computed is not None),
        rules=len(own),
        rules_in_ledger=sum(1 for r in own if r.id in listed),
    )
    doc = pack.document
    if sources is None or doc.source_file is None or not (sources / doc.source_file).is_file():
        return base
    raw = (sources / doc.source_file).read_text(encoding="utf-8")
    full = squeeze(raw)
    start, end = _section(
        full, doc.section.begins if doc.section else None, doc.section.ends_before if doc.section else None
    )

    problems: list[str] = []
    anchors: set[int] = set()
    cursor = start
    for entry in ledger:
        if entry.anchor is None and entry.confidence is not None:
            continue  # records a clause no source text holds (cited external): nothing to find here
        if entry.anchor is None:
            problems.append(word("coverage.no_anchor", pack.lang, clause=entry.clause))
            continue
        at = full.find(squeeze(entry.anchor), cursor, end)
        if at < 0:
            where = "not_found" if full.find(squeeze(entry.anchor), start, end) < 0 else "out_of_order"
            problems.append(word(f"coverage.anchor_{where}", pack.lang, clause=entry.clause, anchor=entry.anchor))
            continue
        anchors.add(at)
        cursor = at + 1

    numbered = 0
    anchored = 0
    unaccounted: list[str] = []
    squeezed_upto = _squeezed_offsets(raw)
    for m in MARKER.finditer(raw):
        pos = squeezed_upto(m.start(1))
        if not start <= pos < end:
            continue
        numbered += 1
        if pos in anchors:
            anchored += 1
        else:
            line = raw.count("\n", 0, m.start(1)) + 1
            unaccounted.append(word("coverage.line", pack.lang, line=line, text=full[pos : pos + 24]))
    return replace(
        base, numbered=numbered, anchored=anchored, unaccounted=tuple(unaccounted), anchor_problems=tuple(problems)
    )


def _section(full: str, begins: Optional[str], ends_before: Optional[str]) -> tuple[int, int]:
    start = full.find(squeeze(begins)) if begins else 0
    start = max(start, 0)
    end = full.find(squeeze(ends_before), start) if ends_before else -1
    return start, end if end >= 0 else len(full)


def _squeezed_offsets(raw: str):  # type: ignore[no-untyped-def]
    """A function from a raw offset to the offset of the same character once whitespace is removed."""
    counts = [0]
    for ch in raw:
        counts.append(counts[-1] + (0 if ch.isspace() else 1))
    return counts.__getitem__
