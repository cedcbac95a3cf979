"""Connecting to a room: the token as subprotocol, the refusals, and the end of a session."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from chat_kit import ACCOUNT, ChatKit, backend_room, receive, send
from freezegun import freeze_time
from websockets.exceptions import ConnectionClosedOK, InvalidStatus

from moto_ivschat import ivschat_backends

NOW = datetime(2026, 3, 1, 12, 0)


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
    assert client.close_code == 1000
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
    assert client.close_code == 1000


def test_a_request_to_a_deleted_room_is_refused_and_closes(chat: ChatKit) -> None:
    room = chat.create_room()
    client = chat.join(room, capabilities=["SEND_MESSAGE"])
    chat.ivschat.delete_room(identifier=room["arn"])
    send(client, Action="SEND_MESSAGE", Content="anyone?", RequestId="r1")
    error = receive(client)
    assert (error["RequestId"], error["ErrorCode"], error["ErrorMessage"]) == (
        "r1",
        404,
        "The room does not exist",
    )
    with pytest.raises(ConnectionClosedOK):
        client.recv(timeout=10)
