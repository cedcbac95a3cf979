"""What a room receives — events, message deletions, user disconnections, messages — and the
frames connected clients (and the room's chat logs) get for each.

Times are timezone-aware UTC at the millisecond, as the API reports times. Frame
fields, casing and order follow the Chat Messaging API reference and what the
official JavaScript SDK (``amazon-ivs-chat-messaging``) parses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from moto.core.utils import utcnow

DELETE_MESSAGE_EVENT = "aws:DELETE_MESSAGE"
DISCONNECT_USER_EVENT = "aws:DISCONNECT_USER"


def now() -> datetime:
    """moto's (freezable) clock, aware UTC, to the millisecond: the instant an API call reports."""
    moment = utcnow()
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000, tzinfo=timezone.utc)


def format_time(moment: datetime) -> str:
    """Return ``moment`` (aware UTC) as the service writes times: ISO 8601, ms, ``Z``."""
    return moment.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def send_time(moment: datetime) -> str:
    """Return ``moment`` (aware UTC) in RFC 3339 with nanoseconds, as ``SendTime`` is written."""
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond:06d}000Z"


@dataclass(frozen=True)
class EventRecord:
    """An event SendEvent delivered to a room."""

    id: str
    event_name: str
    attributes: dict[str, str]
    time: datetime


@dataclass(frozen=True)
class MessageDeletion:
    """A DeleteMessage call: ``id`` is the event's, ``message_id`` the removed message's.

    ``request_id`` is the client's ``RequestId`` when a chat client asked for it
    (``""`` for the control plane).
    """

    id: str
    message_id: str
    reason: str | None
    time: datetime
    request_id: str = ""


@dataclass(frozen=True)
class UserDisconnection:
    """A DisconnectUser call: ``id`` is the event's; ``request_id`` as for ``MessageDeletion``."""

    id: str
    user_id: str
    reason: str | None
    time: datetime
    request_id: str = ""


@dataclass(frozen=True)
class MessageRecord:
    """A message a chat client sent and the room delivered (after any message review).

    ``attributes`` is ``None`` when the client sent none.
    """

    id: str
    request_id: str
    content: str
    attributes: dict[str, str] | None
    sender_user_id: str
    sender_attributes: dict[str, str]
    time: datetime


#: What a room can receive from the control plane (or a moderator's request).
RoomEvent = EventRecord | MessageDeletion | UserDisconnection
#: Everything a room receives.
RoomRecord = RoomEvent | MessageRecord


def message_frame(message: MessageRecord) -> dict[str, Any]:
    """Return the MESSAGE frame every client in the room receives."""
    return {
        "Type": "MESSAGE",
        "Id": message.id,
        "RequestId": message.request_id,
        "Attributes": message.attributes,
        "Content": message.content,
        "SendTime": send_time(message.time),
        "Sender": {"UserId": message.sender_user_id, "Attributes": message.sender_attributes},
    }


def event_frame(record: RoomEvent) -> dict[str, Any]:
    """Return the EVENT frame for what the control plane (or a moderator) sent a room.

    SendEvent's attributes are ``null`` when it was given none; the system
    events carry their documented attributes (``Reason`` only when one was given).
    """
    request_id = ""
    attributes: dict[str, str] | None
    if isinstance(record, EventRecord):
        name, attributes = record.event_name, (dict(record.attributes) or None)
    elif isinstance(record, MessageDeletion):
        name, request_id = DELETE_MESSAGE_EVENT, record.request_id
        # The SDKs read ``MessageID``; ``MessageId`` is sent too, as the service does.
        attributes = {"MessageID": record.message_id, "MessageId": record.message_id}
        if record.reason is not None:
            attributes["Reason"] = record.reason
    else:
        name, request_id = DISCONNECT_USER_EVENT, record.request_id
        attributes = {"UserId": record.user_id}
        if record.reason is not None:
            attributes["Reason"] = record.reason
    return {
        "Type": "EVENT",
        "Id": record.id,
        "RequestId": request_id,
        "Attributes": attributes,
        "EventName": name,
        "SendTime": send_time(record.time),
    }


def frame(record: RoomRecord) -> dict[str, Any]:
    """Return the frame clients receive for ``record`` (MESSAGE or EVENT)."""
    return message_frame(record) if isinstance(record, MessageRecord) else event_frame(record)
