"""``moto-ivschat-server``: moto's server with ivschat registered, for clients in any language.

ivschat requests go straight to moto's app for ivschat, behind a guard that answers
bad HTTP with AWS-style JSON errors; every other request goes to moto's own
dispatcher, as under ``moto_server``. Requests are served on a thread pool with
HTTP/1.1 keep-alive (cheroot); ivschat's backend guards its state with a lock.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import signal
import threading
import traceback
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote

from cheroot import wsgi
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from .ivschat.responses import post_operations
from .ivschat.urls import url_bases
from .registration import SERVICE

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

#: Largest ivschat request body accepted. The service documents none; its largest
#: valid request (TagResource with 50 tags) is about 20 KB.
MAX_BODY_BYTES = 1 << 20
#: An oversized body up to this size is read and dropped before the 413, so the
#: client sees the answer rather than a reset; a larger one is not read at all.
_DRAIN_LIMIT = 16 << 20
#: Threads serving requests; an idle keep-alive connection holds none (cheroot parks it).
_WORKER_THREADS = 16

_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/\s,]+/\d{8}/[^/\s,]+/(?P<service>[^/\s,]+)/aws4_request")
_SIGV2 = re.compile(r"AWS [^\s:]+:\S+")
_IVSCHAT_HOST = re.compile(url_bases[0])
_MOTO_PATHS = ("/moto-api", "/latest/meta-data/", "/latest/api/", "/favicon.ico")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class AwsError:
    """An AWS-style JSON error (``x-amzn-ErrorType`` header, ``message`` member) as a WSGI app."""

    def __init__(self, status: int, code: str, message: str, **members: Any) -> None:
        self.status = status
        self.code = code
        self.body = json.dumps({"__type": code, "message": message, **members}).encode()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        headers = [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(self.body))),
            ("x-amzn-ErrorType", self.code),
        ]
        start_response(f"{self.status} {HTTPStatus(self.status).phrase}", headers)
        return [self.body]


_INTERNAL_FAILURE = AwsError(500, "InternalFailure", "The server could not complete the request")
_MISSING_TOKEN = AwsError(
    403,
    "MissingAuthenticationTokenException",
    "Missing Authentication Token: sign the request with SigV4 for service 'ivschat'",
)
_INCOMPLETE_SIGNATURE = AwsError(
    403,
    "IncompleteSignatureException",
    "The Authorization header is not a SigV4 signature with a credential scope "
    "(Credential=<key>/<date>/<region>/<service>/aws4_request)",
)
_TOO_LARGE = AwsError(
    413, "RequestEntityTooLargeException", f"The request body is larger than {MAX_BODY_BYTES} bytes"
)
# Bytes that are not UTF-8 cannot be JSON: the same error as any malformed body.
_NOT_UTF8 = AwsError(400, "ValidationException", "The request body is not valid JSON", reason="OTHER")


class ServerApp:
    """The WSGI application: ivschat's moto app behind a guard, every other request to moto."""

    def __init__(self) -> None:
        # Importing this package registered ivschat with moto.
        self._moto: WSGIApp = DomainDispatcherApplication(create_backend_app)
        # The same app moto's dispatcher would build for ivschat, reached without
        # its per-request scan of every service's host pattern.
        self._ivschat: WSGIApp = create_backend_app(SERVICE)  # type: ignore[arg-type]

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        # moto >= 5.2.5 reads the path as sent (e.g. a percent-encoded ARN) from RAW_URI.
        environ.setdefault("RAW_URI", environ.get("REQUEST_URI", ""))
        try:
            return self._route(environ)(environ, start_response)
        except Exception:
            # A crash inside moto (raised before it starts a response) answers
            # JSON, never an HTML page.
            traceback.print_exc()
            return _INTERNAL_FAILURE(environ, start_response)

    def _route(self, environ: dict[str, Any]) -> WSGIApp:
        path: str = environ.get("PATH_INFO", "")
        if path.startswith(_MOTO_PATHS):
            return self._moto
        ivschat_host = _IVSCHAT_HOST.match(f"http://{environ.get('HTTP_HOST', '')}") is not None
        authorization: str | None = environ.get("HTTP_AUTHORIZATION")
        if authorization is None:
            # Without a credential scope moto cannot tell the service or region:
            # an unsigned ivschat call would reach S3, moto's fallback.
            return _MISSING_TOKEN if ivschat_host or _looks_like_ivschat(path) else self._moto
        scope = _CREDENTIAL_SCOPE.search(authorization)
        if scope is None and not _SIGV2.fullmatch(authorization):
            return _INCOMPLETE_SIGNATURE
        signed_for = scope.group("service").lower() if scope else None
        if signed_for == SERVICE or (signed_for is None and ivschat_host):
            return _guard_ivschat(environ) or self._ivschat
        return self._moto


def _looks_like_ivschat(path: str) -> bool:
    """Whether an unsigned request's path names an ivschat operation."""
    return path[1:] in post_operations() or (path.startswith("/tags/") and ":ivschat:" in unquote(path))


def _guard_ivschat(environ: dict[str, Any]) -> WSGIApp | None:
    """Check an ivschat request before moto sees it; an error app, or None to go on.

    The body is read here (at most ``MAX_BODY_BYTES``) and handed on in memory.
    """
    body = _read_body(environ)
    if body is None:
        return _TOO_LARGE
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return _NOT_UTF8
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    # ivschat takes JSON only; a form content type (curl -d sends one) would make
    # the framework parse the body as a form and hand moto an empty one.
    if environ.get("CONTENT_TYPE", "").startswith(_FORM_TYPES):
        environ["CONTENT_TYPE"] = "application/json"
    return None


def _read_body(environ: dict[str, Any]) -> bytes | None:
    """The request body, or None when it is larger than ``MAX_BODY_BYTES``."""
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH")
    if length:
        size = int(length)
        if size > MAX_BODY_BYTES:
            if size <= _DRAIN_LIMIT:
                _discard(stream, size)
            return None
        return bytes(stream.read(size))
    if environ.get("HTTP_TRANSFER_ENCODING", "").lower() != "chunked":
        return b""
    body = bytes(stream.read(MAX_BODY_BYTES + 1))
    return body if len(body) <= MAX_BODY_BYTES else None


def _discard(stream: Any, size: int) -> None:
    while size > 0:
        chunk = stream.read(min(size, 1 << 16))
        if not chunk:
            return
        size -= len(chunk)


def build_server(host: str, port: int) -> wsgi.Server:
    """A bound cheroot server for :class:`ServerApp` (``port`` 0 picks a free port)."""
    server = wsgi.Server((host, port), ServerApp(), numthreads=_WORKER_THREADS)
    server.prepare()
    return server


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
    args = parser.parse_args(argv)
    try:
        server = build_server(args.host, args.port)
    except OSError as error:
        parser.exit(1, f"moto-ivschat-server: cannot listen on {args.host}:{args.port}: {error}\n")
    bound_host, bound_port = server.bind_addr[:2]
    # moto builds some URLs (e.g. SQS queue URLs) from MOTO_PORT.
    os.environ.setdefault("MOTO_PORT", str(bound_port))
    print(f"moto-ivschat-server listening on http://{_url_host(bound_host)}:{bound_port}", flush=True)
    chat = None
    if args.messaging_port is not None:
        # Imported only when asked for: the HTTP server alone never loads websockets.
        from .messaging import start_chat_server

        try:
            chat = start_chat_server(args.host, args.messaging_port)
        except OSError as error:
            server.stop()
            parser.exit(
                1, f"moto-ivschat-server: cannot listen on {args.host}:{args.messaging_port}: {error}\n"
            )
        print(f"moto-ivschat-server chat messaging on {chat.url}", flush=True)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        if chat is not None:
            chat.stop()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class ThreadedServer:
    """A :func:`build_server` server answering on a daemon thread of this process."""

    def __init__(self, server: wsgi.Server) -> None:
        self._server = server
        host, port = server.bind_addr[:2]
        self.url = f"http://{_url_host(host)}:{port}"
        self._thread = threading.Thread(target=server.serve, name="moto-ivschat-server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self._server.stop()
        self._thread.join()


def serve_in_thread(host: str = "127.0.0.1", port: int = 0) -> ThreadedServer:
    """Serve on ``host``:``port`` (0: a free port) from a thread of this process, sharing its state."""
    return ThreadedServer(build_server(host, port))
