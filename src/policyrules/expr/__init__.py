"""The safe expression language: parse to our AST, type-check, compile to closures."""

from .compile import EvaluationError, Unknown, compile_expr
from .nodes import Node, names
from .parser import FUNCTIONS, parse, render
from .types import BOOL, DATE, STRING, Type, check, number

__all__ = [
    "BOOL",
    "DATE",
    "FUNCTIONS",
    "STRING",
    "EvaluationError",
    "Node",
    "Type",
    "Unknown",
    "check",
    "compile_expr",
    "names",
    "number",
    "parse",
    "render",
]
