"""Read what the code under test did to ivschat: a room's events, deletions, disconnections, tokens.

Every function reads the mock's state (under the backend's lock) for any account
and region and returns copies, so a test can neither change the mock through
them nor see a later call change what it already read. A room is named by its
ARN, which carries its account and region. Times are naive UTC ``datetime``\\s
from moto's clock, so freezegun controls them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from moto.core.utils import utcnow

from .ivschat.identifiers import parse_arn
from .ivschat.models import (
    ChatToken,
    EventRecord,
    IvschatBackend,
    MessageDeletion,
    Room,
    UserDisconnection,
    format_time,
    ivschat_backends,
)

T = TypeVar("T")


class RoomNotFoundError(LookupError):
    """The ARN names no room that exists now (never created, deleted, or state reset)."""

    def __init__(self, room_arn: str) -> None:
        super().__init__(f"no ivschat room {room_arn!r} exists in the mock")
        self.room_arn = room_arn


class ChatTokenErrorReason(StrEnum):
    """Why a chat token cannot be used to connect."""

    #: The mock never issued it (or its state was reset since).
    UNKNOWN = "UNKNOWN"
    #: The current (possibly frozen) time is at or past its ``tokenExpirationTime``.
    EXPIRED = "EXPIRED"
    #: It already opened a connection; a token opens one connection only.
    USED = "USED"
    #: Its room has been deleted.
    ROOM_DELETED = "ROOM_DELETED"


class ChatTokenError(Exception):
    """A chat token cannot be used to connect; ``reason`` says why."""

    def __init__(self, reason: ChatTokenErrorReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


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
        room = backend.rooms.get(parsed.resource_id)
        if room is None:
            raise RoomNotFoundError(room_arn)
        return read(room)


def sent_events(room_arn: str) -> list[EventRecord]:
    """Return the events SendEvent delivered to the room, oldest first."""
    return _in_room(
        room_arn, lambda room: [dataclasses.replace(e, attributes=dict(e.attributes)) for e in room.events]
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
    ``UNKNOWN``, ``EXPIRED`` (against the current, possibly frozen, clock),
    ``USED``, ``ROOM_DELETED``. Searches every account and region.
    """
    for account in list(ivschat_backends.values()):
        for backend in list(account.values()):
            with backend.lock:
                record = backend.chat_tokens.get(token)
                if record is None:
                    continue
                now = utcnow()
                if now >= record.token_expiration_time:
                    raise ChatTokenError(
                        ChatTokenErrorReason.EXPIRED,
                        f"chat token for user {record.user_id!r} expired at "
                        f"{format_time(record.token_expiration_time)} (now {format_time(now)})",
                    )
                if record.used:
                    raise ChatTokenError(
                        ChatTokenErrorReason.USED,
                        f"chat token for user {record.user_id!r} was already used to connect; "
                        "a token opens one connection only",
                    )
                if backend.rooms.get(record.room_arn.rpartition("/")[2]) is None:
                    raise ChatTokenError(
                        ChatTokenErrorReason.ROOM_DELETED,
                        f"chat token's room {record.room_arn} has been deleted",
                    )
                return _copy_token(record)
    raise ChatTokenError(
        ChatTokenErrorReason.UNKNOWN,
        "chat token is unknown: the mock never issued it, or its state was reset since",
    )
