"""The HTTP API behind `policyrules serve`: FastAPI served by uvicorn.

FastAPI and uvicorn come with the ``web`` extra and are imported only here,
when an app is built, so the rest of the library never needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from policyrules.errors import MissingExtra, Phrase

from .settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["Settings", "create_app", "require_web"]


def require_web() -> None:
    """Raise a clean error naming the extra when FastAPI or uvicorn is missing."""
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise MissingExtra(Phrase.of("extra.http_api"), "web", Phrase.of("extra.no_module", name=exc.name)) from None


def create_app(settings: Optional[Settings] = None) -> "FastAPI":
    """The ASGI application: every shipped pack (and the configured ones), and the API."""
    require_web()
    from .app import build_app

    return build_app(settings or Settings())
