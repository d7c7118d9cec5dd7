"""What every command shares: exit codes, the evaluation date, writing to a file or standard output."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Optional

from policyrules.dates import as_of_date
from policyrules.errors import InputError, Location, Problem

# The exit-code table (README, "Exit codes"): every command answers with one of these.
EXIT_OK = 0  # done; nothing wrong found
EXIT_FINDINGS = 1  # done, and it found something: check findings, failed tests, quotes not found
EXIT_USAGE = 2  # the command or its input is wrong: usage, a file that does not load, a pack not found
EXIT_INTERNAL = 3  # a defect in policyrules: one line, and the traceback with --debug

SOURCES_HELP = "directory of source texts (default: $POLICYRULES_SOURCES or ../shared/sources)"


def as_of(text: Optional[str]) -> date:
    try:
        return as_of_date(text)
    except ValueError as exc:
        # printed as "policyrules: --as-of: …" with exit code 2, like every other input error
        raise InputError([Problem.refused(exc, Location("--as-of"), "argument")]) from None


def write(text: str, path: Optional[str]) -> None:
    if path:
        Path(path).write_text(text, encoding="utf-8")
    else:
        print(text, end="" if text.endswith("\n") else "\n")
