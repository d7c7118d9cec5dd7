"""Every error the API returns is a JSON problem document (RFC 9457), built here and only here.

An input error carries the same problems the command line prints — file (the
request body, or the pack file), line, column and message — plus ``loc``, the
keys from the root of the document to the bad value, so a form can mark the field.
"""

from __future__ import annotations

from typing import Any, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from policyrules.errors import InputError, MissingExtra, PackNotFound, PolicyRulesError, Problem, TableError

MEDIA_TYPE = "application/problem+json"


class HttpProblem(PolicyRulesError):
    """A request the API refuses for a reason of its own (too large, too slow, a bad parameter)."""

    status, code, title = 400, "bad_request", "Bad request"

    def __init__(self, detail: str, problems: Optional[list[dict[str, Any]]] = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.problems = problems or []


class BadParameter(HttpProblem):
    status, code, title = 422, "invalid_parameter", "Invalid parameter"

    def __init__(self, where: str, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}", [{"loc": [where, name], "message": message}])


class TooLarge(HttpProblem):
    status, code, title = 413, "too_large", "Request too large"


class TooSlow(HttpProblem):
    status, code, title = 503, "timeout", "Took too long"


class UnsupportedMedia(HttpProblem):
    status, code, title = 415, "unsupported_media_type", "Unsupported media type"


def problem(
    status: int, code: str, title: str, detail: str, problems: Optional[list[dict[str, Any]]] = None
) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "code": code, "detail": detail}
    if problems:
        body["problems"] = problems
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def problem_item(p: Problem) -> dict[str, Any]:
    loc = p.location
    return {
        "loc": list(p.path),
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "where": str(loc),
        "message": p.message,
        "code": p.code,
    }


async def _input_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InputError)
    items = [problem_item(p) for p in exc.problems]
    first = str(exc.problems[0]).splitlines()[0] if exc.problems else "invalid input"
    more = f" (and {len(items) - 1} more)" if len(items) > 1 else ""
    return problem(422, "invalid_input", "Invalid input", first + more, items)


async def _table_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TableError)
    items = [
        {"loc": ["body", b.row, b.column], "row": b.row, "column": b.column, "value": b.value, "message": b.message}
        for b in exc.bad
    ]
    more = f" ({exc.total} bad values in all)" if exc.total > len(exc.bad) else ""
    first = str(exc).splitlines()[0] if exc.bad else "invalid table"
    return problem(422, "invalid_table", "Invalid table", first + more, items)


async def _not_found(request: Request, exc: Exception) -> JSONResponse:
    return problem(404, "pack_not_found", "No such pack", str(exc))


async def _http_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HttpProblem)
    return problem(exc.status, exc.code, exc.title, exc.detail, exc.problems)


async def _library_error(request: Request, exc: Exception) -> JSONResponse:
    status = 501 if isinstance(exc, MissingExtra) else 422
    return problem(status, "error", "Cannot answer", str(exc))


async def _starlette_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return problem(exc.status_code, "http", str(exc.detail), str(exc.detail))


async def _request_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    items = [
        {"loc": list(e["loc"]), "message": e["msg"], "where": ".".join(str(p) for p in e["loc"])} for e in exc.errors()
    ]
    detail = "; ".join(f"{i['where']}: {i['message']}" for i in items)
    return problem(422, "invalid_parameter", "Invalid parameter", detail, items)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # A defect, not the client's fault: the server log keeps the traceback, the client gets a problem document.
    return problem(500, "internal_error", "Internal error", f"the server failed on this request ({type(exc).__name__})")


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
