"""The ``compliance`` command: an employer's employment security fund, year by year."""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any, Optional

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from policyrules.engine.words import word
from policyrules.types import DEFAULT_LANG, Lang

from ..output import add_format_option, add_lang_option
from ._common import EXIT_OK


def _money(v: Optional[Decimal]) -> str:
    if v is None:
        return "?"
    q = v.quantize(Decimal("0.01"))
    return f"{q:,.2f}".rstrip("0").rstrip(".") if q == q.to_integral() else f"{q:,.2f}"


def _num(v: Optional[Decimal]) -> str:
    return "?" if v is None else format(v.normalize(), "f")


def _signed(v: Optional[Decimal]) -> str:
    if v is None:
        return "?"
    return ("+" if v > 0 else "") + _money(v)


_WHY_FIELDS = {"contract": ("months",), "wage": ("wage", "minimum"), "missing": ("fact",)}


def _why(reason: Any, lang: Lang) -> str:
    key = "contract_months" if reason.code == "contract" and reason.figures else reason.code
    return word(f"compliance.why.{key}", lang, **dict(zip(_WHY_FIELDS.get(reason.code, ()), reason.figures)))


def print_report(report: Any, out: Console, lang: Lang = DEFAULT_LANG) -> None:
    def w(key: str, **fields: Any) -> str:
        return word(f"compliance.{key}", lang, **fields)

    sep = "：" if lang == "zh" else ": "
    out.print(f"[bold]{escape(report.pack)}[/] {escape(report.document)} — {w('title')}")
    if report.fund_pack is None:
        out.print(f"[yellow]{w('not_layered')}[/]")
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1), collapse_padding=True)
    for key in ("year", "staff", "quota", "counted", "short", "full", "relief", "owed", "rewards"):
        table.add_column(w(f"col.{key}"), justify="left" if key in ("year", "relief") else "right", no_wrap=True)
    notes = []
    for row in report.years:
        if not row.in_force:
            table.add_row(str(row.year), "", "", "", "", "", w("not_in_force"), "", "")
            notes.append(f"{row.year}{sep}{row.reason or w('not_in_force')}")
            continue
        if row.exempt:
            relief = w("exempt")
        elif row.owed and row.payable_share is not None and row.payable_share < 1:
            relief = w("pay_share", share=_num(row.payable_share * 100))
        elif row.owed is False:
            relief = w("at_quota")
        else:
            relief = w("no_relief") if row.payable_share == 1 else "?"
        if row.wage_source is not None:
            key = "wage_carried" if row.wage_source == "unit.average_annual_wage" else "wage"
            notes.append(w(key, year=row.year, before=row.year - 1, source=row.wage_source, wage=_money(row.unit_wage)))
        hire = row.next_hire
        if hire is not None:
            notes.append(
                w(
                    "hire",
                    year=row.year,
                    certificate=w(f"certificate.{hire.certificate}"),
                    grade=hire.grade,
                    counts=hire.counts_as,
                    fund=_signed(hire.fund_change),
                    rewards=_signed(hire.rewards_change),
                )
            )
        table.add_row(
            str(row.year),
            _num(row.staff),
            _num(row.quota),
            _num(row.counted_disabled),
            _num(row.shortfall),
            _money(row.fund_full),
            relief,
            _money(row.fund_due),
            _money(row.rewards_total) if row.rewards else "—",
        )
    out.print(table)
    for line in notes:
        out.print(f"  {escape(line)}")
    for e in report.employees:
        why = ("；" if lang == "zh" else "; ").join(_why(r, lang) for r in e.why)
        status = w(f"status.{e.status}")
        line = w("employee", label=e.name or f"#{e.index + 1}", status=status, counts=e.counts_as)
        out.print(f"  {escape(line + (sep + why if why else ''))}")
    shown: set[tuple[str, str]] = set()
    for row in report.years:
        for o in row.fund:
            key = (o.citation.document, o.citation.clause)
            if key in shown:
                continue
            shown.add(key)
            ext = w("external") if o.citation.external else ""
            out.print(
                f"  [dim]{escape(o.rule)}{sep}{escape(o.citation.document)} {escape(o.citation.clause)}{ext}{sep}"
                f"{escape(o.citation.quote)}[/]"
            )
    for row in report.years:
        for r in row.rewards:
            figure = _money(r.amount) if r.amount is not None else (r.figure or w("no_figure"))
            out.print(f"  {escape(w('reward', year=row.year, rule=r.rule, figure=figure, title=r.title))}")
        if row.missing:
            facts = ("、" if lang == "zh" else ", ").join(row.missing)
            out.print(f"  [yellow]{escape(w('missing', year=row.year, facts=facts))}[/]")


def cmd_compliance(args: argparse.Namespace, out: Console) -> int:
    from policyrules.compliance import compliance, parse_years
    from policyrules.engine.loading import load_pack
    from policyrules.facts.casefile import load_case

    report = compliance(
        load_pack(args.pack, args.lang),
        load_case(args.case),
        parse_years(args.years),
        hire_grade=args.hire_grade,
        hire_certificate=args.hire_certificate,
    )
    if args.format == "json":
        print(report.model_dump_json(indent=2))
    else:
        print_report(report, out, args.lang)
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compliance", help="an employer's employment security fund, reliefs and rewards, year by year")
    p.add_argument("pack", metavar="PACK", help="shipped pack name or path to a pack file")
    p.add_argument("case", metavar="CASE", help="employer case file (YAML or JSON); - reads standard input")
    p.add_argument("--years", default="2023..2027", metavar="Y..Y", help="years to compute (default 2023..2027)")
    p.add_argument(
        "--hire-grade",
        type=int,
        default=2,
        choices=range(1, 11),
        metavar="N",
        help="grade of the one more hire (default 2)",
    )
    p.add_argument(
        "--hire-certificate",
        choices=("disability", "disabled_soldier"),
        default="disability",
        help="certificate of the one more hire (default disability: 残疾人证)",
    )
    add_format_option(p, ("text", "json"))
    add_lang_option(p)
    p.set_defaults(run=cmd_compliance)
