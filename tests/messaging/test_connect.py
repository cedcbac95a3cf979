"""Connecting to a room: the token as subprotocol, the refusals, and the end of a session."""

from __future__ import annotations

import asyncio
import json
import socket
from contextlib import ExitStack
from datetime import datetime, timedelta
from typing import Any

import pytest
from chat_kit import ACCOUNT, ChatKit, backend_room, expect_only_marker, receive, send
from freezegun import freeze_time
from websockets.exceptions import ConnectionClosedOK, InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from moto_ivschat import ivschat_backends
from moto_ivschat.messaging import ChatServer

NOW = datetime(2026, 3, 1, 12, 0)
EXPIRED = {"ErrorCode": 401, "ErrorMessage": "The chat session has expired"}


def refusal(chat: ChatKit, token: str | None) -> tuple[int, dict[str, object]]:
    """Connect with ``token``; return the HTTP status and JSON body of the refusal."""
    with pytest.raises(InvalidStatus) as refused:
        chat.open(token)
    response = refused.value.response
    assert response.headers["Content-Type"] == "application/json"
    return response.status_code, json.loads(bytes(response.body))


def test_the_token_is_the_subprotocol_and_is_echoed(chat: ChatKit) -> None:
    room = chat.create_room()
    token = chat.token(room, capabilities=["SEND_MESSAGE"])
    client = chat.open(token)
    assert client.subprotocol == token
    send(client, Action="SEND_MESSAGE", Content="hi")
    assert receive(client)["Type"] == "MESSAGE"


def test_no_token_is_refused_with_401(chat: ChatKit) -> None:
    assert refusal(chat, None) == (401, {"ErrorCode": 401, "ErrorMessage": "A chat token is required"})


def test_an_unknown_token_is_refused_with_401(chat: ChatKit) -> None:
    chat.create_room()
    assert refusal(chat, "not-a-token-anyone-issued") == (
        401,
        {"ErrorCode": 401, "ErrorMessage": "The chat token is not valid"},
    )


def test_a_token_opens_one_connection_only(chat: ChatKit) -> None:
    room = chat.create_room()
    token = chat.token(room)
    chat.open(token)
    assert ivschat_backends[ACCOUNT]["us-east-1"].chat_tokens[token].used is True
    assert refusal(chat, token) == (
        401,
        {"ErrorCode": 401, "ErrorMessage": "The chat token has already been used"},
    )


def test_an_expired_token_is_refused_by_the_mock_clock(chat: ChatKit) -> None:
    room = chat.create_room()
    with freeze_time(NOW) as clock:
        token = chat.token(room)
        early = chat.token(room, user_id="bob")
        clock.tick(timedelta(hours=1))
        assert refusal(chat, token) == (
            401,
            {"ErrorCode": 401, "ErrorMessage": "The chat token has expired"},
        )
        clock.tick(timedelta(seconds=-1))
        chat.open(early)


def test_a_token_of_a_deleted_room_is_refused_with_404(chat: ChatKit) -> None:
    room = chat.create_room()
    token = chat.token(room)
    chat.ivschat.delete_room(identifier=room["arn"])
    assert refusal(chat, token) == (404, {"ErrorCode": 404, "ErrorMessage": "The room does not exist"})


def test_tokens_of_every_account_and_region_are_accepted(
    chat: ChatKit, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111122223333")
    ivschat = chat.client("ivschat", "eu-west-1")
    room = ivschat.create_room()
    token = ivschat.create_chat_token(roomIdentifier=room["arn"], userId="zoe", capabilities=["SEND_MESSAGE"])
    client = chat.open(token["token"])
    send(client, Action="SEND_MESSAGE", Content="hallo")
    assert receive(client)["Sender"]["UserId"] == "zoe"
    assert [
        m.content for m in ivschat_backends["111122223333"]["eu-west-1"].get_room_by_arn(room["arn"]).messages
    ] == ["hallo"]


def test_a_request_after_the_session_expired_is_refused_and_closes(chat: ChatKit) -> None:
    room = chat.create_room()
    with freeze_time(NOW) as clock:
        client = chat.join(room, capabilities=["SEND_MESSAGE"], sessionDurationInMinutes=1)
        send(client, Action="SEND_MESSAGE", Content="in time", RequestId="r1")
        assert receive(client)["Type"] == "MESSAGE"
        clock.tick(timedelta(minutes=1))
        send(client, Action="SEND_MESSAGE", Content="too late", RequestId="r2")
        error = receive(client)
    assert error == {
        "Type": "ERROR",
        "Id": error["Id"],
        "RequestId": "r2",
        "ErrorCode": 401,
        "ErrorMessage": "The chat session has expired",
    }
    with pytest.raises(ConnectionClosedOK):
        client.recv(timeout=10)
    assert (client.close_code, json.loads(client.close_reason or "")) == (1000, EXPIRED)
    assert [m.content for m in backend_room(room).messages] == ["in time"]


def test_an_idle_connection_is_closed_when_its_session_expires(chat: ChatKit) -> None:
    room = chat.create_room()
    with freeze_time(NOW) as clock:
        token = chat.token(room, sessionDurationInMinutes=1)
        # Half a real second of session left at connect time.
        clock.tick(timedelta(seconds=59.5))
        client = chat.open(token)
    error = receive(client)
    assert (error["Type"], error["RequestId"], error["ErrorCode"]) == ("ERROR", "", 401)
    with pytest.raises(ConnectionClosedOK):
        client.recv(timeout=10)
    # AWS's web sample parses an expired session's close reason as this JSON.
    assert (client.close_code, json.loads(client.close_reason or "")) == (1000, EXPIRED)


def test_a_deleted_room_closes_its_connections_at_once(chat: ChatKit) -> None:
    room = chat.create_room()
    other_room = chat.create_room()
    viewers = [chat.join(room, "bob"), chat.join(room, "carol")]
    outsider = chat.join(other_room, "dave")
    chat.ivschat.delete_room(identifier=room["arn"])
    for viewer in viewers:  # they never sent anything
        error = receive(viewer)
        assert (error["Type"], error["RequestId"], error["ErrorCode"], error["ErrorMessage"]) == (
            "ERROR",
            "",
            404,
            "The room does not exist",
        )
        with pytest.raises(ConnectionClosedOK):
            viewer.recv(timeout=10)
        assert (viewer.close_code, json.loads(viewer.close_reason or "")) == (
            1000,
            {"ErrorCode": 404, "ErrorMessage": "The room does not exist"},
        )
    expect_only_marker(chat, other_room, outsider)


def test_a_client_gets_what_its_room_receives_as_soon_as_it_is_connected(
    ivschat_mock: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A busy server starts reading a new connection late; the client, told it is
    # connected, must get what its room receives from then on all the same.
    serve = ChatServer._serve_connection

    async def late(self: ChatServer, connection: Any) -> None:
        await asyncio.sleep(0.2)
        await serve(self, connection)

    monkeypatch.setattr(ChatServer, "_serve_connection", late)
    with ChatServer() as server, ExitStack() as stack:
        chat = ChatKit(server.url, stack)
        room = chat.create_room()
        client = chat.join(room)
        chat.ivschat.send_event(roomIdentifier=room["arn"], eventName="hello")
        chat.ivschat.delete_room(identifier=room["arn"])
        assert receive(client)["EventName"] == "hello"
        assert receive(client)["ErrorCode"] == 404


def test_what_a_room_received_before_its_deletion_arrives_first(chat: ChatKit) -> None:
    room = chat.create_room()
    viewer = chat.join(room, "bob")
    chat.ivschat.send_event(roomIdentifier=room["arn"], eventName="last words")
    chat.ivschat.delete_room(identifier=room["arn"])
    assert receive(viewer)["EventName"] == "last words"
    assert receive(viewer)["ErrorCode"] == 404
    with pytest.raises(ConnectionClosedOK):
        viewer.recv(timeout=10)


# -- regional endpoints --------------------------------------------------------------


def regional_room(chat: ChatKit, region: str) -> tuple[Any, dict[str, Any]]:
    """An ivschat client of ``region`` and a room made there."""
    ivschat = chat.client("ivschat", region)
    return ivschat, ivschat.create_room()


def test_a_regional_endpoint_refuses_tokens_of_other_regions(chat: ChatKit, chat_server: ChatServer) -> None:
    ivschat, room = regional_room(chat, "eu-west-1")
    token = ivschat.create_chat_token(roomIdentifier=room["arn"], userId="zoe")["token"]
    chat.url = chat_server.url_for("us-east-1")
    assert refusal(chat, token) == (
        401,
        {
            "ErrorCode": 401,
            "ErrorMessage": "The chat token is not valid in us-east-1: its room is in eu-west-1",
        },
    )
    # Refused there, the token stays unused: it still opens its region's endpoint.
    chat.url = chat_server.url_for("eu-west-1")
    client = chat.open(token)
    ivschat.send_event(roomIdentifier=room["arn"], eventName="regional")
    assert receive(client)["EventName"] == "regional"


def test_the_root_url_serves_every_region(chat: ChatKit) -> None:
    for region in ("us-east-1", "ap-northeast-1"):
        ivschat, room = regional_room(chat, region)
        client = chat.open(ivschat.create_chat_token(roomIdentifier=room["arn"], userId="zoe")["token"])
        ivschat.send_event(roomIdentifier=room["arn"], eventName=region)
        assert receive(client)["EventName"] == region


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
def test_a_host_of_the_service_s_endpoint_names_the_region(
    chat: ChatKit, chat_server: ChatServer, region: str
) -> None:
    ivschat, room = regional_room(chat, "eu-west-1")
    token = ivschat.create_chat_token(roomIdentifier=room["arn"], userId="zoe")["token"]
    sock = socket.create_connection(("127.0.0.1", chat_server.port))
    uri = f"ws://edge.ivschat.{region}.amazonaws.com:{chat_server.port}/"
    if region == "eu-west-1":
        with connect(uri, sock=sock, subprotocols=[Subprotocol(token)]) as client:
            assert client.subprotocol == token
        return
    with pytest.raises(InvalidStatus) as refused:
        connect(uri, sock=sock, subprotocols=[Subprotocol(token)])
    assert refused.value.response.status_code == 401


def test_a_path_that_names_no_region_is_not_an_endpoint(chat: ChatKit, chat_server: ChatServer) -> None:
    room = chat.create_room()
    chat.url = f"{chat_server.url}chat/room"
    assert refusal(chat, chat.token(room)) == (
        404,
        {"ErrorCode": 404, "ErrorMessage": "No chat endpoint at /chat/room"},
    )


def test_url_for_needs_a_region_name(chat_server: ChatServer) -> None:
    assert chat_server.url_for("eu-central-2") == f"ws://127.0.0.1:{chat_server.port}/eu-central-2"
    with pytest.raises(ValueError, match="not a region name"):
        chat_server.url_for("../admin")
