"""Bad HTTP gets a 4xx AWS-style JSON error, and the server goes on serving with nothing lost."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from server_process import Reply, ServerProcess, assert_aws_error, assert_nothing_lost

TWO_MB = 2 * 1024 * 1024
TAGS_PATH = "/tags/" + quote("arn:aws:ivschat:us-east-1:123456789012:room/abcdABCD1234", safe="")


def _signed_post(
    server: ServerProcess, path: str, body: bytes, conn: Any = None, content_type: str | None = None
) -> Reply:
    headers = server.signed("POST", path, body)
    if content_type is not None:
        headers["Content-Type"] = content_type
    return server.request("POST", path, body, headers, connection=conn)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param(b'{"name": ', None, id="truncated"),
        pytest.param(b"{name: 'x'}", None, id="not-json"),
        pytest.param(b'{"name": "\xff\xfe"}', None, id="not-utf8"),
        # What `curl -d '...'` sends: the body must still be read as JSON.
        pytest.param(b'{"name": ', "application/x-www-form-urlencoded", id="form-content-type"),
    ],
)
def test_malformed_json(
    server: ServerProcess, room: dict[str, Any], body: bytes, content_type: str | None
) -> None:
    error = assert_aws_error(
        _signed_post(server, "/CreateRoom", body, content_type=content_type), 400, "ValidationException"
    )
    assert error["reason"] == "OTHER"
    assert_nothing_lost(server, room)


@pytest.mark.parametrize("body", [b"[]", b'"room"', b"42", b"null", b"true"])
def test_json_body_that_is_not_an_object(server: ServerProcess, room: dict[str, Any], body: bytes) -> None:
    error = assert_aws_error(_signed_post(server, "/CreateRoom", body), 400, "ValidationException")
    assert error["reason"] == "OTHER"
    assert_nothing_lost(server, room)


@pytest.mark.parametrize(
    ("operation", "members", "field"),
    [
        ("CreateRoom", {"name": 5}, "name"),
        ("CreateRoom", {"maximumMessageLength": "500"}, "maximumMessageLength"),
        ("CreateRoom", {"tags": ["a", "b"]}, "tags"),
        ("CreateRoom", {"loggingConfigurationIdentifiers": "arn"}, "loggingConfigurationIdentifiers"),
        ("CreateChatToken", {"roomIdentifier": 1, "userId": "u"}, "roomIdentifier"),
        ("ListRooms", {"maxResults": 1.5}, "maxResults"),
    ],
)
def test_member_of_the_wrong_type(
    server: ServerProcess, room: dict[str, Any], operation: str, members: dict[str, Any], field: str
) -> None:
    reply = _signed_post(server, f"/{operation}", json.dumps(members).encode())
    error = assert_aws_error(reply, 400, "ValidationException")
    assert error["reason"] == "FIELD_VALIDATION_FAILED"
    assert field in {f["name"] for f in error["fieldList"]}
    assert_nothing_lost(server, room)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/CreateChannel"),
        ("POST", "/a/b/c"),
        ("GET", "/"),
        ("PUT", "/CreateRoom"),
        ("GET", "/CreateRoom"),
        ("PATCH", TAGS_PATH),
    ],
)
def test_unknown_path_or_method(server: ServerProcess, room: dict[str, Any], method: str, path: str) -> None:
    reply = server.request(method, path, b"{}", server.signed(method, path, b"{}"))
    assert assert_aws_error(reply, 400, "ValidationException")["reason"] == "UNKNOWN_OPERATION"
    assert_nothing_lost(server, room)


@pytest.mark.parametrize(
    ("method", "path", "reason"),
    [
        ("POST", "/CreateRoom%0A", "UNKNOWN_OPERATION"),
        ("POST", "/Create%0ARoom", "UNKNOWN_OPERATION"),
        ("POST", "/CreateRoom%0D%0A", "UNKNOWN_OPERATION"),
        ("POST", "/%0A", "UNKNOWN_OPERATION"),
        ("POST", "/a%2F%0A", "UNKNOWN_OPERATION"),
        # A known operation, with an ARN that no resource can have.
        ("GET", TAGS_PATH + "%0A", "FIELD_VALIDATION_FAILED"),
        ("POST", TAGS_PATH + "%0A", "FIELD_VALIDATION_FAILED"),
    ],
)
def test_a_line_break_in_the_path(
    server: ServerProcess, room: dict[str, Any], method: str, path: str, reason: str
) -> None:
    """A percent-encoded line break, decoded into the path that routing matches, still reaches ivschat."""
    reply = server.request(method, path, b"{}", server.signed(method, path, b"{}"))
    assert assert_aws_error(reply, 400, "ValidationException")["reason"] == reason
    assert_nothing_lost(server, room)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/CreateRoom"),
        ("POST", "/ListRooms"),
        ("GET", TAGS_PATH),
    ],
)
def test_missing_authorization_header(
    server: ServerProcess, room: dict[str, Any], method: str, path: str
) -> None:
    reply = server.request(method, path, b"{}", {"Content-Type": "application/json"})
    body = assert_aws_error(reply, 403, "MissingAuthenticationTokenException")
    assert body == {"message": "Missing Authentication Token"}  # as AWS's JSON services say it
    assert_nothing_lost(server, room)


@pytest.mark.parametrize(
    "authorization",
    [
        "garbage",
        "AWS4-HMAC-SHA256",
        "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1, Signature=0",
        "AWS4-HMAC-SHA256 Credential=testing/2024/us-east-1/ivschat/aws4_request",
        "Bearer eyJhbGciOiJIUzI1NiJ9",
        "",
    ],
)
@pytest.mark.parametrize("path", ["/CreateRoom", "/"])
def test_garbled_authorization_header(
    server: ServerProcess, room: dict[str, Any], authorization: str, path: str
) -> None:
    headers = {"Content-Type": "application/json", "Authorization": authorization}
    reply = server.request("POST", path, b'{"name": "intruder"}', headers)
    assert_aws_error(reply, 403, "IncompleteSignatureException")
    assert_nothing_lost(server, room)


def test_two_megabyte_body(server: ServerProcess, room: dict[str, Any]) -> None:
    body = json.dumps({"name": "big", "tags": {"k": "v" * TWO_MB}}).encode()
    reply = _signed_post(server, "/CreateRoom", body)
    assert_aws_error(reply, 413, "RequestEntityTooLargeException")
    assert reply.headers["Connection"] == "close"
    assert_nothing_lost(server, room)


def test_two_megabyte_chunked_body(server: ServerProcess, room: dict[str, Any]) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(32):
            yield b" " * (TWO_MB // 32)
        yield b"{}"

    headers = server.signed("POST", "/CreateRoom", b"")
    headers.pop("Content-Length", None)
    conn = server.connection()
    try:
        conn.request("POST", "/CreateRoom", body=chunks(), headers=headers, encode_chunked=True)
        response = conn.getresponse()
        reply = Reply(response.status, response.headers, response.read())
    finally:
        conn.close()
    assert_aws_error(reply, 413, "RequestEntityTooLargeException")
    assert_nothing_lost(server, room)


def test_bad_requests_leave_a_keep_alive_connection_usable(
    server: ServerProcess, room: dict[str, Any]
) -> None:
    get_room = json.dumps({"identifier": room["arn"]}).encode()
    conn = server.connection()
    try:
        for body in (b"{oops", b"[]", b'{"name": 5}'):
            assert _signed_post(server, "/CreateRoom", body, conn).status == 400
            reply = _signed_post(server, "/GetRoom", get_room, conn)
            assert reply.status == 200
            assert reply.json()["arn"] == room["arn"]
        unsigned = server.request("POST", "/CreateRoom", b"{}", {}, connection=conn)
        assert unsigned.status == 403
        assert _signed_post(server, "/GetRoom", get_room, conn).status == 200
    finally:
        conn.close()
    assert_nothing_lost(server, room)
