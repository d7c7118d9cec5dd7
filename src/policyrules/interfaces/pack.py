"""The public face of a loaded pack."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, Mapping, Optional, Union

from policyrules.backends import evaluate_with
from policyrules.dates import as_of_date
from policyrules.engine.explain import ExplainReport, explain
from policyrules.engine.model import CompiledPack, CompiledRule, localize
from policyrules.engine.result import Result
from policyrules.errors import InputError, Location, Problem
from policyrules.facts.case import Case
from policyrules.facts.casefile import as_case
from policyrules.pack.schema import Document, Jurisdiction
from policyrules.types import LANGS, Lang

DateLike = Union[date, str]
"""A date, or the same written YYYY-MM-DD."""


class Pack:
    """A compiled rule pack. Compile once (``load_pack``), evaluate many times."""

    def __init__(self, compiled: CompiledPack) -> None:
        self.compiled = compiled
        self._languages: dict[str, CompiledPack] = {compiled.lang: compiled}

    @property
    def id(self) -> str:
        return self.compiled.id

    @property
    def version(self) -> str:
        """The pack's own version, as its file states it (see CHANGELOG.md)."""
        return self.compiled.version

    @property
    def content_hash(self) -> str:
        """Hash of the pack file (and its parents): identifies exactly what is evaluated."""
        return self.compiled.content_hash

    @property
    def lang(self) -> Lang:
        """The language of titles and summaries unless ``lang=`` says otherwise."""
        return self.compiled.lang

    def _in(self, lang: Optional[str]) -> CompiledPack:
        if lang is None:
            return self.compiled
        if lang not in LANGS:
            raise InputError([Problem.of("args.lang", Location("lang"), "argument", langs=", ".join(LANGS), lang=lang)])
        if lang not in self._languages:
            self._languages[lang] = localize(self.compiled, lang)  # type: ignore[arg-type]
        return self._languages[lang]

    @property
    def document(self) -> Document:
        return self.compiled.document

    @property
    def jurisdiction(self) -> Jurisdiction:
        return self.compiled.jurisdiction

    @property
    def rules(self) -> tuple[CompiledRule, ...]:
        return self.compiled.rules

    def evaluate(
        self,
        case: Case | Mapping[str, Any],
        as_of: Optional[DateLike] = None,
        backend: Literal["native", "durable"] = "native",
        lang: Optional[Lang] = None,
    ) -> Result:
        """Entitlements, obligations, sanctions and exclusions for ``case`` as of a date (default today).

        ``as_of`` is a ``date`` or a string ``YYYY-MM-DD``; ``lang`` (``"zh"``
        or ``"en"``, default the pack's, zh) chooses the language of titles
        and summaries. Quotes are always as printed.
        """
        return evaluate_with(backend, self._in(lang), as_case(case), _as_of(as_of))

    def explain(
        self,
        case: Case | Mapping[str, Any],
        rule: Optional[str] = None,
        as_of: Optional[DateLike] = None,
        lang: Optional[Lang] = None,
    ) -> ExplainReport:
        """Why each rule (or ``rule``) fired or not on ``case``."""
        return explain(self._in(lang), as_case(case), _as_of(as_of), rule)

    def __repr__(self) -> str:
        return f"<Pack {self.id} {self.document.number} ({len(self.rules)} rules)>"


def _as_of(value: Optional[DateLike]) -> date:
    try:
        return as_of_date(value)
    except ValueError as exc:
        raise InputError([Problem.refused(exc, Location("as_of"), "argument")]) from None
