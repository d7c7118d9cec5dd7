"""Rules in words, as an analyst reads the text: amounts, thresholds, durations, funding.

Used by diffs and the comparison matrix; evaluation never comes through here.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, Literal, Optional

from policyrules.check import analysis
from policyrules.engine.model import CompiledAmount, CompiledExpr, CompiledPack, CompiledRule
from policyrules.engine.words import (
    choice_word,
    count_unit,
    fact_words,
    per_text,
    period_words,
    quantity_text,
    quantity_words,
    unit_text,
    value_word,
    word,
)
from policyrules.expr import render
from policyrules.facts.vocabulary import case_facts
from policyrules.types import Lang

NOT_COVERED = "—"


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
                quantity_text(_num(v), series.unit, pack.lang) if series.unit != "1" else _num(v)
            )
    return terms


def param_terms(pack: CompiledPack) -> dict[str, str]:
    """A pack's parameters with one value, by that value: what two packs are compared on.

    Derived facts keep their names here: two packs may describe the same derived fact in different
    words, and the diff compares their definitions (``derived_diff``) instead.
    """
    return {k: v for k, v in pack_terms(pack).items() if k.startswith("param.")}


def _expr(e: Optional[CompiledExpr], lang: Lang = "en", terms: Optional[dict[str, str]] = None) -> str:
    if e is None:
        return "?"
    return expr_words(e.text, lang, terms)


def expr_words(text: str, lang: Lang = "en", terms: Optional[dict[str, str]] = None) -> str:
    """An expression's text as an analyst reads it: quantities, parameters and facts in words."""
    text = " ".join(text.split())
    text = quantity_words(text, lang)
    if lang == "zh":
        text = text.replace(" * ", " × ")
    if terms:
        text = _PACK_NAME.sub(lambda m: terms.get(m.group(0), m.group(0)), text)
    whole = re.fullmatch(r"ceil\((.+)\)", text)
    if whole:  # a head count rounded up to whole persons, said as the text would say it
        text = word("rule.rounded_up", lang, value=whole.group(1))
    # An analyst reads the fact's name in words, not its path in the vocabulary: the text's term in Chinese,
    # its meaning in English.
    return fact_words(text, lang, short=True)


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _per(a: CompiledAmount, lang: Lang) -> str:
    if lang == "zh":
        return "".join(f"/{unit_text(p, lang) or p}" for p in a.per)
    return "".join(f" per {p}" for p in a.per)


def _unit(a: CompiledAmount, lang: Lang) -> str:
    if a.unit in (None, "1"):
        return ""
    return count_unit(a.unit) if lang == "zh" else f" {a.unit}"


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
    unit = count_unit(o.duration.unit) if lang == "zh" else o.duration.unit
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


_SYMBOL = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "==": "=", "!=": "≠"}
_OPERATOR = re.compile(r" (<=|>=|==|!=) ")


def value_words(path: str, value: object, lang: Lang = "en") -> str:
    """A fact's value as a reader says it: 是/否, a choice in words (民营企业), a number or date as written."""
    if isinstance(value, bool):
        return value_word(value, lang)
    if isinstance(value, str) and path in case_facts():
        return choice_word(path, value, lang)
    return str(value)


_CHOICE_TEST = re.compile(r"\b([a-z_]+(?:\.[a-z_]+)+) (==|!=) '(\w+)'")
_CHOICE_LIST = re.compile(r"\b([a-z_]+(?:\.[a-z_]+)+) (not in|in) \[([^\]]*)\]")
_IF_ELSE = re.compile(r"\(([^()]+?) if ([^()]+?) else ([^()]+?)\)")
_CONNECTIVES_ZH = ((" and ", " 且 "), (" or ", " 或 "), ("not ", "非"))


def condition_words(text: str, lang: Lang = "en", terms: Optional[dict[str, str]] = None) -> str:
    """A condition or a derived fact's definition in words: choices by their names, ≥ for >=, and in
    Chinese 且/或/非 for and/or/not and 若…则…否则 for a value that depends on a test."""

    def one_of(m: re.Match[str]) -> str:
        values = [v.strip().strip("'") for v in m.group(3).split(",") if v.strip()]
        sep = "、" if lang == "zh" else ", "
        key = "cond.in" if m.group(2) == "in" else "cond.not_in"
        return word(key, lang, fact=m.group(1), values=sep.join(choice_word(m.group(1), v, lang) for v in values))

    text = " ".join(text.split())
    text = _CHOICE_TEST.sub(lambda m: f"{m.group(1)} {m.group(2)} {choice_word(m.group(1), m.group(3), lang)}", text)
    text = _CHOICE_LIST.sub(one_of, text)
    text = _OPERATOR.sub(lambda m: f" {_SYMBOL[m.group(1)]} ", expr_words(text, lang, terms))
    if lang == "zh":
        for en, zh in _CONNECTIVES_ZH:
            text = text.replace(en, zh)
        text = _IF_ELSE.sub(lambda m: f"（若{m.group(2)}则{m.group(1)}，否则{m.group(3)}）", text)
    return text


def _condition(lit: analysis.Lit, lang: Lang, terms: Optional[dict[str, str]]) -> str:
    if isinstance(lit, analysis.Opaque):
        text = condition_words(render(lit.node), lang, terms)
        return text if lit.positive else word("cond.not", lang, text=text)
    name = expr_words(lit.path, lang, terms)
    if isinstance(lit.value, bool):
        holds = (lit.op == "==") == lit.value
        return word("cond.true" if holds else "cond.false", lang, fact=name)
    if isinstance(lit.value, frozenset):
        values = ("、" if lang == "zh" else ", ").join(sorted(value_words(lit.path, v, lang) for v in lit.value))
        return word("cond.in" if lit.op == "in" else "cond.not_in", lang, fact=name, values=values)
    return f"{name} {_SYMBOL.get(lit.op, lit.op)} {value_words(lit.path, lit.value, lang)}"


def thresholds(rule: CompiledRule, lang: Lang = "en", terms: Optional[dict[str, str]] = None) -> list[str]:
    """Every test a condition makes, in words: comparisons with a figure ('在职职工总数 ≥ 50'), the values
    a choice must (not) take ('行政级别为地市级、县级之一'), yes/no facts ('持残疾人证', '中小学、幼儿园：否'),
    and comparisons between facts ('derived.counted_disabled > derived.quota_required')."""
    try:
        conjuncts = analysis.dnf(rule.when.node)
    except analysis.TooComplex:
        return [expr_words(rule.when.text, lang, terms)]
    return sorted({_condition(lit, lang, terms) for conj in conjuncts for lit in conj})


def age_limits(rule: CompiledRule, lang: Lang = "zh") -> list[str]:
    """The age limits a condition sets, in words: ['年龄 ≤ 65'] ('age in whole years ≤ 65' in English).

    An age limit says who qualifies, and for a relaxed age limit it is the whole point of
    the clause, so a matrix cell shows it beside the figure, or in its place when there is none.
    """
    name = fact_words("person.age", lang, short=True)
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
        ages = age_limits(r, lang)
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


def _flat(case: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in case.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def _fact_unit(path: str, lang: Lang) -> str:
    info = case_facts().get(path)
    if info is None or info.unit in (None, "1") or path == "person.age" and lang != "zh":
        return ""
    if path == "person.age":
        return "岁"
    if info.unit == "year" and path.endswith("year"):  # a calendar year: 2022年, 2022
        return "年" if lang == "zh" else ""
    if lang == "zh":  # 元/月: a month is 个月 only after a number
        first, *per = info.unit.split("/")
        return "/".join([count_unit(first), *(unit_text(u, "zh") for u in per)])
    return f" {info.unit}"


def case_words(case: dict[str, Any], lang: Lang = "en", days: tuple[date, ...] = ()) -> str:
    """A case as an analyst reads it: the facts it gives in words, those that say "no" or "none" last.

    '持残疾人证；在职职工总数：200人；安排残疾人就业人数：4人（其余为否或0：劳务派遣残疾人数）'. A date the
    case gives that is the date each side decides on (``days``) is what an absent one would be, so it is left out.
    """
    shown, rest = [], []
    for path, value in sorted(_flat(case).items()):
        name = fact_words(path, lang, short=True)
        if value is False or (isinstance(value, (int, Decimal)) and not isinstance(value, bool) and value == 0):
            rest.append(name)
        elif path == "application.date" and days and all(str(value) == d.isoformat() for d in days):
            continue
        elif value is True:
            shown.append(name)
        else:
            colon = "：" if lang == "zh" else ": "
            shown.append(f"{name}{colon}{value_words(path, value, lang)}{_fact_unit(path, lang)}")
    sep, listed = ("；", "、") if lang == "zh" else ("; ", ", ")
    if not shown:
        return word("case.only_rest", lang, facts=listed.join(rest)) if rest else word("case.empty", lang)
    text = sep.join(shown)
    if rest:
        tail = word("case.rest", lang, facts=listed.join(rest))
        text += f"（{tail}）" if lang == "zh" else f" ({tail})"
    return text
