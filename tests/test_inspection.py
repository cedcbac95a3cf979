"""The inspection API: what a room received and which tokens were issued, read by room ARN."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
from freezegun import freeze_time

from moto_ivschat import (
    ChatTokenError,
    ChatTokenErrorReason,
    RoomNotFoundError,
    chat_tokens,
    ivschat_backends,
    message_deletions,
    sent_events,
    user_disconnections,
    verify_chat_token,
)
from moto_ivschat.ivschat.models import IvschatBackend

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
ID = re.compile(r"[A-Za-z0-9]{12}")


def test_sent_events_in_order_with_ids_names_attributes_and_times(ivschat_client: Any) -> None:
    room = ivschat_client.create_room()
    with freeze_time(NOW) as clock:
        first = ivschat_client.send_event(
            roomIdentifier=room["arn"], eventName="poll", attributes={"question": "Tea?"}
        )
        clock.tick(5)
        second = ivschat_client.send_event(roomIdentifier=room["arn"], eventName="close")
    events = sent_events(room["arn"])
    assert [(e.id, e.event_name, e.attributes, e.time) for e in events] == [
        (first["id"], "poll", {"question": "Tea?"}, NOW),
        (second["id"], "close", {}, NOW + timedelta(seconds=5)),
    ]


def test_message_deletions_with_and_without_reason(ivschat_client: Any) -> None:
    room = ivschat_client.create_room()
    with freeze_time(NOW):
        first = ivschat_client.delete_message(roomIdentifier=room["arn"], id="msg000000001", reason="spam")
        second = ivschat_client.delete_message(roomIdentifier=room["arn"], id="msg000000002")
    deletions = message_deletions(room["arn"])
    assert [(d.id, d.message_id, d.reason, d.time) for d in deletions] == [
        (first["id"], "msg000000001", "spam", NOW),
        (second["id"], "msg000000002", None, NOW),
    ]
    assert all(ID.fullmatch(d.id) for d in deletions)


def test_user_disconnections_in_order(ivschat_client: Any) -> None:
    room = ivschat_client.create_room()
    with freeze_time(NOW):
        ivschat_client.disconnect_user(roomIdentifier=room["arn"], userId="mallory", reason="abuse")
        ivschat_client.disconnect_user(roomIdentifier=room["arn"], userId="eve")
    disconnections = user_disconnections(room["arn"])
    assert [(d.user_id, d.reason, d.time) for d in disconnections] == [
        ("mallory", "abuse", NOW),
        ("eve", None, NOW),
    ]
    assert len({d.id for d in disconnections}) == 2
    assert all(ID.fullmatch(d.id) for d in disconnections)


def test_chat_tokens_issued_for_a_room(ivschat_client: Any) -> None:
    room = ivschat_client.create_room()
    other_room = ivschat_client.create_room()
    with freeze_time(NOW):
        alice = ivschat_client.create_chat_token(
            roomIdentifier=room["arn"],
            userId="alice",
            capabilities=["SEND_MESSAGE", "DELETE_MESSAGE"],
            attributes={"displayName": "Alice"},
            sessionDurationInMinutes=30,
        )
        bob = ivschat_client.create_chat_token(roomIdentifier=room["arn"], userId="bob")
        ivschat_client.create_chat_token(roomIdentifier=other_room["arn"], userId="carol")
    tokens = chat_tokens(room["arn"])
    assert [t.token for t in tokens] == [alice["token"], bob["token"]]
    first = tokens[0]
    assert (first.room_arn, first.user_id, first.capabilities, first.attributes) == (
        room["arn"],
        "alice",
        ["SEND_MESSAGE", "DELETE_MESSAGE"],
        {"displayName": "Alice"},
    )
    assert (first.issue_time, first.token_expiration_time, first.session_expiration_time) == (
        NOW,
        NOW + timedelta(hours=1),
        NOW + timedelta(minutes=30),
    )
    assert (tokens[1].capabilities, tokens[1].attributes, tokens[1].session_duration_in_minutes) == (
        [],
        {},
        60,
    )
    assert [t.user_id for t in chat_tokens(other_room["arn"])] == ["carol"]


def test_results_are_copies_that_cannot_change_the_mock(ivschat_client: Any) -> None:
    room = ivschat_client.create_room()
    ivschat_client.send_event(roomIdentifier=room["arn"], eventName="e", attributes={"k": "v"})
    ivschat_client.create_chat_token(roomIdentifier=room["arn"], userId="u", capabilities=["SEND_MESSAGE"])
    sent_events(room["arn"])[0].attributes["k"] = "changed"
    token = chat_tokens(room["arn"])[0]
    token.capabilities.append("DISCONNECT_USER")
    token.used = True
    chat_tokens(room["arn"]).clear()
    assert sent_events(room["arn"])[0].attributes == {"k": "v"}
    assert chat_tokens(room["arn"])[0].capabilities == ["SEND_MESSAGE"]
    assert verify_chat_token(token.token).used is False


def test_a_room_of_any_account_and_region(ivschat_client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111122223333")
    client = boto3.client("ivschat", region_name="eu-west-1")
    room = client.create_room()
    client.send_event(roomIdentifier=room["arn"], eventName="hello")
    token = client.create_chat_token(roomIdentifier=room["arn"], userId="u")["token"]
    assert room["arn"].startswith("arn:aws:ivschat:eu-west-1:111122223333:room/")
    assert [e.event_name for e in sent_events(room["arn"])] == ["hello"]
    assert verify_chat_token(token).room_arn == room["arn"]
    same_id_elsewhere = f"arn:aws:ivschat:us-east-1:123456789012:room/{room['id']}"
    with pytest.raises(RoomNotFoundError):
        sent_events(same_id_elsewhere)


def test_a_never_created_room_is_not_found(ivschat_client: Any) -> None:
    arn = "arn:aws:ivschat:us-east-1:123456789012:room/ABCDEFabcdef"
    for read in (sent_events, message_deletions, user_disconnections, chat_tokens):
        with pytest.raises(RoomNotFoundError) as error:
            read(arn)
        assert error.value.room_arn == arn
        assert arn in str(error.value)


def test_looking_up_a_room_creates_no_backend(ivschat_client: Any) -> None:
    arn = "arn:aws:ivschat:ap-south-1:999988887777:room/ABCDEFabcdef"
    with pytest.raises(RoomNotFoundError):
        chat_tokens(arn)
    assert "999988887777" not in ivschat_backends


@pytest.mark.parametrize(
    "arn",
    [
        "not-an-arn",
        "arn:aws:ivs:us-east-1:123456789012:channel/ABCDEFabcdef",
        "arn:aws:ivschat:us-east-1:123456789012:logging-configuration/ABCDEFabcdef",
    ],
)
def test_an_arn_that_names_no_room_is_a_value_error(arn: str) -> None:
    with pytest.raises(ValueError, match="not an ivschat room ARN"):
        sent_events(arn)


def test_reads_wait_for_the_backend_lock(ivschat_client: Any, ivschat_backend: IvschatBackend) -> None:
    room = ivschat_client.create_room()
    ivschat_client.send_event(roomIdentifier=room["arn"], eventName="e")
    result: list[int] = []
    with ivschat_backend.lock:
        reader = threading.Thread(target=lambda: result.append(len(sent_events(room["arn"]))))
        reader.start()
        reader.join(0.2)
        assert reader.is_alive()
        assert result == []
    reader.join()
    assert result == [1]


def test_verify_a_usable_token(ivschat_client: Any) -> None:
    room = ivschat_client.create_room()
    token = ivschat_client.create_chat_token(
        roomIdentifier=room["arn"], userId="alice", capabilities=["SEND_MESSAGE"], attributes={"a": "b"}
    )
    record = verify_chat_token(token["token"])
    assert (record.room_arn, record.user_id, record.capabilities, record.attributes, record.used) == (
        room["arn"],
        "alice",
        ["SEND_MESSAGE"],
        {"a": "b"},
        False,
    )


def test_verify_an_unknown_token() -> None:
    with pytest.raises(ChatTokenError) as error:
        verify_chat_token("AQICAHnotatoken")
    assert error.value.reason is ChatTokenErrorReason.UNKNOWN
    assert str(error.value) == "chat token is unknown: the mock never issued it, or its state was reset since"


def test_verify_an_expired_token(ivschat_client: Any) -> None:
    room = ivschat_client.create_room()
    with freeze_time(NOW) as clock:
        token = ivschat_client.create_chat_token(roomIdentifier=room["arn"], userId="alice")["token"]
        clock.move_to(NOW + timedelta(hours=1) - timedelta(microseconds=1))
        verify_chat_token(token)
        clock.tick(timedelta(microseconds=1))
        with pytest.raises(ChatTokenError) as error:
            verify_chat_token(token)
    assert error.value.reason == "EXPIRED"
    assert str(error.value) == (
        "chat token for user 'alice' expired at 2024-05-01T13:00:00.000Z (now 2024-05-01T13:00:00.000Z)"
    )


def test_verify_a_token_already_used_to_connect(ivschat_client: Any, ivschat_backend: IvschatBackend) -> None:
    room = ivschat_client.create_room()
    token = ivschat_client.create_chat_token(roomIdentifier=room["arn"], userId="alice")["token"]
    ivschat_backend.chat_tokens[token].used = True  # what the messaging emulator does on connect
    with pytest.raises(ChatTokenError) as error:
        verify_chat_token(token)
    assert error.value.reason is ChatTokenErrorReason.USED
    assert "already used to connect" in str(error.value)


def test_verify_a_token_whose_room_was_deleted(ivschat_client: Any) -> None:
    room = ivschat_client.create_room()
    token = ivschat_client.create_chat_token(roomIdentifier=room["arn"], userId="alice")["token"]
    ivschat_client.delete_room(identifier=room["arn"])
    with pytest.raises(ChatTokenError) as error:
        verify_chat_token(token)
    assert error.value.reason is ChatTokenErrorReason.ROOM_DELETED
    assert str(error.value) == f"chat token's room {room['arn']} has been deleted"


def test_an_expired_token_reads_as_expired_before_used_or_room_deleted(
    ivschat_client: Any, ivschat_backend: IvschatBackend
) -> None:
    room = ivschat_client.create_room()
    with freeze_time(NOW) as clock:
        token = ivschat_client.create_chat_token(roomIdentifier=room["arn"], userId="alice")["token"]
        ivschat_backend.chat_tokens[token].used = True
        ivschat_client.delete_room(identifier=room["arn"])
        with pytest.raises(ChatTokenError) as used:
            verify_chat_token(token)
        clock.tick(timedelta(hours=2))
        with pytest.raises(ChatTokenError) as expired:
            verify_chat_token(token)
    assert (used.value.reason, expired.value.reason) == ("USED", "EXPIRED")


def test_times_compare_with_what_the_api_reported(ivschat_client: Any) -> None:
    room = ivschat_client.create_room()
    with freeze_time("2024-05-01 12:00:00.123456") as clock:
        token = ivschat_client.create_chat_token(roomIdentifier=room["arn"], userId="alice")
        ivschat_client.send_event(roomIdentifier=room["arn"], eventName="tick")
        [record] = chat_tokens(room["arn"])
        [event] = sent_events(room["arn"])
        # Aware UTC, and exactly the instants the API reported (whole seconds for tokens).
        assert record.token_expiration_time == token["tokenExpirationTime"]
        assert record.session_expiration_time == token["sessionExpirationTime"]
        assert record.token_expiration_time == datetime(2024, 5, 1, 13, 0, tzinfo=timezone.utc)
        assert record.issue_time == event.time == datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=timezone.utc)
        assert record.issue_time < token["tokenExpirationTime"]
        # EXPIRED from the reported instant on, not a moment later.
        clock.move_to("2024-05-01 12:59:59.999")
        assert verify_chat_token(token["token"]).user_id == "alice"
        clock.move_to(token["tokenExpirationTime"])
        with pytest.raises(ChatTokenError) as error:
            verify_chat_token(token["token"])
    assert error.value.reason == "EXPIRED"


def test_a_deleted_room_s_records_stay_readable(ivschat_client: Any) -> None:
    room = ivschat_client.create_room()
    token = ivschat_client.create_chat_token(roomIdentifier=room["arn"], userId="host")["token"]
    ivschat_client.delete_message(roomIdentifier=room["arn"], id="AbCdEf123456")
    ivschat_client.disconnect_user(roomIdentifier=room["arn"], userId="mallory")
    ivschat_client.send_event(roomIdentifier=room["arn"], eventName="stream:ended")
    ivschat_client.delete_room(identifier=room["arn"])
    assert [e.event_name for e in sent_events(room["arn"])] == ["stream:ended"]
    assert [d.message_id for d in message_deletions(room["arn"])] == ["AbCdEf123456"]
    assert [d.user_id for d in user_disconnections(room["arn"])] == ["mallory"]
    assert [t.token for t in chat_tokens(room["arn"])] == [token]
    with pytest.raises(ChatTokenError) as error:
        verify_chat_token(token)
    assert error.value.reason == "ROOM_DELETED"


def test_a_deleted_room_s_tokens_are_forgotten_once_expired(
    ivschat_client: Any, ivschat_backend: IvschatBackend
) -> None:
    with freeze_time(NOW) as clock:
        room = ivschat_client.create_room()
        token = ivschat_client.create_chat_token(roomIdentifier=room["arn"], userId="u")["token"]
        ivschat_client.delete_room(identifier=room["arn"])
        clock.tick(timedelta(hours=1))
        # The next token issued anywhere in the backend sweeps the expired ones of deleted rooms.
        other = ivschat_client.create_room()
        ivschat_client.create_chat_token(roomIdentifier=other["arn"], userId="u")
        with pytest.raises(ChatTokenError) as error:
            verify_chat_token(token)
    assert error.value.reason == "UNKNOWN"
    assert token not in ivschat_backend.chat_tokens
    assert [t.token for t in chat_tokens(room["arn"])] == [token]


def test_rooms_keep_their_last_records_and_tokens(
    ivschat_client: Any, ivschat_backend: IvschatBackend
) -> None:
    ivschat_backend.record_limit = 3
    room = ivschat_client.create_room()
    tokens = [
        ivschat_client.create_chat_token(roomIdentifier=room["arn"], userId=f"u{n}")["token"]
        for n in range(5)
    ]
    for n in range(5):
        ivschat_client.send_event(roomIdentifier=room["arn"], eventName=f"e{n}")
        ivschat_client.delete_message(roomIdentifier=room["arn"], id=f"AbCdEf12345{n}")
        ivschat_client.disconnect_user(roomIdentifier=room["arn"], userId=f"u{n}")
    assert [e.event_name for e in sent_events(room["arn"])] == ["e2", "e3", "e4"]
    assert [d.message_id for d in message_deletions(room["arn"])] == [
        "AbCdEf123452",
        "AbCdEf123453",
        "AbCdEf123454",
    ]
    assert [d.user_id for d in user_disconnections(room["arn"])] == ["u2", "u3", "u4"]
    assert [t.token for t in chat_tokens(room["arn"])] == tokens[2:]
    assert set(ivschat_backend.chat_tokens) == set(tokens[2:])
    with pytest.raises(ChatTokenError) as error:
        verify_chat_token(tokens[0])
    assert error.value.reason == "UNKNOWN"


def test_the_oldest_deleted_rooms_are_forgotten_first(
    ivschat_client: Any, ivschat_backend: IvschatBackend
) -> None:
    ivschat_backend.deleted_room_limit = 2
    rooms = [ivschat_client.create_room() for _ in range(3)]
    tokens = [ivschat_client.create_chat_token(roomIdentifier=r["arn"], userId="u")["token"] for r in rooms]
    for room in rooms:
        ivschat_client.send_event(roomIdentifier=room["arn"], eventName="bye")
        ivschat_client.delete_room(identifier=room["arn"])
    with pytest.raises(RoomNotFoundError):
        sent_events(rooms[0]["arn"])
    assert tokens[0] not in ivschat_backend.chat_tokens
    assert [[e.event_name for e in sent_events(r["arn"])] for r in rooms[1:]] == [["bye"], ["bye"]]


def test_retention_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTO_IVSCHAT_RECORD_LIMIT", "7")
    monkeypatch.setenv("MOTO_IVSCHAT_DELETED_ROOM_LIMIT", "9")
    backend = IvschatBackend("us-east-1", "123456789012")
    assert (backend.record_limit, backend.deleted_room_limit) == (7, 9)
