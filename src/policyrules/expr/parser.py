"""Parse expression text into our AST, against a whitelist.

Python's own parser does the tokenising (it never executes anything); every
node it returns is then either translated into one of ours or rejected with
its position. Names are dotted fact paths; the only calls are the functions
in ``FUNCTIONS``; there is no power operator, no subscripting, no attribute
on anything but a name, and nothing beginning with an underscore.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from policyrules.errors import ExpressionError, Phrase

from . import nodes as n

FUNCTIONS = frozenset(
    {
        "min",
        "max",
        "floor",
        "ceil",
        "abs",
        "months_between",
        "years_between",
        "days_between",
        "add_years",
        "add_months",
        "add_days",
        "year",
        "quantity",
        "date",
    }
)
MAX_LENGTH = 4000
MAX_DEPTH = 40
MAX_DIGITS = 24
_SEGMENT = re.compile(r"^[a-z][a-z0-9_]*$")
# A number as the language writes it: decimal digits, a point, an exponent (no 0x, 0o, 0b).
_DECIMAL = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")

_COMPARE = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
}
_ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


def parse(text: str) -> n.Node:
    """Parse ``text``; raise :class:`ExpressionError` with a character offset."""
    if not isinstance(text, str):
        raise ExpressionError.at(0, "expr.not_text", got=type(text).__name__)
    if len(text) > MAX_LENGTH:
        raise ExpressionError.at(MAX_LENGTH, "expr.too_long", limit=MAX_LENGTH)
    if not text.strip():
        raise ExpressionError.at(0, "expr.empty")
    # Parenthesised so that block scalars may break lines anywhere.
    wrapped = "(" + text + "\n)"
    try:
        tree = ast.parse(wrapped, mode="eval")
    except SyntaxError as exc:
        offset = _offset(wrapped, exc.lineno or 1, (exc.offset or 1) - 1, chars=True)
        raise ExpressionError.at(max(0, min(offset - 1, len(text))), "expr.syntax", reason=_syntax(exc.msg)) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError.at(0, "expr.too_deep_or_invalid") from None
    return _Translator(text, wrapped).node(tree.body, 0)


# What Python's parser says about a syntax error, as a reader can be told it in either language.
_SYNTAX: tuple[tuple[str, str], ...] = (
    ("was never closed", "expr.syntax.unclosed"),
    ("unmatched", "expr.syntax.unmatched"),
    ("does not match opening parenthesis", "expr.syntax.mismatched"),
    ("forgot a comma", "expr.syntax.comma"),
    ("unterminated string", "expr.syntax.string"),
    ("unexpected EOF", "expr.syntax.end"),
    ("invalid decimal literal", "expr.syntax.number"),
    ("invalid character", "expr.syntax.character"),
    ("invalid syntax", "expr.syntax.invalid"),
)


def _syntax(said: str) -> Phrase:
    for words, key in _SYNTAX:
        if words in said:
            return Phrase.of(key)
    return Phrase.of("expr.syntax.other", said=said)


def _offset(text: str, lineno: int, col: int, chars: bool = False) -> int:
    """Character offset of (1-based line, column) in ``text``.

    ``ast`` columns are UTF-8 byte offsets; SyntaxError columns are characters.
    """
    lines = text.split("\n")
    before = sum(len(line) + 1 for line in lines[: lineno - 1])
    line = lines[lineno - 1] if lineno - 1 < len(lines) else ""
    if chars:
        return before + col
    return before + len(line.encode("utf-8")[:col].decode("utf-8", errors="ignore"))


class _Translator:
    def __init__(self, text: str, wrapped: str) -> None:
        self.text = text
        self.wrapped = wrapped

    def span(self, node: ast.AST) -> tuple[int, int]:
        start = _offset(self.wrapped, node.lineno, node.col_offset) - 1  # type: ignore[attr-defined]
        end = _offset(self.wrapped, node.end_lineno, node.end_col_offset) - 1  # type: ignore[attr-defined]
        return max(start, 0), max(end, 0)

    def fail(self, node: ast.AST, key: str, **fields: Any) -> ExpressionError:
        return ExpressionError.at(self.span(node)[0], key, **fields)

    def fail_at_operator(self, left: ast.AST, key: str) -> ExpressionError:
        """An error about a binary or comparison operator, pointing at the operator, not the expression's start."""
        at = self.span(left)[1]
        while at < len(self.text) and self.text[at] in " \t\r\n)":
            at += 1
        return ExpressionError.at(at, key)

    def node(self, node: ast.AST, depth: int) -> n.Node:
        if depth > MAX_DEPTH:
            raise self.fail(node, "expr.too_deep", limit=MAX_DEPTH)
        start, end = self.span(node)
        d = depth + 1
        if isinstance(node, ast.Constant):
            return n.Literal(self.constant(node, start, end), start, end)
        if isinstance(node, (ast.Name, ast.Attribute)):
            self.ascii_name(node, start, end)
            if isinstance(node, ast.Name) and node.id in ("true", "false"):
                return n.Literal(node.id == "true", start, end)
            return n.Name(self.dotted(node), start, end)
        if isinstance(node, (ast.List, ast.Tuple)):
            return n.ListLit(tuple(self.node(e, d) for e in node.elts), start, end)
        if isinstance(node, ast.BoolOp):
            op = "and" if isinstance(node.op, ast.And) else "or"
            return n.BoolOp(op, tuple(self.node(v, d) for v in node.values), start, end)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return n.Not(self.node(node.operand, d), start, end)
            if isinstance(node.op, ast.USub):
                operand = self.node(node.operand, d)
                if (
                    isinstance(operand, n.Literal)
                    and isinstance(operand.value, (int, Decimal))
                    and not isinstance(operand.value, bool)
                ):
                    return n.Literal(-operand.value, start, end)
                return n.Neg(operand, start, end)
            raise self.fail(node, "expr.unary")
        if isinstance(node, ast.Compare):
            return self.compare(node, d, start, end)
        if isinstance(node, ast.BinOp):
            op = _ARITH.get(type(node.op))
            if op is None:
                raise self.fail_at_operator(node.left, "expr.operator")
            return n.BinOp(op, self.node(node.left, d), self.node(node.right, d), start, end)
        if isinstance(node, ast.Call):
            return self.call(node, d, start, end)
        if isinstance(node, ast.IfExp):
            return n.IfElse(self.node(node.test, d), self.node(node.body, d), self.node(node.orelse, d), start, end)
        raise self.fail(node, "expr.construct", what=type(node).__name__)

    def ascii_name(self, node: ast.AST, start: int, end: int) -> None:
        # Python reads identifiers through NFKC, so 'ｕｎｉｔ' (full width) or 'ﬁ' (a ligature) would be
        # taken as 'unit' and 'fi'. A name is refused unless written as it is read: the pack's text is then
        # what a search for the fact finds.
        for i, ch in enumerate(self.text[start:end]):
            if ord(ch) > 127:
                name = unicodedata.name(ch, "U+%04X" % ord(ch))
                raise ExpressionError.at(start + i, "expr.non_ascii_name", char=ch, name=name)

    def constant(self, node: ast.Constant, start: int, end: int) -> n.Value:
        value = node.value
        if isinstance(value, bool):
            raise self.fail(node, "expr.bool_case")
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)):
            literal = self.text[start:end].replace("_", "")
            if not _DECIMAL.fullmatch(literal):
                shown = literal if len(literal) <= 24 else literal[:24] + "…"
                raise self.fail(node, "expr.not_decimal", number=shown)
            digits = sum(ch.isdigit() for ch in literal)
            if digits > MAX_DIGITS:
                raise self.fail(node, "expr.number_too_long", limit=MAX_DIGITS)
            if isinstance(value, int):
                return value
            try:
                return Decimal(literal)
            except InvalidOperation:
                raise self.fail(node, "expr.number_unreadable", number=literal) from None
        raise self.fail(node, "expr.literal", what=type(value).__name__)

    def dotted(self, node: ast.AST) -> str:
        parts: list[str] = []
        cur = node
        while isinstance(cur, ast.Attribute):
            parts.append(cur.attr)
            cur = cur.value
        if not isinstance(cur, ast.Name):
            raise self.fail(node, "expr.attribute")
        parts.append(cur.id)
        parts.reverse()
        for part in parts:
            if not _SEGMENT.match(part):
                raise self.fail(node, "expr.segment", part=part)
        return ".".join(parts)

    def compare(self, node: ast.Compare, d: int, start: int, end: int) -> n.Node:
        pairs: list[n.Node] = []
        left_ast: ast.AST = node.left
        left = self.node(left_ast, d)
        for op_node, right_node in zip(node.ops, node.comparators):
            op = _COMPARE.get(type(op_node))
            if op is None:
                raise self.fail_at_operator(left_ast, "expr.is")
            left_ast = right_node
            right = self.node(right_node, d)
            pairs.append(n.Compare(op, left, right, left.start, right.end))
            left = right
        if len(pairs) == 1:
            return pairs[0]
        return n.BoolOp("and", tuple(pairs), start, end)

    def call(self, node: ast.Call, d: int, start: int, end: int) -> n.Call:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node, "expr.call")
        name = node.func.id
        if name not in FUNCTIONS:
            raise self.fail(node, "expr.unknown_function_of", f=name, allowed=", ".join(sorted(FUNCTIONS)))
        if node.keywords:
            raise self.fail(node, "expr.keyword")
        args = []
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.fail(arg, "expr.starred")
            args.append(self.node(arg, d))
        return n.Call(name, tuple(args), start, end)


def render(node: n.Node) -> str:
    """Canonical text of an expression (used in results and diffs)."""
    if isinstance(node, n.Literal):
        v = node.value
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return repr(v)
        return str(v)
    if isinstance(node, n.Name):
        return node.path
    if isinstance(node, n.ListLit):
        return "[" + ", ".join(render(i) for i in node.items) + "]"
    if isinstance(node, n.Not):
        return f"not {_paren(node.operand)}"
    if isinstance(node, n.Neg):
        return f"-{_paren(node.operand)}"
    if isinstance(node, n.BoolOp):
        return f" {node.op} ".join(_paren(v) for v in node.values)
    if isinstance(node, (n.Compare, n.BinOp)):
        return f"{_paren(node.left)} {node.op} {_paren(node.right)}"
    if isinstance(node, n.Call):
        return f"{node.func}(" + ", ".join(render(a) for a in node.args) + ")"
    return f"{_paren(node.body)} if {_paren(node.test)} else {_paren(node.orelse)}"


def _paren(node: n.Node) -> str:
    text = render(node)
    if isinstance(node, (n.BoolOp, n.IfElse, n.Compare)) or (isinstance(node, n.BinOp) and node.op in "+-"):
        return f"({text})"
    return text
