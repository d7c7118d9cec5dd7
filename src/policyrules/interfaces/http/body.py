"""A case from a request body (JSON, or YAML like a case file), every error located in the body."""

from __future__ import annotations

from datetime import date
from typing import Optional

from fastapi import Request

from policyrules.dates import as_of_date
from policyrules.errors import CaseError, InputError, Location, Problem
from policyrules.facts.case import Case
from policyrules.reading.limits import CASE_LIMITS
from policyrules.reading.validate import validate_model
from policyrules.reading.yamlsource import SourceDocument, parse_json, parse_yaml

from .problems import BadParameter, UnsupportedMedia

BODY = "request body"  # the file name problems give for the body


async def read_case(request: Request) -> Case:
    raw = await request.body()
    media = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if media not in ("application/json", "application/yaml", "application/x-yaml", "text/yaml"):
        raise UnsupportedMedia(f"send the case as application/json or application/yaml, not {media}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CaseError([Problem(f"the body is not UTF-8: {exc}", Location(BODY))]) from None
    if not text.strip():
        raise CaseError([Problem("the body is empty; send a case (an object, {} for none)", Location(BODY))])
    doc = _json(text) if media == "application/json" else _yaml(text)
    if not isinstance(doc.data, dict):
        raise CaseError(
            [Problem("a case is an object with person, unit, place, hire, application", Location(BODY, 1, 1))]
        )
    return validate_model(Case, doc, CaseError)


def _json(text: str) -> SourceDocument:
    try:
        return parse_json(text, BODY, CASE_LIMITS)
    except InputError as exc:
        raise CaseError(exc.problems) from None


def _yaml(text: str) -> SourceDocument:
    try:
        return parse_yaml(text, BODY, CASE_LIMITS)
    except InputError as exc:
        raise CaseError(exc.problems) from None


def as_of(text: Optional[str]) -> date:
    try:
        return as_of_date(text)
    except ValueError as exc:
        raise BadParameter("query", "as_of", str(exc)) from None
