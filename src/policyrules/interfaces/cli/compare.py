"""Commands that compare packs: diff, matrix."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from policyrules.engine.loading import load_pack
from policyrules.engine.words import word
from policyrules.facts.casefile import load_cases
from policyrules.pack.files import shipped_packs

from ..output import add_format_option, add_lang_option, make_console, progress
from ._common import EXIT_OK, write
from ._lang import said


def cmd_diff(args: argparse.Namespace, out: Console) -> int:
    from policyrules.compare import diffview
    from policyrules.compare.behaviour import behavioural_diff, diff_steps, read_rows
    from policyrules.compare.structural import structural_diff
    from policyrules.errors import DiffRequestError
    from policyrules.facts.vocabulary import suggestions

    a, b = load_pack(args.a, args.lang), load_pack(args.b, args.lang)
    topics = [args.topic] if args.topic else None
    known = sorted({r.topic for p in (a, b) for r in p.rules if r.kind != "derive"})
    if args.topic and args.topic not in known:
        hint = suggestions(args.topic, known)
        said = word("cli.no_topic", args.lang, topic=repr(args.topic), a=a.id, b=b.id)
        if hint:
            said += word("cli.did_you_mean", args.lang, names=word("cli.or", args.lang).join(hint))
        raise DiffRequestError(said)
    if args.seed is not None and args.cases is None:
        raise DiffRequestError(word("cli.seed_without_cases", args.lang))
    if args.cases is None and args.case_file is None:
        d = structural_diff(a, b)
        if topics:
            d = d.model_copy(update={"topics": [t for t in d.topics if t.topic in topics]})
        render = {"json": diffview.to_json, "markdown": diffview.structural_markdown, "html": diffview.structural_html}
        if args.format == "text":
            diffview.structural_rich(d, out)
        else:
            write(render[args.format](d), args.output)
        return EXIT_OK
    rows = read_rows(load_cases(Path(args.case_file))) if args.case_file else None
    # the bar goes where the text goes; beside JSON, Markdown or HTML, to standard error, never into them
    shown = out if args.format == "text" else make_console(sys.stderr)
    steps = diff_steps(a, b, topics, len(rows) if rows is not None else args.cases)
    with progress(shown, f"comparing {a.id} and {b.id}", steps) as advance:
        bd = behavioural_diff(
            a, b, cases=args.cases or 0, seed=args.seed or 0, topics=topics, rows=rows, progress=advance
        )
    render = {"json": diffview.to_json, "markdown": diffview.behavioural_markdown, "html": diffview.behavioural_html}
    if args.format == "text":
        diffview.behavioural_rich(bd, out)
    else:
        write(render[args.format](bd), args.output)
    return EXIT_OK


def cmd_matrix(args: argparse.Namespace, out: Console) -> int:
    from policyrules.compare import diffview
    from policyrules.compare.matrix import matrix

    m = matrix([load_pack(name, args.lang) for name in (args.packs or shipped_packs())])
    if args.format == "text":
        diffview.matrix_rich(m, out)
        return EXIT_OK
    render = {"json": diffview.to_json, "markdown": diffview.matrix_markdown, "html": diffview.matrix_html}
    write(render[args.format](m), args.output)
    return EXIT_OK


def _count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(said("expected a whole number, got %r") % text) from None
    if n < 1:
        raise argparse.ArgumentTypeError(said("expected at least 1 case, got %s") % n)
    return n


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("diff", help="compare two packs by topic; with --cases, on generated cases")
    p.add_argument("a", metavar="PACK_A", help="the first pack (a shipped name or a pack file)")
    p.add_argument("b", metavar="PACK_B", help="the second pack")
    p.add_argument("--cases", type=_count, metavar="N", help="behavioural diff over N generated cases (N ≥ 1)")
    p.add_argument("--seed", type=int, help="seed for generated cases (default 0; with --cases)")
    p.add_argument("--topic", help="only this topic")
    p.add_argument(
        "--case-file",
        help="behavioural diff over your own cases: YAML/JSON list, or CSV with dotted fact paths as columns; "
        "- reads a YAML/JSON list from standard input",
    )
    add_format_option(p, ("text", "markdown", "html", "json"))
    add_lang_option(p)
    p.add_argument("--output", "-o", help="write to this file instead of standard output")
    p.set_defaults(run=cmd_diff)

    p = sub.add_parser("matrix", help="topic × jurisdiction grid of headline figures with citations")
    p.add_argument("packs", nargs="*", metavar="PACK")
    add_format_option(p, ("text", "markdown", "html", "json"))
    add_lang_option(p)
    p.add_argument("--output", "-o", help="write to this file instead of standard output")
    p.set_defaults(run=cmd_matrix)
