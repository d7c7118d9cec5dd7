"""One Python function per pack, generated from the pack's checked expression trees.

The closures of :mod:`policyrules.expr.compile` interpret a tree node by
node; this module translates the same trees, for every rule of a pack, into
one function built with the :mod:`ast` module and ``compile()``. The
function does what :func:`policyrules.engine.evaluator.run_rules` does —
the same conditions, the same derived facts, the same errors and conflicts —
in one frame, with facts in local variables.

Why this is safe (docs/backends.md says it for users):

* no text is ever compiled: the input is our own node types (``expr/nodes.py``),
  which the parser produced from a whitelist and the type checker accepted;
  every Python node is built here, from a closed set of templates;
* no identifier comes from a pack: facts are the locals ``f0, f1, …``, derived
  facts ``d0, …``, temporaries ``t1, …`` (numbered from 1 again in each rule's
  code), constants ``K0, …``, functions ``F0, …``, the pack's rules ``R0, …``
  and the parts of their conditions ``P0, …`` (our compiled objects, passed
  back as they are); a fact path or a rule id enters the code only as the
  *value* of an ``ast.Constant`` (a dictionary key, a label, or a member of a
  frozenset of strings);
* the function runs with empty ``__builtins__``; the only names it can reach
  are those bound in its namespace here (the whitelisted functions of the
  expression language, the shared arithmetic helpers, constants, ``U``, the
  table of shared unknowns, which it only reads);
* a node type the generator does not know is refused loudly when the pack's
  function is generated (:class:`CodegenError`), never skipped.

The remaining risk is a generator bug: a different answer, not code execution.
The closure evaluator is kept as the reference, and the tests compare both
(and durable) on every example, every case file and thousands of generated
cases per pack.

Values follow the closures exactly, with one change of representation
inside the function: an unknown value is the frozenset of its missing fact
paths (not an :class:`~policyrules.expr.Unknown`), and a fact's "missing"
set is built once per pack, not once per case. Kleene ``and``/``or`` keep
the closures' left-to-right short-circuit, so an operand that is not
reached cannot raise.
"""

from __future__ import annotations

import ast
import gc
import operator
import sys
import types
import typing
import weakref
from typing import Any, Callable, Optional

from policyrules.dates import parse_iso_date
from policyrules.errors import PolicyRulesError
from policyrules.expr import nodes as n
from policyrules.expr.compile import _ARITH, _CMP, _FUNCS, Unknown

from .model import CompiledPack, CompiledRule

FS = frozenset
EMPTY: frozenset[str] = frozenset()
AS_OF = "as_of"  # the one fact every environment holds (``evaluator.facts_env``)

Generated = Callable[[dict[str, Any]], tuple[tuple[Any, ...], list, list, list, list, list, dict[str, tuple[Any, ...]]]]
"""``run(env) -> (conditions, errors, conflicts, fired, undecided, false, figures)``; ``env`` ends with every
derived fact settled, as ``run_rules`` leaves it.

``conditions``: True, False or unknown (the frozenset of its missing facts), one per rule in pack order.
``errors``: ``(rule index, exception)`` in pack order; ``conflicts``: ``ConflictOut`` in settling order.
``fired``: the non-derive rules whose condition is True; ``undecided``: ``(rule, missing)`` of the non-derive
rules whose condition is unknown for want of facts; ``false``: ``(rule, part)`` of the non-derive rules whose
condition is False, ``part`` the part of the condition that decides it (as ``evaluator.decisive_part`` finds
it); all three in pack order. ``figures``: rule id -> the values of ``CompiledRule.figures()``, for the rules
that fired and compute any.
"""


class CodegenError(PolicyRulesError):
    """The generator met an expression node it has no translation for."""


# Inline Python operators where the language's operator is exactly Python's; anything
# else (a helper with a Decimal context, division) is called, so arithmetic lives in one place.
_INLINE_CMP = {
    operator.eq: ast.Eq,
    operator.ne: ast.NotEq,
    operator.lt: ast.Lt,
    operator.le: ast.LtE,
    operator.gt: ast.Gt,
    operator.ge: ast.GtE,
}
_INLINE_ARITH = {operator.add: ast.Add, operator.sub: ast.Sub, operator.mul: ast.Mult}


def _load(name: str) -> ast.Name:
    return ast.Name(id=name, ctx=ast.Load())


def _store(name: str) -> ast.Name:
    return ast.Name(id=name, ctx=ast.Store())


def _assign(name: str, value: ast.expr) -> ast.Assign:
    return ast.Assign(targets=[_store(name)], value=value)


def _const(value: Any) -> ast.Constant:
    return ast.Constant(value=value)


def _is(a: ast.expr, b: ast.expr) -> ast.Compare:
    return ast.Compare(left=a, ops=[ast.Is()], comparators=[b])


def _is_not(a: ast.expr, b: ast.expr) -> ast.Compare:
    return ast.Compare(left=a, ops=[ast.IsNot()], comparators=[b])


def _unknown(x: ast.expr) -> ast.Compare:
    """``x.__class__ is FS``: x is unknown, and is the set of its missing facts."""
    return _is(ast.Attribute(value=x, attr="__class__", ctx=ast.Load()), _load("FS"))


def _call(fn: ast.expr, *args: ast.expr) -> ast.Call:
    return ast.Call(func=fn, args=list(args), keywords=[])


def _method(obj: str, name: str, *args: ast.expr) -> ast.Call:
    return _call(ast.Attribute(value=_load(obj), attr=name, ctx=ast.Load()), *args)


def _union(a: ast.expr, b: ast.expr) -> ast.BinOp:
    return ast.BinOp(left=a, op=ast.BitOr(), right=b)


class _Generator:
    """Builds the module for one pack; ``ns`` is the namespace its code runs in."""

    def __init__(self, pack: CompiledPack) -> None:
        from .evaluator import UNSET  # the evaluator imports this module

        self.pack = pack
        # FS, UNSET and EMPTY are read into locals of those names first (``module``): the code tests against them
        # hundreds of times, and a local is read in less code than a global.
        self.ns: dict[str, Any] = {"__builtins__": {}, "G_FS": FS, "G_EMPTY": EMPTY, "G_UNSET": UNSET, "U": _UNKNOWNS}
        self.reads: dict[str, str] = {}  # env path -> local
        self.derived = {name: f"d{i}" for i, name in enumerate(pack.derived)}
        self.consts: dict[tuple[type, Any], str] = {}
        self.funcs: dict[Any, str] = {}
        self.temps = 0
        # names never bound to an unknown value: constants other than frozensets, and as_of (always in env)
        self.known: set[str] = set()
        # the parts of conditions a "no" can be decided by (bound as ``P0, …``); while a rule's condition that is an
        # 'and' is generated, the local that records which part made it false
        self.parts: list[n.Node] = []
        self.part_index: dict[int, int] = {}
        self.tracking: Optional[str] = None

    # ---- names bound in the namespace ----

    def bind(self, value: Any) -> ast.expr:
        """A constant Python cannot write as a literal (Decimal, date), bound once; a frozenset of strings (the
        missing facts of an unknown, the members of a list) is a constant of the code itself."""
        if value.__class__ is FS and all(v.__class__ is str for v in value):
            return _const(value)
        key = (type(value), value)
        if key not in self.consts:
            self.consts[key] = f"K{len(self.consts)}"
            self.ns[self.consts[key]] = value
            if value.__class__ is not FS:
                self.known.add(self.consts[key])
        return _load(self.consts[key])

    def may_be_unknown(self, x: ast.expr) -> bool:
        """False for a literal, a constant and as_of: no test of their class is generated."""
        if isinstance(x, ast.Constant):
            return x.value.__class__ is FS
        return not (isinstance(x, ast.Name) and x.id in self.known)

    def constant(self, value: Any) -> ast.expr:
        if value is None or type(value) in (bool, int, str):
            return _const(value)
        return self.bind(value)

    def helper(self, fn: Callable[..., Any]) -> ast.Name:
        if fn not in self.funcs:
            self.funcs[fn] = f"F{len(self.funcs)}"
            self.ns[self.funcs[fn]] = fn
        return _load(self.funcs[fn])

    def temp(self) -> str:
        """A local for an intermediate value. Each rule's code (and each rule's figures) counts them from 1
        again: its values are copied out before the next rule's code, and fewer locals make smaller code."""
        self.temps += 1
        name = f"t{self.temps}"
        self.known.discard(name)  # a name used again: what was known of its last value is not
        return name

    def read(self, path: str) -> ast.Name:
        if path.startswith("derived.") and path[len("derived.") :] in self.derived:
            return _load(self.derived[path[len("derived.") :]])
        if path not in self.reads:
            self.reads[path] = f"f{len(self.reads)}"
            if path == AS_OF:
                self.known.add(self.reads[path])
        return _load(self.reads[path])

    # ---- expressions: each appends statements to ``out`` and returns a Name or a Constant ----

    def emit(self, node: n.Node, out: list[ast.stmt]) -> ast.expr:
        emitter = _EMITTERS.get(type(node))
        if emitter is None:
            raise CodegenError(f"no code generation for expression node {type(node).__name__}")
        return emitter(self, node, out)

    def literal(self, node: n.Literal, out: list[ast.stmt]) -> ast.expr:
        return self.constant(node.value)

    def name(self, node: n.Name, out: list[ast.stmt]) -> ast.expr:
        return self.read(node.path)

    def list_(self, node: n.ListLit, out: list[ast.stmt]) -> ast.expr:
        # As the closures do: a list of the item values, unknown items included.
        items = [self.emit(i, out) for i in node.items]
        target = self.temp()
        out.append(_assign(target, ast.List(elts=items, ctx=ast.Load())))
        return _load(target)

    def unary(self, node: n.Not | n.Neg, out: list[ast.stmt]) -> ast.expr:
        x = self.emit(node.operand, out)
        target = self.temp()
        value: ast.expr = ast.UnaryOp(op=ast.Not() if isinstance(node, n.Not) else ast.USub(), operand=x)
        if not self.may_be_unknown(x):
            self.known.add(target)
        elif isinstance(node, n.Not):  # False if x is True else True if x is False else x
            value = ast.IfExp(
                test=_is(x, _const(True)),
                body=_const(False),
                orelse=ast.IfExp(test=_is(x, _const(False)), body=_const(True), orelse=x),
            )
        else:
            value = ast.IfExp(test=_unknown(x), body=x, orelse=value)
        out.append(_assign(target, value))
        return _load(target)

    def boolop(self, node: n.BoolOp, out: list[ast.stmt]) -> ast.expr:
        # while True: one pass, left to right; ``break`` as soon as a decisive value is met.
        decisive = node.op == "or"
        target, missing = self.temp(), self.temp()
        out.append(_assign(missing, _const(None)))
        out.append(_assign(target, _const(not decisive)))
        loop: list[ast.stmt] = []
        any_unknown = False
        for operand in node.values:
            # Each operand is True, False, or unknown (the frozenset of its missing facts): the type checker
            # admits only conditions here.
            x = self.emit(operand, loop)
            gather: list[ast.stmt] = []
            if self.may_be_unknown(x):
                any_unknown = True
                union = ast.IfExp(test=_is(_load(missing), _const(None)), body=x, orelse=_union(_load(missing), x))
                gather = [ast.If(test=_is_not(x, _const(not decisive)), body=[_assign(missing, union)], orelse=[])]
            loop.append(
                ast.If(
                    test=_is(x, _const(decisive)),
                    body=[_assign(target, _const(decisive)), *self.track(node, operand), ast.Break()],
                    orelse=gather,
                )
            )
        if any_unknown:
            loop.append(
                ast.If(test=_is_not(_load(missing), _const(None)), body=[_assign(target, _load(missing))], orelse=[])
            )
        else:
            self.known.add(target)
        loop.append(ast.Break())
        out.append(ast.While(test=_const(True), body=loop, orelse=[]))
        return _load(target)

    def part(self, node: n.Node) -> ast.Name:
        """A part of a condition that may decide a "no" (the node itself, bound as ``P0, …``)."""
        found = self.part_index.get(id(node))
        if found is None:
            found = self.part_index[id(node)] = len(self.parts)
            self.parts.append(node)
            self.ns[f"P{found}"] = node
        return _load(f"P{found}")

    def track(self, node: n.BoolOp, operand: n.Node) -> list[ast.stmt]:
        """A false part of an 'and' is what decides a "no" (``evaluator.decisive_part``), unless it is an 'and'
        itself: then its own false part, recorded when it was computed, just before."""
        if self.tracking is None or node.op != "and" or (isinstance(operand, n.BoolOp) and operand.op == "and"):
            return []
        return [_assign(self.tracking, self.part(operand))]

    def compare(self, node: n.Compare, out: list[ast.stmt]) -> ast.expr:
        if node.op in ("in", "not in"):
            return self.membership(node, out)
        op = _CMP[node.op]
        a = self.emit(node.left, out)
        b = self.emit(node.right, out)
        if op in _INLINE_CMP:
            value: ast.expr = ast.Compare(left=a, ops=[_INLINE_CMP[op]()], comparators=[b])
        else:
            value = _call(self.helper(op), a, b)
        return self.unless_unknown([a, b], value, out)

    def membership(self, node: n.Compare, out: list[ast.stmt]) -> ast.expr:
        assert isinstance(node.right, n.ListLit), "the type checker accepts `in` over a list only"
        negate = node.op == "not in"
        x = self.emit(node.left, out)
        target = self.temp()
        if all(isinstance(i, n.Literal) for i in node.right.items):
            members = self.bind(frozenset(i.value for i in node.right.items))  # type: ignore[union-attr]
            test = ast.Compare(left=x, ops=[ast.NotIn() if negate else ast.In()], comparators=[members])
            if self.may_be_unknown(x):
                out.append(_assign(target, ast.IfExp(test=_unknown(x), body=x, orelse=test)))
            else:
                self.known.add(target)
                out.append(_assign(target, test))
            return _load(target)
        items = [self.emit(i, out) for i in node.right.items]
        out.append(
            _assign(
                target,
                _call(self.helper(_in_list), x, ast.Tuple(elts=items, ctx=ast.Load()), _const(negate)),
            )
        )
        return _load(target)

    def binop(self, node: n.BinOp, out: list[ast.stmt]) -> ast.expr:
        op = _ARITH[node.op]
        a = self.emit(node.left, out)
        b = self.emit(node.right, out)
        if op in _INLINE_ARITH:
            value: ast.expr = ast.BinOp(left=a, op=_INLINE_ARITH[op](), right=b)
        else:
            value = _call(self.helper(op), a, b)
        return self.unless_unknown([a, b], value, out)

    def ifelse(self, node: n.IfElse, out: list[ast.stmt]) -> ast.expr:
        target = self.temp()
        t = self.emit(node.test, out)
        body: list[ast.stmt] = []
        body.append(_assign(target, self.emit(node.body, body)))
        orelse: list[ast.stmt] = []
        orelse.append(_assign(target, self.emit(node.orelse, orelse)))
        if not self.may_be_unknown(t):
            out.append(ast.If(test=t, body=body, orelse=orelse))
        else:  # a condition: True, False, or unknown (then the branches may agree)
            unknown = self.agreeing(node, t, target)
            out.append(
                ast.If(
                    test=_is(t, _const(True)),
                    body=body,
                    orelse=[ast.If(test=_is(t, _const(False)), body=orelse, orelse=unknown)],
                )
            )
        return _load(target)

    def agreeing(self, node: n.IfElse, t: ast.expr, target: str) -> list[ast.stmt]:
        """The test is unknown: branches that agree need no test ('x if t else x' is x), as the closures say.

        Both branches are computed; an arithmetic error in either leaves the test's unknown.
        """
        both: list[ast.stmt] = []
        a = self.emit(node.body, both)
        b = self.emit(node.orelse, both)
        tests: list[ast.expr] = [
            *(ast.UnaryOp(op=ast.Not(), operand=_unknown(x)) for x in (a, b) if self.may_be_unknown(x)),
            ast.Compare(left=a, ops=[ast.Eq()], comparators=[b]),
        ]
        agree = ast.BoolOp(op=ast.And(), values=tests) if len(tests) > 1 else tests[0]
        both.append(_assign(target, ast.IfExp(test=agree, body=a, orelse=t)))
        handler = ast.ExceptHandler(type=self.helper(ArithmeticError), name=None, body=[_assign(target, t)])
        return [ast.Try(body=both, handlers=[handler], orelse=[], finalbody=[])]

    def call(self, node: n.Call, out: list[ast.stmt]) -> ast.expr:
        if node.func == "quantity":
            return self.constant(node.args[0].value)  # type: ignore[union-attr]
        if node.func == "date":
            return self.constant(parse_iso_date(node.args[0].value))  # type: ignore[union-attr]
        impl = _FUNCS.get(node.func)
        if impl is None:
            raise CodegenError(f"no code generation for function {node.func!r}")
        args = [self.emit(a, out) for a in node.args]
        return self.unless_unknown(args, _call(self.helper(impl), *args), out)

    def unless_unknown(self, xs: list[ast.expr], value: ast.expr, out: list[ast.stmt]) -> ast.expr:
        """``value``, unless an operand is unknown: then the union of the unknown operands' missing facts."""
        xs = [x for x in xs if self.may_be_unknown(x)]
        target = self.temp()
        if not xs:
            self.known.add(target)
            out.append(_assign(target, value))
        elif len(xs) == 1:
            out.append(_assign(target, ast.IfExp(test=_unknown(xs[0]), body=xs[0], orelse=value)))
        elif len(xs) == 2:
            a, b = xs
            out.append(
                _assign(
                    target,
                    ast.IfExp(
                        test=_unknown(a),
                        body=ast.IfExp(test=_unknown(b), body=_union(a, b), orelse=a),
                        orelse=ast.IfExp(test=_unknown(b), body=b, orelse=value),
                    ),
                )
            )
        else:
            out.append(_assign(target, _const(None)))
            for x in xs:
                out.append(
                    ast.If(
                        test=_unknown(x),
                        body=[
                            _assign(
                                target,
                                ast.IfExp(
                                    test=_is(_load(target), _const(None)), body=x, orelse=_union(_load(target), x)
                                ),
                            )
                        ],
                        orelse=[],
                    )
                )
            out.append(ast.If(test=_is(_load(target), _const(None)), body=[_assign(target, value)], orelse=[]))
        return _load(target)

    # ---- rules ----

    def rule(self, i: int, rule: CompiledRule, out: list[ast.stmt]) -> None:
        cond = f"c{i}"
        self.temps = 0
        body: list[ast.stmt] = []
        top = rule.when.node
        if rule.kind != "derive" and isinstance(top, n.BoolOp) and top.op == "and":
            self.tracking = f"w{i}"
        decided = self.emit(top, body)
        body.append(_assign(cond, decided))
        # True or False whatever the case (a constant, as_of and constants only): no test for an unknown
        known = not self.may_be_unknown(decided)
        self.tracking = None
        candidate: list[ast.stmt] = []
        if rule.kind == "derive":
            assert rule.derive_fact is not None and rule.derive_value is not None
            value: list[ast.stmt] = []
            value += self.candidate(rule, self.emit(rule.derive_value.node, value))
            unknown = (
                []
                if known
                else [
                    ast.If(test=_is_not(_load(cond), _const(False)), body=self.candidate(rule, _load(cond)), orelse=[])
                ]
            )
            body.append(ast.If(test=_is(_load(cond), _const(True)), body=value, orelse=unknown))
            candidate = self.candidate(rule, _load("EMPTY"))
        handler = [
            ast.Expr(value=_method("errors", "append", ast.Tuple(elts=[_const(i), _load("exc")], ctx=ast.Load()))),
            _assign(cond, _load("EMPTY")),
            *candidate,
        ]
        values = [top] if rule.derive_value is None else [top, rule.derive_value.node]
        if any(map(_may_raise, values)):
            known = False  # an error leaves the condition unknown
            out.append(
                ast.Try(
                    body=body,
                    handlers=[ast.ExceptHandler(type=_load("ArithmeticError"), name="exc", body=handler)],
                    orelse=[],
                    finalbody=[],
                )
            )
        else:
            out += body
        if rule.kind != "derive":
            c = _load(cond)
            decided_by = _load(f"w{i}") if isinstance(top, n.BoolOp) and top.op == "and" else self.part(top)
            self.ns[f"R{i}"] = rule
            is_false = [
                ast.Expr(value=_method("false", "append", ast.Tuple(elts=[_load(f"R{i}"), decided_by], ctx=ast.Load())))
            ]
            if not known:
                undecided = ast.Expr(
                    value=_method("undecided", "append", ast.Tuple(elts=[_load(f"R{i}"), c], ctx=ast.Load()))
                )
                # unknown: undecided, unless an error left it with no missing facts (EMPTY)
                is_false = [
                    ast.If(
                        test=_is(c, _const(False)), body=is_false, orelse=[ast.If(test=c, body=[undecided], orelse=[])]
                    )
                ]
            out.append(
                ast.If(
                    test=_is(c, _const(True)),
                    body=[ast.Expr(value=_method("fired", "append", _load(f"R{i}")))],
                    orelse=is_false,
                )
            )
        for name in rule.resolves:
            out += self.settle(name)

    def setter_count(self, name: str) -> int:
        return len(self.pack.setters.get(name, ()))

    def candidate(self, rule: CompiledRule, value: ast.expr) -> list[ast.stmt]:
        name = rule.derive_fact
        assert name is not None
        d = self.derived[name]
        if self.setter_count(name) == 1:
            return [_assign(f"s{d}", value)]
        # several setters: one local per setter, in precedence order; ``settle`` decides between them
        return [_assign(self.candidate_local(name, rule.id), value)]

    def candidate_local(self, name: str, rule_id: str) -> str:
        return f"cand_{self.derived[name]}_{self.pack.setters[name].index(rule_id)}"

    def settle(self, name: str) -> list[ast.stmt]:
        d = self.derived[name]
        stmts: list[ast.stmt] = []
        if self.setter_count(name) > 1:
            stmts += self.settle_several(name, f"s{d}")
        stmts.append(ast.If(test=_is_not(_load(f"s{d}"), _load("UNSET")), body=[_assign(d, _load(f"s{d}"))], orelse=[]))
        return stmts

    def settle_several(self, name: str, target: str) -> list[ast.stmt]:
        """The first setter that fired gives the value; with precedence that is all. Without, when a second one
        fired too, unknown ones are joined, and when a known one is among them ``_settler`` decides (unknown ones
        joined, a disagreement a conflict), as ``evaluator.settle``."""
        found = [_load(self.candidate_local(name, rid)) for rid in self.pack.setters[name]]
        precedence = name in self.pack.has_precedence
        many = self.temp()
        stmts: list[ast.stmt] = [_assign(target, _load("UNSET"))]
        if not precedence:
            stmts.append(_assign(many, _const(False)))
        for cand in found:
            first = _assign(target, cand)
            if precedence or cand is found[0]:
                body: list[ast.stmt] = (
                    [first]
                    if cand is found[0]
                    else [ast.If(test=_is(_load(target), _load("UNSET")), body=[first], orelse=[])]
                )
            else:
                # Two unknowns are joined here; anything else (a known value among them) is left to ``_settler``,
                # which decides from every candidate again.
                join = ast.If(
                    test=ast.BoolOp(op=ast.And(), values=[_unknown(_load(target)), _unknown(cand)]),
                    body=[_assign(target, ast.BinOp(left=_load(target), op=ast.BitOr(), right=cand))],
                    orelse=[_assign(many, _const(True))],
                )
                body = [ast.If(test=_is(_load(target), _load("UNSET")), body=[first], orelse=[join])]
            stmts.append(ast.If(test=_is_not(cand, _load("UNSET")), body=body, orelse=[]))
        if not precedence:
            settle = self.helper(_settler(self.pack, name))
            stmts.append(
                ast.If(test=_load(many), body=[_assign(target, _call(settle, _load("conflicts"), *found))], orelse=[])
            )
        return stmts

    def figures(self) -> list[ast.stmt]:
        """For each rule that fired, the figures its outcome computes (``CompiledRule.figures``), once every
        derived fact is settled: each a value, the frozenset of its missing facts, or the ArithmeticError it
        raised (raised again where the outcome reads it, so an error is reported only if the figure is read)."""
        out: list[ast.stmt] = []
        for i, rule in enumerate(self.pack.rules):
            exprs = rule.figures()
            if rule.kind == "derive" or not any(exprs):
                continue
            self.temps = 0
            body: list[ast.stmt] = []
            slots: list[ast.expr] = []
            for expr in exprs:
                if expr is None:
                    slots.append(_const(None))
                    continue
                inner: list[ast.stmt] = []
                value = self.emit(expr.node, inner)
                if not inner and isinstance(value, (ast.Constant, ast.Name)):
                    slots.append(value)  # a constant or a value read already: nothing to raise, nothing to catch
                    continue
                target = self.temp()
                inner.append(_assign(target, value))
                handler = ast.ExceptHandler(
                    type=_load("ArithmeticError"), name="exc", body=[_assign(target, _load("exc"))]
                )
                body.append(ast.Try(body=inner, handlers=[handler], orelse=[], finalbody=[]))
                slots.append(_load(target))
            key = ast.Subscript(value=_load("figures"), slice=_const(rule.id), ctx=ast.Store())
            body.append(ast.Assign(targets=[key], value=ast.Tuple(elts=slots, ctx=ast.Load())))
            out.append(ast.If(test=_is(_load(f"c{i}"), _const(True)), body=body, orelse=[]))
        return out

    def module(self) -> ast.Module:
        rules: list[ast.stmt] = []
        for i, rule in enumerate(self.pack.rules):
            self.rule(i, rule, rules)
        figures = self.figures()  # before the facts are read: figures read facts of their own
        self.ns["ArithmeticError"] = ArithmeticError
        body: list[ast.stmt] = [
            _assign("g", ast.Attribute(value=_load("env"), attr="get", ctx=ast.Load())),
            _assign("FS", _load("G_FS")),
            _assign("UNSET", _load("G_UNSET")),
            _assign("EMPTY", _load("G_EMPTY")),
            _assign("errors", ast.List(elts=[], ctx=ast.Load())),
            _assign("fired", ast.List(elts=[], ctx=ast.Load())),
            _assign("undecided", ast.List(elts=[], ctx=ast.Load())),
            _assign("false", ast.List(elts=[], ctx=ast.Load())),
            _assign("figures", ast.Dict(keys=[], values=[])),
            _assign("conflicts", ast.List(elts=[], ctx=ast.Load())),
        ]
        # Every fact read once, up front: the environment does not change while rules run. A missing fact is
        # absent (``facts_env`` holds no None); a derived fact is missing until its setters have run.
        for path, local in self.reads.items():
            default = [] if path == AS_OF else [self.bind(FS((path,)))]
            body.append(_assign(local, _call(_load("g"), _const(path), *default)))
        for name, local in self.derived.items():
            body.append(_assign(local, self.bind(FS((f"derived.{name}",)))))
        for name, d in self.derived.items():
            body.append(_assign(f"s{d}", _load("UNSET")))
            for rid in self.pack.setters.get(name, ()) if self.setter_count(name) > 1 else ():
                body.append(_assign(self.candidate_local(name, rid), _load("UNSET")))
        body += rules
        body += figures
        # Each derived fact settled into the environment, in pack order, an unknown one as a shared Unknown
        # (the closures that read the environment afterwards, for the reasons of a "no", expect one).
        for name, d in self.derived.items():
            local = _load(f"s{d}")
            # U.get(s) or shared_unknown(s): the table looked up in place, the helper called to fill it
            lookup = _call(ast.Attribute(value=_load("U"), attr="get", ctx=ast.Load()), local)
            shared = ast.BoolOp(op=ast.Or(), values=[lookup, _call(self.helper(shared_unknown), local)])
            known = ast.IfExp(test=_unknown(local), body=shared, orelse=local)
            key = ast.Subscript(value=_load("env"), slice=_const(f"derived.{name}"), ctx=ast.Store())
            body.append(
                ast.If(test=_is_not(local, _load("UNSET")), body=[ast.Assign(targets=[key], value=known)], orelse=[])
            )
        # Unknown conditions stay frozensets of their missing facts: the Result reads them as such.
        conditions = ast.Tuple(elts=[_load(f"c{i}") for i in range(len(self.pack.rules))], ctx=ast.Load())
        body.append(
            ast.Return(
                value=ast.Tuple(
                    elts=[
                        conditions,
                        _load("errors"),
                        _load("conflicts"),
                        _load("fired"),
                        _load("undecided"),
                        _load("false"),
                        _load("figures"),
                    ],
                    ctx=ast.Load(),
                )
            )
        )
        fn = ast.FunctionDef(
            name="run",
            args=ast.arguments(posonlyargs=[], args=[ast.arg("env")], kwonlyargs=[], kw_defaults=[], defaults=[]),
            body=body,
            decorator_list=[],
            returns=None,
            **({"type_params": []} if sys.version_info >= (3, 12) else {}),
        )
        return _placed(ast.Module(body=[fn], type_ignores=[]))


def _may_raise(node: n.Node) -> bool:
    """Whether computing ``node`` can raise an ArithmeticError: arithmetic and functions can (overflow,
    division by zero, a date moved by a fraction); comparisons, logic, choices, lists and names cannot
    (every number is finite, so no comparison is invalid)."""
    if isinstance(node, n.Call) and node.func in ("date", "quantity"):
        return False  # a constant, read when the pack was compiled
    if isinstance(node, (n.BinOp, n.Call, n.Neg)):
        return True
    return any(map(_may_raise, n.children(node)))


def _placed(module: ast.Module) -> ast.Module:
    """Every node at line 1: ``compile()`` wants positions; ``ast.fix_missing_locations`` is 3× slower."""
    todo: list[Any] = [module]
    while todo:
        node = todo.pop()
        if node._attributes:
            node.lineno = node.end_lineno = 1
            node.col_offset = node.end_col_offset = 0
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                todo.extend(v for v in value if isinstance(v, ast.AST))
            elif isinstance(value, ast.AST):
                todo.append(value)
    return module


_EMITTERS: dict[type, Callable[[_Generator, Any, list[ast.stmt]], ast.expr]] = {
    n.Literal: _Generator.literal,
    n.Name: _Generator.name,
    n.ListLit: _Generator.list_,
    n.Not: _Generator.unary,
    n.Neg: _Generator.unary,
    n.BoolOp: _Generator.boolop,
    n.Compare: _Generator.compare,
    n.BinOp: _Generator.binop,
    n.IfElse: _Generator.ifelse,
    n.Call: _Generator.call,
}


def handled_node_types() -> set[type]:
    """The expression node types the generator translates (a test holds it equal to ``nodes.Node``)."""
    return set(_EMITTERS)


def node_types() -> set[type]:
    return set(typing.get_args(n.Node))


# ---- helpers the generated code calls (bound in its namespace) ----


_UNKNOWNS: dict[frozenset[str], Unknown] = {}


def shared_unknown(missing: frozenset[str]) -> Unknown:
    """One ``Unknown`` per missing set (they are immutable): most sets are the generated code's constants."""
    u = _UNKNOWNS.get(missing)
    if u is None:
        if len(_UNKNOWNS) >= 65536:
            _UNKNOWNS.clear()
        u = _UNKNOWNS[missing] = Unknown(missing)
    return u


def _in_list(v: Any, values: tuple[Any, ...], negate: bool) -> Any:
    """``v in [items]`` when some item is not a literal: the closures' rule, on frozensets."""
    known = [x for x in values if x.__class__ is not FS]
    if v.__class__ is not FS and v in known:
        return not negate
    unknown = [x for x in (v, *values) if x.__class__ is FS]
    if unknown:
        return FS().union(*unknown)
    return negate


def _settler(pack: CompiledPack, name: str) -> Callable[..., Any]:
    """``settle(conflicts, *candidates)`` for a fact several rules set: the evaluator's ``settle``, on frozensets.

    Candidates come in the order of ``pack.setters[name]`` (precedence order), ``UNSET`` for a setter that
    did not fire; as in ``evaluator.settle``: precedence takes the first, unknown ones are joined, known
    ones must agree or the disagreement is a conflict.
    """
    from .evaluator import UNSET
    from .result import ConflictOut

    order = pack.setters[name]
    precedence = name in pack.has_precedence
    conflicted = FS((f"derived.{name}",))

    def settle_fact(conflicts: list, *found: Any) -> Any:
        # Loops, not comprehensions: this runs inside the generated function, a few candidates at a time.
        values = []
        unknown = None
        for v in found:
            if v is not UNSET:
                values.append(v)
                if v.__class__ is FS:
                    unknown = v if unknown is None else unknown | v
        if not values:
            return UNSET
        if precedence:
            return values[0]
        if unknown is not None:
            return unknown
        first = values[0]
        for v in values[1:]:
            if v != first:
                rules = [rid for rid, v in zip(order, found) if v is not UNSET]
                conflicts.append(ConflictOut(fact=name, rules=rules, values=[str(v) for v in values]))
                return conflicted
        return first

    return settle_fact


# ---- generation, cached ----

_BY_CONTENT: dict[tuple[Any, ...], Generated] = {}
_BY_OBJECT: dict[int, list[Any]] = {}  # id(pack) -> [weak reference, function or None, evaluations so far]

GENERATE_AFTER = 200
"""Evaluations of one pack object through the closures before its function is generated.

Generating baotou's function costs about as much CPU as the generated code
saves over a few hundred evaluations, so a one-off evaluation (the command
line, a diff's memoised sub-packs) never pays for it; a batch, a service or
a benchmark does, early. A pack whose content was generated already uses its
function from the first evaluation.
"""


def _fingerprint(pack: CompiledPack) -> tuple[Any, ...]:
    """What the generated code depends on: the content hash, and the rules as compiled from it."""
    rules = tuple(
        (
            r.id,
            r.kind,
            r.when.node,
            r.derive_fact,
            r.derive_value.node if r.derive_value else None,
            r.resolves,
            tuple(e.node if e else None for e in r.figures()),
        )
        for r in pack.rules
    )
    setters = tuple(sorted(pack.setters.items()))
    return (pack.content_hash, rules, tuple(pack.derived), setters, pack.has_precedence)


def _entry(pack: CompiledPack) -> list[Any]:
    entry = _BY_OBJECT.get(id(pack))
    if entry is not None and entry[0]() is pack:
        return entry
    pid = id(pack)
    # The table is bound now: at interpreter exit module globals are gone before the last packs are.
    forget = _BY_OBJECT.pop
    entry = [weakref.ref(pack, lambda _: forget(pid, None)), _BY_CONTENT.get(_fingerprint(pack)), 0]
    _BY_OBJECT[pid] = entry
    return entry


def for_evaluation(pack: CompiledPack) -> Optional[Generated]:
    """The function to evaluate ``pack`` with, or None while the closures are cheaper (``GENERATE_AFTER``)."""
    entry = _entry(pack)
    if entry[1] is None:
        entry[2] += 1
        if entry[2] >= GENERATE_AFTER:
            return generated(pack)
    return entry[1]


def generated(pack: CompiledPack) -> Generated:
    """The pack's generated function, built on first use and cached per content."""
    entry = _entry(pack)
    if entry[1] is not None:
        return entry[1]
    gen = _Generator(pack)
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of short-lived nodes, no cycles: collecting them costs a third
    try:
        module = gen.module()
        code = compile(module, f"<policyrules pack {pack.id} {pack.content_hash}>", "exec")
    finally:
        if collecting:
            gc.enable()
    # The module built above holds one ``def`` with no defaults: its code object becomes the function
    # directly, so nothing is executed at module level and the helpers are its only globals.
    (body,) = (c for c in code.co_consts if isinstance(c, types.CodeType))
    run = types.FunctionType(body, gen.ns, "run")
    _ORIGIN[run] = (pack.rules, {id(r): i for i, r in enumerate(pack.rules)})
    entry[1] = _BY_CONTENT[_fingerprint(pack)] = run  # the tree is dropped: the collector would walk it
    return entry[1]


_ORIGIN: dict[Any, tuple[tuple[CompiledRule, ...], dict[int, int]]] = {}


def own_rules(fn: Generated, pack: CompiledPack, *found: list[Any]) -> tuple[list[Any], ...]:
    """Each list of rules (or of ``(rule, value)`` pairs) ``fn`` gives, with ``pack``'s own rule objects.

    A function is shared by every pack of the same content (``generated``) and lists the rules of the pack it
    was generated for; another pack of that content (in another language, loaded again) has rules of its own.
    """
    rules, index = _ORIGIN[fn]
    if rules is pack.rules:
        return found
    own = pack.rules
    return tuple(
        [(own[index[id(r)]], v) for r, v in listed]
        if listed and listed[0].__class__ is tuple
        else [own[index[id(r)]] for r in listed]
        for listed in found
    )


def generated_tree(pack: CompiledPack) -> ast.Module:
    """The module ``generated`` compiles, as built: nodes made by the generator, never parsed from text."""
    return _Generator(pack).module()


def generated_source(pack: CompiledPack) -> str:
    """The generated function as Python text (``ast.unparse``), for audits; never executed from text.

    A frozenset the code holds as a constant reads as ``frozenset({...})``: a constant, not a call.
    """
    return ast.unparse(generated_tree(pack))
