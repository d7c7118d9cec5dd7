"""What every command shares: exit codes, the evaluation date, writing to a file or standard output."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Optional

from policyrules.dates import parse_iso_date

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

SOURCES_HELP = "directory of source texts (default: $POLICYRULES_SOURCES or ../shared/sources)"


def as_of(text: Optional[str]) -> date:
    if text is None:
        return date.today()
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise SystemExit(f"policyrules: --as-of: {exc}") from None


def write(text: str, path: Optional[str]) -> None:
    if path:
        Path(path).write_text(text, encoding="utf-8")
    else:
        print(text, end="" if text.endswith("\n") else "\n")
