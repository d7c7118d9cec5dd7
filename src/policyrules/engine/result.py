"""The result of evaluating a pack on a case: typed, and stable as JSON.

Money and every other number are Decimals, written to JSON as strings so
that no consumer rounds them through a binary float.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

from policyrules.types import Lang, Number

FactValue = Union[bool, Number, str, date]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CitationOut(_Out):
    document: str
    clause: str
    quote: str
    external: bool = Field(description="true when the document is not among the verified sources")


class AmountOut(_Out):
    kind: Literal["exact", "average", "range", "cap", "formula", "share", "minimum", "no_figure"]
    unit: Optional[str] = None
    per: list[str] = []
    expression: Optional[str] = Field(default=None, description="the figure as the pack writes it")
    value: Optional[Number] = Field(default=None, description="one amount (per unit and period), when known")
    min: Optional[Number] = None
    max: Optional[Number] = None
    cap: Optional[Number] = None
    rate: Optional[Number] = None
    base: Optional[Number] = None
    base_text: Optional[str] = None
    count: Optional[Number] = Field(default=None, description="how many units (per[0]) it is paid for")
    total: Optional[Number] = Field(default=None, description="value × count")
    total_min: Optional[Number] = None
    total_max: Optional[Number] = None
    reference: Optional[str] = Field(default=None, description="no_figure: where the figure is set")
    missing: list[str] = Field(default=[], description="facts needed to compute the figure")


class DurationOut(_Out):
    max: Optional[Number] = None
    max_expression: str
    unit: str
    used: Optional[Number] = None
    remaining: Optional[Number] = None
    missing: list[str] = []


class LimitOut(_Out):
    max: int
    per: str
    used: Optional[Number] = None
    missing: list[str] = []


class FundingOut(_Out):
    payer: str
    share: Number
    amount: Optional[Number] = Field(default=None, description="share of the total, when the total is known")


class OutcomeOut(_Out):
    kind: Literal["entitlement", "obligation", "sanction"]
    rule: str
    topic: str
    title: str
    to: Literal["person", "unit"]
    summary: str
    amount: Optional[AmountOut] = None
    duration: Optional[DurationOut] = None
    limit: Optional[LimitOut] = None
    funding: list[FundingOut] = []
    deadline: Optional[date] = None
    status: Optional[Literal["met", "unmet", "unknown"]] = Field(default=None, description="obligations")
    excludes: list[str] = []
    citation: CitationOut
    notes: list[str] = []


class ExclusionOut(_Out):
    rule: str
    topic: str
    title: str
    to: Literal["person", "unit"]
    summary: str
    topic_excluded: str
    withheld: list[str] = Field(default=[], description="rules whose outcome this exclusion withholds")
    reason: Literal["rule", "limit_reached", "duration_exhausted", "mutually_exclusive"] = "rule"
    citation: CitationOut
    notes: list[str] = []


class UndeterminedOut(_Out):
    rule: str
    topic: str
    kind: str
    title: str
    condition: str
    missing: list[str] = Field(description="facts that would decide whether the rule applies")
    citation: CitationOut


class ConflictOut(_Out):
    fact: str
    rules: list[str]
    values: list[str]


class ErrorOut(_Out):
    rule: str
    message: str


class Validity(_Out):
    in_force: bool
    valid_from: date
    valid_until: Optional[date] = Field(description="null when the text states no end")
    reason: Optional[str] = None


class Result(_Out):
    pack: str
    pack_version: str = Field(description="the pack's own version, as its file states it")
    pack_hash: str = Field(description="content hash of the pack file (and its parents): what exactly was run")
    lang: Lang = Field(description="the language of titles and summaries; quotes are as printed")
    backend: str = "native"
    as_of: date
    validity: Validity
    entitlements: list[OutcomeOut] = []
    obligations: list[OutcomeOut] = []
    sanctions: list[OutcomeOut] = []
    exclusions: list[ExclusionOut] = []
    derived: dict[str, Optional[FactValue]] = {}
    undetermined: list[UndeterminedOut] = []
    conflicts: list[ConflictOut] = []
    errors: list[ErrorOut] = []

    def to_json(self, **kwargs: Any) -> str:
        return self.model_dump_json(indent=2, **kwargs)

    def by_topic(self, topic: str) -> list[OutcomeOut]:
        return [o for o in (*self.entitlements, *self.obligations, *self.sanctions) if o.topic == topic]

    def outcome(self, rule_id: str) -> Optional[OutcomeOut]:
        for o in (*self.entitlements, *self.obligations, *self.sanctions):
            if o.rule == rule_id:
                return o
        return None
