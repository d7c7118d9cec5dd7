"""Why a rule fired or not: its condition as a tree, each part with its value and the facts it read."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict

from policyrules.expr import Unknown, compile_expr, names, render
from policyrules.expr import nodes as n
from policyrules.facts.case import Case

from .evaluator import citation_out, initial_env, run_rules, validity_on
from .model import CompiledPack, CompiledRule
from .result import CitationOut, Validity

Truth = Literal["true", "false", "unknown"]


class Trace(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str
    value: Truth
    facts: dict[str, Optional[str]] = {}
    missing: list[str] = []
    parts: list[Trace] = []


class Explanation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    rule: str
    topic: str
    kind: str
    title: str
    fired: Truth
    condition: Trace
    citation: CitationOut
    notes: list[str] = []


class ExplainReport(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    pack: str
    as_of: date
    validity: Validity
    rules: list[Explanation]


def explain(pack: CompiledPack, case: Case, as_of: date, rule_id: Optional[str] = None) -> ExplainReport:
    """Explain every rule (or one) on ``case``; raises KeyError for an unknown rule id."""
    rules = [pack.rule(rule_id)] if rule_id is not None else list(pack.rules)
    run = run_rules(pack, initial_env(pack, case, as_of))
    return ExplainReport(
        pack=pack.id,
        as_of=as_of,
        validity=validity_on(pack, as_of),
        rules=[_explain_rule(rule, run.env) for rule in rules],
    )


def _explain_rule(rule: CompiledRule, env: dict[str, Any]) -> Explanation:
    trace = _trace(rule.when.node, env)
    return Explanation(
        rule=rule.id,
        topic=rule.topic,
        kind=rule.kind,
        title=rule.title,
        fired=trace.value,
        condition=trace,
        citation=citation_out(rule.citation),
        notes=list(rule.notes),
    )


def _truth(value: Any) -> Truth:
    if value.__class__ is Unknown:
        return "unknown"
    return "true" if value else "false"


def _trace(node: n.Node, env: dict[str, Any]) -> Trace:
    # Values come from the same compiled closures the evaluator runs.
    value = compile_expr(node)(env)
    missing = sorted(value.missing) if value.__class__ is Unknown else []
    if isinstance(node, n.BoolOp):
        parts = [_trace(v, env) for v in node.values]
        return Trace(text=render(node), value=_truth(value), missing=missing, parts=parts)
    if isinstance(node, n.Not):
        return Trace(text=render(node), value=_truth(value), missing=missing, parts=[_trace(node.operand, env)])
    facts = {path: _show(env.get(path)) for path in sorted(names(node))}
    return Trace(text=render(node), value=_truth(value), facts=facts, missing=missing)


def _show(value: Any) -> Optional[str]:
    if value is None or value.__class__ is Unknown:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
