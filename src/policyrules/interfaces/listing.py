"""One line per pack, as `policyrules list --json` and `GET /packs` give it."""

from __future__ import annotations

from datetime import date
from typing import Optional

from pydantic import BaseModel, ConfigDict

from policyrules.engine.model import CompiledPack


class PackSummary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    version: str
    parent: Optional[str]
    jurisdiction: str
    level: str
    document: str
    title: str
    valid_from: date
    valid_until: Optional[date]
    rules: int
    content_hash: str


def pack_summary(p: CompiledPack) -> PackSummary:
    return PackSummary(
        id=p.id,
        version=p.version,
        parent=p.parent.id if p.parent else None,
        jurisdiction=p.jurisdiction.name,
        level=p.jurisdiction.level,
        document=p.document.number,
        title=p.document.title,
        valid_from=p.valid_from,
        valid_until=p.valid_until,
        rules=len(p.rules),
        content_hash=p.content_hash,
    )
