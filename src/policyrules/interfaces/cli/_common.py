"""What every command shares: exit codes, the evaluation date, writing to a file or standard output."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Optional

from policyrules.dates import parse_iso_date

# The exit-code table (README, "Exit codes"): every command answers with one of these.
EXIT_OK = 0  # done; nothing wrong found
EXIT_FINDINGS = 1  # done, and it found something: check findings, failed tests, quotes not found
EXIT_USAGE = 2  # the command or its input is wrong: usage, a file that does not load, a pack not found
EXIT_INTERNAL = 3  # a defect in policyrules: one line, and the traceback with --debug

SOURCES_HELP = "directory of source texts (default: $POLICYRULES_SOURCES or ../shared/sources)"


def as_of(text: Optional[str]) -> date:
    if text is None:
        return date.today()
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        print(f"policyrules: --as-of: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None


def write(text: str, path: Optional[str]) -> None:
    if path:
        Path(path).write_text(text, encoding="utf-8")
    else:
        print(text, end="" if text.endswith("\n") else "\n")
