"""Static types of expressions, checked once when a pack loads.

Numbers carry a unit (a :class:`Dim`). A bare number literal has no unit of
its own and takes the unit of whatever it is added to or compared with, so
``unit.staff >= 50`` and ``min(business.monthly_rent, 1000)`` read naturally,
while ``business.monthly_rent + person.social_insurance_paid_last_year``
(CNY/month + CNY/year) is rejected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from policyrules.errors import ExpressionError, Phrase
from policyrules.errors.phrases import either
from policyrules.units import DIMENSIONLESS, Dim, parse_unit

from . import nodes as n


@dataclass(frozen=True)
class Type:
    kind: str  # "bool" | "number" | "string" | "date" | "list"
    dim: Dim | None = None  # numbers: None for a unit-less literal
    choices: frozenset[str] | None = None  # strings: the allowed values, when closed
    item: Type | None = None  # lists

    def __str__(self) -> str:
        if self.kind == "number":
            return "number" if self.dim is None else f"number [{self.dim}]"
        if self.kind == "list" and self.item is not None:
            return f"list of {self.item}"
        return self.kind

    def said(self) -> Phrase:
        """The type as a reader is told it, in either language."""
        if self.kind == "number" and self.dim is not None:
            return Phrase.of("type.number_in", dim=self.dim)
        if self.kind == "list" and self.item is not None:
            return Phrase.of("type.list_of", item=self.item.said())
        return Phrase.of(f"type.{self.kind}")


_BETWEEN = {"months_between": "month", "years_between": "year", "days_between": "day"}
_ADD = {"add_years": "year", "add_months": "month", "add_days": "day"}

BOOL = Type("bool")
DATE = Type("date")
STRING = Type("string")


def number(dim: Dim | None) -> Type:
    return Type("number", dim=dim)


Lookup = Callable[[str], "Type | None"]
Suggest = Callable[[str], "list[str]"]


def check(node: n.Node, lookup: Lookup, suggest: Suggest) -> Type:
    """Return the type of ``node`` or raise :class:`ExpressionError` at the culprit."""
    return _Checker(lookup, suggest).type_of(node)


def _unify_dims(a: Dim | None, b: Dim | None, node: n.Node, what: str | Phrase) -> Dim | None:
    if a is None:
        return b
    if b is None or a == b:
        return a
    raise ExpressionError.at(node.start, "expr.mixes_units", what=what, a=a, b=b)


class _Checker:
    def __init__(self, lookup: Lookup, suggest: Suggest) -> None:
        self.lookup = lookup
        self.suggest = suggest

    def type_of(self, node: n.Node) -> Type:
        method = getattr(self, "_" + type(node).__name__)
        return method(node)

    def _Literal(self, node: n.Literal) -> Type:
        v = node.value
        if isinstance(v, bool):
            return BOOL
        if isinstance(v, str):
            return Type("string", choices=frozenset({v}))
        return number(None)

    def _Name(self, node: n.Name) -> Type:
        t = self.lookup(node.path)
        if t is None:
            hints = self.suggest(node.path)
            if hints:
                said = either([repr(h) for h in hints])
                raise ExpressionError.at(node.start, "expr.unknown_fact_hint", path=node.path, hints=said)
            raise ExpressionError.at(node.start, "expr.unknown_fact", path=node.path)
        return t

    def _ListLit(self, node: n.ListLit) -> Type:
        if not node.items:
            raise ExpressionError.at(node.start, "expr.empty_list")
        item = self.type_of(node.items[0])
        for other in node.items[1:]:
            item = self._join(item, self.type_of(other), other, Phrase.of("expr.where.list"))
        return Type("list", item=item)

    def _Not(self, node: n.Not) -> Type:
        self._expect(node.operand, "bool", "'not'")
        return BOOL

    def _Neg(self, node: n.Neg) -> Type:
        return self._expect(node.operand, "number", "'-'")

    def _BoolOp(self, node: n.BoolOp) -> Type:
        for v in node.values:
            self._expect(v, "bool", f"'{node.op}'")
        return BOOL

    def _Compare(self, node: n.Compare) -> Type:
        left = self.type_of(node.left)
        if node.op in ("in", "not in"):
            if not isinstance(node.right, n.ListLit):
                raise ExpressionError.at(node.right.start, "expr.in_needs_list", op=node.op)
            for item in node.right.items:
                self._join(left, self.type_of(item), item, f"'{node.op}'")
            return BOOL
        right = self.type_of(node.right)
        joined = self._join(left, right, node.right, Phrase.of("expr.where.comparison", op=node.op))
        if node.op not in ("==", "!=") and joined.kind not in ("number", "date"):
            raise ExpressionError.at(node.start, "expr.order_needs", op=node.op, type=joined.said())
        return BOOL

    def _BinOp(self, node: n.BinOp) -> Type:
        if self.type_of(node.left).kind == "date":
            raise ExpressionError.at(node.start, "expr.date_arithmetic", op=node.op)
        left = self._expect(node.left, "number", f"'{node.op}'")
        right = self._expect(node.right, "number", f"'{node.op}'")
        if node.op in "+-":
            return number(_unify_dims(left.dim, right.dim, node, f"'{node.op}'"))
        if left.dim is None and right.dim is None:
            return number(None)
        ld = left.dim or DIMENSIONLESS
        rd = right.dim or DIMENSIONLESS
        return number(ld * rd if node.op == "*" else ld / rd)

    def _IfElse(self, node: n.IfElse) -> Type:
        self._expect(node.test, "bool", "'if'")
        return self._join(self.type_of(node.body), self.type_of(node.orelse), node, "'if ... else'")

    def _Call(self, node: n.Call) -> Type:
        f, args = node.func, node.args

        def arity(k: int) -> None:
            if len(args) != k:
                raise ExpressionError.at(node.start, "expr.arity_one" if k == 1 else "expr.arity", f=f, k=k)

        if f in ("min", "max"):
            if len(args) < 2:
                raise ExpressionError.at(node.start, "expr.arity_min", f=f)
            dim: Dim | None = None
            for a in args:
                dim = _unify_dims(dim, self._expect(a, "number", f"{f}()").dim, a, f"{f}()")
            return number(dim)
        if f in ("floor", "ceil", "abs"):
            arity(1)
            return self._expect(args[0], "number", f"{f}()")
        if f in _BETWEEN:
            arity(2)
            for a in args:
                self._expect(a, "date", f"{f}()")
            return number(parse_unit(_BETWEEN[f]))
        if f in _ADD:
            # A date plus a duration: the duration must be in the function's own unit,
            # so 'add_years(d, hire.contract_months)' fails to load instead of adding months as years.
            arity(2)
            self._expect(args[0], "date", f"{f}()")
            amount = self._expect(args[1], "number", f"{f}()")
            want = parse_unit(_ADD[f])
            if amount.dim is not None and amount.dim != want:
                raise ExpressionError.at(args[1].start, "expr.adds_unit", f=f, want=want, got=amount.dim)
            return DATE
        if f == "year":
            arity(1)
            self._expect(args[0], "date", "year()")
            return number(parse_unit("year"))
        if f == "quantity":
            arity(2)
            amount, unit = args
            if not (isinstance(amount, n.Literal) and self.type_of(amount).kind == "number"):
                raise ExpressionError.at(amount.start, "expr.quantity_number")
            if not (isinstance(unit, n.Literal) and isinstance(unit.value, str)):
                raise ExpressionError.at(unit.start, "expr.quantity_unit")
            try:
                return number(parse_unit(unit.value))
            except ValueError as exc:
                raise ExpressionError.refused(exc, unit.start) from None
        if f == "date":
            arity(1)
            arg = args[0]
            if not (isinstance(arg, n.Literal) and isinstance(arg.value, str)):
                raise ExpressionError.at(arg.start, "expr.date_literal")
            from policyrules.dates import parse_iso_date

            try:
                parse_iso_date(arg.value)
            except ValueError as exc:
                raise ExpressionError.refused(exc, arg.start) from None
            return DATE
        raise ExpressionError.at(node.start, "expr.unknown_function", f=f)  # pragma: no cover - parser rejects

    def _expect(self, node: n.Node, kind: str, where: str) -> Type:
        t = self.type_of(node)
        if t.kind != kind:
            raise ExpressionError.at(node.start, "expr.needs", where=where, kind=Type(kind).said(), type=t.said())
        return t

    def _join(self, a: Type, b: Type, node: n.Node, where: str | Phrase) -> Type:
        if a.kind != b.kind:
            raise ExpressionError.at(node.start, "expr.compares", where=where, a=a.said(), b=b.said())
        if a.kind == "number":
            return number(_unify_dims(a.dim, b.dim, node, where))
        if a.kind == "string":
            return self._join_strings(a, b, node)
        return a

    @staticmethod
    def _join_strings(a: Type, b: Type, node: n.Node) -> Type:
        # A literal compared with a closed set of values must be one of them:
        # this is what catches 'sever' for 'severe' at load time.
        for closed, other in ((a, b), (b, a)):
            if closed.choices is not None and len(closed.choices) > 1 and other.choices is not None:
                bad = sorted(other.choices - closed.choices)
                if bad:
                    choices = ", ".join(repr(c) for c in sorted(closed.choices))
                    raise ExpressionError.at(node.start, "expr.not_a_choice", value=bad[0], choices=choices)
                return closed
        if a.choices is not None and b.choices is not None:
            return Type("string", choices=a.choices | b.choices)
        return STRING
