"""Rules in words, as an analyst reads the text: amounts, thresholds, durations, funding.

Used by diffs and the comparison matrix; evaluation never comes through here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from policyrules.check import analysis
from policyrules.engine.model import CompiledAmount, CompiledExpr, CompiledPack, CompiledRule
from policyrules.engine.words import period_words
from policyrules.facts.vocabulary import case_facts

NO_FIGURE = "no figure given"
NOT_COVERED = "—"


def _expr(e: Optional[CompiledExpr]) -> str:
    if e is None:
        return "?"
    text = " ".join(e.text.split())
    # quantity(5, 'month') reads better as "5 months"
    import re

    text = re.sub(r"quantity\((\S+?), '(\w+)'\)", lambda m: f"{m.group(1)} {m.group(2)}", text)
    # An analyst reads the fact's name in the text's terms, not its path in the vocabulary.
    facts = case_facts()
    return re.sub(
        r"\b(?:person|unit|place|hire|application)(?:\.[a-z_]+)+",
        lambda m: facts[m.group(0)].zh if m.group(0) in facts and facts[m.group(0)].zh else m.group(0),
        text,
    )


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _per(a: CompiledAmount) -> str:
    return "".join(f" per {p}" for p in a.per)


def _unit(a: CompiledAmount) -> str:
    return "" if a.unit in (None, "1") else f" {a.unit}"


def amount_text(a: Optional[CompiledAmount]) -> str:
    """The figure as the pack states it: '8000 CNY per person', '6–12 month', 'no figure given'."""
    if a is None:
        return "no amount (a right or an exemption)"
    if a.kind == "no_figure":
        return NO_FIGURE
    if a.kind == "range":
        body = f"{_expr(a.min)}–{_expr(a.max)}{_unit(a)}"
    elif a.kind == "cap":
        body = f"{_expr(a.actual)}, up to {_expr(a.cap)}{_unit(a)}" if a.actual else f"up to {_expr(a.cap)}{_unit(a)}"
    elif a.kind == "share":
        base = _expr(a.base) if a.base is not None else a.base_text
        body = f"{_num((a.rate or Decimal(0)) * 100)}% of {base}{_unit(a)}"
    elif a.kind == "minimum":
        body = f"at least {_expr(a.value)}{_unit(a)}"
    elif a.kind == "average":
        body = f"{_expr(a.value)}{_unit(a)} on average"
    else:
        body = f"{_expr(a.value)}{_unit(a)}"
    text = body + _per(a)
    if a.count is not None:
        text += f" × {_expr(a.count)}"
    return text


def duration_text(rule: CompiledRule) -> Optional[str]:
    o = rule.outcome
    if o is None or o.duration is None:
        return None
    return f"at most {_expr(rule.duration_max)} {o.duration.unit}"


def limit_text(rule: CompiledRule) -> Optional[str]:
    o = rule.outcome
    if o is None or o.limit is None:
        return None
    return f"at most {o.limit.max} per {o.limit.per}"


def funding_text(rule: CompiledRule) -> Optional[str]:
    o = rule.outcome
    if o is None or not o.funding:
        return None
    return ", ".join(f"{f.payer} {_num(f.share * 100)}%" for f in o.funding)


def thresholds(rule: CompiledRule) -> list[str]:
    """The fact-versus-literal comparisons in a condition: 'unit.establishment_size >= 50'."""
    return sorted(
        {
            f"{a.path} {a.op} {a.value}"
            for a in analysis.atoms(rule.when.node)
            if not isinstance(a.value, (bool, frozenset))
        }
    )


_SYMBOL = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "==": "=", "!=": "≠"}


def age_limits(rule: CompiledRule) -> list[str]:
    """The age limits a condition sets, in words: ['年龄 ≤ 65'].

    An age limit says who qualifies, and for a relaxed age limit it is the whole point of
    the clause, so a matrix cell shows it beside the figure, or in its place when there is none.
    """
    name = case_facts()["person.age"].zh or "person.age"
    return sorted(
        {
            f"{name} {_SYMBOL[a.op]} {a.value}"
            for a in analysis.atoms(rule.when.node)
            if a.path == "person.age" and not isinstance(a.value, (bool, frozenset))
        }
    )


def validity_text(pack: CompiledPack) -> str:
    return period_words(pack.validity)


def headline(pack: CompiledPack, topic: str) -> Optional[str]:
    """The figure(s) a pack gives for a topic; None when it does not cover the topic."""
    rules = [r for r in pack.rules if r.topic == topic and r.kind in ("entitlement", "obligation", "sanction")]
    if not rules:
        return None
    texts = []
    for r in rules:
        t = amount_text(r.amount)
        extra = [x for x in (duration_text(r), limit_text(r)) if x]
        ages = age_limits(r)
        if ages and t.startswith("no amount"):
            t = ", ".join(ages)
        elif ages and t == NO_FIGURE:
            t = f"{', '.join(ages)} ({NO_FIGURE})"
        else:
            extra += ages
        texts.append(t + (f" ({'; '.join(extra)})" if extra else ""))
    figures = [t for t in texts if not t.startswith(("no amount", NO_FIGURE))]
    if not figures:
        return NO_FIGURE if any(t.startswith(NO_FIGURE) for t in texts) else "covered, no amount"
    return "; ".join(dict.fromkeys(figures))
