"""Missing-fact bitmasks: one bit per fact that can be missing, one row per case.

A pack with at most 64 such facts uses one ``uint64`` per row (shape ``(n,)``);
a larger one uses ``W`` words per row, stored word by word (shape ``(W, n)``,
so that each word is one contiguous column and the usual operations stay
single passes over memory). ``NONE`` stands for a mask that is zero on every
row, so that columns with nothing missing (complete records, literals) cost
no mask arithmetic at all.
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

    def bit(self, name: str) -> Any:
        """The mask of one fact, broadcastable against a column of masks."""
        np = self.np
        i = self.index[name]
        if self.words == 1:
            return np.uint64(1 << i)
        out = np.zeros((self.words, 1), dtype=np.uint64)
        out[i // 64, 0] = np.uint64(1 << (i % 64))
        return out

    def of(self, rows: Any, name: str) -> Any:
        """``name``'s bit on the rows where ``rows`` is true (NONE when no row is)."""
        if not rows.any():
            return NONE
        if self.words == 1:
            return rows * self.bit(name)
        return rows[None, :] * self.bit(name)

    def union(self, masks: Iterable[Any]) -> Any:
        out = NONE
        for m in masks:
            if m is NONE:
                continue
            out = m if out is NONE else (out | m)
        return out

    def known(self, m: Any) -> Any:
        """True where nothing is missing (a Python True when the mask is NONE)."""
        if m is NONE:
            return True
        if self.words == 1 or m.ndim == 1:
            return m == 0
        acc = m[0] | m[1]
        for k in range(2, m.shape[0]):
            acc = acc | m[k]
        return acc == 0

    def where(self, cond: Any, a: Any, b: Any, n: int) -> Any:
        """Row-wise choice between two masks (either may be NONE or a single bit)."""
        np = self.np
        if a is NONE and b is NONE:
            return NONE
        if isinstance(cond, bool) or getattr(cond, "ndim", 1) == 0:
            return a if cond else b
        c = cond if self.words == 1 else cond[None, :]
        wide = 1 if self.words == 1 else 2
        if b is NONE and getattr(a, "ndim", 0) >= wide:  # multiplying by a bool is cheaper than choosing
            return a * c
        if a is NONE and getattr(b, "ndim", 0) >= wide:
            return b * ~c
        zero = np.uint64(0) if self.words == 1 else np.zeros((self.words, 1), dtype=np.uint64)
        a = zero if a is NONE else a
        b = zero if b is NONE else b
        out = np.where(c, a, b)
        shape = (n,) if self.words == 1 else (self.words, n)
        return out if out.shape == shape else np.broadcast_to(out, shape).copy()

    def full(self, m: Any, n: int) -> Any:
        """A mask as a full array of n rows (zeros for NONE): shape (n,), or (W, n)."""
        np = self.np
        shape = (n,) if self.words == 1 else (self.words, n)
        if m is NONE:
            return np.zeros(shape, dtype=np.uint64)
        if m.shape == shape:
            return m
        return np.broadcast_to(m, shape).copy()

    def encode(self, names: Iterable[str]) -> int:
        out = 0
        for name in names:
            out |= 1 << self.index[name]
        return out
