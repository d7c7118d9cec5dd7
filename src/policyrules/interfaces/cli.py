"""The ``policyrules`` command. Errors in user input print as file:line: message, never a traceback."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Callable, Optional, Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from policyrules.backends import BACKENDS, evaluate_with
from policyrules.check.citations import sources_dir, verify
from policyrules.dates import parse_iso_date
from policyrules.engine.explain import explain
from policyrules.engine.loading import load_pack
from policyrules.errors import PolicyRulesError
from policyrules.facts.casefile import load_case, load_cases
from policyrules.pack.files import shipped_packs

from .render import print_explanation, print_result

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _as_of(text: Optional[str]) -> date:
    if text is None:
        return date.today()
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise SystemExit(f"policyrules: --as-of: {exc}") from None


def cmd_list(args: argparse.Namespace, out: Console) -> int:
    packs = [load_pack(name) for name in shipped_packs()]
    if args.json:
        rows = [
            {
                "id": p.id,
                "parent": p.parent.id if p.parent else None,
                "jurisdiction": p.jurisdiction.name,
                "level": p.jurisdiction.level,
                "document": p.document.number,
                "title": p.document.title,
                "valid_from": p.valid_from.isoformat(),
                "valid_until": p.valid_until.isoformat() if p.valid_until else None,
                "rules": len(p.rules),
            }
            for p in packs
        ]
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


def cmd_evaluate(args: argparse.Namespace, out: Console) -> int:
    pack = load_pack(args.pack)
    result = evaluate_with(args.backend, pack, load_case(args.case), _as_of(args.as_of))
    if args.json:
        print(result.to_json())
    else:
        print_result(result, out)
    return EXIT_OK


def cmd_explain(args: argparse.Namespace, out: Console) -> int:
    pack = load_pack(args.pack)
    if args.rule is not None and args.rule not in pack.rule_index:
        print(f"policyrules: pack {pack.id} has no rule {args.rule!r}", file=sys.stderr)
        return EXIT_USAGE
    report = explain(pack, load_case(args.case), _as_of(args.as_of), args.rule)
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print_explanation(report, out)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace, out: Console) -> int:
    from policyrules.facts.case import Case
    from policyrules.pack.schema import PackSpec

    model = Case if args.case else PackSpec
    print(json.dumps(model.model_json_schema(by_alias=True), ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_docs(args: argparse.Namespace, out: Console) -> int:
    from .docgen import write_docs

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


def _write(text: str, path: Optional[str]) -> None:
    if path:
        Path(path).write_text(text, encoding="utf-8")
    else:
        print(text, end="" if text.endswith("\n") else "\n")


def cmd_diff(args: argparse.Namespace, out: Console) -> int:
    from policyrules.compare import diffview
    from policyrules.compare.behaviour import behavioural_diff, read_rows
    from policyrules.compare.structural import structural_diff

    a, b = load_pack(args.a), load_pack(args.b)
    topics = [args.topic] if args.topic else None
    if args.cases is None and args.case_file is None:
        d = structural_diff(a, b)
        if topics:
            d = d.model_copy(update={"topics": [t for t in d.topics if t.topic in topics]})
        render = {"json": diffview.to_json, "markdown": diffview.structural_markdown, "html": diffview.structural_html}
        if args.format == "text":
            diffview.structural_rich(d, out)
        else:
            _write(render[args.format](d), args.output)
        return EXIT_OK
    rows = read_rows(load_cases(Path(args.case_file))) if args.case_file else None
    bd = behavioural_diff(a, b, cases=args.cases or 0, seed=args.seed, topics=topics, rows=rows)
    render = {"json": diffview.to_json, "markdown": diffview.behavioural_markdown, "html": diffview.behavioural_html}
    if args.format == "text":
        diffview.behavioural_rich(bd, out)
    else:
        _write(render[args.format](bd), args.output)
    return EXIT_OK


def cmd_matrix(args: argparse.Namespace, out: Console) -> int:
    from policyrules.compare import diffview
    from policyrules.compare.matrix import matrix

    m = matrix([load_pack(name) for name in (args.packs or shipped_packs())])
    if args.format == "text":
        diffview.matrix_rich(m, out)
        return EXIT_OK
    render = {"json": diffview.to_json, "markdown": diffview.matrix_markdown, "html": diffview.matrix_html}
    _write(render[args.format](m), args.output)
    return EXIT_OK


def cmd_test(args: argparse.Namespace, out: Console) -> int:
    from policyrules.check.casetests import find_test_files, run_test_file

    files = find_test_files([Path(p) for p in (args.paths or ["rules"])])
    passed = failed = 0
    for path in files:
        for outcome in run_test_file(path):
            if outcome.passed:
                passed += 1
                if args.verbose:
                    out.print(f"[green]PASS[/] {outcome.file}: {outcome.name}")
                continue
            failed += 1
            out.print(f"[red]FAIL[/] {outcome.file}: {outcome.name}")
            for line in outcome.failures:
                out.print(f"    {escape(line)}")
            out.print(f"    [dim]fired: {escape(', '.join(outcome.fired) or 'nothing')}[/]")
    print(f"{passed} passed, {failed} failed")
    return EXIT_FINDINGS if failed or not passed else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policyrules", description=__doc__)
    parser.add_argument("--version", action="version", version=f"policyrules {metadata.version('policyrules')}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("list", help="list shipped packs")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_list)

    p = sub.add_parser("validate", help="load packs and verify every quote against its source text")
    p.add_argument("packs", nargs="*", metavar="PACK")
    p.add_argument("--sources", help="directory of source texts (default: $POLICYRULES_SOURCES or ../shared/sources)")
    p.add_argument("--require-sources", action="store_true", help="fail when the source texts are not found")
    p.set_defaults(run=cmd_validate)

    for name, run, text in (
        ("evaluate", cmd_evaluate, "evaluate a pack on a case file"),
        ("explain", cmd_explain, "show why each rule fired or not"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("pack", metavar="PACK", help="shipped pack name or path to a pack file")
        p.add_argument("case", metavar="CASE", help="case file (YAML or JSON)")
        if name == "explain":
            p.add_argument("rule", nargs="?", metavar="RULE", help="only this rule")
        else:
            p.add_argument("--backend", choices=BACKENDS, default="native", help="evaluation engine (default native)")
        p.add_argument("--as-of", metavar="DATE", help="evaluation date YYYY-MM-DD (default today)")
        p.add_argument("--json", action="store_true", help="machine-readable output")
        p.set_defaults(run=run)

    p = sub.add_parser("schema", help="print the JSON Schema of pack files (or of case files)")
    p.add_argument("--case", action="store_true", help="the schema of case files instead")
    p.set_defaults(run=cmd_schema)

    p = sub.add_parser("docs", help="regenerate the generated reference pages under docs/")
    p.add_argument("--dir", default="docs")
    p.add_argument("--check", action="store_true", help="only report pages that are out of date")
    p.set_defaults(run=cmd_docs)

    p = sub.add_parser("diff", help="compare two packs by topic; with --cases, on generated cases")
    p.add_argument("a", metavar="PACK_A")
    p.add_argument("b", metavar="PACK_B")
    p.add_argument("--cases", type=int, help="behavioural diff over N generated cases")
    p.add_argument("--seed", type=int, default=0, help="seed for generated cases (default 0)")
    p.add_argument("--topic", help="only this topic")
    p.add_argument(
        "--case-file",
        help="behavioural diff over your own cases: YAML/JSON list, or CSV with dotted fact paths as columns",
    )
    p.add_argument("--format", choices=("text", "json", "markdown", "html"), default="text")
    p.add_argument("--output", "-o", help="write to this file instead of standard output")
    p.set_defaults(run=cmd_diff)

    p = sub.add_parser("matrix", help="topic × jurisdiction grid of headline figures with citations")
    p.add_argument("packs", nargs="*", metavar="PACK")
    p.add_argument("--format", choices=("text", "json", "markdown", "html"), default="text")
    p.add_argument("--output", "-o", help="write to this file instead of standard output")
    p.set_defaults(run=cmd_matrix)

    p = sub.add_parser("check", help="static consistency checks: conditions, conflicts, units, citations, usage")
    p.add_argument("packs", nargs="*", metavar="PACK")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--sources", help="directory of source texts (default: $POLICYRULES_SOURCES or ../shared/sources)")
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("test", help="run YAML test cases (default: every file under rules/)")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("-v", "--verbose", action="store_true", help="list passing tests too")
    p.set_defaults(run=cmd_test)

    p = sub.add_parser(
        "coverage", help="numbered clauses of each source text: accounted for in the ledger, encoded, reasoned out"
    )
    p.add_argument("packs", nargs="*", metavar="PACK")
    p.add_argument("--json", action="store_true")
    p.add_argument("--sources", help="directory of source texts (default: $POLICYRULES_SOURCES or ../shared/sources)")
    p.set_defaults(run=cmd_coverage)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    out = Console(highlight=False)
    run: Callable[[argparse.Namespace, Console], int] = args.run
    try:
        return run(args, out)
    except PolicyRulesError as exc:
        print(f"policyrules: {exc}" if "\n" not in str(exc) else f"policyrules: error\n{exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
