"""The column compiler: a pack's checked expression trees evaluated over whole columns at once.

Every node gives a :class:`Col`: its values for every row and a missing-fact
mask per row (see :mod:`.masks`). The semantics are the scalar engine's, row
for row (``policyrules.expr.compile``):

* a missing fact is unknown and carries its own name; arithmetic and
  comparisons carry the union of their operands' missing facts;
* ``and``/``or`` follow Kleene's logic: a known operand equal to the deciding
  value decides, whatever else is missing;
* numbers are exact: int64 fixed point with a scale per node (0.015 is 15 at
  scale 3). Multiplication adds scales, addition and comparison align them.
  Division is exact or the row is not decided here.

A row this path cannot decide exactly (an intermediate value beyond ±2⁶²,
division by zero, an inexact quotient, conflicting setters of a derived fact)
is flagged; the batch driver hands flagged rows to the scalar engine. A node
or function this module does not know raises :class:`Unsupported`, and the
driver hands the whole chunk to the scalar engine (counted and reported):
never a guess, never a float.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Callable, Optional

from policyrules.dates import parse_iso_date
from policyrules.expr import nodes as n
from policyrules.facts.vocabulary import DEFAULTS

from ._deps import need
from .masks import NONE, Masks

LIMIT = 2**62  # every exact intermediate stays inside ±LIMIT; beyond it the row goes to the scalar engine


class Unsupported(Exception):
    """A construct the column path does not evaluate; its rows go to the scalar engine."""


@dataclass
class Col:
    kind: str  # bool | num | text | date, or missing (every row missing: takes the kind it is used as)
    val: Any  # an array of n rows, or one Python/numpy scalar for every row
    miss: Any  # a mask (see Masks) or NONE
    scale: int = 0  # num: the value is val / 10**scale
    vocab: Optional[list[str]] = None  # text arrays: val holds codes into vocab


@dataclass
class Input:
    """One fact's column, ready for the compiler: values, nulls, and how to read the values."""

    kind: str  # bool | num | text | date
    values: Any
    null: Any  # bool array, or None when no row is null
    scale: int = 0
    vocab: Optional[list[str]] = None
    defaulted: Any = None  # bool array: rows whose value is a declared neutral default, not given by the case


_AS_OF_DEFAULTS = frozenset(d.path for d in DEFAULTS if d.source == "as_of")


def scaled(value: Any) -> tuple[int, int]:
    """An exact number as (integer, scale): Decimal('0.015') -> (15, 3)."""
    d = Decimal(value)
    exponent = d.as_tuple().exponent
    assert isinstance(exponent, int)
    scale = max(0, -exponent)
    return int(d.scaleb(scale)), scale


class Context:
    """The state of one chunk's evaluation: its inputs, environment, and the rows flagged for the scalar engine."""

    def __init__(self, masks: Masks, inputs: dict[str, Input], n_rows: int, as_of: date) -> None:
        self.np = need("numpy")
        self.masks = masks
        self.inputs = inputs
        self.n = n_rows
        self.as_of = as_of
        self.env: dict[str, Col] = {}
        self.fallback = self.np.zeros(n_rows, dtype=bool)
        self.reasons: Counter[str] = Counter()

    # ---- rows the exact path cannot decide ----
    def flag(self, rows: Any, reason: str) -> None:
        count = int(rows.sum()) if not isinstance(rows, bool) else (self.n if rows else 0)
        if count:
            self.fallback |= rows
            self.reasons[reason] += count

    def maxabs(self, x: Any) -> int:
        if isinstance(x, (int, self.np.integer)):
            return abs(int(x))
        return int(self.np.abs(x).max()) if x.size else 0

    def checked(self, result: Callable[[], Any], estimate: Callable[[], Any], bound: int, reason: str) -> Any:
        """``result()`` when ``bound`` proves it exact, else with the rows that may overflow flagged and zeroed."""
        if bound < LIMIT:
            return result()
        np = self.np
        with np.errstate(over="ignore", invalid="ignore"):
            over = np.abs(estimate()) >= LIMIT / 2  # float estimate, only to find rows at risk
            if over.ndim == 0:
                over = np.full(self.n, bool(over))
            self.flag(over, reason)
            out = result()
        return np.where(over, 0, out)

    def mul(self, a: Any, b: Any) -> Any:
        np = self.np
        if isinstance(a, int) and isinstance(b, int):
            if abs(a * b) >= LIMIT:
                self.flag(np.ones(self.n, dtype=bool), "overflow")
                return 0
            return a * b
        return self.checked(
            lambda: np.multiply(a, b, dtype=np.int64),
            lambda: np.multiply(np.asarray(a, dtype=np.float64), b),
            self.maxabs(a) * self.maxabs(b),
            "overflow",
        )

    def add(self, a: Any, b: Any, sign: int = 1) -> Any:
        np = self.np
        if isinstance(a, int) and isinstance(b, int):
            return a + sign * b
        return self.checked(
            lambda: np.add(a, b) if sign > 0 else np.subtract(a, b),
            lambda: np.asarray(a, dtype=np.float64) + sign * np.asarray(b, dtype=np.float64),
            self.maxabs(a) + self.maxabs(b),
            "overflow",
        )

    def rescale(self, c: Col, scale: int) -> Any:
        if c.scale == scale:
            return c.val
        return self.mul(c.val, 10 ** (scale - c.scale))


class ColumnCompiler:
    """Evaluates expression nodes over a chunk; one instance per chunk (it holds the chunk's environment)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.np = ctx.np
        self.masks = ctx.masks

    # ---- names ----
    def name(self, node: n.Name) -> Col:
        ctx, np = self.ctx, self.np
        path = node.path
        if path in ctx.env:
            return ctx.env[path]
        if path == "as_of":
            return Col("date", np.datetime64(ctx.as_of, "D"), NONE)
        inp = ctx.inputs.get(path)
        if path in _AS_OF_DEFAULTS:
            # the vocabulary's neutral default, as the scalar engine takes it: a missing date is as_of
            day = np.datetime64(ctx.as_of, "D")
            if inp is None:
                col = Col("date", day, NONE)
            else:
                col = Col("date", inp.values if inp.null is None else np.where(inp.null, day, inp.values), NONE)
        elif inp is None:
            # an absent column, a parameter not in force, a derived fact no setter set: missing as itself
            col = Col("missing", False, self.masks.of(np.ones(ctx.n, dtype=bool), path))
        else:
            miss = NONE if inp.null is None else self.masks.of(inp.null, path)
            col = Col(inp.kind, inp.values, miss, inp.scale, inp.vocab)
        ctx.env[path] = col
        return col

    # ---- dispatch ----
    def emit(self, node: Any) -> Col:
        handler = VECTORISED.get(type(node))
        if handler is None:
            raise Unsupported(f"expression node {type(node).__name__}")
        return handler(self, node)

    def literal(self, node: n.Literal) -> Col:
        v = node.value
        if isinstance(v, bool):
            return Col("bool", v, NONE)
        if isinstance(v, str):
            return Col("text", v, NONE)
        if isinstance(v, date):
            return Col("date", self.np.datetime64(v, "D"), NONE)
        iv, sc = scaled(v)
        if abs(iv) >= LIMIT:
            raise Unsupported("a constant beyond the exact range")
        return Col("num", iv, NONE, sc)

    def list_lit(self, node: n.ListLit) -> Col:
        raise Unsupported("a list outside `in`")

    def not_(self, node: n.Not) -> Col:
        x = self.emit(node.operand)
        return Col("bool", (not x.val) if isinstance(x.val, (bool, self.np.bool_)) else ~x.val, x.miss)

    def neg(self, node: n.Neg) -> Col:
        x = self.as_kind(self.emit(node.operand), "num")
        return Col("num", -x.val, x.miss, x.scale)

    def boolop(self, node: n.BoolOp) -> Col:
        np, masks = self.np, self.masks
        parts = [self.emit(v) for v in node.values]
        decisive = node.op == "or"
        hit: Any = False
        for p in parts:  # a known operand equal to the deciding value decides
            if isinstance(p.val, (bool, np.bool_)):
                h: Any = bool(p.val) == decisive
            else:
                h = p.val if decisive else ~p.val
            if p.miss is not NONE:
                h = h & masks.known(p.miss)
            hit = h if hit is False else (hit | h)
        miss = masks.union(p.miss for p in parts)
        if miss is not NONE:
            miss = masks.where(hit, NONE, miss, self.ctx.n)
        if isinstance(hit, (bool, np.bool_)):
            val: Any = bool(hit) if decisive else not hit
        else:
            val = hit if decisive else ~hit
        return Col("bool", val, miss)

    # ---- comparisons ----
    def _codes(self, cols: list[Col]) -> tuple[list[Any], list[str]]:
        """Text columns and literals as codes into one shared vocabulary."""
        np = self.np
        vocab: dict[str, int] = {}
        for c in cols:
            for word in c.vocab if c.vocab is not None else [c.val]:
                vocab.setdefault(word, len(vocab))
        out = []
        for c in cols:
            if c.vocab is None:
                out.append(vocab[c.val])
            else:
                lookup = np.array([vocab[w] for w in c.vocab] + [-1], dtype=np.int32)
                out.append(lookup[c.val])  # code -1 (a null's placeholder) maps to -1
        return out, list(vocab)

    def _align(self, cols: list[Col]) -> tuple[list[Any], int, Optional[list[str]]]:
        """Operands made comparable: numbers at one scale, text as shared codes, others as they are."""
        kinds = {c.kind for c in cols} - {"missing"} or {"bool"}
        if len(kinds) == 1 and "missing" in {c.kind for c in cols}:
            cols = [self.as_kind(c, next(iter(kinds))) for c in cols]
        if kinds == {"num"}:
            sc = max(c.scale for c in cols)
            return [self.ctx.rescale(c, sc) for c in cols], sc, None
        if kinds == {"text"}:
            if len(cols) == 2 and cols[0].vocab is not None and cols[1].vocab is None:
                code = cols[0].vocab.index(cols[1].val) if cols[1].val in cols[0].vocab else -2
                return [cols[0].val, code], 0, cols[0].vocab
            values, vocab = self._codes(cols)
            return values, 0, vocab
        if len(kinds) == 1 and kinds <= {"bool", "date"}:
            return [c.val for c in cols], 0, None
        raise Unsupported(f"operands of kinds {sorted(kinds)}")

    def as_kind(self, c: Col, kind: str) -> Col:
        """A column missing on every row, as a placeholder of the kind it is used as."""
        if c.kind != "missing":
            return c
        placeholder = {"num": 0, "bool": False, "date": self.np.datetime64("1970-01-01", "D"), "text": -1}[kind]
        return Col(kind, placeholder, c.miss, 0, [] if kind == "text" else None)

    def compare(self, node: n.Compare) -> Col:
        np = self.np
        if node.op in ("in", "not in"):
            if not isinstance(node.right, n.ListLit) or not all(isinstance(i, n.Literal) for i in node.right.items):
                raise Unsupported("`in` a list of expressions")
            x = self.emit(node.left)
            items = [self.literal(i) for i in node.right.items]  # type: ignore[arg-type]
            if not items:
                return Col("bool", node.op == "not in", x.miss)
            values, _, _ = self._align([x, *items])
            val = np.isin(values[0], np.array(values[1:]))
            return Col("bool", ~val if node.op == "not in" else val, x.miss)
        a, b = self.emit(node.left), self.emit(node.right)
        (av, bv), _, _ = self._align([a, b])
        val = _COMPARE[node.op](np)(av, bv)
        return Col("bool", val, self.masks.union((a.miss, b.miss)))

    # ---- arithmetic ----
    def binop(self, node: n.BinOp) -> Col:
        ctx = self.ctx
        a, b = self.as_kind(self.emit(node.left), "num"), self.as_kind(self.emit(node.right), "num")
        if a.kind != "num" or b.kind != "num":
            raise Unsupported(f"arithmetic on {a.kind} and {b.kind}")
        miss = self.masks.union((a.miss, b.miss))
        if node.op == "*":
            return Col("num", ctx.mul(a.val, b.val), miss, a.scale + b.scale)
        if node.op in ("+", "-"):
            sc = max(a.scale, b.scale)
            return Col("num", ctx.add(ctx.rescale(a, sc), ctx.rescale(b, sc), 1 if node.op == "+" else -1), miss, sc)
        return self.divide(a, b, miss)

    def divide(self, a: Col, b: Col, miss: Any) -> Col:
        """a / b, exact: a constant divisor of the form 2^i·5^j, otherwise per row with the remainder checked."""
        ctx, np = self.ctx, self.np
        if isinstance(b.val, int) and b.val != 0:
            divisor = abs(b.val)
            for k in range(19):
                if (10**k) % divisor == 0:
                    factor = (10**k) // divisor * (1 if b.val > 0 else -1)
                    scale = a.scale + k - b.scale
                    if scale < 0:  # x / 0.01: a whole multiple
                        factor, scale = factor * 10**-scale, 0
                    return Col("num", ctx.mul(a.val, factor), miss, scale)
        extra = 6
        numerator = ctx.mul(a.val, 10 ** (b.scale + extra))
        known = self.masks.known(miss)
        bv = np.broadcast_to(np.asarray(b.val, dtype=np.int64), (ctx.n,))
        zero = (bv == 0) & known
        ctx.flag(zero, "division by zero")
        safe = np.where(bv == 0, 1, bv)
        quotient, remainder = np.divmod(numerator, safe)
        ctx.flag((remainder != 0) & known & ~zero, "inexact division")
        return Col("num", quotient, miss, a.scale + extra)

    def ifelse(self, node: n.IfElse) -> Col:
        np, masks, ctx = self.np, self.masks, self.ctx
        t, body, other = self.emit(node.test), self.emit(node.body), self.emit(node.orelse)
        (bv, ov), sc, vocab = self._align([body, other])
        val = np.where(t.val, bv, ov)
        inner = masks.where(t.val, body.miss, other.miss, ctx.n)
        if t.miss is NONE:
            miss = inner
        else:
            # An unknown test leaves the value unknown with the test's missing facts, unless both branches
            # are known and equal: `0 if exempt else shortfall * wage` is 0 when the shortfall is 0.
            agree = masks.known(masks.union((body.miss, other.miss))) & (bv == ov)
            unsure = masks.where(agree, NONE, t.miss, ctx.n)
            miss = masks.where(masks.known(t.miss), inner, unsure, ctx.n)
            val = np.where(agree, bv, val)
        return Col(other.kind if body.kind == "missing" else body.kind, val, miss, sc, vocab)

    # ---- functions ----
    def call(self, node: n.Call) -> Col:
        np = self.np
        f = node.func
        if f == "quantity":
            return self.emit(node.args[0])
        if f == "date":
            return Col("date", np.datetime64(parse_iso_date(node.args[0].value), "D"), NONE)  # type: ignore[union-attr]
        impl = _FUNCTIONS.get(f)
        if impl is None:
            raise Unsupported(f"function {f}()")
        want = "date" if f in ("year", "months_between", "years_between", "days_between") else "num"
        args = [self.as_kind(self.emit(x), want) for x in node.args]
        miss = self.masks.union(x.miss for x in args)
        return impl(self, args, miss)

    def _minmax(self, args: list[Col], miss: Any, pick: str) -> Col:
        values, sc, _ = self._align(args)
        g = getattr(self.np, "minimum" if pick == "min" else "maximum")
        out = values[0]
        for v in values[1:]:
            out = g(out, v)
        return Col("num", out, miss, sc)

    def _round(self, args: list[Col], miss: Any, up: bool) -> Col:
        (x,) = args
        q = 10**x.scale
        return Col("num", -((-x.val) // q) if up else x.val // q, miss, 0)

    def _year(self, args: list[Col], miss: Any) -> Col:
        (x,) = args
        return Col("num", _years(self.np, x.val), miss, 0)

    def _months(self, args: list[Col], miss: Any, years: bool) -> Col:
        np = self.np
        a, b = args
        ya, yb = _years(np, a.val), _years(np, b.val)
        ma = np.asarray(a.val).astype("datetime64[M]").astype(np.int64) % 12
        mb = np.asarray(b.val).astype("datetime64[M]").astype(np.int64) % 12
        da = (np.asarray(a.val) - np.asarray(a.val).astype("datetime64[M]")).astype(np.int64)
        db = (np.asarray(b.val) - np.asarray(b.val).astype("datetime64[M]")).astype(np.int64)
        months = (yb - ya) * 12 + (mb - ma) - (db < da)
        if np.ndim(months) == 0:
            months = int(months)
        return Col("num", months // 12 if years else months, miss, 0)


def _years(np: Any, v: Any) -> Any:
    out = np.asarray(v).astype("datetime64[Y]").astype(np.int64) + 1970
    return int(out) if np.ndim(out) == 0 else out


_COMPARE: dict[str, Callable[[Any], Callable[[Any, Any], Any]]] = {
    "==": lambda np: np.equal,
    "!=": lambda np: np.not_equal,
    "<": lambda np: np.less,
    "<=": lambda np: np.less_equal,
    ">": lambda np: np.greater,
    ">=": lambda np: np.greater_equal,
}

_FUNCTIONS: dict[str, Callable[[ColumnCompiler, list[Col], Any], Col]] = {
    "min": lambda c, a, m: c._minmax(a, m, "min"),
    "max": lambda c, a, m: c._minmax(a, m, "max"),
    "floor": lambda c, a, m: c._round(a, m, up=False),
    "ceil": lambda c, a, m: c._round(a, m, up=True),
    "abs": lambda c, a, m: Col("num", c.np.abs(a[0].val), m, a[0].scale),
    "year": lambda c, a, m: c._year(a, m),
    "months_between": lambda c, a, m: c._months(a, m, years=False),
    "years_between": lambda c, a, m: c._months(a, m, years=True),
    "days_between": lambda c, a, m: Col(
        "num", (c.np.asarray(a[1].val) - c.np.asarray(a[0].val)).astype(c.np.int64), m, 0
    ),
}
"""Functions of the expression language evaluated on columns; ``quantity`` and ``date`` are constants."""
CONSTANT_FUNCTIONS = frozenset({"quantity", "date"})
SCALAR_FUNCTIONS = frozenset({"add_years", "add_months", "add_days"})
"""Functions left to the scalar engine (a chunk using one raises :class:`Unsupported`): calendar additions."""

VECTORISED: dict[type, Callable[[ColumnCompiler, Any], Col]] = {
    n.Literal: ColumnCompiler.literal,
    n.Name: ColumnCompiler.name,
    n.ListLit: ColumnCompiler.list_lit,
    n.Not: ColumnCompiler.not_,
    n.Neg: ColumnCompiler.neg,
    n.BoolOp: ColumnCompiler.boolop,
    n.Compare: ColumnCompiler.compare,
    n.BinOp: ColumnCompiler.binop,
    n.IfElse: ColumnCompiler.ifelse,
    n.Call: ColumnCompiler.call,
}
"""Node types the column path evaluates; any other raises :class:`Unsupported` (its chunk goes to the scalar engine)."""
