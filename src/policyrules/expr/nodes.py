"""The immutable expression AST. Nothing here can execute anything.

Every node keeps ``start``/``end``: character offsets into the expression
text, so errors point at the exact sub-expression and ``explain`` can quote
it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Union

Value = Union[bool, int, Decimal, str, date]


@dataclass(frozen=True)
class Literal:
    value: Value
    start: int
    end: int


@dataclass(frozen=True)
class Name:
    """A dotted fact path such as ``unit.staff``, ``param.quota_ratio`` or ``as_of``."""

    path: str
    start: int
    end: int


@dataclass(frozen=True)
class ListLit:
    items: tuple[Node, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Not:
    operand: Node
    start: int
    end: int


@dataclass(frozen=True)
class Neg:
    operand: Node
    start: int
    end: int


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    values: tuple[Node, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Compare:
    op: str  # == != < <= > >= in "not in"
    left: Node
    right: Node
    start: int
    end: int


@dataclass(frozen=True)
class BinOp:
    op: str  # + - * /
    left: Node
    right: Node
    start: int
    end: int


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple[Node, ...]
    start: int
    end: int


@dataclass(frozen=True)
class IfElse:
    test: Node
    body: Node
    orelse: Node
    start: int
    end: int


Node = Union[Literal, Name, ListLit, Not, Neg, BoolOp, Compare, BinOp, Call, IfElse]


def names(node: Node) -> set[str]:
    """Every fact path an expression reads."""
    if isinstance(node, Name):
        return {node.path}
    out: set[str] = set()
    for child in children(node):
        out |= names(child)
    return out


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, (Literal, Name)):
        return ()
    if isinstance(node, ListLit):
        return node.items
    if isinstance(node, (Not, Neg)):
        return (node.operand,)
    if isinstance(node, BoolOp):
        return node.values
    if isinstance(node, (Compare, BinOp)):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    return (node.test, node.body, node.orelse)
