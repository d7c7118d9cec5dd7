"""A parsed document validated against a pydantic model, every error located in its file."""

from __future__ import annotations

import re
from typing import Any, Callable, Optional, TypeVar

from pydantic import BaseModel, ValidationError

from policyrules.errors import InputError, Invalid, Location, Phrase, Problem
from policyrules.errors.phrases import PROBLEM_WORDS, either

from .yamlsource import SourceDocument, cap

M = TypeVar("M", bound=BaseModel)
Suggest = Optional[Callable[[str], list[str]]]


def validate_model(model: type[M], doc: SourceDocument, error: type[InputError], suggest: Suggest = None) -> M:
    """Validate parsed data against a model, turning every pydantic error into a located problem.

    ``suggest`` gives, for the dotted path of an unknown key, the known paths it may be a misspelling of."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems: list[Problem] = []
        seen: set[tuple[str, str]] = set()
        for err in exc.errors():
            path = _data_path(doc.data, err["loc"])
            loc = doc.key_location(path) if err["type"] == "extra_forbidden" else doc.location(path)
            problem = pydantic_problem(err, path, loc, suggest)
            key = (str(loc), problem.message)
            if key not in seen:
                seen.add(key)
                problems.append(problem)
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


def pydantic_problem(err: Any, path: tuple[Any, ...], loc: Location, suggest: Suggest = None) -> Problem:
    """One pydantic error as a problem at ``loc``, said by a phrase of its error type."""
    kind = err["type"]
    if kind == "extra_forbidden" and path and suggest is not None:
        hints = suggest(".".join(p for p in path if isinstance(p, str)))
        if hints:
            said = either([repr(h) for h in hints])
            return Problem.of("schema.unknown_key_hint", loc, path=path, name=path[-1], hints=said)
    if kind in ("extra_forbidden", "missing"):
        key = "schema.unknown_key" if kind == "extra_forbidden" else "schema.missing_key"
        return Problem.of(key if path else key + "_here", loc, path=path, name=path[-1] if path else "")
    where: Any = ".".join(str(p) for p in path) if path else Phrase.of("schema.document")
    return Problem.of("schema.at", loc, path=path, where=where, reason=pydantic_reason(err))


def at_path(err: Any, loc: Location) -> Problem:
    """A pydantic error where no file position is known (a mapping given in Python, a CSV row): its text
    names the whole path to the bad value."""
    path = tuple(err["loc"])
    return Problem.of("schema.at", loc, path=path, where=".".join(str(p) for p in path), reason=pydantic_reason(err))


def pydantic_reason(err: Any) -> Phrase:
    """What a pydantic error says, as a phrase: our validators' own phrases, pydantic's common error types in
    either language, and pydantic's English message, with its type named, for any other."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    cause = ctx.get("error")
    if isinstance(cause, Invalid):
        return Phrase.of("pydantic.value_error", reason=Phrase(cause.key, cause.fields))
    if kind in ("literal_error", "enum"):
        choices = [repr(c) for c in _CHOICE.findall(str(ctx.get("expected", "")))]
        if len(choices) > 1:
            expected: Any = Phrase.of("pydantic.choices", head=", ".join(choices[:-1]), last=choices[-1])
        else:
            expected = ctx.get("expected", "")
        return Phrase.of(f"pydantic.{kind}", expected=expected)
    key = f"pydantic.{kind}"
    if key in PROBLEM_WORDS:
        return Phrase(key, tuple((name, value) for name, value in ctx.items() if name != "error"))
    return Phrase.of("pydantic.other", message=err["msg"], type=kind)


_CHOICE = re.compile(r"'((?:[^'\\]|\\.)*)'")
