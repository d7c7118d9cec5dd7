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


def format_amount_zh(a: AmountOut) -> str:
    """An amount in Chinese, with its figure when known (no markup)."""
    unit = _unit_zh(a.unit, a.per)
    if a.kind == "no_figure":
        return f"未给出金额——{a.reference}"
    if a.kind == "range":
        text = f"{number_text(a.min)}–{number_text(a.max)} {unit}"
    elif a.kind == "cap":
        text = f"最高 {number_text(a.cap)} {unit}"
        if a.value is not None:
            text = f"{number_text(a.value)} {unit}（按实际，最高 {number_text(a.cap)}）"
    elif a.kind == "minimum":
        text = f"至少 {number_text(a.value)} {unit}"
    elif a.kind == "share":
        text = f"{number_text(a.value)} {unit}（{a.expression}）"
    else:
        text = f"{number_text(a.value)} {unit}"
        if a.value is None or a.kind == "formula":
            text += f"（= {a.expression}）"
    if a.count is not None:
        if a.total is not None:
            total = number_text(a.total)
        elif a.total_min is not None:
            total = f"{number_text(a.total_min)}–{number_text(a.total_max)}"
        else:
            total = "?"
        counted = unit_text(a.per[0], "zh") if a.per else ""
        text += f" × {number_text(a.count)} {counted} = {total} {_unit_zh(a.unit, a.per[1:])}"
    if a.missing:
        text += f"（缺少：{'、'.join(a.missing)}）"
    return text.strip()


def format_amount_plain(a: AmountOut, lang: Lang = "en") -> str:
    """An amount as a reader would say it, with its figure when known (no markup)."""
    if lang == "zh":
        return format_amount_zh(a)
    unit = _unit(a.unit, a.per)
    if a.kind == "no_figure":
        return f"no figure given — {a.reference}"
    if a.kind == "range":
        text = f"{number_text(a.min)}–{number_text(a.max)} {unit}"
    elif a.kind == "cap":
        text = f"up to {number_text(a.cap)} {unit}"
        if a.value is not None:
            text = f"{number_text(a.value)} {unit} (actual, capped at {number_text(a.cap)})"
    elif a.kind == "minimum":
        text = f"at least {number_text(a.value)} {unit}"
    elif a.kind == "average":
        text = f"{number_text(a.value)} {unit} on average (a standard, not a fixed sum)"
    elif a.kind == "share":
        text = f"{number_text(a.value)} {unit} ({a.expression})"
    else:
        text = f"{number_text(a.value)} {unit}"
        if a.value is None or a.kind == "formula":
            text += f"  = {a.expression}"
    if a.count is not None:
        if a.total is not None:
            total = number_text(a.total)
        elif a.total_min is not None:
            total = f"{number_text(a.total_min)}–{number_text(a.total_max)}"
        else:
            total = "?"
        rest = " per ".join(a.per[1:])
        text += f" × {number_text(a.count)} {a.per[0] if a.per else ''} = {total} {a.unit or ''}{' per ' + rest if rest else ''}"
    if a.missing:
        text += f" (missing: {', '.join(a.missing)})"
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
