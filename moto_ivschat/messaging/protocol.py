"""The Chat Messaging API's wire format: client requests, error frames and error codes.

The MESSAGE and EVENT frames are what a room receives: ``ivschat.records`` makes them.

Field names, casing and order follow the AWS Chat Messaging API reference and
what the official JavaScript SDK (``amazon-ivs-chat-messaging``) sends and parses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from ..ivschat.models import MAX_ATTRIBUTES_BYTES, attributes_size
from ..ivschat.service_model import service_model
from ..ivschat.validation import field_errors, is_unicode

# Limits of the fields the control plane shares with chat requests, read from the model.
MAX_REASON_LENGTH = int(service_model().shape_for("Reason").metadata["max"])
MAX_USER_ID_LENGTH = int(service_model().shape_for("UserID").metadata["max"])
MAX_MESSAGE_ID_LENGTH = int(service_model().shape_for("MessageID").metadata["max"])

#: What a close frame's reason holds (RFC 6455: 125 bytes of payload, 2 of them the code).
MAX_CLOSE_REASON_BYTES = 123

SEND_MESSAGE = "SEND_MESSAGE"
DELETE_MESSAGE = "DELETE_MESSAGE"
DISCONNECT_USER = "DISCONNECT_USER"
#: The capability each action needs (the capability is named after the action).
ACTIONS = frozenset({SEND_MESSAGE, DELETE_MESSAGE, DISCONNECT_USER})


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


#: Request keys, found whatever their case: AWS's early sample apps sent ``"action"``,
#: ``"content"``, ``"requestId"``, ``"attributes"`` beside ``"Id"``, ``"Reason"``, ``"UserId"``.
_KEYS = {
    key.lower(): key for key in ("Action", "Content", "Attributes", "RequestId", "Id", "Reason", "UserId")
}
#: How much of an unknown action an error message repeats.
_SHOWN_ACTION_LENGTH = 64


def _canonical(body: dict[Any, Any]) -> dict[str, Any]:
    """The request's known keys in their documented case; ``null`` members are absent, others ignored.

    A key given twice in different cases is refused (400): which one was meant is unknowable.
    """
    canonical: dict[str, Any] = {}
    for key, value in body.items():
        name = _KEYS.get(key.lower())
        if name is None or value is None:
            continue
        if name in canonical:
            raise ChatError(ErrorCode.BAD_REQUEST, f"{name} is given more than once")
        canonical[name] = value
    return canonical


def _check_unicode(body: dict[str, Any], request_id: str) -> None:
    """Refuse strings with unpaired surrogates (400): they cannot be delivered as UTF-8."""
    for name, value in body.items():
        strings = [value] if isinstance(value, str) else []
        if type(value) is dict:
            strings = [s for item in value.items() for s in item if isinstance(s, str)]
        if not all(is_unicode(s) for s in strings):
            raise ChatError(
                ErrorCode.BAD_REQUEST, f"{name} must be valid Unicode (no unpaired surrogates)", request_id
            )


def read_frame(data: str | bytes) -> Frame:
    """Return the action and ``RequestId`` of a client frame, or raise ChatError (400)."""
    if not isinstance(data, str):
        raise ChatError(ErrorCode.BAD_REQUEST, "Requests must be JSON text frames")
    try:
        parsed = json.loads(data)
    except (ValueError, RecursionError):  # malformed, or nested deeper than any request
        raise ChatError(ErrorCode.BAD_REQUEST, "The request is not valid JSON") from None
    if type(parsed) is not dict:
        raise ChatError(ErrorCode.BAD_REQUEST, "The request must be a JSON object")
    body = _canonical(parsed)
    request_id = body.get("RequestId", "")
    if not isinstance(request_id, str):
        raise ChatError(ErrorCode.BAD_REQUEST, "RequestId must be a string")
    if not is_unicode(request_id):
        raise ChatError(ErrorCode.BAD_REQUEST, "RequestId must be valid Unicode (no unpaired surrogates)")
    _check_unicode(body, request_id)
    action = body.get("Action")
    if action is not None and not isinstance(action, str):
        raise ChatError(ErrorCode.BAD_REQUEST, "Action must be a string", request_id)
    if action not in ACTIONS:
        shown = action if action is None else action[:_SHOWN_ACTION_LENGTH]
        raise ChatError(ErrorCode.BAD_REQUEST, f"Unknown Action: {shown!r}", request_id)
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
    """Read a DELETE_MESSAGE: ``Id`` is checked as the control plane checks a message ID.

    Too long is 413, as for every field; any other broken constraint of the
    model's ``MessageID`` (12 of ``[a-zA-Z0-9]``) is 400, naming it.
    """
    message_id = _text(frame, "Id", MAX_MESSAGE_ID_LENGTH, required=True)
    assert message_id is not None
    errors = field_errors("MessageID", message_id, "Id")
    if errors:
        raise ChatError(ErrorCode.BAD_REQUEST, "; ".join(e["message"] for e in errors), frame.request_id)
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


def error_frame(error: ChatError, error_id: str) -> dict[str, Any]:
    """Return the ERROR frame answering a refused request (``error_id`` unless it has one)."""
    return {
        "Type": "ERROR",
        "Id": error.error_id or error_id,
        "RequestId": error.request_id,
        "ErrorCode": int(error.code),
        "ErrorMessage": error.message,
    }


def error_close_reason(code: ErrorCode, message: str) -> str:
    """The close reason of a connection an error ends: JSON ``{"ErrorCode", "ErrorMessage"}``.

    AWS's web sample parses the reason as this JSON when a session expires.
    """
    reason = json.dumps({"ErrorCode": int(code), "ErrorMessage": message}, separators=(",", ":"))
    assert len(reason.encode()) <= MAX_CLOSE_REASON_BYTES, reason
    return reason


def fit_close_reason(reason: str) -> str:
    """``reason`` cut to what a close frame holds (123 bytes of UTF-8), at a character boundary."""
    encoded = reason.encode()
    if len(encoded) <= MAX_CLOSE_REASON_BYTES:
        return reason
    return encoded[:MAX_CLOSE_REASON_BYTES].decode(errors="ignore")


def encode(frame: dict[str, Any]) -> str:
    """Serialize a frame as compact JSON."""
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))
