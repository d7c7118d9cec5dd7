"""Terminal rendering of results and explanations (rich). JSON output does not come through here."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from policyrules.engine.explain import ExplainReport, Trace
from policyrules.engine.result import AmountOut, OutcomeOut, Result
from policyrules.engine.words import format_amount_plain, number_text

_MARK = {"true": "[green]✔[/]", "false": "[red]✘[/]", "unknown": "[yellow]?[/]"}


def format_amount(a: AmountOut) -> str:
    """The same, as terminal markup."""
    return escape(format_amount_plain(a))


def _details(o: OutcomeOut) -> str:
    parts = []
    if o.amount is not None:
        parts.append(format_amount(o.amount))  # already escaped
    if o.duration is not None:
        d = o.duration
        text = f"for at most {number_text(d.max) if d.max is not None else d.max_expression} {d.unit}"
        if d.remaining is not None:
            text += f" ({number_text(d.remaining)} left)"
        text = escape(text)
        if d.missing:
            text += f" [yellow](missing: {escape(', '.join(d.missing))})[/]"
        parts.append(text)
    if o.limit is not None:
        parts.append(f"at most {o.limit.max} per {o.limit.per} (used {number_text(o.limit.used)})")
    if o.funding:
        parts.append(escape("funded " + ", ".join(f"{f.payer} {number_text(f.share * 100)}%" for f in o.funding)))
    if o.deadline is not None:
        parts.append(f"by {o.deadline.isoformat()}")
    if o.status is not None:
        parts.append(f"status: {o.status}")
    return "\n".join(parts) or "—"


def print_result(result: Result, console: Console) -> None:
    v = result.validity
    until = v.valid_until.isoformat() if v.valid_until else "no end stated"
    console.print(
        f"[bold]{result.pack}[/] as of {result.as_of.isoformat()} "
        f"(in force {v.valid_from.isoformat()} – {until}; pack {result.pack_hash})"
    )
    if not v.in_force:
        console.print(f"[yellow]Not in force:[/] {escape(v.reason or '')}")
        return
    for title, outcomes in (
        ("Entitlements", result.entitlements),
        ("Obligations", result.obligations),
        ("Sanctions", result.sanctions),
    ):
        if not outcomes:
            continue
        table = Table(title=title, show_lines=True, expand=True)
        table.add_column("rule / topic", ratio=2)
        table.add_column("what", ratio=3)
        table.add_column("amount", ratio=3)
        table.add_column("citation", ratio=3)
        for o in outcomes:
            table.add_row(
                f"{escape(o.rule)}\n[dim]{escape(o.topic)}[/]",
                f"{escape(o.summary)} [dim]({o.to})[/]",
                _details(o),
                f"{escape(o.citation.document)} {escape(o.citation.clause)}\n[dim]{escape(o.citation.quote)}[/]",
            )
        console.print(table)
    if result.exclusions:
        table = Table(title="Exclusions", show_lines=True, expand=True)
        table.add_column("rule")
        table.add_column("excluded")
        table.add_column("why")
        table.add_column("citation")
        for x in result.exclusions:
            withheld = f"\n[dim]withholds {', '.join(x.withheld)}[/]" if x.withheld else ""
            table.add_row(
                escape(x.rule),
                escape(x.topic_excluded) + withheld,
                escape(x.summary),
                f"{escape(x.citation.clause)}\n[dim]{escape(x.citation.quote)}[/]",
            )
        console.print(table)
    if result.conflicts:
        for c in result.conflicts:
            console.print(f"[red]Conflict:[/] {c.fact} set to {', '.join(c.values)} by {', '.join(c.rules)}")
    for e in result.errors:
        console.print(f"[red]Error in {e.rule}:[/] {e.message}")
    if result.undetermined:
        console.print(f"[yellow]{len(result.undetermined)} rules undecided for lack of facts:[/]")
        for u in result.undetermined:
            console.print(f"  {escape(u.rule)}: needs {escape(', '.join(u.missing))}")
    known = {k: v for k, v in result.derived.items() if v is not None}
    if known:
        console.print("[dim]derived: " + escape(", ".join(f"{k}={v}" for k, v in known.items())) + "[/]")


def _trace_tree(trace: Trace, tree: Tree) -> None:
    facts = ", ".join(f"{k}={'missing' if v is None else v}" for k, v in trace.facts.items())
    label = f"{_MARK[trace.value]} {escape(trace.text)}" + (f"  [dim]({escape(facts)})[/]" if facts else "")
    node = tree.add(label)
    for part in trace.parts:
        _trace_tree(part, node)


def print_explanation(report: ExplainReport, console: Console) -> None:
    if not report.validity.in_force:
        console.print(f"[yellow]Not in force:[/] {escape(report.validity.reason or '')}")
    for e in report.rules:
        tree = Tree(f"{_MARK[e.fired]} [bold]{escape(e.rule)}[/] ({e.kind}) — {escape(e.title)}")
        _trace_tree(e.condition, tree)
        tree.add(f"[dim]{escape(f'{e.citation.document} {e.citation.clause}: {e.citation.quote}')}[/]")
        for note in e.notes:
            tree.add(f"[dim]note: {escape(note)}[/]")
        console.print(tree)
