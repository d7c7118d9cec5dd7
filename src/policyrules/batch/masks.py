"""Missing-fact bitmasks: one bit per fact that can be missing, one row per case.

A pack with at most 64 such facts uses one ``uint64`` per row (an array of
shape ``(n,)``, or one ``numpy.uint64`` for every row). A larger one splits
its facts into words of 64 and holds a mask as a tuple with one entry per
word, ``None`` where that word is zero on every row: most expressions read
facts of one word only, so they pay for one word, not all of them. ``NONE``
stands for a mask that is zero on every row, so that columns with nothing
missing (complete records, literals) cost no mask arithmetic at all.
"""

from __future__ import annotations

from typing import Any, Iterable

from ._deps import need

NONE: Any = None  # no row misses anything


class Masks:
    def __init__(self, names: list[str]) -> None:
        self.np = need("numpy")
        self.names = names
        self.index = {name: i for i, name in enumerate(names)}
        self.words = max(1, (len(names) + 63) // 64)

    def _one_word(self, name: str, value: Any) -> Any:
        """``value`` in the word of ``name``'s bit, the other words zero."""
        if self.words == 1:
            return value
        word = self.index[name] // 64
        return tuple(value if w == word else None for w in range(self.words))

    def bit(self, name: str) -> Any:
        """The mask of one fact on every row."""
        return self._one_word(name, self.np.uint64(1 << (self.index[name] % 64)))

    def of(self, rows: Any, name: str) -> Any:
        """``name``'s bit on the rows where ``rows`` is true (NONE when no row is)."""
        if not rows.any():
            return NONE
        return self._one_word(name, rows * self.np.uint64(1 << (self.index[name] % 64)))

    def union(self, masks: Iterable[Any]) -> Any:
        out = NONE
        for m in masks:
            if m is NONE:
                continue
            if out is NONE:
                out = m
            elif self.words == 1:
                out = out | m
            else:
                out = tuple(a if b is None else b if a is None else a | b for a, b in zip(out, m))
        return out

    def known(self, m: Any) -> Any:
        """True where nothing is missing (a Python True when the mask is NONE)."""
        if m is NONE:
            return True
        if self.words == 1:
            return m == 0
        acc: Any = True
        for x in m:  # word by word: comparing is cheaper than merging the words first
            if x is not None:
                acc = (x == 0) if acc is True else acc & (x == 0)
        return acc

    def where(self, cond: Any, a: Any, b: Any, n: int) -> Any:
        """Row-wise choice between two masks (either may be NONE or a single bit)."""
        if a is NONE and b is NONE:
            return NONE
        if isinstance(cond, bool) or getattr(cond, "ndim", 1) == 0:
            return a if cond else b
        if self.words == 1:
            return self._where(cond, a, b, n)
        a = (None,) * self.words if a is NONE else a
        b = (None,) * self.words if b is NONE else b
        out = tuple(None if x is None and y is None else self._where(cond, x, y, n) for x, y in zip(a, b))
        return NONE if all(x is None for x in out) else out

    def _where(self, cond: Any, a: Any, b: Any, n: int) -> Any:
        """One word: ``a`` where ``cond``, else ``b`` (None is zero), as an array of n rows."""
        np = self.np
        if b is None and getattr(a, "ndim", 0) >= 1:  # multiplying by a bool is cheaper than choosing
            return a * cond
        if a is None and getattr(b, "ndim", 0) >= 1:
            return b * ~cond
        out = np.where(cond, np.uint64(0) if a is None else a, np.uint64(0) if b is None else b)
        return out if out.shape == (n,) else np.broadcast_to(out, (n,)).copy()

    def full(self, m: Any, n: int) -> Any:
        """A mask as a full array of n rows (zeros for NONE): shape (n,), or (W, n)."""
        np = self.np
        if self.words == 1:
            if m is NONE:
                return np.zeros(n, dtype=np.uint64)
            return m if getattr(m, "shape", ()) == (n,) else np.broadcast_to(m, (n,)).copy()
        out = np.zeros((self.words, n), dtype=np.uint64)
        if m is not NONE:
            for w, x in enumerate(m):
                if x is not None:
                    out[w] = x
        return out

    def encode(self, names: Iterable[str]) -> int:
        out = 0
        for name in names:
            out |= 1 << self.index[name]
        return out
