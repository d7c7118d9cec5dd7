"""Forward chaining over a compiled pack: facts in, cited outcomes out.

Rules run in the order the compiler fixed: every rule that sets a derived
fact runs before any rule that reads it, so one pass reaches the fixpoint
that repeated rounds would reach, and does so deterministically. A derived
fact is settled when the last rule that can set it has run:

* no setter fired: the fact stays absent;
* setters fired and agree (or precedence picks the first): that value;
* a setter might fire but its inputs are missing: the fact is unknown and
  carries those missing inputs to every rule that reads it;
* setters disagree and no precedence is declared: a conflict is reported
  and the fact is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, Optional

from policyrules.expr import Unknown
from policyrules.facts.case import Case, flatten
from policyrules.pack.schema import DatedBound
from policyrules.pack.schema import Validity as PackValidity
from policyrules.types import exact

from .codegen import Generated, for_evaluation, generated, shared_unknown
from .deferred import DeferredResult
from .model import CompiledAmount, CompiledExpr, CompiledPack, CompiledRule, ResolvedCitation
from .money import money_step, round_money
from .result import (
    AmountOut,
    CitationOut,
    ConflictOut,
    DurationOut,
    ErrorOut,
    ExclusionOut,
    FundingOut,
    LimitOut,
    OutcomeOut,
    Result,
    UndeterminedOut,
    Validity,
)

UNSET = object()  # a derived fact no setter fired for: it stays absent


def validity_on(pack: CompiledPack, as_of: date) -> Validity:
    return _validity(pack.validity, as_of)


@lru_cache(maxsize=1024)
def _validity(validity: PackValidity, as_of: date) -> Validity:
    # Cached: a batch evaluates one pack as of one date many times over.
    start = validity.from_.date
    end = validity.until.date if isinstance(validity.until, DatedBound) else None
    reason = None
    if as_of < start:
        c = validity.from_.citation
        reason = f"not in force before {start.isoformat()} ({c.clause}: {c.quote})"
    elif end is not None and as_of > end:
        c = validity.until.citation  # type: ignore[union-attr]
        reason = f"not in force after {end.isoformat()} ({c.clause}: {c.quote})"
    return Validity(in_force=reason is None, valid_from=start, valid_until=end, reason=reason)


def initial_env(pack: CompiledPack, case: Case, as_of: date) -> dict[str, Any]:
    return facts_env(pack, flatten(case), as_of)


def facts_env(pack: CompiledPack, facts: dict[str, Any], as_of: date) -> dict[str, Any]:
    """The evaluation environment from flat facts (``{"unit.staff": 200, ...}``), typed as a Case's would be."""
    env = dict(facts)
    env["as_of"] = as_of
    for series in pack.parameters:
        value = series.as_of(as_of)
        if value is not None:
            env[f"param.{series.name}"] = value
    return env


@dataclass
class Run:
    """Everything one evaluation found; ``env`` ends with every derived fact settled."""

    env: dict[str, Any]
    fired: list[CompiledRule] = field(default_factory=list)
    conditions: dict[str, Any] = field(default_factory=dict)  # rule id -> True/False/Unknown
    errors: list[ErrorOut] = field(default_factory=list)
    conflicts: list[ConflictOut] = field(default_factory=list)
    # non-derive rules left unknown for want of facts, with those facts, in pack order;
    # None: ``assemble`` finds them in ``conditions``
    undecided: Optional[list[tuple[CompiledRule, frozenset[str]]]] = None


def run_generated(pack: CompiledPack, env: dict[str, Any], fn: Optional[Generated] = None) -> Run:
    """What :func:`run_rules` finds, computed by the pack's generated function (``codegen``)."""
    conditions, settled, errors, conflicts, fired, undecided = (fn or generated(pack))(env)
    rules = pack.rules
    run = Run(env, [rules[i] for i in fired], conditions, conflicts=conflicts)
    run.undecided = [(rules[i], missing) for i, missing in undecided]
    for name, value in zip(pack.derived, settled):
        if value is not UNSET:
            env[f"derived.{name}"] = shared_unknown(value) if value.__class__ is frozenset else value
    if errors:
        run.errors = [ErrorOut(rule=rules[i].id, message=arithmetic_message(exc)) for i, exc in errors]
    return run


@exact
def run_rules(pack: CompiledPack, env: dict[str, Any]) -> Run:
    """Forward chaining through the rules' closures: the reference the generated function is tested against."""
    run = Run(env)
    candidates: dict[str, dict[str, Any]] = {}
    for rule in pack.rules:
        try:
            cond = rule.when.fn(env)
            if rule.kind == "derive":
                if cond is True:
                    candidates.setdefault(rule.derive_fact, {})[rule.id] = rule.derive_value.fn(env)  # type: ignore[union-attr,arg-type]
                elif cond.__class__ is Unknown:
                    candidates.setdefault(rule.derive_fact, {})[rule.id] = cond  # type: ignore[arg-type]
        except ArithmeticError as exc:
            run.errors.append(ErrorOut(rule=rule.id, message=arithmetic_message(exc)))
            cond = Unknown(frozenset())
            if rule.derive_fact is not None:
                candidates.setdefault(rule.derive_fact, {})[rule.id] = cond
        run.conditions[rule.id] = cond
        if cond is True and rule.kind != "derive":
            run.fired.append(rule)
        for name in rule.resolves:
            value = settle(pack, name, candidates.get(name, {}), run)
            if value is not UNSET:
                env[f"derived.{name}"] = value
    return run


def settle(pack: CompiledPack, name: str, found: dict[str, Any], run: Run) -> Any:
    """The value of derived fact ``name`` from its setters' candidates (``UNSET`` when none fired)."""
    order = [rid for rid in pack.setters[name] if rid in found]
    if not order:
        return UNSET
    if name in pack.has_precedence:
        return found[order[0]]
    unknown = [found[r] for r in order if found[r].__class__ is Unknown]
    if unknown:
        out = unknown[0]
        for u in unknown[1:]:
            out = out | u
        return out
    values = [found[r] for r in order]
    if any(v != values[0] for v in values[1:]):
        run.conflicts.append(ConflictOut(fact=name, rules=order, values=[str(v) for v in values]))
        return Unknown(frozenset({f"derived.{name}"}))
    return values[0]


def evaluate(pack: CompiledPack, case: Case, as_of: date, *, reference: bool = False) -> Result:
    return evaluate_facts(pack, flatten(case), as_of, reference=reference)


@exact
def evaluate_facts(pack: CompiledPack, facts: dict[str, Any], as_of: date, *, reference: bool = False) -> Result:
    """Evaluate flat facts that are valid by construction (a batch skips building a Case per row).

    Rules are matched by the pack's generated function once the pack has been evaluated
    often enough to pay for generating it (``codegen.GENERATE_AFTER``), by the closures
    before; the Result's fields are built when first read (``DeferredResult``).
    ``reference=True`` matches with the closures and builds the Result at once: the
    same result, slower; the tests hold the two equal.
    """
    validity = validity_on(pack, as_of)
    if not validity.in_force:
        return Result(
            pack=pack.id,
            pack_version=pack.version,
            pack_hash=pack.content_hash,
            lang=pack.lang,
            as_of=as_of,
            validity=validity,
        )
    if reference:
        return assemble(pack, as_of, validity, run_rules(pack, facts_env(pack, facts, as_of)))
    fn = for_evaluation(pack)
    env = facts_env(pack, facts, as_of)
    run = run_rules(pack, env) if fn is None else run_generated(pack, env, fn)
    return DeferredResult.deferred(lambda: assemble(pack, as_of, validity, run))


@exact
def assemble(pack: CompiledPack, as_of: date, validity: Validity, run: Run, backend: str = "native") -> Result:
    """The result of a finished run: outcomes built, exclusions applied, undecided rules listed.

    Shared by every backend, so that only the matching and chaining differ
    between them. ``run`` must hold, as :func:`run_rules` leaves it: a
    condition for every rule (True, False or Unknown), the rules that fired
    in pack order, the errors of conditions in pack order, conflicts in the
    order their facts settled, and ``env`` with every derived fact settled.
    """
    env = run.env

    entitlements: list[OutcomeOut] = []
    obligations: list[OutcomeOut] = []
    sanctions: list[OutcomeOut] = []
    exclusions: list[ExclusionOut] = []
    undetermined: list[UndeterminedOut] = []

    if run.undecided is not None:
        undetermined = [_undetermined(rule, missing) for rule, missing in run.undecided]
    else:
        for rule in pack.rules:
            cond = run.conditions[rule.id]
            if cond.__class__ is Unknown and rule.kind != "derive" and cond.missing:
                undetermined.append(_undetermined(rule, cond.missing))
    for rule in run.fired:
        if rule.kind == "exclusion":
            exclusions.append(
                ExclusionOut(
                    rule=rule.id,
                    topic=rule.topic,
                    title=rule.title,
                    to=rule.to,  # type: ignore[arg-type]
                    summary=rule.summary,
                    topic_excluded=rule.excluded_topic,  # type: ignore[arg-type]
                    citation=citation_out(rule.citation),
                    notes=list(rule.notes),
                )
            )
            continue
        try:
            built = _outcome(rule, env)
        except ArithmeticError as exc:
            run.errors.append(ErrorOut(rule=rule.id, message=arithmetic_message(exc)))
            continue
        if isinstance(built, ExclusionOut):
            exclusions.append(built)
        elif isinstance(built, UndeterminedOut):
            undetermined.append(built)
        else:
            {"entitlement": entitlements, "obligation": obligations, "sanction": sanctions}[rule.kind].append(built)

    entitlements = _apply_exclusions(entitlements, exclusions)
    entitlements = _hold_undecided(pack, entitlements, run, undetermined)
    return Result(
        pack=pack.id,
        pack_version=pack.version,
        pack_hash=pack.content_hash,
        lang=pack.lang,
        backend=backend,
        as_of=as_of,
        validity=validity,
        entitlements=entitlements,
        obligations=obligations,
        sanctions=sanctions,
        exclusions=exclusions,
        derived={name: _known(env.get(f"derived.{name}")) for name in pack.derived},
        undetermined=undetermined,
        conflicts=run.conflicts,
        errors=run.errors,
    )


def _apply_exclusions(entitlements: list[OutcomeOut], exclusions: list[ExclusionOut]) -> list[OutcomeOut]:
    """Withhold excluded entitlements, recording which exclusion withheld them.

    An entitlement that ``excludes`` a topic withholds entitlements of that topic
    (the text says who may not combine them); an exclusion rule withholds its topic.
    """
    for ent in list(entitlements):
        for topic in ent.excludes:
            if any(e.topic == topic for e in entitlements):
                exclusions.append(
                    ExclusionOut(
                        rule=ent.rule,
                        topic=ent.topic,
                        title=ent.title,
                        to=ent.to,
                        summary=f"cannot be combined with {ent.topic}",
                        topic_excluded=topic,
                        reason="mutually_exclusive",
                        citation=ent.citation,
                    )
                )
    kept: list[OutcomeOut] = []
    for ent in entitlements:
        blockers = [i for i, x in enumerate(exclusions) if x.topic_excluded == ent.topic and x.rule != ent.rule]
        if not blockers:
            kept.append(ent)
            continue
        for i in blockers:
            exclusions[i] = exclusions[i].model_copy(update={"withheld": [*exclusions[i].withheld, ent.rule]})
    return kept


def _hold_undecided(
    pack: CompiledPack, entitlements: list[OutcomeOut], run: Run, undetermined: list[UndeterminedOut]
) -> list[OutcomeOut]:
    """An entitlement that an undecided exclusion may withhold is itself undecided, never paid on a guess."""
    pending: dict[str, set[str]] = {}
    for rule in pack.exclusion_rules:
        cond = run.conditions[rule.id]
        if cond.__class__ is Unknown:
            pending.setdefault(rule.excluded_topic, set()).update(cond.missing)  # type: ignore[arg-type]
    if not pending:
        return entitlements
    kept = []
    for ent in entitlements:
        missing = pending.get(ent.topic)
        if missing is None:
            kept.append(ent)
        else:
            undetermined.append(_undetermined(pack.rule(ent.rule), frozenset(missing)))
    return kept


def _known(value: Any) -> Any:
    return None if value is None or value.__class__ is Unknown else value


@lru_cache(maxsize=4096)
def citation_out(c: ResolvedCitation) -> CitationOut:
    """A rule's citation as it appears in results (built once per citation)."""
    return CitationOut(document=c.document, clause=c.clause, quote=c.quote, external=c.external)


_UNDETERMINED: dict[tuple[int, frozenset[str]], tuple[CompiledRule, UndeterminedOut]] = {}


def _undetermined(rule: CompiledRule, missing: frozenset[str]) -> UndeterminedOut:
    # By rule object first: hashing the rule's identity and its (shared) missing set is what a case pays.
    entry = _UNDETERMINED.get((id(rule), missing))
    if entry is not None and entry[0] is rule:
        return entry[1]
    out = _undetermined_out(rule.id, rule.topic, rule.kind, rule.title, rule.when.text, rule.citation, missing)
    if len(_UNDETERMINED) >= 65536:
        _UNDETERMINED.clear()
    _UNDETERMINED[(id(rule), missing)] = (rule, out)
    return out


@lru_cache(maxsize=8192)
def _undetermined_out(
    rule: str, topic: str, kind: str, title: str, condition: str, citation: ResolvedCitation, missing: frozenset[str]
) -> UndeterminedOut:
    # Cached by content: results are immutable, and a batch of cases lacks the same facts again and again.
    return UndeterminedOut(
        rule=rule,
        topic=topic,
        kind=kind,
        title=title,
        condition=condition.strip(),
        missing=sorted(missing),
        citation=citation_out(citation),
    )


def _value(expr: Optional[CompiledExpr], env: dict[str, Any], missing: set[str]) -> Optional[Decimal]:
    if expr is None:
        return None
    v = expr.fn(env)
    if v.__class__ is Unknown:
        missing.update(v.missing)
        return None
    return Decimal(v)


def _outcome(rule: CompiledRule, env: dict[str, Any]) -> OutcomeOut | ExclusionOut | UndeterminedOut:
    outcome = rule.outcome
    assert outcome is not None
    limit = None
    if outcome.limit is not None:
        gate: set[str] = set()
        used = _value(rule.limit_used, env, gate)
        if gate:
            return _undetermined(rule, frozenset(gate))
        if used is not None and used >= outcome.limit.max:
            return _withheld(
                rule, "limit_reached", f"limit reached: at most {outcome.limit.max} per {outcome.limit.per}"
            )
        limit = LimitOut(max=outcome.limit.max, per=outcome.limit.per, used=used)
    duration = None
    if outcome.duration is not None:
        gate = set()
        used = _value(rule.duration_used, env, gate)
        if gate:
            return _undetermined(rule, frozenset(gate))
        dmissing: set[str] = set()
        dmax = _value(rule.duration_max, env, dmissing)
        if used is not None and dmax is not None and used >= dmax:
            return _withheld(
                rule, "duration_exhausted", f"already received for {used} {outcome.duration.unit} of at most {dmax}"
            )
        duration = DurationOut(
            max=dmax,
            max_expression=rule.duration_max.text if rule.duration_max else "",
            unit=outcome.duration.unit,
            used=used,
            remaining=None if dmax is None or used is None else dmax - used,
            missing=sorted(dmissing),
        )
    amount = _amount(rule.amount, env) if rule.amount is not None else None
    status = None
    if rule.kind == "obligation":
        status = "unknown"
        if rule.met_when is not None:
            met = rule.met_when.fn(env)
            if met.__class__ is not Unknown:
                status = "met" if met else "unmet"
    total = amount.total if amount is not None else None
    step = money_step(rule.amount.unit) if rule.amount is not None else None
    funding = [
        FundingOut(payer=f.payer, share=f.share, amount=None if total is None else round_money(total * f.share, step))
        for f in outcome.funding
    ]
    return OutcomeOut(
        kind=rule.kind,  # type: ignore[arg-type]
        rule=rule.id,
        topic=rule.topic,
        title=rule.title,
        to=outcome.to,
        summary=rule.summary,
        amount=amount,
        duration=duration,
        limit=limit,
        funding=funding,
        deadline=outcome.deadline,
        status=status,  # type: ignore[arg-type]
        excludes=list(outcome.excludes),
        citation=citation_out(rule.citation),
        notes=list(rule.notes),
    )


def _withheld(rule: CompiledRule, reason: str, summary: str) -> ExclusionOut:
    return ExclusionOut(
        rule=rule.id,
        topic=rule.topic,
        title=rule.title,
        to=rule.to,  # type: ignore[arg-type]
        summary=summary,
        topic_excluded=rule.topic,
        withheld=[rule.id],
        reason=reason,  # type: ignore[arg-type]
        citation=citation_out(rule.citation),
        notes=list(rule.notes),
    )


def _amount(a: CompiledAmount, env: dict[str, Any]) -> AmountOut:
    missing: set[str] = set()
    count = _value(a.count, env, missing)
    fields: dict[str, Any] = {"count": count}
    if a.kind in ("exact", "average", "formula", "minimum"):
        value = _value(a.value, env, missing)
        fields.update(expression=_text(a.value), value=value)
    elif a.kind == "range":
        fields.update(min=_value(a.min, env, missing), max=_value(a.max, env, missing))
        fields["expression"] = f"{_text(a.min)}–{_text(a.max)}"
    elif a.kind == "cap":
        cap = _value(a.cap, env, missing)
        fields.update(
            cap=cap, expression=f"min({_text(a.actual)}, {_text(a.cap)})" if a.actual else f"≤ {_text(a.cap)}"
        )
        if a.actual is not None:
            actual = _value(a.actual, env, missing)
            fields["value"] = None if actual is None or cap is None else min(actual, cap)
    elif a.kind == "share":
        base = _value(a.base, env, missing)
        base_words = _text(a.base) if a.base is not None else a.base_text
        fields.update(rate=a.rate, base=base, base_text=a.base_text, expression=f"{a.rate} × {base_words}")
        fields["value"] = None if base is None or a.rate is None else a.rate * base
    step = money_step(a.unit)
    if step is not None:
        for name in ("value", "min", "max", "cap"):
            fields[name] = round_money(fields.get(name), step)
    value = fields.get("value")
    if count is not None:
        if value is not None:
            fields["total"] = value * count
        if fields.get("min") is not None and fields.get("max") is not None:
            fields["total_min"] = fields["min"] * count
            fields["total_max"] = fields["max"] * count
    elif a.count is None:
        fields["total"] = value
    for name in ("value", "min", "max", "cap", "total", "total_min", "total_max"):
        figure = fields.get(name)
        if figure is not None and figure < 0:
            raise NegativeAmount(f"the amount's {name} is negative ({figure}); no pack pays or charges less than 0")
    return AmountOut(
        kind=a.kind, unit=a.unit, per=list(a.per), reference=a.reference, missing=sorted(missing), **fields
    )  # type: ignore[arg-type]


class NegativeAmount(ArithmeticError):
    """A pack computed an amount below zero: reported as the rule's error, never paid."""


_SIGNALS = {
    "Overflow": "a figure is too large to compute exactly",
    "DivisionByZero": "division by zero",
    "InvalidOperation": "an invalid arithmetic operation",
    "DivisionImpossible": "an invalid arithmetic operation",
}


def arithmetic_message(exc: ArithmeticError) -> str:
    """A rule's arithmetic error in words (decimal's own messages are class lists)."""
    for signal in type(exc).__mro__:
        if signal.__name__ in _SIGNALS and signal.__module__ == "decimal":
            return _SIGNALS[signal.__name__]
    return str(exc) or type(exc).__name__


def _text(expr: Optional[CompiledExpr]) -> Optional[str]:
    return None if expr is None else " ".join(expr.text.split())
