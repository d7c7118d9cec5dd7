"""Where pack files are and how one is read: shipped packs by name, or a file by path.

Reading stops at the parsed document; validating it against the schema and
compiling it are later stages.
"""

from __future__ import annotations

import os
from pathlib import Path

from policyrules.errors import InputError, PackError, PackNotFound
from policyrules.reading.yamlsource import SourceDocument, read_document


def rules_dir() -> Path:
    """Where shipped packs live: $POLICYRULES_RULES, the installed package, or the checkout."""
    env = os.environ.get("POLICYRULES_RULES")
    if env:
        return Path(env)
    packaged = Path(__file__).parents[1] / "rules"
    if packaged.is_dir():
        return packaged
    return checkout_root() / "rules"


def checkout_root() -> Path:
    """The folder holding src/ when the library runs from a source checkout."""
    return Path(__file__).resolve().parents[3]


def shipped_packs() -> list[str]:
    return sorted(p.stem for p in rules_dir().glob("*.yaml") if p.stem != "topics")


def pack_path(name_or_path: str | os.PathLike[str]) -> Path:
    text = os.fspath(name_or_path)
    candidate = Path(text)
    if candidate.suffix.lower() in (".yaml", ".yml", ".json") or os.sep in text or "/" in text:
        if is_file(candidate):
            return candidate
        raise PackNotFound.of("pack.no_file", path=text)
    shipped = rules_dir() / f"{text}.yaml"
    if is_file(shipped):
        return shipped
    names = ", ".join(shipped_packs())
    raise (
        PackNotFound.of("pack.not_shipped", name=text, shipped=names)
        if names
        else PackNotFound.of("pack.none_shipped", name=text)
    )


def is_file(path: Path) -> bool:
    """Whether a file is there; a name the system cannot even look up (too long, a NUL) is no file."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def read_pack_document(path: Path) -> SourceDocument:
    try:
        return read_document(path)
    except InputError as exc:
        raise PackError(exc.problems) from None
