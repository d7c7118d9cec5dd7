"""Packs side by side: GET /diff/{a}/{b} (structural, or behavioural with ?cases=N) and GET /matrix."""

from __future__ import annotations

from typing import Optional, Union

from fastapi import APIRouter, Depends, Query, Response

from policyrules.compare.behaviour import BehaviouralDiff, behavioural_diff
from policyrules.compare.matrix import Matrix, matrix
from policyrules.compare.structural import StructuralDiff, structural_diff
from policyrules.errors import Phrase
from policyrules.types import Lang

from ..problems import BadParameter
from ..state import Served, answer, chosen_lang, served

router = APIRouter(tags=["compare"])


@router.get(
    "/diff/{a}/{b}",
    response_model=Union[StructuralDiff, BehaviouralDiff],
    summary="what A and B give, topic by topic; with cases=N, where they answer differently on N generated cases",
)
async def diff(
    a: str,
    b: str,
    topic: Optional[str] = Query(None, description="only this topic"),
    cases: Optional[int] = Query(None, ge=1, description="behavioural diff over this many generated cases"),
    seed: int = Query(0, description="seed for generated cases"),
    s: Served = Depends(served),
    lang: Lang = Depends(chosen_lang),
) -> Response:
    pa, pb = s.catalogue.get(a, lang), s.catalogue.get(b, lang)
    if topic is not None:
        known = {r.topic for p in (pa, pb) for r in p.rules}
        if topic not in known:
            said = Phrase.of("http.no_topic", a=a, b=b, topic=topic, known=", ".join(sorted(known)))
            raise BadParameter("query", "topic", said)
    if cases is None:
        d = await s.worker.run(structural_diff, pa, pb)
        if topic is not None:
            d = d.model_copy(update={"topics": [t for t in d.topics if t.topic == topic]})
        return answer(d.model_dump_json(indent=2), lang)
    if cases > s.settings.max_cases:
        raise BadParameter("query", "cases", Phrase.of("http.max_cases", n=s.settings.max_cases))
    bd = await s.worker.run(behavioural_diff, pa, pb, cases, seed, [topic] if topic else None)
    return answer(bd.model_dump_json(indent=2), lang)


@router.get("/matrix", response_model=Matrix, summary="topic × jurisdiction grid of headline figures with citations")
async def get_matrix(
    pack: Optional[list[str]] = Query(None, description="packs to compare (default: every served pack)"),
    s: Served = Depends(served),
    lang: Lang = Depends(chosen_lang),
) -> Response:
    packs = [s.catalogue.get(p, lang) for p in pack] if pack else s.catalogue.all(lang)
    m = await s.worker.run(matrix, packs)
    return answer(m.model_dump_json(indent=2), lang)
