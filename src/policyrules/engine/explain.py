"""Why a rule fired or not: its condition as a tree, each part with its value and the facts it read."""

from __future__ import annotations

from datetime import date
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field

from policyrules.expr import Unknown, compile_expr, names, render
from policyrules.expr import nodes as n
from policyrules.facts.case import Case
from policyrules.types import Lang

from .evaluator import arithmetic_message, assemble, citation_out, initial_env, run_rules, validity_on
from .model import CompiledExpr, CompiledPack, CompiledRule
from .result import CitationOut, Result, Validity
from .words import value_word, word

# A condition's value, as in a result: true, false, or null when facts it needs are missing.
Truth = Optional[bool]


class Trace(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str
    value: Truth = Field(description="true, false, or null: undecided for want of the facts in missing")
    facts: dict[str, Optional[str]] = {}
    missing: list[str] = []
    error: Optional[str] = None  # an arithmetic error met computing this part (division by zero, ...)
    parts: list[Trace] = []


class Computation(BaseModel):
    """A figure as computed: what the pack writes, its value, and the facts it read."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    text: str
    value: Optional[str] = None
    facts: dict[str, Optional[str]] = {}
    missing: list[str] = []
    error: Optional[str] = None  # an arithmetic error met computing it
    rule: Optional[str] = None  # derived facts: the rule that set it


class Explanation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    rule: str
    topic: str
    kind: str
    title: str
    fired: Truth = Field(description="the condition holds: true, false, or null when facts it needs are missing")
    outcome: str = ""  # what evaluate gives for this rule, in one line: granted, withheld, not in force, ended, ...
    condition: Trace
    amount: list[Computation] = []  # amount, duration and limit figures, as evaluate computed them
    derived: list[Computation] = []  # the derived facts the rule reads, in the order they were settled
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
    validity = validity_on(pack, as_of)
    # The same run, assembled as evaluate assembles it, so that both say the same of every rule.
    result = assemble(pack, as_of, validity, run)
    return ExplainReport(
        pack=pack.id,
        as_of=as_of,
        validity=validity,
        rules=[_explain_rule(pack, rule, run.env, result, one=rule_id is not None) for rule in rules],
    )


def _explain_rule(
    pack: CompiledPack, rule: CompiledRule, env: dict[str, Any], result: Result, one: bool
) -> Explanation:
    trace = _trace(rule.when.node, env, pack.lang)
    amount: list[Computation] = []
    derived: list[Computation] = []
    if one:
        amount = _figures(rule, env, pack.lang)
        derived = _derivations(pack, rule, env)
    return Explanation(
        rule=rule.id,
        topic=rule.topic,
        kind=rule.kind,
        title=rule.title,
        fired=trace.value,
        outcome=outcome_line(rule, result, env),
        condition=trace,
        amount=amount,
        derived=derived,
        citation=citation_out(rule.citation),
        notes=list(rule.notes),
    )


def outcome_line(rule: CompiledRule, result: Result, env: dict[str, Any]) -> str:
    """What the result says of a rule, in one line, in the result's language."""
    lang = result.lang
    if rule.kind == "derive":
        value = env.get(f"derived.{rule.derive_fact}")
        unknown = value is None or value.__class__ is Unknown
        if unknown:
            shown = word("value.unknown", lang)
        else:
            shown = value_word(value, lang) if isinstance(value, bool) else _show(value)
        return f"derived.{rule.derive_fact} = {shown}"
    for o in (*result.entitlements, *result.obligations, *result.sanctions):
        if o.rule == rule.id:
            if o.status:
                status = word(f"obligation.{o.status}", lang) if lang == "zh" else o.status
                return word("explain.granted_status", lang, status=status)
            return word("explain.granted", lang)
    for x in result.exclusions:
        if x.rule == rule.id and x.reason == "rule":
            withholding = word("explain.withholding", lang, rules=", ".join(x.withheld)) if x.withheld else ""
            return word("explain.excludes", lang, topic=x.topic_excluded) + withholding
        if rule.id in x.withheld:
            return word("explain.withheld_by", lang, rule=x.rule, summary=x.summary, clause=x.citation.clause)
    for g in result.not_granted:
        if g.rule == rule.id:
            return g.because
    for u in (*result.undetermined, *result.undetermined_elsewhere):
        if u.rule == rule.id:
            return word("explain.undecided", lang, missing=", ".join(u.missing))
    for e in result.errors:
        if e.rule == rule.id:
            return word("explain.error", lang, message=e.message)
    return word("explain.not_met", lang)


def _computation(
    name: str, expr: CompiledExpr, env: dict[str, Any], lang: Lang, rule: Optional[str] = None
) -> Computation:
    value, error = _value(expr.fn, env, lang)
    missing = sorted(value.missing) if value.__class__ is Unknown else []
    return Computation(
        name=name,
        text=" ".join(expr.text.split()),
        value=_show(value),
        facts={p: _show(env.get(p)) for p in sorted(names(expr.node))},
        missing=missing,
        error=error,
        rule=rule,
    )


def _value(fn: Any, env: dict[str, Any], lang: Lang) -> tuple[Any, Optional[str]]:
    """An expression's value, or None and the arithmetic error computing it met, in words."""
    try:
        return fn(env), None
    except ArithmeticError as exc:
        return None, arithmetic_message(exc, lang)


def _figures(rule: CompiledRule, env: dict[str, Any], lang: Lang) -> list[Computation]:
    out = []
    if rule.amount is not None:
        a = rule.amount
        for name in ("value", "min", "max", "cap", "actual", "base", "count"):
            expr = getattr(a, name)
            if expr is not None:
                out.append(_computation(f"amount.{name}", expr, env, lang))
    for name, expr in (
        ("duration.max", rule.duration_max),
        ("duration.used", rule.duration_used),
        ("limit.used", rule.limit_used),
        ("met_when", rule.met_when),
    ):
        if expr is not None:
            out.append(_computation(name, expr, env, lang))
    return out


def _derivations(pack: CompiledPack, rule: CompiledRule, env: dict[str, Any]) -> list[Computation]:
    """How each derived fact the rule reads (directly or through other derived facts) was computed."""
    wanted: set[str] = set()
    todo = [p for p in rule.reads() if p.startswith("derived.")]
    while todo:
        path = todo.pop()
        if path in wanted:
            continue
        wanted.add(path)
        for rid in pack.setters.get(path[len("derived.") :], ()):
            todo += [p for p in pack.rule(rid).reads() if p.startswith("derived.")]
    out = []
    for r in pack.rules:  # evaluation order: a fact appears after the facts it is computed from
        if r.kind != "derive" or f"derived.{r.derive_fact}" not in wanted or r.derive_value is None:
            continue
        cond, error = _value(r.when.fn, env, pack.lang)
        if error is not None:
            out.append(Computation(name=f"derived.{r.derive_fact}", text=r.when.text, error=error, rule=r.id))
        elif cond is True:
            out.append(_computation(f"derived.{r.derive_fact}", r.derive_value, env, pack.lang, r.id))
        elif cond.__class__ is Unknown:
            out.append(
                Computation(
                    name=f"derived.{r.derive_fact}",
                    text=word(
                        "explain.derived_when",
                        pack.lang,
                        value=" ".join(r.derive_value.text.split()),
                        when=" ".join(r.when.text.split()),
                    ),
                    missing=sorted(cond.missing),
                    rule=r.id,
                )
            )
    return out


def _truth(value: Any) -> Truth:
    return None if value.__class__ is Unknown else bool(value)


def _trace(node: n.Node, env: dict[str, Any], lang: Lang) -> Trace:
    # Values come from the same compiled closures the evaluator runs.
    value, error = _value(compile_expr(node), env, lang)
    missing = sorted(value.missing) if value.__class__ is Unknown else []
    truth = None if error else _truth(value)
    if isinstance(node, n.BoolOp):
        parts = [_trace(v, env, lang) for v in node.values]
        return Trace(text=render(node), value=truth, missing=missing, error=error, parts=parts)
    if isinstance(node, n.Not):
        parts = [_trace(node.operand, env, lang)]
        return Trace(text=render(node), value=truth, missing=missing, error=error, parts=parts)
    facts = {path: _show(env.get(path)) for path in sorted(names(node))}
    return Trace(text=render(node), value=truth, facts=facts, missing=missing, error=error)


def _show(value: Any) -> Optional[str]:
    if value is None or value.__class__ is Unknown:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
