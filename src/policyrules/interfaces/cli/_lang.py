"""The command line's own words in Chinese or English: --help, usage, and argparse's messages.

Help is printed while the arguments are being parsed, so the language is read from the command line
before the parser is built: ``--lang en`` (or ``--lang=en``) anywhere on it, before or after ``--help``;
Chinese otherwise. Help texts are written in English beside their options, as gettext's msgids are,
and said in Chinese through ``engine.words.CLI_ZH``, which also holds argparse's own msgids ("usage: ",
"the following arguments are required: %s"): argparse asks gettext for every word it prints, and while
the command line is parsed it asks this module instead.
"""

from __future__ import annotations

import argparse
import unicodedata
from contextlib import contextmanager
from typing import Iterator, Sequence

from policyrules.engine.words import CLI_ZH
from policyrules.types import DEFAULT_LANG, LANGS, Lang

# ``--lang`` as argparse also accepts it, abbreviated ("--la en"): "--l" alone would also be --log-level
_SPELLINGS = ("--la", "--lan", "--lang")

_current: Lang = "en"  # the language argparse speaks: English unless inside ``speaking``


def lang_of(argv: Sequence[str]) -> Lang:
    """The language asked for on the command line (the last --lang given wins, as in argparse)."""
    chosen: Lang = DEFAULT_LANG
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        name, eq, value = arg.partition("=")
        if name not in _SPELLINGS:
            continue
        if not eq:
            value = argv[i + 1] if i + 1 < len(argv) else ""
        if value in LANGS:
            chosen = value  # type: ignore[assignment]
    return chosen


def said(text: str) -> str:
    """``text`` (an English msgid) in the language argparse is speaking; as it is when there is no Chinese."""
    return CLI_ZH.get(text, text) if _current == "zh" else text


def _ngettext(singular: str, plural: str, n: int) -> str:
    return said(singular if n == 1 else plural)


@contextmanager
def speaking(lang: Lang) -> Iterator[None]:
    """argparse's words, and the help texts of parsers built meanwhile, in ``lang``."""
    global _current
    saved = (_current, argparse._, argparse.ngettext)  # type: ignore[attr-defined]
    _current = lang
    argparse._ = said  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        _current, argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def localise(parser: argparse.ArgumentParser) -> None:
    """Say every help text and placeholder of ``parser`` and its subcommands in the current language.

    A subcommand's help (its line in ``policyrules --help``) is also the description its own ``--help``
    opens with.
    """
    parser.formatter_class = HelpFormatter
    parser.description = said(parser.description) if parser.description else None
    parser.epilog = said(parser.epilog) if parser.epilog else None
    for action in parser._actions:
        if action.help not in (None, argparse.SUPPRESS):
            action.help = said(action.help)  # type: ignore[arg-type]
        if isinstance(action, argparse._SubParsersAction):
            helps = {c.dest: c for c in action._choices_actions}
            if _current == "zh":
                action.metavar = said("COMMAND")
            for name, sub in action.choices.items():
                if name in helps:
                    helps[name].help = said(helps[name].help)  # type: ignore[arg-type]
                    sub.description = sub.description or helps[name].help
                localise(sub)
        elif action.nargs != 0 and action.choices is None:
            placeholder = action.metavar or (action.dest.upper() if action.option_strings else action.dest)
            if isinstance(placeholder, str) and said(placeholder) != placeholder:
                action.metavar = said(placeholder)


def _width(text: str) -> int:
    # a Chinese character takes two columns of a terminal
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, lining up and wrapping Chinese by the columns it takes on a terminal, not its length."""

    def format_help(self) -> str:
        text = super().format_help()
        prefix = said("usage: ")
        extra = _width(prefix) - len(prefix)
        if extra and text.startswith(prefix):  # the usage's next lines line up under the Chinese prefix
            usage, blank, rest = text.partition("\n\n")
            lines = usage.rstrip("\n")
            text = lines.replace("\n", "\n" + " " * extra) + usage[len(lines) :] + blank + rest
        for title in (said("positional arguments"), said("options")):
            if _width(title) != len(title):  # a Chinese heading ends with a Chinese colon
                text = text.replace(f"\n{title}:\n", f"\n{title}：\n")
        return text

    def _format_action(self, action: argparse.Action) -> str:
        text = super()._format_action(action)
        invocation = self._format_action_invocation(action)
        extra = _width(invocation) - len(invocation)
        first, nl, rest = text.partition("\n")
        at = first.find(invocation)
        if not extra or at < 0 or not first[at + len(invocation) :].strip():
            return text
        end = at + len(invocation)
        column = len(first) - len(first[end:].lstrip(" "))  # where argparse put the help
        if column - end - extra >= 2:
            first = first[:end] + " " * (column - end - extra) + first[column:]
        else:  # no room beside it: the help starts on the next line, as argparse does for a long option
            first = first[:end] + "\n" + " " * column + first[column:]
        return first + nl + rest

    def _split_lines(self, text: str, width: int) -> list[str]:
        if _width(text) == len(text):
            return super()._split_lines(text, width)
        lines: list[str] = []
        line = ""
        for token in _tokens(" ".join(text.split())):
            if line and _width(line + token) > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        return lines + ([line.rstrip()] if line.strip() else [])


def _tokens(text: str) -> list[str]:
    """Where a line may break: before each Chinese character, and at spaces between Latin words."""
    out: list[str] = []
    for c in text:
        wide = unicodedata.east_asian_width(c) in "WF"
        if out and c in _NO_BREAK_BEFORE:
            out[-1] += c
        elif not out or wide or c == " " or unicodedata.east_asian_width(out[-1][-1]) in "WF":
            out.append(c)
        else:
            out[-1] += c
    return out


_NO_BREAK_BEFORE = "，。；：、）》”"
