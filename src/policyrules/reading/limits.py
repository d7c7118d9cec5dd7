"""Limits on input files, checked while reading, before any expensive work.

A pack or a case is data from outside. Each limit below bounds the time and
memory one file can cost, so that a hostile or broken file fails in well
under a second with its file and line instead of busying the process:

* ``max_bytes``: the file's size (read stops one byte past it);
* ``max_depth``: nesting of mappings and lists;
* ``max_nodes``: values in the file, counting those an alias repeats;
* ``max_aliases`` / ``max_alias_nodes``: YAML aliases (``*name``) and the
  size of what one alias may repeat. Case files take none; packs take a few
  small ones (a shared list of notes), which stops exponential expansion;
* ``max_string``: characters in one string;
* ``max_number_chars``: characters in one number as written (Python's own
  limit on integer text is 4,300 digits, far past any figure in a policy).

Pass your own :class:`Limits` (``dataclasses.replace(PACK_LIMITS, ...)``) to
``load_pack``'s reader or ``load_case`` to raise or lower them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_depth: int
    max_nodes: int
    max_aliases: int
    max_alias_nodes: int
    max_string: int
    max_number_chars: int


PACK_LIMITS = Limits(
    max_bytes=5 * 1024 * 1024,
    max_depth=40,
    max_nodes=500_000,
    max_aliases=100,
    max_alias_nodes=1_000,
    max_string=100_000,
    max_number_chars=40,
)
"""Rule packs and YAML test files: 5 MB; at most 100 aliases of at most 1,000 values each."""

CASE_LIMITS = Limits(
    max_bytes=1024 * 1024,
    max_depth=40,
    max_nodes=200_000,
    max_aliases=0,
    max_alias_nodes=0,
    max_string=10_000,
    max_number_chars=40,
)
"""Case files: 1 MB, no aliases."""

MAX_PROBLEMS = 100
"""An error lists at most this many problems (then says how many more there were)."""
