"""``moto-ivschat-server``: moto's server with ivschat registered, for clients in any language.

ivschat requests go straight to moto's app for ivschat, behind a guard that answers
bad HTTP with AWS-style JSON errors; every other request goes to moto's own
dispatcher, as under ``moto_server``. waitress serves it: one IO thread reads every
connection and hands only complete requests to a pool of worker threads, so a slow
or silent client holds no worker. ivschat's backend guards its state with a lock.
"""

from __future__ import annotations

import contextlib
import enum
import re
import socket
import threading
import traceback
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any, cast
from urllib.parse import unquote

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from waitress import wasyncore
from waitress.buffers import OverflowableBuffer
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser, ParsingError
from waitress.receiver import ChunkedReceiver, FixedStreamReceiver
from waitress.server import BaseWSGIServer, create_server
from waitress.task import ErrorTask, Task, WSGITask
from waitress.utilities import BadRequest, Error, RequestEntityTooLarge, RequestHeaderFieldsTooLarge

from .ivschat.exceptions import MissingAuthenticationTokenException, ServerError
from .ivschat.responses import post_operations
from .ivschat.urls import url_bases
from .registration import SERVICE

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

#: Largest ivschat request body accepted. The service documents none; its largest
#: valid request (TagResource with 50 tags) is about 20 KB.
MAX_BODY_BYTES = 1 << 20
#: Largest body of a request for another service (S3 uploads); waitress's default.
MAX_OTHER_BODY_BYTES = 1 << 30
#: Longest request line (``POST /CreateRoom HTTP/1.1``, the URL in effect), as nginx's and Apache's.
MAX_REQUEST_LINE_BYTES = 8 << 10
#: Most header fields in a request, as Apache's ``LimitRequestFields``.
MAX_HEADER_FIELDS = 100
#: Largest request line and header block together, up to and including the blank line.
MAX_HEADER_BYTES = 64 << 10
#: An oversized ivschat body up to this size is read and dropped (never kept) before
#: the 413, so that the client sees the answer rather than a reset; a larger one is
#: answered at once.
_DRAIN_LIMIT = 16 << 20
#: Threads running the application, each on a request the IO thread has read whole.
_WORKER_THREADS = 16
#: Pending connections the kernel queues for the server: room for bursts of clients.
_BACKLOG = 1024
#: Connections open at once; past it, new ones wait in the backlog until one closes.
_CONNECTION_LIMIT = 4096
#: Seconds a connection may stay silent (idle between requests, or stalled in one)
#: before the server closes it; it is checked every ``_CLEANUP_INTERVAL`` seconds.
_IDLE_TIMEOUT = 60
_CLEANUP_INTERVAL = 10
#: Seconds to wait for the IO loop's thread to end (its poll wakes up every second).
_STOP_TIMEOUT = 5
#: Open files kept beyond the connections (modules, logs, body buffers, the listener).
_SPARE_FILES = 64

_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/\s,]+/\d{8}/[^/\s,]+/(?P<service>[^/\s,]+)/aws4_request")
_SIGV2 = re.compile(r"AWS [^\s:]+:\S+")
_IVSCHAT_HOST = re.compile(url_bases[0])
_MOTO_PATHS = ("/moto-api", "/latest/meta-data/", "/latest/api/", "/favicon.ico")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


_INTERNAL_FAILURE = ServerError(500, "InternalFailure", "The server could not complete the request")
_MISSING_TOKEN = MissingAuthenticationTokenException()
_INCOMPLETE_SIGNATURE = ServerError(
    403,
    "IncompleteSignatureException",
    "The Authorization header is not a SigV4 signature with a credential scope "
    "(Credential=<key>/<date>/<region>/<service>/aws4_request)",
)


class _Route(enum.Enum):
    """Where a request goes, told from its path, ``Host`` and ``Authorization`` alone."""

    MOTO = enum.auto()
    IVSCHAT = enum.auto()
    UNSIGNED_IVSCHAT = enum.auto()
    BAD_SIGNATURE = enum.auto()


def _route(path: str, host: str, authorization: str | None) -> _Route:
    if path.startswith(_MOTO_PATHS):
        return _Route.MOTO
    ivschat_host = _IVSCHAT_HOST.match(f"http://{host}") is not None
    if authorization is None:
        # Without a credential scope moto cannot tell the service or region:
        # an unsigned ivschat call would reach S3, moto's fallback.
        return _Route.UNSIGNED_IVSCHAT if ivschat_host or _looks_like_ivschat(path) else _Route.MOTO
    scope = _CREDENTIAL_SCOPE.search(authorization)
    if scope is None and not _SIGV2.fullmatch(authorization):
        return _Route.BAD_SIGNATURE
    signed_for = scope.group("service").lower() if scope else None
    if signed_for == SERVICE or (signed_for is None and ivschat_host):
        return _Route.IVSCHAT
    return _Route.MOTO


def _looks_like_ivschat(path: str) -> bool:
    """Whether an unsigned request's path names an ivschat operation."""
    return path[1:] in post_operations() or (path.startswith("/tags/") and ":ivschat:" in unquote(path))


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
            return self._app_for(environ)(environ, start_response)
        except Exception:
            # A crash inside moto (raised before it starts a response) answers
            # JSON, never an HTML page.
            traceback.print_exc()
            return _INTERNAL_FAILURE(environ, start_response)

    def _app_for(self, environ: dict[str, Any]) -> WSGIApp:
        route = _route(
            environ.get("PATH_INFO", ""), environ.get("HTTP_HOST", ""), environ.get("HTTP_AUTHORIZATION")
        )
        if route is _Route.IVSCHAT:
            _as_json(environ)
            return self._ivschat
        if route is _Route.UNSIGNED_IVSCHAT:
            return _MISSING_TOKEN
        if route is _Route.BAD_SIGNATURE:
            return _INCOMPLETE_SIGNATURE
        return self._moto


def _as_json(environ: dict[str, Any]) -> None:
    """ivschat takes JSON only: a form content type (``curl -d`` sends one) would make
    the framework parse the body as a form and hand moto an empty one."""
    if environ.get("CONTENT_TYPE", "").startswith(_FORM_TYPES):
        environ["CONTENT_TYPE"] = "application/json"


class _UriTooLong(BadRequest):
    """The answer to a request line over ``MAX_REQUEST_LINE_BYTES``."""

    code = 414
    reason = "URI Too Long"


class _Dropped(OverflowableBuffer):
    """A body buffer that keeps nothing and counts what it is given: an oversized body, read to be dropped."""

    def __init__(self, size: int) -> None:
        super().__init__(0)
        self.size = size

    def __len__(self) -> int:
        return self.size

    def append(self, s: bytes) -> None:
        self.size += len(s)


class _RequestParser(HTTPRequestParser):
    """waitress's request parser, with the checks it leaves out.

    RFC 9112's rules on framing that waitress does not apply (``Transfer-Encoding``
    with ``Content-Length``, or outside HTTP/1.1), limits on the request line and on
    the number of header fields, and ivschat's own limit on the body.
    """

    path: str  # set by parse_header (types-waitress leaves it out)
    _request_line_read = False
    _ivschat = False

    def received(self, data: bytes) -> int:
        if not self._request_line_read and not self.completed:
            # A request line still being received is checked as it grows.
            head = (self.header_plus + data).lstrip()
            end = head.find(b"\r\n")
            if (len(head) if end < 0 else end) > MAX_REQUEST_LINE_BYTES:
                self._reject(_UriTooLong(f"the request line is longer than {MAX_REQUEST_LINE_BYTES} bytes"))
                return len(data)
            self._request_line_read = end >= 0
        consumed = super().received(data)
        if self._ivschat and self.error is None and self.body_rcv is not None:
            self._limit_ivschat_body(self.body_rcv)
        return consumed

    def parse_header(self, header_plus: bytes) -> None:
        super().parse_header(header_plus)
        if header_plus.count(b"\r\n") - 2 > MAX_HEADER_FIELDS:
            self._reject(RequestHeaderFieldsTooLarge(f"more than {MAX_HEADER_FIELDS} header fields"))
            return
        if self.chunked and "CONTENT_LENGTH" in self.headers:
            raise ParsingError("Transfer-Encoding and Content-Length together")
        if self.version != "1.1" and "TRANSFER_ENCODING" in self.headers:
            raise ParsingError(f"Transfer-Encoding in an HTTP/{self.version} request")
        route = _route(self.path, self.headers.get("HOST", ""), self.headers.get("AUTHORIZATION"))
        self._ivschat = route is _Route.IVSCHAT
        if self._ivschat and self.content_length > _DRAIN_LIMIT:
            self._reject(_ivschat_body_too_large())

    def _limit_ivschat_body(self, receiver: ChunkedReceiver | FixedStreamReceiver) -> None:
        """Drop an ivschat body past ``MAX_BODY_BYTES``; 413 once it ends or passes ``_DRAIN_LIMIT``."""
        size = len(receiver)
        if size <= MAX_BODY_BYTES:
            return
        if self.body_bytes_received > _DRAIN_LIMIT:
            self._reject(_ivschat_body_too_large())
            return
        if not isinstance(receiver.buf, _Dropped):
            receiver.buf.close()
            receiver.buf = _Dropped(size)
        if self.completed:
            self.error = _ivschat_body_too_large()

    def _reject(self, error: Error) -> None:
        """Answer ``error`` now, reading no more of the request."""
        self.error = error
        self.completed = True
        self.expect_continue = False
        if self.body_rcv is not None:
            self.body_rcv.getbuf().close()
            self.body_rcv = None


def _ivschat_body_too_large() -> RequestEntityTooLarge:
    return RequestEntityTooLarge(f"an ivschat request body is larger than {MAX_BODY_BYTES} bytes")


#: The AWS error code of each status waitress answers itself.
_SERVER_ERROR_CODES = {
    400: "ValidationException",
    413: "RequestEntityTooLargeException",
    414: "RequestUriTooLongException",
    431: "RequestHeaderFieldsTooLargeException",
    # S3's code for a transfer coding it does not implement.
    501: "NotImplemented",
}


def _server_error(error: Error) -> ServerError:
    code = _SERVER_ERROR_CODES.get(error.code, "InternalFailure")
    members = {"reason": "OTHER"} if code == "ValidationException" else {}
    return ServerError(error.code, code, f"{error.reason}: {error.body}", **members)


class _NamesAsSent(Task):
    """A task that sends header names spelled as the application gave them; waitress capitalizes each word.

    Clients read some names back: botocore's S3 ``Metadata`` keys are what follows
    ``x-amz-meta-`` in them.
    """

    def build_response_header(self) -> bytes:
        names = [name.encode("latin-1") for name, _ in self.response_headers]
        spelled = {name.lower(): name for name in names}
        status_line, *fields = super().build_response_header().split(b"\r\n")
        for index, field in enumerate(fields):
            name, colon, value = field.partition(b":")
            fields[index] = spelled.get(name.lower(), name) + colon + value
        return b"\r\n".join([status_line, *fields])


class _WSGITask(_NamesAsSent, WSGITask):
    pass


class _AwsErrorTask(_NamesAsSent, ErrorTask):
    """waitress's answer to a request it cannot take, as an AWS-style JSON error; the connection closes."""

    def execute(self) -> None:
        # types-waitress calls a task's request an Error; it is the parser.
        error = cast(HTTPRequestParser, self.request).error
        assert error is not None
        answer = _server_error(error)
        body = answer.get_body().encode()
        self.status = f"{answer.status} {HTTPStatus(answer.status).phrase}"
        self.response_headers = [*self.response_headers, *answer.get_headers()]
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class _Channel(HTTPChannel):
    parser_class = _RequestParser
    task_class = _WSGITask
    error_task_class = _AwsErrorTask


def build_server(
    host: str,
    port: int,
    connection_limit: int = _CONNECTION_LIMIT,
    socket_map: dict[int, Any] | None = None,
) -> BaseWSGIServer:
    """A listening waitress server for :class:`ServerApp` (``port`` 0 picks a free port).

    ``socket_map`` is where it keeps its connections (waitress's own, if not given).
    """
    family, _, _, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    listener = socket.create_server(address, family=family)
    server = create_server(
        ServerApp(),
        map=socket_map,
        sockets=[listener],
        threads=_WORKER_THREADS,
        backlog=_BACKLOG,
        connection_limit=connection_limit,
        channel_timeout=_IDLE_TIMEOUT,
        cleanup_interval=_CLEANUP_INTERVAL,
        max_request_header_size=MAX_HEADER_BYTES + 1,
        max_request_body_size=MAX_OTHER_BODY_BYTES + 1,
        # poll(): select() cannot watch descriptors past 1023.
        asyncore_use_poll=True,
        # Hand every header on as sent, as moto_server does; nothing here is a proxy.
        clear_untrusted_proxy_headers=False,
        # A client that goes away mid-request is no server error.
        log_socket_errors=False,
    )
    assert isinstance(server, BaseWSGIServer)  # one listening socket
    server.channel_class = _Channel
    return server


def connections_allowed(connections: int = _CONNECTION_LIMIT) -> int:
    """Raise the open-files limit for ``connections`` as far as allowed; the number of connections it fits."""
    try:
        import resource
    except ImportError:  # Windows: no such limit to raise
        return connections
    wanted = connections + _SPARE_FILES
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        raised = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        with contextlib.suppress(ValueError, OSError):  # a system-wide cap below it
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
            soft = raised
    return connections if soft == resource.RLIM_INFINITY else min(connections, soft - _SPARE_FILES)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def url_of(server: BaseWSGIServer) -> str:
    """``http://HOST:PORT`` of a server built by :func:`build_server`."""
    host, port = server.getsockname()
    return f"http://{_url_host(host)}:{port}"


class ThreadedServer:
    """A :func:`build_server` server answering on a daemon thread of this process."""

    def __init__(self, host: str, port: int) -> None:
        self._connections: dict[int, Any] = {}
        self._server = build_server(host, port, socket_map=self._connections)
        self.url = url_of(self._server)
        self._thread = threading.Thread(target=self._server.run, name="moto-ivschat-server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving: the worker threads, every connection, and the thread of the IO loop."""
        self._server.task_dispatcher.shutdown()
        wasyncore.close_all(self._connections)
        self._thread.join(_STOP_TIMEOUT)


def serve_in_thread(host: str = "127.0.0.1", port: int = 0) -> ThreadedServer:
    """Serve on ``host``:``port`` (0: a free port) from a thread of this process, sharing its state."""
    return ThreadedServer(host, port)
