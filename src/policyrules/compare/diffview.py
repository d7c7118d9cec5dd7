"""Diffs and the comparison matrix as terminal tables, Markdown and self-contained HTML."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .behaviour import BehaviouralDiff, Side, TopicBehaviour
from .describe import NO_FIGURE, NOT_COVERED
from .matrix import Matrix
from .structural import RuleView, StructuralDiff

# ---- structural ----------------------------------------------------------------


def _rule_lines(rules: list[RuleView]) -> list[str]:
    out = []
    for r in rules:
        text = f"{r.summary} ({r.clause})" if r.kind == "exclusion" else f"{r.amount} — {r.summary} ({r.clause})"
        out.append(text + _provenance(r))
    return out


def _provenance(r: RuleView) -> str:
    """Where a rule comes from when it is not the compared document's own: a parent pack, an outside document."""
    marks = []
    if r.inherited_from:
        marks.append(f"inherited from {r.inherited_from}")
    if r.external:
        marks.append(f"external: {r.document}")
    return f" [{'; '.join(marks)}]" if marks else ""


def structural_rich(d: StructuralDiff, console: Console, lang: str = "zh") -> None:
    zh = lang == "zh"
    console.print(
        f"[bold]{escape(d.a.id)}[/] {escape(d.a.document)} ({d.a.validity})  vs  "
        f"[bold]{escape(d.b.id)}[/] {escape(d.b.document)} ({d.b.validity})"
    )
    table = Table(show_lines=True, expand=console.is_terminal)
    table.add_column("主题" if zh else "topic", ratio=2, overflow="fold")
    table.add_column(d.a.id, ratio=4, overflow="fold")
    table.add_column(d.b.id, ratio=4, overflow="fold")
    table.add_column("差异" if zh else "differences", ratio=4, overflow="fold")
    for t in d.topics:
        a = "\n".join(_rule_lines(t.a)) or "—"
        b = "\n".join(_rule_lines(t.b)) or "—"
        only = d.a.id if t.status == "only_a" else d.b.id
        diffs = "\n".join(t.differences) if t.status == "both" else (f"仅见于 {only}" if zh else f"only in {only}")
        table.add_row(escape(t.topic), escape(a), escape(b), escape(diffs or ("数额相同" if zh else "same figures")))
    console.print(table)


def structural_markdown(d: StructuralDiff) -> str:
    lines = [
        f"# {d.a.id} vs {d.b.id}\n",
        f"- **{d.a.id}**: {d.a.document}, in force {d.a.validity}",
        f"- **{d.b.id}**: {d.b.document}, in force {d.b.validity}\n",
    ]
    for status, title in (("both", "Topics in both"), ("only_a", f"Only in {d.a.id}"), ("only_b", f"Only in {d.b.id}")):
        topics = [t for t in d.topics if t.status == status]
        if not topics:
            continue
        lines.append(f"## {title}\n")
        lines.append(f"| topic | {d.a.id} | {d.b.id} | differences |")
        lines.append("|---|---|---|---|")
        for t in topics:
            lines.append(
                f"| `{t.topic}` | {_md('<br>'.join(_rule_lines(t.a)) or '—')} | {_md('<br>'.join(_rule_lines(t.b)) or '—')} "
                f"| {_md('<br>'.join(t.differences)) or ''} |"
            )
        lines.append("")
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|")


# ---- behavioural ------------------------------------------------------------------


def _side_text(side: Side) -> str:
    if side.status == "undecided":
        return "cannot decide: missing " + ", ".join(side.missing) if side.missing else "cannot decide"
    if side.status != "gives":
        extra = "; ".join(f"{x.summary} ({x.clause})" for x in side.exclusions)
        return side.status + (f": {extra}" if extra else "")
    return "; ".join(
        f"{o.amount or o.summary}{', ' + o.status if o.status else ''} ({o.clause})" for o in side.outcomes
    )


def _counts(d: BehaviouralDiff, t: TopicBehaviour) -> str:
    """How the topic's cases fall: both decide and differ, one side alone decides, of all compared."""
    parts = [f"{t.differing} differ"]
    if t.a_only:
        parts.append(f"{t.a_only} only {d.a} decides")
    if t.b_only:
        parts.append(f"{t.b_only} only {d.b} decides")
    return "; ".join(parts) + f" (of {t.compared})"


def _cases_line(d: BehaviouralDiff) -> str:
    return f"{d.cases} cases, seed {d.seed}" if d.seed is not None else f"{d.cases} cases from your file"


def _quiet(d: BehaviouralDiff) -> tuple[list[str], list[str]]:
    """Topics with no difference (both decide and agree wherever either decides), and topics neither decides."""
    same = [t.topic for t in d.topics if not t.examples and t.agree]
    never = [t.topic for t in d.topics if not t.examples and not t.agree]
    return same, never


def behavioural_rich(d: BehaviouralDiff, console: Console) -> None:
    console.print(f"[bold]{escape(d.a)}[/] vs [bold]{escape(d.b)}[/]: {_cases_line(d)}")
    table = Table(show_lines=True, expand=console.is_terminal)
    for col, ratio in (("topic", 2), ("cases", 2), ("minimal case", 4), (d.a, 4), (d.b, 4)):
        table.add_column(col, ratio=ratio, overflow="fold")
    for t in d.topics:
        for i, ex in enumerate(t.examples):
            table.add_row(
                escape(t.topic) if i == 0 else "",
                _counts(d, t) if i == 0 else "",
                escape(json.dumps(ex.case, ensure_ascii=False)),
                escape(_side_text(ex.a)),
                escape(_side_text(ex.b)),
            )
    console.print(table)
    same, never = _quiet(d)
    if same:
        console.print(f"[dim]no difference: {escape(', '.join(same))}[/]")
    if never:
        console.print(f"[dim]neither pack decides any case: {escape(', '.join(never))}[/]")


def behavioural_markdown(d: BehaviouralDiff) -> str:
    lines = [
        f"# {d.a} vs {d.b}: cases where they differ\n",
        f"{_cases_line(d)}. {d.a}: in force {d.a_validity}; {d.b}: in force {d.b_validity}.\n",
        f"| topic | cases | minimal case | {d.a} | {d.b} |",
        "|---|---|---|---|---|",
    ]
    for t in d.topics:
        for i, ex in enumerate(t.examples):
            lines.append(
                f"| {'`' + t.topic + '`' if i == 0 else ''} | {_md(_counts(d, t)) if i == 0 else ''} "
                f"| `{_md(json.dumps(ex.case, ensure_ascii=False))}` | {_md(_side_text(ex.a))} | {_md(_side_text(ex.b))} |"
            )
    same, never = _quiet(d)
    if same:
        lines.append(f"\nNo difference: {', '.join(f'`{t}`' for t in same)}.")
    if never:
        lines.append(f"\nNeither pack decides any case: {', '.join(f'`{t}`' for t in never)}.")
    return "\n".join(lines) + "\n"


# ---- matrix -------------------------------------------------------------------------


def _anchor(pack: str, topic: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", f"{pack}-{topic}".lower())


def matrix_markdown(m: Matrix) -> str:
    header = "<!-- generated by `policyrules matrix --format markdown`; do not edit by hand -->\n\n"
    lines = [
        header + "# Comparison of jurisdictions\n",
        "Each cell gives the headline figure a pack attaches to the topic; "
        "“no figure given” means the text covers the topic and leaves the amount to other regulations; "
        "“—” means the text does not cover it. Each figure links to its clause and quote below.\n",
        "| jurisdiction | document | in force |",
        "|---|---|---|",
    ]
    lines += [f"| {c.pack} ({c.jurisdiction}) | {c.document} | {c.validity} |" for c in m.columns]
    lines += ["", "| topic | " + " | ".join(c.pack for c in m.columns) + " |", "|---" * (len(m.columns) + 1) + "|"]
    for row in m.rows:
        cells = []
        for col, cell in zip(m.columns, row.cells):
            text = _md(cell.text)
            cells.append(f"[{text}](#{_anchor(col.pack, row.topic)})" if cell.sources else text)
        lines.append(f"| `{row.topic}` {row.zh} | " + " | ".join(cells) + " |")
    lines += ["", "## Sources", ""]
    for row in m.rows:
        for col, cell in zip(m.columns, row.cells):
            if not cell.sources:
                continue
            lines.append(f'<a id="{_anchor(col.pack, row.topic)}"></a>**{col.pack} · `{row.topic}`**\n')
            for s in cell.sources:
                ext = " (external, unverified against a source file)" if s.external else ""
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


def _page(title: str, body: str, css: str = "") -> str:
    return (
        '<!doctype html>\n<html lang="zh-Hans"><head><meta charset="utf-8">'
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
.src .doc{white-space:nowrap}
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


def _cell_class(text: str) -> str:
    if text == NOT_COVERED:
        return "none"
    if text == NO_FIGURE:
        return "nofig"
    return "noamt" if text == "covered, no amount" else "fig"


def matrix_html(m: Matrix) -> str:
    e = html.escape
    parts = [
        "<header><h1>Comparison of jurisdictions 各地政策比较</h1>",
        '<p class="legend">Headline figure per topic, linked to its clause and quote. '
        '<span><strong>bold</strong>: a figure</span><span class="nofig">no figure given</span>'
        "<span>: the text promises the outcome, another regulation sets the amount</span>"
        "<span>—: not covered</span></p></header>",
        '<table class="matrix"><thead><tr><th class="topic">topic 主题</th>',
    ]
    parts += [
        f'<th><a href="#{_doc_anchor(c.pack)}">{e(c.jurisdiction)}</a><small>{e(c.pack)}</small>'
        f"<small>{e(c.validity)}</small></th>"
        for c in m.columns
    ]
    parts.append("</tr></thead><tbody>")
    for row in m.rows:
        parts.append(f'<tr><th scope="row"><span class="zh">{e(row.zh)}</span><code>{e(row.topic)}</code></th>')
        for col, cell in zip(m.columns, row.cells):
            kind = _cell_class(cell.text) if cell.sources else "none"
            label = f' data-label="{e(col.jurisdiction)}"'
            if kind == "none":
                parts.append(f'<td class="none"{label}>—</td>')
                continue
            quote = " / ".join(f"{s.clause}: {s.quote}" for s in cell.sources)
            parts.append(
                f'<td class="{kind}"{label}><a href="#{_anchor(col.pack, row.topic)}" title="{e(quote)}">'
                f"{e(cell.text)}</a></td>"
            )
        parts.append("</tr>")
    parts.append('</tbody></table>\n<h2>Documents 文件</h2><dl class="docs">')
    for c in m.columns:
        parts.append(
            f'<dt id="{_doc_anchor(c.pack)}">{e(c.jurisdiction)} · {e(c.document)}</dt>'
            f"<dd>pack <code>{e(c.pack)}</code>; in force {e(c.validity)}</dd>"
        )
    documents = {c.document: _doc_anchor(c.pack) for c in reversed(m.columns)}
    parts.append('</dl>\n<h2>Sources 出处</h2><div class="src">')
    for row in m.rows:
        for col, cell in zip(m.columns, row.cells):
            if not cell.sources:
                continue
            parts.append(
                f'<p id="{_anchor(col.pack, row.topic)}"><strong>{e(col.jurisdiction)} · {e(row.zh)}</strong> '
                f"<code>{e(row.topic)}</code><br>"
            )
            for s in cell.sources:
                ext = " (external, unverified)" if s.external else ""
                # an inherited or external rule cites another document: link it only when it is one of ours
                target = documents.get(s.document)
                doc = f'<a class="doc" href="#{target}">{e(s.document)}</a>' if target else e(s.document)
                parts.append(f"{doc} {e(s.clause)}{ext}: “{e(s.quote)}”<br>")
            parts.append("</p>")
    parts.append("</div>")
    return _page("policyrules: comparison of jurisdictions", "\n".join(parts), _MATRIX_CSS)


def matrix_rich(m: Matrix, console: Console) -> None:
    table = Table(show_lines=True, expand=console.is_terminal)
    table.add_column("topic", overflow="fold")
    for c in m.columns:
        table.add_column(c.pack, overflow="fold")
    for row in m.rows:
        table.add_row(escape(row.topic), *[escape(c.text) for c in row.cells])
    console.print(table)


def structural_html(d: StructuralDiff) -> str:
    return _page(f"{d.a.id} vs {d.b.id}", _markdownish_table(structural_markdown(d)))


def behavioural_html(d: BehaviouralDiff) -> str:
    return _page(f"{d.a} vs {d.b}", _markdownish_table(behavioural_markdown(d)))


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
