"""One line per pack, as `policyrules list --json` and `GET /packs` give it."""

from __future__ import annotations

from datetime import date
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict

from policyrules.engine.model import CompiledPack
from policyrules.engine.words import period_words


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
    valid_from_certainty: Literal["stated", "lower_bound", "estimate"]
    valid_until: Optional[date]
    period: str  # the validity in words, as every printed date says it, in the pack's language
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
        valid_from_certainty=p.validity.from_.certainty,
        valid_until=p.valid_until,
        period=period_words(p.validity, p.lang),
        rules=len(p.rules),
        content_hash=p.content_hash,
    )
