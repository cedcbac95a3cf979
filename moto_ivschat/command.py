"""``moto-ivschat-server`` (and ``python -m moto_ivschat``): the command that runs the server.

It parses its arguments before importing anything heavy, so ``--help`` and
``--version`` answer at once, and a missing ``server`` extra is reported plainly.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal

from . import __version__

#: The packages only the ``server`` extra brings (moto's Flask app, and waitress).
_SERVER_EXTRA = frozenset({"flask", "flask_cors", "waitress"})


def main(argv: list[str] | None = None) -> None:
    """Run the server until interrupted (SIGINT or SIGTERM)."""
    parser = argparse.ArgumentParser(
        prog="moto-ivschat-server",
        description="moto's server with Amazon IVS Chat (ivschat): every moto service, one endpoint.",
    )
    parser.add_argument("-H", "--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    parser.add_argument(
        "-p", "--port", type=int, default=5000, help="port to bind, 0 for any free one (default: %(default)s)"
    )
    parser.add_argument(
        "--messaging-port",
        type=int,
        default=None,
        help="also serve the Chat Messaging API (WebSocket) on this port, 0 for any free one (default: off)",
    )
    parser.add_argument(
        "--messaging-compression",
        choices=["deflate"],
        default=None,
        help="let the Chat Messaging API accept permessage-deflate when a client offers it (default: off)",
    )
    parser.add_argument("--version", action="version", version=f"moto-ivschat-server {__version__}")
    args = parser.parse_args(argv)
    try:
        from . import server
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] not in _SERVER_EXTRA:
            raise
        parser.exit(
            1,
            f"moto-ivschat-server needs the server extra ({error.name} is not installed): "
            "pip install 'moto-ivschat[server]'\n",
        )
    try:
        http = server.build_server(args.host, args.port, server.connections_allowed())
    except OSError as error:
        parser.exit(1, f"moto-ivschat-server: cannot listen on {args.host}:{args.port}: {error}\n")
    url = server.url_of(http)
    # moto builds some URLs (e.g. SQS queue URLs) from MOTO_PORT.
    os.environ.setdefault("MOTO_PORT", url.rpartition(":")[2])
    print(f"moto-ivschat-server listening on {url}", flush=True)
    chat = None
    if args.messaging_port is not None:
        # Imported only when asked for: the HTTP server alone never loads websockets.
        from .messaging import start_chat_server

        try:
            chat = start_chat_server(args.host, args.messaging_port, compression=args.messaging_compression)
        except OSError as error:
            http.close()
            parser.exit(
                1, f"moto-ivschat-server: cannot listen on {args.host}:{args.messaging_port}: {error}\n"
            )
        print(f"moto-ivschat-server chat messaging on {chat.url}", flush=True)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    # waitress warns whenever requests wait for a free worker thread: a burst of
    # clients is no news for a development server.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    try:
        # Returns on KeyboardInterrupt, once the worker threads are stopped.
        http.run()
    finally:
        http.close()
        if chat is not None:
            chat.stop()
