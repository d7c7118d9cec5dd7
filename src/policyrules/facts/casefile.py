"""Reading case files (YAML or JSON) into the typed :class:`Case`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from pydantic import ValidationError

from policyrules.errors import CaseError, InputError, Location, Problem
from policyrules.reading.validate import validate_model
from policyrules.reading.yamlsource import SourceDocument, read_document

from .case import Case


def load_case(path: str | os.PathLike[str]) -> Case:
    """Read and validate a case file; errors name the file and line."""
    try:
        doc = read_document(Path(path))
    except InputError as exc:
        raise CaseError(exc.problems) from None
    if not isinstance(doc.data, dict):
        raise CaseError(
            [
                Problem(
                    "a case file holds a mapping with person, unit, place, hire, application", Location(str(path), 1, 1)
                )
            ]
        )
    return validate_model(Case, doc, CaseError)


def as_case(case: Case | Mapping[str, Any]) -> Case:
    """Accept a Case or the same data as a mapping (from JSON, say)."""
    if isinstance(case, Case):
        return case
    try:
        return Case.model_validate(case)
    except ValidationError as exc:
        problems = [
            Problem(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}", Location("<case>"), path=tuple(e["loc"]))
            for e in exc.errors()
        ]
        raise CaseError(problems) from None


def load_cases(path: Path) -> list[Case]:
    """Several cases: a YAML or JSON list of case mappings, or a CSV whose columns are dotted fact paths."""
    if path.suffix.lower() == ".csv":
        return _load_csv(path)
    try:
        doc = read_document(path)
    except InputError as exc:
        raise CaseError(exc.problems) from None
    if not isinstance(doc.data, list):
        return [validate_model(Case, doc, CaseError)]
    # Each item is validated as its own document, keeping its lines for error messages.
    return [
        validate_model(Case, SourceDocument(item, doc.filename, doc.lines, _positions_under(doc, i)), CaseError)
        for i, item in enumerate(doc.data)
    ]


def _positions_under(doc: SourceDocument, index: int) -> dict:  # type: ignore[type-arg]
    return {k[1:]: v for k, v in doc.positions.items() if k[:1] == (index,)}


def _load_csv(path: Path) -> list[Case]:
    import csv

    from .vocabulary import case_facts

    facts = case_facts()
    problems: list[Problem] = []
    cases: list[Case] = []
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise CaseError([Problem(f"cannot read file: {exc}", Location(str(path)))]) from None
    try:
        with handle:
            reader = csv.DictReader(handle)
            columns = list(reader.fieldnames or [])
            rows = list(reader)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise CaseError([Problem(f"cannot read CSV: {exc}", Location(str(path)))]) from None
    unknown = [c for c in columns if c not in facts]
    if unknown:
        raise CaseError([Problem(f"unknown fact column {unknown[0]!r}", Location(str(path), 1, 1))])
    for line, row in enumerate(rows, start=2):
        nested: dict[str, Any] = {}
        if None in row:
            problems.append(Problem(f"more values than the {len(columns)} columns", Location(str(path), line)))
            continue
        for column, text in row.items():
            if text is None or text.strip() == "":
                continue
            value = _csv_value(facts[column].type.kind, facts[column].integer, text.strip())
            cur = nested
            parts = column.split(".")
            for part in parts[:-1]:
                cur = cur.setdefault(part, {})
            cur[parts[-1]] = value
        try:
            cases.append(Case.model_validate(nested))
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"])
                problems.append(Problem(f"{where}: {err['msg']}", Location(str(path), line)))
    if problems:
        raise CaseError(problems)
    return cases


def _csv_value(kind: str, integer: bool, text: str) -> Any:
    if kind == "bool":
        return {"true": True, "false": False}.get(text.lower(), text)
    if kind == "number":
        try:
            return int(text) if integer else text
        except ValueError:
            return text
    return text
