"""The ``compliance`` command: an employer's employment security fund, year by year."""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any, Optional

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

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


def print_report(report: Any, out: Console) -> None:
    out.print(f"[bold]{escape(report.pack)}[/] {escape(report.document)} — employment security fund, year by year")
    if report.fund_pack is None:
        out.print("[yellow]this pack is not layered on national_fund: the fund is not computed[/]")
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1), collapse_padding=True)
    for name in ("year", "staff", "quota", "counted", "short", "full fund", "relief", "owed", "rewards"):
        table.add_column(name, justify="left" if name in ("year", "relief") else "right", no_wrap=True)
    hires = []
    for row in report.years:
        if not row.in_force:
            table.add_row(str(row.year), "", "", "", "", "", "not in force", "", "")
            hires.append(f"{row.year}: {row.reason or 'the pack is not in force'}")
            continue
        if row.exempt:
            relief = "exempt"
        elif row.owed and row.payable_share is not None and row.payable_share < 1:
            relief = f"pay {_num(row.payable_share * 100)}%"
        elif row.owed is False:
            relief = "at quota"
        else:
            relief = "none" if row.payable_share == 1 else "?"
        hire = row.next_hire
        if hire is not None:
            hires.append(
                f"{row.year}: one more disabled hire of grade {hire.grade} (counts as {hire.counts_as}): "
                f"fund {_signed(hire.fund_change)} yuan, rewards {_signed(hire.rewards_change)} yuan"
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
    for line in hires:
        out.print(f"  {escape(line)}")
    for e in report.employees:
        why = f": {'; '.join(e.reasons)}" if e.reasons else ""
        label = e.name or f"#{e.index + 1}"
        out.print(f"  employee {escape(label)}: {e.status}, counts as {e.counts_as}{escape(why)}")
    shown: set[tuple[str, str]] = set()
    for row in report.years:
        for o in row.fund:
            key = (o.citation.document, o.citation.clause)
            if key in shown:
                continue
            shown.add(key)
            ext = " (external)" if o.citation.external else ""
            out.print(
                f"  [dim]{escape(o.rule)}: {escape(o.citation.document)} {escape(o.citation.clause)}{ext}: {escape(o.citation.quote)}[/]"
            )
    for row in report.years:
        for r in row.rewards:
            figure = _money(r.amount) if r.amount is not None else (r.figure or "no figure")
            out.print(f"  {row.year} reward {escape(r.rule)}: {escape(figure)} — {escape(r.title)}")
        if row.missing:
            out.print(f"  [yellow]{row.year} missing: {escape(', '.join(row.missing))}[/]")


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
        print_report(report, out)
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
