"""The comparison matrix: topic × jurisdiction, each cell the headline figure with its clause and quote."""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict

from policyrules.engine.model import CompiledPack
from policyrules.pack.files import rules_dir
from policyrules.pack.topics import load_topics
from policyrules.types import DEFAULT_LANG, Lang

from .describe import Headline, headline, validity_text


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Out):
    rule: str
    document: str
    clause: str
    quote: str
    external: bool


class Cell(_Out):
    kind: Headline = "figure"  # figure, no_figure (another regulation sets it), no_amount, none (not covered)
    text: str  # the headline figure, "no figure given", or "—", in the matrix's language
    sources: list[Source] = []


class Column(_Out):
    pack: str
    jurisdiction: str
    document: str  # 文号
    title: str = ""
    issuer: str = ""
    issued: str = ""  # YYYY-MM-DD
    source_file: Optional[str] = None  # the file of the text in the sources directory; None: not among them
    validity: str


class Row(_Out):
    topic: str
    zh: str
    label: str = ""  # the topic's label in the matrix's language
    definition: str
    cells: list[Cell]


class Matrix(_Out):
    lang: Lang = DEFAULT_LANG  # the language of figures and topic labels (the packs')
    columns: list[Column]
    rows: list[Row]

    def cell(self, topic: str, pack: str) -> Optional[Cell]:
        col = next((i for i, c in enumerate(self.columns) if c.pack == pack), None)
        row = next((r for r in self.rows if r.topic == topic), None)
        return None if col is None or row is None else row.cells[col]


def matrix(packs: list[CompiledPack]) -> Matrix:
    topics = load_topics(rules_dir() / "topics.yaml")
    covered = sorted(
        {r.topic for p in packs for r in p.stated_rules if r.kind in ("entitlement", "obligation", "sanction")}
    )
    rows = []
    for topic in covered:
        cells = []
        for pack in packs:
            kind, text = headline(pack, topic)
            rules = [
                r for r in pack.stated_rules if r.topic == topic and r.kind in ("entitlement", "obligation", "sanction")
            ]
            cells.append(
                Cell(
                    kind=kind,
                    text=text,
                    sources=[
                        Source(
                            rule=r.id,
                            document=r.citation.document,
                            clause=r.citation.clause,
                            quote=r.citation.quote,
                            external=r.citation.external,
                        )
                        for r in rules
                    ],
                )
            )
        t = topics.get(topic)
        label = t.label.pick(packs[0].lang) if t else ""
        rows.append(
            Row(topic=topic, zh=t.label.zh if t else "", label=label, definition=t.definition if t else "", cells=cells)
        )
    columns = [
        Column(
            pack=p.id,
            jurisdiction=p.jurisdiction.name,
            document=p.document.number,
            title=p.document.title,
            issuer=p.document.issuer,
            issued=p.document.issued.isoformat(),
            source_file=p.document.source_file,
            validity=validity_text(p),
        )
        for p in packs
    ]
    return Matrix(lang=packs[0].lang if packs else DEFAULT_LANG, columns=columns, rows=rows)
