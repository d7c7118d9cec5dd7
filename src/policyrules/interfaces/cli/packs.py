"""Commands about packs themselves: list, validate, schema, docs, coverage, check."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from policyrules.check.citations import sources_dir, verify
from policyrules.engine.loading import load_pack
from policyrules.errors import PolicyRulesError
from policyrules.pack.files import shipped_packs

from ..listing import pack_summary
from ._common import EXIT_FINDINGS, EXIT_OK, SOURCES_HELP


def cmd_list(args: argparse.Namespace, out: Console) -> int:
    packs = [load_pack(name) for name in shipped_packs()]
    if args.json:
        rows = [pack_summary(p).model_dump(mode="json") for p in packs]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    table = Table(title="Shipped packs")
    for col in ("pack", "jurisdiction", "document", "in force", "rules"):
        table.add_column(col)
    for p in packs:
        until = p.valid_until.isoformat() if p.valid_until else "no end stated"
        parent = f" (inherits {p.parent.id})" if p.parent else ""
        table.add_row(
            p.id + parent,
            p.jurisdiction.name,
            f"{p.document.number}\n{p.document.title}",
            f"{p.valid_from} – {until}",
            str(len(p.rules)),
        )
    out.print(table)
    return EXIT_OK


def cmd_validate(args: argparse.Namespace, out: Console) -> int:
    names = args.packs or shipped_packs()
    sources = Path(args.sources) if args.sources else sources_dir()
    failed = False
    for name in names:
        try:
            pack = load_pack(name)
        except PolicyRulesError as exc:
            out.print(f"[red]✘ {name}[/]")
            print(exc, file=sys.stderr)
            failed = True
            continue
        problems = verify(pack, sources) if sources else []
        quotes = "quotes verified" if sources else "[yellow]quotes not checked: sources not found[/]"
        external = sum(1 for r in pack.rules if r.citation.external)
        status = "[red]✘[/]" if problems else "[green]✔[/]"
        out.print(
            f"{status} {pack.id}: {len(pack.rules)} rules, {len(pack.spec.ledger)} ledger clauses, "
            f"{quotes}{f' ({external} external citations unverifiable)' if external else ''}"
        )
        for p in problems:
            out.print(f"    {escape(f'{p.where} [{p.clause}]: {p.message}')}")
        failed = failed or bool(problems)
        if args.require_sources and not sources:
            failed = True
    return EXIT_FINDINGS if failed else EXIT_OK


def cmd_schema(args: argparse.Namespace, out: Console) -> int:
    from policyrules.facts.case import Case
    from policyrules.pack.schema import PackSpec

    model = Case if args.case else PackSpec
    print(json.dumps(model.model_json_schema(by_alias=True), ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_docs(args: argparse.Namespace, out: Console) -> int:
    from ..docgen import write_docs

    stale = write_docs(Path(args.dir), check=args.check)
    if args.check and stale:
        for path in stale:
            print(f"policyrules: {path} is out of date; run `policyrules docs`", file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_OK


def cmd_coverage(args: argparse.Namespace, out: Console) -> int:
    from policyrules.check.coverage import coverage

    sources = Path(args.sources) if args.sources else sources_dir()
    rows = [coverage(load_pack(name), sources) for name in (args.packs or shipped_packs())]
    if args.json:
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
    else:
        table = Table(title="Clauses accounted for")
        for col in (
            "pack",
            "numbered in source",
            "with a ledger entry",
            "ledger entries",
            "encoded",
            "reasoned out",
            "accounted",
        ):
            table.add_column(col)
        for r in rows:
            numbered = "no source" if r.numbered is None else str(r.numbered)
            table.add_row(
                r.pack,
                numbered,
                str(r.anchored if r.anchored is not None else "—"),
                str(r.clauses),
                str(r.encoded),
                str(r.reasoned),
                f"{r.percent}%",
            )
        out.print(table)
        for r in rows:
            for line in (*r.anchor_problems, *(f"not in the ledger: {u}" for u in r.unaccounted)):
                out.print(f"  {escape(r.pack)}: {escape(line)}")
    return EXIT_OK if all(r.percent == 100 for r in rows) else EXIT_FINDINGS


def cmd_check(args: argparse.Namespace, out: Console) -> int:
    from policyrules.check.consistency import check_pack

    sources = Path(args.sources) if args.sources else sources_dir()
    findings = [f for name in (args.packs or shipped_packs()) for f in check_pack(name, sources)]
    if args.format == "json":
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        for f in findings:
            colour = "red" if f.severity == "error" else "yellow"
            where = f"{f.file}:{f.line}" if f.line else f.file
            out.print(f"[{colour}]{f.severity}[/] {f.code} {escape(where)} {f.rule or ''}: {escape(f.message)}")
            if f.case is not None:
                out.print(f"    case: {escape(json.dumps(f.case, ensure_ascii=False))}")
        errors = sum(1 for f in findings if f.severity == "error")
        print(f"{errors} errors, {len(findings) - errors} warnings")
    return EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="list shipped packs")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_list)

    p = sub.add_parser("validate", help="load packs and verify every quote against its source text")
    p.add_argument("packs", nargs="*", metavar="PACK")
    p.add_argument("--sources", help=SOURCES_HELP)
    p.add_argument("--require-sources", action="store_true", help="fail when the source texts are not found")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of pack files (or of case files)")
    p.add_argument("--case", action="store_true", help="the schema of case files instead")
    p.set_defaults(run=cmd_schema)

    p = sub.add_parser("docs", help="regenerate the generated reference pages under docs/")
    p.add_argument("--dir", default="docs")
    p.add_argument("--check", action="store_true", help="only report pages that are out of date")
    p.set_defaults(run=cmd_docs)

    p = sub.add_parser("check", help="static consistency checks: conditions, conflicts, units, citations, usage")
    p.add_argument("packs", nargs="*", metavar="PACK")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--sources", help=SOURCES_HELP)
    p.set_defaults(run=cmd_check)

    p = sub.add_parser(
        "coverage", help="numbered clauses of each source text: accounted for in the ledger, encoded, reasoned out"
    )
    p.add_argument("packs", nargs="*", metavar="PACK")
    p.add_argument("--json", action="store_true")
    p.add_argument("--sources", help=SOURCES_HELP)
    p.set_defaults(run=cmd_coverage)
