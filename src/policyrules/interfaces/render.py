"""Results and explanations for people: rich tables on a terminal, plain text or Markdown elsewhere.

JSON output does not come through here. Every id, 文号, clause and quote is
written in full: on a terminal the cells wrap, elsewhere nothing is cut.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from policyrules.engine.explain import ExplainReport, Trace
from policyrules.engine.result import OutcomeOut, Result
from policyrules.engine.words import event_word, format_amount_plain, number_text, per_text, unit_text, value_word, word
from policyrules.types import Lang

from .output import column, table

_MARK = {True: "[green]✔[/]", False: "[red]✘[/]", None: "[yellow]?[/]"}
_PLAIN_MARK = {True: "✔", False: "✘", None: "?"}


def _colon(lang: Lang) -> str:
    return "：" if lang == "zh" else ": "


def _details(o: OutcomeOut, lang: Lang) -> list[tuple[str, str]]:
    """Amount, duration, limit, funding, deadline and status, each labelled (plain text)."""
    parts: list[tuple[str, str]] = []
    if o.amount is not None:
        parts.append((word("amount", lang), format_amount_plain(o.amount, lang)))
    if o.duration is not None:
        d = o.duration
        unit = unit_text(d.unit, lang)
        most = number_text(d.max) if d.max is not None else d.max_expression
        text = word("r.duration", lang, max=most, unit=unit)
        if d.remaining is not None:
            text += word("r.duration_left", lang, left=number_text(d.remaining), unit=unit)
        if d.period is not None:
            of = word("r.duration_of", lang, max=number_text(d.max)) if d.max is not None else ""
            text += word("r.duration_period", lang, period=d.period, of=of, unit=unit)
        if d.started is not None:
            event = event_word(d.start_event or "", lang) if lang == "zh" else d.start_event
            text += word("r.duration_from", lang, event=event, date=d.started.isoformat())
        if d.until is not None:
            text += word("r.duration_until", lang, date=d.until.isoformat())
        if d.missing:
            text += word("r.missing", lang, missing=word("and", lang).join(d.missing))
        parts.append((word("duration", lang), text))
    if o.limit is not None:
        used = number_text(o.limit.used) if not o.limit.missing else ", ".join(o.limit.missing) + "?"
        per = per_text(o.limit.per, lang)
        parts.append((word("limit", lang), word("r.limit", lang, per=per, max=o.limit.max, used=used)))
    if o.funding:
        parts.append((word("funded", lang), ", ".join(f"{f.payer} {number_text(f.share * 100)}%" for f in o.funding)))
    if o.deadline is not None:
        parts.append((word("deadline", lang), o.deadline.isoformat()))
    if o.status is not None:
        parts.append((word("status", lang), word(f"obligation.{o.status}", lang)))
    if o.event is not None and not o.event.defaulted and o.event.date is not None:
        e = o.event
        on = word("r.event_on", lang, date=e.date.isoformat(), event=e.name, document=e.document)
        parts.append((word("r.event", lang), on))
    return parts


def _header(result: Result, lang: Lang) -> str:
    return word(
        "r.header",
        lang,
        pack=result.pack,
        version=result.pack_version,
        hash=result.pack_hash,
        as_of=result.as_of.isoformat(),
        period=result.validity.period,
    )


def _not_in_force(result: Result, lang: Lang) -> str:
    return word("r.not_in_force", lang, reason=result.validity.reason or "")


def _to(who: str, lang: Lang) -> str:
    return word(who, lang) if who in ("person", "unit") else who


def _sections(result: Result, lang: Lang) -> list[tuple[str, list[tuple[str, list[tuple[str, str]]]]]]:
    """The result as headed lists of items, each a title and labelled lines: what text and Markdown share."""
    out: list[tuple[str, list[tuple[str, list[tuple[str, str]]]]]] = []
    for key, outcomes in (
        ("entitlements", result.entitlements),
        ("obligations", result.obligations),
        ("sanctions", result.sanctions),
    ):
        items = []
        for o in outcomes:
            lines = [
                (word("rule", lang), word("r.rule_line", lang, rule=o.rule, topic=o.topic, to=_to(o.to, lang))),
                (word("what", lang), o.summary),
            ]
            lines += _details(o, lang)
            lines += [
                (word("citation", lang), f"{o.citation.document} {o.citation.clause}"),
                (word("quote", lang), o.citation.quote),
            ]
            items.append((o.title, lines))
        if items:
            out.append((word(key, lang), items))
    if result.exclusions:
        items = []
        for x in result.exclusions:
            lines = [
                (word("rule", lang), x.rule),
                (word("excluded", lang), x.topic_excluded),
                (word("why", lang), x.summary),
            ]
            if x.withheld:
                lines.append((word("withholds", lang), ", ".join(x.withheld)))
            lines += [
                (word("citation", lang), f"{x.citation.document} {x.citation.clause}"),
                (word("quote", lang), x.citation.quote),
            ]
            items.append((x.title, lines))
        out.append((word("exclusions", lang), items))
    return out


def _tail(result: Result, lang: Lang, show_all: bool = False) -> list[str]:
    """Defaults used, conflicts, errors, every "no", undecided rules, questions and derived facts, as plain lines."""
    c = _colon(lang)
    lines = [f"{d.fact} = {d.value}{c}{d.reason}" for d in result.defaults]
    if result.not_granted:
        lines.append(word("r.not_granted", lang, n=len(result.not_granted)))
        for g in result.not_granted:
            lines.append(word("r.not_granted_line", lang, rule=g.rule, clause=g.citation.clause, because=g.because))
    for k in result.conflicts:
        lines.append(word("r.conflict_line", lang, fact=k.fact, values=", ".join(k.values), rules=", ".join(k.rules)))
    for e in result.errors:
        lines.append(word("r.error_line", lang, rule=e.rule, message=e.message))
    undecided = result.undetermined + (result.undetermined_elsewhere if show_all else [])
    if undecided:
        lines.append(word("r.undecided", lang, n=len(undecided)))
        for u in undecided:
            lines.append(word("r.undecided_line", lang, rule=u.rule, title=u.title, missing=", ".join(u.missing)))
    if result.undetermined_elsewhere and not show_all:
        lines.append(word("r.elsewhere", lang, n=len(result.undetermined_elsewhere)))
    if result.questions:
        lines.append(word("r.questions", lang))
        for q in result.questions[:10]:
            label = f"{q.fact} {q.zh}".strip()
            lines.append(word("r.question_line", lang, label=label, n=q.decides, rules=", ".join(q.rules)))
    known = {k: v for k, v in result.derived.items() if v is not None}
    if known:
        lines.append(f"{word('derived', lang)}{c}" + ", ".join(f"{k}={value_word(v, lang)}" for k, v in known.items()))
    return lines


def result_text(result: Result, lang: Lang, show_all: bool = False) -> str:
    """The result as plain text: one labelled line per fact, nothing cut, for pipes, files and logs."""
    c = _colon(lang)
    lines = [_header(result, lang)]
    if not result.validity.in_force:  # outcomes decided at earlier events may still run
        lines.append(_not_in_force(result, lang))
    for heading, items in _sections(result, lang):
        lines += ["", heading]
        for title, fields in items:
            lines.append(f"- {title}")
            lines += [
                f"  {label}{c if label else '  '}{value}" if label else f"  {' ' * 4}{value}" for label, value in fields
            ]
    tail = _tail(result, lang, show_all)
    if tail:
        lines += ["", *tail]
    return "\n".join(lines) + "\n"


def result_markdown(result: Result, lang: Lang, show_all: bool = False) -> str:
    """The result as Markdown: a heading per kind of outcome, a list item per outcome."""
    lines = [f"# {_md(_header(result, lang))}", ""]
    if not result.validity.in_force:
        lines += [_md(_not_in_force(result, lang)), ""]
    for heading, items in _sections(result, lang):
        lines += [f"## {heading}", ""]
        for title, fields in items:
            lines.append(f"- **{_md(title)}**")
            for label, value in fields:
                lines.append(f"  - {label}: {_md(value)}")
        lines.append("")
    tail = _tail(result, lang, show_all)
    if tail:
        lines += [line if line.startswith("  ") else line for line in ("```text", *tail, "```")]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("<", "&lt;")


def print_result(result: Result, console: Console, lang: Lang = "zh", show_all: bool = False) -> None:
    """On a terminal, tables whose cells wrap; elsewhere the plain text of :func:`result_text`."""
    if not console.is_terminal:
        console.out(result_text(result, lang, show_all), end="")
        return
    console.print(f"[bold]{escape(_header(result, lang))}[/]")
    if not result.validity.in_force:  # outcomes decided at earlier events may still run
        console.print(f"[yellow]{escape(_not_in_force(result, lang))}[/]")
    for key, outcomes in (
        ("entitlements", result.entitlements),
        ("obligations", result.obligations),
        ("sanctions", result.sanctions),
    ):
        if not outcomes:
            continue
        t = table(console, word(key, lang))
        column(t, f"{word('rule', lang)} / {word('topic', lang)}", ratio=2)
        column(t, word("what", lang), ratio=3)
        column(t, word("amount", lang), ratio=3)
        column(t, word("citation", lang), ratio=3)
        for o in outcomes:
            t.add_row(
                f"{escape(o.rule)}\n[dim]{escape(o.topic)}[/]",
                f"[bold]{escape(o.title)}[/]\n{escape(o.summary)} [dim]({_to(o.to, lang)})[/]",
                escape("\n".join(f"{k}{_colon(lang)}{v}" for k, v in _details(o, lang)) or "—"),
                f"{escape(o.citation.document)} {escape(o.citation.clause)}\n[dim]{escape(o.citation.quote)}[/]",
            )
        console.print(t)
    if result.exclusions:
        t = table(console, word("exclusions", lang))
        column(t, word("rule", lang), ratio=2)
        column(t, word("excluded", lang), ratio=2)
        column(t, word("why", lang), ratio=3)
        column(t, word("citation", lang), ratio=3)
        for x in result.exclusions:
            withheld = f"\n[dim]{word('withholds', lang)} {escape(', '.join(x.withheld))}[/]" if x.withheld else ""
            t.add_row(
                escape(x.rule),
                escape(x.topic_excluded) + withheld,
                escape(x.summary),
                f"{escape(x.citation.document)} {escape(x.citation.clause)}\n[dim]{escape(x.citation.quote)}[/]",
            )
        console.print(t)
    for line in _tail(result, lang, show_all):
        console.print(escape(line), style="dim" if not line.startswith(word("conflict", lang)) else "red")


def _trace_tree(trace: Trace, tree: Tree, plain: bool, lang: Lang) -> None:
    missing = word("r.fact_missing", lang)
    facts = ", ".join(f"{k}={missing if v is None else v}" for k, v in trace.facts.items())
    if plain:
        label = f"{_PLAIN_MARK[trace.value]} {escape(trace.text)}" + (f"  ({escape(facts)})" if facts else "")
    else:
        label = f"{_MARK[trace.value]} {escape(trace.text)}" + (f"  [dim]({escape(facts)})[/]" if facts else "")
    if trace.error:
        label += f"  [red]{escape(word('explain.error', lang, message=trace.error))}[/]"
    node = tree.add(label)
    for part in trace.parts:
        _trace_tree(part, node, plain, lang)


def print_explanation(report: ExplainReport, console: Console, lang: Lang = "zh") -> None:
    plain = not console.is_terminal
    c = _colon(lang)
    if not report.validity.in_force:
        console.print(f"[yellow]{word('not_in_force', lang)}{c}[/]{escape(report.validity.reason or '')}")
    for e in report.rules:
        mark = _PLAIN_MARK[e.fired] if plain else _MARK[e.fired]
        kind = word(f"kind.{e.kind}", lang)
        tree = Tree(f"{mark} [bold]{escape(e.rule)}[/] ({kind}) — {escape(e.title)}")
        if e.outcome:
            tree.add(f"{word('r.result', lang)}{c}{escape(e.outcome)}")
        _trace_tree(e.condition, tree, plain, lang)
        missing = word("r.fact_missing", lang)
        for comp in (*e.derived, *e.amount):
            facts = ", ".join(f"{k}={missing if v is None else v}" for k, v in comp.facts.items())
            if comp.error:
                value = word("explain.error", lang, message=comp.error)
            elif comp.value is not None:
                value = comp.value
            else:
                value = word("r.value_missing", lang, missing=", ".join(comp.missing))
            label = f"{comp.name} = {value} ← {comp.text}" + (f"  ({facts})" if facts else "")
            tree.add(escape(label) if plain else f"[cyan]{escape(label)}[/]")
        tree.add(f"[dim]{escape(f'{e.citation.document} {e.citation.clause}{c}{e.citation.quote}')}[/]")
        for note in e.notes:
            tree.add(f"[dim]{word('note', lang)}{c}{escape(note)}[/]")
        console.print(tree)
