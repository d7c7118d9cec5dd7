"""What results share, made once per object they share it for."""

from __future__ import annotations

from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")


class ByIdentity(Generic[T]):
    """``make(obj)``, made once per object: remembered by identity, the object kept with what was made (so its
    id is not reused while remembered); at most ``limit`` objects, then forgotten all at once.

    For objects whose own hash is dear (a frozen dataclass hashes every field) or that results share as they
    are (a rule's citation, an entry's JSON).
    """

    __slots__ = ("make", "made", "limit")

    def __init__(self, make: Callable[[Any], T], limit: int) -> None:
        self.make = make
        self.made: dict[int, tuple[Any, T]] = {}
        self.limit = limit

    def __call__(self, obj: Any) -> T:
        entry = self.made.get(id(obj))
        if entry is not None and entry[0] is obj:
            return entry[1]
        value = self.make(obj)
        if len(self.made) >= self.limit:
            self.made.clear()
        self.made[id(obj)] = (obj, value)
        return value
