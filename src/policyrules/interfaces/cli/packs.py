"""Commands about packs themselves: list, validate, schema, docs, coverage, check."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Optional

from rich.console import Console
from rich.markup import escape

from policyrules.check.citations import all_citations, sources_dir, verify
from policyrules.engine.loading import load_pack
from policyrules.engine.words import period_words, word
from policyrules.errors import PackNotFound, PolicyRulesError
from policyrules.pack.files import shipped_packs

from ..listing import pack_summary
from ..output import add_format_option, add_lang_option, column, table
from ._common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, SOURCES_HELP


def _sources(args: argparse.Namespace) -> Optional[Path]:
    """The source texts directory, or None when it is not there (a --sources path that does not exist included)."""
    found = Path(args.sources) if args.sources else sources_dir()
    return found if found is not None and found.is_dir() else None


def _no_sources(args: argparse.Namespace, out: Console) -> int:
    """Say plainly that quotes were not verified; with --require-sources that is a failure."""
    where = args.sources or os.environ.get("POLICYRULES_SOURCES") or "../shared/sources"
    if args.lang == "zh":
        text = f"未找到原文（{where}）：引文未经核对。"
        hint = "要求核对时请加 --require-sources。" if not args.require_sources else "--require-sources：失败。"
    else:
        text = f"source texts not found ({where}): quotes NOT verified."
        hint = (
            "Pass --require-sources to make this a failure."
            if not args.require_sources
            else "--require-sources: failing."
        )
    print(f"policyrules: {text} {hint}", file=sys.stderr)
    return EXIT_FINDINGS if args.require_sources else EXIT_OK


def _add_sources_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sources", help=SOURCES_HELP)
    p.add_argument(
        "--require-sources",
        action="store_true",
        help="fail when the source texts are not found, instead of reporting quotes as not verified",
    )


def cmd_list(args: argparse.Namespace, out: Console) -> int:
    packs = [load_pack(name, args.lang) for name in shipped_packs()]
    if args.format == "json":
        rows = [pack_summary(p).model_dump(mode="json") for p in packs]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    lang = args.lang
    headers = [word(k, lang) for k in ("pack", "version", "jurisdiction", "document", "in_force", "rules")]
    rows = []
    for p in packs:
        parent = f" ({word('inherits', lang)} {p.parent.id})" if p.parent else ""
        rows.append(
            [
                p.id + parent,
                f"{p.version} {p.content_hash}",
                p.jurisdiction.name,
                p.document.number + ("" if p.document.title == p.document.number else f" {p.document.title}"),
                period_words(p.validity, lang),
                str(len(p.rules)),
            ]
        )
    if args.format == "markdown":
        print("| " + " | ".join(headers) + " |")
        print("|" + "---|" * len(headers))
        for row in rows:
            print("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
        return EXIT_OK
    t = table(out, word("shipped_packs", lang))
    for h in headers:
        column(t, h)
    for row in rows:
        t.add_row(*(escape(cell) for cell in row))
    out.print(t)
    return EXIT_OK


def cmd_validate(args: argparse.Namespace, out: Console) -> int:
    names = args.packs or shipped_packs()
    sources = _sources(args)
    failed = False
    report = []
    zh = args.lang == "zh"
    for name in names:
        try:
            pack = load_pack(name, args.lang)
        except PackNotFound:
            raise  # a name that is no pack is a usage error (exit 2), as in every other command
        except PolicyRulesError as exc:
            report.append({"pack": name, "loaded": False, "errors": str(exc).splitlines()})
            if args.format != "json":
                out.print(f"[red]✘ {escape(name)}[/]")
                print(exc, file=sys.stderr)
            failed = True
            continue
        citations = list(all_citations(pack))
        external = sum(1 for _, c in citations if c.external)
        checkable = len(citations) - external
        problems = verify(pack, sources) if sources else []
        verified = checkable - len({(p.where, p.clause) for p in problems}) if sources else 0
        report.append(
            {
                "pack": pack.id,
                "version": pack.version,
                "content_hash": pack.content_hash,
                "loaded": True,
                "rules": len(pack.rules),
                "ledger_clauses": len(pack.spec.ledger),
                "citations": len(citations),
                "external": external,
                "sources_found": sources is not None,
                "quotes_verified": verified,
                "problems": [{"where": p.where, "clause": p.clause, "message": p.message} for p in problems],
            }
        )
        failed = failed or bool(problems)
        if args.format == "json":
            continue
        if sources is None:
            status = "[yellow]?[/]"
            quotes = (
                "[yellow]引文未核对：未找到原文[/]" if zh else "[yellow]quotes NOT verified: source texts not found[/]"
            )
        else:
            status = "[red]✘[/]" if problems else "[green]✔[/]"
            quotes = (
                f"{verified}/{checkable} 条引文已与原文核对" if zh else f"{verified} of {checkable} quotes verified"
            )
        if external:
            quotes += (
                f"（{external} 条外部引文无法核对）" if zh else f" ({external} external citations cannot be verified)"
            )
        head = f"{pack.id} {pack.version}"
        counts = (
            f"{len(pack.rules)} 条规则，{len(pack.spec.ledger)} 条台账，"
            if zh
            else f"{len(pack.rules)} rules, {len(pack.spec.ledger)} ledger clauses, "
        )
        out.print(f"{status} {escape(head)}: {counts}{quotes}")
        for p in problems:
            out.print(f"    {escape(f'{p.where} [{p.clause}]: {p.message}')}")
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    rc = EXIT_FINDINGS if failed else EXIT_OK
    if sources is None:
        rc = max(rc, _no_sources(args, out))
    return rc


def cmd_schema(args: argparse.Namespace, out: Console) -> int:
    from ..docgen import case_schema, pack_schema, result_schema

    build = result_schema if args.result else case_schema if args.case else pack_schema
    print(build(), end="")
    return EXIT_OK


def cmd_docs(args: argparse.Namespace, out: Console) -> int:
    from policyrules.pack.files import checkout_root

    from ..docgen import write_docs

    if args.dir is None:
        default = checkout_root() / "docs"
        if not default.is_dir():
            # installed from a wheel: there is no docs/ to regenerate, and none should appear in the cwd
            print("policyrules: no docs/ directory beside the source; give one with --dir", file=sys.stderr)
            return EXIT_USAGE
        args.dir = str(default)
    stale = write_docs(Path(args.dir), check=args.check)
    if args.check and stale:
        for path in stale:
            print(f"policyrules: {path} is out of date; run `policyrules docs`", file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_OK


def cmd_coverage(args: argparse.Namespace, out: Console) -> int:
    from policyrules.check.coverage import coverage

    sources = _sources(args)
    rows = [coverage(load_pack(name), sources) for name in (args.packs or shipped_packs())]
    zh = args.lang == "zh"
    if args.format == "json":
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
    else:
        t = table(out, "条款覆盖情况" if zh else "Clauses accounted for")
        for col in (
            ("规则包", "原文编号条款", "有台账的", "台账条目", "已编码", "已说明理由", "覆盖")
            if zh
            else (
                "pack",
                "numbered in source",
                "with a ledger entry",
                "ledger entries",
                "encoded",
                "reasoned out",
                "accounted",
            )
        ):
            column(t, col)
        for r in rows:
            no_source = r.numbered is None
            numbered = ("未找到原文" if zh else "source not found") if no_source else str(r.numbered)
            accounted = f"{r.percent}%" + ((" (仅台账)" if zh else " (ledger only)") if no_source else "")
            t.add_row(
                r.pack,
                numbered,
                str(r.anchored if r.anchored is not None else "—"),
                str(r.clauses),
                str(r.encoded),
                str(r.reasoned),
                accounted,
            )
        out.print(t)
        for r in rows:
            for line in (*r.anchor_problems, *(f"not in the ledger: {u}" for u in r.unaccounted)):
                out.print(f"  {escape(r.pack)}: {escape(line)}")
    rc = EXIT_OK if all(r.percent == 100 for r in rows) else EXIT_FINDINGS
    if sources is None:
        rc = max(rc, _no_sources(args, out))
    return rc


def cmd_check(args: argparse.Namespace, out: Console) -> int:
    from policyrules.check.consistency import check_pack

    sources = _sources(args)
    if args.across:
        return _check_across(args, out, sources)
    findings = [f for name in (args.packs or shipped_packs()) for f in check_pack(name, sources)]
    rc = EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_OK
    if sources is None:
        rc = max(rc, _no_sources(args, out))
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
        if args.lang == "zh":
            print(f"{errors} 个错误，{len(findings) - errors} 个警告")
        else:
            print(f"{errors} errors, {len(findings) - errors} warnings")
    return rc


def _check_across(args: argparse.Namespace, out: Console, sources: Optional[Path]) -> int:
    from policyrules.check.across import across

    findings = across([load_pack(name) for name in (args.packs or shipped_packs())], sources)
    if args.format == "json":
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        for f in findings:
            label = "[dim]annotated[/]" if f.annotated else "[red]finding[/]"
            out.print(f"{label} {f.code} ({f.similarity:.2f}): {escape(f.message)}")
            out.print(f"    {escape(f.a.pack)} [{escape(f.a.clause)}] {escape(f.a.text)}")
            out.print(f"    {escape(f.b.pack)} [{escape(f.b.clause)}] {escape(f.b.text)}")
        open_ = sum(1 for f in findings if not f.annotated)
        print(f"{open_} pairs to fix or annotate, {len(findings) - open_} annotated")
        if sources is None:
            print("source texts not found: reasoned-out clauses were not compared", file=sys.stderr)
    return EXIT_FINDINGS if any(not f.annotated for f in findings) else EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="list shipped packs")
    add_format_option(p)
    add_lang_option(p)
    p.set_defaults(run=cmd_list)

    p = sub.add_parser("validate", help="load packs and verify every quote against its source text")
    p.add_argument("packs", nargs="*", metavar="PACK")
    _add_sources_options(p)
    add_format_option(p, ("text", "json"))
    add_lang_option(p)
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of pack files (or of case files, or of results)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--case", action="store_true", help="the schema of case files instead")
    which.add_argument("--result", action="store_true", help="the schema of a result's JSON (evaluate --json)")
    p.set_defaults(run=cmd_schema)

    p = sub.add_parser("docs", help="regenerate the generated reference pages under docs/")
    p.add_argument("--dir", help="where the pages go (default: docs/ of the source checkout)")
    p.add_argument("--check", action="store_true", help="only report pages that are out of date")
    p.set_defaults(run=cmd_docs)

    p = sub.add_parser("check", help="static consistency checks: conditions, conflicts, units, citations, usage")
    p.add_argument("packs", nargs="*", metavar="PACK")
    add_format_option(p, ("text", "json"))
    _add_sources_options(p)
    add_lang_option(p)
    p.add_argument(
        "--across",
        action="store_true",
        help="compare packs with each other: near-identical wording encoded as a rule in one and reasoned out "
        "in another, or testing different groups",
    )
    p.set_defaults(run=cmd_check)

    p = sub.add_parser(
        "coverage", help="numbered clauses of each source text: accounted for in the ledger, encoded, reasoned out"
    )
    p.add_argument("packs", nargs="*", metavar="PACK")
    add_format_option(p, ("text", "json"))
    _add_sources_options(p)
    add_lang_option(p)
    p.set_defaults(run=cmd_coverage)
