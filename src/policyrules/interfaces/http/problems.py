"""Every error the API returns is a JSON problem document (RFC 9457), built here and only here.

An input error carries the same problems the command line prints — file (the
request body, or the pack file), line, column and message — plus ``loc``, the
keys from the root of the document to the bad value, so a form can mark the field.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from policyrules.errors import (
    InputError,
    MissingExtra,
    PackNotFound,
    Phrase,
    PolicyRulesError,
    Problem,
    TableError,
    say,
)
from policyrules.reading.validate import pydantic_reason
from policyrules.types import LANGS, Lang, lang_from_accept_language

MEDIA_TYPE = "application/problem+json"


class HttpProblem(PolicyRulesError):
    """A request the API refuses for a reason of its own (too large, too slow, a bad parameter); made with
    ``of(key, **fields)``, so its detail is said in the request's language."""

    status, code = 400, "bad_request"

    def __init__(self, detail: str, problems: Optional[list[dict[str, Any]]] = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.problems = problems or []

    def document(self, lang: Lang) -> tuple[str, list[dict[str, Any]]]:
        """The detail and the problems, in ``lang``."""
        return self.text(lang), self.problems


class BadParameter(HttpProblem):
    status, code = 422, "invalid_parameter"

    def __init__(self, where: str, name: str, reason: Phrase) -> None:
        self.where, self.name, self.reason = where, name, reason
        super().__init__(f"{name}: {reason}", [{"loc": [where, name], "message": str(reason)}])

    def document(self, lang: Lang) -> tuple[str, list[dict[str, Any]]]:
        said = self.reason.text(lang)
        return f"{self.name}: {said}", [{"loc": [self.where, self.name], "message": said}]


class TooLarge(HttpProblem):
    status, code = 413, "too_large"


class TooSlow(HttpProblem):
    status, code = 503, "timeout"


class UnsupportedMedia(HttpProblem):
    status, code = 415, "unsupported_media_type"


def request_lang(request: Request) -> Lang:
    """The language a request is answered in: ?lang= first, then Accept-Language, then Chinese."""
    asked = request.query_params.get("lang")
    return asked if asked in LANGS else lang_from_accept_language(request.headers.get("accept-language"))  # type: ignore[return-value]


def problem(
    status: int,
    code: str,
    detail: str,
    lang: Lang,
    problems: Optional[list[dict[str, Any]]] = None,
) -> JSONResponse:
    """A problem document in ``lang``: its title is said by the phrase ``http.<code>``."""
    title = say(f"http.{code}", lang)
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "code": code, "detail": detail}
    if problems:
        body["problems"] = problems
    headers = {"Content-Language": "zh-Hans" if lang == "zh" else "en", "Vary": "Accept-Language"}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def problem_item(p: Problem, lang: Lang = "en") -> dict[str, Any]:
    loc = p.location
    return {
        "loc": list(p.path),
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "where": str(loc),
        "message": p.text(lang),
        "code": p.code,
    }


async def _input_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InputError)
    lang = request_lang(request)
    items = [problem_item(p, lang) for p in exc.problems]
    first = exc.problems[0].render(lang).splitlines()[0] if exc.problems else say("http.no_detail", lang)
    more = say("http.and_more", lang, (("n", len(items) - 1),)) if len(items) > 1 else ""
    return problem(422, "invalid_input", first + more, lang, items)


async def _table_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TableError)
    lang = request_lang(request)
    items = [
        {"loc": ["body", b.row, b.column], "row": b.row, "column": b.column, "value": b.value, "message": b.text(lang)}
        for b in exc.bad
    ]
    more = say("http.bad_values_in_all", lang, (("n", exc.total),)) if exc.total > len(exc.bad) else ""
    first = exc.text(lang).splitlines()[0] if exc.bad else say("http.no_detail", lang)
    return problem(422, "invalid_table", first + more, lang, items)


async def _not_found(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PackNotFound)
    lang = request_lang(request)
    return problem(404, "pack_not_found", exc.text(lang), lang)


async def _http_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HttpProblem)
    lang = request_lang(request)
    detail, items = exc.document(lang)
    return problem(exc.status, exc.code, detail, lang, items)


async def _library_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PolicyRulesError)
    lang = request_lang(request)
    status = 501 if isinstance(exc, MissingExtra) else 422
    return problem(status, "error", exc.text(lang), lang)


async def _starlette_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    # Starlette's own refusals (no such route, a method not allowed): its reason phrase is the detail.
    lang = request_lang(request)
    key = _STARLETTE.get(exc.status_code)
    detail = say(key, lang) if key and exc.detail == HTTPStatus(exc.status_code).phrase else str(exc.detail)
    return problem(exc.status_code, "http", detail, lang)


_STARLETTE = {404: "http.not_found", 405: "http.method_not_allowed"}


async def _request_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    lang = request_lang(request)
    items = [
        {"loc": list(e["loc"]), "message": pydantic_reason(e).text(lang), "where": ".".join(str(p) for p in e["loc"])}
        for e in exc.errors()
    ]
    detail = "; ".join(f"{i['where']}: {i['message']}" for i in items)
    return problem(422, "invalid_parameter", detail, lang, items)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # A defect, not the client's fault: the server log keeps the traceback, the client gets a problem document.
    lang = request_lang(request)
    detail = say("http.server_failed", lang, (("error", type(exc).__name__),))
    return problem(500, "internal_error", detail, lang)


def install(app: FastAPI) -> None:
    """Register the handlers; the most specific error type wins."""
    app.add_exception_handler(InputError, _input_error)
    app.add_exception_handler(TableError, _table_error)
    app.add_exception_handler(PackNotFound, _not_found)
    app.add_exception_handler(HttpProblem, _http_problem)
    app.add_exception_handler(PolicyRulesError, _library_error)
    app.add_exception_handler(HTTPException, _starlette_http)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(Exception, _unexpected)
