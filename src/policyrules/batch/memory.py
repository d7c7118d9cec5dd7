"""Freed memory kept for reuse while a batch runs (glibc only; elsewhere nothing changes).

A chunk's evaluation allocates and frees hundreds of column-sized temporary
arrays. With glibc's defaults each large one is mapped from the kernel and
unmapped again when freed (or the heap is trimmed), so the next one pays a
page fault for every 4 KiB, zeroed by the kernel: profiled on baotou, that
took more time than the arithmetic (the column pass ran 2.5–3× faster with
freed memory kept; docs/batch.md, "Speed"). While at least one batch runs,
large blocks come from the heap and up to 1 GiB freed at its top is kept;
when the last run ends the defaults' thresholds return and the heap is
trimmed, so a long-lived process gives the memory back.

``POLICYRULES_BATCH_KEEP_MEMORY=0`` leaves the allocator alone.

The setting is the process's, not the run's: glibc has one pair of thresholds
for every thread and arena, so while a batch runs, other threads of the same
process (an HTTP server's other requests, say) allocate under it too. That is
safe, and why it is not scoped further:

* it changes where freed blocks wait and when they go back to the kernel, never
  what any allocation holds or how long it lives, so no result can change;
* the only cost to another thread is memory kept: at most 1 GiB of freed heap
  above what is in use, and only until the last run ends (runs are counted, so
  one run ending does not pull the setting from under another);
* on return the thresholds are set to glibc's initial values and the heap is
  trimmed. Setting them explicitly turns off glibc's own raising of the mmap
  threshold as large blocks are freed; the process then allocates as a freshly
  started one does, which is correct, if a little slower for large blocks.

A process that must not share its allocator's behaviour with a batch runs the
batch with ``POLICYRULES_BATCH_KEEP_MEMORY=0``, or in a process of its own
(``policyrules batch``, a Dask worker).
"""

from __future__ import annotations

import ctypes
import os
import platform
import threading
from contextlib import contextmanager
from typing import Any, Iterator, Optional

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_DEFAULT = 128 * 1024  # both thresholds' glibc default
_KEPT = 1 << 30  # freed memory kept at the heap's top while a batch runs
_FROM_HEAP = 32 << 20  # blocks below this come from the heap, not a fresh mapping

_lock = threading.Lock()
_running = 0


def _glibc() -> Optional[Any]:
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    try:
        libc = ctypes.CDLL(None)
        return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


@contextmanager
def keeping_freed_memory() -> Iterator[None]:
    """Within: freed blocks are reused without returning to the kernel (counted across threads)."""
    global _running
    libc = None if os.environ.get("POLICYRULES_BATCH_KEEP_MEMORY") == "0" else _glibc()
    if libc is None:
        yield
        return
    with _lock:
        if _running == 0:
            libc.mallopt(_M_MMAP_THRESHOLD, _FROM_HEAP)
            libc.mallopt(_M_TRIM_THRESHOLD, _KEPT)
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0:
                libc.mallopt(_M_MMAP_THRESHOLD, _DEFAULT)
                libc.mallopt(_M_TRIM_THRESHOLD, _DEFAULT)
                libc.malloc_trim(0)
