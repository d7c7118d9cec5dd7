"""One chunk of cases through a whole pack on columns: conditions, derived facts, outcomes and figures.

This is the evaluator's ``run_rules`` followed by its ``assemble``, on
columns: derived facts settle after their last setter, figures are computed
for the rules that fire, frequency limits and durations withhold, exclusions
withhold entitlements, and an entitlement that an undecided exclusion may
withhold is itself undecided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Optional

from policyrules.engine.evaluator import SUBJECT_OF, validity_on
from policyrules.engine.model import CompiledExpr, CompiledPack, CompiledRule
from policyrules.engine.money import money_step
from policyrules.expr import nodes as n
from policyrules.facts.case import EVENTS
from policyrules.facts.vocabulary import case_facts

from ._deps import need
from .columns import Col, ColumnCompiler, Context, Input, Unsupported, scaled
from .masks import NONE, Masks

STATES = ("not", "fired", "undetermined", "excluded", "withheld", "error", "not_in_force")
NOT, FIRED, UNDETERMINED, EXCLUDED, WITHHELD, ERROR, NOT_IN_FORCE = range(7)
STATUSES = ("met", "unmet", "unknown", "due", "overdue")  # an obligation that fires: is it already fulfilled?
OUTCOME_KINDS = ("entitlement", "obligation", "sanction")

# The figures of each kind of amount, as the scalar result gives them.
FIGURES: dict[str, tuple[str, ...]] = {
    "exact": ("value", "total"),
    "average": ("value", "total"),
    "formula": ("value", "total"),
    "minimum": ("value", "total"),
    "range": ("min", "max", "total_min", "total_max"),
    "cap": ("cap", "value", "total"),
    "share": ("base", "value", "total"),
    "no_figure": (),
}


FIXED_COLUMNS = ("row", "fallback", "errors")


def column_name(kind: str, name: str) -> str:
    """An output column: its kind (``state``, ``missing``, ``total``, ``derived``…), a dot, a rule id or derived fact.

    Kinds are single words and the fixed columns (``row``, ``fallback``,
    ``errors``) have no dot, so no rule id or fact name can make two columns
    share a name: ``state.row`` is rule ``row``'s state, ``total.a.value`` is
    rule ``a.value``'s total and never rule ``a``'s value.
    """
    return f"{kind}.{name}"


def figure_fields(rule: CompiledRule) -> tuple[str, ...]:
    a = rule.amount
    if a is None:
        return ()
    return _fields(a.kind, a.count is not None, a.actual is not None)


@lru_cache(maxsize=None)
def _fields(kind: str, counted: bool, actual: bool) -> tuple[str, ...]:
    # a kind of amount this module does not know: every figure column, filled by the scalar engine
    fields = FIGURES.get(kind, ("value", "min", "max", "cap", "base", "total", "total_min", "total_max"))
    if counted:
        fields = ("count", *fields)
    else:
        fields = tuple(f for f in fields if f not in ("total_min", "total_max"))
    if kind == "cap" and not actual:
        fields = tuple(f for f in fields if f not in ("value", "total"))
    return fields


@dataclass(frozen=True)
class Plan:
    """What is fixed for one pack on one date: the missing-fact dictionary and the parameters in force."""

    pack: CompiledPack
    as_of: date
    in_force: bool
    masks: Masks
    inputs: tuple[str, ...]  # the case facts the pack reads, in column order
    params: dict[str, tuple[int, int]]  # param.name -> (scaled value, scale), for those in force


def plan_for(pack: CompiledPack, as_of: date) -> Plan:
    facts = case_facts()
    reads = pack.inputs_of(list(pack.rules))
    # the dates of the events rules are decided at (and durations start from) are read per row too
    reads |= {EVENTS[e] for r in pack.rules if r.kind != "derive" for e in (r.event, r.duration_start) if e}
    inputs = tuple(sorted(p for p in reads if p in facts))
    params: dict[str, tuple[int, int]] = {}
    absent: list[str] = []
    for series in pack.parameters:
        value = series.as_of(as_of)
        if value is None:
            absent.append(f"param.{series.name}")
        else:
            params[f"param.{series.name}"] = scaled(value)
    # a derived fact can be missing as itself only when a setter may not fire
    derived = [
        f"derived.{name}"
        for name, setters in pack.setters.items()
        if any(not _always(pack.rule(rid).when) for rid in setters)
    ]
    names = _by_first_reader(pack, [*inputs, *sorted(derived), *sorted(absent)])
    return Plan(pack, as_of, validity_on(pack, as_of).in_force, Masks(names), inputs, params)


def _by_first_reader(pack: CompiledPack, names: list[str]) -> list[str]:
    """Names in the order rules first read them: a rule's facts share a 64-bit word of the mask where they can,
    so that its masks cost one word, not several (baotou: 8 rules of 78 span two words, against 29 in
    alphabetical order)."""
    first: dict[str, int] = {}
    for i, rule in enumerate(pack.rules):
        reads = pack.inputs_of([rule])
        if rule.kind != "derive":
            reads |= {EVENTS[e] for e in (rule.event, rule.duration_start) if e}
        for name in reads:
            first.setdefault(name, i)
    return sorted(names, key=lambda name: (first.get(name, len(pack.rules)), name))


def _always(expr: CompiledExpr) -> bool:
    return isinstance(expr.node, n.Literal) and expr.node.value is True


@dataclass
class ChunkOut:
    """Every output column of one chunk, as numpy arrays (figures as exact scaled integers)."""

    n: int
    state: dict[str, Any] = field(default_factory=dict)  # rule -> int8 codes (STATES)
    missing: dict[str, Any] = field(default_factory=dict)  # rule -> full mask
    status: dict[str, Any] = field(default_factory=dict)  # obligation -> int8 (STATUSES), -1 when not fired
    figures: dict[str, dict[str, Col]] = field(default_factory=dict)  # rule -> field -> Col (null where missing)
    amount_missing: dict[str, Any] = field(default_factory=dict)  # rule -> mask of facts the figure needs
    derived: dict[str, Optional[Col]] = field(default_factory=dict)
    durations: dict[str, Optional[Col]] = field(default_factory=dict)  # rule -> its duration's max (None: unset)
    periods: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # rule -> (period, until), -1 / NaT for null
    funding: dict[str, list[tuple[str, Any, Optional[Col]]]] = field(default_factory=dict)  # payer, share, amount
    fallback: Any = None  # rows to evaluate with the scalar engine
    reasons: dict[str, int] = field(default_factory=dict)


def evaluate_chunk(plan: Plan, inputs: dict[str, Input], n_rows: int) -> ChunkOut:
    np = need("numpy")
    pack, masks = plan.pack, plan.masks
    ctx = Context(masks, inputs, n_rows, plan.as_of)
    for name, (value, scale) in plan.params.items():
        ctx.env[name] = Col("num", value, NONE, scale)
    cc = ColumnCompiler(ctx)

    ndarray = np.ndarray

    def rows(x: Any) -> Any:
        if x.__class__ is ndarray and x.dtype == bool and x.shape == (n_rows,):
            return x  # the common case, without numpy's broadcasting machinery
        return np.broadcast_to(np.asarray(x, dtype=bool), (n_rows,))

    conds: dict[str, Col] = {}
    candidates: dict[str, list[tuple[str, Any, Col]]] = {}
    for rule in pack.rules:
        c = cc.emit(rule.when.node)
        conds[rule.id] = c
        if rule.kind == "derive":
            assert rule.derive_value is not None and rule.derive_fact is not None
            v = cc.emit(rule.derive_value.node)
            known = rows(masks.known(c.miss))
            true = known & rows(c.val)
            miss = masks.where(true, v.miss, c.miss, n_rows)
            candidates.setdefault(rule.derive_fact, []).append(
                (rule.id, true | ~known, Col(v.kind, v.val, miss, v.scale, v.vocab))
            )
        for name in rule.resolves:
            settled = _settle(cc, plan, name, candidates.get(name, []), rows)
            if settled is not None:
                ctx.env[f"derived.{name}"] = settled

    out = ChunkOut(n_rows)
    gates: dict[tuple[str, str], tuple[Any, Any]] = {}
    gated: dict[str, Any] = {}
    closed: dict[str, Any] = {}  # rule -> rows where a child's plan supersedes it (see _gated)
    app_date = inputs.get("application.date")  # absent: every application is made on as_of
    for rule in pack.rules:
        c = conds[rule.id]
        known = rows(masks.known(c.miss))
        true = known & rows(c.val)
        # NOT 0, FIRED 1, UNDETERMINED 2; a mask is zero exactly where the value is known
        state = true.view(np.int8) + (~known).view(np.int8) * np.int8(2)
        miss = c.miss
        if rule.kind != "derive":
            # Each rule is decided at its event: a document not in force on the event's date gives
            # nothing; an event without a date leaves the rule undecided unless its condition is false.
            key = (rule.pack_id, rule.event)
            if key not in gates:
                gates[key] = _gate(np, plan, inputs, rule, n_rows)
            outside, undated = gates[key]
            if undated is not None:
                unsure = undated & (state != NOT)
                state[unsure] = UNDETERMINED
                miss = masks.where(unsure, masks.union((miss, masks.bit(EVENTS[rule.event]))), miss, n_rows)
            if outside is not None:
                state[outside] = NOT_IN_FORCE
                miss = masks.where(outside, NONE, miss, n_rows)
            gated[rule.id] = _either(outside, undated)
        if rule.kind in OUTCOME_KINDS:
            miss = _gates(cc, rule, state, miss, rows)
            fields = figure_fields(rule)
            total: Optional[Col] = None
            if fields or rule.amount is not None:
                out.figures[rule.id], out.amount_missing[rule.id], total = _figures(cc, rule)
                ctx.flag(
                    (state == FIRED) & _no_figure(cc, out.figures[rule.id]), "an inverted range or a negative amount"
                )
            if rule.outcome is not None and rule.outcome.duration is not None:
                out.durations[rule.id] = None if rule.duration_max is None else cc.emit(rule.duration_max.node)
            if rule.outcome is not None and rule.outcome.funding:
                out.funding[rule.id] = _funding(cc, rule, total)
            if rule.kind == "obligation":
                status = np.full(n_rows, STATUSES.index("unknown"), dtype=np.int8)
                if rule.met_when is not None:
                    met = cc.emit(rule.met_when.node)
                    mk = rows(masks.known(met.miss))
                    unmet = STATUSES.index("unmet")
                    if rule.outcome is not None and rule.outcome.deadline is not None:
                        unmet = STATUSES.index("overdue" if plan.as_of > rule.outcome.deadline else "due")
                    status = np.where(mk, np.where(rows(met.val), 0, unmet), status).astype(np.int8)
                out.status[rule.id] = status
        if rule.duration_start is not None and rule.outcome is not None and rule.outcome.duration is not None:
            out.periods[rule.id] = _period(cc, rule, state, out.durations.get(rule.id))
        if rule.superseded_by:
            # A rule a child pack overrides gives nothing where the overriding rule's plan is in force on the
            # event's date (the evaluator's "superseded").
            date_col = app_date if rule.event == "application" else inputs.get(EVENTS[rule.event])
            inside = np.zeros(n_rows, dtype=bool)
            for rid in rule.superseded_by:
                inside |= _inside(np, date_col, plan.as_of, pack.windows[pack.rule(rid).pack_id], n_rows)
            miss = _gated(cc, inputs, rule, state, miss, inside, closed)
        out.state[rule.id] = state
        out.missing[rule.id] = miss
    for rid, rows_closed in closed.items():
        gated[rid] = _either(gated.get(rid), rows_closed)
    _exclusions(pack, out, conds, gated, masks, rows, n_rows)
    for rid, status in out.status.items():
        out.status[rid] = np.where(out.state[rid] == FIRED, status, -1).astype(np.int8)
    for name in pack.derived:
        out.derived[name] = ctx.env.get(f"derived.{name}")
    out.fallback = ctx.fallback
    out.reasons = dict(ctx.reasons)
    return out


def _gate(np: Any, plan: Plan, inputs: dict[str, Input], rule: CompiledRule, n_rows: int) -> tuple[Any, Any]:
    """(rows whose event falls outside the document's validity, rows without the event's date); None for no row.

    An application without a date is made on as_of (the scalar engine's default);
    any other event without a date is unknown.
    """
    start, end = plan.pack.windows[rule.pack_id]
    column = inputs.get(EVENTS[rule.event])
    application = rule.event == "application"

    def outside(day: Any) -> Any:
        out = day < np.datetime64(start, "D")
        return out | (day > np.datetime64(end, "D")) if end is not None else out

    if column is None:
        if application:
            return (np.ones(n_rows, dtype=bool) if outside(np.datetime64(plan.as_of, "D")) else None), None
        return None, np.ones(n_rows, dtype=bool)
    out = outside(column.values)
    undated = None
    if column.null is not None:
        if application:
            out = np.where(column.null, bool(outside(np.datetime64(plan.as_of, "D"))), out)
        else:
            out = out & ~column.null
            undated = column.null if column.null.any() else None
    return (out if out.any() else None), undated


def _inside(np: Any, column: Any, as_of: date, window: tuple[Any, Any], n_rows: int) -> Any:
    """Rows whose date (as_of where the column is absent or the cell null) falls inside a document's validity."""
    start, end = window
    default = start <= as_of and (end is None or as_of <= end)
    if column is None:
        return np.full(n_rows, default, dtype=bool)
    out = column.values >= np.datetime64(start, "D")
    if end is not None:
        out = out & (column.values <= np.datetime64(end, "D"))
    return out if column.null is None else np.where(column.null, default, out)


def _gated(
    cc: ColumnCompiler,
    inputs: dict[str, Input],
    rule: CompiledRule,
    state: Any,
    miss: Any,
    gated: Any,
    closed: dict[str, Any],
) -> Any:
    """Rows where the evaluator's gate closes a rule (its plan not in force, or superseded, on the event's date).

    They give nothing; a rule left undecided there stays undecided unless the case concerns it, as the scalar
    result lists it. ``closed`` collects the rows, so that an exclusion closed there holds no entitlement.
    """
    np, n_rows = cc.np, cc.ctx.n
    gated = gated & (state != NOT)
    closed[rule.id] = closed.get(rule.id, False) | gated
    quiet = gated & ((state != UNDETERMINED) | _concerned(np, inputs, rule.concerns, n_rows))
    state[quiet] = NOT
    return cc.masks.where(quiet, NONE, miss, n_rows)


def _concerned(np: Any, inputs: dict[str, Input], concerns: frozenset[str], n_rows: int) -> Any:
    """Rows whose case holds every subject a rule concerns: a fact given under it (the evaluator's ``_subjects``)."""
    out = np.ones(n_rows, dtype=bool)
    for subject in concerns:
        has = np.zeros(n_rows, dtype=bool)
        for path, column in inputs.items():
            if subject in SUBJECT_OF.get(path.split(".", 1)[0], ()):
                given = ~_null(np, column, n_rows)
                if column.defaulted is not None:  # a defaulted fact is not one the case gives (as the evaluator)
                    given &= ~column.defaulted
                has |= given
        out &= has
    return out


def _null(np: Any, column: Any, n_rows: int) -> Any:
    return np.zeros(n_rows, dtype=bool) if column.null is None else column.null


def _either(a: Any, b: Any) -> Any:
    if a is None:
        return b
    return a if b is None else a | b


def _settle(cc: ColumnCompiler, plan: Plan, name: str, cands: list[tuple[str, Any, Col]], rows: Any) -> Optional[Col]:
    """A derived fact from its setters' candidates (None: no setter in the pack, the fact stays absent)."""
    np, masks, n_rows = cc.np, cc.masks, cc.ctx.n
    if not cands:
        return None
    path = f"derived.{name}"
    absent = masks.bit(path) if path in masks.index else NONE
    values, scale, vocab = cc._align([c for _, _, c in cands])
    kind = next((c.kind for _, _, c in cands if c.kind != "missing"), "missing")
    any_present = np.zeros(n_rows, dtype=bool)
    val: Any = values[0]
    for (_, present, _), v in reversed(list(zip(cands, values))):
        val = np.where(present, v, val)
        any_present |= present
    if len(cands) == 1 or name in plan.pack.has_precedence:
        miss: Any = masks.where(~any_present, absent, NONE, n_rows)
        for _, present, c in reversed(cands):
            miss = masks.where(present, c.miss, miss, n_rows)
        return Col(kind, val, miss, scale, vocab)
    unknown_any = np.zeros(n_rows, dtype=bool)
    unknown_miss: Any = NONE
    for _, present, c in cands:
        unknown = present & rows(~rows(masks.known(c.miss)))
        unknown_any |= unknown
        unknown_miss = masks.union((unknown_miss, masks.where(unknown, c.miss, NONE, n_rows)))
    differ = np.zeros(n_rows, dtype=bool)
    for (_, present, _), v in zip(cands, values):
        differ |= present & (v != val)
    cc.ctx.flag(differ & ~unknown_any, "conflicting values of a derived fact")
    miss = masks.where(unknown_any, unknown_miss, masks.where(any_present, NONE, absent, n_rows), n_rows)
    return Col(kind, val, miss, scale, vocab)


def _gates(cc: ColumnCompiler, rule: CompiledRule, state: Any, miss: Any, rows: Any) -> Any:
    """Frequency limits and durations: withheld when what was used is known and used up."""
    masks, np = cc.masks, cc.np
    outcome = rule.outcome
    assert outcome is not None
    checks: list[tuple[Optional[CompiledExpr], Optional[Any]]] = []
    if outcome.limit is not None:
        checks.append((rule.limit_used, Col("num", outcome.limit.max, NONE, 0)))
    if outcome.duration is not None:
        checks.append((rule.duration_used, None))
    for used_expr, limit in checks:
        if used_expr is None:
            continue
        used = cc.emit(used_expr.node)
        active = state == FIRED
        # An unknown count leaves the outcome granted, its figure given and the count named missing.
        gate = active & ~rows(masks.known(used.miss))
        if limit is None:
            if rule.duration_max is None:
                continue
            limit = cc.emit(rule.duration_max.node)
        (u, m), _, _ = cc._align([used, limit])
        over = active & ~gate & rows(masks.known(limit.miss)) & rows(np.greater_equal(u, m))
        state[over] = WITHHELD
    return miss


def _period(cc: ColumnCompiler, rule: CompiledRule, state: Any, dmax: Optional[Col]) -> tuple[Any, Any]:
    """A duration counted from an event, as the evaluator's ``_duration``: the period as_of falls in (from 1; -1
    before the start or without its date) and the last day covered (NaT when the start or a whole maximum is
    missing), on the rows where the rule fires. Rows where the duration has ended (as_of past the last day) are
    the scalar engine's: it withholds the outcome there."""
    np, masks, n_rows, as_of = cc.np, cc.masks, cc.ctx.n, cc.ctx.as_of
    assert rule.outcome is not None and rule.outcome.duration is not None and rule.duration_start is not None
    unit = rule.outcome.duration.unit
    start = cc.name(n.Name(EVENTS[rule.duration_start], 0, 0))
    fired = state == FIRED
    dated = fired & np.broadcast_to(np.asarray(masks.known(start.miss), dtype=bool), (n_rows,))
    if start.kind != "date" or not dated.any():
        return np.full(n_rows, -1), np.full(n_rows, np.datetime64("NaT"), dtype="datetime64[D]")
    day = np.broadcast_to(np.asarray(start.val, dtype="datetime64[D]"), (n_rows,))
    today = np.datetime64(as_of, "D")
    year = day.astype("datetime64[Y]").astype(np.int64) + 1970
    month = day.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dom = (day - day.astype("datetime64[M]")).astype(np.int64) + 1
    if unit == "day":
        elapsed = (today - day).astype(np.int64)
    else:
        months = (as_of.year - year) * 12 + (as_of.month - month) - (as_of.day < dom)
        elapsed = months // 12 if unit == "year" else months
    begun = dated & (day <= today)
    period = np.where(begun, elapsed + 1, -1)
    until = np.full(n_rows, np.datetime64("NaT"), dtype="datetime64[D]")
    if dmax is not None and dmax.kind == "num":
        known = dated & np.broadcast_to(np.asarray(masks.known(dmax.miss), dtype=bool), (n_rows,))
        value = np.broadcast_to(np.asarray(dmax.val, dtype=np.int64), (n_rows,))
        unit_of = 10**dmax.scale
        if unit == "year":  # whole years, or whole months of a year (1.5 years is 18 months)
            known &= (value * 12) % unit_of == 0
            steps, per = (value * 12) // unit_of, "month"
        else:
            known &= value % unit_of == 0
            steps, per = value // unit_of, unit
        steps = np.where(known, steps, 0)
        if per == "day":
            last = day + steps.astype("timedelta64[D]")
        else:
            # add_months: the same day of the target month, or the first of the next when that month is shorter
            first = (day.astype("datetime64[M]") + steps.astype("timedelta64[M]")).astype("datetime64[D]")
            following = (day.astype("datetime64[M]") + (steps + 1).astype("timedelta64[M]")).astype("datetime64[D]")
            length = (following - first).astype(np.int64)
            last = np.where(dom <= length, first + (dom - 1).astype("timedelta64[D]"), following)
        until = np.where(known, last - np.timedelta64(1, "D"), until)
        cc.ctx.flag(known & (today > until), "a duration that has ended")
    return period, until


def _funding(cc: ColumnCompiler, rule: CompiledRule, total: Optional[Col]) -> list[tuple[str, Any, Optional[Col]]]:
    """Each payer's share of the total, rounded half up to the currency's step as the scalar engine rounds it."""
    assert rule.outcome is not None and rule.amount is not None or total is None
    step = money_step(rule.amount.unit) if rule.amount is not None else None
    out: list[tuple[str, Any, Optional[Col]]] = []
    for f in rule.outcome.funding:  # type: ignore[union-attr]
        amount = None
        if total is not None:
            rate, rate_scale = scaled(f.share)
            amount = Col("num", cc.ctx.mul(total.val, rate), total.miss, total.scale + rate_scale)
            if step is not None and amount.scale > (places := -int(step.as_tuple().exponent)):
                unit = 10 ** (amount.scale - places)
                np = cc.np
                v = np.asarray(amount.val, dtype=np.int64)
                rounded = np.sign(v) * ((np.abs(v) + unit // 2) // unit)
                amount = Col("num", rounded, amount.miss, places)
        out.append((f.payer, f.share, amount))
    return out


def _figures(cc: ColumnCompiler, rule: CompiledRule) -> tuple[dict[str, Col], Any, Optional[Col]]:
    """The figures of a rule's amount on every row (used where it fires) and the facts they lack."""
    a = rule.amount
    assert a is not None
    masks, ctx = cc.masks, cc.ctx

    def emit(expr: Optional[CompiledExpr]) -> Optional[Col]:
        return None if expr is None else cc.emit(expr.node)

    out: dict[str, Col] = {}
    used: list[Col] = []
    if a.kind not in FIGURES:
        raise Unsupported(f"amount kind {a.kind}")
    count = emit(a.count)
    if count is not None:
        out["count"] = count
        used.append(count)
    value: Optional[Col] = None
    if a.kind in ("exact", "average", "formula", "minimum"):
        value = emit(a.value)
    elif a.kind == "range":
        out["min"], out["max"] = emit(a.min), emit(a.max)  # type: ignore[assignment]
        used += [out["min"], out["max"]]
    elif a.kind == "cap":
        out["cap"] = emit(a.cap)  # type: ignore[assignment]
        used.append(out["cap"])
        actual = emit(a.actual)
        if actual is not None:
            used.append(actual)
            (x, y), sc, _ = cc._align([actual, out["cap"]])
            value = Col("num", cc.np.minimum(x, y), masks.union((actual.miss, out["cap"].miss)), sc)
    elif a.kind == "share":
        base = emit(a.base)
        if base is not None:
            out["base"] = base
            used.append(base)
            if a.rate is not None:
                rv, rs = scaled(a.rate)
                value = Col("num", ctx.mul(base.val, rv), base.miss, base.scale + rs)
    if a.kind in ("exact", "average", "formula", "minimum") and value is not None:
        used.append(value)
    if value is not None:
        out["value"] = value
    if a.kind == "range":
        if count is not None:
            for f in ("min", "max"):
                x = out[f]
                out[f"total_{f}"] = Col(
                    "num", ctx.mul(x.val, count.val), masks.union((x.miss, count.miss)), x.scale + count.scale
                )
    elif value is not None:
        if count is not None:
            out["total"] = Col(
                "num", ctx.mul(value.val, count.val), masks.union((value.miss, count.miss)), value.scale + count.scale
            )
        elif a.count is None:
            out["total"] = value
    missing = masks.union(c.miss for c in used)
    fields = figure_fields(rule)
    return {f: out[f] for f in fields if f in out}, missing, out.get("total")


def _no_figure(cc: ColumnCompiler, figures: dict[str, Col]) -> Any:
    """Rows where the scalar engine gives the rule's error instead of figures: a computed range whose minimum
    exceeds its maximum, or a figure below zero. Compared before rounding to the fen, so a row is sent there
    whenever its rounded figures might be."""
    np, masks, n_rows = cc.np, cc.masks, cc.ctx.n

    def known(*cols: Col) -> Any:
        return np.broadcast_to(np.asarray(masks.known(masks.union(c.miss for c in cols)), dtype=bool), (n_rows,))

    bad = np.zeros(n_rows, dtype=bool)
    low, high = figures.get("min"), figures.get("max")
    if low is not None and high is not None:
        (lo, hi), _, _ = cc._align([low, high])
        bad |= known(low, high) & np.broadcast_to(np.greater(lo, hi), (n_rows,))
    for name in ("value", "min", "max", "cap", "total", "total_min", "total_max"):
        col = figures.get(name)
        if col is not None and col.kind == "num":
            bad |= known(col) & np.broadcast_to(np.less(col.val, 0), (n_rows,))
    return bad


def _exclusions(
    pack: CompiledPack,
    out: ChunkOut,
    conds: dict[str, Col],
    gated: dict[str, Any],
    masks: Masks,
    rows: Any,
    n_rows: int,
) -> None:
    """Exclusion rules and mutually exclusive entitlements withhold; undecided exclusions hold entitlements.

    An exclusion not decided at its event (not in force, or the event's date missing) does neither.
    """
    np = masks.np
    excluded_by: dict[str, Any] = {}
    pending: dict[str, tuple[Any, Any]] = {}
    withheld: dict[str, list[tuple[str, Any]]] = {}
    for rule in pack.rules:
        state = out.state[rule.id]
        if rule.kind == "exclusion":
            t = rule.excluded_topic
            assert t is not None
            excluded_by[t] = excluded_by.get(t, False) | (state == FIRED)
            undecided = state == UNDETERMINED
            if gated.get(rule.id) is not None:
                undecided = undecided & ~gated[rule.id]
            any_u, miss = pending.get(t, (np.zeros(n_rows, dtype=bool), NONE))
            pending[t] = (
                any_u | undecided,
                masks.union((miss, masks.where(undecided, conds[rule.id].miss, NONE, n_rows))),
            )
        elif rule.kind in OUTCOME_KINDS:
            withheld.setdefault(rule.topic, []).append((rule.id, state == WITHHELD))
    ents = [r for r in pack.rules if r.kind == "entitlement"]
    fired = {r.id: out.state[r.id] == FIRED for r in ents}
    for e in ents:
        blocked: Any = excluded_by.get(e.topic, False)
        for rid, w in withheld.get(e.topic, []):
            if rid != e.id:
                blocked = blocked | w
        for e2 in ents:
            if e2.id != e.id and e2.outcome is not None and e.topic in e2.outcome.excludes:
                blocked = blocked | fired[e2.id]
        if blocked is not False:
            out.state[e.id][fired[e.id] & rows(blocked)] = EXCLUDED
    for e in ents:
        if e.topic in pending:
            any_u, miss = pending[e.topic]
            hold = (out.state[e.id] == FIRED) & any_u
            out.state[e.id][hold] = UNDETERMINED
            out.missing[e.id] = masks.where(hold, miss, out.missing[e.id], n_rows)
