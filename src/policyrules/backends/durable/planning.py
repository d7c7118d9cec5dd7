"""The plan: which atom of a rule condition durable compares and which the boundary computes (pure, compile time).

A condition is split into its boolean skeleton (``and``, ``or``, ``not``) and
its atoms. :func:`plan` reports, rule by rule, where each part runs.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Union

from policyrules.engine.model import CompiledPack, CompiledRule
from policyrules.expr import Unknown, compile_expr, names
from policyrules.expr import nodes as n


@dataclass(frozen=True)
class Atom:
    """A leaf of a rule condition."""

    prop: str  # the stage-fact property durable tests
    text: str  # as written in the pack
    python: bool  # computed at the boundary (True) or compared by durable (False)
    path: str | None = None  # durable atoms: the fact compared
    op: str | None = None  # durable atoms: == != < <= > >= in "not in"
    constants: tuple[Any, ...] = ()
    fn: Any = None  # Python atoms: the compiled closure


@dataclass(frozen=True)
class _BoolOp:
    op: str
    items: tuple[Skeleton, ...]


@dataclass(frozen=True)
class _Not:
    item: Skeleton


@dataclass(frozen=True)
class _Const:
    value: bool


Skeleton = Union[_BoolOp, _Not, _Const, Atom]


@dataclass(frozen=True)
class RulePlan:
    """Where each part of one rule is computed on the durable backend."""

    rule: str
    kind: str
    stage: int
    condition: str  # "in durable" | "in durable, with Python atoms asserted as facts …" | "constant …"
    durable_atoms: tuple[str, ...]
    python_atoms: tuple[str, ...]
    in_python: tuple[str, ...]  # values computed by the boundary after durable matched

    def describe(self) -> str:
        lines = [f"{self.rule} ({self.kind}, stage {self.stage}): condition {self.condition}"]
        lines += [f"    durable:  {a}" for a in self.durable_atoms]
        lines += [f"    python→fact: {a}" for a in self.python_atoms]
        lines += [f"    python:   {a}" for a in self.in_python]
        return "\n".join(lines)


def _constant(node: n.Node) -> tuple[bool, Any]:
    """A sub-expression that reads no fact has one value: fold it now (None when it cannot be folded)."""
    if isinstance(node, (n.Name, n.ListLit, n.BoolOp)) or names(node):
        return False, None
    try:
        value = compile_expr(node)({})
    except ArithmeticError:
        return False, None  # raises on every case: left to Python, which reports it as native does
    if value.__class__ is Unknown or isinstance(value, list):
        return False, None
    return True, value


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _prop(path: str) -> str:
    return path.replace(".", "__")


def _text(expr_text: str, node: n.Node) -> str:
    return " ".join(expr_text[node.start : node.end].split())


def _skeleton(node: n.Node, text: str, new_python: Callable[[n.Node, str], Atom]) -> Skeleton:
    if isinstance(node, n.BoolOp):
        return _BoolOp(node.op, tuple(_skeleton(v, text, new_python) for v in node.values))
    if isinstance(node, n.Not):
        return _Not(_skeleton(node.operand, text, new_python))
    if isinstance(node, n.Literal) and isinstance(node.value, bool):
        return _Const(node.value)
    t = _text(text, node)
    if isinstance(node, n.Name):
        return Atom(_prop(node.path), t, False, node.path, "==", (True,))
    if isinstance(node, n.Compare):
        if node.op in ("in", "not in"):
            if isinstance(node.left, n.Name) and isinstance(node.right, n.ListLit):
                folded = [_constant(i) for i in node.right.items]
                if all(ok for ok, _ in folded):
                    return Atom(_prop(node.left.path), t, False, node.left.path, node.op, tuple(v for _, v in folded))
        else:
            for name, other, op in ((node.left, node.right, node.op), (node.right, node.left, _FLIP[node.op])):
                if isinstance(name, n.Name):
                    ok, value = _constant(other)
                    if ok:
                        return Atom(_prop(name.path), t, False, name.path, op, (value,))
    return new_python(node, t)


def _derived_reads(rule: CompiledRule) -> set[str]:
    reads = names(rule.when.node)
    if rule.derive_value is not None:
        reads |= names(rule.derive_value.node)
    return {p[len("derived.") :] for p in reads if p.startswith("derived.")}


def _stages(pack: CompiledPack) -> dict[str, int]:
    """Rule id -> stage: one more than the latest stage among the setters of the derived facts it reads."""
    stage: dict[str, int] = {}
    for rule in pack.rules:  # the compiler orders setters before readers
        deps = [stage[s] + 1 for fact in _derived_reads(rule) for s in pack.setters.get(fact, ()) if s in stage]
        stage[rule.id] = max(deps, default=0)
    return stage


def _walk_atoms(skel: Skeleton) -> list[Atom]:
    if isinstance(skel, Atom):
        return [skel]
    if isinstance(skel, _BoolOp):
        return [a for item in skel.items for a in _walk_atoms(item)]
    if isinstance(skel, _Not):
        return _walk_atoms(skel.item)
    return []


def _skeletons(pack: CompiledPack) -> dict[str, Skeleton]:
    counter = itertools.count()

    def new_python(node: n.Node, text: str) -> Atom:
        return Atom(f"atom_{next(counter)}", text, True, fn=compile_expr(node))

    return {rule.id: _skeleton(rule.when.node, rule.when.text, new_python) for rule in pack.rules}


def plan(pack: CompiledPack) -> list[RulePlan]:
    """Per rule, in pack order: which parts durable decides and which the boundary computes in Python."""
    stages = _stages(pack)
    out = []
    for rule_id, skel in _skeletons(pack).items():
        rule = pack.rule(rule_id)
        atoms = _walk_atoms(skel)
        py = tuple(a.text for a in atoms if a.python)
        du = tuple(a.text for a in atoms if not a.python)
        if not atoms:
            condition = "constant (always true)" if isinstance(skel, _Const) and skel.value else "constant"
        elif py:
            condition = "in durable, with Python atoms asserted as facts (true, false, unknown or error)"
        else:
            condition = "in durable"
        in_python = ["missing facts of an undecided condition (from the rule's closure, checked against durable)"]
        if rule.kind == "derive":
            value = " ".join(rule.derive_value.text.split())  # type: ignore[union-attr]
            in_python.insert(0, f"derived.{rule.derive_fact} = {value} (in the #T action)")
            if len(pack.setters.get(rule.derive_fact or "", ())) > 1:
                in_python.insert(1, f"settling derived.{rule.derive_fact} among its setters (precedence, conflicts)")
        elif rule.kind != "exclusion":
            in_python.append("amount, duration, limit, funding, status (evaluator.assemble)")
        out.append(RulePlan(rule_id, rule.kind, stages[rule_id], condition, du, py, tuple(in_python)))
    return out


def describe_plan(pack: CompiledPack) -> str:
    return "\n".join(p.describe() for p in plan(pack))
