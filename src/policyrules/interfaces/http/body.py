"""A case from a request body (JSON, or YAML like a case file), every error located in the body."""

from __future__ import annotations

from datetime import date
from typing import Optional

from fastapi import Request

from policyrules.dates import as_of_date
from policyrules.errors import CaseError, InputError, Invalid, Location, Phrase, Problem
from policyrules.facts.case import Case
from policyrules.facts.casefile import validate_case
from policyrules.reading.limits import CASE_LIMITS
from policyrules.reading.yamlsource import SourceDocument, parse_json, parse_yaml

from .problems import BadParameter, UnsupportedMedia

BODY = "request body"  # the file name problems give for the body


async def read_case(request: Request) -> Case:
    raw = await request.body()
    media = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if media not in ("application/json", "application/yaml", "application/x-yaml", "text/yaml"):
        raise UnsupportedMedia.of("http.case_media", media=media)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CaseError([Problem.of("http.body_not_utf8", Location(BODY), said=str(exc))]) from None
    if not text.strip():
        raise CaseError([Problem.of("http.body_empty", Location(BODY))])
    doc = _json(text) if media == "application/json" else _yaml(text)
    if not isinstance(doc.data, dict):
        raise CaseError([Problem.of("http.case_not_object", Location(BODY, 1, 1))])
    return validate_case(doc)


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
        raise BadParameter(
            "query",
            "as_of",
            Phrase(exc.key, exc.fields) if isinstance(exc, Invalid) else Phrase.of("http.said", said=str(exc)),
        ) from None
