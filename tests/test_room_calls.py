"""SendEvent, DeleteMessage and DisconnectUser: answers and what each room records."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

from moto_ivschat import ivschat_backends

REGION = "us-east-1"
ACCOUNT = "123456789012"
MISSING = f"arn:aws:ivschat:{REGION}:{ACCOUNT}:room/ABCDEFabcdef"


def _room(room_id: str) -> Any:
    return ivschat_backends[ACCOUNT][REGION].rooms.get(room_id)


def test_send_event_is_recorded_in_order(client: Any) -> None:
    room = client.create_room()
    with freeze_time("2026-05-01 10:00:00"):
        first = client.send_event(roomIdentifier=room["arn"], eventName="start", attributes={"k": "v"})
    with freeze_time("2026-05-01 10:00:01"):
        second = client.send_event(roomIdentifier=room["arn"], eventName="stop")
    assert re.fullmatch(r"[a-zA-Z0-9]{12}", first["id"])
    events = _room(room["id"]).events
    assert [(e.id, e.event_name, e.attributes, e.time) for e in events] == [
        (first["id"], "start", {"k": "v"}, datetime(2026, 5, 1, 10, 0, 0, tzinfo=timezone.utc)),
        (second["id"], "stop", {}, datetime(2026, 5, 1, 10, 0, 1, tzinfo=timezone.utc)),
    ]


def test_delete_message_is_recorded(client: Any) -> None:
    room = client.create_room()
    answer = client.delete_message(roomIdentifier=room["arn"], id="abcDEF123456", reason="spam")
    assert re.fullmatch(r"[a-zA-Z0-9]{12}", answer["id"])
    (deletion,) = _room(room["id"]).message_deletions
    assert (deletion.id, deletion.message_id, deletion.reason) == (answer["id"], "abcDEF123456", "spam")


def test_disconnect_user_answers_empty_and_is_recorded(client: Any) -> None:
    room = client.create_room()
    answer = client.disconnect_user(roomIdentifier=room["arn"], userId="mallory", reason="rude")
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert set(answer) == {"ResponseMetadata"}
    (disconnection,) = _room(room["id"]).user_disconnections
    assert (disconnection.user_id, disconnection.reason) == ("mallory", "rude")


@pytest.mark.parametrize(
    ("call", "kwargs"),
    [
        ("send_event", {"eventName": "e"}),
        ("delete_message", {"id": "abcDEF123456"}),
        ("disconnect_user", {"userId": "u"}),
    ],
)
def test_room_must_exist(client: Any, call: str, kwargs: dict[str, str]) -> None:
    with pytest.raises(ClientError) as exc:
        getattr(client, call)(roomIdentifier=MISSING, **kwargs)
    error = exc.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert (error["resourceId"], error["resourceType"]) == ("ABCDEFabcdef", "ROOM")


@pytest.mark.parametrize(
    ("call", "kwargs", "field"),
    [
        ("send_event", {"eventName": "e" * 101}, "eventName"),
        ("delete_message", {"id": "short"}, "id"),
        ("delete_message", {"id": "abcDEF123456", "reason": "r" * 257}, "reason"),
        ("disconnect_user", {"userId": "u", "reason": ""}, "reason"),
    ],
)
def test_limits(raw_client: Any, call: str, kwargs: dict[str, str], field: str) -> None:
    room = raw_client.create_room()
    with pytest.raises(ClientError) as exc:
        getattr(raw_client, call)(roomIdentifier=room["arn"], **kwargs)
    assert [f["name"] for f in exc.value.response["fieldList"]] == [field]
    recorded = _room(room["id"])
    assert (list(recorded.events), list(recorded.message_deletions), list(recorded.user_disconnections)) == (
        [],
        [],
        [],
    )
