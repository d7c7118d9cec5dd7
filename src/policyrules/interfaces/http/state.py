"""What every route reads from the running app: its packs, its worker pool, its settings."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

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
