"""The result of evaluating a pack on a case: typed, and stable as JSON.

Money and every other number are Decimals, written to JSON as strings so
that no consumer rounds them through a binary float.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Callable, Literal, Optional, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field

from policyrules.types import MAX_DIGITS, MAX_EXPONENT, Lang, Number

FactValue = Union[bool, Number, str, date]
Day = date  # a field named 'date' would shadow the type inside its model
M = TypeVar("M", bound=BaseModel)


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
    count_expression: Optional[str] = Field(
        default=None, description="what count counts, as the pack writes it (null when the amount has no count)"
    )
    total: Optional[Number] = Field(default=None, description="value × count")
    total_min: Optional[Number] = None
    total_max: Optional[Number] = None
    total_cap: Optional[Number] = Field(default=None, description="cap × count: the most paid for all units together")
    reference: Optional[str] = Field(default=None, description="no_figure: where the figure is set")
    missing: list[str] = Field(default=[], description="facts needed to compute the figure")


class DurationOut(_Out):
    max: Optional[Number] = Field(default=None, description="how long it runs at most, in unit; null when unknown")
    max_expression: str
    unit: str
    used: Optional[Number] = Field(default=None, description="how much of it was already had, when counted")
    remaining: Optional[Number] = None
    start_event: Optional[str] = Field(default=None, description="the event the period is counted from")
    started: Optional[date] = Field(default=None, description="the date of that event")
    period: Optional[int] = Field(
        default=None, description="which period (of unit) as_of falls in, from 1: year 2 of 3 is period 2"
    )
    until: Optional[date] = Field(default=None, description="the last day covered (started + max, less one day)")
    ended: bool = Field(default=False, description="as_of is after until: nothing more is paid")
    missing: list[str] = Field(default=[], description="facts needed for max, used, started or until")


class LimitOut(_Out):
    max: int
    per: str
    used: Optional[Number] = None
    missing: list[str] = Field(default=[], description="facts needed to count what was used (the figure stands)")


class EventOut(_Out):
    """The event a rule decides, and the document that decided it."""

    name: str = Field(description="application, hire, graduation, licence, placement, training")
    date: Optional[Day] = Field(description="the event's date; null when not given")
    defaulted: bool = Field(default=False, description="the date is as_of, because the case gave none")
    document: str = Field(description="the document (文号) in force on that date, under which the rule decides")


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
    status: Optional[Literal["met", "unmet", "due", "overdue", "unknown"]] = Field(
        default=None,
        description="obligations: met; unmet (no deadline); due (unmet, deadline not passed on as_of); "
        "overdue (unmet, deadline passed); unknown (facts missing)",
    )
    event: Optional[EventOut] = Field(default=None, description="the event decided and the document deciding it")
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
    to: Literal["person", "unit"] = Field(
        description="the party the undecided outcome would go to (for an exclusion, the party it would withhold "
        "from): filter by it to show an employer only the unit's questions"
    )
    condition: str
    missing: list[str] = Field(description="facts that would decide whether the rule applies")
    citation: CitationOut


class DecisiveOut(_Out):
    """The part of a condition that decided it: the first false part of an 'and', a whole failed 'or'."""

    text: str
    values: dict[str, Optional[str]] = Field(default={}, description="the facts it read and their values")


class NotGrantedOut(_Out):
    """A rule that concerns the case and gives nothing, with the reason."""

    rule: str
    topic: str
    kind: str
    title: str
    to: Literal["person", "unit"]
    reason: Literal["condition", "not_in_force", "ended", "superseded"] = Field(
        description="condition: a condition is false; not_in_force: the plan was not in force on the event's date; "
        "ended: the benefit ran its full duration; superseded: a rule of a lower-level plan in force on the "
        "event's date replaces it"
    )
    because: str = Field(description="one line a portal can show")
    decisive: Optional[DecisiveOut] = Field(default=None, description="reason condition: the part that is false")
    event: Optional[EventOut] = None
    duration: Optional[DurationOut] = Field(default=None, description="reason ended: the period that ran out")
    superseded_by: Optional[str] = Field(default=None, description="reason superseded: the rule that applies instead")
    citation: CitationOut


class QuestionOut(_Out):
    """A missing fact, with the undecided outcomes it would decide."""

    fact: str
    zh: str = ""
    description: str = ""
    decides: int = Field(description="how many undecided rules need this fact")
    rules: list[str]


class DefaultOut(_Out):
    """A neutral default declared in the vocabulary that this result used."""

    fact: str
    value: FactValue
    reason: str


class ConflictOut(_Out):
    fact: str
    rules: list[str]
    values: list[str]


class ErrorOut(_Out):
    rule: str
    message: str


class Validity(_Out):
    in_force: bool = Field(description="the pack is in force on as_of")
    valid_from: date
    valid_from_certainty: Literal["stated", "lower_bound", "estimate"] = Field(
        default="stated", description="stated by the text, a lower bound, or an estimate"
    )
    valid_until: Optional[date] = Field(description="null when the text states no end")
    no_end_stated: bool = Field(default=False, description="the text states no end (valid_until is null)")
    period: str = Field(default="", description="the validity in words, e.g. 'from about 2025-06-25 to 2027-12-31'")
    notes: list[str] = Field(default=[], description="how the dates were read")
    reason: Optional[str] = None


class Result(_Out):
    pack: str
    pack_version: str = Field(description="the pack's own version, as its file states it")
    pack_hash: str = Field(description="content hash of the pack file (and its parents): what exactly was run")
    lang: Lang = Field(description="the language of titles and summaries; quotes are as printed")
    backend: str = "native"
    as_of: date = Field(description="the day the question is asked: periods, deadlines and parameters")
    application_date: Optional[date] = Field(
        default=None, description="the application's date (as_of when the case gives none; see defaults)"
    )
    validity: Validity
    entitlements: list[OutcomeOut] = []
    obligations: list[OutcomeOut] = []
    sanctions: list[OutcomeOut] = []
    exclusions: list[ExclusionOut] = []
    not_granted: list[NotGrantedOut] = Field(
        default=[], description="rules that concern the case and give nothing, each with its reason"
    )
    derived: dict[str, Optional[FactValue]] = {}
    undetermined: list[UndeterminedOut] = Field(default=[], description="undecided rules that concern the case")
    undetermined_elsewhere: list[UndeterminedOut] = Field(
        default=[], description="undecided rules whose subject (person, unit, application) the case lacks"
    )
    questions: list[QuestionOut] = Field(
        default=[], description="missing facts, the one deciding the most undecided rules first"
    )
    defaults: list[DefaultOut] = Field(default=[], description="neutral defaults of the vocabulary that were used")
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


# ---- building results from the evaluator's own values ----

_DICT = BaseModel.__dict__["__dict__"]
_FIELDS_SET = BaseModel.__dict__["__pydantic_fields_set__"]
_REQUIRED = object()
_TEMPLATES: dict[type, tuple[dict[str, Any], tuple[str, ...], tuple[str, ...]]] = {}


def _template(cls: type[BaseModel]) -> tuple[dict[str, Any], tuple[str, ...], tuple[str, ...]]:
    """Field defaults in declaration order; the fields whose default is a fresh list; the Number fields."""
    found = _TEMPLATES.get(cls)
    if found is None:
        fields = cls.model_fields
        defaults = {name: _REQUIRED if f.is_required() else f.default for name, f in fields.items()}
        lists = tuple(name for name, value in defaults.items() if value == [])
        numbers = tuple(name for name, f in fields.items() if _holds_decimal(f.annotation))
        found = _TEMPLATES[cls] = (defaults, lists, numbers)
    return found


def trusted(cls: type[M], fields: dict[str, Any], beyond: Optional[Callable[[str, Any], Exception]] = None) -> M:
    """``cls(**fields)`` for values the evaluator computed, already of their fields' types: not validated again.

    Validating them (a Python check per exact number) costs more than computing
    them. The object is the one validation would give: the same field values,
    in the same order, the same fields set; a figure outside the range a Number
    holds falls back to validation, which refuses it as it always did, unless
    ``beyond(name, figure)`` is given: then the exception it makes is raised
    (the evaluator's own error for a figure computed out of range). The tests
    revalidate whole Results built this way and compare them field by field.
    """
    defaults, lists, numbers = _template(cls)
    for name in numbers:
        value = fields.get(name)
        if value is not None and not representable(value):
            if beyond is not None and value.__class__ is Decimal:
                raise beyond(name, value)
            return cls(**fields)
    values = dict(defaults)
    values.update(fields)
    for name in lists:
        if name not in fields:
            values[name] = []
    return _new(cls, values, set(fields))


def made(cls: type[M], fields: dict[str, Any]) -> M:
    """:func:`trusted` given every field in declaration order, by a caller that has checked its figures
    itself (``representable``): the dict becomes the model's fields as it is."""
    every = _EVERY.get(cls)
    if every is None:
        every = _EVERY[cls] = set(cls.model_fields)
    return _new(cls, fields, every)


# Every field of a model, given: one set per model, shared by the objects ``made`` builds (pydantic copies
# a model's set before changing it, in ``model_copy``; a frozen model never changes its own).
_EVERY: dict[type, set[str]] = {}


def _new(cls: type[M], values: dict[str, Any], fields_set: set[str]) -> M:
    obj = cls.__new__(cls)
    _DICT.__set__(obj, values)
    _FIELDS_SET.__set__(obj, fields_set)
    _SET(obj, "__pydantic_extra__", None)
    _SET(obj, "__pydantic_private__", None)
    return obj


_SET = object.__setattr__


def _holds_decimal(annotation: Any) -> bool:
    """A Number, or an optional one (not a container of them)."""
    if annotation is Decimal:
        return True
    if get_origin(annotation) in (Union, Annotated):
        return any(_holds_decimal(a) for a in get_args(annotation))
    return False


def representable(value: Any) -> bool:
    """What a Number field accepts without change: a finite Decimal within its digits and exponent (types.py)."""
    if value.__class__ is not Decimal or not value.is_finite():
        return False
    if not value:
        return True
    if not -MAX_EXPONENT <= value.adjusted() <= MAX_EXPONENT:
        return False
    # a Decimal's text holds every significant digit: short text, few digits (the common case, without as_tuple)
    return len(str(value)) <= MAX_DIGITS or len(value.as_tuple().digits) <= MAX_DIGITS
