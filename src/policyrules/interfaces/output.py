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

from policyrules.types import DEFAULT_LANG, LANGS, Lang

# Wide enough that rich never folds or cuts a line when the output is not a terminal.
PLAIN_WIDTH = 100_000

_WORDS: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    "entitlements": ("权益", "Entitlements"),
    "obligations": ("义务", "Obligations"),
    "sanctions": ("惩戒", "Sanctions"),
    "exclusions": ("排除", "Exclusions"),
    "rule": ("规则", "rule"),
    "topic": ("主题", "topic"),
    "what": ("内容", "what"),
    "amount": ("金额", "amount"),
    "citation": ("出处", "citation"),
    "document": ("文号", "document"),
    "clause": ("条款", "clause"),
    "quote": ("原文", "quote"),
    "to": ("对象", "to"),
    "person": ("个人", "person"),
    "unit": ("单位", "unit"),
    "excluded": ("排除的主题", "excluded"),
    "why": ("原因", "why"),
    "withholds": ("扣下", "withholds"),
    "as_of": ("评估日期", "as of"),
    "in_force": ("有效期", "in force"),
    "no_end": ("未规定终止日期", "no end stated"),
    "pack_version": ("规则包版本", "pack version"),
    "pack_hash": ("内容哈希", "hash"),
    "not_in_force": ("不在有效期内", "Not in force"),
    "try_as_of": ("可用 --as-of 指定有效期内的日期", "give a date in force with --as-of"),
    "undecided": ("条规则因缺少事实无法判断", "rules undecided for lack of facts"),
    "needs": ("需要", "needs"),
    "derived": ("推导事实", "derived"),
    "conflict": ("冲突", "Conflict"),
    "error_in": ("规则出错", "Error in"),
    "set_to": ("被设为", "set to"),
    "by": ("由", "by"),
    "notes": ("说明", "notes"),
    "deadline": ("截止日期", "deadline"),
    "status": ("状态", "status"),
    "funded": ("资金来源", "funded by"),
    "duration": ("期限", "duration"),
    "left": ("剩余", "left"),
    "limit": ("次数限制", "limit"),
    "used": ("已用", "used"),
    "missing": ("缺少", "missing"),
    "none": ("无", "none"),
    "fired": ("成立", "fired"),
    "note": ("说明", "note"),
    "shipped_packs": ("内置规则包", "Shipped packs"),
    "pack": ("规则包", "pack"),
    "jurisdiction": ("地区", "jurisdiction"),
    "rules": ("规则数", "rules"),
    "version": ("版本", "version"),
    "inherits": ("继承", "inherits"),
    "passed": ("通过", "passed"),
    "failed": ("失败", "failed"),
    "errors": ("错误", "errors"),
    "warnings": ("警告", "warnings"),
    "case": ("案例", "case"),
}


def word(key: str, lang: Lang) -> str:
    zh, en = _WORDS[key]
    return zh if lang == "zh" else en


def add_lang_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang",
        choices=LANGS,
        default=DEFAULT_LANG,
        help="language of titles, summaries, headings and messages (default zh); quotes stay as printed",
    )


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
