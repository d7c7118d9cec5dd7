"""A parsed document validated against a pydantic model, every error located in its file."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from policyrules.errors import InputError, Problem

from .yamlsource import SourceDocument, cap

M = TypeVar("M", bound=BaseModel)


def validate_model(model: type[M], doc: SourceDocument, error: type[InputError]) -> M:
    """Validate parsed data against a model, turning every pydantic error into a located problem."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems: list[Problem] = []
        seen: set[tuple[str, str]] = set()
        for err in exc.errors():
            path = _data_path(doc.data, err["loc"])
            message = _message(err, path)
            loc = doc.key_location(path) if err["type"] == "extra_forbidden" else doc.location(path)
            key = (str(loc), message)
            if key not in seen:
                seen.add(key)
                problems.append(Problem(message, loc, path=path))
        raise error(cap(problems)) from None


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Keep the parts of a pydantic location that exist in the data (drops union branch tags)."""
    out: list[Any] = []
    cur = data
    for part in loc:
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
            out.append(part)
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            cur = cur[part]
            out.append(part)
        elif isinstance(cur, dict) and isinstance(part, str) and not part[:1].isupper() and "[" not in part:
            out.append(part)  # a key that is missing or unknown: name it
            break
    return tuple(out)


def _message(err: Any, path: tuple[Any, ...]) -> str:
    where = ".".join(str(p) for p in path) or "document"
    kind = err["type"]
    if kind == "extra_forbidden":
        return f"unknown key {path[-1]!r}" if path else "unknown key"
    if kind == "missing":
        return f"missing key {path[-1]!r}" if path else "missing key"
    return f"{where}: {err['msg']}"
