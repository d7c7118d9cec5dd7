"""About the service: GET /schema/case, GET /schema/result, GET /health."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from policyrules.engine.result import Result
from policyrules.facts.case import Case

from ..state import Served, served

router = APIRouter(tags=["meta"])


@router.get("/schema/case", summary="JSON Schema of a case (the evaluate body)")
def case_schema() -> dict[str, Any]:
    return Case.model_json_schema(by_alias=True)


@router.get("/schema/result", summary="JSON Schema of an evaluation result")
def result_schema() -> dict[str, Any]:
    return Result.model_json_schema(by_alias=True)


@router.get("/health", summary="the server is up, and which packs it serves")
def health(s: Served = Depends(served)) -> dict[str, Any]:
    from importlib import metadata

    return {"status": "ok", "version": metadata.version("policyrules"), "packs": s.catalogue.ids}
