"""A pack by name or path, read, validated and compiled once per file content.

The pack stage reads and validates the file; this module adds the parent
pack and hands both to the compiler.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from policyrules.errors import PackError, PackNotFound, Problem
from policyrules.pack.files import pack_path, read_pack_document, rules_dir
from policyrules.pack.schema import PackSpec
from policyrules.pack.topics import load_topics
from policyrules.reading.validate import validate_model
from policyrules.types import DEFAULT_LANG, Lang

from .compiler import compile_pack
from .model import CompiledPack, localize


def load_pack(name_or_path: str | os.PathLike[str], lang: Lang = DEFAULT_LANG) -> CompiledPack:
    """Load, validate and compile a pack by shipped name or file path (cached), its words in ``lang``."""
    path = pack_path(name_or_path).resolve()
    return _localized(path, path.stat().st_mtime_ns, lang)


@lru_cache(maxsize=64)
def _localized(path: Path, mtime: int, lang: Lang) -> CompiledPack:
    return localize(_load_cached(path, mtime), lang)


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
