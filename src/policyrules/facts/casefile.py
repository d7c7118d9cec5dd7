"""Reading case files (YAML or JSON) into the typed :class:`Case`."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any, Mapping

from pydantic import ValidationError

from policyrules.errors import CaseError, InputError, Location, Problem
from policyrules.reading.limits import CASE_LIMITS, Limits
from policyrules.reading.textfile import read_text, source_name
from policyrules.reading.validate import at_path, validate_model
from policyrules.reading.yamlsource import SourceDocument, cap, read_document
from policyrules.types import NUMBER_TEXT

from .case import Case
from .vocabulary import case_facts, suggestions

EXAMPLE = "example:"  # ``example:baotou-employer`` names a shipped example case instead of a file


def examples_dir() -> Path:
    """The shipped example cases: inside the installed package (wheel), or examples/ of the source checkout."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "examples"
    return packaged if packaged.is_dir() else package.parents[1] / "examples"


def shipped_examples() -> list[str]:
    return sorted(p.stem for p in examples_dir().glob("*.yaml"))


def case_path(name_or_path: str | os.PathLike[str]) -> Path:
    """A case file's path: as given, or for ``example:NAME`` the shipped example of that name."""
    text = os.fspath(name_or_path)
    if not text.startswith(EXAMPLE):
        return Path(text)
    name = text[len(EXAMPLE) :]
    path = examples_dir() / f"{name}.yaml"
    if "/" in name or os.sep in name or not path.is_file():
        names = ", ".join(EXAMPLE + n for n in shipped_examples()) or "none"
        raise CaseError([Problem.of("case.no_example", Location(text), name=name, names=names)])
    return path


def load_case(path: str | os.PathLike[str], limits: Limits = CASE_LIMITS) -> Case:
    """Read and validate a case file (``-``: standard input; ``example:NAME``: a shipped example); errors name
    the file (``<stdin>``) and line."""
    path = case_path(path)
    try:
        doc = read_document(path, limits)
    except InputError as exc:
        raise CaseError(exc.problems) from None
    if not isinstance(doc.data, dict):
        raise CaseError([Problem.of("case.not_mapping", Location(source_name(path), 1, 1))])
    return validate_case(doc)


def validate_case(doc: SourceDocument) -> Case:
    """A parsed case document as a Case; a misspelt fact is named with the facts it may have meant."""
    facts = case_facts()
    return validate_model(Case, doc, CaseError, lambda path: suggestions(path, facts))


def as_case(case: Case | Mapping[str, Any]) -> Case:
    """Accept a Case or the same data as a mapping (from JSON, say)."""
    if case.__class__ is Case or isinstance(case, Case):  # a model's isinstance is an ABC's: asked second
        return case  # type: ignore[return-value]
    try:
        return Case.model_validate(case)
    except ValidationError as exc:
        problems = [at_path(e, Location("<case>")) for e in exc.errors()]
        raise CaseError(problems) from None


def load_cases(path: Path, limits: Limits = CASE_LIMITS) -> list[Case]:
    """Several cases: a YAML or JSON list of case mappings, or a CSV whose columns are dotted fact paths.

    ``-`` reads YAML or JSON from standard input.
    """
    if path.suffix.lower() == ".csv":
        return _load_csv(path, limits)
    try:
        doc = read_document(path, limits)
    except InputError as exc:
        raise CaseError(exc.problems) from None
    if not isinstance(doc.data, list):
        return [validate_case(doc)]
    # Each item is validated as its own document, keeping its lines for error messages.
    return [validate_case(_item(doc, i)) for i in range(len(doc.data))]


def _item(doc: SourceDocument, index: int) -> SourceDocument:
    """The part of a list document that is item ``index``, as a document of its own."""
    return SourceDocument(
        doc.data[index],
        doc.filename,
        doc.lines,
        {k[1:]: v for k, v in doc.positions.items() if k[:1] == (index,)},
        {k[1:]: v for k, v in doc.keys.items() if k[:1] == (index,)},
    )


_CSV_INT = re.compile(r"[-+]?[0-9]+")


def csv_number(text: str, integer: bool) -> str | None:
    """A number as a table's cell writes it (a CSV file, a text column of a batch table), or None if it is not one.

    ASCII digits only (no "1_000", "１２" or "NaN", which Decimal() itself takes), at most 40 characters; a
    whole number has no point and no exponent. The text comes back as written, to be read exactly.
    """
    pattern = _CSV_INT if integer else NUMBER_TEXT
    return text if len(text) <= 40 and pattern.fullmatch(text) else None


def _load_csv(path: Path, limits: Limits) -> list[Case]:
    """Rows of a CSV file; strict: no duplicate or unknown columns, no broken quotes, ASCII numbers only."""
    import csv

    from .vocabulary import case_facts

    facts = case_facts()
    name = str(path)
    try:
        text = read_text(path, limits)
    except InputError as exc:
        raise CaseError(exc.problems) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise CaseError([Problem.of("csv.unreadable", Location(name, reader.line_num), said=str(exc))]) from None
    if not rows:
        raise CaseError([Problem.of("csv.empty", Location(name, 1))])
    columns = rows[0]
    problems: list[Problem] = []
    for i, column in enumerate(columns):
        if column not in facts:
            problems.append(Problem.of("csv.unknown_column", Location(name, 1, i + 1), column=column))
        elif column in columns[:i]:
            problems.append(Problem.of("csv.column_twice", Location(name, 1, i + 1), column=column))
    if problems:
        raise CaseError(problems)
    cases: list[Case] = []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) > len(columns):
            problems.append(Problem.of("csv.too_many_values", Location(name, line), n=len(columns)))
            continue
        nested: dict[str, Any] = {}
        for column, raw in zip(columns, row):
            text = raw.strip()
            if text == "":
                continue
            info = facts[column]
            value = _csv_value(info.type.kind, info.integer, text)
            if value is None:
                problems.append(Problem.of("csv.not_number", Location(name, line), column=column, text=text))
                continue
            cur = nested
            parts = column.split(".")
            for part in parts[:-1]:
                cur = cur.setdefault(part, {})
            cur[parts[-1]] = value
        try:
            cases.append(Case.model_validate(nested))
        except ValidationError as exc:
            problems.extend(at_path(err, Location(name, line)) for err in exc.errors())
    if problems:
        raise CaseError(cap(problems))
    return cases


def _csv_value(kind: str, integer: bool, text: str) -> Any:
    """The cell as the model expects it; None for a number that is not written in ASCII digits."""
    if kind == "bool":
        return {"true": True, "false": False}.get(text.lower(), text)
    if kind == "number":
        number = csv_number(text, integer)
        return int(number) if integer and number is not None else number
    return text
