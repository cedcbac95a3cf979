"""The Chat Messaging API's wire format: client requests, server frames and error codes.

Field names, casing and order follow the AWS Chat Messaging API reference and
what the official JavaScript SDK (``amazon-ivs-chat-messaging``) sends and parses.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Any

from ..ivschat.models import (
    MAX_ATTRIBUTES_BYTES,
    EventRecord,
    MessageDeletion,
    MessageRecord,
    RoomRecord,
    UserDisconnection,
    attributes_size,
)
from ..ivschat.service_model import service_model

# Limits of the fields the control plane shares with chat requests, read from the model.
MAX_REASON_LENGTH = int(service_model().shape_for("Reason").metadata["max"])
MAX_USER_ID_LENGTH = int(service_model().shape_for("UserID").metadata["max"])
MAX_MESSAGE_ID_LENGTH = int(service_model().shape_for("MessageID").metadata["max"])
_MESSAGE_ID = re.compile(service_model().shape_for("MessageID").metadata["pattern"])

SEND_MESSAGE = "SEND_MESSAGE"
DELETE_MESSAGE = "DELETE_MESSAGE"
DISCONNECT_USER = "DISCONNECT_USER"
#: The capability each action needs (the capability is named after the action).
ACTIONS = frozenset({SEND_MESSAGE, DELETE_MESSAGE, DISCONNECT_USER})

DELETE_MESSAGE_EVENT = "aws:DELETE_MESSAGE"
DISCONNECT_USER_EVENT = "aws:DISCONNECT_USER"


class ErrorCode(IntEnum):
    """The ``ErrorCode`` of an ERROR frame (HTTP status codes, as documented)."""

    BAD_REQUEST = 400
    UNAUTHORIZED = 401
    FORBIDDEN = 403
    NOT_FOUND = 404
    NOT_ACCEPTABLE = 406
    PAYLOAD_TOO_LARGE = 413
    TOO_MANY_REQUESTS = 429
    INTERNAL_SERVER_ERROR = 500


class ChatError(Exception):
    """A request the room refuses: answered with an ERROR frame to the sender only."""

    def __init__(self, code: ErrorCode, message: str, request_id: str = "", error_id: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.request_id = request_id
        self.error_id = error_id


@dataclass(frozen=True)
class Frame:
    """A client request, read far enough to check its action and capability."""

    action: str
    request_id: str
    body: dict[str, Any]


@dataclass(frozen=True)
class SendMessage:
    """A SEND_MESSAGE request."""

    request_id: str
    content: str
    attributes: dict[str, str] | None


@dataclass(frozen=True)
class DeleteMessage:
    """A DELETE_MESSAGE request."""

    request_id: str
    message_id: str
    reason: str | None


@dataclass(frozen=True)
class DisconnectUser:
    """A DISCONNECT_USER request."""

    request_id: str
    user_id: str
    reason: str | None


def read_frame(data: str | bytes) -> Frame:
    """Return the action and ``RequestId`` of a client frame, or raise ChatError (400)."""
    if not isinstance(data, str):
        raise ChatError(ErrorCode.BAD_REQUEST, "Requests must be JSON text frames")
    try:
        body = json.loads(data)
    except ValueError:
        raise ChatError(ErrorCode.BAD_REQUEST, "The request is not valid JSON") from None
    if type(body) is not dict:
        raise ChatError(ErrorCode.BAD_REQUEST, "The request must be a JSON object")
    request_id = body.get("RequestId", "")
    if not isinstance(request_id, str):
        raise ChatError(ErrorCode.BAD_REQUEST, "RequestId must be a string")
    action = body.get("Action")
    if action not in ACTIONS:
        raise ChatError(ErrorCode.BAD_REQUEST, f"Unknown Action: {action!r}", request_id)
    return Frame(action, request_id, body)


def _text(frame: Frame, field: str, max_length: int, *, required: bool) -> str | None:
    """Return a string field: missing, not a string or empty is 400; over ``max_length`` is 413."""
    value = frame.body.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise ChatError(ErrorCode.BAD_REQUEST, f"{field} must be a non-empty string", frame.request_id)
    if len(value) > max_length:
        raise ChatError(
            ErrorCode.PAYLOAD_TOO_LARGE,
            f"{field} must be at most {max_length} characters",
            frame.request_id,
        )
    return value


def _attributes(frame: Frame) -> dict[str, str] | None:
    value = frame.body.get("Attributes")
    if value is None:
        return None
    if type(value) is not dict or not all(isinstance(v, str) for v in value.values()):
        raise ChatError(
            ErrorCode.BAD_REQUEST, "Attributes must be an object of string values", frame.request_id
        )
    if attributes_size(value) > MAX_ATTRIBUTES_BYTES:
        raise ChatError(
            ErrorCode.PAYLOAD_TOO_LARGE,
            f"Attributes must be at most {MAX_ATTRIBUTES_BYTES} bytes in total",
            frame.request_id,
        )
    return value


def parse_send_message(frame: Frame, maximum_message_length: int) -> SendMessage:
    """Read a SEND_MESSAGE; ``Content`` is counted in code points against the room's maximum.

    The API reference's sample error gives 400 for an over-long message, but its
    error table reserves 413 for "fields that are too large": we answer 413.
    """
    content = _text(frame, "Content", maximum_message_length, required=True)
    assert content is not None
    return SendMessage(frame.request_id, content, _attributes(frame))


def parse_delete_message(frame: Frame) -> DeleteMessage:
    """Read a DELETE_MESSAGE: ``Id`` is a message ID (1-12 of ``[a-zA-Z0-9]``)."""
    message_id = _text(frame, "Id", MAX_MESSAGE_ID_LENGTH, required=True)
    assert message_id is not None
    if not _MESSAGE_ID.fullmatch(message_id):
        raise ChatError(ErrorCode.BAD_REQUEST, "Id must be a message ID", frame.request_id)
    return DeleteMessage(
        frame.request_id, message_id, _text(frame, "Reason", MAX_REASON_LENGTH, required=False)
    )


def parse_disconnect_user(frame: Frame) -> DisconnectUser:
    """Read a DISCONNECT_USER."""
    user_id = _text(frame, "UserId", MAX_USER_ID_LENGTH, required=True)
    assert user_id is not None
    return DisconnectUser(
        frame.request_id, user_id, _text(frame, "Reason", MAX_REASON_LENGTH, required=False)
    )


def send_time(moment: datetime) -> str:
    """Return ``moment`` (naive UTC) in RFC 3339 with nanoseconds, as ``SendTime`` is written."""
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond:06d}000Z"


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


def event_frame(record: RoomRecord) -> dict[str, Any]:
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
        assert isinstance(record, UserDisconnection)
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


def error_frame(error: ChatError, error_id: str) -> dict[str, Any]:
    """Return the ERROR frame answering a refused request (``error_id`` unless it has one)."""
    return {
        "Type": "ERROR",
        "Id": error.error_id or error_id,
        "RequestId": error.request_id,
        "ErrorCode": int(error.code),
        "ErrorMessage": error.message,
    }


def encode(frame: dict[str, Any]) -> str:
    """Serialize a frame as compact JSON."""
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))
