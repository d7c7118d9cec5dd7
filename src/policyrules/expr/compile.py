"""Compile a type-checked AST into nested closures, once, at load time.

Evaluation reads facts from a flat mapping ``path -> value``. A fact that is
absent (or None) evaluates to :class:`Unknown`, which carries the paths that
were missing and propagates through arithmetic and comparisons. ``and`` and
``or`` follow Kleene's three-valued logic, so ``False and <unknown>`` is
False: a rule is never left undecided when the facts given already decide it.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Mapping, Optional

from policyrules.dates import (
    add_days,
    add_months,
    add_years,
    days_between,
    months_between,
    parse_iso_date,
    years_between,
)
from policyrules.errors import Phrase
from policyrules.types import CONTEXT

from . import nodes as n

Env = Mapping[str, Any]
Fn = Callable[[Env], Any]


@dataclass(frozen=True)
class Unknown:
    """The value of an expression whose inputs are missing."""

    missing: frozenset[str]

    def __or__(self, other: Unknown) -> Unknown:
        return Unknown(self.missing | other.missing)


class EvaluationError(ArithmeticError):
    """A value the expression cannot compute (division by zero); ``phrase`` says it in either language."""

    def __init__(self, message: str, phrase: Phrase) -> None:
        super().__init__(message)
        self.phrase = phrase


def compile_expr(node: n.Node) -> Fn:
    return _COMPILERS[type(node)](node)


def _literal(node: n.Literal) -> Fn:
    value = node.value
    return lambda env: value


def _name(node: n.Name) -> Fn:
    path = node.path
    missing = Unknown(frozenset((path,)))

    def name(env: Env) -> Any:
        v = env.get(path)
        return missing if v is None else v

    return name


def _list(node: n.ListLit) -> Fn:
    items = tuple(compile_expr(i) for i in node.items)

    def lst(env: Env) -> Any:
        values = [f(env) for f in items]
        return values

    return lst


def _not(node: n.Not) -> Fn:
    f = compile_expr(node.operand)

    def not_(env: Env) -> Any:
        v = f(env)
        return v if v.__class__ is Unknown else not v

    return not_


def _neg(node: n.Neg) -> Fn:
    f = compile_expr(node.operand)

    def neg(env: Env) -> Any:
        v = f(env)
        return v if v.__class__ is Unknown else -v

    return neg


def _boolop(node: n.BoolOp) -> Fn:
    fs = tuple(compile_expr(v) for v in node.values)
    decisive = node.op == "or"  # the value that decides: True for or, False for and

    def boolop(env: Env) -> Any:
        unknown = None
        for f in fs:
            v = f(env)
            if v.__class__ is Unknown:
                unknown = v if unknown is None else unknown | v
            elif v is decisive:
                return decisive
        return unknown if unknown is not None else not decisive

    return boolop


_CMP: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _fact_reader(node: n.Node) -> Optional[tuple[str, Unknown]]:
    """(path, its Unknown) when ``node`` reads one fact: the hot case, read inline below."""
    if isinstance(node, n.Name):
        return node.path, Unknown(frozenset((node.path,)))
    return None


def _compare(node: n.Compare) -> Fn:
    left = compile_expr(node.left)
    fact = _fact_reader(node.left)
    if node.op in ("in", "not in"):
        assert isinstance(node.right, n.ListLit)
        items = tuple(compile_expr(i) for i in node.right.items)
        negate = node.op == "not in"
        if all(isinstance(i, n.Literal) for i in node.right.items):
            members = frozenset(i.value for i in node.right.items)  # type: ignore[union-attr]
            if fact is not None:
                path, missing = fact

                def fact_in_set(env: Env) -> Any:
                    v = env.get(path)
                    if v is None:
                        return missing
                    if v.__class__ is Unknown:
                        return v
                    return (v in members) is not negate

                return fact_in_set

            def in_set(env: Env) -> Any:
                v = left(env)
                if v.__class__ is Unknown:
                    return v
                return (v in members) is not negate

            return in_set

        def in_list(env: Env) -> Any:
            v = left(env)
            values = [f(env) for f in items]
            unknown = [x for x in [v, *values] if x.__class__ is Unknown]
            if v.__class__ is not Unknown and v in [x for x in values if x.__class__ is not Unknown]:
                return not negate
            if unknown:
                out = unknown[0]
                for u in unknown[1:]:
                    out = out | u
                return out
            return negate

        return in_list

    op = _CMP[node.op]
    if fact is not None and isinstance(node.right, n.Literal):
        # A fact against a constant, the commonest condition in every pack.
        path, missing = fact
        constant = node.right.value

        def fact_vs_constant(env: Env) -> Any:
            v = env.get(path)
            if v is None:
                return missing
            if v.__class__ is Unknown:
                return v
            return op(v, constant)

        return fact_vs_constant
    return _binary(op, left, compile_expr(node.right))


def _binary(op: Callable[[Any, Any], Any], left: Fn, right: Fn) -> Fn:
    """``op`` on two operands; unknown if either is, with the missing facts of both."""

    def binary(env: Env) -> Any:
        a = left(env)
        b = right(env)
        if a.__class__ is Unknown:
            return a | b if b.__class__ is Unknown else a
        if b.__class__ is Unknown:
            return b
        return op(a, b)

    return binary


def _divide(a: Any, b: Any) -> Decimal:
    if b == 0:
        raise EvaluationError("division by zero", Phrase("arith.division_by_zero"))
    return CONTEXT.divide(Decimal(a), Decimal(b))  # the library's context, whoever calls


_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": _divide,
}


def _binop(node: n.BinOp) -> Fn:
    return _binary(_ARITH[node.op], compile_expr(node.left), compile_expr(node.right))


def _ifelse(node: n.IfElse) -> Fn:
    test = compile_expr(node.test)
    body = compile_expr(node.body)
    orelse = compile_expr(node.orelse)

    def ifelse(env: Env) -> Any:
        t = test(env)
        if t.__class__ is Unknown:
            # Branches that agree need no test: 'x if t else x' is x whatever t is.
            try:
                a, b = body(env), orelse(env)
            except ArithmeticError:
                return t
            if a.__class__ is not Unknown and b.__class__ is not Unknown and a == b:
                return a
            return t
        return body(env) if t else orelse(env)

    return ifelse


def _floor(x: Any) -> Any:
    return math.floor(x)


def _ceil(x: Any) -> Any:
    return math.ceil(x)


_FUNCS: dict[str, Callable[..., Any]] = {
    "min": min,
    "max": max,
    "floor": _floor,
    "ceil": _ceil,
    "abs": abs,
    "months_between": months_between,
    "years_between": years_between,
    "days_between": days_between,
    "year": lambda d: d.year,
    "add_years": lambda d, k: add_years(d, _whole(k, "years")),
    "add_months": lambda d, k: add_months(d, _whole(k, "months")),
    "add_days": lambda d, k: add_days(d, _whole(k, "days")),
}


def _whole(k: Any, what: str) -> int:
    # The texts count whole years and months; a fraction has no calendar meaning here.
    if k != int(k):
        said = Phrase.of("arith.not_whole", k=k, what=Phrase(f"arith.{what}"))
        raise EvaluationError(f"cannot add {k} {what} to a date: not a whole number", said)
    return int(k)


def _call(node: n.Call) -> Fn:
    if node.func == "quantity":
        value = node.args[0].value  # type: ignore[union-attr]
        return lambda env: value
    if node.func == "date":
        day = parse_iso_date(node.args[0].value)  # type: ignore[union-attr]
        return lambda env: day
    impl = _FUNCS[node.func]
    args = tuple(compile_expr(a) for a in node.args)

    def call(env: Env) -> Any:
        values = [f(env) for f in args]
        unknown = None
        for v in values:
            if v.__class__ is Unknown:
                unknown = v if unknown is None else unknown | v
        if unknown is not None:
            return unknown
        return impl(*values)

    return call


_COMPILERS: dict[type, Callable[[Any], Fn]] = {
    n.Literal: _literal,
    n.Name: _name,
    n.ListLit: _list,
    n.Not: _not,
    n.Neg: _neg,
    n.BoolOp: _boolop,
    n.Compare: _compare,
    n.BinOp: _binop,
    n.IfElse: _ifelse,
    n.Call: _call,
}
