"""The compiled pack: what the evaluator runs. Built once by ``policyrules.compiler``.

Nothing here knows about YAML or files; expressions are already closures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any, Optional

from policyrules.errors import Location
from policyrules.expr import Node, names
from policyrules.expr.compile import Fn
from policyrules.facts.case import EVENTS
from policyrules.pack.schema import (
    Citation,
    DatedBound,
    DerivedFact,
    Document,
    Jurisdiction,
    Outcome,
    PackSpec,
    Text,
    Validity,
)
from policyrules.types import DEFAULT_LANG, Lang


@dataclass(frozen=True)
class CompiledExpr:
    """An expression with its text (as written) and its closure."""

    text: str
    node: Node
    fn: Fn


@dataclass(frozen=True)
class CompiledAmount:
    kind: str
    unit: Optional[str]
    per: tuple[str, ...]
    value: Optional[CompiledExpr] = None
    min: Optional[CompiledExpr] = None
    max: Optional[CompiledExpr] = None
    cap: Optional[CompiledExpr] = None
    actual: Optional[CompiledExpr] = None
    rate: Optional[Decimal] = None
    base: Optional[CompiledExpr] = None
    base_text: Optional[str] = None
    count: Optional[CompiledExpr] = None
    reference: Optional[str] = None
    # where the amount is written, for its errors at evaluation; not part of what the amount is
    where: Optional[Location] = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ResolvedCitation:
    document: str
    clause: str
    quote: str
    external: bool


@dataclass(frozen=True)
class RuleTexts:
    """A rule's words in both languages; the compiled rule carries one of them."""

    title: Text
    summary: Optional[Text] = None
    reference: Optional[Text] = None  # a no-figure amount's "where the figure is set"

    def pick(self, lang: Lang) -> tuple[str, str]:
        return self.title.pick(lang), self.summary.pick(lang) if self.summary else ""


@dataclass(frozen=True)
class CompiledRule:
    id: str
    topic: str
    title: str  # in the pack's language (``CompiledPack.lang``); ``texts`` holds both
    kind: str  # derive | entitlement | obligation | sanction | exclusion
    when: CompiledExpr
    citation: ResolvedCitation
    notes: tuple[str, ...]
    pack_id: str  # the pack that defines it (differs from the evaluated pack when inherited)
    derive_fact: Optional[str] = None
    derive_value: Optional[CompiledExpr] = None
    outcome: Optional[Outcome] = None  # entitlement, obligation, sanction: the declared metadata
    amount: Optional[CompiledAmount] = None
    duration_max: Optional[CompiledExpr] = None
    duration_used: Optional[CompiledExpr] = None
    limit_used: Optional[CompiledExpr] = None
    met_when: Optional[CompiledExpr] = None
    excluded_topic: Optional[str] = None  # exclusions
    summary: str = ""  # in the pack's language, like ``title``
    to: str = ""
    texts: Optional[RuleTexts] = None
    resolves: tuple[str, ...] = ()  # derived facts whose setters are all done after this rule
    alongside: tuple[str, ...] = ()  # rules of the same topic declared to apply together with this one
    defined_at: Optional[Location] = None  # where the rule is written, for findings
    event: str = "application"  # the event the rule decides; its date picks the plan (facts.case.EVENTS)
    duration_start: Optional[str] = None  # the event a duration is counted from
    concerns: frozenset[str] = frozenset()  # subjects the case must have for the rule to concern it
    # rules of descendant packs that override this one: it applies only on event dates
    # when none of their documents is in force (docs/packs.md, "Layering")
    superseded_by: tuple[str, ...] = ()

    def expressions(self) -> list[CompiledExpr]:
        """Every expression the rule evaluates."""
        out = [self.when]
        out += [
            e for e in (self.derive_value, self.duration_max, self.duration_used, self.limit_used, self.met_when) if e
        ]
        if self.amount is not None:
            a = self.amount
            out += [e for e in (a.value, a.min, a.max, a.cap, a.actual, a.base, a.count) if e]
        return out

    def figures(self) -> tuple[Optional[CompiledExpr], ...]:
        """The expressions an outcome of the rule computes when it fires, in a fixed order (None: not written)."""
        a = self.amount
        if a is None:
            return (self.limit_used, self.duration_used, self.duration_max, self.met_when)
        return (
            self.limit_used,
            self.duration_used,
            self.duration_max,
            self.met_when,
            a.count,
            a.value,
            a.min,
            a.max,
            a.cap,
            a.actual,
            a.base,
        )

    # The evaluator's memos, shared by the results that give the same entry.
    @cached_property
    def undecided_entries(self) -> dict[frozenset[str], Any]:
        """The rule's undecided entry per set of missing facts."""
        return {}

    @cached_property
    def false_entries(self) -> dict[int, Any]:
        """Per part of the condition that decides a "no" (by identity): its text and paths, its entries."""
        return {}

    @cached_property
    def event_key(self) -> tuple[str, str]:
        """(the pack that defines it, its event): what its gate depends on besides the case (``evaluator._gate``)."""
        return (self.pack_id, self.event)

    @cached_property
    def figure_slots(self) -> tuple[int, ...]:
        """Where ``figures()`` holds an expression: the figures an outcome of the rule can show."""
        return tuple(i for i, e in enumerate(self.figures()) if e is not None)

    def reads(self) -> set[str]:
        """Every fact path the rule reads."""
        return {p for e in self.expressions() for p in names(e.node)}


@dataclass(frozen=True)
class ParameterSeries:
    """A parameter's values, each in force from a date, sorted."""

    name: str
    unit: str
    values: tuple[tuple[date, Decimal], ...]

    def as_of(self, day: date) -> Optional[Decimal]:
        current = None
        for start, value in self.values:
            if start <= day:
                current = value
        return current


@dataclass(frozen=True)
class CompiledPack:
    id: str
    content_hash: str
    jurisdiction: Jurisdiction
    document: Document
    validity: Validity
    rules: tuple[CompiledRule, ...]  # in evaluation order
    parameters: tuple[ParameterSeries, ...]
    derived: dict[str, DerivedFact]
    setters: dict[str, tuple[str, ...]]  # derived fact -> rule ids that set it, in precedence order
    has_precedence: frozenset[str]  # derived facts with declared precedence
    spec: PackSpec
    parent: Optional[CompiledPack] = None
    source_path: Optional[str] = None
    rule_index: dict[str, CompiledRule] = field(default_factory=dict)
    # pack id (this pack and its ancestors) -> (first day, last day or None): when each document is in force
    windows: dict[str, tuple[date, Optional[date]]] = field(default_factory=dict)
    lang: Lang = DEFAULT_LANG  # the language of every rule's title and summary

    @property
    def version(self) -> str:
        return self.spec.version

    def rule(self, rule_id: str) -> CompiledRule:
        return self.rule_index[rule_id]

    @cached_property
    def stated_rules(self) -> tuple[CompiledRule, ...]:
        """The rules as this pack states them: without the parent rules it overrides, which the evaluator
        applies only on dates its own document does not cover. What a comparison of texts shows."""
        return tuple(r for r in self.rules if not r.superseded_by)

    @cached_property
    def exclusion_rules(self) -> tuple[CompiledRule, ...]:
        """The exclusion rules, in evaluation order (listed once: every evaluation asks)."""
        return tuple(r for r in self.rules if r.kind == "exclusion")

    @cached_property
    def excluded_topics(self) -> frozenset[str]:
        """The topics an exclusion rule may withhold."""
        return frozenset(r.excluded_topic for r in self.exclusion_rules if r.excluded_topic is not None)

    @cached_property
    def superseded_rules(self) -> tuple[CompiledRule, ...]:
        """The outcome rules a descendant pack's rules override (on the dates that pack is in force)."""
        return tuple(r for r in self.rules if r.superseded_by and r.kind != "derive")

    @cached_property
    def gate_dates(self) -> tuple[str, ...]:
        """The facts holding the dates of the events its outcome rules are decided at (``event_rules``,
        ``superseded_rules``): what the gates of a case depend on, with which of them are defaulted."""
        return tuple(dict.fromkeys(EVENTS[r.event] for r in (*self.event_rules, *self.superseded_rules)))

    @cached_property
    def position(self) -> dict[str, int]:
        """Each rule's place in evaluation order, by id."""
        return {r.id: i for i, r in enumerate(self.rules)}

    @cached_property
    def event_rules(self) -> tuple[CompiledRule, ...]:
        """One outcome rule for each (document, event) the outcome rules are decided at: a case's gates."""
        seen: dict[tuple[str, str], CompiledRule] = {}
        for r in self.rules:
            if r.kind != "derive":
                seen.setdefault((r.pack_id, r.event), r)
        return tuple(seen.values())

    @cached_property
    def derived_keys(self) -> tuple[str, ...]:
        """``derived.<name>`` for each derived fact, in ``derived`` order: the keys evaluation writes."""
        return tuple(f"derived.{k}" for k in self.derived)

    @cached_property
    def by_day(self) -> dict[Any, Any]:
        """The evaluator's memos of what a date decides for this pack: the parameters and validity on a day, what
        a case takes on it (neutral defaults, parameters), a case's gates by the dates of its events."""
        return {}

    @cached_property
    def derived_descriptions(self) -> tuple[tuple[str, str], ...]:
        return tuple((f"derived.{k}", v.description) for k, v in self.derived.items())

    def validity_of(self, pack_id: str) -> Validity:
        """The validity of the pack that defines a rule: an inherited rule keeps its own document's dates."""
        pack: Optional[CompiledPack] = self
        while pack is not None:
            if pack.id == pack_id:
                return pack.validity
            pack = pack.parent
        raise KeyError(pack_id)

    def document_of(self, pack_id: str) -> Document:
        pack: Optional[CompiledPack] = self
        while pack is not None:
            if pack.id == pack_id:
                return pack.document
            pack = pack.parent
        raise KeyError(pack_id)

    def documents(self) -> dict[str, Document]:
        """This pack's document and its ancestors', by number: what its citations may cite."""
        out = self.parent.documents() if self.parent is not None else {}
        out[self.document.number] = self.document
        return out

    def inputs_of(self, rules: list[CompiledRule]) -> set[str]:
        """Fact paths the rules read, following derived facts back to what sets them (derived.* included)."""
        seen: set[str] = set()
        todo = [p for r in rules for p in r.reads()]
        while todo:
            path = todo.pop()
            if path in seen:
                continue
            seen.add(path)
            if path.startswith("derived."):
                for rid in self.setters.get(path[len("derived.") :], ()):
                    todo += self.rule_index[rid].reads()
        return seen

    @property
    def valid_from(self) -> date:
        return self.validity.from_.date

    @property
    def valid_until(self) -> Optional[date]:
        until = self.validity.until
        return until.date if isinstance(until, DatedBound) else None


def citation_of(c: Citation, document: Document) -> ResolvedCitation:
    return ResolvedCitation(c.document or document.number, c.clause, quote_text(c.quote), c.external)


def localize(pack: CompiledPack, lang: Lang) -> CompiledPack:
    """The same compiled pack with every title and summary in ``lang`` (parents included).

    Only words change: the compiled expressions are shared, so this costs a
    copy of each rule record, not a compilation.
    """
    if pack.lang == lang:
        return pack
    parent = localize(pack.parent, lang) if pack.parent is not None else None
    rules = tuple(_localize_rule(r, lang) for r in pack.rules)
    return replace(pack, rules=rules, parent=parent, rule_index={r.id: r for r in rules}, lang=lang)


def _localize_rule(rule: CompiledRule, lang: Lang) -> CompiledRule:
    if rule.texts is None:
        return rule
    title, summary = rule.texts.pick(lang)
    if rule.texts.reference is not None and rule.amount is not None:
        amount = replace(rule.amount, reference=rule.texts.reference.pick(lang))
        return replace(rule, title=title, summary=summary, amount=amount)
    return replace(rule, title=title, summary=summary)


# A CJK character or full-width punctuation mark: Chinese text has no spaces between them.
_CJK = "[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2018-\u201d\u2014\u2026]"
_SPACE_BY_CJK = re.compile(rf"(?<={_CJK})\s+|\s+(?={_CJK})")


def quote_text(quote: str) -> str:
    """A quote as printed: line breaks of a folded YAML scalar or of the source leave no space in Chinese text."""
    return " ".join(_SPACE_BY_CJK.sub("", quote).split())
