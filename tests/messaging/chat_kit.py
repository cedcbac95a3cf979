"""A chat test kit: rooms and tokens through boto3, clients connected to the emulator."""

from __future__ import annotations

import json
from contextlib import ExitStack
from typing import Any

import boto3
from websockets.sync.client import ClientConnection, connect

from moto_ivschat import ivschat_backends
from moto_ivschat.ivschat.models import Room

REGION = "us-east-1"
ACCOUNT = "123456789012"
#: Generous: frames arrive in milliseconds on 127.0.0.1; this only bounds a failing test.
RECEIVE_TIMEOUT = 10.0
#: One session for every test: it loads each service model once (the mock intercepts its clients).
_SESSION = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing")


class ChatKit:
    """Rooms and tokens through boto3, and chat clients connected to the emulator."""

    def __init__(self, url: str, stack: ExitStack) -> None:
        self.url = url
        self.ivschat = self.client("ivschat")
        self._stack = stack

    @staticmethod
    def client(service: str, region: str = REGION) -> Any:
        """A boto3 client (under the mock)."""
        return _SESSION.client(service, region_name=region)

    def create_room(self, **kwargs: Any) -> dict[str, Any]:
        """CreateRoom."""
        room: dict[str, Any] = self.ivschat.create_room(**kwargs)
        return room

    def token(self, room: dict[str, Any], user_id: str = "alice", **kwargs: Any) -> str:
        """CreateChatToken for ``user_id``."""
        answer = self.ivschat.create_chat_token(roomIdentifier=room["arn"], userId=user_id, **kwargs)
        token: str = answer["token"]
        return token

    def open(self, token: str | None) -> ClientConnection:
        """Connect with ``token`` as the subprotocol (closed at teardown)."""
        subprotocols: Any = [token] if token is not None else None
        return self._stack.enter_context(connect(self.url, subprotocols=subprotocols))

    def join(self, room: dict[str, Any], user_id: str = "alice", **kwargs: Any) -> ClientConnection:
        """A client of ``room`` for ``user_id`` (token options as CreateChatToken's)."""
        return self.open(self.token(room, user_id, **kwargs))


def send(client: ClientConnection, **request: Any) -> None:
    """Send a request frame."""
    client.send(json.dumps(request))


def receive(client: ClientConnection) -> dict[str, Any]:
    """Return the next frame a client receives."""
    frame: dict[str, Any] = json.loads(client.recv(timeout=RECEIVE_TIMEOUT))
    return frame


def backend_room(room: dict[str, Any]) -> Room:
    """The backend's record of a room."""
    return ivschat_backends[ACCOUNT][REGION].get_room_by_arn(room["arn"])


def expect_only_marker(kit: ChatKit, room: dict[str, Any], *clients: ClientConnection) -> None:
    """Assert the clients received nothing before an event sent now (so nothing was delivered)."""
    kit.ivschat.send_event(roomIdentifier=room["arn"], eventName="test:marker")
    for client in clients:
        assert receive(client)["EventName"] == "test:marker"
