"""Find, read and validate pack files; hand the validated spec to the compiler.

The loader knows files and YAML; it knows nothing of evaluation.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .compiler import compile_pack
from .errors import InputError, PackError, PackNotFound, Problem
from .model import CompiledPack
from .schema import PackSpec
from .topics import load_topics
from .yamlsource import SourceDocument, read_document

M = TypeVar("M", bound=BaseModel)


def rules_dir() -> Path:
    """Where shipped packs live: $POLICYRULES_RULES, the installed package, or the checkout."""
    env = os.environ.get("POLICYRULES_RULES")
    if env:
        return Path(env)
    packaged = Path(__file__).parent / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


def shipped_packs() -> list[str]:
    return sorted(p.stem for p in rules_dir().glob("*.yaml") if p.stem != "topics")


def pack_path(name_or_path: str | os.PathLike[str]) -> Path:
    text = os.fspath(name_or_path)
    candidate = Path(text)
    if candidate.suffix.lower() in (".yaml", ".yml", ".json") or os.sep in text or "/" in text:
        if candidate.is_file():
            return candidate
        raise PackNotFound(f"no pack file at {text}")
    shipped = rules_dir() / f"{text}.yaml"
    if shipped.is_file():
        return shipped
    raise PackNotFound(f"no pack named {text!r}; shipped packs: {', '.join(shipped_packs()) or 'none'}")


def load_pack(name_or_path: str | os.PathLike[str]) -> CompiledPack:
    """Load, validate and compile a pack by shipped name or file path (cached)."""
    path = pack_path(name_or_path).resolve()
    return _load_cached(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _load_cached(path: Path, mtime: int) -> CompiledPack:
    doc = read_pack_document(path)
    spec = validate_model(PackSpec, doc, PackError)
    parent = None
    if spec.parent is not None:
        sibling = path.parent / f"{spec.parent}.yaml"
        try:
            parent = load_pack(sibling if sibling.is_file() else spec.parent)
        except PackNotFound as exc:
            raise PackError([Problem(str(exc), doc.location(("parent",)))]) from None
        if _ancestor_ids(parent) & {spec.id}:
            raise PackError([Problem("a pack cannot inherit from itself", doc.location(("parent",)))])
    digest = hashlib.sha256(path.read_bytes())
    if parent is not None:
        digest.update(parent.content_hash.encode())
    return compile_pack(
        spec,
        doc,
        topics=frozenset(load_topics(rules_dir() / "topics.yaml")),
        content_hash=digest.hexdigest()[:16],
        parent=parent,
        source_path=str(path),
    )


def _ancestor_ids(pack: CompiledPack) -> set[str]:
    out = {pack.id}
    if pack.parent is not None:
        out |= _ancestor_ids(pack.parent)
    return out


def read_pack_document(path: Path) -> SourceDocument:
    try:
        return read_document(path)
    except InputError as exc:
        raise PackError(exc.problems) from None


def validate_model(model: type[M], doc: SourceDocument, error: type[InputError]) -> M:
    """Validate parsed data against a model, turning every pydantic error into a located problem."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems: list[Problem] = []
        seen: set[tuple[str, str]] = set()
        for err in exc.errors():
            path = _data_path(doc.data, err["loc"])
            loc = doc.location(path)
            message = _message(err, path)
            key = (str(loc), message)
            if key not in seen:
                seen.add(key)
                problems.append(Problem(message, loc))
        raise error(problems) from None


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
