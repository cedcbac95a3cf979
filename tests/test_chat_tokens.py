"""CreateChatToken: expiries, defaults, limits, and what the backend remembers."""

from __future__ import annotations

import base64
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from moto_ivschat import ivschat_backends

REGION = "us-east-1"
ACCOUNT = "123456789012"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def test_token_expiries_come_from_the_clock(client: Any) -> None:
    room = client.create_room()
    with freeze_time(NOW):
        token = client.create_chat_token(roomIdentifier=room["arn"], userId="alice")
    assert token["tokenExpirationTime"] == NOW + timedelta(hours=1)
    assert token["sessionExpirationTime"] == NOW + timedelta(minutes=60)
    assert re.fullmatch(r"AQICAH[A-Za-z0-9_-]{250}", token["token"])


def test_session_duration_and_what_is_remembered(client: Any) -> None:
    room = client.create_room()
    with freeze_time(NOW):
        token = client.create_chat_token(
            roomIdentifier=room["arn"],
            userId="bob 🙂",
            capabilities=["SEND_MESSAGE", "DELETE_MESSAGE"],
            sessionDurationInMinutes=180,
            attributes={"displayName": "Bob"},
        )
    assert token["sessionExpirationTime"] == NOW + timedelta(minutes=180)
    record = ivschat_backends[ACCOUNT][REGION].chat_tokens[token["token"]]
    assert record.room_arn == room["arn"]
    assert record.user_id == "bob 🙂"
    assert record.capabilities == ["SEND_MESSAGE", "DELETE_MESSAGE"]
    assert record.attributes == {"displayName": "Bob"}
    assert record.session_expiration_time == NOW + timedelta(minutes=180)
    assert record.used is False


def test_tokens_are_unique(client: Any) -> None:
    room = client.create_room()
    tokens = {client.create_chat_token(roomIdentifier=room["arn"], userId="u")["token"] for _ in range(20)}
    assert len(tokens) == 20


def test_token_lifetime_is_configurable(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    ivschat_backends[ACCOUNT][REGION].chat_token_lifetime = timedelta(minutes=1)
    room = client.create_room()
    with freeze_time(NOW):
        token = client.create_chat_token(roomIdentifier=room["arn"], userId="u")
    assert token["tokenExpirationTime"] == NOW + timedelta(minutes=1)


def test_token_lifetime_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3

    from moto_ivschat import mock_ivschat

    monkeypatch.setenv("MOTO_IVSCHAT_TOKEN_LIFETIME_SECONDS", "90")
    with mock_ivschat():
        client = boto3.client("ivschat", region_name=REGION)
        room = client.create_room()
        with freeze_time(NOW):
            token = client.create_chat_token(roomIdentifier=room["arn"], userId="u")
    assert token["tokenExpirationTime"] == NOW + timedelta(seconds=90)


@pytest.mark.parametrize("minutes", [0, 181])
def test_session_duration_range(raw_client: Any, minutes: int) -> None:
    room = raw_client.create_room()
    with pytest.raises(ClientError) as exc:
        raw_client.create_chat_token(roomIdentifier=room["arn"], userId="u", sessionDurationInMinutes=minutes)
    assert [f["name"] for f in exc.value.response["fieldList"]] == ["sessionDurationInMinutes"]


def test_unknown_capability(raw_client: Any) -> None:
    room = raw_client.create_room()
    with pytest.raises(ClientError) as exc:
        raw_client.create_chat_token(
            roomIdentifier=room["arn"], userId="u", capabilities=["SEND_MESSAGE", "FLY"]
        )
    assert [f["name"] for f in exc.value.response["fieldList"]] == ["capabilities[1]"]


def test_attributes_at_most_one_kilobyte(client: Any) -> None:
    room = client.create_room()
    client.create_chat_token(roomIdentifier=room["arn"], userId="u", attributes={"k": "v" * 1023})
    with pytest.raises(ClientError) as exc:
        client.create_chat_token(roomIdentifier=room["arn"], userId="u", attributes={"k": "é" * 512})
    error = exc.value.response
    assert error["Error"]["Code"] == "ValidationException"
    assert [f["name"] for f in error["fieldList"]] == ["attributes"]
    assert len(ivschat_backends[ACCOUNT][REGION].rooms.get(room["id"]).chat_tokens) == 1  # type: ignore[union-attr]


def test_user_id_length(raw_client: Any) -> None:
    room = raw_client.create_room()
    for user_id in ("", "u" * 129):
        with pytest.raises(ClientError) as exc:
            raw_client.create_chat_token(roomIdentifier=room["arn"], userId=user_id)
        assert [f["name"] for f in exc.value.response["fieldList"]] == ["userId"]


def test_room_must_exist(client: Any) -> None:
    arn = f"arn:aws:ivschat:{REGION}:{ACCOUNT}:room/ABCDEFabcdef"
    with pytest.raises(ClientError) as exc:
        client.create_chat_token(roomIdentifier=arn, userId="u")
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert ivschat_backends[ACCOUNT][REGION].chat_tokens == {}


def test_tokens_are_shaped_like_the_service_s_and_unguessable(client: Any) -> None:
    room = client.create_room()
    tokens = [client.create_chat_token(roomIdentifier=room["arn"], userId="u")["token"] for _ in range(50)]
    decoded = [base64.urlsafe_b64decode(token) for token in tokens]
    assert {d[:5] for d in decoded} == {bytes.fromhex("0102020078")}
    # 187 random bytes each: no two share any 16-byte stretch of their random part.
    stretches = [d[5 + i : 5 + i + 16] for d in decoded for i in range(0, 176, 16)]
    assert len(set(stretches)) == len(stretches)
    # A valid WebSocket subprotocol (an HTTP token): no padding, no '/', '+' or '='.
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", token) for token in tokens)


def test_expirations_are_whole_seconds(client: Any) -> None:
    room = client.create_room()
    with freeze_time("2026-03-01 12:00:00.987654"):
        token = client.create_chat_token(roomIdentifier=room["arn"], userId="u", sessionDurationInMinutes=5)
    assert token["tokenExpirationTime"] == datetime(2026, 3, 1, 13, 0, 0, tzinfo=timezone.utc)
    assert token["sessionExpirationTime"] == datetime(2026, 3, 1, 12, 5, 0, tzinfo=timezone.utc)
