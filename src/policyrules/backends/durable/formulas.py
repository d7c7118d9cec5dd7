"""Kleene logic as positive durable tests: a rule's skeleton becomes one formula per state.

Durable only matches positive conditions, so true, false, unknown and error
reached are each written as a formula over the stage fact's properties,
exclusive by construction and short-circuiting like the native evaluator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .planning import Skeleton, _BoolOp, _Const, _Not

_PY_CODE = {"F": 0, "U": 1, "T": 2, "E": 3}  # a Python atom's state in a stage fact: T-or-U and F-or-U are ranges


# A formula is TRUE, FALSE, ("and", items), ("or", items) or a test (op, prop, code).
TRUE: tuple = ("true",)
FALSE: tuple = ("false",)


def _all(items: list[tuple]) -> tuple:
    out: list[tuple] = []
    for f in items:
        if f == FALSE:
            return FALSE
        if f == TRUE:
            continue
        for g in f[1] if f[0] == "and" else (f,):
            if g not in out:
                out.append(g)
    return TRUE if not out else out[0] if len(out) == 1 else ("and", tuple(out))


def _any(items: list[tuple]) -> tuple:
    out: list[tuple] = []
    for f in items:
        if f == TRUE:
            return TRUE
        if f == FALSE:
            continue
        for g in f[1] if f[0] == "or" else (f,):
            if g not in out:
                out.append(g)
    return FALSE if not out else out[0] if len(out) == 1 else ("or", tuple(out))


@dataclass(frozen=True)
class _State:
    """A sub-condition's four exclusive states as formulas (true, false, unknown, error reached),
    and two unions kept compact where an atom allows: true-or-unknown, false-or-unknown."""

    T: tuple
    F: tuple
    U: tuple
    E: tuple
    TU: tuple
    FU: tuple


def _conj(items: list[_State]) -> _State:
    """``a and b and …`` as the native evaluator runs it: left to right, the first false or error decides.

    Without atoms that can raise (the usual case) this is just T = all T, F = any F.
    """
    may_fail = [s.E != FALSE for s in items]
    false = _any([_all([s.F] + [items[j].TU for j in range(i) if may_fail[j]]) for i, s in enumerate(items)])
    error = _any([_all([s.E] + [t.TU for t in items[:i]]) for i, s in enumerate(items) if may_fail[i]])
    goes_on = _all([s.TU for s in items])  # no operand false, none raised
    unknown = _all([goes_on, _any([s.U for s in items])])
    return _State(_all([s.T for s in items]), false, unknown, error, goes_on, _any([false, unknown]))


def _swap(s: _State) -> _State:
    return _State(T=s.F, F=s.T, U=s.U, E=s.E, TU=s.FU, FU=s.TU)


def _state(skel: Skeleton, codes: dict[str, tuple[Any, ...]]) -> _State:
    if isinstance(skel, _Const):
        t, f = (TRUE, FALSE) if skel.value else (FALSE, TRUE)
        return _State(t, f, FALSE, FALSE, t, f)
    if isinstance(skel, _Not):
        return _swap(_state(skel.item, codes))
    if isinstance(skel, _BoolOp):
        items = [_state(i, codes) for i in skel.items]
        if skel.op == "and":
            return _conj(items)
        return _swap(_conj([_swap(s) for s in items]))  # or: and with true and false exchanged
    if skel.python:
        p = skel.prop
        t, f, u, e = (("eq", p, _PY_CODE[s]) for s in "TFUE")
        true_or_unknown = _all([("gte", p, _PY_CODE["U"]), ("lte", p, _PY_CODE["T"])])
        return _State(t, f, u, e, true_or_unknown, ("lte", p, _PY_CODE["U"]))
    lits = codes[skel.path]  # type: ignore[index]
    p = skel.prop
    missing = ("nex", p, 1)
    cs = [2 * lits.index(c) + 1 for c in skel.constants]  # a literal's own code (see code())
    if skel.op in ("in", "not in"):
        member = _any([("eq", p, c) for c in cs])
        other = _all([("neq", p, c) for c in cs])
        t, f = (member, other) if skel.op == "in" else (other, member)
        return _State(t, f, missing, FALSE, _any([t, missing]), _any([f, missing]))
    c = cs[0]
    true_op, false_op = {
        "==": ("eq", "neq"),
        "!=": ("neq", "eq"),
        "<": ("lt", "gte"),
        "<=": ("lte", "gt"),
        ">": ("gt", "lte"),
        ">=": ("gte", "lt"),
    }[skel.op]  # type: ignore[index]
    t, f = (true_op, p, c), (false_op, p, c)
    return _State(t, f, missing, FALSE, _any([t, missing]), _any([f, missing]))


def _terms(f: tuple) -> int:
    """How many terms durable's expansion of ``f`` to disjunctive normal form has."""
    if f[0] == "and":
        out = 1
        for g in f[1]:
            out *= _terms(g)
        return out
    if f[0] == "or":
        return sum(_terms(g) for g in f[1])
    return 0 if f == FALSE else 1


_OPS = {"neq": "$neq", "lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte", "nex": "$nex"}


def _json(f: tuple) -> dict[str, Any]:
    if f[0] in ("and", "or"):
        return {"$" + f[0]: [_json(g) for g in f[1]]}
    op, prop, value = f
    return {prop: value} if op == "eq" else {_OPS[op]: {prop: value}}
