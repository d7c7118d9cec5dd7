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
from policyrules.engine.model import CompiledPack
from policyrules.engine.result import Result
from policyrules.errors import DiffRequestError
from policyrules.errors.phrases import either
from policyrules.facts.case import AT_MOST, EVENTS, ZERO_WHEN, Case
from policyrules.facts.vocabulary import case_facts, suggestions
from policyrules.types import DEFAULT_LANG, Lang

from .describe import validity_text
from .sides import (
    OUTCOMES,
    Answers,
    PackSide,
    TopicAnswer,
    generated_columns,
    places,
    result_missing,
    result_signature,
    side_inputs,
    subjects_of,
    topic_rules,
)

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
UNDECIDED = "undecided"
CHUNK_ROWS = 65_536  # cases evaluated at once: memory stays bounded however many cases are compared


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


def sub_pack(pack: CompiledPack, topics: Iterable[str]) -> CompiledPack:
    """The rules that decide the topics (with the entitlements that exclude them) and the derive rules they read.

    A case's answer on these topics depends on nothing else, so the sub-pack gives the whole pack's answers.
    """
    topics = set(topics)
    rules = [r for t in sorted(topics) for r in topic_rules(pack, t)] + [
        r for r in pack.rules if r.kind == "entitlement" and r.outcome is not None and topics & set(r.outcome.excludes)
    ]
    needed = {r.id for r in rules} | {by for r in rules for by in r.superseded_by}
    for path in pack.inputs_of(rules):
        if path.startswith("derived."):
            needed.update(pack.setters.get(path[len("derived.") :], ()))
    if len(needed) == len(pack.rules):
        return pack
    kept = tuple(r for r in pack.rules if r.id in needed)
    # a derived fact none of them reads loses its setters (all of them: every setter of a fact read is kept)
    setters = {name: ids for name, ids in pack.setters.items() if all(rid in needed for rid in ids)}
    return replace(pack, rules=kept, rule_index={r.id: r for r in kept}, setters=setters)


def covered_topics(a: CompiledPack, b: CompiledPack) -> list[str]:
    return sorted({r.topic for p in (a, b) for r in p.rules if r.kind in OUTCOMES})


def diff_steps(a: CompiledPack, b: CompiledPack, topics: Optional[list[str]] = None, cases: int = 1) -> int:
    """How many steps :func:`behavioural_diff` reports to its ``progress`` over ``cases`` cases: two evaluations
    per chunk of cases (one per pack), then one per topic."""
    chunks = max(1, -(-cases // CHUNK_ROWS))
    return 2 * chunks + len(topics if topics is not None else covered_topics(a, b))


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
    """Per fact: its pool, and n indices into it (-1: the fact is not given). The same seed, the same cases.

    Indices are 16-bit (a pool holds a few dozen values): 100k cases of 100 facts take 20 MB.
    """
    import numpy as np

    rng = random.Random(seed)
    pools = _pool(paths, packs)
    missing = round(256 * MISSING_SHARE)
    tables: dict[int, Any] = {}
    out = {}
    for path in paths:
        # One random byte per case picks from a 256-entry table: missing MISSING_SHARE of the time, the values
        # evenly otherwise.
        size = len(pools[path])
        if size not in tables:
            tables[size] = np.array(
                [-1] * missing + [i * size // (256 - missing) for i in range(256 - missing)], dtype=np.int16
            )
        out[path] = tables[size][np.frombuffer(rng.randbytes(n), dtype=np.uint8)]
    _within(pools, out)
    return pools, out


def _within(pools: dict[str, list[Any]], idx: dict[str, Any]) -> None:
    """Keep every generated case valid: a count that may not exceed another (disabled ≤ staff) is capped at it."""
    import numpy as np

    # Values are compared once per pair of pool entries, not once per case; index -1 (not given) reads the
    # entry added at the end of each table.
    for small, large, _ in AT_MOST:  # generated: within the head count itself
        if small not in idx or large not in idx:
            continue
        above = np.array([[s > v for v in pools[large] + [0]] for s in pools[small] + [0]], dtype=bool)
        over = (idx[small] >= 0) & (idx[large] >= 0) & above[idx[small], idx[large]]
        if over.any():
            merged = sorted(set(pools[small]) | set(pools[large]))
            where = {v: i for i, v in enumerate(merged)}
            remap = np.array([where[v] for v in pools[small]] + [-1], dtype=np.int16)
            to_large = np.array([where[v] for v in pools[large]] + [-1], dtype=np.int16)
            pools[small] = merged
            new = remap[idx[small]]
            new[over] = to_large[idx[large][over]]
            idx[small] = new
    for count, choice, value in ZERO_WHEN:  # no dispatch, no dispatched workers: the count is left out
        if count not in idx or choice not in idx:
            continue
        said = np.array([v == value for v in pools[choice]] + [False], dtype=bool)
        some = np.array([v > 0 for v in pools[count]] + [False], dtype=bool)
        clash = (idx[choice] >= 0) & (idx[count] >= 0) & said[idx[choice]] & some[idx[count]]
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


def _resolved(kind: str, value: Any, day: date) -> Any:
    if kind == "date" and isinstance(value, int):
        return day + timedelta(days=value)
    if isinstance(value, RelativeYear):
        return day.year + value
    return value


def _rows_table(rows: list[dict[str, Any]], paths: list[str], day: date) -> Any:
    """Cases given as flat facts as an Arrow table over ``paths``, dates and years relative to ``day`` resolved."""
    import pyarrow as pa

    facts = case_facts()
    arrays = {}
    for path in paths:
        info = facts[path]
        values = [_resolved(info.type.kind, r.get(path), day) for r in rows]
        if info.type.kind == "number" and not info.integer:
            scale = max([places(v) for v in values if v is not None] or [0])
            arrays[path] = pa.array([None if v is None else Decimal(v) for v in values], type=pa.decimal128(38, scale))
        elif info.type.kind == "number":
            arrays[path] = pa.array(values, type=pa.int64())
        elif info.type.kind == "date":
            arrays[path] = pa.array(values, type=pa.date32())
        elif info.type.kind == "bool":
            arrays[path] = pa.array(values, type=pa.bool_())
        else:
            arrays[path] = pa.array(values, type=pa.string())
    return pa.table(arrays) if arrays else pa.table({"unit.staff": pa.nulls(len(rows), pa.int64())})


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
        self.packs = (sub_pack(packs[0], [topic]), sub_pack(packs[1], [topic]))
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
        return result_signature(self.packs[side], result, self.topic, self.rules[side])

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
        missing = result_missing(result, self.topic, self.rules[side])
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

    ``progress(1)`` is called after each of :func:`diff_steps` steps: each pack evaluated on each chunk of
    cases, then each topic.
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
            if hint:
                raise DiffRequestError.of("diff.no_topic_hint", topic=topic, a=a.id, b=b.id, hints=either(hint))
            raise DiffRequestError.of("diff.no_topic", topic=topic, a=a.id, b=b.id)
    if rows is None and cases < 1:
        raise DiffRequestError.of("diff.no_cases")
    chosen = topics if topics is not None else covered
    days = days or default_dates(a, b)
    facts = case_facts()
    every = sorted({p for pack in (a, b) for p in pack.inputs_of(list(pack.rules)) if p in facts})
    if rows is None:
        pools, idx = _indices(every, [a, b], cases, str(seed))
        n = cases
    else:
        pools, idx = _pool(every, [a, b]), {}
        n = len(rows)
    answers = Answers()
    # only the rules that decide the chosen topics are evaluated
    sides = [PackSide(sub_pack(p, chosen), d, chosen, answers) for p, d in ((a, days[0]), (b, days[1]))]
    tallies = {topic: _Tally() for topic in chosen}
    for lo in range(0, n, CHUNK_ROWS):
        hi = min(n, lo + CHUNK_ROWS)
        given: dict[date, tuple[dict[str, Any], Any]] = {}  # the generated columns as of each side's date
        got = []
        for s, side in enumerate(sides):
            day = days[s]
            if rows is None:
                if day not in given:
                    given[day] = generated_columns(pools, {p: idx[p][lo:hi] for p in every}, day, RelativeYear)
                columns, wide = given[day]
                inputs = side_inputs(side.plan.inputs, columns, hi - lo)
                subjects = subjects_of(columns, hi - lo)
            else:
                inputs, wide = _user_inputs(side, rows[lo:hi], every, day, lo)
                subjects = _user_subjects(rows[lo:hi])

            def facts_of(i: int, day: date = day) -> dict[str, Any]:
                found = _facts(_row(rows, pools, idx, every, lo + i), day)
                assert found is not None  # generated and read cases are valid cases
                return found

            got.append(side.answer(inputs, hi - lo, wide, subjects, facts_of))
            step(1)
        for topic in chosen:
            tallies[topic].add(lo, got[0][topic], got[1][topic], sides, answers)
    compared = _thresholds([a, b])
    out = []
    for topic in chosen:
        tally = tallies[topic]
        case = _Case(topic, (a, b), days)
        examples = []
        for first in tally.examples():
            row = _row(rows, pools, idx, every, first)
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
                differing=tally.differing,
                compared=n,
                agree=tally.agree,
                a_only=tally.a_only,
                b_only=tally.b_only,
                neither=tally.neither,
                a_missing=_most_missing(tally.a_missing),
                b_missing=_most_missing(tally.b_missing),
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


def _user_inputs(side: PackSide, rows: list[dict[str, Any]], paths: list[str], day: date, offset: int) -> Any:
    """A chunk of a user's cases as the column compiler's inputs (and the rows beyond its exact range)."""
    from policyrules.batch.inputs import Converter
    from policyrules.errors import TableError

    (batch,) = _rows_table(rows, paths, day).to_batches()
    inputs, bad, _, wide = Converter(side.plan.inputs).convert(batch, offset)
    if bad:  # read as cases already: only a value no case holds gets here
        raise TableError("cases", bad[:100], len(bad))
    return inputs, wide


def _user_subjects(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per subject, the user's cases that give some fact about it."""
    import numpy as np

    from policyrules.engine.evaluator import SUBJECT_OF

    out = {s: np.zeros(len(rows), dtype=bool) for heads in SUBJECT_OF.values() for s in heads}
    for i, row in enumerate(rows):
        for path, value in row.items():
            if value is not None:
                for subject in SUBJECT_OF.get(path.split(".", 1)[0], ()):
                    out[subject][i] = True
    return out


class _Tally:
    """One topic's counts over the chunks so far, the facts that leave each side undecided, and the first case
    of each kind of difference."""

    def __init__(self) -> None:
        self.differing = self.agree = self.a_only = self.b_only = self.neither = 0
        self.a_missing: Counter[str] = Counter()
        self.b_missing: Counter[str] = Counter()
        self.firsts: dict[tuple[str, str], int] = {}

    def add(self, offset: int, a: TopicAnswer, b: TopicAnswer, sides: list[PackSide], answers: Answers) -> None:
        da, db = a.ids >= 0, b.ids >= 0
        both = da & db
        differ = both & (a.ids != b.ids)
        one_a, one_b = da & ~db, ~da & db
        differing = int(differ.sum())
        self.differing += differing
        self.agree += int(both.sum()) - differing
        self.a_only += int(one_a.sum())
        self.b_only += int(one_b.sum())
        self.neither += int((~da & ~db).sum())
        _count_missing(self.a_missing, sides[0], a, one_b)
        _count_missing(self.b_missing, sides[1], b, one_a)
        for kind, i in _first_of_each_kind(answers.names, a.ids, b.ids, differ | one_a | one_b).items():
            self.firsts.setdefault(kind, offset + i)

    def examples(self) -> list[int]:
        return [self.firsts[k] for k in sorted(self.firsts)]


def _first_of_each_kind(names: list[Any], ids_a: Any, ids_b: Any, chosen: Any) -> dict[tuple[str, str], int]:
    """The first case of each kind of difference (gives vs gives, gives vs nothing, gives vs undecided …)."""
    import numpy as np

    firsts: dict[tuple[str, str], int] = {}
    rows = np.flatnonzero(chosen)
    if not len(rows):
        return firsts
    width = len(names) + 1
    _, first = np.unique((ids_a[rows] + 1) * width + (ids_b[rows] + 1), return_index=True)
    for i in sorted(first):
        ia, ib = int(ids_a[rows[i]]), int(ids_b[rows[i]])
        kind = (_status(names[ia] if ia >= 0 else None), _status(names[ib] if ib >= 0 else None))
        if UNDECIDED in kind:  # one example of each side deciding alone is enough
            kind = ("decides", UNDECIDED) if kind[1] == UNDECIDED else (UNDECIDED, "decides")
        firsts.setdefault(kind, int(rows[i]))
    return firsts


def _row(
    rows: Optional[list[dict[str, Any]]], pools: dict[str, list[Any]], idx: dict[str, Any], paths: list[str], i: int
) -> dict[str, Any]:
    if rows is not None:
        return dict(rows[i])
    return {p: pools[p][j] for p in paths if (j := int(idx[p][i])) >= 0}


def _count_missing(tally: Counter[str], side: PackSide, answer: TopicAnswer, rows: Any) -> None:
    """Count, over the given cases, the facts that leave a side undecided."""
    import numpy as np

    if not rows.any():
        return
    for i, missing in answer.scalar.items():
        if rows[i]:
            tally.update(missing)
    if answer.miss is None:
        return
    masks = side.plan.masks
    full = masks.full(answer.miss, len(rows))  # (n,) for one word, (words, n) for more
    chosen = full[rows].reshape(-1, 1) if full.ndim == 1 else full[:, rows].T
    distinct, counts = np.unique(chosen, axis=0, return_counts=True)
    for words, count in zip(distinct.tolist(), counts.tolist()):
        for w, word in enumerate(words):
            while word:
                low = word & -word  # one set bit at a time
                tally[masks.names[64 * w + low.bit_length() - 1]] += count
                word ^= low


def _most_missing(tally: Counter[str], top: int = 5) -> list[MissingCount]:
    """The facts that most often leave a side undecided (ties by name)."""
    ranked = sorted(tally.items(), key=lambda item: (-item[1], item[0]))
    return [MissingCount(fact=f, cases=c) for f, c in ranked[:top]]


def read_rows(cases: list[Case]) -> list[dict[str, Any]]:
    """A user's cases as flat fact rows; their dates stay absolute."""
    from policyrules.facts.case import flatten

    return [flatten(c) for c in cases]
