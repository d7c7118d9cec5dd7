"""One case through the scalar engine, projected onto the batch's output row.

This projection is the specification of every output column: rows the column
path cannot decide exactly are evaluated here, and the differential test
checks that the column path gives, for every other row, exactly this.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, localcontext
from typing import Any, Optional

from policyrules.engine.evaluator import assemble, facts_env, run_rules, validity_on
from policyrules.engine.model import CompiledPack, CompiledRule
from policyrules.engine.result import AmountOut
from policyrules.expr import Unknown
from policyrules.facts.case import EVENTS

from .outcomes import OUTCOME_KINDS, STATES, Plan, column_name, figure_fields

SCALE = 8  # figures are written as decimal128(38, 8)
DERIVED_SCALE = 16  # derived numbers as decimal128(38, 16): not rounded, they carry an input's places times a rate's

_STATE = {i: s for i, s in enumerate(STATES)}


def representable(value: Decimal, scale: int = SCALE) -> bool:
    """Exactly a decimal128(38, scale) value."""
    with localcontext() as ctx:
        ctx.prec = 80  # wide enough that quantizing never rounds what it checks
        return (
            value.is_finite()
            and value == value.quantize(Decimal(1).scaleb(-scale))
            and abs(value) < Decimal(10) ** (38 - scale)
        )


def _plain(value: Decimal) -> str:
    # The same number read from a column (80000.00000000) and from a case (80000) is written the same way.
    return format(value.normalize(), "f")


def scalar_row(plan: Plan, facts: dict[str, Any]) -> dict[str, Any]:
    """The output columns of one case (rule states, missing masks, figures, derived facts, errors)."""
    pack = plan.pack
    out: dict[str, Any] = {}
    errors: list[str] = []
    run = run_rules(pack, facts_env(pack, facts, plan.as_of))
    result = assemble(pack, plan.as_of, validity_on(pack, plan.as_of), run)
    state: dict[str, str] = {}
    missing: dict[str, frozenset[str]] = {}
    for rule in pack.rules:
        cond = run.conditions[rule.id]
        if cond is True:
            state[rule.id] = "fired" if rule.kind in ("derive", "exclusion") else "error"  # outcome rules: below
        elif cond.__class__ is Unknown:
            state[rule.id] = "undetermined" if cond.missing else "error"
            missing[rule.id] = cond.missing
        else:
            state[rule.id] = "not"
    amounts: dict[str, AmountOut | None] = {}
    statuses: dict[str, str | None] = {}
    outcomes = {}
    for o in [*result.entitlements, *result.obligations, *result.sanctions]:
        state[o.rule] = "fired"
        outcomes[o.rule] = o
        amounts[o.rule] = o.amount
        statuses[o.rule] = o.status
    for x in result.exclusions:
        if x.reason in ("limit_reached", "duration_exhausted"):
            state[x.rule] = "withheld"
        for rid in x.withheld:
            if not (rid == x.rule and x.reason in ("limit_reached", "duration_exhausted")):
                state[rid] = "excluded"
    for rule in pack.rules:  # a rule whose document is not in force at its event: whether listed or not
        if rule.kind != "derive" and _outside(pack, rule, run.env):
            state[rule.id] = "not_in_force"
            missing.pop(rule.id, None)
    for g in result.not_granted:
        state[g.rule] = "not_in_force" if g.reason == "not_in_force" else "not"
    for u in (*result.undetermined, *result.undetermined_elsewhere):
        state[u.rule] = "undetermined"
        missing[u.rule] = frozenset(u.missing)
    for e in result.errors:
        state[e.rule] = "error"
        errors.append(f"{e.rule}: {e.message}")
    for c in result.conflicts:
        errors.append(f"derived.{c.fact}: rules {', '.join(c.rules)} disagree ({', '.join(c.values)})")
    for rule in pack.rules:
        rid = rule.id
        out[column_name("state", rid)] = state[rid]
        out[column_name("missing", rid)] = mask_value(
            plan, missing.get(rid, frozenset()) if state[rid] == "undetermined" else ()
        )
        if rule.kind == "obligation":
            out[column_name("status", rid)] = statuses.get(rid) if state[rid] == "fired" else None
        if rule.kind in OUTCOME_KINDS and rule.amount is not None:
            amount = amounts.get(rid) if state[rid] == "fired" else None
            for f in figure_fields(rule):
                value = getattr(amount, f) if amount is not None else None
                if value is not None and not representable(Decimal(value)):
                    errors.append(f"{rid}: {f} {_plain(Decimal(value))} has more than {SCALE} decimal places")
                    value = None
                out[column_name(f, rid)] = None if value is None else Decimal(value)
            out[column_name("amount_missing", rid)] = mask_value(plan, amount.missing if amount is not None else ())
        outcome = outcomes.get(rid) if state[rid] == "fired" else None
        if rule.kind in OUTCOME_KINDS and rule.outcome is not None and rule.outcome.duration is not None:
            duration = outcome.duration if outcome is not None else None
            out[column_name("duration", rid)] = _exact(duration.max if duration else None, f"{rid}: duration", errors)
            if rule.duration_start is not None:
                out[column_name("period", rid)] = duration.period if duration else None
                out[column_name("until", rid)] = duration.until if duration else None
        if rule.kind in OUTCOME_KINDS and rule.outcome is not None and rule.outcome.funding:
            out[column_name("funding", rid)] = (
                None
                if outcome is None
                else [
                    {
                        "payer": f.payer,
                        "share": Decimal(f.share),
                        "amount": _exact(f.amount, f"{rid}: funding of {f.payer}", errors),
                    }
                    for f in outcome.funding
                ]
            )
    for name in pack.derived:
        value = run.env.get(f"derived.{name}")
        if value is None or value.__class__ is Unknown:
            value = None
        elif pack.derived[name].type == "number":
            value = Decimal(value)
            if not representable(value, DERIVED_SCALE):
                errors.append(
                    f"derived.{name}: {_plain(value)} has more than {DERIVED_SCALE} decimal places"
                    f" or {38 - DERIVED_SCALE} whole digits"
                )
                value = None
        out[column_name("derived", name)] = value
    out["errors"] = errors or None
    return out


def _exact(value: Any, what: str, errors: list[str]) -> Optional[Decimal]:
    """A figure as the output holds it, or None (with an error) when it has more places than the output."""
    if value is None:
        return None
    if not representable(Decimal(value)):
        errors.append(f"{what} {value} has more than {SCALE} decimal places")
        return None
    return Decimal(value)


def _outside(pack: CompiledPack, rule: CompiledRule, env: dict[str, Any]) -> bool:
    """The rule's event has a date, outside the validity of the document that defines the rule."""
    day = env.get(EVENTS[rule.event])
    if not isinstance(day, date):
        return False
    start, end = pack.windows[rule.pack_id]
    return day < start or (end is not None and day > end)


def mask_value(plan: Plan, names: Any) -> Any:
    """A set of fact names as the mask column holds it: an int, or the little-endian bytes of its words."""
    value = plan.masks.encode(names)
    if plan.masks.words == 1:
        return value
    return value.to_bytes(8 * plan.masks.words, "little")
