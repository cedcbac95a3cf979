"""Message review: a Python callable stands in for the room's review-handler Lambda."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from chat_kit import ACCOUNT, REGION, ChatKit, backend_room, expect_only_marker, receive, send

from moto_ivschat.messaging import register_review_handler, unregister_review_handler

LAMBDA = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:review"


def reviewed_room(chat: ChatKit, fallback: str = "ALLOW", **kwargs: Any) -> dict[str, Any]:
    return chat.create_room(messageReviewHandler={"uri": LAMBDA, "fallbackResult": fallback}, **kwargs)


def test_the_handler_gets_the_documented_request_and_allow_delivers(chat: ChatKit) -> None:
    requests: list[dict[str, Any]] = []

    def allow(request: dict[str, Any]) -> dict[str, Any]:
        requests.append(request)
        return {"ReviewResult": "ALLOW", "Content": request["Content"]}

    register_review_handler(LAMBDA, allow)
    room = reviewed_room(chat)
    client = chat.join(room, "alice", capabilities=["SEND_MESSAGE"], attributes={"badge": "gold"})
    send(client, Action="SEND_MESSAGE", Content="hi", Attributes={"k": "v"}, RequestId="r")
    message = receive(client)
    assert requests == [
        {
            "Content": "hi",
            "MessageId": message["Id"],
            "RoomArn": room["arn"],
            "Attributes": {"k": "v"},
            "Sender": {"Attributes": {"badge": "gold"}, "UserId": "alice", "Ip": "127.0.0.1"},
        }
    ]
    assert (message["Content"], message["Attributes"], message["RequestId"]) == ("hi", {"k": "v"}, "r")


def test_allow_may_rewrite_content_and_attributes(chat: ChatKit) -> None:
    register_review_handler(
        LAMBDA,
        lambda request: {
            "ReviewResult": "ALLOW",
            "Content": request["Content"].replace("darn", "****"),
            "Attributes": {"reviewed": "yes"},
        },
    )
    room = reviewed_room(chat)
    client = chat.join(room, capabilities=["SEND_MESSAGE"])
    send(client, Action="SEND_MESSAGE", Content="darn it")
    message = receive(client)
    assert (message["Content"], message["Attributes"]) == ("**** it", {"reviewed": "yes"})
    assert [(m.content, m.attributes) for m in backend_room(room).messages] == [
        ("**** it", {"reviewed": "yes"})
    ]


def test_deny_is_406_to_the_sender_and_nothing_reaches_the_room(chat: ChatKit) -> None:
    seen: list[str] = []

    def deny(request: dict[str, Any]) -> dict[str, Any]:
        seen.append(request["MessageId"])
        return {"ReviewResult": "DENY", "Attributes": {"Reason": "off topic"}}

    register_review_handler(LAMBDA, deny)
    room = reviewed_room(chat)
    sender = chat.join(room, "alice", capabilities=["SEND_MESSAGE"])
    viewer = chat.join(room, "bob")
    send(sender, Action="SEND_MESSAGE", Content="buy my stuff", RequestId="r")
    assert receive(sender) == {
        "Type": "ERROR",
        "Id": seen[0],
        "RequestId": "r",
        "ErrorCode": 406,
        "ErrorMessage": "The message was denied by the room's message review handler: off topic",
    }
    expect_only_marker(chat, room, viewer)
    assert list(backend_room(room).messages) == []


def test_a_deny_without_reason_says_so_only(chat: ChatKit) -> None:
    register_review_handler(LAMBDA, lambda request: {"ReviewResult": "DENY"})
    room = reviewed_room(chat)
    sender = chat.join(room, capabilities=["SEND_MESSAGE"])
    send(sender, Action="SEND_MESSAGE", Content="hmm", Attributes={"Reason": "mine, not the handler's"})
    error = receive(sender)
    assert (error["ErrorCode"], error["ErrorMessage"]) == (
        406,
        "The message was denied by the room's message review handler",
    )


def failing(request: dict[str, Any]) -> dict[str, Any]:
    raise RuntimeError("the Lambda crashed")


@pytest.mark.parametrize(
    "handler",
    [
        pytest.param(failing, id="raises"),
        pytest.param(lambda request: {"ReviewResult": "MAYBE"}, id="unknown-result"),
        pytest.param(lambda request: "ALLOW", id="not-an-object"),
        pytest.param(lambda request: {"ReviewResult": "ALLOW", "Content": "x" * 11}, id="content-too-long"),
        pytest.param(lambda request: {"ReviewResult": "ALLOW", "Content": ""}, id="empty-content"),
        pytest.param(lambda request: {"ReviewResult": "ALLOW"}, id="allow-without-content"),
        pytest.param(lambda request: {"ReviewResult": "ALLOW", "Content": "\ud800"}, id="surrogate-content"),
        pytest.param(
            lambda request: {"ReviewResult": "ALLOW", "Content": "ok", "Attributes": {"k": "\udfff"}},
            id="surrogate-attribute",
        ),
        pytest.param(lambda request: {"ReviewResult": "ALLOW", "Attributes": {"n": 1}}, id="bad-attributes"),
        pytest.param(None, id="no-callable-registered"),
    ],
)
@pytest.mark.parametrize("fallback", ["ALLOW", "DENY"])
def test_a_failed_review_applies_the_fallback_result(
    chat: ChatKit, handler: Callable[[dict[str, Any]], Any] | None, fallback: str
) -> None:
    if handler is not None:
        register_review_handler(LAMBDA, handler)
    room = reviewed_room(chat, fallback, maximumMessageLength=10)
    client = chat.join(room, capabilities=["SEND_MESSAGE"])
    send(client, Action="SEND_MESSAGE", Content="original", RequestId="r")
    frame = receive(client)
    if fallback == "ALLOW":
        assert (frame["Type"], frame["Content"]) == ("MESSAGE", "original")
    else:
        assert (frame["Type"], frame["ErrorCode"], frame["RequestId"], frame["ErrorMessage"]) == (
            "ERROR",
            406,
            "r",
            "The message was denied by the room's message review handler: "
            "the handler gave no valid answer in time, and the room's fallbackResult is DENY",
        )


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """An event a stuck handler waits for; set at teardown whatever happens."""
    event = threading.Event()
    yield event
    event.set()


@pytest.mark.parametrize("fallback", ["ALLOW", "DENY"])
def test_a_handler_slower_than_200_ms_gets_the_fallback(
    chat: ChatKit, release: threading.Event, fallback: str
) -> None:
    def stuck(request: dict[str, Any]) -> dict[str, Any]:
        release.wait(60)
        return {"ReviewResult": "DENY" if fallback == "ALLOW" else "ALLOW"}

    register_review_handler(LAMBDA, stuck)
    room = reviewed_room(chat, fallback)
    client = chat.join(room, capabilities=["SEND_MESSAGE"])
    send(client, Action="SEND_MESSAGE", Content="waiting")
    frame = receive(client)
    assert frame["Type"] == ("MESSAGE" if fallback == "ALLOW" else "ERROR")


REVIEW_THREAD = "ivschat-review"


def review_threads() -> int:
    """Threads running review handlers, in this process."""
    return sum(thread.name == REVIEW_THREAD for thread in threading.enumerate())


@pytest.mark.parametrize("chat_settings", [{"review_workers": 3}])
def test_a_handler_that_never_returns_ties_up_the_pool_only(
    chat: ChatKit, release: threading.Event, chat_settings: dict[str, Any]
) -> None:
    calls: list[str] = []

    def stuck(request: dict[str, Any]) -> dict[str, Any]:
        calls.append(request["Content"])
        release.wait(60)
        return {"ReviewResult": "DENY"}

    register_review_handler(LAMBDA, stuck)
    room = reviewed_room(chat, "ALLOW", maximumMessageRatePerSecond=100)
    senders = [chat.join(room, f"user-{n}", capabilities=["SEND_MESSAGE"]) for n in range(5)]
    before = review_threads()
    for n in range(10):  # 10 per sender: within a connection's quota of one second
        for i, sender in enumerate(senders):
            send(sender, Action="SEND_MESSAGE", Content=f"{i}-{n}")
    for sender in senders:  # every message, by the fallback (ALLOW)
        received = [receive(sender) for _ in range(50)]
        assert sorted(frame["Content"] for frame in received) == sorted(
            f"{i}-{n}" for i in range(5) for n in range(10)
        )
    # Only the pool's threads ever ran the handler; the calls that timed out
    # waiting for one were cancelled before they started.
    assert review_threads() - before <= 3
    assert len(calls) <= 3


def test_rooms_without_a_handler_are_not_reviewed(chat: ChatKit) -> None:
    calls: list[dict[str, Any]] = []
    register_review_handler(LAMBDA, lambda request: calls.append(request))
    plain = chat.create_room()
    removed = reviewed_room(chat, "DENY")
    chat.ivschat.update_room(identifier=removed["arn"], messageReviewHandler={"uri": ""})
    for room in (plain, removed):
        client = chat.join(room, capabilities=["SEND_MESSAGE"])
        send(client, Action="SEND_MESSAGE", Content="free speech")
        assert receive(client)["Type"] == "MESSAGE"
    assert calls == []


def test_an_unregistered_handler_is_no_longer_called(chat: ChatKit) -> None:
    calls: list[str] = []

    def deny(request: dict[str, Any]) -> dict[str, str]:
        calls.append(request["Content"])
        return {"ReviewResult": "DENY"}

    register_review_handler(LAMBDA, deny)
    unregister_review_handler(LAMBDA)
    room = reviewed_room(chat, "ALLOW")
    client = chat.join(room, capabilities=["SEND_MESSAGE"])
    send(client, Action="SEND_MESSAGE", Content="hello")
    assert receive(client)["Type"] == "MESSAGE"
    assert calls == []
