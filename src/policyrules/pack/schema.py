"""The rule-pack schema: what a pack file may say, as pydantic models.

These models describe the file, nothing more: expressions are still text
here. ``policyrules.compiler`` turns a validated :class:`PackSpec` into a
compiled pack. ``policyrules schema`` prints the JSON Schema generated from
these models for editors.
"""

from __future__ import annotations

from typing import Annotated, Literal, Optional, Union

from pydantic import BaseModel, Field, model_validator

from policyrules.errors import Invalid, Phrase
from policyrules.facts.case import EventName
from policyrules.types import STRICT, Count, IsoDate, Lang, NonNegative, Number, Share

Expr = Annotated[str, Field(min_length=1, description="an expression in the policyrules expression language")]
# A figure written as a number is never negative: an amount, bound, cap or duration (docs/reliability.md).
FigureOrExpr = Union[NonNegative, Expr]
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")]


class Model(BaseModel):
    model_config = STRICT


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


class Text(Model):
    """A phrase in both languages results are given in: Simplified Chinese first, English second.

    Written ``{zh: …, en: …}``. Quotes are not ``Text``: they stay as printed.
    """

    zh: str = Field(min_length=1, description="Simplified Chinese")
    en: str = Field(min_length=1, description="English")

    @model_validator(mode="before")
    @classmethod
    def _both_languages(cls, data: object) -> object:
        if isinstance(data, str):
            raise Invalid("pack.text_plain", lacking=Phrase.of("pack.lang_en" if _has_han(data) else "pack.lang_zh"))
        if isinstance(data, dict):
            lacking = [k for k in ("zh", "en") if not data.get(k)]
            if lacking:
                raise Invalid("pack.text_lacks_both" if len(lacking) == 2 else f"pack.text_lacks_{lacking[0]}")
        return data

    def pick(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


class Citation(Model):
    """Where a rule comes from: document, clause path as printed, verbatim quote."""

    clause: str = Field(description="clause path as the document prints it, e.g. 二（五）11")
    quote: str = Field(min_length=2, description="verbatim text of the clause (whitespace is ignored when matching)")
    document: Optional[str] = Field(default=None, description="document number (文号); defaults to the pack's document")
    external: bool = Field(
        default=False,
        description="the document is not among our source texts, so the quote cannot be verified",
    )


class SourceSection(Model):
    """Where a document sits inside a source file that holds several (the 2025 digest)."""

    begins: str = Field(description="verbatim words that open the document in the source file")
    ends_before: Optional[str] = Field(default=None, description="verbatim words that open what follows it")


class Document(Model):
    number: str = Field(description="文号, e.g. 包府办发〔2023〕43号")
    title: str
    issuer: str
    issued: IsoDate
    source_file: Optional[str] = Field(default=None, description="file name of the text in the sources directory")
    section: Optional[SourceSection] = Field(
        default=None, description="the part of the source file that is this document, when the file holds several"
    )


class Jurisdiction(Model):
    name: str
    level: Literal["city", "province", "national"]
    parent_region: Optional[str] = None


class DatedBound(Model):
    date: IsoDate
    citation: Citation
    note: Optional[str] = None
    certainty: Literal["stated", "lower_bound", "estimate"] = Field(
        default="stated",
        description="stated: the text gives this date; lower_bound: the text gives none and the plan began "
        "no earlier than this; estimate: the text gives none and this is a best estimate (say why in the note)",
    )


class OpenEnd(Model):
    no_end_stated: Literal[True]
    note: Optional[str] = None


class Validity(Model):
    from_: DatedBound = Field(alias="from")
    until: Union[DatedBound, OpenEnd]


class ParameterValue(Model):
    from_: IsoDate = Field(alias="from")
    value: Number


class Parameter(Model):
    description: str
    unit: str
    values: list[ParameterValue] = Field(min_length=1)
    citation: Citation
    notes: list[str] = []
    signed: bool = Field(default=False, description="true when the quantity may be negative; otherwise values ≥ 0")

    @model_validator(mode="after")
    def _one_value_per_date(self) -> Parameter:
        dates = [v.from_ for v in self.values]
        twice = sorted({d for d in dates if dates.count(d) > 1})
        if twice:
            raise Invalid("pack.same_date", dates=", ".join(d.isoformat() for d in twice))
        if not self.signed and any(v.value < 0 for v in self.values):
            raise Invalid("pack.negative")
        return self


class DerivedFact(Model):
    type: Literal["number", "bool", "string", "date"]
    unit: Optional[str] = None
    choices: Optional[list[str]] = None
    description: Text
    precedence: list[str] = Field(
        default=[], description="when several rules set this fact, the first of these that fires wins"
    )


class Amount(Model):
    """A figure as the text states it. ``kind`` says which fields apply."""

    kind: Literal["exact", "average", "range", "cap", "formula", "share", "minimum", "no_figure"]
    unit: Optional[str] = Field(default=None, description="unit of one amount, e.g. CNY, month, m, person")
    per: list[str] = Field(default=[], description="per unit and per period, e.g. [person, year]")
    value: Optional[FigureOrExpr] = Field(default=None, description="exact, average, formula, minimum")
    min: Optional[FigureOrExpr] = Field(default=None, description="range")
    max: Optional[FigureOrExpr] = Field(default=None, description="range")
    cap: Optional[FigureOrExpr] = Field(default=None, description="cap: the most that is paid")
    actual: Optional[Expr] = Field(default=None, description="cap: the actual cost; the amount is min(actual, cap)")
    rate: Optional[NonNegative] = Field(default=None, description="share: the share as a decimal (0.6 for 60%)")
    base: Optional[Expr] = Field(default=None, description="share: the base the rate applies to")
    base_text: Optional[str] = Field(default=None, description="share: the base in words, when it is not a fact")
    count: Optional[Expr] = Field(default=None, description="how many units (of per[0]) the amount is paid for")
    reference: Optional[Text] = Field(default=None, description="no_figure: where the figure is set (按规定…)")

    @model_validator(mode="after")
    def _fields_match_kind(self) -> Amount:
        need = {
            "exact": {"value"},
            "average": {"value"},
            "formula": {"value"},
            "minimum": {"value"},
            "range": {"min", "max"},
            "cap": {"cap"},
            "share": {"rate"},
            "no_figure": {"reference"},
        }[self.kind]
        allowed = need | {
            "cap": {"actual"},
            "share": {"base", "base_text"},
        }.get(self.kind, set())
        given = {
            f
            for f in ("value", "min", "max", "cap", "actual", "rate", "base", "base_text", "reference")
            if getattr(self, f) is not None
        }
        missing = need - given
        if missing:
            raise Invalid("pack.amount_needs", kind=self.kind, fields=", ".join(sorted(missing)))
        extra = given - allowed
        if extra:
            raise Invalid("pack.amount_takes_not", kind=self.kind, fields=", ".join(sorted(extra)))
        if self.kind == "share" and self.base is None and self.base_text is None:
            raise Invalid("pack.share_base")
        if self.kind != "no_figure" and self.unit is None:
            raise Invalid("pack.amount_unit", kind=self.kind)
        return self


class Duration(Model):
    """How long an entitlement runs at most; ``used`` counts what was already had."""

    max: FigureOrExpr
    unit: str
    used: Optional[Expr] = None
    start: Optional[EventName] = Field(
        default=None,
        description="the event the period is counted from (hire, licence, placement, ...): the result then gives "
        "the current period, the last day covered, and an 'ended' line after it",
    )


class Limit(Model):
    """A frequency limit: at most ``max`` per ``per``; ``used`` counts those already had."""

    max: Count
    per: str
    used: Expr


class FundingShare(Model):
    payer: str
    share: Share


class Outcome(Model):
    """An entitlement, obligation or sanction."""

    to: Literal["person", "unit"] = Field(description="who receives it or bears it")
    summary: Text = Field(description="one line in plain words")
    amount: Optional[Amount] = Field(
        default=None, description="absent for benefits with no amount (priority, exemption)"
    )
    duration: Optional[Duration] = None
    limit: Optional[Limit] = None
    funding: list[FundingShare] = []
    deadline: Optional[IsoDate] = Field(default=None, description="obligations: to be met by this date")
    met_when: Optional[Expr] = Field(default=None, description="obligations: true when already fulfilled")
    excludes: list[Id] = Field(default=[], description="topics this entitlement cannot be combined with")


class Exclusion(Model):
    to: Literal["person", "unit"]
    summary: Text
    topic_excluded: Id = Field(description="the topic of the benefit this case is excluded from")


class Derive(Model):
    fact: Id
    value: Union[Expr, Number, bool]


class SameWording(Model):
    """Another pack's clause with the same words, encoded differently here on purpose (``check --across``)."""

    pack: Id
    clause: str = Field(description="the other pack's clause path, as it prints it")
    why: str = Field(min_length=2, description="why the two encodings differ, quoting the texts")


class Rule(Model):
    id: Id
    topic: Id
    title: Text
    when: Expr = "true"
    event: Optional[EventName] = Field(
        default=None,
        description="the event the rule decides (hire, licence, training, ...): its date decides which plan "
        "applies; default: the application, whose date defaults to as_of",
    )
    derive: Optional[Derive] = None
    entitlement: Optional[Outcome] = None
    obligation: Optional[Outcome] = None
    sanction: Optional[Outcome] = None
    exclusion: Optional[Exclusion] = None
    citation: Citation
    notes: list[str] = Field(default=[], description="interpretation notes: every reading the text leaves open")
    overrides: list[Id] = Field(default=[], description="parent-pack rules this rule replaces")
    alongside: list[Id] = Field(
        default=[],
        description="rules of the same topic (this pack's or the parent's) that apply together with this one",
    )
    same_wording: list[SameWording] = Field(
        default=[], description="clauses of other packs with the same words, encoded differently on purpose"
    )

    @model_validator(mode="after")
    def _one_result(self) -> Rule:
        given = [
            k for k in ("derive", "entitlement", "obligation", "sanction", "exclusion") if getattr(self, k) is not None
        ]
        if len(given) != 1:
            raise Invalid("pack.one_result_found", found=", ".join(given)) if given else Invalid("pack.one_result")
        return self

    @property
    def kind(self) -> str:
        for k in ("derive", "entitlement", "obligation", "sanction", "exclusion"):
            if getattr(self, k) is not None:
                return k
        raise AssertionError("validated")  # pragma: no cover


class NotComputed(Model):
    kind: Literal[
        "target",
        "department_duty",
        "permissive",
        "aggregate",
        "procedural",
        "exhortation",
        "no_case",
        "organisational",
        "heading",
        "preamble",
        "validity",
    ]
    reason: str


class LedgerEntry(Model):
    clause: str
    anchor: Optional[str] = Field(
        default=None,
        description="the clause's opening words in the source, verbatim with its printed number (e.g. 2．市、县（区、旗）两级残联)",
    )
    summary: str
    confidence: Optional[str] = Field(
        default=None,
        description="for a clause cited external (no source text here confirms it): how sure its number and "
        "wording are, and from where; required when an external citation names this clause",
    )
    rules: list[Id] = []
    not_computed: Optional[NotComputed] = None
    same_wording: list[SameWording] = Field(
        default=[], description="clauses of other packs with the same words, encoded differently on purpose"
    )

    @model_validator(mode="after")
    def _accounted(self) -> LedgerEntry:
        if not self.rules and self.not_computed is None:
            raise Invalid("pack.ledger_accounted")
        return self


class PackSpec(Model):
    id: Id
    version: str = Field(
        pattern=r"^[0-9]+\.[0-9]+\.[0-9]+$",
        description="the pack's own version (MAJOR.MINOR.PATCH); its changes are listed in CHANGELOG.md",
    )
    parent: Optional[Id] = Field(default=None, description="pack whose rules this pack inherits")
    jurisdiction: Jurisdiction
    document: Document
    validity: Validity
    parameters: dict[Id, Parameter] = {}
    derived: dict[Id, DerivedFact] = {}
    rules: list[Rule]
    ledger: list[LedgerEntry]
