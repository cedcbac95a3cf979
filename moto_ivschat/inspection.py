"""Read what the code under test did to ivschat: a room's events, messages, deletions, disconnections, tokens.

Every function reads the mock's state (under the backend's lock) for any account
and region and returns copies, so a test can neither change the mock through
them nor see a later call change what it already read. A room is named by its
ARN, which carries its account and region; a deleted room's records stay
readable (among the backend's last ``deleted_room_limit`` deletions). Times are
timezone-aware UTC ``datetime``\\s at the millisecond — what the API reports for
the same instant — from moto's clock, so freezegun controls them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TypeVar

from .ivschat.chat_tokens import check_chat_token
from .ivschat.identifiers import parse_arn
from .ivschat.models import ChatToken, IvschatBackend, Room, ivschat_backends
from .ivschat.records import EventRecord, MessageDeletion, MessageRecord, UserDisconnection

T = TypeVar("T")


class RoomNotFoundError(LookupError):
    """The ARN names no room the mock knows (never created, state reset, or deleted long ago)."""

    def __init__(self, room_arn: str) -> None:
        super().__init__(f"no ivschat room {room_arn!r} exists in the mock")
        self.room_arn = room_arn


def _in_room(room_arn: str, read: Callable[[Room], list[T]]) -> list[T]:
    parsed = parse_arn(room_arn)
    if parsed is None or parsed.resource_type != "room":
        raise ValueError(f"not an ivschat room ARN: {room_arn!r}")
    # dict.get, not [...]: looking must not create backends.
    account = dict.get(ivschat_backends, parsed.account_id)
    backend: IvschatBackend | None = dict.get(account, parsed.region) if account is not None else None
    if backend is None:
        raise RoomNotFoundError(room_arn)
    with backend.lock:
        room = backend.room_record(parsed.resource_id)
        if room is None:
            raise RoomNotFoundError(room_arn)
        return read(room)


def sent_events(room_arn: str) -> list[EventRecord]:
    """Return the events SendEvent delivered to the room, oldest first."""
    return _in_room(
        room_arn, lambda room: [dataclasses.replace(e, attributes=dict(e.attributes)) for e in room.events]
    )


def sent_messages(room_arn: str) -> list[MessageRecord]:
    """Return the messages chat clients sent to the room (as delivered, after review), oldest first."""
    return _in_room(
        room_arn,
        lambda room: [
            dataclasses.replace(
                m,
                attributes=None if m.attributes is None else dict(m.attributes),
                sender_attributes=dict(m.sender_attributes),
            )
            for m in room.messages
        ],
    )


def message_deletions(room_arn: str) -> list[MessageDeletion]:
    """Return the room's DeleteMessage calls, oldest first."""
    return _in_room(room_arn, lambda room: list(room.message_deletions))


def user_disconnections(room_arn: str) -> list[UserDisconnection]:
    """Return the room's DisconnectUser calls, oldest first."""
    return _in_room(room_arn, lambda room: list(room.user_disconnections))


def _copy_token(token: ChatToken) -> ChatToken:
    return dataclasses.replace(
        token, capabilities=list(token.capabilities), attributes=dict(token.attributes)
    )


def chat_tokens(room_arn: str) -> list[ChatToken]:
    """Return the chat tokens CreateChatToken issued for the room, oldest first."""
    return _in_room(room_arn, lambda room: [_copy_token(t) for t in room.chat_tokens])


def verify_chat_token(token: str) -> ChatToken:
    """Return what ``token`` was issued for, if it can be used to connect now.

    Raises ``ChatTokenError`` with the first reason that applies, in this order:
    ``UNKNOWN``, ``EXPIRED`` (its ``tokenExpirationTime`` or its session's end
    against the current, possibly frozen, clock), ``USED``, ``ROOM_DELETED``.
    Searches every account and region.
    """
    backend, record = check_chat_token(token)
    with backend.lock:
        return _copy_token(record)
