"""Amounts and plan periods as a reader says them, with their figure when known: plain text, no markup."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from policyrules.pack.schema import DatedBound, Validity
from policyrules.types import Lang

from .result import AmountOut

# Units as a Chinese reader says them; a unit not listed is shown as written.
UNIT_ZH = {
    "CNY": "元",
    "person": "人",
    "year": "年",
    "month": "月",
    "day": "天",
    "m": "米",
    "session": "次",
    "time": "次",
    "household": "户",
    "post": "个岗位",
    "institution": "个机构",
    "hour": "小时",
    "1": "",
}


def unit_text(unit: Optional[str], lang: Lang = "en") -> str:
    if unit is None:
        return ""
    return UNIT_ZH.get(unit, unit) if lang == "zh" else unit


def number_text(value: Optional[Decimal]) -> str:
    if value is None:
        return "?"
    text = format(value.normalize(), "f")
    return text


def _unit(unit: Optional[str], per: list[str]) -> str:
    words = [] if unit in (None, "1") else [unit or ""]
    words += [f"per {p}" for p in per]
    return " ".join(words)


def _unit_zh(unit: Optional[str], per: list[str]) -> str:
    # 元/人/年: the amount per each of ``per`` in turn
    return "".join([unit_text(unit, "zh")] + [f"/{unit_text(p, 'zh') or p}" for p in per])


# The phrases of an amount, one table per language; format_amount_plain fills them in.
_PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "no_figure": "no figure given — {ref}",
        "range": "{min}–{max} {unit}",
        "cap": "up to {cap} {unit}",
        "capped": "{value} {unit} (actual, capped at {cap})",
        "minimum": "at least {value} {unit}",
        "average": "{value} {unit} on average (a standard, not a fixed sum)",
        "share": "{value} {unit} ({expr})",
        "formula": "  = {expr}",
        "missing": " (missing: {missing})",
        "and": ", ",
    },
    "zh": {
        "no_figure": "未给出金额——{ref}",
        "range": "{min}–{max} {unit}",
        "cap": "最高 {cap} {unit}",
        "capped": "{value} {unit}（按实际，最高 {cap}）",
        "minimum": "至少 {value} {unit}",
        "average": "平均 {value} {unit}（标准，不是固定金额）",
        "share": "{value} {unit}（{expr}）",
        "formula": "（= {expr}）",
        "missing": "（缺少：{missing}）",
        "and": "、",
    },
}


def format_amount_plain(a: AmountOut, lang: Lang = "en") -> str:
    """An amount as a reader would say it, with its figure when known (no markup)."""
    say = _PHRASES[lang]
    zh = lang == "zh"
    unit = _unit_zh(a.unit, a.per) if zh else _unit(a.unit, a.per)
    fill = {
        "ref": a.reference,
        "unit": unit,
        "expr": a.expression,
        **{k: number_text(getattr(a, k)) for k in ("value", "min", "max", "cap")},
    }
    if a.kind == "no_figure":
        return say["no_figure"].format(**fill)
    if a.kind == "cap" and a.value is not None:
        text = say["capped"].format(**fill)
    elif a.kind in ("range", "cap", "minimum", "average", "share"):
        text = say[a.kind].format(**fill)
    else:
        text = f"{fill['value']} {unit}"
        if a.value is None or a.kind == "formula":
            text += say["formula"].format(**fill)
    if a.count is not None:
        if a.total is not None:
            total = number_text(a.total)
        elif a.total_min is not None:
            total = f"{number_text(a.total_min)}–{number_text(a.total_max)}"
        else:
            total = "?"
        if zh:
            counted, rest = (unit_text(a.per[0], "zh") if a.per else ""), _unit_zh(a.unit, a.per[1:])
        else:
            per = " per ".join(a.per[1:])
            counted, rest = (a.per[0] if a.per else ""), f"{a.unit or ''}{' per ' + per if per else ''}"
        text += f" × {number_text(a.count)} {counted} = {total} {rest}"
    if a.missing:
        text += say["missing"].format(missing=say["and"].join(a.missing))
    return text.strip()


CERTAINTY_WORDS = {"stated": "", "lower_bound": "no earlier than ", "estimate": "about "}
_ZH_CERTAINTY = {"stated": "", "lower_bound": "不早于", "estimate": "约"}


def period_words(validity: Validity, lang: Lang = "en") -> str:
    """A validity in words, with its uncertainty: 'from about 2025-06-25 to 2027-12-31', '… (no end stated)'.

    Every place that prints a pack's dates (results, list, diff, matrix) prints this.
    """
    start = validity.from_
    end = validity.until.date.isoformat() if isinstance(validity.until, DatedBound) else None
    if lang == "zh":
        text = f"{_ZH_CERTAINTY[start.certainty]}{start.date.isoformat()}起"
        return f"{text}至{end}" if end else f"{text}（未规定终止日期）"
    text = f"from {CERTAINTY_WORDS[start.certainty]}{start.date.isoformat()}"
    return f"{text} to {end}" if end else f"{text} (no end stated)"
