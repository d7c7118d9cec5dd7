"""What every route reads from the running app: its packs, its worker pool, its settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from fastapi import Query, Request, Response

from policyrules.types import Lang, lang_from_accept_language

from .catalogue import Catalogue
from .limits import Worker
from .settings import Settings


@dataclass(frozen=True)
class Served:
    settings: Settings
    catalogue: Catalogue
    worker: Worker


def served(request: Request) -> Served:
    state: Served = request.app.state.served
    return state


def chosen_lang(
    request: Request,
    lang: Optional[Lang] = Query(None, description="zh or en (default: from Accept-Language, else zh)"),
) -> Lang:
    """The language of titles and summaries: ?lang= first, then Accept-Language, then Chinese."""
    chosen: Lang = lang or lang_from_accept_language(request.headers.get("accept-language"))
    return chosen


def answer(json_text: str, lang: Lang) -> Response:
    """A JSON answer that says its language, and that it depends on Accept-Language."""
    headers = {"Content-Language": "zh-Hans" if lang == "zh" else "en", "Vary": "Accept-Language"}
    return Response(json_text, media_type="application/json", headers=headers)
