"""Packs and the cases decided with them: GET /packs, GET /packs/{id}, POST …/evaluate, …/explain."""

from __future__ import annotations

import json
from typing import Literal, Optional

from fastapi import APIRouter, Depends, Query, Request, Response

from policyrules.backends import evaluate_with
from policyrules.engine.explain import ExplainReport, explain
from policyrules.engine.result import Result
from policyrules.errors import Phrase
from policyrules.pack.schema import PackSpec
from policyrules.types import Lang

from ...listing import PackSummary, pack_summary
from ..body import as_of, read_case
from ..problems import BadParameter
from ..state import Served, answer, chosen_lang, served

router = APIRouter(tags=["packs"])

AS_OF = Query(None, description="evaluation date YYYY-MM-DD (default today); facts about an event keep their own date")
JSON = "application/json"


class PackDetail(PackSpec):
    """The pack file as written, with its content hash and the rules it inherits from its parent."""

    content_hash: str
    inherited_rules: list[str] = []


@router.get("/packs", response_model=list[PackSummary], summary="served packs, their documents and validity")
def list_packs(s: Served = Depends(served), lang: Lang = Depends(chosen_lang)) -> Response:
    rows = [pack_summary(p).model_dump(mode="json") for p in s.catalogue.all(lang)]
    return answer(json.dumps(rows, ensure_ascii=False), lang)


@router.get(
    "/packs/{pack_id}", response_model=PackDetail, summary="a pack: document, validity, rules, ledger, parameters"
)
def get_pack(pack_id: str, s: Served = Depends(served)) -> Response:
    pack = s.catalogue.get(pack_id)
    own = {r.id for r in pack.spec.rules}
    body = PackDetail.model_validate(
        {
            **pack.spec.model_dump(by_alias=True),
            "content_hash": pack.content_hash,
            "inherited_rules": [r.id for r in pack.rules if r.id not in own],
        }
    )
    return Response(body.model_dump_json(by_alias=True, exclude_none=True), media_type=JSON)


@router.post("/packs/{pack_id}/evaluate", response_model=Result, summary="entitlements and obligations for a case")
async def evaluate(
    pack_id: str,
    request: Request,
    as_of_: Optional[str] = Query(None, alias="as_of", description=AS_OF.description),
    backend: Literal["native", "durable"] = Query("native", description="evaluation engine"),
    s: Served = Depends(served),
    lang: Lang = Depends(chosen_lang),
) -> Response:
    pack = s.catalogue.get(pack_id, lang)
    day = as_of(as_of_)
    case = await read_case(request)
    result = await s.worker.run(evaluate_with, backend, pack, case, day)
    return answer(result.to_json(), lang)


@router.post("/packs/{pack_id}/explain", response_model=ExplainReport, summary="why each rule fired or not")
async def explain_case(
    pack_id: str,
    request: Request,
    as_of_: Optional[str] = Query(None, alias="as_of", description=AS_OF.description),
    rule: Optional[str] = Query(None, description="only this rule"),
    s: Served = Depends(served),
    lang: Lang = Depends(chosen_lang),
) -> Response:
    pack = s.catalogue.get(pack_id, lang)
    if rule is not None and rule not in pack.rule_index:
        raise BadParameter("query", "rule", Phrase.of("http.no_rule", pack=pack.id, rule=rule))
    day = as_of(as_of_)
    case = await read_case(request)
    report = await s.worker.run(explain, pack, case, day, rule)
    return answer(report.model_dump_json(indent=2), lang)
