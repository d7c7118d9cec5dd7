"""Commands over tables of cases: batch, simulate, population."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Optional

from rich.console import Console
from rich.table import Table

from policyrules.engine.words import WORDS, word
from policyrules.types import Lang

from ..output import add_format_option, add_lang_option, progress
from ._common import EXIT_OK, EXIT_USAGE, as_of


def rows_in(source: str) -> Optional[int]:
    """The row count of a Parquet file or directory, read from its metadata (None for CSV)."""
    if source == "-" or Path(source).suffix.lower() == ".csv":
        return None
    try:
        import pyarrow.dataset as ds

        return int(ds.dataset(source, format="parquet").count_rows())
    except Exception:  # the run itself reports an unreadable file with its reason
        return None


def cmd_batch(args: argparse.Namespace, out: Console) -> int:
    from policyrules.batch import evaluate_to_parquet

    day = as_of(args.as_of)
    if args.dask and args.input == "-":
        print(f"policyrules batch: {word('batch.dask_stdin', args.lang)}", file=sys.stderr)
        return EXIT_USAGE
    if args.dask:
        from policyrules.batch.distributed import run_on_dask

        summary = run_on_dask(args.pack, args.input, args.output, day, args.dask, keep=tuple(args.keep))
    else:
        with progress(out, f"{args.pack} ← {args.input}", rows_in(args.input)) as advance:
            summary = evaluate_to_parquet(
                args.pack,
                args.input,
                args.output,
                day,
                keep=tuple(args.keep),
                on_error="skip" if args.skip_bad_rows else "raise",
                errors_path=args.skip_bad_rows,
                chunk_rows=args.chunk_rows,
                progress=advance,
            )
    if args.format == "json":
        print(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
        return EXIT_OK
    lang = args.lang
    table = Table(
        title=word("batch.title", lang, pack=summary.pack, as_of=summary.as_of.isoformat(), output=args.output)
    )
    table.add_column("")
    table.add_column("", justify="right")
    data = summary.to_dict()
    table.add_row(word("batch.rows_read", lang), f"{summary.rows:,}")
    table.add_row(word("batch.rows_evaluated", lang), f"{summary.evaluated:,}")
    if summary.bad_rows:
        listed = word("batch.bad_rows_listed", lang, n=f"{summary.bad_rows:,}", path=args.skip_bad_rows)
        table.add_row(word("batch.bad_rows", lang), listed)
    table.add_row(word("batch.scalar", lang), f"{summary.scalar_rows:,}")
    for reason, count in summary.scalar_reasons.items():
        said = word(f"scalar.{reason}", lang) if f"scalar.{reason}" in WORDS else reason
        table.add_row(f"  {said}", f"{count:,}")
    if data["rows_per_second"]:
        table.add_row(word("batch.per_second", lang), f"{data['rows_per_second']:,}")
    if not summary.in_force:
        table.add_row(word("batch.pack_in_force", lang), word("batch.not_in_force", lang))
    out.print(table)
    return EXIT_OK


def cmd_simulate(args: argparse.Namespace, out: Console) -> int:
    from policyrules.batch.costing import simulate

    *packs, population = args.items
    if len(packs) not in (1, 2):
        print(f"policyrules simulate: {word('cli.simulate_items', args.lang)}", file=sys.stderr)
        return EXIT_USAGE
    day = as_of(args.as_of)
    sims = []
    for name in packs:
        with progress(out, f"{name} ← {population}", rows_in(population)) as advance:
            sims.append(simulate(name, population, day, progress=advance))
    if args.format == "json":
        doc: Any = (
            sims[0].to_dict()
            if len(sims) == 1
            else {"a": sims[0].to_dict(), "b": sims[1].to_dict(), "difference": _differences(*sims)}
        )
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return EXIT_OK
    if len(sims) == 1:
        _one(out, sims[0], args.lang)
    else:
        _two(out, *sims, lang=args.lang)
    return EXIT_OK


def _cost_text(t: Any) -> str:
    parts = [c.text() for c in t.costs.values()]
    return "; ".join(parts) if parts else "–"


def _one(out: Console, sim: Any, lang: Lang) -> None:
    s = sim.summary
    table = Table(
        title=word("batch.one_title", lang, pack=sim.pack, rows=f"{s.evaluated:,}", as_of=s.as_of.isoformat())
    )
    for name, justify in (
        (word("topic", lang), "left"),
        (word("batch.entitled", lang), "right"),
        (word("batch.obliged", lang), "right"),
        (word("batch.excluded", lang), "right"),
        (word("batch.undetermined", lang), "right"),
        (word("batch.cost", lang), "right"),
        (word("batch.figure_missing", lang), "right"),
        (word("batch.no_figure", lang), "right"),
    ):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for t in sim.topics.values():
        table.add_row(
            t.topic,
            f"{t.entitled:,}",
            f"{t.obliged:,}",
            f"{t.excluded:,}",
            f"{t.undetermined:,}",
            _cost_text(t),
            f"{t.figure_missing:,}",
            f"{t.no_figure:,}",
        )
    out.print(table)
    if not sim.summary.in_force:
        out.print(word("batch.nothing_fires", lang, pack=sim.pack, as_of=sim.summary.as_of.isoformat()))


def _differences(a: Any, b: Any, lang: Lang = "en") -> list[dict[str, Any]]:
    out = []
    for topic in sorted(set(a.topics) | set(b.topics)):
        ta, tb = a.topics.get(topic), b.topics.get(topic)
        row: dict[str, Any] = {
            "topic": topic,
            "a": _cost_text(ta) if ta else word("batch.no_rule", lang),
            "b": _cost_text(tb) if tb else word("batch.no_rule", lang),
        }
        if ta and tb:
            for unit in sorted(set(ta.costs) & set(tb.costs)):
                ca, cb = ta.costs[unit], tb.costs[unit]
                if not (ca.at_least or cb.at_least):
                    low, high = cb.low - ca.high, cb.high - ca.low
                    row.setdefault("b_minus_a", []).append({"unit": unit, "min": str(low), "max": str(high)})
        out.append(row)
    return out


def _two(out: Console, a: Any, b: Any, lang: Lang) -> None:
    table = Table(title=word("batch.two_title", lang, a=a.pack, b=b.pack, rows=f"{a.summary.evaluated:,}"))
    for name, justify in (
        (word("topic", lang), "left"),
        (word("batch.entitled_or_obliged", lang, pack=a.pack), "right"),
        (word("batch.pack_cost", lang, pack=a.pack), "right"),
        (word("batch.entitled_or_obliged", lang, pack=b.pack), "right"),
        (word("batch.pack_cost", lang, pack=b.pack), "right"),
        (f"{b.pack} − {a.pack}", "right"),
    ):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for row in _differences(a, b, lang):
        ta, tb = a.topics.get(row["topic"]), b.topics.get(row["topic"])
        diff = "; ".join(
            (d["min"] if d["min"] == d["max"] else f"{d['min']}–{d['max']}") + f" {d['unit']}"
            for d in row.get("b_minus_a", [])
        )
        table.add_row(
            row["topic"],
            f"{ta.entitled + ta.obliged:,}" if ta else word("batch.no_rule", lang),
            row["a"],
            f"{tb.entitled + tb.obliged:,}" if tb else word("batch.no_rule", lang),
            row["b"],
            diff or "–",
        )
    out.print(table)


def cmd_population(args: argparse.Namespace, out: Console) -> int:
    from policyrules.batch.population import write_population

    label = f"{word('progress.population', args.lang)} → {args.output}"
    with progress(out, label, args.employers + args.persons) as advance:
        rows = write_population(args.output, args.employers, args.persons, args.seed, as_of(args.as_of), advance)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "rows": rows,
                    "employers": args.employers,
                    "persons": args.persons,
                    "seed": args.seed,
                    "output": args.output,
                }
            )
        )
    else:
        text = word(
            "batch.population",
            args.lang,
            rows=f"{rows:,}",
            employers=f"{args.employers:,}",
            persons=f"{args.persons:,}",
            seed=args.seed,
            output=args.output,
        )
        out.print(text)
    return EXIT_OK


def _format(p: argparse.ArgumentParser) -> None:
    add_format_option(p, ("text", "json"))
    add_lang_option(p)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("batch", help="evaluate a pack over a table of cases (Parquet or CSV) into Parquet")
    p.add_argument("pack", metavar="PACK", help="shipped pack name or path to a pack file")
    p.add_argument(
        "input",
        metavar="INPUT",
        help="Parquet file or directory, or CSV (- reads CSV from standard input); columns are fact paths",
    )
    p.add_argument("--output", "-o", required=True, help="Parquet file to write (a directory with --dask)")
    p.add_argument("--as-of", metavar="DATE", help="evaluation date YYYY-MM-DD (default today)")
    p.add_argument("--keep", action="append", default=[], metavar="COLUMN", help="carry this input column through")
    p.add_argument("--skip-bad-rows", metavar="ERRORS.parquet", help="skip rows with bad values, listing them here")
    p.add_argument("--chunk-rows", type=int, default=65_536, help="rows per chunk (memory is bounded by this)")
    p.add_argument("--dask", metavar="ADDRESS", help="run on a Dask cluster (a scheduler address, or local:N)")
    _format(p)
    p.set_defaults(run=cmd_batch)

    p = sub.add_parser("simulate", help="cost a pack (or two, side by side) over a population")
    p.add_argument(
        "items",
        nargs="+",
        metavar="PACK [PACK_B] POPULATION",
        help="a pack, optionally a second pack, then the population (Parquet or CSV)",
    )
    p.add_argument("--as-of", metavar="DATE", help="evaluation date YYYY-MM-DD (default today)")
    _format(p)
    p.set_defaults(run=cmd_simulate)

    p = sub.add_parser("population", help="write a synthetic population (assumptions in docs/batch.md)")
    p.add_argument("--employers", type=int, default=0, metavar="N", help="number of employers (default 0)")
    p.add_argument("--persons", type=int, default=0, metavar="N", help="number of persons (default 0)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--as-of", default="2024-06-01", metavar="DATE", help="reference date for dates in the population")
    p.add_argument("--output", "-o", required=True, help="Parquet file to write")
    _format(p)
    p.set_defaults(run=cmd_population)
