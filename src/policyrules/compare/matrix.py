"""The comparison matrix: topic × jurisdiction, each cell the headline figure with its clause and quote."""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict

from policyrules.engine.model import CompiledPack
from policyrules.pack.files import rules_dir
from policyrules.pack.topics import load_topics

from .describe import NOT_COVERED, headline, validity_text


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Out):
    rule: str
    document: str
    clause: str
    quote: str
    external: bool


class Cell(_Out):
    text: str  # the headline figure, "no figure given", or "—"
    sources: list[Source] = []


class Column(_Out):
    pack: str
    jurisdiction: str
    document: str
    validity: str


class Row(_Out):
    topic: str
    zh: str
    definition: str
    cells: list[Cell]


class Matrix(_Out):
    columns: list[Column]
    rows: list[Row]

    def cell(self, topic: str, pack: str) -> Optional[Cell]:
        col = next((i for i, c in enumerate(self.columns) if c.pack == pack), None)
        row = next((r for r in self.rows if r.topic == topic), None)
        return None if col is None or row is None else row.cells[col]


def matrix(packs: list[CompiledPack]) -> Matrix:
    topics = load_topics(rules_dir() / "topics.yaml")
    covered = sorted({r.topic for p in packs for r in p.rules if r.kind in ("entitlement", "obligation", "sanction")})
    rows = []
    for topic in covered:
        cells = []
        for pack in packs:
            text = headline(pack, topic)
            rules = [r for r in pack.rules if r.topic == topic and r.kind in ("entitlement", "obligation", "sanction")]
            cells.append(
                Cell(
                    text=text if text is not None else NOT_COVERED,
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
        rows.append(Row(topic=topic, zh=t.label.zh if t else "", definition=t.definition if t else "", cells=cells))
    columns = [
        Column(pack=p.id, jurisdiction=p.jurisdiction.name, document=p.document.number, validity=validity_text(p))
        for p in packs
    ]
    return Matrix(columns=columns, rows=rows)
