"""Commands about packs themselves: list, validate, schema, docs, coverage, check."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Optional

from rich.console import Console
from rich.markup import escape

from policyrules.check.citations import all_citations, sources_dir, verify
from policyrules.engine.loading import load_pack
from policyrules.engine.words import period_words, word
from policyrules.errors import PackNotFound, PolicyRulesError
from policyrules.pack.files import shipped_packs

from ..listing import pack_summary
from ..output import add_format_option, add_lang_option, column, progress, table
from ._common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, SOURCES_HELP


def _sources(args: argparse.Namespace) -> Optional[Path]:
    """The source texts directory, or None when it is not there (a --sources path that does not exist included)."""
    found = Path(args.sources) if args.sources else sources_dir()
    return found if found is not None and found.is_dir() else None


def _no_sources(args: argparse.Namespace, out: Console) -> int:
    """Say plainly that quotes were not verified; with --require-sources that is a failure."""
    where = args.sources or os.environ.get("POLICYRULES_SOURCES") or "../shared/sources"
    text = word("cli.no_sources", args.lang, where=where)
    hint = word("cli.failing_require" if args.require_sources else "cli.pass_require", args.lang)
    print(f"policyrules: {text} {hint}", file=sys.stderr)
    return EXIT_FINDINGS if args.require_sources else EXIT_OK


def _colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


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
    report: list[dict[str, Any]] = []
    with progress(out, word("progress.packs", args.lang), len(names)) as advance:
        failed = False
        for name in names:
            failed = _validate_one(args, out, name, sources, report) or failed
            advance()
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    rc = EXIT_FINDINGS if failed else EXIT_OK
    if sources is None:
        rc = max(rc, _no_sources(args, out))
    return rc


def _validate_one(
    args: argparse.Namespace, out: Console, name: str, sources: Optional[Path], report: list[dict[str, Any]]
) -> bool:
    """Load one pack and verify its quotes; add its entry to ``report``; True when something is wrong."""
    lang = args.lang
    try:
        pack = load_pack(name, lang)
    except PackNotFound:
        raise  # a name that is no pack is a usage error (exit 2), as in every other command
    except PolicyRulesError as exc:
        report.append({"pack": name, "loaded": False, "errors": exc.text(lang).splitlines()})
        if args.format != "json":
            out.print(f"[red]✘ {escape(name)}[/]")
            print(exc.text(lang), file=sys.stderr)
        return True
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
    if args.format == "json":
        return bool(problems)
    if sources is None:
        status = "[yellow]?[/]"
        quotes = f"[yellow]{word('cli.quotes_unverified', lang)}[/]"
    else:
        status = "[red]✘[/]" if problems else "[green]✔[/]"
        quotes = word("cli.verified", lang, verified=verified, checkable=checkable)
    if external:
        quotes += word("cli.external", lang, n=external)
    head = f"{pack.id} {pack.version}"
    counts = word("cli.pack_counts", lang, rules=len(pack.rules), ledger=len(pack.spec.ledger))
    out.print(f"{status} {escape(head)}: {counts}{quotes}")
    for p in problems:
        out.print(f"    {escape(f'{p.where} [{p.clause}]: {p.message}')}")
    return bool(problems)


def cmd_schema(args: argparse.Namespace, out: Console) -> int:
    from ..docgen import case_schema, explain_schema, pack_schema, result_schema

    build = (
        result_schema if args.result else explain_schema if args.explain else case_schema if args.case else pack_schema
    )
    print(build(), end="")
    return EXIT_OK


def cmd_docs(args: argparse.Namespace, out: Console) -> int:
    from policyrules.pack.files import checkout_root

    from ..docgen import write_docs

    if args.dir is None:
        default = checkout_root() / "docs"
        if not default.is_dir():
            # installed from a wheel: there is no docs/ to regenerate, and none should appear in the cwd
            print(f"policyrules: {word('cli.no_docs_dir', args.lang)}", file=sys.stderr)
            return EXIT_USAGE
        args.dir = str(default)
    stale = write_docs(Path(args.dir), check=args.check)
    if args.check and stale:
        for path in stale:
            print(f"policyrules: {word('cli.docs_stale', args.lang, path=path)}", file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_OK


def cmd_coverage(args: argparse.Namespace, out: Console) -> int:
    from policyrules.check.coverage import coverage

    sources = _sources(args)
    rows = [coverage(load_pack(name, args.lang), sources) for name in (args.packs or shipped_packs())]
    lang = args.lang
    if args.format == "json":
        print(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
    else:
        t = table(out, word("cli.coverage_title", lang))
        column(t, word("pack", lang))
        for key in ("numbered", "anchored", "ledger", "encoded", "reasoned", "accounted"):
            column(t, word(f"cli.coverage_{key}", lang))
        for r in rows:
            no_source = r.numbered is None
            numbered = word("cli.source_not_found", lang) if no_source else str(r.numbered)
            accounted = f"{r.percent}%" + (word("cli.ledger_only", lang) if no_source else "")
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
            for line in (*r.anchor_problems, *(word("cli.not_in_ledger", lang, clause=u) for u in r.unaccounted)):
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
    names = args.packs or shipped_packs()
    findings = []
    with progress(out, word("progress.packs", args.lang), len(names)) as advance:
        for name in names:
            findings += check_pack(name, sources, args.lang)
            advance()
    rc = EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_OK
    if sources is None:
        rc = max(rc, _no_sources(args, out))
    if args.format == "json":
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        for f in findings:
            colour = "red" if f.severity == "error" else "yellow"
            where = f"{f.file}:{f.line}" if f.line else f.file
            severity = word(f"severity.{f.severity}", args.lang)
            out.print(f"[{colour}]{severity}[/] {f.code} {escape(where)} {f.rule or ''}: {escape(f.message)}")
            if f.case is not None:
                case = escape(json.dumps(f.case, ensure_ascii=False))
                out.print(f"    {word('cli.check_case', args.lang)}{_colon(args.lang)}{case}")
        errors = sum(1 for f in findings if f.severity == "error")
        print(word("cli.check_totals", args.lang, errors=errors, warnings=len(findings) - errors))
    return rc


def _check_across(args: argparse.Namespace, out: Console, sources: Optional[Path]) -> int:
    from policyrules.check.across import across

    lang = args.lang
    findings = across([load_pack(name, lang) for name in (args.packs or shipped_packs())], sources)
    if args.format == "json":
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
    else:
        for f in findings:
            label = (
                f"[dim]{word('cli.across_annotated', lang)}[/]"
                if f.annotated
                else f"[red]{word('cli.across_finding', lang)}[/]"
            )
            out.print(f"{label} {f.code} ({f.similarity:.2f}): {escape(f.message)}")
            out.print(f"    {escape(f.a.pack)} [{escape(f.a.clause)}] {escape(f.a.text)}")
            out.print(f"    {escape(f.b.pack)} [{escape(f.b.clause)}] {escape(f.b.text)}")
        open_ = sum(1 for f in findings if not f.annotated)
        print(word("cli.across_totals", lang, open=open_, annotated=len(findings) - open_))
        if sources is None:
            print(f"policyrules: {word('cli.across_no_sources', lang)}", file=sys.stderr)
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
    which.add_argument("--explain", action="store_true", help="the schema of an explanation's JSON (explain --json)")
    p.set_defaults(run=cmd_schema)

    p = sub.add_parser("docs", help="regenerate the generated reference pages under docs/")
    p.add_argument("--dir", help="where the pages go (default: docs/ of the source checkout)")
    p.add_argument("--check", action="store_true", help="only report pages that are out of date")
    add_lang_option(p)
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
