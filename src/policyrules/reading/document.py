"""A parsed document that remembers where every value came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from policyrules.errors import Location

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class NodeInfo:
    """Where a value starts, and how its scalar was written (None for collections)."""

    line: int  # 0-based, as PyYAML marks
    column: int
    style: str | None


@dataclass(frozen=True)
class SourceDocument:
    """Parsed data plus everything needed to point back into the file."""

    data: Any
    filename: str
    lines: tuple[str, ...]
    positions: dict[PathKey, NodeInfo]
    keys: dict[PathKey, NodeInfo] = field(default_factory=dict)  # where each mapping key is written

    def location(self, path: PathKey) -> Location:
        """The location of the deepest known value on ``path``."""
        for cut in range(len(path), -1, -1):
            info = self.positions.get(tuple(path[:cut]))
            if info is not None:
                return self._at(info.line, info.column)
        return self._at(0, 0)  # an empty document, or one whose top level is the wrong kind

    def key_location(self, path: PathKey) -> Location:
        """The location of the key that ends ``path`` (or of its value when the key is unknown)."""
        info = self.keys.get(tuple(path))
        return self._at(info.line, info.column) if info is not None else self.location(path)

    def location_in_scalar(self, path: PathKey, offset: int) -> Location:
        """The location of character ``offset`` inside the scalar at ``path``."""
        info = self.positions.get(path)
        if info is None:
            return self.location(path)
        value = self.data_at(path)
        if not isinstance(value, str):
            return self._at(info.line, info.column)
        before = value[:offset]
        row = before.count("\n")
        col_in_row = len(before) - (before.rfind("\n") + 1)
        if info.style in ("|", ">"):
            line = info.line + 1 + row
            text = self.lines[line] if line < len(self.lines) else ""
            indent = len(text) - len(text.lstrip(" "))
            return self._at(line, indent + col_in_row)
        quote = 1 if info.style in ("'", '"') else 0
        if row == 0:
            return self._at(info.line, info.column + quote + col_in_row)
        line = info.line + row
        text = self.lines[line] if line < len(self.lines) else ""
        indent = len(text) - len(text.lstrip(" "))
        return self._at(line, indent + col_in_row)

    def data_at(self, path: PathKey) -> Any:
        node = self.data
        for key in path:
            node = node[key]
        return node

    def _at(self, line: int, column: int) -> Location:
        source = self.lines[line] if 0 <= line < len(self.lines) else None
        return Location(self.filename, line + 1, column + 1, source)
