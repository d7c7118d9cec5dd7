"""Behavioural diff: the concrete cases on which two packs give different answers, per topic.

Cases are generated over the facts that the compared topics read, with each
fact drawn from the values where some rule of either pack changes its mind
(the thresholds the texts print, one either side) plus a few ordinary
values. Evaluation is the ordinary evaluator run on a *sub-pack*: the rules
of one topic and the rules that derive what they read; since an evaluation
depends on nothing but those facts, each distinct projection of a case is
evaluated once. A difference is counted when both packs decide the case
(neither leaves it undetermined) and their outcomes differ; the first such
case is shrunk to the fewest facts that still show the difference.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from operator import itemgetter
from typing import Any, Callable, Iterable, Optional

from pydantic import BaseModel, ConfigDict

from policyrules.check import analysis
from policyrules.engine.evaluator import evaluate_facts
from policyrules.engine.model import CompiledPack, CompiledRule
from policyrules.engine.result import AmountOut, Result
from policyrules.expr import names
from policyrules.facts.case import AT_MOST, Case
from policyrules.facts.vocabulary import case_facts

from .describe import validity_text

# Days before the evaluation date: either side of one and three years (满一年, 三年内), and recent.
DATE_OFFSETS = (-1096, -1095, -366, -365, -30)
# Ordinary values for numbers no condition compares with a literal: counts, and money (rent, wages).
NUMBERS = (0, 1, 3, 200)
MONEY = (1000, 2000)
MISSING_SHARE = 0.05


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
    status: str  # "gives", "nothing", "excluded", "not in force"
    outcomes: list[SideOutcome] = []
    exclusions: list[SideOutcome] = []


class Counterexample(_Out):
    case: dict[str, Any]
    facts: int
    a: Side
    b: Side


class TopicBehaviour(_Out):
    topic: str
    differing: int
    compared: int
    examples: list[Counterexample] = []  # one per kind of difference (pays vs pays, pays vs nothing, ...)


class BehaviouralDiff(_Out):
    a: str
    b: str
    a_validity: str
    b_validity: str
    cases: int
    seed: int
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
    return [
        r
        for r in pack.rules
        if r.kind != "derive" and (r.topic == topic or (r.kind == "exclusion" and r.excluded_topic == topic))
    ]


def sub_pack(pack: CompiledPack, topic: str) -> CompiledPack:
    """The rules of one topic plus the derive rules they depend on, in the pack's order."""
    rules = topic_rules(pack, topic)
    needed = {r.id for r in rules}
    for path in pack.inputs_of(rules):
        if path.startswith("derived."):
            needed.update(pack.setters.get(path[len("derived.") :], ()))
    kept = tuple(r for r in pack.rules if r.id in needed)
    return replace(pack, rules=kept, rule_index={r.id: r for r in kept})


def _atoms(packs: list[CompiledPack]) -> list[analysis.Atom]:
    return [lit for pack in packs for rule in pack.rules for lit in analysis.atoms(rule.when.node)]


def _thresholds(packs: list[CompiledPack]) -> dict[str, set[Any]]:
    return analysis.thresholds([rule.when.node for pack in packs for rule in pack.rules])


def _used_otherwise(packs: list[CompiledPack]) -> set[str]:
    """Facts read anywhere but in a comparison with literals: in figures, or compared with each other."""
    out: set[str] = set()
    for pack in packs:
        for rule in pack.rules:
            for expr in rule.expressions():
                if expr is not rule.when:
                    out |= names(expr.node)
                    continue
                try:
                    conjuncts = analysis.dnf(expr.node)
                except analysis.TooComplex:
                    out |= names(expr.node)
                    continue
                out |= {
                    p for conj in conjuncts for lit in conj if isinstance(lit, analysis.Opaque) for p in names(lit.node)
                }
    return out


_OPS = {
    "==": lambda v, x: v == x,
    "!=": lambda v, x: v != x,
    "<": lambda v, x: v < x,
    "<=": lambda v, x: v <= x,
    ">": lambda v, x: v > x,
    ">=": lambda v, x: v >= x,
    "in": lambda v, x: v in x,
    "not in": lambda v, x: v not in x,
}


def _holds(lit: analysis.Atom, value: Any) -> bool:
    try:
        return bool(_OPS[lit.op](value, lit.value))
    except TypeError:  # a text value against a number literal cannot happen in a checked pack
        return False


def _named(packs: list[CompiledPack]) -> dict[str, set[str]]:
    """For each text fact: the values some condition names (== or in [...])."""
    named: dict[str, set[str]] = {}
    for lit in _atoms(packs):
        values = lit.value if isinstance(lit.value, frozenset) else {lit.value}
        named.setdefault(lit.path, set()).update(v for v in values if isinstance(v, str))
    return named


def _pool(paths: Iterable[str], packs: list[CompiledPack]) -> dict[str, list[Any]]:
    facts = case_facts()
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
        else:
            money = bool(info.unit and "CNY" in info.unit)
            values = thresholds.get(path, set()) | set(MONEY if money else NUMBERS)
            if info.integer:
                values = {int(v) for v in values if v == int(v)}
            out[path] = sorted(v for v in values if v >= 0)
    return out


def _facts(row: dict[str, Any], as_of: date) -> Optional[dict[str, Any]]:
    """A row as evaluation facts: values are valid by construction; dates are days before ``as_of``."""
    kinds = case_facts()
    facts: dict[str, Any] = {}
    for path, value in row.items():
        if value is None:
            continue
        if kinds[path].type.kind == "date" and not isinstance(value, date):
            value = as_of + timedelta(days=value)
        facts[path] = value
    for small, large in AT_MOST:
        if small in facts and large in facts and facts[small] > facts[large]:
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
        elif isinstance(value, Decimal):
            value = str(value)
        cur = out
        parts = path.split(".")
        for part in parts[:-1]:
            cur = cur.setdefault(part, {})
        cur[parts[-1]] = value
    return out


class _Topic:
    """One topic compared across two packs, with memoised evaluations."""

    def __init__(self, topic: str, a: CompiledPack, b: CompiledPack, days: tuple[date, date]) -> None:
        self.topic = topic
        self.packs = (sub_pack(a, topic), sub_pack(b, topic))
        self.days = days
        facts = case_facts()
        self.paths = [sorted(p for p in pack.inputs_of(list(pack.rules)) if p in facts) for pack in self.packs]
        self.memo: tuple[dict[tuple[Any, ...], Any], dict[tuple[Any, ...], Any]] = ({}, {})
        self.signatures: tuple[dict[tuple[Any, ...], Any], dict[tuple[Any, ...], Any]] = ({}, {})
        self.rule_ids = [frozenset(r.id for r in pack.rules) for pack in self.packs]
        self.atoms = _atoms(list(self.packs))
        self.used_otherwise = _used_otherwise(list(self.packs))

    def canonical(self, path: str, pool: list[Any]) -> Optional[dict[Any, Any]]:
        """For a fact this topic only ever compares with literals: each value → the first value alike.

        Two values that every comparison of the topic's rules answers the same way
        cannot be told apart by those rules, so one stands for both and each distinct
        case is evaluated once. None when the fact is used otherwise (in a figure,
        compared with another fact) or is a date (generated relative to the as-of date).
        """
        if case_facts()[path].type.kind == "date" or path in self.used_otherwise:
            return None
        atoms = [lit for lit in self.atoms if lit.path == path]
        first: dict[tuple[bool, ...], Any] = {}
        out: dict[Any, Any] = {None: None}
        for value in pool:
            if value is None:
                continue
            answers = tuple(_holds(lit, value) for lit in atoms)
            out[value] = first.setdefault(answers, value)
        return out

    def result(self, side: int, row: dict[str, Any]) -> Optional[Result]:
        """The sub-pack's result on the row (None for a row that breaks a case invariant)."""
        return self.result_of(side, tuple(row.get(p) for p in self.paths[side]))

    def result_of(self, side: int, key: tuple[Any, ...]) -> Optional[Result]:
        """The same, from the values of this side's facts (``self.paths[side]``), memoised."""
        memo = self.memo[side]
        if key not in memo:
            facts = _facts(dict(zip(self.paths[side], key)), self.days[side])
            memo[key] = None if facts is None else evaluate_facts(self.packs[side], facts, self.days[side])
        return memo[key]

    def signature(self, side: int, row: dict[str, Any]) -> Optional[tuple[Any, ...]]:
        """What a pack answers on this topic; None when it leaves the case undecided."""
        return self.signature_of(side, tuple(row.get(p) for p in self.paths[side]))

    def signature_of(self, side: int, key: tuple[Any, ...]) -> Optional[tuple[Any, ...]]:
        """The same, from the values of this side's facts, memoised."""
        memo = self.signatures[side]
        if key not in memo:
            memo[key] = self._signature(side, self.result_of(side, key))
        return memo[key]

    def _signature(self, side: int, result: Optional[Result]) -> Optional[tuple[Any, ...]]:
        if result is None:
            return None
        if not result.validity.in_force:
            return ("not in force",)
        if any(u.topic == self.topic or u.rule in self.rule_ids[side] for u in result.undetermined):
            return None
        outs = [o for o in (*result.entitlements, *result.obligations, *result.sanctions) if o.topic == self.topic]
        if not outs:
            return ("nothing",)
        if any((o.amount and o.amount.missing) or (o.duration and o.duration.missing) for o in outs):
            return None  # a figure that needs facts the case lacks is not an answer to compare
        return tuple(sorted((o.kind, o.to, _amount_key(o.amount), o.status or "") for o in outs))

    def difference(self, row: dict[str, Any]) -> Optional[tuple[str, str]]:
        """None when the packs agree or either leaves the case undecided; else what each side does."""
        return _difference(self.signature(0, row), self.signature(1, row))


def _difference(sa: Optional[tuple[Any, ...]], sb: Optional[tuple[Any, ...]]) -> Optional[tuple[str, str]]:
    if sa is None or sb is None or sa == sb:
        return None
    return (_status(sa), _status(sb))


def _picker(positions: list[int]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """A function taking those positions out of a tuple, as a tuple (itemgetter runs in C)."""
    if not positions:
        return lambda values: ()
    if len(positions) == 1:
        (i,) = positions
        return lambda values: (values[i],)
    return itemgetter(*positions)


def _status(signature: tuple[Any, ...]) -> str:
    if len(signature) == 1 and isinstance(signature[0], str):
        return signature[0]
    return "gives"


def _amount_key(a: Optional[AmountOut]) -> tuple[Any, ...]:
    if a is None:
        return ()
    return (a.kind, a.unit, tuple(a.per), a.value, a.min, a.max, a.cap, a.count, a.total, a.reference is not None)


def behavioural_diff(
    a: CompiledPack,
    b: CompiledPack,
    cases: int = 10000,
    seed: int = 0,
    topics: Optional[list[str]] = None,
    rows: Optional[list[dict[str, Any]]] = None,
) -> BehaviouralDiff:
    """Compare two packs on generated cases (or on ``rows``: flat fact dicts from a user's file)."""
    covered = sorted({r.topic for p in (a, b) for r in p.rules if r.kind in ("entitlement", "obligation", "sanction")})
    chosen = topics if topics is not None else covered
    days = default_dates(a, b)
    compared = [_Topic(topic, a, b, days) for topic in chosen]
    if rows is None:
        # One column of values per fact, shared by every topic that reads it.
        every = sorted({p for t in compared for side in t.paths for p in side})
        columns = generate_columns(every, [a, b], cases, str(seed))
        pools = {p: [*v, None] for p, v in _pool(every, [a, b]).items()}
    out = []
    for t in compared:
        topic = t.topic
        paths = sorted(set(t.paths[0]) | set(t.paths[1]))
        if rows is not None:
            distinct = Counter(tuple(row.get(p) for p in paths) for row in rows)
        else:
            projected = []
            for p in paths:
                canon = t.canonical(p, pools[p])
                projected.append(columns[p] if canon is None else list(map(canon.__getitem__, columns[p])))
            distinct = Counter(zip(*projected)) if paths else Counter({(): cases})
        differing = 0
        firsts: dict[tuple[str, str], dict[str, Any]] = {}
        pick_a, pick_b = (_picker([paths.index(p) for p in t.paths[side]]) for side in (0, 1))
        # Counter keeps first-seen order, so the examples are the first differing cases generated.
        for values, count in distinct.items():
            kind = _difference(t.signature_of(0, pick_a(values)), t.signature_of(1, pick_b(values)))
            if kind is not None:
                differing += count
                firsts.setdefault(kind, dict(zip(paths, values)))
        # A user's own case is reported as given; a generated one is shrunk first.
        examples = [
            _counterexample(t, row if rows is not None else _shrink(t, row, paths, [a, b]))
            for _, row in sorted(firsts.items())
        ]
        out.append(TopicBehaviour(topic=topic, differing=differing, compared=sum(distinct.values()), examples=examples))
    return BehaviouralDiff(
        a=a.id,
        b=b.id,
        a_validity=validity_text(a),
        b_validity=validity_text(b),
        cases=len(rows) if rows is not None else cases,
        seed=seed,
        topics=out,
    )


def generate_columns(paths: list[str], packs: list[CompiledPack], n: int, seed: str) -> dict[str, list[Any]]:
    """n generated values per fact path (a case is one index across the columns)."""
    rng = random.Random(seed)
    pools = _pool(paths, packs)
    columns = {}
    missing = round(256 * MISSING_SHARE)
    for path in paths:
        # One random byte per case picks from a 256-entry table: None (the fact is not
        # given) MISSING_SHARE of the time, the values evenly otherwise. Mapping bytes
        # through a table runs at C speed, which 100k cases × every fact need.
        values = pools[path]
        table = [None] * missing + [values[i * len(values) // (256 - missing)] for i in range(256 - missing)]
        columns[path] = list(map(table.__getitem__, rng.randbytes(n)))
    return columns


def generate_rows(paths: list[str], packs: list[CompiledPack], n: int, seed: str) -> Counter[tuple[Any, ...]]:
    """n generated cases over ``paths``, counted by distinct value tuple."""
    columns = generate_columns(paths, packs, n, seed)
    return Counter(zip(*(columns[p] for p in paths))) if paths else Counter({(): n})


def _shrink(t: _Topic, row: dict[str, Any], paths: list[str], packs: list[CompiledPack]) -> dict[str, Any]:
    """Drop facts, then lower numbers, while the same kind of difference still shows."""
    kind = t.difference(row)
    current = dict(row)
    for path in paths:
        if current.get(path) is None:
            continue
        trial = {**current, path: None}
        if t.difference(trial) == kind:
            current = trial
    pools = _pool(paths, packs)
    compared = _thresholds(packs)
    for path in paths:
        value = current.get(path)
        if path not in compared or not isinstance(value, (int, Decimal)) or isinstance(value, bool):
            continue  # only numbers a condition compares have a "smaller" that can matter
        for smaller in sorted(v for v in pools[path] if v < value):
            trial = {**current, path: smaller}
            if t.difference(trial) == kind:
                current = trial
                break
    return {k: v for k, v in current.items() if v is not None}


def _side(t: _Topic, side: int, row: dict[str, Any]) -> Side:
    from policyrules.engine.words import format_amount_plain

    result = t.result(side, row)
    assert result is not None
    outs = [o for o in (*result.entitlements, *result.obligations, *result.sanctions) if o.topic == t.topic]
    excl = [x for x in result.exclusions if x.topic_excluded == t.topic]
    status = "not in force" if not result.validity.in_force else "gives" if outs else "excluded" if excl else "nothing"
    return Side(
        pack=result.pack,
        as_of=result.as_of,
        status=status,
        outcomes=[
            SideOutcome(
                rule=o.rule,
                kind=o.kind,
                summary=o.summary,
                amount=format_amount_plain(o.amount) if o.amount else None,
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
    )


def _counterexample(t: _Topic, row: dict[str, Any]) -> Counterexample:
    return Counterexample(case=nest_row(row, t.days[0]), facts=len(row), a=_side(t, 0, row), b=_side(t, 1, row))


def read_rows(cases: list[Case]) -> list[dict[str, Any]]:
    """A user's cases as flat fact rows; their dates stay absolute."""
    from policyrules.facts.case import flatten

    return [flatten(c) for c in cases]
