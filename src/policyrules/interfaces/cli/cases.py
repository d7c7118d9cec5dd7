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
from policyrules.engine.words import word
from policyrules.errors import PolicyRulesError
from policyrules.facts.casefile import load_case

from ..output import add_format_option, add_lang_option, progress
from ..render import print_explanation, print_result, result_markdown
from ._common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, as_of


def cmd_evaluate(args: argparse.Namespace, out: Console) -> int:
    pack = load_pack(args.pack, args.lang)
    result = evaluate_with(args.backend, pack, load_case(args.case), as_of(args.as_of))
    if args.format == "json":
        print(result.to_json())
    elif args.format == "markdown":
        print(result_markdown(result, args.lang, args.all), end="")
    else:
        print_result(result, out, args.lang, show_all=args.all)
    return EXIT_OK


def cmd_explain(args: argparse.Namespace, out: Console) -> int:
    pack = load_pack(args.pack, args.lang)
    if args.rule is not None and args.rule not in pack.rule_index:
        print(f"policyrules: {word('cli.no_rule', args.lang, pack=pack.id, rule=args.rule)}", file=sys.stderr)
        return EXIT_USAGE
    report = explain(pack, load_case(args.case), as_of(args.as_of), args.rule)
    if args.format == "json":
        print(report.model_dump_json(indent=2))
    else:
        print_explanation(report, out, args.lang)
    return EXIT_OK


def cmd_test(args: argparse.Namespace, out: Console) -> int:
    import json

    from policyrules.check.casetests import find_test_files, run_test_file
    from policyrules.pack.files import rules_dir

    # Without paths, the shipped cases: those of the installed package, not ./rules.
    files = find_test_files([Path(p) for p in args.paths] if args.paths else [rules_dir() / "cases"])
    outcomes = []
    # A file that does not load (not UTF-8, not a test file, a pack not found) is reported with its
    # location and the other files still run; the command then exits 2, an input error.
    broken: list[tuple[Path, PolicyRulesError]] = []
    with progress(out, word("case", args.lang), len(files)) as advance:
        for path in files:
            try:
                outcomes += run_test_file(path, args.lang)
            except PolicyRulesError as exc:
                broken.append((path, exc))
            advance()
    passed = sum(1 for o in outcomes if o.passed)
    failed = len(outcomes) - passed
    code = EXIT_USAGE if broken else EXIT_FINDINGS if failed or not passed else EXIT_OK
    if args.format == "json":
        rows = [
            {
                "file": str(o.file),
                "name": o.name,
                "passed": o.passed,
                "failures": list(o.failures),
                "fired": list(o.fired),
            }
            for o in outcomes
        ]
        errors = [{"file": str(path), "error": exc.text(args.lang)} for path, exc in broken]
        print(
            json.dumps(
                {"passed": passed, "failed": failed, "errors": errors, "tests": rows}, ensure_ascii=False, indent=2
            )
        )
        return code
    lang = args.lang
    for o in outcomes:
        if o.passed:
            if args.verbose:
                out.print(f"[green]{word('cli.test_pass', lang)}[/] {escape(str(o.file))}: {escape(o.name)}")
            continue
        out.print(f"[red]{word('cli.test_fail', lang)}[/] {escape(str(o.file))}: {escape(o.name)}")
        for line in o.failures:
            out.print(f"    {escape(line)}")
        fired = ", ".join(o.fired) or word("cli.nothing", lang)
        out.print(f"    [dim]{escape(word('cli.test_fired', lang, rules=fired))}[/]")
    for path, exc in broken:
        said = exc.text(lang)
        print(f"policyrules: {said}" if str(path) in said else f"policyrules: {path}: {said}", file=sys.stderr)
    totals = word("cli.test_totals", lang, passed=passed, failed=failed, files=len(files))
    if broken:
        totals = totals[:-1] + word("cli.test_unreadable", lang, n=len(broken))
    print(totals)
    return code


def register(sub: argparse._SubParsersAction) -> None:
    for name, run, text in (
        ("evaluate", cmd_evaluate, "evaluate a pack on a case file"),
        ("explain", cmd_explain, "show why each rule fired or not"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("pack", metavar="PACK", help="shipped pack name or path to a pack file")
        p.add_argument(
            "case",
            metavar="CASE",
            help="case file (YAML or JSON); - reads standard input; example:NAME is a shipped example case",
        )
        if name == "explain":
            p.add_argument("rule", nargs="?", metavar="RULE", help="only this rule")
        else:
            p.add_argument("--backend", choices=BACKENDS, default="native", help="evaluation engine (default native)")
            p.add_argument(
                "--all", action="store_true", help="also list undecided rules about parties the case does not have"
            )
        p.add_argument("--as-of", metavar="DATE", help="evaluation date YYYY-MM-DD (default today)")
        add_format_option(p, ("text", "markdown", "json") if name == "evaluate" else ("text", "json"))
        add_lang_option(p)
        p.set_defaults(run=run)

    p = sub.add_parser("test", help="run YAML test cases (default: the shipped cases of every pack)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="test files or directories (default: the shipped cases)")
    p.add_argument("-v", "--verbose", action="store_true", help="list passing tests too")
    add_format_option(p, ("text", "json"))
    add_lang_option(p)
    p.set_defaults(run=cmd_test)
