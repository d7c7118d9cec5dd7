"""A Result that is built when it is first read.

Evaluating a case ends with a finished run: which rules fired, which are
undecided, every derived fact. Turning that into the typed, cited
:class:`~policyrules.engine.result.Result` (outcomes, amounts, citations,
exclusions, pydantic models) costs more than the matching itself, and a
caller that only counts, filters or forwards results may never need it.
:class:`DeferredResult` is a ``Result`` whose fields are built by
``evaluator.assemble`` on first access, once; its JSON is written once too.

It is a real ``Result`` everywhere: ``isinstance``, attribute access,
``model_dump``/``model_dump_json``/``to_json`` (byte-identical), equality
with an eager ``Result`` in both directions, ``model_copy``, pickling,
hashing, and nesting inside another pydantic model all see the built fields.
pydantic reads a model's fields through its ``__dict__`` and
``__pydantic_fields_set__`` attributes; here those attributes build the
result before answering.

Reading what a portal shows first — entitlements, obligations, sanctions,
exclusions — builds only those (``evaluator.outcomes``: the rules that
fired), not the undecided rules, the reasons for every "no" and the
questions; the whole Result, built later, holds the same objects.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from operator import is_
from typing import Any, Callable, Optional, Protocol

from pydantic import BaseModel, ConfigDict, TypeAdapter

from policyrules.types import decimal_text

from .memo import ByIdentity
from .result import OutcomeOut, Result

# pydantic's own storage for a model's fields (slots of BaseModel), reached directly.
_DICT = BaseModel.__dict__["__dict__"]
_FIELDS_SET = BaseModel.__dict__["__pydantic_fields_set__"]


# Fields read from the outcomes alone (``outcomes``), before the rest of the Result is built.
_OUTCOME_FIELDS = frozenset(("entitlements", "obligations", "sanctions", "exclusions"))


class Source(Protocol):
    """What a DeferredResult is built from: the outcomes of the rules that fired (an object with the four outcome
    fields), and the whole Result around them."""

    def outcomes(self) -> Any: ...

    def result(self, outcomes: Any) -> Result: ...


class DeferredResult(Result):
    # Never validated (built by ``deferred``); its serializer is made on first use, not at import.
    model_config = ConfigDict(defer_build=True)
    __slots__ = ("_source", "_done", "_json")

    @classmethod
    def deferred(cls, source: Source, done: Any = None) -> DeferredResult:
        """A Result built from ``source`` when first read. ``done``: the outcomes, when they are made already."""
        self = cls.__new__(cls)
        object.__setattr__(self, "_source", source)
        object.__setattr__(self, "_json", None)
        object.__setattr__(self, "__pydantic_extra__", None)
        object.__setattr__(self, "__pydantic_private__", None)
        if done is None:
            object.__setattr__(self, "_done", None)
        else:
            DeferredResult._hold(self, done)
        return self

    def _hold(self, done: Any) -> None:
        object.__setattr__(self, "_done", done)
        # Read from now on as plain attributes (pydantic, reading ``__dict__``, still sees a whole Result).
        fields = _DICT.__get__(self)
        fields["entitlements"] = done.entitlements
        fields["obligations"] = done.obligations
        fields["sanctions"] = done.sanctions
        fields["exclusions"] = done.exclusions

    def _outcome_part(self) -> Any:
        done = object.__getattribute__(self, "_done")
        if done is None:
            done = object.__getattribute__(self, "_source").outcomes()
            DeferredResult._hold(self, done)
        return done

    def _built(self) -> None:
        try:
            source = object.__getattribute__(self, "_source")
        except AttributeError:  # a copy or an unpickled result: built already
            return
        if source is None:
            return
        result = source.result(DeferredResult._outcome_part(self))
        # Its fields become this result's, not copied: the Result built here is dropped.
        _DICT.__set__(self, _DICT.__get__(result))
        _FIELDS_SET.__set__(self, _FIELDS_SET.__get__(result))
        object.__setattr__(self, "_source", None)
        object.__setattr__(self, "_done", None)

    @property  # type: ignore[override]
    def __dict__(self) -> dict[str, Any]:  # type: ignore[override]
        DeferredResult._built(self)
        return _DICT.__get__(self)

    @__dict__.setter
    def __dict__(self, value: dict[str, Any]) -> None:
        _DICT.__set__(self, value)

    @property  # type: ignore[override]
    def __pydantic_fields_set__(self) -> set[str]:  # type: ignore[override]
        DeferredResult._built(self)
        return _FIELDS_SET.__get__(self)

    @__pydantic_fields_set__.setter
    def __pydantic_fields_set__(self, value: set[str]) -> None:
        _FIELDS_SET.__set__(self, value)

    def __getattr__(self, name: str) -> Any:
        if name in Result.model_fields:
            DeferredResult._built(self)
            return _DICT.__get__(self)[name]
        return super().__getattr__(name)  # type: ignore[misc]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return (
            self.__dict__ == other.__dict__
            and self.__pydantic_private__ == other.__pydantic_private__
            and self.__pydantic_extra__ == other.__pydantic_extra__
        )

    __hash__ = Result.__hash__

    def __repr_name__(self) -> str:
        return "Result"

    def to_json(self, **kwargs: Any) -> str:
        if kwargs:
            return super().to_json(**kwargs)
        try:
            text = object.__getattribute__(self, "_json")
        except AttributeError:
            text = None
        if text is None:
            text = _json(self)
            object.__setattr__(self, "_json", text)
        return text


class _OutcomeField:
    """One of the four outcome fields, read before the rest of the Result is built: consulted only while the
    field is not yet in the result's ``__dict__`` (a descriptor without ``__set__``), which reading it fills."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: Optional[DeferredResult], owner: Optional[type] = None) -> Any:
        if obj is None:
            return self
        return getattr(DeferredResult._outcome_part(obj), self.name)


# Set after the class is made: pydantic takes the class's own attributes for fields while it makes the class.
for _name in _OUTCOME_FIELDS:
    setattr(DeferredResult, _name, _OutcomeField(_name))


def _item(item: BaseModel) -> str:
    """An entry's JSON as an item of a top-level list: its own pretty JSON, indented by its depth."""
    return "    " + item.model_dump_json(indent=2).replace("\n", "\n    ")


_FRAGMENT = ByIdentity(_item, 16384)  # a shared entry (undecided rule, reason, question) as an item of a list


_LISTS: dict[tuple[int, ...], tuple[tuple[BaseModel, ...], str]] = {}


def _list(items: list[BaseModel]) -> str:
    """A top-level list of shared entries as JSON; the same entries in the same order are joined once."""
    if not items:
        return "[]"
    key = tuple(map(id, items))
    entry = _LISTS.get(key)
    if entry is not None and all(map(is_, entry[0], items)):
        return entry[1]
    text = _joined(items, _FRAGMENT)
    if len(_LISTS) >= 16384:
        _LISTS.clear()
    _LISTS[key] = (tuple(items), text)
    return text


def _joined(items: list[Any], write: Callable[[Any], str]) -> str:
    """A top-level list as JSON, each item written by ``write`` (indented as an item of a top-level list)."""
    return "[\n" + ",\n".join(map(write, items)) + "\n  ]" if items else "[]"


def _fresh(items: list[BaseModel]) -> str:
    """A top-level list of entries made for this result alone (exclusions, conflicts, errors): not remembered."""
    return _joined(items, _item)


_OUTCOME_TEXTS: dict[tuple[str, str], tuple[tuple[Any, ...], list[str], list[str], str, str, str]] = {}
_AT_ITEM_FIELD = "\n      "  # a value inside an outcome inside a top-level list: its lines indented so far


def _outcome(item: OutcomeOut) -> str:
    """An outcome as an item of a top-level list (what ``_item`` writes), with the fields no case changes
    (its rule's words, deadline, citation, notes) written once per rule and the others written here."""
    d = _DICT.__get__(item)
    static = (d["kind"], d["rule"], d["topic"], d["title"], d["to"], d["summary"], d["deadline"], d["citation"])
    key = (d["rule"], d["title"])
    texts = _OUTCOME_TEXTS.get(key)
    if texts is None or texts[0] != static or texts[1] != d["excludes"] or texts[2] != d["notes"]:
        # The rule's own words, cut from the outcome's JSON at its top-level fields (no string holds a newline).
        whole = _item(item)
        head, rest = whole.split(',\n      "amount": ', 1)
        deadline = rest.split(',\n      "deadline": ', 1)[1].split(',\n      "status": ', 1)[0]
        tail = rest.split(',\n      "excludes": ', 1)[1]
        if len(_OUTCOME_TEXTS) >= 16384:
            _OUTCOME_TEXTS.clear()
        texts = _OUTCOME_TEXTS[key] = (static, list(d["excludes"]), list(d["notes"]), head, deadline, tail)
    status = d["status"]
    return "".join(
        (
            texts[3],
            ',\n      "amount": ',
            _value(d["amount"]),
            ',\n      "duration": ',
            _value(d["duration"]),
            ',\n      "limit": ',
            _value(d["limit"]),
            ',\n      "funding": ',
            _FUNDING.dump_json(d["funding"], indent=2).decode().replace("\n", _AT_ITEM_FIELD) if d["funding"] else "[]",
            ',\n      "deadline": ',
            texts[4],
            ',\n      "status": ',
            "null" if status is None else f'"{status}"',
            ',\n      "event": ',
            _event(d["event"]),
            ',\n      "excludes": ',
            texts[5],
        )
    )


def _value(value: Optional[BaseModel]) -> str:
    return "null" if value is None else value.model_dump_json(indent=2).replace("\n", _AT_ITEM_FIELD)


_FUNDING = TypeAdapter(OutcomeOut.model_fields["funding"].annotation)
# An outcome's event: one object per event, date and document (``evaluator._event_out``).
_EVENT = ByIdentity(_value, 4096)


def _event(value: Optional[BaseModel]) -> str:
    return "null" if value is None else _EVENT(value)


# An outcome as an item of a list: one object per rule and the values it shows (``evaluator._shared_outcome``).
_OUTCOME = ByIdentity(_outcome, 4096)


def _outcomes(items: list[OutcomeOut]) -> str:
    """A top-level list of outcomes; a list made for this result alone, of outcomes results share."""
    return _joined(items, _OUTCOME)


def _top(value: BaseModel) -> str:
    """An object as the value of a top-level field."""
    return value.model_dump_json(indent=2).replace("\n", "\n  ")


_HEAD = ("pack", "pack_version", "pack_hash", "lang", "backend", "as_of", "application_date")
_HEADS: dict[tuple[Any, ...], str] = {}


def _head(result: Result, fields: dict[str, Any]) -> str:
    """The result's first fields (which pack, which day) as JSON lines, written once per pack and day."""
    key = tuple(map(fields.__getitem__, _HEAD))
    text = _HEADS.get(key)
    if text is None:
        whole = result.model_dump_json(indent=2, include=set(_HEAD))
        text = whole[len("{\n") : -len("\n}")]
        if len(_HEADS) >= 4096:
            _HEADS.clear()
        _HEADS[key] = text
    return text


_DERIVED = TypeAdapter(Result.model_fields["derived"].annotation)
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_]+")
_NAMES: dict[str, str] = {}  # a derived fact's name -> its line's start ("" for a name JSON would escape)


def _name(name: str) -> str:
    found = _NAMES[name] = f'    "{name}": ' if _PLAIN_NAME.fullmatch(name) else ""
    return found


def _derived(values: dict[str, Any]) -> str:
    """The derived facts as the value of a top-level field: each name and value written here (a number as its
    JSON writes it, ``decimal_text``); a text value, or a name JSON would escape, by pydantic."""
    if not values:
        return "{}"
    names = _NAMES
    lines = []
    for name, value in values.items():
        head = names.get(name)
        if head is None:
            head = _name(name)
        cls = value.__class__
        if value is None:
            text = "null"
        elif cls is Decimal:
            text = '"' + decimal_text(value) + '"'
        elif cls is bool:
            text = "true" if value else "false"
        elif cls is date:
            text = '"' + value.isoformat() + '"'
        else:
            break
        if not head:
            break
        lines.append(head + text)
    else:
        return "{\n" + ",\n".join(lines) + "\n  }"
    return _DERIVED.dump_json(values, indent=2).decode().replace("\n", "\n  ")


# How each field after the first ones is written, in the order the model declares them (a test holds the two equal).
_WRITERS: tuple[tuple[str, Callable[[Any], str]], ...] = (
    ("validity", ByIdentity(_top, 4096)),  # one validity per pack and day
    ("entitlements", _outcomes),
    ("obligations", _outcomes),
    ("sanctions", _outcomes),
    ("exclusions", _fresh),
    ("not_granted", _list),
    ("derived", _derived),
    ("undetermined", _list),
    ("undetermined_elsewhere", _list),
    ("questions", _list),
    ("defaults", _list),
    ("conflicts", _fresh),
    ("errors", _fresh),
)
_KEYS = tuple(f',\n  "{name}": ' for name, _ in _WRITERS)


def _json(result: Result) -> str:
    """``Result.to_json()``, byte for byte, each field written alone: the entries shared between results
    (undecided rules, reasons, questions; the validity) once per entry, not once per result.

    A pretty-printed value inside the result is its own pretty JSON indented by its depth.
    """
    fields = result.__dict__  # a DeferredResult builds itself here
    out = ["{\n", _head(result, fields)]
    for key, (name, write) in zip(_KEYS, _WRITERS):
        out.append(key)
        out.append(write(fields[name]))
    out.append("\n}")
    return "".join(out)
