"""Diffs and the comparison matrix as terminal tables, Markdown and self-contained HTML."""

from __future__ import annotations

import html
import re
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from policyrules.engine.words import word
from policyrules.types import Lang

from .behaviour import BehaviouralDiff, Side, TopicBehaviour
from .describe import case_words
from .matrix import Column, Matrix
from .structural import DefinitionView, DerivedDiff, RuleView, StructuralDiff, TopicDiff

# ---- structural ----------------------------------------------------------------


def _rule_lines(rules: list[RuleView], lang: Lang) -> list[str]:
    out = []
    for r in rules:
        clause = f"（{r.clause}）" if lang == "zh" else f" ({r.clause})"
        if r.kind == "exclusion":
            text = f"{r.summary}{clause}"
        else:
            # the kind first: a duty or a sanction is not read as a right
            kind_to = word("diff.kind_to", lang, kind=word(f"kind.{r.kind}", lang), to=word(r.to, lang))
            text = word("diff.rule_line", lang, kind_to=kind_to, amount=r.amount, summary=r.summary) + clause
        out.append(text + _provenance(r, lang))
    return out


def _definition_lines(defs: list[DefinitionView], lang: Lang) -> list[str]:
    out = []
    for x in defs:
        clause = f"（{x.clause}）" if lang == "zh" else f" ({x.clause})"
        text = word("diff.derived_when", lang, when=x.when, value=x.value) if x.when else x.value
        out.append(text + clause + _provenance(x, lang))
    return out


def _derived_name(x: DerivedDiff, lang: Lang) -> str:
    sep = "；" if lang == "zh" else "; "
    return (
        f"{x.fact}（{x.description}{sep}{', '.join(x.topics)}）"
        if lang == "zh"
        else (f"{x.fact} ({x.description}{sep}{', '.join(x.topics)})")
    )


def _provenance(r: RuleView | DefinitionView, lang: Lang) -> str:
    """Where a rule comes from when it is not the compared document's own: a parent pack, an outside document."""
    marks = []
    if r.inherited_from:
        marks.append(word("diff.inherited", lang, pack=r.inherited_from))
    if r.external:
        marks.append(word("diff.external", lang, document=r.document))
    return f" [{'; '.join(marks)}]" if marks else ""


def _vs(d: StructuralDiff) -> str:
    a, b = d.a, d.b
    return word(
        "diff.vs",
        d.lang,
        a=a.id,
        a_doc=a.document,
        a_validity=a.validity,
        b=b.id,
        b_doc=b.document,
        b_validity=b.validity,
    )


def _topic_differences(d: StructuralDiff, t: TopicDiff) -> str:
    if t.status != "both":
        return word("diff.only_in", d.lang, pack=d.a.id if t.status == "only_a" else d.b.id)
    return "\n".join(t.differences) or word("diff.same_figures", d.lang)


def structural_rich(d: StructuralDiff, console: Console) -> None:
    lang = d.lang
    console.print(f"[bold]{escape(_vs(d))}[/]")
    table = Table(show_lines=True, expand=console.is_terminal)
    table.add_column(word("topic", lang), ratio=2, overflow="fold")
    table.add_column(d.a.id, ratio=4, overflow="fold")
    table.add_column(d.b.id, ratio=4, overflow="fold")
    table.add_column(word("diff.differences", lang), ratio=4, overflow="fold")
    for t in d.topics:
        a = "\n".join(_rule_lines(t.a, lang)) or "—"
        b = "\n".join(_rule_lines(t.b, lang)) or "—"
        table.add_row(escape(t.topic), escape(a), escape(b), escape(_topic_differences(d, t)))
    console.print(table)
    if d.derived:
        console.print(f"[bold]{escape(word('diff.derived', lang))}[/]")
        derived = Table(show_lines=True, expand=console.is_terminal)
        derived.add_column(word("diff.derived_col", lang), ratio=3, overflow="fold")
        derived.add_column(d.a.id, ratio=5, overflow="fold")
        derived.add_column(d.b.id, ratio=5, overflow="fold")
        for x in d.derived:
            a = "\n".join(_definition_lines(x.a, lang)) or "—"
            b = "\n".join(_definition_lines(x.b, lang)) or "—"
            derived.add_row(escape(_derived_name(x, lang)), escape(a), escape(b))
        console.print(derived)
    if d.derived_same:
        console.print(f"[dim]{escape(word('diff.derived_same', lang, facts=', '.join(d.derived_same)))}[/]")


def structural_markdown(d: StructuralDiff) -> str:
    lang = d.lang
    lines = [
        f"# {word('diff.title', lang, a=d.a.id, b=d.b.id)}\n",
        "- " + word("diff.pack_line", lang, pack=d.a.id, document=d.a.document, validity=d.a.validity),
        "- " + word("diff.pack_line", lang, pack=d.b.id, document=d.b.document, validity=d.b.validity) + "\n",
    ]
    for status, title in (
        ("both", word("diff.in_both", lang)),
        ("only_a", word("diff.only_in", lang, pack=d.a.id)),
        ("only_b", word("diff.only_in", lang, pack=d.b.id)),
    ):
        topics = [t for t in d.topics if t.status == status]
        if not topics:
            continue
        lines.append(f"## {title}\n")
        lines.append(f"| {word('topic', lang)} | {d.a.id} | {d.b.id} | {word('diff.differences', lang)} |")
        lines.append("|---|---|---|---|")
        for t in topics:
            a = _md("<br>".join(_rule_lines(t.a, lang)) or "—")
            b = _md("<br>".join(_rule_lines(t.b, lang)) or "—")
            lines.append(f"| `{t.topic}` | {a} | {b} | {_md('<br>'.join(t.differences)) or ''} |")
        lines.append("")
    if d.derived:
        lines.append(f"## {word('diff.derived', lang)}\n")
        lines.append(f"| {word('diff.derived_col', lang)} | {d.a.id} | {d.b.id} |")
        lines.append("|---|---|---|")
        for x in d.derived:
            a = _md("<br>".join(_definition_lines(x.a, lang)) or "—")
            b = _md("<br>".join(_definition_lines(x.b, lang)) or "—")
            lines.append(f"| {_md(_derived_name(x, lang))} | {a} | {b} |")
        lines.append("")
    if d.derived_same:
        lines.append(word("diff.derived_same", lang, facts=", ".join(f"`{f}`" for f in d.derived_same)) + "\n")
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|")


# ---- behavioural ------------------------------------------------------------------


def _side_text(side: Side, lang: Lang) -> str:
    if side.status == "undecided":
        if side.missing:
            return word("bdiff.cannot_decide_missing", lang, missing=", ".join(side.missing))
        return word("bdiff.cannot_decide", lang)
    zh = lang == "zh"
    sep, colon = ("；", "：") if zh else ("; ", ": ")

    def clause(text: str) -> str:
        return f"（{text}）" if zh else f" ({text})"

    if side.status != "gives":
        extra = sep.join(f"{x.summary}{clause(x.clause)}" for x in side.exclusions)
        return word("status." + side.status.replace(" ", "_"), lang) + (f"{colon}{extra}" if extra else "")
    status = (lambda o: f"，{word('obligation.' + o.status, lang)}") if zh else (lambda o: f", {o.status}")
    return sep.join(f"{o.amount or o.summary}{status(o) if o.status else ''}{clause(o.clause)}" for o in side.outcomes)


def _counts(d: BehaviouralDiff, t: TopicBehaviour) -> str:
    """How the topic's cases fall: both decide and differ, one side alone decides, of all compared."""
    lang = d.lang
    parts = [word("bdiff.differ", lang, n=t.differing)]
    if t.a_only:
        parts.append(word("bdiff.only_decides", lang, n=t.a_only, pack=d.a))
    if t.b_only:
        parts.append(word("bdiff.only_decides", lang, n=t.b_only, pack=d.b))
    return ("；" if lang == "zh" else "; ").join(parts) + word("bdiff.of", lang, n=t.compared)


def _cases_line(d: BehaviouralDiff) -> str:
    if d.seed is not None:
        return word("bdiff.cases", d.lang, cases=d.cases, seed=d.seed)
    return word("bdiff.your_cases", d.lang, cases=d.cases)


def _quiet(d: BehaviouralDiff) -> tuple[list[str], list[str]]:
    """Topics with no difference (both decide and agree wherever either decides), and topics neither decides."""
    same = [t.topic for t in d.topics if not t.examples and t.agree]
    never = [t.topic for t in d.topics if not t.examples and not t.agree]
    return same, never


def _behaviour_columns(d: BehaviouralDiff) -> list[str]:
    return [word("topic", d.lang), word("bdiff.col_cases", d.lang), word("bdiff.col_minimal", d.lang), d.a, d.b]


def behavioural_rich(d: BehaviouralDiff, console: Console) -> None:
    lang = d.lang
    colon = "：" if lang == "zh" else ": "
    console.print(f"[bold]{escape(word('diff.title', lang, a=d.a, b=d.b))}[/]{colon}{escape(_cases_line(d))}")
    table = Table(show_lines=True, expand=console.is_terminal)
    for col, ratio in zip(_behaviour_columns(d), (2, 2, 4, 4, 4)):
        table.add_column(col, ratio=ratio, overflow="fold")
    for t in d.topics:
        for i, ex in enumerate(t.examples):
            table.add_row(
                escape(t.topic) if i == 0 else "",
                _counts(d, t) if i == 0 else "",
                escape(case_words(ex.case, lang, (ex.a.as_of, ex.b.as_of))),
                escape(_side_text(ex.a, lang)),
                escape(_side_text(ex.b, lang)),
            )
    console.print(table)
    same, never = _quiet(d)
    if same:
        console.print(f"[dim]{escape(word('bdiff.no_difference', lang, topics=', '.join(same)))}[/]")
    if never:
        console.print(f"[dim]{escape(word('bdiff.never_decides', lang, topics=', '.join(never)))}[/]")


def behavioural_markdown(d: BehaviouralDiff) -> str:
    lang = d.lang
    lines = [
        f"# {word('bdiff.title', lang, a=d.a, b=d.b)}\n",
        f"{_cases_line(d)}. "
        + word("bdiff.validity", lang, a=d.a, a_validity=d.a_validity, b=d.b, b_validity=d.b_validity)
        + "\n",
        "| " + " | ".join(_behaviour_columns(d)) + " |",
        "|---|---|---|---|---|",
    ]
    for t in d.topics:
        for i, ex in enumerate(t.examples):
            lines.append(
                f"| {'`' + t.topic + '`' if i == 0 else ''} | {_md(_counts(d, t)) if i == 0 else ''} "
                f"| {_md(case_words(ex.case, lang, (ex.a.as_of, ex.b.as_of)))} | {_md(_side_text(ex.a, lang))} "
                f"| {_md(_side_text(ex.b, lang))} |"
            )
    same, never = _quiet(d)
    if same:
        lines.append("\n" + word("bdiff.no_difference", lang, topics=", ".join(f"`{t}`" for t in same)))
    if never:
        lines.append("\n" + word("bdiff.never_decides", lang, topics=", ".join(f"`{t}`" for t in never)))
    return "\n".join(lines) + "\n"


# ---- matrix -------------------------------------------------------------------------


def _anchor(pack: str, topic: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", f"{pack}-{topic}".lower())


def _document_line(c: Column, lang: Lang) -> str:
    """A document as the matrix lists it: number, title, issuer and date, and the file its quotes are checked in."""
    source = (
        word("matrix.source_file", lang, file=c.source_file) if c.source_file else word("matrix.no_source_file", lang)
    )
    sep = "；" if lang == "zh" else "; "
    title = f"《{c.title}》" if lang == "zh" else c.title
    title = "" if c.title in ("", c.document) else title + sep
    return f"{title}{word('matrix.issued', lang, issuer=c.issuer, issued=c.issued)}{sep}{source}"


def matrix_markdown(m: Matrix) -> str:
    lang = m.lang
    header = "<!-- generated by `policyrules matrix --format markdown`; do not edit by hand -->\n\n"
    heads = (word("jurisdiction", lang), word("document", lang), word("in_force", lang), word("matrix.documents", lang))
    lines = [
        header + f"# {word('matrix.title', lang)}\n",
        word("matrix.intro", lang) + "\n",
        "| " + " | ".join(heads) + " |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {c.pack} ({c.jurisdiction}) | {c.document} | {c.validity} | {_md(_document_line(c, lang))} |"
        for c in m.columns
    ]
    lines += [
        "",
        f"| {word('topic', lang)} | " + " | ".join(c.pack for c in m.columns) + " |",
        "|---" * (len(m.columns) + 1) + "|",
    ]
    for row in m.rows:
        cells = []
        for col, cell in zip(m.columns, row.cells):
            text = _md(cell.text)
            cells.append(f"[{text}](#{_anchor(col.pack, row.topic)})" if cell.sources else text)
        lines.append(f"| `{row.topic}` {row.label or row.zh} | " + " | ".join(cells) + " |")
    lines += ["", f"## {word('matrix.sources', lang)}", ""]
    for row in m.rows:
        for col, cell in zip(m.columns, row.cells):
            if not cell.sources:
                continue
            lines.append(f'<a id="{_anchor(col.pack, row.topic)}"></a>**{col.pack} · `{row.topic}`**\n')
            for s in cell.sources:
                ext = word("matrix.external", lang) if s.external else ""
                lines.append(f"- {s.document} {s.clause}{ext}: “{_md(s.quote)}”")
            lines.append("")
    return "\n".join(lines)


_CSS = """
body{font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;padding:1rem;line-height:1.45;color:#1b1b1b}
h1{font-size:1.3rem}h2{font-size:1.1rem;margin-top:2rem}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid #ddd}
table{border-collapse:collapse;font-size:.85rem;min-width:100%}
th,td{border:1px solid #ddd;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#f3f3f3;position:sticky;top:0}
td:first-child,th:first-child{position:sticky;left:0;background:#fafafa;min-width:7rem;max-width:34vw;overflow-wrap:anywhere}
td{min-width:6rem}
td.none{color:#999;text-align:center}td.nofig{color:#8a5a00}
a{color:#0b57d0;text-decoration:none}
.src{font-size:.85rem}.src p{margin:.2rem 0 .8rem}
code{font-size:.8em}
@media (max-width:600px){body{padding:.5rem}table{font-size:.75rem}td:first-child code{font-size:.7rem}}
"""


def _page(title: str, body: str, css: str = "", lang: Lang = "zh") -> str:
    return (
        f'<!doctype html>\n<html lang="{"zh-Hans" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_CSS}{css}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


# The matrix fits every jurisdiction in 1280 px (fixed layout, wrapped cells), so nothing scrolls sideways
# and its header row can stick to the top of the window; on a phone each topic becomes a card that lists
# the jurisdictions covering it.
_MATRIX_CSS = """
.matrix{width:100%;table-layout:fixed;font-size:.8rem}
.matrix th,.matrix td{overflow-wrap:anywhere;word-break:normal}
.matrix thead th{position:sticky;top:0;z-index:1;background:#eef1f6;box-shadow:0 1px 0 #ccd}
.matrix thead th.topic{width:10.5rem;left:auto}
.matrix thead small{display:block;font-weight:normal;color:#555}
.matrix tbody th{text-align:left;font-weight:normal;background:#fafafa}
.matrix tbody th .zh{display:block;font-weight:600}
.matrix tbody th code{font-size:.72rem;color:#555}
.matrix td.fig{font-weight:600}
.matrix td.fig a,.matrix td.noamt a{color:#0b57d0}
.matrix td.nofig a{display:inline-block;font-style:italic;font-weight:normal;color:#8a5a00;background:#fff6e0;
  border:1px dashed #c88a00;border-radius:3px;padding:0 .3rem}
.matrix td.noamt{color:#444}
.matrix td.none{color:#aaa;text-align:center}
.legend span{margin-right:1rem}.legend .nofig{font-style:italic;color:#8a5a00;background:#fff6e0;
  border:1px dashed #c88a00;padding:0 .3rem}
.docs dt{font-weight:600;margin-top:.6rem}.docs dd{margin:0 0 0 1rem}
.src .doc{white-space:nowrap}.back{font-size:.75rem;margin-left:.4rem;white-space:nowrap}
@media (max-width:600px){
  .matrix,.matrix tbody,.matrix tr,.matrix th,.matrix td{display:block;width:auto}
  .matrix thead{display:none}
  .matrix tr{border:1px solid #ddd;border-radius:6px;margin:0 0 .8rem;padding:.3rem .5rem;background:#fff}
  .matrix th,.matrix td{border:0;padding:.2rem 0;position:static}
  .matrix tbody th{background:none;border-bottom:1px solid #eee;margin-bottom:.2rem;max-width:none}
  .matrix td{display:grid;grid-template-columns:5.5rem 1fr;gap:.4rem}
  .matrix td.none{display:none}
  .matrix td>a{justify-self:start}
  .matrix td::before{content:attr(data-label);color:#555;font-weight:normal}
  .matrix{font-size:.9rem}
}
"""


def _doc_anchor(pack: str) -> str:
    return "doc-" + re.sub(r"[^a-z0-9]+", "-", pack.lower())


_CELL_CLASS = {"figure": "fig", "no_figure": "nofig", "no_amount": "noamt", "none": "none"}


def matrix_html(m: Matrix) -> str:
    e = html.escape
    lang = m.lang
    parts = [
        f"<header><h1>{e(word('matrix.title', lang))}</h1>",
        f'<p class="legend">{e(word("matrix.legend", lang))} '
        f'<span>{word("matrix.bold", lang)}</span><span class="nofig">{e(word("rule.no_figure", lang))}</span>'
        f"<span>{e(word('matrix.nofig_means', lang))}</span>"
        f"<span>{e(word('matrix.none_means', lang))}</span></p></header>",
        f'<table class="matrix" id="matrix"><thead><tr><th class="topic">{e(word("topic", lang))}</th>',
    ]
    parts += [
        f'<th><a href="#{_doc_anchor(c.pack)}">{e(c.jurisdiction)}</a><small>{e(c.pack)}</small>'
        f"<small>{e(c.validity)}</small></th>"
        for c in m.columns
    ]
    parts.append("</tr></thead><tbody>")
    for row in m.rows:
        label = row.label or row.zh
        parts.append(f'<tr><th scope="row"><span class="zh">{e(label)}</span><code>{e(row.topic)}</code></th>')
        for col, cell in zip(m.columns, row.cells):
            kind = _CELL_CLASS[cell.kind] if cell.sources else "none"
            data = f' data-label="{e(col.jurisdiction)}"'
            if kind == "none":
                parts.append(f'<td class="none"{data}>—</td>')
                continue
            quote = " / ".join(f"{s.clause}: {s.quote}" for s in cell.sources)
            parts.append(
                f'<td class="{kind}"{data}><a href="#{_anchor(col.pack, row.topic)}" title="{e(quote)}">'
                f"{e(cell.text)}</a></td>"
            )
        parts.append("</tr>")
    back = f'<a class="back" href="#matrix">↑ {e(word("matrix.back", lang))}</a>'
    parts.append(f'</tbody></table>\n<h2>{e(word("matrix.documents", lang))}</h2><dl class="docs">')
    # Each document's entry: what identifies it and where its text is. The packs record no web address for any
    # text, so the entry names the source file the quotes are verified against instead of linking out.
    for c in m.columns:
        parts.append(
            f'<dt id="{_doc_anchor(c.pack)}">{e(c.jurisdiction)} · {e(c.document)}</dt>'
            f"<dd>{e(_document_line(c, lang))}<br>{e(word('pack', lang))} <code>{e(c.pack)}</code>; "
            f"{e(word('in_force', lang))} {e(c.validity)} {back}</dd>"
        )
    documents = {c.document: _doc_anchor(c.pack) for c in reversed(m.columns)}
    parts.append(f'</dl>\n<h2>{e(word("matrix.sources", lang))}</h2><div class="src">')
    for row in m.rows:
        for col, cell in zip(m.columns, row.cells):
            if not cell.sources:
                continue
            parts.append(
                f'<p id="{_anchor(col.pack, row.topic)}"><strong>{e(col.jurisdiction)} · {e(row.label or row.zh)}'
                f"</strong> <code>{e(row.topic)}</code> {back}<br>"
            )
            for s in cell.sources:
                ext = e(word("matrix.external", lang)) if s.external else ""
                # an inherited or external rule cites another document: link it only when it is one of ours
                target = documents.get(s.document)
                doc = f'<a class="doc" href="#{target}">{e(s.document)}</a>' if target else e(s.document)
                parts.append(f"{doc} {e(s.clause)}{ext}: “{e(s.quote)}”<br>")
            parts.append("</p>")
    parts.append("</div>")
    return _page(f"policyrules: {word('matrix.title', lang)}", "\n".join(parts), _MATRIX_CSS, lang)


def matrix_rich(m: Matrix, console: Console) -> None:
    table = Table(show_lines=True, expand=console.is_terminal)
    table.add_column(word("topic", m.lang), overflow="fold")
    for c in m.columns:
        table.add_column(c.pack, overflow="fold")
    for row in m.rows:
        table.add_row(escape(row.topic), *[escape(c.text) for c in row.cells])
    console.print(table)


def structural_html(d: StructuralDiff) -> str:
    return _page(
        word("diff.title", d.lang, a=d.a.id, b=d.b.id), _markdownish_table(structural_markdown(d)), lang=d.lang
    )


def behavioural_html(d: BehaviouralDiff) -> str:
    title = word("diff.title", d.lang, a=d.a, b=d.b)
    return _page(title, _markdownish_table(behavioural_markdown(d)), lang=d.lang)


def _markdownish_table(md: str) -> str:
    """Our own Markdown subset (headings, bullet lines, pipe tables) as HTML; enough for diff reports."""
    out: list[str] = []
    in_table = False
    for line in md.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if all(set(c) <= {"-"} for c in cells):
                continue
            if not in_table:
                out.append('<div class="scroll"><table>')
                in_table = True
                out.append("<tr>" + "".join(f"<th>{_inline(c)}</th>" for c in cells) + "</tr>")
            else:
                out.append("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in cells) + "</tr>")
            continue
        if in_table:
            out.append("</table></div>")
            in_table = False
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            out.append(f"<h{level}>{_inline(line.lstrip('# '))}</h{level}>")
        elif line.startswith("- "):
            out.append(f"<p>• {_inline(line[2:])}</p>")
        elif line.strip():
            out.append(f"<p>{_inline(line)}</p>")
    if in_table:
        out.append("</table></div>")
    return "\n".join(out)


def _inline(text: str) -> str:
    text = html.escape(text.replace("\\|", "|"), quote=False).replace("&lt;br&gt;", "<br>")
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)


def to_json(model: Any) -> str:
    return model.model_dump_json(indent=2)
