"""`policyrules serve`: the HTTP API and the case page, on uvicorn."""

from __future__ import annotations

import argparse

from rich.console import Console

from policyrules.engine.words import word

from ..output import add_lang_option
from ._common import EXIT_OK


def cmd_serve(args: argparse.Namespace, out: Console) -> int:
    from ..http import Settings, create_app, require_web

    require_web()
    import uvicorn

    settings = Settings(
        packs=tuple(args.pack),
        max_body=args.max_body,
        max_upload=args.max_upload,
        max_rows=args.max_rows,
        timeout=args.timeout,
        workers=args.workers,
        cors_origins=tuple(args.cors_origin),
    )
    app = create_app(settings)
    print(f"policyrules: {word('cli.serving', args.lang, n=len(app.state.served.catalogue.ids))}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    from ..http.settings import Settings

    d = Settings()  # defaults only; FastAPI is not imported until the server starts
    p = sub.add_parser("serve", help="HTTP API and case page (needs the web extra)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default %(default)s)")
    p.add_argument(
        "--pack",
        action="append",
        default=[],
        metavar="FILE",
        help="also serve this pack file (repeatable); requests can name only shipped and configured packs",
    )
    p.add_argument(
        "--max-body", type=int, default=d.max_body, metavar="BYTES", help="largest request body (default %(default)s)"
    )
    p.add_argument(
        "--max-upload",
        type=int,
        default=d.max_upload,
        metavar="BYTES",
        help="largest batch upload (default %(default)s)",
    )
    p.add_argument(
        "--max-rows", type=int, default=d.max_rows, metavar="N", help="most cases in one batch (default %(default)s)"
    )
    p.add_argument(
        "--timeout", type=float, default=d.timeout, metavar="SECONDS", help="work per request (default %(default)g)"
    )
    p.add_argument("--workers", type=int, default=d.workers, help="requests computed at once (default %(default)s)")
    p.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="allow browser pages from this origin to call the API (repeatable; default: none)",
    )
    p.add_argument(
        "--log-level",
        default="info",
        choices=("critical", "error", "warning", "info", "debug"),
        help="server log level (default %(default)s)",
    )
    add_lang_option(p, "language of this command's messages (default zh); each request chooses with Accept-Language")
    p.set_defaults(run=cmd_serve)
