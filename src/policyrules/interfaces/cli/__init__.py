"""The ``policyrules`` command. Errors in user input print as file:line: message, never a traceback.

One module per command group; each adds its subcommands in ``register`` and
imports its heavy stages only when one of its commands runs.
"""

from __future__ import annotations

import argparse
import sys
from importlib import metadata
from typing import Callable, Optional, Sequence

from rich.console import Console

from policyrules.engine.words import word
from policyrules.errors import PolicyRulesError
from policyrules.types import DEFAULT_LANG, LANGS, Lang

from ..output import make_console
from . import batch, cases, compare, compliance, packs, serve
from ._common import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE
from ._lang import HelpFormatter, lang_of, localise, speaking

GROUPS = (packs, cases, compare, compliance, serve, batch)


def build_parser(lang: Lang = DEFAULT_LANG) -> argparse.ArgumentParser:
    """The whole command line, its help and argparse's own words in ``lang``."""
    with speaking(lang):
        parser = argparse.ArgumentParser(
            prog="policyrules",
            description="policies as executable, cited rules: evaluate a case, explain it, compare "
            "jurisdictions, check a pack",
            epilog="--lang en anywhere on the command line gives English, --help included (default zh).",
            formatter_class=HelpFormatter,
        )
        parser.add_argument("--version", action="version", version=f"policyrules {metadata.version('policyrules')}")
        parser.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
        # read before the parser is built (lang_of); here so that "policyrules --lang en list" parses
        parser.add_argument("--lang", choices=LANGS, default=argparse.SUPPRESS, help="language of help and output")
        sub = parser.add_subparsers(dest="command", required=True)
        for group in GROUPS:
            group.register(sub)
        localise(parser)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A terminal or pipe that cannot encode Chinese gets escapes, not a UnicodeEncodeError.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    words = list(sys.argv[1:] if argv is None else argv)
    lang = lang_of(words)
    parser = build_parser(lang)
    with speaking(lang):
        args = parser.parse_args(words)
    if hasattr(args, "lang"):
        args.lang = lang  # "policyrules --lang en list": the subcommand's default must not win
    out = make_console()
    run: Callable[[argparse.Namespace, Console], int] = args.run
    try:
        return run(args, out)
    except PolicyRulesError as exc:
        print(f"policyrules: {exc.text(lang)}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a defect is one line, not a traceback
        if args.debug:
            raise
        said = word("cli.internal_error", lang, error=f"{type(exc).__name__}: {exc}")
        print(f"policyrules: {said}\npolicyrules: {word('cli.defect', lang)}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
