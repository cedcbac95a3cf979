"""Whether a chat token can open a connection now: the one check the inspection API and the
messaging emulator share.

A token can connect while the current (moto, so possibly frozen) time is before its
``tokenExpirationTime`` and its session's end, it has not opened a connection yet,
and its room still exists. Tokens are looked up in every account and region.
"""

from __future__ import annotations

from enum import Enum

from .models import ChatToken, IvschatBackend, ivschat_backends
from .records import format_time, now


class ChatTokenErrorReason(str, Enum):
    """Why a chat token cannot be used to connect (a ``str``: compares equal to its value)."""

    #: The mock never issued it (or its state was reset since).
    UNKNOWN = "UNKNOWN"
    #: The current (possibly frozen) time is at or past its ``tokenExpirationTime``
    #: (or the end of the session it was issued for).
    EXPIRED = "EXPIRED"
    #: It already opened a connection; a token opens one connection only.
    USED = "USED"
    #: Its room has been deleted.
    ROOM_DELETED = "ROOM_DELETED"

    def __str__(self) -> str:
        return str(self.value)


class ChatTokenError(Exception):
    """A chat token cannot be used to connect; ``reason`` says why."""

    def __init__(self, reason: ChatTokenErrorReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def check_chat_token(token: str, claim: bool = False) -> tuple[IvschatBackend, ChatToken]:
    """Return the backend and record of ``token`` if it can connect now, else raise ChatTokenError.

    The first reason that applies wins: ``UNKNOWN``, ``EXPIRED``, ``USED``,
    ``ROOM_DELETED``. With ``claim``, the token is marked used in the same
    locked step, so two connections can never both claim it.
    """
    for account in list(ivschat_backends.values()):
        for backend in list(account.values()):
            with backend.lock:
                record = backend.chat_tokens.get(token)
                if record is None:
                    continue
                _check(backend, record)
                if claim:
                    record.used = True
                return backend, record
    raise ChatTokenError(
        ChatTokenErrorReason.UNKNOWN,
        "chat token is unknown: the mock never issued it, or its state was reset since",
    )


def _check(backend: IvschatBackend, record: ChatToken) -> None:
    current = now()
    user = record.user_id
    if current >= record.token_expiration_time:
        raise ChatTokenError(
            ChatTokenErrorReason.EXPIRED,
            f"chat token for user {user!r} expired at "
            f"{format_time(record.token_expiration_time)} (now {format_time(current)})",
        )
    if current >= record.session_expiration_time:
        raise ChatTokenError(
            ChatTokenErrorReason.EXPIRED,
            f"the session of the chat token for user {user!r} ended at "
            f"{format_time(record.session_expiration_time)} (now {format_time(current)})",
        )
    if record.used:
        raise ChatTokenError(
            ChatTokenErrorReason.USED,
            f"chat token for user {user!r} was already used to connect; a token opens one connection only",
        )
    if backend.rooms.get(record.room_arn.rpartition("/")[2]) is None:
        raise ChatTokenError(
            ChatTokenErrorReason.ROOM_DELETED, f"chat token's room {record.room_arn} has been deleted"
        )
