"""The emulator's life: where it listens, and what stopping it does."""

from __future__ import annotations

import json
import re
import socket

import boto3
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from moto_ivschat.ivschat.models import IvschatBackend
from moto_ivschat.messaging import ChatServer, start_chat_server


def test_the_fixture_url_is_a_local_free_port(ivschat_chat_url: str) -> None:
    assert re.fullmatch(r"ws://127\.0\.0\.1:\d+/", ivschat_chat_url)
    assert not ivschat_chat_url.endswith(":0/")


def test_a_given_port_is_used_and_a_taken_one_refused(ivschat_mock: object) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(OSError):  # noqa: PT011 (the errno differs between systems)
            start_chat_server(port=port)
    server = start_chat_server(port=port)
    try:
        assert server.url == f"ws://127.0.0.1:{port}/"
    finally:
        server.stop()


def test_stopping_closes_clients_and_stops_listening_to_rooms(ivschat_mock: object) -> None:
    listeners = len(IvschatBackend.room_listeners)
    ivschat = boto3.client("ivschat", region_name="us-east-1")
    room = ivschat.create_room()
    token = ivschat.create_chat_token(roomIdentifier=room["arn"], userId="alice")["token"]
    with ChatServer() as server:
        assert len(IvschatBackend.room_listeners) == listeners + 1
        with connect(server.url, subprotocols=[token]) as client:
            ivschat.send_event(roomIdentifier=room["arn"], eventName="before")
            assert json.loads(client.recv(timeout=10))["EventName"] == "before"
            server.stop()
            with pytest.raises(ConnectionClosed):
                client.recv(timeout=10)
            assert client.close_code == 1001
    assert len(IvschatBackend.room_listeners) == listeners
    ivschat.send_event(roomIdentifier=room["arn"], eventName="after")


def chat_token(ivschat: object) -> str:
    """A token of a new room (boto3 client ``ivschat``) that may send."""
    room = ivschat.create_room()  # type: ignore[attr-defined]
    answer = ivschat.create_chat_token(  # type: ignore[attr-defined]
        roomIdentifier=room["arn"], userId="alice", capabilities=["SEND_MESSAGE"]
    )
    return str(answer["token"])


@pytest.mark.parametrize(("compression", "negotiated"), [(None, False), ("deflate", True)])
def test_compression_is_off_unless_the_server_is_set_to_deflate(
    ivschat_mock: object, compression: str | None, negotiated: bool
) -> None:
    ivschat = boto3.client("ivschat", region_name="us-east-1")
    with (
        ChatServer(compression=compression) as server,
        connect(server.url, subprotocols=[chat_token(ivschat)]) as client,  # offers permessage-deflate
    ):
        assert bool(client.protocol.extensions) is negotiated
        client.send(json.dumps({"Action": "SEND_MESSAGE", "Content": "squeeze me " * 20}))
        assert json.loads(client.recv(timeout=10))["Content"] == "squeeze me " * 20


def test_an_unknown_compression_is_refused() -> None:
    with pytest.raises(ValueError, match="compression"):
        ChatServer(compression="gzip")
