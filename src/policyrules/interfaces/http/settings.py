"""What an operator can set for the HTTP API, with defaults that keep one server safe on a small machine."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    packs: tuple[str, ...] = ()  # pack files served beside the shipped packs; nothing is uploaded
    max_body: int = 256 * 1024  # bytes in a request body (a case is a few hundred)
    max_upload: int = 32 * 1024 * 1024  # bytes in a batch upload
    max_rows: int = 200_000  # cases in one batch upload
    max_cases: int = 100_000  # generated cases in one behavioural diff
    timeout: float = 20.0  # seconds of work for one request
    workers: int = 2  # requests computed at once; the rest wait their turn (within the timeout)
    cors_origins: tuple[str, ...] = ()  # no cross-origin access unless origins are named
