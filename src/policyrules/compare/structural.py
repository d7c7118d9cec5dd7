"""Structural diff of two packs, aligned by topic: what each gives, and how the texts differ."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict

from policyrules.engine.model import CompiledPack, CompiledRule
from policyrules.engine.words import word
from policyrules.pack.files import rules_dir
from policyrules.pack.topics import load_topics
from policyrules.types import DEFAULT_LANG, Lang

from .describe import (
    amount_text,
    condition_words,
    duration_text,
    expr_words,
    funding_text,
    limit_text,
    param_terms,
    thresholds,
    validity_text,
)

Status = Literal["only_a", "only_b", "both"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleView(_Out):
    rule: str
    kind: str
    to: str
    summary: str
    amount: Optional[str] = None
    condition: str
    thresholds: list[str] = []
    duration: Optional[str] = None
    limit: Optional[str] = None
    funding: Optional[str] = None
    deadline: Optional[str] = None
    clause: str
    quote: str
    document: str
    inherited_from: Optional[str] = None  # the parent pack that defines the rule, when not the compared pack
    external: bool = False  # cites a document outside the verified sources


class TopicDiff(_Out):
    topic: str
    definition: str
    status: Status
    a: list[RuleView] = []
    b: list[RuleView] = []
    differences: list[str] = []


class DefinitionView(_Out):
    """One rule that sets a derived fact: when it applies and the value it gives, in words."""

    rule: str
    when: Optional[str] = None  # None: always
    value: str
    clause: str
    document: str
    inherited_from: Optional[str] = None
    external: bool = False


class DerivedDiff(_Out):
    """A derived fact (a count, a ratio, a yes/no the packs compute) that the two packs define differently."""

    fact: str  # derived.<name>
    description: str
    topics: list[str]
    status: Status
    a: list[DefinitionView] = []
    b: list[DefinitionView] = []


class PackInfo(_Out):
    id: str
    document: str
    validity: str


class StructuralDiff(_Out):
    lang: Lang = DEFAULT_LANG  # the language of summaries, figures and differences (the packs')
    a: PackInfo
    b: PackInfo
    topics: list[TopicDiff]
    derived: list[DerivedDiff] = []  # derived facts defined differently, or by one pack only
    derived_same: list[str] = []  # derived facts both packs define the same way

    def topic(self, name: str) -> Optional[TopicDiff]:
        return next((t for t in self.topics if t.topic == name), None)


def view(
    rule: CompiledRule, pack_id: Optional[str] = None, lang: Lang = "en", terms: Optional[dict[str, str]] = None
) -> RuleView:
    """A rule as the diff shows it; ``terms``: the pack's names put in words (``param_terms``)."""
    if rule.kind == "exclusion":
        amount = None
        summary = word("rule.excludes", lang, topic=rule.excluded_topic, summary=rule.summary)
    elif rule.amount is None:
        # what an outcome without an amount is depends on its kind: a right, a duty, a measure
        amount = word(f"rule.no_amount.{rule.kind}", lang)
        summary = rule.summary
    else:
        amount = amount_text(rule.amount, lang, terms)
        summary = rule.summary
    deadline = rule.outcome.deadline.isoformat() if rule.outcome and rule.outcome.deadline else None
    return RuleView(
        rule=rule.id,
        kind=rule.kind,
        to=rule.to,
        summary=summary,
        amount=amount,
        condition=" ".join(rule.when.text.split()),
        thresholds=thresholds(rule, lang, terms),
        duration=duration_text(rule, lang, terms),
        limit=limit_text(rule, lang),
        funding=funding_text(rule),
        deadline=deadline,
        clause=rule.citation.clause,
        quote=rule.citation.quote,
        document=rule.citation.document,
        inherited_from=rule.pack_id if pack_id is not None and rule.pack_id != pack_id else None,
        external=rule.citation.external,
    )


def _topic_rules(pack: CompiledPack) -> dict[str, list[CompiledRule]]:
    """Non-derive rules by topic; exclusions are listed under the topic they exclude."""
    out: dict[str, list[CompiledRule]] = {}
    for r in pack.stated_rules:
        if r.kind == "derive":
            continue
        key = r.excluded_topic if r.kind == "exclusion" and r.excluded_topic else r.topic
        out.setdefault(key, []).append(r)
    return out


def _aspect(name: str, a: list[RuleView], b: list[RuleView], get, lang: Lang) -> Optional[str]:  # type: ignore[no-untyped-def]
    va = sorted({x for r in a for x in _as_list(get(r, lang))})
    vb = sorted({x for r in b for x in _as_list(get(r, lang))})
    if va == vb:
        return None
    sep, none = ("；", word("none", lang)) if lang == "zh" else ("; ", word("none", lang))
    return word(
        "diff.aspect", lang, aspect=word(f"aspect.{name}", lang), a=sep.join(va) or none, b=sep.join(vb) or none
    )


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [str(value)]


def _kind_to(r: RuleView, lang: Lang) -> Optional[str]:
    if r.kind == "exclusion":
        return None
    return word("diff.kind_to", lang, kind=word(f"kind.{r.kind}", lang), to=word(r.to, lang) if r.to else "")


# Each aspect a topic's rules are compared on: its name (a key of the phrase table, "aspect.<name>") and its value.
ASPECTS = (
    ("amount", lambda r, lang: r.amount if r.kind != "exclusion" else None),
    ("thresholds", lambda r, lang: r.thresholds if r.kind != "exclusion" else None),
    ("exclusions", lambda r, lang: r.summary if r.kind == "exclusion" else None),
    ("duration", lambda r, lang: r.duration),
    ("limit", lambda r, lang: r.limit),
    ("funding", lambda r, lang: r.funding),
    ("deadline", lambda r, lang: r.deadline),
    ("kind", _kind_to),
)


def _definitions(pack: CompiledPack) -> dict[str, list[CompiledRule]]:
    """The derive rules of a pack, by the derived fact they set, in precedence order."""
    by_id = {r.id: r for r in pack.stated_rules}
    return {f"derived.{fact}": [by_id[i] for i in ids if i in by_id] for fact, ids in pack.setters.items() if ids}


def _definition(rule: CompiledRule, pack: CompiledPack, lang: Lang, terms: dict[str, str]) -> DefinitionView:
    assert rule.derive_value is not None
    when = " ".join(rule.when.text.split())
    return DefinitionView(
        rule=rule.id,
        when=None if when == "true" else condition_words(when, lang, terms),
        value=condition_words(rule.derive_value.text, lang, terms),
        clause=rule.citation.clause,
        document=rule.citation.document,
        inherited_from=rule.pack_id if rule.pack_id != pack.id else None,
        external=rule.citation.external,
    )


def _same_definition(x: list[CompiledRule], y: list[CompiledRule], tx: dict[str, str], ty: dict[str, str]) -> bool:
    """The same conditions and values, each parameter by its figure (a ratio of 1.5% in both is the same)."""

    def key(rules: list[CompiledRule], terms: dict[str, str]) -> set[tuple[str, str]]:
        return {(expr_words(r.when.text, "en", terms), expr_words(r.derive_value.text, "en", terms)) for r in rules}  # type: ignore[union-attr]

    return key(x, tx) == key(y, ty)


def derived_diff(a: CompiledPack, b: CompiledPack) -> tuple[list[DerivedDiff], list[str]]:
    """The derived facts the packs define differently (or only one defines), and those defined the same way.

    A derived fact is a pack's own reading of the text (who counts towards the quota, what the quota is),
    so two cities that define it differently answer differently wherever it is read.
    """
    lang = a.lang
    da, db = _definitions(a), _definitions(b)
    ta, tb = param_terms(a), param_terms(b)
    differ, same = [], []
    for fact in sorted(set(da) | set(db)):
        xa, xb = da.get(fact, []), db.get(fact, [])
        if xa and xb and _same_definition(xa, xb, ta, tb):
            same.append(fact)
            continue
        name = fact[len("derived.") :]
        info = a.derived.get(name) or b.derived[name]
        differ.append(
            DerivedDiff(
                fact=fact,
                description=info.description.pick(lang),
                topics=sorted({r.topic for r in xa + xb}),
                status="both" if xa and xb else ("only_a" if xa else "only_b"),
                a=[_definition(r, a, lang, ta) for r in xa],
                b=[_definition(r, b, lang, tb) for r in xb],
            )
        )
    return differ, same


def structural_diff(a: CompiledPack, b: CompiledPack) -> StructuralDiff:
    definitions = load_topics(rules_dir() / "topics.yaml")
    lang = a.lang
    ra, rb = _topic_rules(a), _topic_rules(b)
    ta, tb = param_terms(a), param_terms(b)
    topics = []
    for topic in sorted(set(ra) | set(rb)):
        va = [view(r, a.id, lang, ta) for r in ra.get(topic, [])]
        vb = [view(r, b.id, lang, tb) for r in rb.get(topic, [])]
        status: Status = "both" if va and vb else ("only_a" if va else "only_b")
        diffs = [d for name, get in ASPECTS if status == "both" and (d := _aspect(name, va, vb, get, lang))]
        topics.append(
            TopicDiff(
                topic=topic,
                definition=definitions[topic].definition if topic in definitions else "",
                status=status,
                a=va,
                b=vb,
                differences=diffs,
            )
        )
    derived, same = derived_diff(a, b)
    return StructuralDiff(
        lang=lang,
        a=PackInfo(id=a.id, document=a.document.number, validity=validity_text(a)),
        b=PackInfo(id=b.id, document=b.document.number, validity=validity_text(b)),
        topics=topics,
        derived=derived,
        derived_same=same,
    )
