"""A pack by name or path, read, validated and compiled once per file content.

The pack stage reads and validates the file; this module adds the parent
pack and hands both to the compiler. Compiled packs are cached by path and
the SHA-256 of the file's bytes (and, through the parent's own entry, of its
parent's), so a file replaced with its old modification time is still read
again. A chain of parents that comes back to a pack already being loaded is
refused before anything is loaded twice.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from pathlib import Path

from policyrules.errors import InputError, PackError, PackNotFound, Problem
from policyrules.pack.files import is_file, pack_path, rules_dir
from policyrules.pack.schema import PackSpec
from policyrules.pack.topics import load_topics
from policyrules.reading.limits import PACK_LIMITS
from policyrules.reading.textfile import read_bytes
from policyrules.reading.validate import validate_model
from policyrules.reading.yamlsource import parse_document
from policyrules.types import DEFAULT_LANG, Lang

from .compiler import compile_pack
from .model import CompiledPack, localize

_CACHE: OrderedDict[tuple[Path, str], CompiledPack] = OrderedDict()
_CACHE_SIZE = 64
_LOCALIZED: OrderedDict[tuple[Path, str], CompiledPack] = OrderedDict()
_LOCK = threading.RLock()


def load_pack(name_or_path: str | os.PathLike[str], lang: Lang = DEFAULT_LANG) -> CompiledPack:
    """Load, validate and compile a pack by shipped name or file path (cached by content), its words in ``lang``."""
    pack = _load(pack_path(name_or_path).resolve(), ())
    if pack.lang == lang:
        return pack
    key = (Path(pack.source_path or ""), pack.content_hash + ":" + lang)
    with _LOCK:
        hit = _LOCALIZED.get(key)
    if hit is None:
        hit = localize(pack, lang)
        with _LOCK:
            _LOCALIZED[key] = hit
            while len(_LOCALIZED) > _CACHE_SIZE:
                _LOCALIZED.popitem(last=False)
    return hit


def clear_cache() -> None:
    """Forget every compiled pack (benchmarks measure cold loads with it)."""
    with _LOCK:
        _CACHE.clear()
        _LOCALIZED.clear()


def _load(path: Path, loading: tuple[Path, ...]) -> CompiledPack:
    try:
        data = read_bytes(path, PACK_LIMITS)
    except InputError as exc:
        raise PackError(exc.problems) from None
    own = hashlib.sha256(data).hexdigest()
    with _LOCK:
        hit = _CACHE.get((path, own))
    if hit is not None and (hit.parent is None or _parent_unchanged(hit, path, loading)):
        return hit
    pack = _compile(path, data, own, loading)
    with _LOCK:
        _CACHE[(path, own)] = pack
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return pack


def _parent_unchanged(pack: CompiledPack, path: Path, loading: tuple[Path, ...]) -> bool:
    assert pack.parent is not None and pack.parent.source_path is not None
    try:
        return _load(Path(pack.parent.source_path), loading + (path,)) is pack.parent
    except (PackError, PackNotFound):
        return False


def _compile(path: Path, data: bytes, own: str, loading: tuple[Path, ...]) -> CompiledPack:
    doc = parse_document(data, path, PACK_LIMITS, PackError)
    spec = validate_model(PackSpec, doc, PackError)
    parent = None
    if spec.parent is not None:
        where = doc.location(("parent",))
        if spec.parent == spec.id:
            raise PackError([Problem.of("load.inherits_itself", where, "cycle")])
        sibling = path.parent / f"{spec.parent}.yaml"
        try:
            parent_path = pack_path(sibling if is_file(sibling) else spec.parent).resolve()
        except PackNotFound as exc:
            raise PackError([Problem(str(exc), where, "reference", (), exc.key, exc.fields)]) from None
        chain = loading + (path,)
        if parent_path in chain:
            names = " → ".join(p.stem for p in chain[chain.index(parent_path) :] + (parent_path,))
            raise PackError([Problem.of("load.inherits_itself_via", where, "cycle", names=names)])
        parent = _load(parent_path, chain)
    digest = hashlib.sha256(data)
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
