"""The same words, the same encoding: comparing clauses across packs.

Cities copy sentences from their province and from each other, so one
wording often appears in several packs. Where one pack makes it a rule and
another reasons it out, or two rules on the same words test different
groups of people, at least one of them is probably wrong, or the difference
needs a reason an analyst can read.

Clauses are compared by character trigrams with whitespace and punctuation
removed: a rule's quote is *found* in another pack's clause when most of its
trigrams occur there. A rule is compared with the full text of every clause
the other pack reasons out (the source text from the clause's anchor to the
next one) and with the quotes of the other pack's rules. Texts in
Traditional characters are compared only with texts in Traditional
characters, because nothing here converts between the scripts.

A difference that is intended is annotated where it is decided, on the rule
or the ledger entry::

    same_wording:
      - {pack: jinan, clause: 二（一）1, why: "..."}

and the pair is then reported as annotated, not as a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional

from policyrules.engine.model import CompiledPack, CompiledRule
from policyrules.errors import Phrase
from policyrules.expr.nodes import names
from policyrules.facts.vocabulary import case_facts
from policyrules.types import DEFAULT_LANG, Lang

from .citations import squeeze
from .coverage import _section

# Punctuation in both widths, brackets and quotation marks: not part of the wording.
_PUNCT = re.compile(r"[\s，,。.、；;：:（）()“”\"‘’'《》〔〕\[\]【】！!？?—\-…·]+")
FOUND = 0.8  # share of a quote's trigrams that must occur in the other text
PARTLY = 0.5  # a rule of the other entry sharing this much of the quote encodes the same sentence
# Facts that say who a rule is for: what it tests about the person or the unit's nature.
_GROUP_FACTS = ("unit.kind", "unit.admin_level", "person.graduation.level", "person.student_level")


@dataclass(frozen=True)
class Item:
    pack: str
    kind: str  # "rule" or "reasoned"
    ref: str  # rule id, or the ledger clause
    clause: str
    text: str  # the quote, or the clause's text in the source
    groups: frozenset[str] = frozenset()
    annotated: tuple[tuple[str, str], ...] = ()  # (pack, clause) pairs this item explains
    topic: str = ""
    encoded: tuple[str, ...] = ()  # reasoned entries: the quotes of the rules the same entry lists


@dataclass(frozen=True)
class AcrossFinding:
    code: str  # rule-vs-reasoned, different-groups
    a: Item
    b: Item
    similarity: float
    annotated: bool
    detail: Optional[Phrase] = None  # different-groups: who each side tests
    lang: Lang = DEFAULT_LANG  # of the packs compared

    @property
    def phrase(self) -> Phrase:
        """The message as data: a phrase of engine.words."""
        a, b = self.a, self.b
        if self.code == "rule-vs-reasoned":
            return Phrase.of(
                "across.rule_vs_reasoned",
                a_pack=a.pack,
                a_ref=a.ref,
                a_clause=a.clause,
                b_pack=b.pack,
                b_clause=b.clause,
            )
        return Phrase.of(
            "across.different_groups", a_pack=a.pack, a_ref=a.ref, b_pack=b.pack, b_ref=b.ref, detail=self.detail
        )

    @property
    def message(self) -> str:
        return self.phrase.text(self.lang)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "annotated": self.annotated,
            "similarity": round(self.similarity, 2),
            "message": self.message,
            "phrase": self.phrase.as_dict(),
            "a": {"pack": self.a.pack, "ref": self.a.ref, "clause": self.a.clause, "quote": self.a.text},
            "b": {"pack": self.b.pack, "ref": self.b.ref, "clause": self.b.clause, "quote": self.b.text},
        }


def wording(text: str) -> str:
    return _PUNCT.sub("", text)


def trigrams(text: str) -> frozenset[str]:
    w = wording(text)
    return frozenset(w[i : i + 3] for i in range(max(len(w) - 2, 1)))


def found_in(quote: str, text: str) -> float:
    """The share of the quote's trigrams that occur in the text (1.0: every one)."""
    q = trigrams(quote)
    return len(q & trigrams(text)) / len(q) if q else 0.0


def _groups(rule: CompiledRule) -> frozenset[str]:
    facts = case_facts()
    read = names(rule.when.node)
    return frozenset(
        p
        for p in read
        if p in _GROUP_FACTS
        or (p in facts and facts[p].type.kind == "bool" and (p.startswith("person.") or p.startswith("unit.is_")))
    )


def _annotations(raw: Iterable[Any]) -> tuple[tuple[str, str], ...]:
    return tuple((a.pack, a.clause) for a in raw)


def clause_texts(pack: CompiledPack, sources: Optional[Path]) -> dict[int, str]:
    """Ledger entry index → the clause's text in the source (from its anchor to the next anchor)."""
    doc = pack.document
    if sources is None or doc.source_file is None or not (sources / doc.source_file).is_file():
        return {}
    full = squeeze((sources / doc.source_file).read_text(encoding="utf-8"))
    start, end = _section(
        full, doc.section.begins if doc.section else None, doc.section.ends_before if doc.section else None
    )
    found: list[tuple[int, int]] = []
    cursor = start
    for i, entry in enumerate(pack.spec.ledger):
        if entry.anchor is None:
            continue
        at = full.find(squeeze(entry.anchor), cursor, end)
        if at >= 0:
            found.append((i, at))
            cursor = at + 1
    out: dict[int, str] = {}
    for k, (i, at) in enumerate(found):
        stop = found[k + 1][1] if k + 1 < len(found) else end
        out[i] = full[at:stop]
    return out


def items(pack: CompiledPack, sources: Optional[Path]) -> list[Item]:
    spec_rules = {r.id: r for r in pack.spec.rules}
    out = [
        Item(
            pack.id,
            "rule",
            r.id,
            r.citation.clause,
            r.citation.quote,
            _groups(r),
            _annotations(spec_rules[r.id].same_wording),
            r.topic,
        )
        for r in pack.rules
        if r.pack_id == pack.id and r.kind != "derive" and not r.citation.external
    ]
    texts = clause_texts(pack, sources)
    for i, entry in enumerate(pack.spec.ledger):
        if entry.not_computed is None or entry.not_computed.kind in ("heading", "preamble", "validity"):
            continue
        text = texts.get(i)
        if text:
            quotes = tuple(pack.rule_index[r].citation.quote for r in entry.rules if r in pack.rule_index)
            out.append(
                Item(
                    pack.id,
                    "reasoned",
                    entry.clause,
                    entry.clause,
                    text,
                    annotated=_annotations(entry.same_wording),
                    encoded=quotes,
                )
            )
    return out


def _traditional(text: str) -> bool:
    # A few characters that differ between the scripts and are common in these texts.
    return any(c in text for c in "殘業產條臺據規體劃為與發實單職員會區縣")


def _explained(a: Item, b: Item) -> bool:
    return (b.pack, b.clause) in a.annotated or (a.pack, a.clause) in b.annotated


def across(packs: list[CompiledPack], sources: Optional[Path]) -> list[AcrossFinding]:
    """Pairs of clauses of different packs with near-identical wording and different encodings."""
    by_pack = {p.id: items(p, sources) for p in packs}
    lang = packs[0].lang if packs else DEFAULT_LANG
    findings: list[AcrossFinding] = []
    ids = sorted(by_pack)
    for a_id in ids:
        for b_id in ids:
            if a_id == b_id:
                continue
            rules_b = [x for x in by_pack[b_id] if x.kind == "rule"]
            # topic → (this pack's rules, the other pack's rules) sharing wording, for the group comparison
            clusters: dict[str, tuple[list[Item], list[tuple[float, Item]]]] = {}
            for a in (x for x in by_pack[a_id] if x.kind == "rule"):
                trad = _traditional(a.text)
                matches = [
                    (max(found_in(a.text, b.text), found_in(b.text, a.text)), b)
                    for b in rules_b
                    if _traditional(b.text) == trad
                ]
                matches = [(s, b) for s, b in matches if s >= FOUND]
                if matches:
                    same = [(x, b) for x, b in matches if b.topic == a.topic] or matches
                    mine, theirs = clusters.setdefault(a.topic, ([], []))
                    mine.append(a)
                    theirs.extend(m for m in same if m[1] not in [t for _, t in theirs])
                    continue
                for b in by_pack[b_id]:
                    if b.kind != "reasoned" or _traditional(b.text) != trad:
                        continue
                    # The part of the clause these words come from may be encoded by the entry's own rules.
                    if any(max(found_in(a.text, q), found_in(q, a.text)) >= PARTLY for q in b.encoded):
                        continue
                    s = found_in(a.text, b.text)
                    if s >= FOUND:
                        findings.append(AcrossFinding("rule-vs-reasoned", a, b, s, _explained(a, b), lang=lang))
            if a_id > b_id:
                continue
            for mine, theirs in clusters.values():
                ours = frozenset().union(*(a.groups for a in mine))
                other = frozenset().union(*(b.groups for _, b in theirs))
                if ours == other:
                    continue
                s, b = max(theirs, key=lambda m: m[0])
                a = mine[0]
                only = {
                    "a_only": ", ".join(sorted(ours - other)) or "—",
                    "b_only": ", ".join(sorted(other - ours)) or "—",
                }
                detail = Phrase.of("across.detail", a=a.pack, b=b.pack, **only)
                explained = any(_explained(x, y) for x in mine for _, y in theirs)
                findings.append(AcrossFinding("different-groups", a, b, s, explained, detail, lang))
    return findings
