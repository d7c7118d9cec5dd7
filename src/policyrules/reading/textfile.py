"""Reading an input file's text: bounded, UTF-8, every problem with a line.

The read never blocks on a FIFO without a writer and never reads past the
size limit (``/dev/zero`` fails at once). A UTF-8 byte-order mark, which
Excel and Notepad write, is dropped. Control characters other than tab, line
feed and carriage return are refused here, with their line and column,
because YAML refuses them anyway and JSON only inside strings.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from pathlib import Path

from policyrules.errors import InputError, Location, Phrase, Problem

from .limits import Limits

try:
    import fcntl
except ImportError:  # Windows: no FIFOs to guard against
    fcntl = None  # type: ignore[assignment]

BOM = "\ufeff"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


STDIN = "-"
"""The path that means standard input, as in most command-line tools (a file named '-' is ``./-``)."""


def source_name(path: Path | str) -> str:
    """How errors name the input: the path, or ``<stdin>``."""
    return "<stdin>" if str(path) == STDIN else str(path)


def read_text(path: Path, limits: Limits) -> str:
    """The file's text, or an :class:`InputError` naming the file (and line, where there is one)."""
    return decode(read_bytes(path, limits), source_name(path))


def read_bytes(path: Path, limits: Limits) -> bytes:
    """The file's bytes (standard input's for ``-``), at most ``limits.max_bytes`` of them."""
    data = _read_stdin(limits.max_bytes + 1) if str(path) == STDIN else _read_bytes(path, limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise InputError([Problem.of("file.too_large", Location(source_name(path)), "limit", limit=limits.max_bytes)])
    return data


def _read_stdin(most: int) -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputError([Problem.of("file.no_stdin", Location("<stdin>"))])
    try:
        return stream.read(most)
    except OSError as exc:
        raise InputError([Problem.of("file.stdin_unreadable", Location("<stdin>"), reason=_reason(exc))]) from None


def decode(data: bytes, name: str) -> str:
    """UTF-8 text without a BOM; undecodable bytes and control characters named by line and column."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        row = before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")
        # Shown under the message: control characters (a binary file) are not sent to the terminal, and a
        # line of binary is cut after the bad byte.
        source = _CONTROL.sub("\ufffd", data.split(b"\n")[line - 1].decode("utf-8", errors="replace"))
        source = source[: len(row) + 40]
        raise InputError(
            [Problem.of("file.not_utf8", Location(name, line, len(row) + 1, source), "encoding", byte=data[exc.start])]
        ) from None
    if text.startswith(BOM):
        text = text[1:]
    bad = _CONTROL.search(text)
    if bad is not None:
        raise InputError([Problem.of("file.control_character", locate(text, bad.start(), name), char=bad.group())])
    return text


def locate(text: str, index: int, name: str) -> Location:
    """The 1-based line and column of character ``index`` in ``text``."""
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    source = text[start : end if end >= 0 else len(text)].rstrip("\r")
    return Location(name, line + 1, index - start + 1, source)


def _read_bytes(path: Path, most: int) -> bytes:
    try:
        # O_NONBLOCK so that opening a FIFO without a writer returns at once; reading it then gives end of file.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise InputError([Problem.of("file.unreadable", Location(str(path)), reason=_reason(exc))]) from None
    try:
        if fcntl is not None:
            fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        chunks: list[bytes] = []
        size = 0
        while size < most:
            chunk = os.read(fd, min(1 << 20, most - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError([Problem.of("file.unreadable", Location(str(path)), reason=_reason(exc))]) from None
    finally:
        os.close(fd)


def _reason(exc: OSError) -> Phrase:
    """Why the system would not give us a file, said in the reader's language for the common reasons."""
    key = _OS_REASONS.get(exc.errno or 0)
    return Phrase.of(key) if key else Phrase.of("file.os_error", said=exc.strerror or str(exc))


_OS_REASONS = {
    errno.ENOENT: "file.no_such_file",
    errno.EACCES: "file.permission",
    errno.EISDIR: "file.is_directory",
}
