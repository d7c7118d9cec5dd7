"""Checking that every quote is found, verbatim, in its source text.

The source texts came out of PDF and web extraction, with line breaks in
mid-sentence, so both sides are compared with all whitespace removed.
Nothing else is normalised: punctuation and character forms must match.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Optional

from policyrules.engine import words as _words  # noqa: F401  (adds the phrases verify says to the table)
from policyrules.engine.model import CompiledPack, ResolvedCitation, citation_of
from policyrules.errors import Phrase
from policyrules.pack.files import checkout_root
from policyrules.pack.schema import DatedBound, Document

_SPACE = re.compile(r"\s+")


def sources_dir() -> Optional[Path]:
    """$POLICYRULES_SOURCES, or ../shared/sources beside a checkout; None when neither exists."""
    env = os.environ.get("POLICYRULES_SOURCES")
    if env:
        return Path(env)
    candidate = checkout_root().parent / "shared" / "sources"
    return candidate if candidate.is_dir() else None


def squeeze(text: str) -> str:
    return _SPACE.sub("", text)


@lru_cache(maxsize=32)
def _source_text(path: Path) -> str:
    return squeeze(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class CitationProblem:
    where: str  # rule id, "validity.from", "parameter quota_ratio", ...
    clause: str
    message: str  # the phrase in the pack's language
    phrase: Phrase


def all_citations(pack: CompiledPack) -> Iterator[tuple[str, ResolvedCitation]]:
    """Every citation a pack makes: its rules (inherited ones included), validity and parameters."""
    for rule in pack.rules:
        yield rule.id, rule.citation
    spec = pack.spec
    yield "validity.from", citation_of(spec.validity.from_.citation, spec.document)
    if isinstance(spec.validity.until, DatedBound):
        yield "validity.until", citation_of(spec.validity.until.citation, spec.document)
    for name, param in spec.parameters.items():
        yield f"parameter {name}", citation_of(param.citation, spec.document)


def document_text(document: Document, sources: Path) -> Optional[str]:
    """The document's text with whitespace removed: its section of the source file; None if unavailable."""
    if document.source_file is None or not (sources / document.source_file).is_file():
        return None
    text = _source_text(sources / document.source_file)
    section = document.section
    if section is None:
        return text
    start = text.find(squeeze(section.begins))
    if start < 0:
        return None
    end = text.find(squeeze(section.ends_before), start) if section.ends_before else -1
    return text[start : end if end >= 0 else len(text)]


def verify(pack: CompiledPack, sources: Path) -> list[CitationProblem]:
    """Problems with the pack's quotes; external citations are skipped (they cannot be checked).

    A quote must be in its own document: for a source file holding several
    documents, in that document's section, not merely somewhere in the file.
    """
    documents = pack.documents()
    problems: list[CitationProblem] = []

    def problem(where: str, clause: str, key: str, **fields: object) -> None:
        phrase = Phrase.of(key, **fields)
        problems.append(CitationProblem(where, clause, phrase.text(pack.lang), phrase))

    for where, c in all_citations(pack):
        if c.external:
            continue
        document = documents.get(c.document)
        if document is None or document.source_file is None:
            problem(where, c.clause, "cite.no_source_file", document=c.document)
            continue
        text = document_text(document, sources)
        if text is None:
            problem(where, c.clause, "cite.source_not_found", document=c.document, file=document.source_file)
        elif squeeze(c.quote) not in text:
            problem(
                where, c.clause, "cite.quote_not_found", document=c.document, file=document.source_file, quote=c.quote
            )
    return problems
