"""Requests that break HTTP/1.1's message framing (RFC 9112) or the server's limits.

Each gets a 4xx AWS-style JSON error (a 501 for a transfer coding the server does
not implement), its connection is closed, and nothing of it is processed; a
request the client cuts short is never processed at all. The server goes on
serving with nothing lost. Every wait is bounded by a socket timeout.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any

import pytest
from server_process import (
    ServerProcess,
    assert_aws_error,
    assert_nothing_lost,
    raw_request,
    read_reply,
)

#: The limits the README documents.
REQUEST_LINE_LIMIT = 8 * 1024
HEADER_FIELDS_LIMIT = 100
HEADER_BLOCK_LIMIT = 64 * 1024

#: A valid CreateRoom body: no request that carries it may create the room.
BODY = b'{"name": "smuggled"}'
SIZE = f"{len(BODY):x}".encode()
#: What follows the data of a one-chunk body: the chunk's CRLF, the last chunk, no trailer.
END = b"\r\n0\r\n\r\n"
CHUNKED = SIZE + b"\r\n" + BODY + END
TE_CHUNKED = [("Transfer-Encoding", "chunked")]


def _send(sock: socket.socket, data: bytes) -> None:
    """Send ``data``; a server that answers and closes before reading it all may reset."""
    with contextlib.suppress(OSError):
        sock.sendall(data)


def _rejected(server: ServerProcess, data: bytes, status: int, code: str) -> dict[str, Any]:
    """Send ``data`` on a new connection (reading the answer meanwhile): the error, and the connection closed.

    Returns the error's body.
    """
    with server.raw_connection(timeout=10) as sock:
        sender = threading.Thread(target=_send, args=(sock, data))
        sender.start()
        try:
            reply = read_reply(sock)
        finally:
            sender.join(timeout=30)
        error = assert_aws_error(reply, status, code)
        assert reply.headers["Connection"] == "close"
        with contextlib.suppress(ConnectionResetError):
            assert sock.recv(1) == b""
    return error


def _create_room(server: ServerProcess, body: bytes, *, extra: list[tuple[str, str]], **kwargs: Any) -> bytes:
    headers = server.signed("POST", "/CreateRoom", BODY)
    return raw_request("POST", "/CreateRoom", headers, body, extra=extra, **kwargs)


BAD_FRAMING = [
    pytest.param(TE_CHUNKED, b"zz\r\n" + BODY + END, {}, id="chunk-size-not-hex"),
    pytest.param(TE_CHUNKED, b"-" + SIZE + b"\r\n" + BODY + END, {}, id="negative-chunk-size"),
    pytest.param(TE_CHUNKED, SIZE + b"g\r\n" + BODY + END, {}, id="chunk-size-with-junk"),
    pytest.param(TE_CHUNKED, SIZE + b"\r\n" + BODY + b"0\r\n\r\n", {}, id="no-crlf-after-chunk"),
    pytest.param(TE_CHUNKED, SIZE + b";=x\r\n" + BODY + END, {}, id="chunk-extension-garbage"),
    pytest.param(TE_CHUNKED, SIZE + b';a="b\r\n' + BODY + END, {}, id="chunk-extension-open-quote"),
    pytest.param([("Content-Length", "-1")], BODY, {}, id="content-length-negative"),
    pytest.param([("Content-Length", f"+{len(BODY)}")], BODY, {}, id="content-length-plus-sign"),
    pytest.param([("Content-Length", "0x14")], BODY, {}, id="content-length-not-decimal"),
    pytest.param(
        [("Content-Length", str(len(BODY))), ("Content-Length", str(len(BODY) + 1))],
        BODY + b" ",
        {},
        id="two-different-content-lengths",
    ),
    pytest.param(
        [*TE_CHUNKED, ("Content-Length", str(len(CHUNKED)))], CHUNKED, {}, id="content-length-and-chunked"
    ),
    pytest.param(TE_CHUNKED, CHUNKED, {"version": "HTTP/1.0"}, id="transfer-encoding-in-http-1.0"),
    pytest.param([("Content-Length ", str(len(BODY)))], BODY, {}, id="space-before-colon"),
    pytest.param([("X-Note", "bare\nline feed")], BODY, {}, id="bare-lf-in-a-field"),
]


@pytest.mark.parametrize(("extra", "body", "kwargs"), BAD_FRAMING)
def test_bad_framing_is_rejected_unprocessed(
    server: ServerProcess,
    room: dict[str, Any],
    extra: list[tuple[str, str]],
    body: bytes,
    kwargs: dict[str, str],
) -> None:
    error = _rejected(server, _create_room(server, body, extra=extra, **kwargs), 400, "ValidationException")
    assert error["reason"] == "OTHER"
    assert_nothing_lost(server, room)


def test_an_unknown_transfer_coding_is_not_implemented(server: ServerProcess, room: dict[str, Any]) -> None:
    request = _create_room(server, BODY, extra=[("Transfer-Encoding", "gzip")])
    _rejected(server, request, 501, "NotImplemented")
    assert_nothing_lost(server, room)


CUT_SHORT = [
    pytest.param([("Content-Length", str(len(BODY) + 10))], BODY, id="body-shorter-than-content-length"),
    pytest.param(TE_CHUNKED, SIZE + b"\r\n" + BODY[:10], id="chunk-cut-short"),
    pytest.param(TE_CHUNKED, SIZE + b"\r\n" + BODY + b"\r\n", id="no-last-chunk"),
    pytest.param(TE_CHUNKED, SIZE + b"\r\n" + BODY + b"\r\n0\r\n", id="no-end-of-trailer"),
]


@pytest.mark.parametrize(("extra", "body"), CUT_SHORT)
def test_a_request_cut_short_is_never_processed(
    server: ServerProcess, room: dict[str, Any], extra: list[tuple[str, str]], body: bytes
) -> None:
    with server.raw_connection(timeout=10) as sock:
        sock.sendall(_create_room(server, body, extra=extra))
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        with contextlib.suppress(ConnectionResetError):
            while chunk := sock.recv(65536):
                answer += chunk
    # Nothing to answer, or an error: never the room.
    assert answer == b"" or answer.startswith(b"HTTP/1.1 4"), answer
    assert_nothing_lost(server, room)


def _list_rooms(server: ServerProcess, target: str = "/ListRooms", fields: int = 0, size: int = 0) -> bytes:
    """A signed ListRooms whose request line is ``target``'s and that has ``fields`` header fields in all.

    With ``size``, one of the fields is padded so that the request line and header
    block together are that many bytes long.
    """
    headers = server.signed("POST", "/ListRooms", b"{}")
    base = raw_request("POST", target, headers, b"{}")
    count = base.count(b"\r\n") - 2
    extra = [(f"X-Pad-{n}", "v") for n in range(max(fields - count, 0))]
    if size:
        grown = len(raw_request("POST", target, headers, b"{}", extra=extra)) - len(b"{}")
        extra[-1] = (extra[-1][0], "v" * (size - grown + 1))
    return raw_request("POST", target, headers, b"{}", extra=extra)


def _request_line(length: int) -> str:
    """A ListRooms target whose request line (``POST <target> HTTP/1.1``) is ``length`` bytes."""
    padding = length - len("POST /ListRooms?pad= HTTP/1.1")
    return "/ListRooms?pad=" + "x" * padding


def test_a_request_at_every_limit_is_served(server: ServerProcess) -> None:
    request = _list_rooms(
        server, _request_line(REQUEST_LINE_LIMIT), fields=HEADER_FIELDS_LIMIT, size=HEADER_BLOCK_LIMIT
    )
    head = request[: request.index(b"\r\n\r\n") + 4]
    assert (head.index(b"\r\n"), head.count(b"\r\n") - 2, len(head)) == (
        REQUEST_LINE_LIMIT,
        HEADER_FIELDS_LIMIT,
        HEADER_BLOCK_LIMIT,
    )
    with server.raw_connection(timeout=10) as sock:
        sock.sendall(request)
        reply = read_reply(sock)
    assert reply.status == 200, reply.body
    assert reply.json() == {"rooms": []}


def _over_the_limit(server: ServerProcess, case: str) -> bytes:
    if case == "request-line":
        return _list_rooms(server, _request_line(REQUEST_LINE_LIMIT + 1))
    if case == "100-kb-url":
        return _list_rooms(server, "/ListRooms?" + "x" * 100_000)
    if case == "header-fields":
        return _list_rooms(server, fields=HEADER_FIELDS_LIMIT + 1)
    if case == "10000-header-fields":
        return _list_rooms(server, fields=10_000)
    if case == "header-block":
        return _list_rooms(server, fields=10, size=HEADER_BLOCK_LIMIT + 1)
    assert case == "10-mb-header"
    return _list_rooms(server, fields=10, size=10 * 1024 * 1024)


@pytest.mark.parametrize(
    ("case", "status", "code"),
    [
        ("request-line", 414, "RequestUriTooLongException"),
        ("100-kb-url", 414, "RequestUriTooLongException"),
        ("header-fields", 431, "RequestHeaderFieldsTooLargeException"),
        ("10000-header-fields", 431, "RequestHeaderFieldsTooLargeException"),
        ("header-block", 431, "RequestHeaderFieldsTooLargeException"),
        ("10-mb-header", 431, "RequestHeaderFieldsTooLargeException"),
    ],
)
def test_a_request_over_a_limit_is_rejected(
    server: ServerProcess, room: dict[str, Any], case: str, status: int, code: str
) -> None:
    _rejected(server, _over_the_limit(server, case), status, code)
    assert_nothing_lost(server, room)
