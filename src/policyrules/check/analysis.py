"""Static reasoning about conditions: can a condition hold, must it, and a case that makes it hold.

Conditions are brought to disjunctive normal form over *atoms*: one fact
compared with literals (``unit.staff >= 50``, ``unit.kind in [...]``, a
boolean fact). Each conjunction is then checked per fact against the fact's
domain: numbers are intervals (counts and money are never negative; counts
are whole), closed strings are their allowed values, booleans are true or
false. Anything else (two facts compared, arithmetic, derived facts) is an
*opaque* atom, assumed satisfiable either way, so the analysis never claims
impossibility it cannot prove.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Optional, Union

from policyrules.expr import nodes as n
from policyrules.facts.vocabulary import FactInfo, case_facts

MAX_CONJUNCTS = 512

_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "==", "in": "not in", "not in": "in"}


@dataclass(frozen=True)
class Atom:
    path: str
    op: str  # == != < <= > >= in "not in"
    value: Any  # a literal, or a frozenset for in / not in


@dataclass(frozen=True)
class Opaque:
    node: n.Node
    positive: bool


Lit = Union[Atom, Opaque]
Conjunct = tuple[Lit, ...]


class TooComplex(Exception):
    """The normal form would be too large to analyse."""


def dnf(node: n.Node, negate: bool = False) -> list[Conjunct]:
    """Disjunctive normal form of ``node`` (or of ``not node``)."""
    if isinstance(node, n.Not):
        return dnf(node.operand, not negate)
    if isinstance(node, n.BoolOp):
        is_and = (node.op == "and") != negate
        parts = [dnf(v, negate) for v in node.values]
        if not is_and:
            return [c for p in parts for c in p]
        out: list[Conjunct] = [()]
        for p in parts:
            out = [a + b for a in out for b in p]
            if len(out) > MAX_CONJUNCTS:
                raise TooComplex()
        return out
    if isinstance(node, n.Literal) and isinstance(node.value, bool):
        return [()] if node.value != negate else []
    atom = _atom(node)
    if atom is None:
        return [(Opaque(node, not negate),)]
    if negate:
        atom = Atom(atom.path, _NEGATE[atom.op], atom.value)
    return [(atom,)]


def _atom(node: n.Node) -> Optional[Atom]:
    if isinstance(node, n.Name):
        return Atom(node.path, "==", True)
    if not isinstance(node, n.Compare):
        return None
    if node.op in ("in", "not in"):
        if isinstance(node.left, n.Name) and isinstance(node.right, n.ListLit):
            if all(isinstance(i, n.Literal) for i in node.right.items):
                return Atom(node.left.path, node.op, frozenset(i.value for i in node.right.items))  # type: ignore[union-attr]
        return None
    if isinstance(node.left, n.Name) and isinstance(node.right, n.Literal):
        return Atom(node.left.path, node.op, node.right.value)
    if isinstance(node.left, n.Literal) and isinstance(node.right, n.Name):
        return Atom(node.right.path, _FLIP[node.op], node.left.value)
    return None


@dataclass
class _Domain:
    """What one fact may still be, given the atoms seen so far in a conjunction."""

    info: Optional[FactInfo]
    lo: Any = None
    lo_incl: bool = True
    hi: Any = None
    hi_incl: bool = True
    allowed: Optional[set[Any]] = None
    excluded: set[Any] = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self.excluded = set()
        t = self.info.type if self.info else None
        if t is not None and t.kind == "number":
            self.lo = 0  # counts, money, ages and years are never negative
        elif t is not None and t.kind == "string" and t.choices:
            self.allowed = set(t.choices)
        elif t is not None and t.kind == "bool":
            self.allowed = {True, False}

    @property
    def integer(self) -> bool:
        return bool(self.info and self.info.integer)

    def add(self, atom: Atom) -> None:
        op, v = atom.op, atom.value
        if op == "==":
            self.allowed = {v} if self.allowed is None else self.allowed & {v}
            self._bound(">=", v)
            self._bound("<=", v)
        elif op == "!=":
            self.excluded.add(v)
        elif op == "in":
            self.allowed = set(v) if self.allowed is None else self.allowed & set(v)
        elif op == "not in":
            self.excluded |= set(v)
        else:
            self._bound(op, v)

    def _bound(self, op: str, v: Any) -> None:
        if not isinstance(v, (int, Decimal, date)) or isinstance(v, bool):
            return
        if op in (">", ">="):
            incl = op == ">="
            if self.lo is None or not _comparable(self.lo, v) or v > self.lo or (v == self.lo and not incl):
                self.lo, self.lo_incl = v, incl
        elif op in ("<", "<="):
            incl = op == "<="
            if self.hi is None or not _comparable(self.hi, v) or v < self.hi or (v == self.hi and not incl):
                self.hi, self.hi_incl = v, incl

    def witness(self) -> tuple[bool, Any]:
        """(satisfiable, a value that satisfies every atom) — value is None when any will do."""
        if self.allowed is not None:
            for v in sorted(self.allowed - self.excluded, key=repr):
                if self._in_range(v):
                    return True, v
            return False, None
        for v in self._candidates():
            if v not in self.excluded and self._in_range(v):
                return True, v
        return False, None

    def _candidates(self) -> list[Any]:
        lo, hi = self.lo, self.hi
        if isinstance(lo, date) or isinstance(hi, date):
            return [d for d in (lo, hi) if d is not None]
        step = 1 if self.integer else Decimal("0.5")
        out: list[Any] = []
        if lo is not None:
            base = lo if self.lo_incl else lo + step
            if self.integer:
                base = -(-Decimal(base) // 1)
            out += [base, base + 1, base + 2]
        if hi is not None:
            top = hi if self.hi_incl else hi - step
            if self.integer:
                top = Decimal(top) // 1
            out += [top, top - 1]
        if lo is not None and hi is not None:
            out.append((Decimal(lo) + Decimal(hi)) / 2)
        return out or [0, 1]

    def _in_range(self, v: Any) -> bool:
        if isinstance(v, bool) or not isinstance(v, (int, Decimal, date)):
            return True
        if self.integer and isinstance(v, Decimal) and v != v.to_integral_value():
            return False
        if self.lo is not None and _comparable(self.lo, v) and (v < self.lo or (v == self.lo and not self.lo_incl)):
            return False
        if self.hi is not None and _comparable(self.hi, v) and (v > self.hi or (v == self.hi and not self.hi_incl)):
            return False
        return True


def _comparable(a: Any, b: Any) -> bool:
    return isinstance(a, date) == isinstance(b, date)


def solve(conjunct: Conjunct) -> Optional[dict[str, Any]]:
    """A value per constrained fact satisfying the conjunction's atoms, or None if none can.

    Opaque atoms are ignored: the answer is "maybe satisfiable", to be confirmed by evaluation.
    """
    facts = case_facts()
    domains: dict[str, _Domain] = {}
    for lit in conjunct:
        if isinstance(lit, Atom):
            domains.setdefault(lit.path, _Domain(facts.get(lit.path))).add(lit)
    out: dict[str, Any] = {}
    for path, dom in domains.items():
        ok, value = dom.witness()
        if not ok:
            return None
        out[path] = value
    return out


def satisfiable(node: n.Node, negate: bool = False) -> Optional[bool]:
    """False when provably never true (never false, with ``negate``); True when a conjunction may hold; None if too complex."""
    try:
        return any(solve(c) is not None for c in dnf(node, negate))
    except TooComplex:
        return None


def witnesses(node: n.Node) -> list[dict[str, Any]]:
    """One candidate assignment per satisfiable conjunction (input and derived paths mixed)."""
    try:
        conjuncts = dnf(node)
    except TooComplex:
        return []
    return [w for w in (solve(c) for c in conjuncts) if w is not None]


def atoms(node: n.Node) -> list[Atom]:
    """The fact-versus-literal comparisons of a condition ([] when too complex to expand)."""
    try:
        return [lit for conj in dnf(node) for lit in conj if isinstance(lit, Atom)]
    except TooComplex:
        return []


# The two values either side of the line a comparison draws: t-1 | t for >= t, t | t+1 for > t.
_SIDES = {">=": (-1, 0), "<": (-1, 0), ">": (0, 1), "<=": (0, 1), "==": (0, 1), "!=": (0, 1)}


def thresholds(conditions: list[n.Node]) -> dict[str, set[Any]]:
    """For each numeric fact the conditions compare with a literal: a value on each side of the line."""
    out: dict[str, set[Any]] = {}
    for node in conditions:
        for lit in atoms(node):
            if isinstance(lit.value, (int, Decimal)) and not isinstance(lit.value, bool):
                out.setdefault(lit.path, set()).update(lit.value + d for d in _SIDES[lit.op])
    return out


def both(a: n.Node, b: n.Node) -> n.Node:
    return n.BoolOp("and", (a, b), 0, 0)
