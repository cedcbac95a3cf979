"""Messages sent over WebSocket are visible through the inspection API."""

from __future__ import annotations

from chat_kit import ChatKit, receive, send
from freezegun import freeze_time

from moto_ivschat import sent_messages


def test_sent_messages_lists_what_clients_sent(chat: ChatKit) -> None:
    room = chat.create_room()
    client = chat.join(room, user_id="alice", capabilities=["SEND_MESSAGE"], attributes={"role": "host"})
    with freeze_time("2026-04-01 09:30:00"):
        send(client, Action="SEND_MESSAGE", Content="hello", Attributes={"lang": "en"}, RequestId="r1")
        frame = receive(client)
    send(client, Action="SEND_MESSAGE", Content="again")
    receive(client)

    first, second = sent_messages(room["arn"])
    assert (first.id, first.request_id, first.content, first.attributes) == (
        frame["Id"],
        "r1",
        "hello",
        {"lang": "en"},
    )
    assert (first.sender_user_id, first.sender_attributes) == ("alice", {"role": "host"})
    assert first.time.isoformat() == "2026-04-01T09:30:00+00:00"
    assert (second.content, second.attributes, second.request_id) == ("again", None, "")
    first.sender_attributes["role"] = "changed"
    assert sent_messages(room["arn"])[0].sender_attributes == {"role": "host"}
