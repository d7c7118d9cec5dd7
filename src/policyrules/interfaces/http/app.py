"""The FastAPI application: routes, error handlers, limits, and CORS only when origins are named."""

from __future__ import annotations

from contextlib import asynccontextmanager
from importlib import metadata
from typing import Any, AsyncIterator

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles

from policyrules.facts.case import Case

from . import problems
from .catalogue import Catalogue
from .limits import BodyLimit, Worker
from .routers import batch, compare, meta, packs, page
from .settings import Settings
from .state import Served

CASE_MEDIA = ("application/json", "application/yaml")


def build_app(settings: Settings) -> FastAPI:
    served = Served(settings, Catalogue(settings.packs), Worker(settings.workers, settings.timeout))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        served.worker.close()

    app = FastAPI(
        title="policyrules",
        version=metadata.version("policyrules"),
        description="Chinese disability-employment policy documents as executable rules with citations.",
        lifespan=lifespan,
        # The interactive docs pages load their scripts from a CDN; the spec itself is served at /openapi.json.
        docs_url=None,
        redoc_url=None,
    )
    app.state.served = served
    problems.install(app)
    for router in (packs.router, batch.router, compare.router, meta.router, page.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=page.STATIC), name="static")
    app.add_middleware(BodyLimit, max_body=settings.max_body, max_upload=settings.max_upload)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"])
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated spec, plus the case body: routes read it themselves to report errors by line and key."""
    if app.openapi_schema is None:
        spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        case = Case.model_json_schema(by_alias=True, ref_template="#/components/schemas/{model}")
        schemas.update(case.pop("$defs", {}))
        schemas["Case"] = case
        body = {
            "required": True,
            "content": {m: {"schema": {"$ref": "#/components/schemas/Case"}} for m in CASE_MEDIA},
        }
        for path, ops in spec["paths"].items():
            if path.endswith(("/evaluate", "/explain")):
                ops["post"]["requestBody"] = body
        app.openapi_schema = spec
    return app.openapi_schema
