"""Behavioural diff: the concrete cases on which two packs give different answers, per topic.

Cases are generated over the facts either pack reads, with each fact drawn
from the values where some rule of either pack changes its mind (the
thresholds the texts print, one either side) plus a few ordinary values, and
5% of facts missing. Both packs are evaluated whole over every case at once,
on columns (``policyrules.batch``), and each topic's answer on each side is
one of: it gives something (with its figures), nothing, not in force, or
undecided (a fact the topic needs is missing). Every case falls in one of:

* both decide and agree;
* both decide and differ ("A pays X, B pays Y"): counted in ``differing``;
* one decides and the other cannot ("A decides, B cannot: missing …"):
  counted in ``a_only`` / ``b_only``, with the facts that most often leave the
  other side undecided;
* neither decides.

The first case of each kind of difference is shrunk to a minimal one: facts
are dropped while the same kind of difference shows, then each number a
condition compares is lowered as far as it can go (a count that bounds
another given count, such as staff for disabled employees, is kept, so the
example stays plausible).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Callable, Iterable, Optional

from pydantic import BaseModel, ConfigDict

from policyrules.check import analysis
from policyrules.engine.evaluator import evaluate_facts
from policyrules.engine.model import CompiledPack, CompiledRule
from policyrules.engine.result import AmountOut, Result
from policyrules.errors import DiffRequestError
from policyrules.facts.case import AT_MOST, EVENTS, ZERO_WHEN, Case
from policyrules.facts.vocabulary import case_facts, suggestions
from policyrules.types import DEFAULT_LANG, Lang

from .describe import validity_text

# Days before the evaluation date: either side of one and three years (满一年, 三年内), and recent.
DATE_OFFSETS = (-1096, -1095, -366, -365, -30)
# Calendar years (a graduation year) before the evaluation date's year: the years the dates above fall in
# (应届: graduating in the year of the hire), and either side of 5 years before them (毕业未满5年 at the hire).
YEAR_OFFSETS = (-9, -8, -7, -5, -4, -3, -2, -1, 0)


class RelativeYear(int):
    """A calendar year as years after the evaluation date's year, resolved on each side (generated cases)."""


def calendar_year(path: str) -> bool:
    """A fact holding a calendar year (2024), not a number of years: generated relative to the evaluation date."""
    info = case_facts()[path]
    return path.endswith((".year", "_year")) and info.integer and info.unit == "year"


# Ordinary values for numbers no condition compares with a literal: counts, and money (rent, wages).
NUMBERS = (0, 1, 3, 200)
MONEY = (1000, 2000)
MISSING_SHARE = 0.05
OUTCOMES = ("entitlement", "obligation", "sanction")
UNDECIDED = "undecided"


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SideOutcome(_Out):
    rule: str
    kind: str
    summary: str
    amount: Optional[str] = None
    status: Optional[str] = None  # obligations: met, unmet, unknown
    clause: str
    quote: str


class Side(_Out):
    pack: str
    as_of: date
    status: str  # "gives", "nothing", "excluded", "not in force", "undecided"
    outcomes: list[SideOutcome] = []
    exclusions: list[SideOutcome] = []
    missing: list[str] = []  # undecided: the facts the topic needs and the case lacks


class Counterexample(_Out):
    case: dict[str, Any]
    facts: int
    a: Side
    b: Side


class MissingCount(_Out):
    fact: str
    cases: int


class TopicBehaviour(_Out):
    topic: str
    differing: int  # both decide, and they differ
    compared: int  # cases considered
    agree: int = 0  # both decide, and they agree
    a_only: int = 0  # A decides, B cannot
    b_only: int = 0  # B decides, A cannot
    neither: int = 0  # neither decides
    a_missing: list[MissingCount] = []  # facts that most often leave A undecided
    b_missing: list[MissingCount] = []
    examples: list[
        Counterexample
    ] = []  # one per kind of difference (pays vs pays, pays vs nothing, pays vs undecided …)


class BehaviouralDiff(_Out):
    lang: Lang = DEFAULT_LANG  # the language of summaries and amounts (the packs')
    a: str
    b: str
    a_validity: str
    b_validity: str
    cases: int
    seed: Optional[int]  # None for a user's own cases
    topics: list[TopicBehaviour]

    def topic(self, name: str) -> Optional[TopicBehaviour]:
        return next((t for t in self.topics if t.topic == name), None)


def default_dates(a: CompiledPack, b: CompiledPack) -> tuple[date, date]:
    """One date both packs are in force, else a date within each pack's own validity."""
    start = max(a.valid_from, b.valid_from) + timedelta(days=30)
    ends = [d for d in (a.valid_until, b.valid_until) if d is not None]
    if not ends or start <= min(ends):
        return start, start
    return a.valid_from + timedelta(days=30), b.valid_from + timedelta(days=30)


def topic_rules(pack: CompiledPack, topic: str) -> list[CompiledRule]:
    """The rules that decide a topic: its own (but derivations), and the exclusions that withhold it."""
    return [
        r
        for r in pack.rules
        if r.kind != "derive" and (r.topic == topic or (r.kind == "exclusion" and r.excluded_topic == topic))
    ]


def sub_pack(pack: CompiledPack, topic: str) -> CompiledPack:
    """The rules that decide one topic (with the entitlements that exclude it) and the derive rules they read.

    A case's answer on the topic depends on nothing else, so the sub-pack gives the whole pack's answer.
    """
    rules = topic_rules(pack, topic) + [
        r for r in pack.rules if r.kind == "entitlement" and r.outcome is not None and topic in r.outcome.excludes
    ]
    needed = {r.id for r in rules} | {by for r in rules for by in r.superseded_by}
    for path in pack.inputs_of(rules):
        if path.startswith("derived."):
            needed.update(pack.setters.get(path[len("derived.") :], ()))
    kept = tuple(r for r in pack.rules if r.id in needed)
    return replace(pack, rules=kept, rule_index={r.id: r for r in kept})


def covered_topics(a: CompiledPack, b: CompiledPack) -> list[str]:
    return sorted({r.topic for p in (a, b) for r in p.rules if r.kind in OUTCOMES})


def diff_steps(a: CompiledPack, b: CompiledPack, topics: Optional[list[str]] = None) -> int:
    """How many steps :func:`behavioural_diff` reports to its ``progress``: two evaluations, then one per topic."""
    return 2 + len(topics if topics is not None else covered_topics(a, b))


def _thresholds(packs: list[CompiledPack]) -> dict[str, set[Any]]:
    return analysis.thresholds([rule.when.node for pack in packs for rule in pack.rules])


def _named(packs: list[CompiledPack]) -> dict[str, set[str]]:
    """For each text fact: the values some condition names (== or in [...])."""
    named: dict[str, set[str]] = {}
    for lit in (lit for pack in packs for rule in pack.rules for lit in analysis.atoms(rule.when.node)):
        values = lit.value if isinstance(lit.value, frozenset) else {lit.value}
        named.setdefault(lit.path, set()).update(v for v in values if isinstance(v, str))
    return named


def _pool(paths: Iterable[str], packs: list[CompiledPack]) -> dict[str, list[Any]]:
    from policyrules.batch.inputs import fact_specs

    facts = case_facts()
    specs = fact_specs()
    thresholds = _thresholds(packs)
    named = _named(packs)
    out: dict[str, list[Any]] = {}
    for path in paths:
        info = facts[path]
        t = info.type
        if t.kind == "bool":
            out[path] = [True, False]
        elif t.kind == "string":
            # The values conditions name, plus one they do not: every other value behaves alike.
            given = named.get(path, set())
            others = sorted(set(t.choices) - given) if t.choices else ["其他"]
            out[path] = sorted(given) + others[:1] if given else (sorted(t.choices) if t.choices else ["甲", "乙"])
        elif t.kind == "date":
            out[path] = list(DATE_OFFSETS)
        elif calendar_year(path):
            out[path] = [RelativeYear(k) for k in YEAR_OFFSETS]
        elif specs[path].choices is not None:  # a number from a fixed list (a disability grade): only those
            out[path] = sorted(specs[path].choices)
        else:
            money = bool(info.unit and "CNY" in info.unit)
            values = thresholds.get(path, set()) | set(MONEY if money else NUMBERS)
            if info.integer:
                values = {int(v) for v in values if v == int(v)}
            low, high = specs[path].low, specs[path].high  # within the fact's domain: every case is valid
            inside = sorted(v for v in values if v >= (low if low is not None else 0) and (high is None or v <= high))
            out[path] = inside or [low if low is not None else 0]
    return out


def _indices(
    paths: list[str], packs: list[CompiledPack], n: int, seed: str
) -> tuple[dict[str, list[Any]], dict[str, Any]]:
    """Per fact: its pool, and n indices into it (-1: the fact is not given). The same seed, the same cases."""
    import numpy as np

    rng = random.Random(seed)
    pools = _pool(paths, packs)
    missing = round(256 * MISSING_SHARE)
    out = {}
    for path in paths:
        # One random byte per case picks from a 256-entry table: missing MISSING_SHARE of the time, the values
        # evenly otherwise.
        size = len(pools[path])
        table = np.array([-1] * missing + [i * size // (256 - missing) for i in range(256 - missing)], dtype=np.int64)
        out[path] = table[np.frombuffer(rng.randbytes(n), dtype=np.uint8)]
    _within(pools, out)
    return pools, out


def _within(pools: dict[str, list[Any]], idx: dict[str, Any]) -> None:
    """Keep every generated case valid: a count that may not exceed another (disabled ≤ staff) is capped at it."""
    import numpy as np

    for small, large, _ in AT_MOST:  # generated: within the head count itself
        if small not in idx or large not in idx:
            continue
        sv = np.array(pools[small] + [0], dtype=object)[idx[small]]
        lv = np.array(pools[large] + [0], dtype=object)[idx[large]]
        over = (idx[small] >= 0) & (idx[large] >= 0) & (sv > lv)
        if over.any():
            merged = sorted(set(pools[small]) | set(pools[large]))
            where = {v: i for i, v in enumerate(merged)}
            remap = np.array([where[v] for v in pools[small]] + [-1], dtype=np.int64)
            pools[small] = merged
            new = remap[idx[small]]
            new[over] = np.array([where[v] for v in lv[over]], dtype=np.int64)
            idx[small] = new
    for count, choice, value in ZERO_WHEN:  # no dispatch, no dispatched workers: the count is left out
        if count not in idx or choice not in idx:
            continue
        cv = np.array(pools[choice] + [None], dtype=object)[idx[choice]]
        kv = np.array(pools[count] + [0], dtype=object)[idx[count]]
        clash = (idx[choice] >= 0) & (idx[count] >= 0) & (cv == value) & (kv > 0)
        if clash.any():
            idx[count] = np.where(clash, -1, idx[count])


def generate_columns(paths: list[str], packs: list[CompiledPack], n: int, seed: str) -> dict[str, list[Any]]:
    """n generated values per fact path (a case is one index across the columns; None: not given)."""
    pools, idx = _indices(paths, packs, n, seed)
    return {p: [None if i < 0 else pools[p][i] for i in idx[p].tolist()] for p in paths}


def generate_rows(paths: list[str], packs: list[CompiledPack], n: int, seed: str) -> Counter[tuple[Any, ...]]:
    """n generated cases over ``paths``, counted by distinct value tuple."""
    columns = generate_columns(paths, packs, n, seed)
    return Counter(zip(*(columns[p] for p in paths))) if paths else Counter({(): n})


def _table(pools: dict[str, list[Any]], idx: dict[str, Any], day: date) -> Any:
    """The generated cases as an Arrow table, dates counted from ``day``."""
    import numpy as np
    import pyarrow as pa

    facts = case_facts()
    arrays = {}
    for path, pool in pools.items():
        info = facts[path]
        kind = info.type.kind
        if kind == "date":
            values = pa.array([day + timedelta(days=v) for v in pool], type=pa.date32())
        elif pool and isinstance(pool[0], RelativeYear):
            values = pa.array([day.year + v for v in pool], type=pa.int64())
        elif kind == "number" and not info.integer:
            values = pa.array(
                [Decimal(v) for v in pool], type=pa.decimal128(38, max(_places(v) for v in pool) if pool else 0)
            )
        elif kind == "number":
            values = pa.array(pool, type=pa.int64())
        elif kind == "bool":
            values = pa.array(pool, type=pa.bool_())
        else:
            values = pa.array(pool, type=pa.string())
        i = idx[path]
        arrays[path] = values.take(pa.array(np.where(i < 0, 0, i), mask=i < 0))
    if not arrays:
        return None
    return pa.table(arrays)


def _resolved(kind: str, value: Any, day: date) -> Any:
    if kind == "date" and isinstance(value, int):
        return day + timedelta(days=value)
    if isinstance(value, RelativeYear):
        return day.year + value
    return value


def _places(value: Any) -> int:
    exponent = Decimal(value).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _rows_table(rows: list[dict[str, Any]], paths: list[str], day: date) -> Any:
    """Cases given as flat facts as an Arrow table over ``paths``, dates and years relative to ``day`` resolved."""
    import pyarrow as pa

    facts = case_facts()
    arrays = {}
    for path in paths:
        info = facts[path]
        values = [_resolved(info.type.kind, r.get(path), day) for r in rows]
        if info.type.kind == "number" and not info.integer:
            places = max([_places(v) for v in values if v is not None] or [0])
            arrays[path] = pa.array([None if v is None else Decimal(v) for v in values], type=pa.decimal128(38, places))
        elif info.type.kind == "number":
            arrays[path] = pa.array(values, type=pa.int64())
        elif info.type.kind == "date":
            arrays[path] = pa.array(values, type=pa.date32())
        elif info.type.kind == "bool":
            arrays[path] = pa.array(values, type=pa.bool_())
        else:
            arrays[path] = pa.array(values, type=pa.string())
    return pa.table(arrays) if arrays else pa.table({"unit.staff": pa.nulls(len(rows), pa.int64())})


# ---- one side's answer per topic, on columns ----


class _Sides:
    """Both packs evaluated whole on every case; per topic, each side's answer as an id per case."""

    def __init__(
        self,
        packs: tuple[CompiledPack, CompiledPack],
        tables: tuple[Any, Any],
        days: tuple[date, date],
        step: Callable[[int], None],
    ) -> None:
        from policyrules.batch import evaluate, missing_names

        self.packs = packs
        self.days = days
        self.results = []
        for p, t, d in zip(packs, tables, days):
            self.results.append(evaluate(p, t, d).table)
            step(1)
        self.missing_names = [missing_names(r.schema) for r in self.results]
        self.in_force = [r.schema.metadata[b"policyrules.in_force"] == b"true" for r in self.results]
        self.signatures: dict[Any, int] = {}  # signature -> id, shared by both sides
        self.names: list[Any] = []

    def intern(self, signature: Any) -> int:
        if signature not in self.signatures:
            self.signatures[signature] = len(self.names)
            self.names.append(signature)
        return self.signatures[signature]

    def answers(self, side: int, topic: str) -> tuple[Any, Any]:
        """(answer id per case, -1 where undecided; missing-fact mask per case, zero where decided)."""
        import numpy as np
        import pyarrow as pa

        from policyrules.batch.outcomes import FIRED, UNDETERMINED, column_name, figure_fields

        pack, table = self.packs[side], self.results[side]
        n = table.num_rows
        if not self.in_force[side]:
            return np.full(n, self.intern(("not in force",))), np.zeros((n, 1), dtype=np.uint64)
        rules = topic_rules(pack, topic)
        undecided = np.zeros(n, dtype=bool)
        any_fired = np.zeros(n, dtype=bool)
        masks = []
        fired_rules = []
        for rule in rules:
            state = table.column(column_name("state", rule.id)).combine_chunks().indices.to_numpy(zero_copy_only=False)
            u = state == UNDETERMINED
            if u.any():
                undecided |= u
                masks.append(_words(table.column(column_name("missing", rule.id))) * u[:, None])
            if rule.kind not in OUTCOMES:
                continue
            fired = state == FIRED
            if not fired.any():
                continue
            any_fired |= fired
            fired_rules.append(rule)
            if rule.amount is not None:
                lacking = _words(table.column(column_name("amount_missing", rule.id))) * fired[:, None]
                short = lacking.any(axis=1)
                if short.any():
                    undecided |= short
                    masks.append(lacking)
        mask = np.zeros((n, max(1, (len(self.missing_names[side]) + 63) // 64)), dtype=np.uint64)
        for m in masks:
            mask |= m
        ids = np.full(n, -1, dtype=np.int64)
        ids[~undecided] = self.intern(("nothing",))
        some = np.flatnonzero(any_fired & ~undecided)  # only cases where something fires need telling apart
        if len(some):
            picked = pa.array(some)
            parts = []
            for rule in fired_rules:
                parts.append(
                    (
                        table.column(column_name("state", rule.id))
                        .take(picked)
                        .combine_chunks()
                        .indices.to_numpy(zero_copy_only=False)
                        == FIRED
                    )[:, None].astype(np.int64)
                )
                for f in figure_fields(rule):
                    parts.append(_decimal_words(table.column(column_name(f, rule.id)).take(picked)))
                if rule.kind == "obligation":
                    status = (
                        table.column(column_name("status", rule.id)).take(picked).combine_chunks().indices.fill_null(-1)
                    )
                    parts.append(status.to_numpy(zero_copy_only=False).astype(np.int64)[:, None])
            matrix = np.ascontiguousarray(np.concatenate(parts, axis=1))
            rows = matrix.view(np.dtype((np.void, matrix.dtype.itemsize * matrix.shape[1]))).ravel()
            _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
            codes = [self.intern(self._signature(side, fired_rules, int(some[i]))) for i in first]
            ids[some] = np.array(codes, dtype=np.int64)[inverse.reshape(-1)]
        return ids, mask

    def _signature(self, side: int, rules: list[CompiledRule], row: int) -> Any:
        from policyrules.batch.outcomes import column_name, figure_fields

        table = self.results[side]
        outs = []
        for rule in rules:
            if table.column(column_name("state", rule.id))[row].as_py() != "fired":
                continue
            figures = (
                {f: table.column(column_name(f, rule.id))[row].as_py() for f in figure_fields(rule)}
                if rule.amount
                else {}
            )
            status = table.column(column_name("status", rule.id))[row].as_py() if rule.kind == "obligation" else None
            outs.append((rule.kind, rule.outcome.to if rule.outcome else "", _key(rule, figures), status or ""))
        return tuple(sorted(outs)) if outs else ("nothing",)


def _words(column: Any) -> Any:
    """A mask column as (n, words) uint64."""
    import numpy as np

    array = column.combine_chunks()
    values = array.flatten() if array.type.num_fields else array  # a fixed-size list of words, or one word
    out = values.fill_null(0).to_numpy(zero_copy_only=False).astype(np.uint64)
    return out.reshape(len(array), -1)


def _decimal_words(column: Any) -> Any:
    """A decimal column as three int64 columns (low word, high word, validity) that compare like the values."""
    import numpy as np

    array = column.combine_chunks()
    n = len(array)
    valid = ~array.is_null().to_numpy(zero_copy_only=False)
    words = np.frombuffer(array.buffers()[1], dtype=np.int64, count=2 * (n + array.offset))[2 * array.offset :]
    words = words.reshape(n, 2) * valid[:, None]
    return np.concatenate([words, valid[:, None].astype(np.int64)], axis=1)


def _key(rule: CompiledRule, figures: dict[str, Any]) -> tuple[Any, ...]:
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


def _status(signature: Any) -> str:
    if signature is None:
        return UNDECIDED
    if len(signature) == 1 and isinstance(signature[0], str):
        return signature[0]
    return "gives"


# ---- one case on the scalar engine: for shrinking and for showing an example ----


class _Case:
    """One topic on one case, both sides, on the scalar engine (memoised)."""

    def __init__(self, topic: str, packs: tuple[CompiledPack, CompiledPack], days: tuple[date, date]) -> None:
        self.topic = topic
        self.packs = (sub_pack(packs[0], topic), sub_pack(packs[1], topic))
        self.days = days
        self.memo: dict[tuple[int, tuple[Any, ...]], Optional[Result]] = {}
        self.rules = [frozenset(r.id for r in topic_rules(p, topic)) for p in packs]
        facts = case_facts()
        # a result depends on what the rules read and on the dates of their events (which plan applies)
        self.paths = [
            sorted(
                {p for p in pack.inputs_of(list(pack.rules)) if p in facts}
                | {EVENTS[r.event] for r in pack.rules if r.kind != "derive"}
            )
            for pack in self.packs
        ]
        self.reads = sorted(set(self.paths[0]) | set(self.paths[1]))

    def result(self, side: int, row: dict[str, Any]) -> Optional[Result]:
        key = (side, tuple(row.get(p) for p in self.paths[side]))
        if key not in self.memo:
            facts = _facts(row, self.days[side])
            self.memo[key] = None if facts is None else evaluate_facts(self.packs[side], facts, self.days[side])
        return self.memo[key]

    def signature(self, side: int, row: dict[str, Any]) -> Any:
        """The topic's answer (None: undecided), as the column path computes it."""
        result = self.result(side, row)
        if result is None:
            return ("invalid",)
        if not result.validity.in_force:
            return ("not in force",)
        if any(u.rule in self.rules[side] for u in result.undetermined):
            return None
        outs = [o for o in (*result.entitlements, *result.obligations, *result.sanctions) if o.topic == self.topic]
        if any(o.amount and o.amount.missing for o in outs):
            return None
        if not outs:
            return ("nothing",)
        pack = self.packs[side]
        return tuple(sorted((o.kind, o.to, _key(pack.rule(o.rule), _figures(o.amount)), o.status or "") for o in outs))

    def kind(self, row: dict[str, Any]) -> tuple[str, str]:
        return (_status(self.signature(0, row)), _status(self.signature(1, row)))

    def differs(self, row: dict[str, Any]) -> bool:
        sa, sb = self.signature(0, row), self.signature(1, row)
        return sa != sb and ("invalid",) not in (sa, sb)

    def side(self, side: int, row: dict[str, Any]) -> Side:
        from policyrules.engine.words import format_amount_plain

        result = self.result(side, row)
        assert result is not None
        outs = [o for o in (*result.entitlements, *result.obligations, *result.sanctions) if o.topic == self.topic]
        excl = [x for x in result.exclusions if x.topic_excluded == self.topic]
        missing = sorted({m for u in result.undetermined if u.rule in self.rules[side] for m in u.missing})
        missing += sorted({m for o in outs if o.amount for m in o.amount.missing} - set(missing))
        signature = self.signature(side, row)
        status = (
            "not in force"
            if not result.validity.in_force
            else UNDECIDED
            if signature is None
            else "gives"
            if outs
            else "excluded"
            if excl
            else "nothing"
        )
        return Side(
            pack=result.pack,
            as_of=result.as_of,
            status=status,
            outcomes=[
                SideOutcome(
                    rule=o.rule,
                    kind=o.kind,
                    summary=o.summary,
                    amount=format_amount_plain(o.amount, result.lang) if o.amount else None,
                    status=o.status,
                    clause=o.citation.clause,
                    quote=o.citation.quote,
                )
                for o in outs
            ],
            exclusions=[
                SideOutcome(
                    rule=x.rule, kind="exclusion", summary=x.summary, clause=x.citation.clause, quote=x.citation.quote
                )
                for x in excl
            ],
            missing=missing if status == UNDECIDED else [],
        )


def _figures(amount: Optional[AmountOut]) -> dict[str, Any]:
    if amount is None:
        return {}
    return {f: getattr(amount, f) for f in ("value", "min", "max", "cap", "count", "total")}


def _facts(row: dict[str, Any], as_of: date) -> Optional[dict[str, Any]]:
    """A row as evaluation facts: generated dates are days before ``as_of``; None if it breaks an invariant."""
    kinds = case_facts()
    facts: dict[str, Any] = {}
    for path, value in row.items():
        if value is None:
            continue
        if kinds[path].type.kind == "date" and not isinstance(value, date):
            value = as_of + timedelta(days=value)
        elif isinstance(value, RelativeYear):
            value = as_of.year + value
        facts[path] = value
    for small, large, times in AT_MOST:
        if small in facts and large in facts and facts[small] > facts[large] * times:
            return None
    for count, choice, value in ZERO_WHEN:
        if facts.get(choice) == value and facts.get(count):
            return None
    return facts


def nest_row(flat: dict[str, Any], as_of: date) -> dict[str, Any]:
    facts = case_facts()
    out: dict[str, Any] = {}
    for path, value in flat.items():
        if value is None:
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif facts[path].type.kind == "date":  # generated: days relative to the evaluation date
            value = (as_of + timedelta(days=value)).isoformat()
        elif isinstance(value, RelativeYear):  # generated: a calendar year relative to the evaluation date's
            value = as_of.year + value
        elif isinstance(value, Decimal):
            value = str(value)
        cur = out
        parts = path.split(".")
        for part in parts[:-1]:
            cur = cur.setdefault(part, {})
        cur[parts[-1]] = value
    return out


def _shrink(
    c: _Case, row: dict[str, Any], paths: list[str], pools: dict[str, list[Any]], compared: dict[str, set[Any]]
) -> dict[str, Any]:
    """Fewest facts, then the smallest numbers, that still show the same kind of difference."""
    kind = c.kind(row)

    def keeps(trial: dict[str, Any]) -> bool:
        return c.kind(trial) == kind and (kind[0] == UNDECIDED or kind[1] == UNDECIDED or c.differs(trial))

    current = {k: v for k, v in row.items() if v is not None and k in c.reads}
    for path in paths:
        if path not in current:
            continue
        trial = {k: v for k, v in current.items() if k != path}
        if keeps(trial):
            current = trial
    bounds = {large for small, large, _ in AT_MOST if small in current}
    facts = case_facts()
    for path in sorted(current):
        value = current[path]
        if (
            path not in compared
            or path in bounds
            or facts[path].type.kind != "number"
            or isinstance(value, RelativeYear)
        ):
            continue  # only numbers a condition compares have a "smaller" that can matter
        smaller = sorted(v for v in pools.get(path, []) if v < value)
        found = next((v for v in smaller if keeps({**current, path: v})), None)
        low = max((v for v in smaller if found is None or v < found), default=None)
        if found is not None:
            current = {**current, path: found}
        if isinstance(current[path], int) and low is not None:
            # between the last value that fails and the first that keeps it: the least that keeps it
            lo, hi = int(low), int(current[path])
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if keeps({**current, path: mid}):
                    hi = mid
                else:
                    lo = mid
            current = {**current, path: hi}
    for small, large, _ in AT_MOST:  # plausible: a count bounded by another is a small share of it where it can be
        if small in current and large in current and current[small] * 2 > current[large]:
            for bound in sorted(v for v in pools.get(large, []) if v > current[large]):
                least = _least(lambda v: keeps({**current, large: bound, small: v}), 0, bound)
                if least is not None and least * 2 <= bound:
                    current = {**current, large: bound, small: least}
                    break
    return current


def _least(ok: Any, lo: int, hi: int) -> Optional[int]:
    """The least value in [lo, hi] for which ``ok`` holds, if it holds at hi (bisection: ok is monotone there)."""
    if not ok(hi):
        return None
    if ok(lo):
        return lo
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


# ---- the diff ----


def behavioural_diff(
    a: CompiledPack,
    b: CompiledPack,
    cases: int = 10000,
    seed: int = 0,
    topics: Optional[list[str]] = None,
    rows: Optional[list[dict[str, Any]]] = None,
    progress: Optional[Callable[[int], None]] = None,
    days: Optional[tuple[date, date]] = None,
) -> BehaviouralDiff:
    """Compare two packs on generated cases (or on ``rows``: flat fact dicts from a user's file).

    ``progress(1)`` is called after each of :func:`diff_steps` steps: each pack evaluated, then each topic.
    ``days``: the evaluation date of each side (default :func:`default_dates`). In ``rows`` a date
    may be given as days from its side's evaluation date and a year as a :class:`RelativeYear`, so
    that one case means the same on two packs in force at different times.
    """
    from policyrules.batch.memory import keeping_freed_memory

    with keeping_freed_memory():
        return _behavioural_diff(a, b, cases, seed, topics, rows, progress or (lambda k: None), days)


def _behavioural_diff(
    a: CompiledPack,
    b: CompiledPack,
    cases: int,
    seed: int,
    topics: Optional[list[str]],
    rows: Optional[list[dict[str, Any]]],
    step: Callable[[int], None],
    days: Optional[tuple[date, date]] = None,
) -> BehaviouralDiff:
    covered = covered_topics(a, b)
    known = sorted(
        {r.topic for p in (a, b) for r in p.rules}
        | {r.excluded_topic for p in (a, b) for r in p.rules if r.excluded_topic}
    )
    for topic in topics or []:
        if topic not in known:
            hint = suggestions(topic, known)
            raise DiffRequestError(
                f"no topic {topic!r} in {a.id} or {b.id}" + (f"; did you mean {' or '.join(hint)}?" if hint else "")
            )
    if rows is None and cases < 1:
        raise DiffRequestError("a behavioural diff needs at least 1 case (--cases N)")
    chosen = topics if topics is not None else covered
    days = days or default_dates(a, b)
    facts = case_facts()
    every = sorted({p for pack in (a, b) for p in pack.inputs_of(list(pack.rules)) if p in facts})
    if rows is None:
        pools, idx = _indices(every, [a, b], cases, str(seed))
        first = _table(pools, idx, days[0])
        tables = (first, first if days[1] == days[0] else _table(pools, idx, days[1]))
        n = cases
    else:
        pools, idx = _pool(every, [a, b]), {}
        tables = (_rows_table(rows, every, days[0]), _rows_table(rows, every, days[1]))
        n = len(rows)
    sides = _Sides((a, b), tables, days, step)
    compared = _thresholds([a, b])
    out = []
    for topic in chosen:
        ids_a, mask_a = sides.answers(0, topic)
        ids_b, mask_b = sides.answers(1, topic)
        da, db = ids_a >= 0, ids_b >= 0
        differ = da & db & (ids_a != ids_b)
        one_a, one_b = da & ~db, ~da & db
        case = _Case(topic, (a, b), days)
        examples = []
        for rows_of_kind in _first_of_each_kind(sides, ids_a, ids_b, differ | one_a | one_b):
            row = _row(rows, pools, idx, every, rows_of_kind)
            if rows is None:
                row = _shrink(case, row, case.reads, pools, compared)
            examples.append(
                Counterexample(
                    case=nest_row(row, days[0]),
                    facts=len([v for v in row.values() if v is not None]),
                    a=case.side(0, row),
                    b=case.side(1, row),
                )
            )
        out.append(
            TopicBehaviour(
                topic=topic,
                differing=int(differ.sum()),
                compared=n,
                agree=int((da & db).sum() - differ.sum()),
                a_only=int(one_a.sum()),
                b_only=int(one_b.sum()),
                neither=int((~da & ~db).sum()),
                a_missing=_most_missing(sides.missing_names[0], mask_a, ~da & db),
                b_missing=_most_missing(sides.missing_names[1], mask_b, da & ~db),
                examples=examples,
            )
        )
        step(1)
    return BehaviouralDiff(
        lang=a.lang,
        a=a.id,
        b=b.id,
        a_validity=validity_text(a),
        b_validity=validity_text(b),
        cases=n,
        seed=seed if rows is None else None,
        topics=out,
    )


def _first_of_each_kind(sides: _Sides, ids_a: Any, ids_b: Any, chosen: Any) -> list[int]:
    """The first case of each kind of difference (gives vs gives, gives vs nothing, gives vs undecided …)."""
    import numpy as np

    firsts: dict[tuple[str, str], int] = {}
    rows = np.flatnonzero(chosen)
    if not len(rows):
        return []
    width = len(sides.names) + 1
    _, first = np.unique((ids_a[rows] + 1) * width + (ids_b[rows] + 1), return_index=True)
    for i in sorted(first):
        ia, ib = int(ids_a[rows[i]]), int(ids_b[rows[i]])
        kind = (_status(sides.names[ia] if ia >= 0 else None), _status(sides.names[ib] if ib >= 0 else None))
        if UNDECIDED in kind:  # one example of each side deciding alone is enough
            kind = ("decides", UNDECIDED) if kind[1] == UNDECIDED else (UNDECIDED, "decides")
        firsts.setdefault(kind, int(rows[i]))
    return [firsts[k] for k in sorted(firsts)]


def _row(
    rows: Optional[list[dict[str, Any]]], pools: dict[str, list[Any]], idx: dict[str, Any], paths: list[str], i: int
) -> dict[str, Any]:
    if rows is not None:
        return dict(rows[i])
    return {p: pools[p][int(idx[p][i])] for p in paths if idx[p][i] >= 0}


def _most_missing(names: list[str], mask: Any, rows: Any, top: int = 5) -> list[MissingCount]:
    """The facts that most often leave a side undecided, over the given cases."""
    import numpy as np

    if not rows.any():
        return []
    distinct, counts = np.unique(mask[rows], axis=0, return_counts=True)
    tally: Counter[str] = Counter()
    for words, count in zip(distinct, counts):
        value = sum(int(w) << (64 * i) for i, w in enumerate(words))
        for i, name in enumerate(names):
            if value >> i & 1:
                tally[name] += int(count)
    return [MissingCount(fact=f, cases=c) for f, c in tally.most_common(top)]


def read_rows(cases: list[Case]) -> list[dict[str, Any]]:
    """A user's cases as flat fact rows; their dates stay absolute."""
    from policyrules.facts.case import flatten

    return [flatten(c) for c in cases]
