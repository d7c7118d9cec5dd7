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

from policyrules.errors import PolicyRulesError

from ..output import make_console
from . import batch, cases, compare, compliance, packs, serve
from ._common import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE

GROUPS = (packs, cases, compare, compliance, serve, batch)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policyrules", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"policyrules {metadata.version('policyrules')}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
    sub = parser.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(sub)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A terminal or pipe that cannot encode Chinese gets escapes, not a UnicodeEncodeError.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    args = build_parser().parse_args(argv)
    out = make_console()
    run: Callable[[argparse.Namespace, Console], int] = args.run
    try:
        return run(args, out)
    except PolicyRulesError as exc:
        print(f"policyrules: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a defect is one line, not a traceback
        if args.debug:
            raise
        print(
            f"policyrules: internal error: {type(exc).__name__}: {exc}\n"
            "policyrules: this is a defect in policyrules; run again with --debug and report the traceback",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
