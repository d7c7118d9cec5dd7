"""Rules in words, as an analyst reads the text: amounts, thresholds, durations, funding.

Used by diffs and the comparison matrix; evaluation never comes through here.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal, Optional

from policyrules.check import analysis
from policyrules.engine.model import CompiledAmount, CompiledExpr, CompiledPack, CompiledRule
from policyrules.engine.words import fact_words, per_text, period_words, unit_text, word
from policyrules.facts.vocabulary import case_facts
from policyrules.types import Lang

NOT_COVERED = "—"


def _zh_unit(unit: str) -> str:
    # after a number: 6个月 (six months), not 6月 (June)
    return "个月" if unit == "month" else unit_text(unit, "zh")


def _quantity(number: str, unit: str, lang: Lang) -> str:
    # quantity(5, 'month') reads better as "5 month" (5个月)
    return f"{number}{_zh_unit(unit)}" if lang == "zh" else f"{number} {unit}"


_PACK_NAME = re.compile(r"\b(?:derived|param)\.[a-z_]+")


def pack_terms(pack: CompiledPack) -> dict[str, str]:
    """A pack's own names in words: each derived fact by its description, each parameter with one value by it."""
    terms = {f"derived.{name}": fact.description.pick(pack.lang) for name, fact in pack.derived.items()}
    for series in pack.parameters:
        values = {v for _, v in series.values}
        if len(values) != 1:
            continue  # a figure that changes with the date is no single figure: its name stays
        (v,) = values
        if series.unit == "1" and v < 1:
            terms[f"param.{series.name}"] = f"{_num(v * 100)}%"
        else:
            terms[f"param.{series.name}"] = (
                _quantity(_num(v), series.unit, pack.lang) if series.unit != "1" else _num(v)
            )
    return terms


def _expr(e: Optional[CompiledExpr], lang: Lang = "en", terms: Optional[dict[str, str]] = None) -> str:
    if e is None:
        return "?"
    text = " ".join(e.text.split())
    text = re.sub(r"quantity\((\S+?), '(\w+)'\)", lambda m: _quantity(m.group(1), m.group(2), lang), text)
    if lang == "zh":
        text = text.replace(" * ", " × ")
    if terms:
        text = _PACK_NAME.sub(lambda m: terms.get(m.group(0), m.group(0)), text)
    whole = re.fullmatch(r"ceil\((.+)\)", text)
    if whole:  # a head count rounded up to whole persons, said as the text would say it
        text = word("rule.rounded_up", lang, value=whole.group(1))
    # An analyst reads the fact's name in the text's terms, not its path in the vocabulary.
    return fact_words(text, "zh")


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _per(a: CompiledAmount, lang: Lang) -> str:
    if lang == "zh":
        return "".join(f"/{unit_text(p, lang) or p}" for p in a.per)
    return "".join(f" per {p}" for p in a.per)


def _unit(a: CompiledAmount, lang: Lang) -> str:
    if a.unit in (None, "1"):
        return ""
    return _zh_unit(a.unit) if lang == "zh" else f" {a.unit}"


def amount_text(a: Optional[CompiledAmount], lang: Lang = "en", terms: Optional[dict[str, str]] = None) -> str:
    """The figure as the pack states it: '8000 CNY per person' (8000元/人), '6–12 month', 'no figure given'."""
    if a is None:
        return word("rule.no_amount", lang)
    if a.kind == "no_figure":
        return word("rule.no_figure", lang)
    unit = _unit(a, lang)
    if a.kind == "range":
        body = f"{_expr(a.min, lang, terms)}–{_expr(a.max, lang, terms)}{unit}"
    elif a.kind == "cap":
        cap = _expr(a.cap, lang, terms)
        body = (
            word("rule.capped", lang, value=_expr(a.actual, lang, terms), cap=cap, unit=unit)
            if a.actual
            else word("rule.cap", lang, cap=cap, unit=unit)
        )
    elif a.kind == "share":
        base = _expr(a.base, lang, terms) if a.base is not None else a.base_text
        body = word("rule.share", lang, rate=_num((a.rate or Decimal(0)) * 100), base=base, unit=unit)
    elif a.kind in ("minimum", "average"):
        body = word(f"rule.{a.kind}", lang, value=_expr(a.value, lang, terms), unit=unit)
    else:
        body = f"{_expr(a.value, lang, terms)}{unit}"
    text = body + _per(a, lang)
    if a.count is not None:
        text += f" × {_expr(a.count, lang, terms)}"
    return text


def duration_text(rule: CompiledRule, lang: Lang = "en", terms: Optional[dict[str, str]] = None) -> Optional[str]:
    o = rule.outcome
    if o is None or o.duration is None:
        return None
    unit = _zh_unit(o.duration.unit) if lang == "zh" else o.duration.unit
    return word("rule.duration", lang, max=_expr(rule.duration_max, lang, terms), unit=unit)


def limit_text(rule: CompiledRule, lang: Lang = "en") -> Optional[str]:
    o = rule.outcome
    if o is None or o.limit is None:
        return None
    return word("rule.limit", lang, max=o.limit.max, per=per_text(o.limit.per, lang))


def funding_text(rule: CompiledRule) -> Optional[str]:
    o = rule.outcome
    if o is None or not o.funding:
        return None
    return ", ".join(f"{f.payer} {_num(f.share * 100)}%" for f in o.funding)


def thresholds(rule: CompiledRule) -> list[str]:
    """The fact-versus-literal comparisons in a condition, as the expression language writes them:
    'unit.establishment_size >= 50', "person.employment == 'employed'"."""
    return sorted(
        {
            f"{a.path} {a.op} {a.value!r}" if isinstance(a.value, str) else f"{a.path} {a.op} {a.value}"
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
    return period_words(pack.validity, pack.lang)


# What a matrix cell holds: a figure, an outcome whose figure another regulation sets, an outcome with no amount
# (a right or an exemption), or nothing (the text does not cover the topic).
Headline = Literal["figure", "no_figure", "no_amount", "none"]


def headline(pack: CompiledPack, topic: str) -> tuple[Headline, str]:
    """What a pack gives for a topic, in the pack's language, and which kind of answer that is."""
    rules = [r for r in pack.stated_rules if r.topic == topic and r.kind in ("entitlement", "obligation", "sanction")]
    if not rules:
        return "none", NOT_COVERED
    lang = pack.lang
    terms = pack_terms(pack)
    figures = []
    for r in rules:
        ages = age_limits(r)
        extra = [x for x in (duration_text(r, lang, terms), limit_text(r, lang)) if x]
        if r.amount is None or r.amount.kind == "no_figure":
            if not ages:
                continue
            # an age limit says who qualifies: shown in place of a figure the text does not give
            t = ", ".join(ages)
            if r.amount is not None:
                t += f"（{word('rule.no_figure', lang)}）" if lang == "zh" else f" ({word('rule.no_figure', lang)})"
        else:
            t = amount_text(r.amount, lang, terms)
            extra += ages
        more = (f"（{'；'.join(extra)}）" if lang == "zh" else f" ({'; '.join(extra)})") if extra else ""
        figures.append(t + more)
    if figures:
        return "figure", ("；" if lang == "zh" else "; ").join(dict.fromkeys(figures))
    if any(r.amount is not None for r in rules):
        return "no_figure", word("rule.no_figure", lang)
    return "no_amount", word("rule.covered", lang)
