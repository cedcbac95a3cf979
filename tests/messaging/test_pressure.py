"""Under pressure: clients that read too slowly, requests that queue up, handlers that are slow."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from chat_kit import ACCOUNT, RECEIVE_TIMEOUT, REGION, ChatKit, receive, send
from websockets.exceptions import ConnectionClosedError
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol

from moto_ivschat import ivschat_backends
from moto_ivschat.messaging import ChatServer, register_review_handler
from moto_ivschat.messaging import review as review_module

LAMBDA = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:review"
#: Frames of the flood, sent in batches the reading client reads between.
BATCHES, BATCH = 40, 256
#: What each flood frame carries (about 1 KB a frame, 10 MB in all: far past 1 MiB and any socket buffers).
PADDING = "x" * 900


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """An event a blocked handler waits for; set at teardown whatever happens."""
    event = threading.Event()
    yield event
    event.set()


def read_until_closed(client: ClientConnection) -> int:
    """Read until the server closes the connection with an error code; return how many frames came."""
    read = 0
    while True:
        try:
            client.recv(timeout=RECEIVE_TIMEOUT)
        except ConnectionClosedError:
            return read
        read += 1


def test_a_client_that_never_reads_is_closed_and_the_others_get_every_frame(
    chat: ChatKit, chat_server: ChatServer
) -> None:
    room = chat.create_room()
    reader = chat.join(room, "reader")
    # A client that reads nothing: a small receive buffer, one message queued at most.
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.connect(("127.0.0.1", chat_server.port))
    sleeper = connect(
        chat_server.url, sock=raw, subprotocols=[Subprotocol(chat.token(room, "sleeper"))], max_queue=1
    )
    backend = ivschat_backends[ACCOUNT][REGION]
    for batch in range(BATCHES):
        for n in range(BATCH):
            backend.send_event(room["arn"], "flood", {"n": str(batch * BATCH + n), "pad": PADDING})
        for n in range(BATCH):
            assert receive(reader)["Attributes"]["n"] == str(batch * BATCH + n)
    with sleeper:
        read = read_until_closed(sleeper)
    # Closed (our choice of 1008 and reason) once over 1 MiB waited for it: it got only a part.
    assert (sleeper.close_code, json.loads(sleeper.close_reason or "")) == (
        1008,
        {
            "ErrorCode": 429,
            "ErrorMessage": "The client read too slowly: over 1048576 bytes waited to be sent",
        },
    )
    assert read < BATCHES * BATCH // 2
    chat.ivschat.send_event(roomIdentifier=room["arn"], eventName="after")
    assert receive(reader)["EventName"] == "after"


@pytest.mark.parametrize("chat_settings", [{"write_buffer_limit": 64 * 1024}])
def test_the_write_buffer_limit_is_a_server_setting(
    chat: ChatKit, chat_server: ChatServer, chat_settings: dict[str, Any]
) -> None:
    room = chat.create_room()
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.connect(("127.0.0.1", chat_server.port))
    with connect(
        chat_server.url, sock=raw, subprotocols=[Subprotocol(chat.token(room))], max_queue=1
    ) as sleeper:
        backend = ivschat_backends[ACCOUNT][REGION]
        for n in range(BATCHES * BATCH):
            backend.send_event(room["arn"], "flood", {"n": str(n), "pad": PADDING})
        read_until_closed(sleeper)
    assert json.loads(sleeper.close_reason or "")["ErrorMessage"].endswith(
        "over 65536 bytes waited to be sent"
    )


def test_pings_are_answered_while_requests_wait_for_a_slow_review(chat: ChatKit) -> None:
    def slow(request: dict[str, Any]) -> dict[str, Any]:
        threading.Event().wait(0.15)
        return {"ReviewResult": "ALLOW", "Content": request["Content"]}

    register_review_handler(LAMBDA, slow)
    room = chat.create_room(messageReviewHandler={"uri": LAMBDA}, maximumMessageRatePerSecond=100)
    token = chat.token(room, capabilities=["SEND_MESSAGE"])
    # The client's keepalive closes it (1011) if a ping waits over a second for its pong.
    with connect(chat.url, subprotocols=[Subprotocol(token)], ping_interval=0.05, ping_timeout=1.0) as client:
        for n in range(20):
            send(client, Action="SEND_MESSAGE", Content=f"m{n}", RequestId=f"r{n}")
        assert [receive(client)["RequestId"] for _ in range(20)] == [f"r{n}" for n in range(20)]


@pytest.mark.parametrize("chat_settings", [{"request_queue_limit": 2}])
def test_requests_beyond_the_queue_are_answered_429_at_once(
    chat: ChatKit, release: threading.Event, monkeypatch: pytest.MonkeyPatch, chat_settings: dict[str, Any]
) -> None:
    monkeypatch.setattr(review_module, "REVIEW_TIMEOUT_SECONDS", 30.0)
    reviewing = threading.Event()

    def held(request: dict[str, Any]) -> dict[str, Any]:
        reviewing.set()
        release.wait(30)
        return {"ReviewResult": "ALLOW", "Content": request["Content"]}

    register_review_handler(LAMBDA, held)
    room = chat.create_room(messageReviewHandler={"uri": LAMBDA}, maximumMessageRatePerSecond=100)
    client = chat.join(room, capabilities=["SEND_MESSAGE"])
    send(client, Action="SEND_MESSAGE", Content="first", RequestId="r0")
    assert reviewing.wait(RECEIVE_TIMEOUT)
    for n in range(1, 6):
        send(client, Action="SEND_MESSAGE", Content=f"m{n}", RequestId=f"r{n}")
    # r1 and r2 wait their turn; r3 to r5 are answered while r0 is still in review.
    refusals = [receive(client) for _ in range(3)]
    assert [(frame["RequestId"], frame["ErrorCode"], frame["ErrorMessage"]) for frame in refusals] == [
        (f"r{n}", 429, "Too many requests wait for an answer: at most 2 may") for n in (3, 4, 5)
    ]
    release.set()
    assert [receive(client)["RequestId"] for _ in range(3)] == ["r0", "r1", "r2"]
