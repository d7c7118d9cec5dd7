"""Commands that decide cases: evaluate, explain, test."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from policyrules.backends import BACKENDS, evaluate_with
from policyrules.engine.explain import explain
from policyrules.engine.loading import load_pack
from policyrules.facts.casefile import load_case

from ..render import print_explanation, print_result
from ._common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, as_of


def cmd_evaluate(args: argparse.Namespace, out: Console) -> int:
    pack = load_pack(args.pack)
    result = evaluate_with(args.backend, pack, load_case(args.case), as_of(args.as_of))
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
    report = explain(pack, load_case(args.case), as_of(args.as_of), args.rule)
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print_explanation(report, out)
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


def register(sub: argparse._SubParsersAction) -> None:
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

    p = sub.add_parser("test", help="run YAML test cases (default: every file under rules/)")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("-v", "--verbose", action="store_true", help="list passing tests too")
    p.set_defaults(run=cmd_test)
