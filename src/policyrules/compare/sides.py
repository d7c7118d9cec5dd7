"""One side of a behavioural diff on columns: a pack over a chunk of cases, and each topic's answer per case.

A topic's answer on a case is an id into a table of answers both sides
share (so that equal answers of two packs have equal ids), or -1 where the
topic is undecided; beside it, per case, the facts that leave it undecided.
Cases go straight from the generator's value indices into the column
compiler's inputs (``policyrules.batch``): no Arrow table, no result table.
Rows the column path cannot decide exactly (and every row of a pack it
cannot compile) are answered by the scalar engine, case by case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Callable, Optional

from policyrules.engine.evaluator import SUBJECT_OF, evaluate_facts
from policyrules.engine.model import CompiledPack, CompiledRule
from policyrules.engine.result import AmountOut, Result
from policyrules.facts.vocabulary import case_facts

OUTCOMES = ("entitlement", "obligation", "sanction")
NOT_IN_FORCE = ("not in force",)
NOTHING = ("nothing",)


class Answers:
    """The answers seen so far, each with an id; both sides intern into one table."""

    def __init__(self) -> None:
        self.ids: dict[Any, int] = {}
        self.names: list[Any] = []

    def intern(self, signature: Any) -> int:
        if signature not in self.ids:
            self.ids[signature] = len(self.names)
            self.names.append(signature)
        return self.ids[signature]


@dataclass
class TopicAnswer:
    """One topic on one chunk: the answer id per case (-1: undecided) and, per case, what it lacks."""

    ids: Any
    miss: Any  # a batch mask (policyrules.batch.masks) over the side's fact names, zero where decided
    scalar: dict[int, list[str]] = field(default_factory=dict)  # rows decided case by case: what each lacks


def topic_rules(pack: CompiledPack, topic: str) -> list[CompiledRule]:
    """The rules that decide a topic: its own (but derivations), and the exclusions that withhold it."""
    return [
        r
        for r in pack.rules
        if r.kind != "derive" and (r.topic == topic or (r.kind == "exclusion" and r.excluded_topic == topic))
    ]


def figures_of(amount: Optional[AmountOut]) -> dict[str, Any]:
    if amount is None:
        return {}
    return {f: getattr(amount, f) for f in ("value", "min", "max", "cap", "count", "total")}


def amount_key(rule: CompiledRule, figures: dict[str, Any]) -> tuple[Any, ...]:
    a = rule.amount
    if a is None:
        return ()
    return (
        a.kind,
        a.unit,
        tuple(a.per),
        *(figures.get(f) for f in ("value", "min", "max", "cap", "count", "total")),
        a.reference is not None,
    )


def result_signature(pack: CompiledPack, result: Result, topic: str, rules: frozenset[str]) -> Any:
    """A topic's answer in a scalar result, as the column path gives it (None: undecided)."""
    if not result.validity.in_force:
        return NOT_IN_FORCE
    if any(u.rule in rules for u in result.undetermined):
        return None
    outs = [o for o in (*result.entitlements, *result.obligations, *result.sanctions) if o.topic == topic]
    if any(o.amount and o.amount.missing for o in outs):
        return None
    if not outs:
        return NOTHING
    return tuple(
        sorted((o.kind, o.to, amount_key(pack.rule(o.rule), figures_of(o.amount)), o.status or "") for o in outs)
    )


def result_missing(result: Result, topic: str, rules: frozenset[str]) -> list[str]:
    """The facts a scalar result lacks to decide a topic: its undecided rules', then its figures'."""
    missing = sorted({m for u in result.undetermined if u.rule in rules for m in u.missing})
    outs = [o for o in (*result.entitlements, *result.obligations, *result.sanctions) if o.topic == topic]
    return missing + sorted({m for o in outs if o.amount for m in o.amount.missing} - set(missing))


class PackSide:
    """One pack on one date, over chunks of cases, for the given topics."""

    def __init__(self, pack: CompiledPack, day: date, topics: list[str], answers: Answers) -> None:
        from policyrules.batch.outcomes import plan_for

        self.pack = pack
        self.day = day
        self.answers = answers
        self.plan = plan_for(pack, day)
        self.topics = {t: topic_rules(pack, t) for t in topics}
        self.ids = {t: frozenset(r.id for r in rules) for t, rules in self.topics.items()}
        excluded = {r.excluded_topic for r in pack.rules if r.kind == "exclusion"}
        # entitlements an undecided exclusion may hold: undecided then, whether or not the case concerns them
        self.holdable = {
            r.id for rules in self.topics.values() for r in rules if r.kind == "entitlement" and r.topic in excluded
        }

    def _away(self, out: Any, subjects: dict[str, Any], n: int) -> dict[str, Any]:
        """Per rule, the cases where it is undetermined but concerns a subject the case says nothing of.

        The scalar engine lists such a rule as undecided elsewhere, not as this case's question, and the
        topic is not undecided for it; the column path sees only that the rule is undetermined.
        """
        import numpy as np

        from policyrules.batch.outcomes import UNDETERMINED

        nowhere = np.ones(n, dtype=bool)  # a subject no case gives a fact about
        lacking = {s: ~has for s, has in subjects.items()}
        out_rows: dict[str, Any] = {}
        for rules in self.topics.values():
            for rule in rules:
                if rule.id in out_rows or not rule.concerns:
                    continue
                gone = np.zeros(n, dtype=bool)
                for subject in rule.concerns:
                    gone |= lacking.get(subject, nowhere)
                if gone.any():
                    gone &= out.state[rule.id] == UNDETERMINED
                    if gone.any():
                        out_rows[rule.id] = gone
        return out_rows

    def answer(
        self,
        inputs: dict[str, Any],
        n: int,
        scalar_rows: Any,
        subjects: dict[str, Any],
        facts_of: Callable[[int], dict[str, Any]],
    ) -> dict[str, TopicAnswer]:
        """Every topic's answer on a chunk of ``n`` cases.

        ``subjects``: per subject (person, unit, application, hire), the cases that give a fact about it;
        ``facts_of(i)``: case i's facts, for the scalar engine.
        """
        import numpy as np

        from policyrules.batch.columns import Unsupported
        from policyrules.batch.outcomes import evaluate_chunk
        from policyrules.batch.table import too_fine

        if not self.plan.in_force:
            gone = np.full(n, self.answers.intern(NOT_IN_FORCE), dtype=np.int64)
            return {t: TopicAnswer(gone, None) for t in self.topics}
        try:
            out = evaluate_chunk(self.plan, inputs, n)
        except Unsupported:
            out = None
        if out is None:
            fallback = np.ones(n, dtype=bool)
            topics = {t: TopicAnswer(np.full(n, -1, dtype=np.int64), None) for t in self.topics}
        else:
            fallback = out.fallback | scalar_rows | too_fine(self.plan, out)
            away = self._away(out, subjects, n)
            for rid in self.holdable:  # undecided elsewhere, or held by an undecided exclusion: case by case
                if rid in away:
                    fallback |= away[rid]
            topics = {t: self._topic(out, rules, n, away) for t, rules in self.topics.items()}
        rows = np.flatnonzero(fallback)
        for i in rows.tolist():
            result = evaluate_facts(self.pack, facts_of(i), self.day)
            undecided = {u.rule for u in result.undetermined}
            given = {o.topic for o in (*result.entitlements, *result.obligations, *result.sanctions)}
            for topic, ans in topics.items():
                if result.validity.in_force and topic not in given and self.ids[topic].isdisjoint(undecided):
                    signature: Any = NOTHING  # most topics of a case: read without going through the result again
                else:
                    signature = result_signature(self.pack, result, topic, self.ids[topic])
                ans.ids[i] = -1 if signature is None else self.answers.intern(signature)
                if signature is None:
                    ans.scalar[i] = result_missing(result, topic, self.ids[topic])
        if len(rows) and out is not None:
            kept = np.ones(n, dtype=bool)
            kept[rows] = False
            masks = self.plan.masks
            for ans in topics.values():
                ans.miss = masks.where(kept, ans.miss, None, n)
        return topics

    def _topic(self, out: Any, rules: list[CompiledRule], n: int, away: dict[str, Any]) -> TopicAnswer:
        import numpy as np

        from policyrules.batch.outcomes import FIRED, UNDETERMINED, figure_fields

        masks = self.plan.masks
        undecided = np.zeros(n, dtype=bool)
        any_fired = np.zeros(n, dtype=bool)
        miss: Any = None
        fired_rules = []
        for rule in rules:
            state = out.state[rule.id]
            u = state == UNDETERMINED
            if rule.id in away:
                u &= ~away[rule.id]
            if u.any():
                undecided |= u
                miss = masks.union((miss, masks.where(u, out.missing[rule.id], None, n)))
            if rule.kind not in OUTCOMES:
                continue
            fired = state == FIRED
            if not fired.any():
                continue
            any_fired |= fired
            fired_rules.append((rule, fired))
            lacking = out.amount_missing.get(rule.id)
            if lacking is not None:
                lacking = masks.where(fired, lacking, None, n)
                short = ~_rows(np, masks.known(lacking), n)
                if short.any():
                    undecided |= short
                    miss = masks.union((miss, lacking))
        ids = np.full(n, -1, dtype=np.int64)
        ids[~undecided] = self.answers.intern(NOTHING)
        some = np.flatnonzero(any_fired & ~undecided)  # only cases where something fires need telling apart
        if len(some):
            parts = []
            figures: list[_Fired] = []
            for rule, fired in fired_rules:
                on = fired[some]
                parts.append(on)
                cols = {}
                for f in figure_fields(rule):
                    col = out.figures.get(rule.id, {}).get(f)
                    if col is None:
                        continue
                    known = _rows(np, masks.known(col.miss), n)[some] & on
                    values = np.broadcast_to(np.asarray(col.val, dtype=np.int64), (n,))[some] * known
                    parts += [values, known]
                    cols[f] = (values, known, col.scale)
                status = out.status.get(rule.id)
                if status is not None:
                    status = status[some]
                    parts.append(status)
                figures.append((rule, on, cols, status))
            matrix = np.ascontiguousarray(np.stack([p.astype(np.int64) for p in parts], axis=1))
            keys = matrix.view(np.dtype((np.void, matrix.dtype.itemsize * matrix.shape[1]))).ravel()
            _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
            codes = [self.answers.intern(_signature(figures, int(i))) for i in first]
            ids[some] = np.array(codes, dtype=np.int64)[inverse.reshape(-1)]
        return TopicAnswer(ids, miss)


# a rule that fires somewhere: the rows it fires on, its figures (scaled values, known, scale), its status
_Fired = tuple[CompiledRule, Any, dict[str, tuple[Any, Any, int]], Any]


def _signature(figures: list[_Fired], i: int) -> Any:
    """The answer of row ``i`` (of the rows where something fires), from its exact scaled figures."""
    from policyrules.batch.outcomes import STATUSES

    outs = []
    for rule, on, cols, status in figures:
        if not on[i]:
            continue
        shown = {f: Decimal(int(v[i])).scaleb(-scale) if known[i] else None for f, (v, known, scale) in cols.items()}
        said = STATUSES[int(status[i])] if status is not None and status[i] >= 0 else ""
        outs.append((rule.kind, rule.outcome.to if rule.outcome else "", amount_key(rule, shown), said))
    return tuple(sorted(outs)) if outs else NOTHING


def _rows(np: Any, x: Any, n: int) -> Any:
    return np.broadcast_to(np.asarray(x, dtype=bool), (n,))


# ---- generated cases as the column compiler's inputs ----


def generated_columns(
    pools: dict[str, list[Any]], idx: dict[str, Any], day: date, relative: type
) -> tuple[dict[str, Any], Any]:
    """(every fact's column, rows beyond the exact range) for cases given as indices into pools (-1: not given).

    A date is drawn as days from ``day``, a calendar year (an instance of ``relative``) as years from
    its year, as the scalar engine reads the same case (:func:`policyrules.compare.behaviour._facts`).
    """
    import numpy as np

    from policyrules.batch.columns import LIMIT, Input
    from policyrules.batch.inputs import fact_specs

    specs = fact_specs()
    facts = case_facts()
    n = len(next(iter(idx.values()))) if idx else 0
    given: dict[str, Input] = {}
    wide = np.zeros(n, dtype=bool)
    epoch = date(1970, 1, 1)
    for path, pool in pools.items():
        # each table of values ends with one more entry: index -1 (the fact not given) reads it
        i = idx[path]
        null = i < 0
        nulls = null if null.any() else None
        kind = specs[path].kind
        if kind == "bool":
            given[path] = Input("bool", np.array([*pool, False], dtype=bool)[i], nulls)
        elif kind == "text":
            given[path] = Input("text", i.astype(np.int32), nulls, 0, list(pool))
        elif kind == "date":
            days = np.array([(day + timedelta(days=int(v)) - epoch).days for v in pool] + [0], dtype=np.int64)
            given[path] = Input("date", days[i].astype("datetime64[D]"), nulls)
        else:
            numbers = [Decimal(day.year + v) if isinstance(v, relative) else Decimal(v) for v in pool]
            scale = 0 if facts[path].integer else max([places(v) for v in numbers] or [0])
            table = [int(v.scaleb(scale)) for v in numbers]
            while scale and all(v % 10 == 0 for v in table):  # the least scale, as a table's column is read
                table = [v // 10 for v in table]
                scale -= 1
            beyond = np.array([abs(v) >= LIMIT for v in table] + [False])
            values = np.array([0 if abs(v) >= LIMIT else v for v in table] + [0], dtype=np.int64)
            wide |= beyond[i]
            given[path] = Input("num", values[i], nulls, scale)
    return given, wide


def subjects_of(given: dict[str, Any], n: int) -> dict[str, Any]:
    """Per subject (person, unit, application, hire), the cases that give some fact about it."""
    import numpy as np

    out: dict[str, Any] = {}
    for path, column in given.items():
        for subject in SUBJECT_OF.get(path.split(".", 1)[0], ()):
            has = np.ones(n, dtype=bool) if column.null is None else ~column.null
            out[subject] = out[subject] | has if subject in out else has
    return out


def side_inputs(wanted: tuple[str, ...], given: dict[str, Any], n: int) -> dict[str, Any]:
    """The columns a pack reads, with the facts the scalar engine fills in (a year from its date, a default)."""
    from policyrules.batch.inputs import complete_inputs

    chosen = set(wanted)
    inputs = {p: column for p, column in given.items() if p in chosen}
    complete_inputs(chosen, inputs, given, n)
    return inputs


def places(value: Any) -> int:
    exponent = Decimal(value).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0
