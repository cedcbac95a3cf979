"""Contract: CreateChatToken, SendEvent, DeleteMessage, DisconnectUser."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError
from contract_support import Resources, assert_each_not_found, error_of, missing_arn, without_metadata

#: Allowance for the difference between this machine's clock and the service's.
CLOCK_SKEW = timedelta(minutes=5)
EVENT_ID = r"[a-zA-Z0-9]{12}"


@pytest.mark.parametrize(("requested", "minutes"), [({}, 60), ({"sessionDurationInMinutes": 5}, 5)])
def test_create_chat_token(
    ivschat: Any, resources: Resources, requested: dict[str, Any], minutes: int
) -> None:
    room = resources.room()
    before = datetime.now(timezone.utc)
    token = without_metadata(
        ivschat.create_chat_token(
            roomIdentifier=room["arn"],
            userId="contract-user",
            capabilities=["SEND_MESSAGE", "DELETE_MESSAGE", "DISCONNECT_USER"],
            attributes={"displayName": "Contract"},
            **requested,
        )
    )
    after = datetime.now(timezone.utc)
    assert set(token) == {"token", "tokenExpirationTime", "sessionExpirationTime"}
    assert isinstance(token["token"], str)
    assert token["token"]
    session = timedelta(minutes=minutes)
    assert before + session - CLOCK_SKEW <= token["sessionExpirationTime"] <= after + session + CLOCK_SKEW
    assert token["tokenExpirationTime"] >= before - CLOCK_SKEW
    # Whole seconds, as a real response (2024) showed both expirations.
    assert token["tokenExpirationTime"].microsecond == token["sessionExpirationTime"].microsecond == 0


@pytest.mark.parametrize(
    "settings",
    [
        {"sessionDurationInMinutes": 181},
        {"capabilities": ["SEND_MESSAGE", "FLY"]},
        {"userId": "u" * 129},
        {"attributes": {"a": "x" * 1024}},
    ],
    ids=["session-over-180", "unknown-capability", "user-id-over-128", "attributes-over-1-kb"],
)
def test_create_chat_token_checks_its_settings(
    ivschat: Any, resources: Resources, settings: dict[str, Any]
) -> None:
    room = resources.room()
    with pytest.raises(ClientError) as raised:
        ivschat.create_chat_token(**{"roomIdentifier": room["arn"], "userId": "u", **settings})
    assert error_of(raised) == (400, "ValidationException")


def test_send_event(ivschat: Any, resources: Resources) -> None:
    room = resources.room()
    sent = without_metadata(
        ivschat.send_event(roomIdentifier=room["arn"], eventName="contract:ping", attributes={"k": "v"})
    )
    assert set(sent) == {"id"}
    assert re.fullmatch(EVENT_ID, sent["id"])


def test_send_event_name_is_at_most_100_characters(ivschat: Any, resources: Resources) -> None:
    room = resources.room()
    with pytest.raises(ClientError) as raised:
        ivschat.send_event(roomIdentifier=room["arn"], eventName="e" * 101)
    assert error_of(raised) == (400, "ValidationException")


def test_send_event_attributes_are_at_most_1_kb_in_all(ivschat: Any, resources: Resources) -> None:
    room = resources.room()
    ivschat.send_event(roomIdentifier=room["arn"], eventName="e", attributes={"a": "x" * 1000})
    with pytest.raises(ClientError) as raised:
        ivschat.send_event(roomIdentifier=room["arn"], eventName="e", attributes={"a": "x" * 1024})
    assert error_of(raised) == (400, "ValidationException")


def test_delete_message(ivschat: Any, resources: Resources) -> None:
    room = resources.room()
    deleted = without_metadata(
        ivschat.delete_message(roomIdentifier=room["arn"], id="abcdEFGH1234", reason="r")
    )
    assert set(deleted) == {"id"}
    assert re.fullmatch(EVENT_ID, deleted["id"])


def test_disconnect_user(ivschat: Any, resources: Resources) -> None:
    room = resources.room()
    answer = ivschat.disconnect_user(roomIdentifier=room["arn"], userId="contract-user", reason="bye")
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert without_metadata(answer) == {}


def test_a_missing_room_is_not_found(ivschat: Any, resources: Resources) -> None:
    missing = missing_arn(resources.room()["arn"])
    calls = [
        lambda: ivschat.create_chat_token(roomIdentifier=missing, userId="u"),
        lambda: ivschat.send_event(roomIdentifier=missing, eventName="e"),
        lambda: ivschat.delete_message(roomIdentifier=missing, id="abcdEFGH1234"),
        lambda: ivschat.disconnect_user(roomIdentifier=missing, userId="u"),
    ]
    assert_each_not_found(calls)
