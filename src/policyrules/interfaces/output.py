"""How the command line writes: the language, the format, and what a pipe gets.

On a terminal, rich tables whose cells wrap (never cut with "…"). Anywhere
else (a pipe, a file, a CI log) plain text or Markdown with every id, 文号,
clause and quote in full, and no colour or progress bars. ``--format json``
(alias ``--json``) is the same on every command.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from typing import Any, Iterator, Optional, Sequence, TextIO

from rich.console import Console
from rich.table import Table

from policyrules.types import DEFAULT_LANG, LANGS

# Wide enough that rich never folds or cuts a line when the output is not a terminal.
PLAIN_WIDTH = 100_000


def add_lang_option(
    p: argparse.ArgumentParser,
    help: str = "language of titles, summaries, headings and messages (default zh); quotes stay as printed",
) -> None:
    p.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG, help=help)


def add_format_option(p: argparse.ArgumentParser, choices: Sequence[str] = ("text", "markdown", "json")) -> None:
    p.add_argument(
        "--format",
        choices=tuple(choices),
        default="text",
        help="text (a table on a terminal, plain lines elsewhere), "
        + ", ".join(c for c in choices if c != "text")
        + " (default text)",
    )
    p.add_argument("--json", dest="format", action="store_const", const="json", help="the same as --format json")


def is_terminal(stream: Optional[TextIO] = None) -> bool:
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def make_console(stream: Optional[TextIO] = None) -> Console:
    """A terminal console, or one that writes plain text of unlimited width."""
    if is_terminal(stream):
        return Console(highlight=False, file=stream)
    return Console(
        highlight=False,
        file=stream,
        width=PLAIN_WIDTH,
        no_color=True,
        force_terminal=False,
        soft_wrap=True,
        emoji=False,
    )


def table(console: Console, title: Optional[str] = None, **kwargs: Any) -> Table:
    """A table that fills a terminal and wraps its cells; elsewhere, as wide as its longest cell."""
    kwargs.setdefault("show_lines", True)
    return Table(title=title, expand=console.is_terminal, **kwargs)


def column(t: Table, header: str, **kwargs: Any) -> None:
    # "fold" breaks a long id, 文号 or quote over lines instead of cutting it with "…"
    kwargs.setdefault("overflow", "fold")
    t.add_column(header, **kwargs)


@contextmanager
def progress(console: Console, description: str, total: Optional[int]) -> Iterator[Any]:
    """A progress bar on a terminal; on a pipe or in CI, nothing at all.

    Yields a callable ``advance(n=1)``.
    """
    if not console.is_terminal or os.environ.get("CI"):
        yield lambda n=1: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n=1: bar.advance(task, n)
