"""The control plane reaches connected clients: SendEvent, DeleteMessage, DisconnectUser."""

from __future__ import annotations

from datetime import datetime

import pytest
from chat_kit import ACCOUNT, REGION, ChatKit, expect_only_marker, receive
from freezegun import freeze_time
from websockets.exceptions import ConnectionClosedOK

from moto_ivschat import ivschat_backends
from moto_ivschat.ivschat.records import MessageRecord, now

NOW = datetime(2026, 3, 1, 12, 0, 0, 500000)


def test_send_event_reaches_every_client_of_the_room_only(chat: ChatKit) -> None:
    room = chat.create_room()
    other_room = chat.create_room()
    alice, bob = chat.join(room, "alice"), chat.join(room, "bob")
    outsider = chat.join(other_room, "carol")
    with freeze_time(NOW):
        answer = chat.ivschat.send_event(
            roomIdentifier=room["arn"], eventName="app:poll", attributes={"question": "tea?"}
        )
    event = receive(alice)
    assert receive(bob) == event
    assert event == {
        "Type": "EVENT",
        "Id": answer["id"],
        "RequestId": "",
        "Attributes": {"question": "tea?"},
        "EventName": "app:poll",
        "SendTime": "2026-03-01T12:00:00.500000000Z",
    }
    expect_only_marker(chat, other_room, outsider)


def test_an_event_without_attributes_has_null_attributes(chat: ChatKit) -> None:
    room = chat.create_room()
    client = chat.join(room)
    chat.ivschat.send_event(roomIdentifier=room["arn"], eventName="ping")
    assert receive(client)["Attributes"] is None


def test_events_arrive_in_the_order_they_were_sent(chat: ChatKit) -> None:
    room = chat.create_room()
    client = chat.join(room)
    names = [f"event-{n}" for n in range(20)]
    for name in names:
        chat.ivschat.send_event(roomIdentifier=room["arn"], eventName=name)
    assert [receive(client)["EventName"] for _ in names] == names


def test_delete_message_delivers_the_system_event(chat: ChatKit) -> None:
    room = chat.create_room()
    client = chat.join(room)
    with freeze_time(NOW):
        answer = chat.ivschat.delete_message(roomIdentifier=room["arn"], id="abcDEF123456", reason="spam")
    assert receive(client) == {
        "Type": "EVENT",
        "Id": answer["id"],
        "RequestId": "",
        "Attributes": {"MessageID": "abcDEF123456", "MessageId": "abcDEF123456", "Reason": "spam"},
        "EventName": "aws:DELETE_MESSAGE",
        "SendTime": "2026-03-01T12:00:00.500000000Z",
    }


def test_disconnect_user_delivers_the_event_and_closes_that_user_only(chat: ChatKit) -> None:
    room = chat.create_room()
    bob, carol = chat.join(room, "bob"), chat.join(room, "carol")
    chat.ivschat.disconnect_user(roomIdentifier=room["arn"], userId="bob", reason="bye")
    event = receive(bob)
    assert (event["EventName"], event["RequestId"], event["Attributes"]) == (
        "aws:DISCONNECT_USER",
        "",
        {"UserId": "bob", "Reason": "bye"},
    )
    with pytest.raises(ConnectionClosedOK):
        bob.recv(timeout=10)
    assert receive(carol) == event
    expect_only_marker(chat, room, carol)


@pytest.mark.parametrize(
    ("reason", "close_reason"),
    [
        (None, ""),
        ("bye", "bye"),
        # A close frame holds 123 bytes of reason: a longer one is cut at a character.
        ("é" * 256, "é" * 61),
    ],
)
def test_a_disconnected_user_s_connection_closes_with_1001_and_the_reason(
    chat: ChatKit, reason: str | None, close_reason: str
) -> None:
    room = chat.create_room()
    bob = chat.join(room, "bob")
    chat.ivschat.disconnect_user(
        roomIdentifier=room["arn"], userId="bob", **({"reason": reason} if reason else {})
    )
    assert receive(bob)["EventName"] == "aws:DISCONNECT_USER"
    with pytest.raises(ConnectionClosedOK):
        bob.recv(timeout=10)
    assert (bob.close_code, bob.close_reason) == (1001, close_reason)


def test_a_record_no_api_could_make_is_logged_and_the_next_ones_still_go(
    chat: ChatKit, caplog: pytest.LogCaptureFixture
) -> None:
    room = chat.create_room()
    client = chat.join(room)
    backend = ivschat_backends[ACCOUNT][REGION]
    unsendable = MessageRecord("abcDEF123456", "", "\ud800", None, "ghost", {}, now())
    backend.deliver_message(room["arn"], unsendable)  # straight to the backend: nothing checked it
    chat.ivschat.send_event(roomIdentifier=room["arn"], eventName="next")
    assert receive(client)["EventName"] == "next"
    assert "could not deliver" in caplog.text
