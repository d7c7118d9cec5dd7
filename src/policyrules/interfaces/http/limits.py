"""Request limits: bytes in a body, seconds of work, requests computed at once."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, TypeVar

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .problems import TooLarge, TooSlow, problem, request_lang

T = TypeVar("T")


class BodyLimit:
    """Refuse a body over its limit: at once when Content-Length says so, else as soon as the bytes pass it."""

    def __init__(self, app: ASGIApp, max_body: int, max_upload: int) -> None:
        self.app, self.max_body, self.max_upload = app, max_body, max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_upload if scope["path"].endswith("/batch") else self.max_body
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            lang = request_lang(Request(scope))
            response = problem(TooLarge.status, TooLarge.code, _too_large(limit).text(lang), lang)
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge(_too_large(limit))
            return message

        await self.app(scope, counted, send)


def _too_large(limit: int) -> TooLarge:
    return TooLarge.of("http.body_too_large", limit=limit)


class Worker:
    """Runs the CPU-bound work of a request on a small pool, giving up on it after ``timeout`` seconds.

    A request that times out gets its answer (503) at once; its computation
    finishes in the background and is dropped. Requests beyond ``workers``
    wait their turn, and the wait counts towards their time.
    """

    def __init__(self, workers: int, timeout: float) -> None:
        self.timeout = timeout
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="policyrules-http")

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        future = asyncio.get_running_loop().run_in_executor(self.pool, fn, *args)
        try:
            return await asyncio.wait_for(future, self.timeout)
        except asyncio.TimeoutError:
            raise TooSlow.of("http.too_slow", seconds=f"{self.timeout:g}") from None

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
