"""Requests of connected clients: SEND_MESSAGE, DELETE_MESSAGE, DISCONNECT_USER, and their errors."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from chat_kit import ChatKit, backend_room, expect_only_marker, receive, send
from freezegun import freeze_time
from websockets.exceptions import ConnectionClosedOK

from moto_ivschat.ivschat.models import IvschatBackend

ALL = ["SEND_MESSAGE", "DELETE_MESSAGE", "DISCONNECT_USER"]
NOW = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=timezone.utc)
#: ``NOW`` as the service reports it: to the millisecond.
REPORTED = NOW.replace(microsecond=123000)


def error_of(frame: dict[str, Any]) -> tuple[str, int, str]:
    """The ``RequestId``, ``ErrorCode`` and ``ErrorMessage`` of an ERROR frame."""
    assert frame["Type"] == "ERROR"
    assert re.fullmatch(r"[a-zA-Z0-9]{12}", frame["Id"])
    return frame["RequestId"], frame["ErrorCode"], frame["ErrorMessage"]


# -- SEND_MESSAGE -----------------------------------------------------------------


def test_a_message_reaches_every_client_of_the_room(chat: ChatKit) -> None:
    room = chat.create_room()
    other_room = chat.create_room()
    with freeze_time(NOW):
        sender = chat.join(room, "alice", capabilities=["SEND_MESSAGE"], attributes={"color": "red"})
        viewer = chat.join(room, "bob")
        outsider = chat.join(other_room, "carol")
        send(sender, Action="SEND_MESSAGE", Content="hello", Attributes={"k": "v"}, RequestId="req-1")
        frames = [receive(sender), receive(viewer)]
    message = frames[0]
    assert frames[1] == message
    assert message == {
        "Type": "MESSAGE",
        "Id": message["Id"],
        "RequestId": "req-1",
        "Attributes": {"k": "v"},
        "Content": "hello",
        "SendTime": "2026-03-01T12:00:00.123000000Z",
        "Sender": {"UserId": "alice", "Attributes": {"color": "red"}},
    }
    assert re.fullmatch(r"[a-zA-Z0-9]{12}", message["Id"])
    expect_only_marker(chat, other_room, outsider)
    [record] = backend_room(room).messages
    assert (record.id, record.content, record.attributes, record.sender_user_id) == (
        message["Id"],
        "hello",
        {"k": "v"},
        "alice",
    )
    assert (record.request_id, record.sender_attributes, record.time) == ("req-1", {"color": "red"}, REPORTED)


def test_without_request_id_or_attributes(chat: ChatKit) -> None:
    room = chat.create_room()
    client = chat.join(room, capabilities=["SEND_MESSAGE"])
    send(client, Action="SEND_MESSAGE", Content="plain")
    message = receive(client)
    assert (message["RequestId"], message["Attributes"], message["Sender"]["Attributes"]) == ("", None, {})
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z", message["SendTime"])


def test_length_is_counted_in_code_points(chat: ChatKit) -> None:
    room = chat.create_room(maximumMessageLength=5)
    client = chat.join(room, capabilities=["SEND_MESSAGE"])
    send(client, Action="SEND_MESSAGE", Content="🙂🙂🙂🙂🙂", RequestId="fits")
    assert receive(client)["Content"] == "🙂🙂🙂🙂🙂"
    send(client, Action="SEND_MESSAGE", Content="🙂🙂🙂🙂🙂🙂", RequestId="long")
    assert error_of(receive(client)) == ("long", 413, "Content must be at most 5 characters")
    assert [m.request_id for m in backend_room(room).messages] == ["fits"]


def test_the_room_length_limit_follows_update_room(chat: ChatKit) -> None:
    room = chat.create_room()
    client = chat.join(room, capabilities=["SEND_MESSAGE"])
    chat.ivschat.update_room(identifier=room["arn"], maximumMessageLength=2)
    send(client, Action="SEND_MESSAGE", Content="abc", RequestId="r")
    assert error_of(receive(client))[1] == 413


@pytest.mark.parametrize(
    ("request_fields", "code", "message"),
    [
        ({}, 400, "Content must be a non-empty string"),
        ({"Content": ""}, 400, "Content must be a non-empty string"),
        ({"Content": 7}, 400, "Content must be a non-empty string"),
        ({"Content": "x", "Attributes": ["a"]}, 400, "Attributes must be an object of string values"),
        ({"Content": "x", "Attributes": {"n": 1}}, 400, "Attributes must be an object of string values"),
        (
            {"Content": "x", "Attributes": {"k": "v" * 1024}},
            413,
            "Attributes must be at most 1024 bytes in total",
        ),
    ],
)
def test_invalid_messages_are_refused(
    chat: ChatKit, request_fields: dict[str, Any], code: int, message: str
) -> None:
    room = chat.create_room()
    client = chat.join(room, capabilities=["SEND_MESSAGE"])
    viewer = chat.join(room, "bob")
    send(client, Action="SEND_MESSAGE", RequestId="bad", **request_fields)
    assert error_of(receive(client)) == ("bad", code, message)
    expect_only_marker(chat, room, viewer)
    assert list(backend_room(room).messages) == []


def test_attributes_up_to_1_kb_are_accepted(chat: ChatKit) -> None:
    room = chat.create_room()
    client = chat.join(room, capabilities=["SEND_MESSAGE"])
    send(client, Action="SEND_MESSAGE", Content="x", Attributes={"k": "é" * 511 + "v"})
    assert receive(client)["Type"] == "MESSAGE"


def test_the_message_rate_is_the_room_s_across_clients(chat: ChatKit) -> None:
    room = chat.create_room(maximumMessageRatePerSecond=2)
    with freeze_time(NOW) as clock:
        alice = chat.join(room, "alice", capabilities=["SEND_MESSAGE"])
        bob = chat.join(room, "bob", capabilities=["SEND_MESSAGE"])
        send(alice, Action="SEND_MESSAGE", Content="1")
        send(bob, Action="SEND_MESSAGE", Content="2")
        assert [receive(alice)["Content"], receive(alice)["Content"]] == ["1", "2"]
        assert [receive(bob)["Content"], receive(bob)["Content"]] == ["1", "2"]
        send(alice, Action="SEND_MESSAGE", Content="3", RequestId="third")
        assert error_of(receive(alice)) == ("third", 429, "The room allows 2 message(s) per second")
        clock.tick(timedelta(seconds=1))
        send(alice, Action="SEND_MESSAGE", Content="4")
        assert receive(alice)["Content"] == "4"
    assert [m.content for m in backend_room(room).messages] == ["1", "2", "4"]


# -- capabilities and malformed requests -------------------------------------------


@pytest.mark.parametrize(
    "request_fields",
    [
        {"Action": "SEND_MESSAGE", "Content": "hi"},
        {"Action": "DELETE_MESSAGE", "Id": "abcDEF123456"},
        {"Action": "DISCONNECT_USER", "UserId": "bob"},
    ],
)
def test_each_action_needs_its_capability(chat: ChatKit, request_fields: dict[str, str]) -> None:
    room = chat.create_room()
    granted = [c for c in ALL if c != request_fields["Action"]]
    client = chat.join(room, capabilities=granted)
    viewer = chat.join(room, "bob")
    send(client, RequestId="r", **request_fields)
    action = request_fields["Action"]
    assert error_of(receive(client)) == ("r", 403, f"The chat token lacks the {action} capability")
    expect_only_marker(chat, room, viewer)
    room_record = backend_room(room)
    kept = (room_record.messages, room_record.message_deletions, room_record.user_disconnections)
    assert [list(records) for records in kept] == [[], [], []]


@pytest.mark.parametrize(
    ("frame", "request_id", "message"),
    [
        ("not json", "", "The request is not valid JSON"),
        ('["SEND_MESSAGE"]', "", "The request must be a JSON object"),
        ('{"Content": "no action"}', "", "Unknown Action: None"),
        ('{"Action": "SHOUT", "RequestId": "r"}', "r", "Unknown Action: 'SHOUT'"),
        ('{"Action": "SEND_MESSAGE", "Content": "x", "RequestId": 5}', "", "RequestId must be a string"),
        (b'{"Action": "SEND_MESSAGE", "Content": "x"}', "", "Requests must be JSON text frames"),
    ],
)
def test_malformed_requests_are_400_and_the_connection_stays(
    chat: ChatKit, frame: str | bytes, request_id: str, message: str
) -> None:
    room = chat.create_room()
    client = chat.join(room, capabilities=ALL)
    client.send(frame)
    assert error_of(receive(client)) == (request_id, 400, message)
    send(client, Action="SEND_MESSAGE", Content="still here")
    assert receive(client)["Content"] == "still here"


# -- DELETE_MESSAGE ----------------------------------------------------------------


def test_delete_message_tells_every_client(chat: ChatKit) -> None:
    room = chat.create_room()
    with freeze_time(NOW):
        moderator = chat.join(room, "mod", capabilities=ALL)
        viewer = chat.join(room, "bob")
        send(moderator, Action="SEND_MESSAGE", Content="oops")
        message_id = receive(moderator)["Id"]
        receive(viewer)
        send(moderator, Action="DELETE_MESSAGE", Id=message_id, Reason="spam", RequestId="del-1")
        event = receive(moderator)
    assert receive(viewer) == event
    assert event == {
        "Type": "EVENT",
        "Id": event["Id"],
        "RequestId": "del-1",
        "Attributes": {"MessageID": message_id, "MessageId": message_id, "Reason": "spam"},
        "EventName": "aws:DELETE_MESSAGE",
        "SendTime": "2026-03-01T12:00:00.123000000Z",
    }
    [deletion] = backend_room(room).message_deletions
    assert (deletion.id, deletion.message_id, deletion.reason, deletion.request_id) == (
        event["Id"],
        message_id,
        "spam",
        "del-1",
    )


def test_delete_message_without_reason(chat: ChatKit) -> None:
    room = chat.create_room()
    moderator = chat.join(room, "mod", capabilities=["DELETE_MESSAGE"])
    send(moderator, Action="DELETE_MESSAGE", Id="abcDEF123456")
    event = receive(moderator)
    assert (event["RequestId"], event["Attributes"]) == (
        "",
        {"MessageID": "abcDEF123456", "MessageId": "abcDEF123456"},
    )


@pytest.mark.parametrize(
    ("request_fields", "code", "message"),
    [
        ({}, 400, "Id must be a non-empty string"),
        ({"Id": 12}, 400, "Id must be a non-empty string"),
        (
            {"Id": "abc123"},
            400,
            "Value at 'Id' failed to satisfy constraint: Member must have length greater than or equal to 12",
        ),
        (
            {"Id": "not-an-id-12"},
            400,
            "Value at 'Id' failed to satisfy constraint: Member must satisfy regular expression pattern: "
            "[a-zA-Z0-9]+",
        ),
        ({"Id": "a" * 13}, 413, "Id must be at most 12 characters"),
        ({"Id": "abcDEF123456", "Reason": ""}, 400, "Reason must be a non-empty string"),
        ({"Id": "abcDEF123456", "Reason": "r" * 257}, 413, "Reason must be at most 256 characters"),
    ],
)
def test_invalid_deletions_are_refused(
    chat: ChatKit, request_fields: dict[str, Any], code: int, message: str
) -> None:
    room = chat.create_room()
    moderator = chat.join(room, "mod", capabilities=["DELETE_MESSAGE"])
    send(moderator, Action="DELETE_MESSAGE", RequestId="d", **request_fields)
    assert error_of(receive(moderator)) == ("d", code, message)
    assert list(backend_room(room).message_deletions) == []


# -- DISCONNECT_USER ---------------------------------------------------------------


def test_disconnect_user_tells_the_room_and_closes_every_connection_of_the_user(chat: ChatKit) -> None:
    room = chat.create_room()
    moderator = chat.join(room, "mod", capabilities=ALL)
    bob_phone = chat.join(room, "bob")
    bob_laptop = chat.join(room, "bob")
    carol = chat.join(room, "carol")
    send(moderator, Action="DISCONNECT_USER", UserId="bob", Reason="rude", RequestId="ban-1")
    event = receive(moderator)
    assert event == {
        "Type": "EVENT",
        "Id": event["Id"],
        "RequestId": "ban-1",
        "Attributes": {"UserId": "bob", "Reason": "rude"},
        "EventName": "aws:DISCONNECT_USER",
        "SendTime": event["SendTime"],
    }
    for bob in (bob_phone, bob_laptop):
        assert receive(bob) == event
        with pytest.raises(ConnectionClosedOK):
            bob.recv(timeout=10)
        # As AWS's samples read it: 1001, the moderator's reason as plain text.
        assert (bob.close_code, bob.close_reason) == (1001, "rude")
    assert receive(carol) == event
    send(moderator, Action="SEND_MESSAGE", Content="order restored")
    assert receive(carol)["Content"] == "order restored"
    [disconnection] = backend_room(room).user_disconnections
    assert (disconnection.user_id, disconnection.reason, disconnection.request_id) == ("bob", "rude", "ban-1")


@pytest.mark.parametrize(
    ("request_fields", "code", "message"),
    [
        ({}, 400, "UserId must be a non-empty string"),
        ({"UserId": ""}, 400, "UserId must be a non-empty string"),
        ({"UserId": "u" * 129}, 413, "UserId must be at most 128 characters"),
        ({"UserId": "bob", "Reason": "r" * 257}, 413, "Reason must be at most 256 characters"),
    ],
)
def test_invalid_disconnections_are_refused(
    chat: ChatKit, request_fields: dict[str, Any], code: int, message: str
) -> None:
    room = chat.create_room()
    moderator = chat.join(room, "mod", capabilities=["DISCONNECT_USER"])
    send(moderator, Action="DISCONNECT_USER", RequestId="x", **request_fields)
    assert error_of(receive(moderator)) == ("x", code, message)
    assert list(backend_room(room).user_disconnections) == []


def test_an_unexpected_failure_is_500_and_the_connection_stays(
    chat: ChatKit, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(IvschatBackend, "delete_message", broken)
    room = chat.create_room()
    moderator = chat.join(room, "mod", capabilities=ALL)
    send(moderator, Action="DELETE_MESSAGE", Id="abcDEF123456", RequestId="d")
    assert error_of(receive(moderator)) == ("d", 500, "Internal error")
    send(moderator, Action="SEND_MESSAGE", Content="still here")
    assert receive(moderator)["Content"] == "still here"


# -- what AWS's early samples sent, and what no request may do ---------------------


def test_request_keys_are_read_in_any_case(chat: ChatKit) -> None:
    room = chat.create_room()
    moderator = chat.join(room, "mod", capabilities=ALL)
    viewer = chat.join(room, "bob")
    send(moderator, action="SEND_MESSAGE", content="hi", requestId="r1", attributes={"k": "v"})
    message = receive(moderator)
    assert (message["Content"], message["RequestId"], message["Attributes"]) == ("hi", "r1", {"k": "v"})
    send(moderator, action="DELETE_MESSAGE", Id=message["Id"], Reason="spam", requestId="r2")
    deletion = receive(moderator)
    assert (deletion["EventName"], deletion["RequestId"], deletion["Attributes"]["Reason"]) == (
        "aws:DELETE_MESSAGE",
        "r2",
        "spam",
    )
    send(moderator, ACTION="DISCONNECT_USER", userId="bob", reason="bye", requestid="r3")
    disconnection = receive(moderator)
    assert (disconnection["RequestId"], disconnection["Attributes"]) == (
        "r3",
        {"UserId": "bob", "Reason": "bye"},
    )
    assert [receive(viewer)["RequestId"] for _ in range(3)] == ["r1", "r2", "r3"]


def test_a_key_given_twice_in_different_cases_is_refused(chat: ChatKit) -> None:
    room = chat.create_room()
    client = chat.join(room, capabilities=ALL)
    client.send('{"Action": "SEND_MESSAGE", "Content": "one", "content": "two"}')
    assert error_of(receive(client)) == ("", 400, "Content is given more than once")


@pytest.mark.parametrize(
    ("frame", "request_id", "message"),
    [
        (r'{"Action": "SEND_MESSAGE", "Content": "a\ud800b", "RequestId": "r"}', "r", "Content"),
        (
            r'{"Action": "SEND_MESSAGE", "Content": "x", "Attributes": {"k": "\udc00"}, "RequestId": "r"}',
            "r",
            "Attributes",
        ),
        (
            r'{"Action": "SEND_MESSAGE", "Content": "x", "Attributes": {"\ud83d": "v"}, "RequestId": "r"}',
            "r",
            "Attributes",
        ),
        (r'{"Action": "SEND_MESSAGE", "Content": "x", "RequestId": "\ud800"}', "", "RequestId"),
        (
            r'{"Action": "DELETE_MESSAGE", "Id": "abcDEF123456", "Reason": "\ud800", "RequestId": "r"}',
            "r",
            "Reason",
        ),
        (r'{"Action": "DISCONNECT_USER", "UserId": "\udfffbob", "RequestId": "r"}', "r", "UserId"),
    ],
)
def test_unpaired_surrogates_are_refused_not_dropped(
    chat: ChatKit, frame: str, request_id: str, message: str
) -> None:
    room = chat.create_room()
    client = chat.join(room, capabilities=ALL)
    viewer = chat.join(room, "bob")
    client.send(frame)
    assert error_of(receive(client)) == (
        request_id,
        400,
        f"{message} must be valid Unicode (no unpaired surrogates)",
    )
    expect_only_marker(chat, room, viewer)
    room_record = backend_room(room)
    kept = (room_record.messages, room_record.message_deletions, room_record.user_disconnections)
    assert [list(records) for records in kept] == [[], [], []]


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_json_is_400(chat: ChatKit, depth: int) -> None:
    room = chat.create_room()
    client = chat.join(room, capabilities=ALL)
    nested = "[" * depth + "]" * depth
    client.send(f'{{"Action": "SEND_MESSAGE", "Content": "x", "Attributes": {nested}, "RequestId": "r"}}')
    code = receive(client)["ErrorCode"]
    client.send("[" * depth + "]" * depth)
    assert (code, error_of(receive(client))[1]) == (400, 400)
    send(client, Action="SEND_MESSAGE", Content="still here")
    assert receive(client)["Content"] == "still here"


# -- a connection's request quotas and queue ------------------------------------------


@pytest.mark.parametrize(
    "request_fields",
    [
        {"Action": "SEND_MESSAGE", "Content": "hi"},
        {"Action": "DELETE_MESSAGE", "Id": "abcDEF123456"},
        {"Action": "DISCONNECT_USER", "UserId": "nobody"},
    ],
)
def test_each_action_is_limited_to_10_requests_a_second_per_connection(
    chat: ChatKit, request_fields: dict[str, str]
) -> None:
    room = chat.create_room(maximumMessageRatePerSecond=100)
    action = request_fields["Action"]
    with freeze_time(NOW) as clock:
        client = chat.join(room, "mod", capabilities=ALL)
        other = chat.join(room, "mod2", capabilities=ALL)
        for n in range(10):
            send(client, RequestId=f"r{n}", **request_fields)
            assert receive(client)["RequestId"] == f"r{n}"
        send(client, RequestId="eleventh", **request_fields)
        assert error_of(receive(client)) == (
            "eleventh",
            429,
            f"The connection allows 10 {action} request(s) per second",
        )
        # Other actions, and other connections, have quotas of their own.
        send(
            client,
            Action="SEND_MESSAGE" if action != "SEND_MESSAGE" else "DELETE_MESSAGE",
            Id="abcDEF123456",
            Content="x",
            RequestId="other-action",
        )
        assert receive(client)["RequestId"] == "other-action"
        send(other, RequestId="other-connection", **request_fields)
        while (frame := receive(other))["RequestId"] != "other-connection":
            pass
        assert frame["Type"] != "ERROR"
        clock.tick(timedelta(seconds=1))
        send(client, RequestId="next-second", **request_fields)
        while (frame := receive(client))["RequestId"] != "next-second":
            pass
        assert frame["Type"] != "ERROR"


@pytest.mark.parametrize("chat_settings", [{"request_rate": 2}])
def test_the_connection_quota_is_a_server_setting(chat: ChatKit, chat_settings: dict[str, Any]) -> None:
    room = chat.create_room()
    with freeze_time(NOW):
        client = chat.join(room, capabilities=["SEND_MESSAGE"])
        for n in range(3):
            send(client, Action="SEND_MESSAGE", Content=str(n), RequestId=str(n))
        frames = [receive(client) for _ in range(3)]
    assert [frame["Type"] for frame in frames] == ["MESSAGE", "MESSAGE", "ERROR"]
    assert error_of(frames[2]) == ("2", 429, "The connection allows 2 SEND_MESSAGE request(s) per second")
