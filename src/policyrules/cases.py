"""Reading case files (YAML or JSON) into the typed :class:`Case`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from pydantic import ValidationError

from .errors import CaseError, InputError, Location, Problem
from .facts import Case
from .loader import validate_model
from .yamlsource import read_document


def load_case(path: str | os.PathLike[str]) -> Case:
    """Read and validate a case file; errors name the file and line."""
    try:
        doc = read_document(Path(path))
    except InputError as exc:
        raise CaseError(exc.problems) from None
    if not isinstance(doc.data, dict):
        raise CaseError([Problem("a case file holds a mapping with person, unit, place, hire, application", Location(str(path), 1, 1))])
    return validate_model(Case, doc, CaseError)


def as_case(case: Case | Mapping[str, Any]) -> Case:
    """Accept a Case or the same data as a mapping (from JSON, say)."""
    if isinstance(case, Case):
        return case
    try:
        return Case.model_validate(case)
    except ValidationError as exc:
        problems = [
            Problem(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}", Location("<case>"))
            for e in exc.errors()
        ]
        raise CaseError(problems) from None
