"""Structural diff of two packs, aligned by topic: what each gives, and how the texts differ."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict

from policyrules.engine.model import CompiledPack, CompiledRule
from policyrules.engine.words import word
from policyrules.pack.files import rules_dir
from policyrules.pack.topics import load_topics
from policyrules.types import DEFAULT_LANG, Lang

from .describe import amount_text, duration_text, funding_text, limit_text, thresholds, validity_text

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


class PackInfo(_Out):
    id: str
    document: str
    validity: str


class StructuralDiff(_Out):
    lang: Lang = DEFAULT_LANG  # the language of summaries, figures and differences (the packs')
    a: PackInfo
    b: PackInfo
    topics: list[TopicDiff]

    def topic(self, name: str) -> Optional[TopicDiff]:
        return next((t for t in self.topics if t.topic == name), None)


def view(rule: CompiledRule, pack_id: Optional[str] = None, lang: Lang = "en") -> RuleView:
    if rule.kind == "exclusion":
        amount = None
        summary = word("rule.excludes", lang, topic=rule.excluded_topic, summary=rule.summary)
    else:
        amount = amount_text(rule.amount, lang)
        summary = rule.summary
    deadline = rule.outcome.deadline.isoformat() if rule.outcome and rule.outcome.deadline else None
    return RuleView(
        rule=rule.id,
        kind=rule.kind,
        to=rule.to,
        summary=summary,
        amount=amount,
        condition=" ".join(rule.when.text.split()),
        thresholds=thresholds(rule),
        duration=duration_text(rule, lang),
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


def structural_diff(a: CompiledPack, b: CompiledPack) -> StructuralDiff:
    definitions = load_topics(rules_dir() / "topics.yaml")
    lang = a.lang
    ra, rb = _topic_rules(a), _topic_rules(b)
    topics = []
    for topic in sorted(set(ra) | set(rb)):
        va = [view(r, a.id, lang) for r in ra.get(topic, [])]
        vb = [view(r, b.id, lang) for r in rb.get(topic, [])]
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
    return StructuralDiff(
        lang=lang,
        a=PackInfo(id=a.id, document=a.document.number, validity=validity_text(a)),
        b=PackInfo(id=b.id, document=b.document.number, validity=validity_text(b)),
        topics=topics,
    )
