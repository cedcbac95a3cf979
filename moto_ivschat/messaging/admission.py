"""Who may be in a room: the chat-token check at connect time and the session check on each request.

Times come from moto's clock (``records.now``), so a frozen or moved clock
(freezegun) decides token and session expiry exactly as it decides the
expiration times CreateChatToken answered.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ivschat.chat_tokens import ChatTokenError, ChatTokenErrorReason, check_chat_token
from ..ivschat.exceptions import ResourceNotFoundException
from ..ivschat.models import ChatToken, IvschatBackend, Room
from ..ivschat.records import now
from .protocol import ChatError, ErrorCode


@dataclass(frozen=True)
class Admission:
    """A connection's right to be in a room: the token it used, in its backend."""

    backend: IvschatBackend
    token: ChatToken

    @property
    def room_arn(self) -> str:
        """The room the token was issued for."""
        return self.token.room_arn

    def current_room(self, request_id: str = "") -> Room:
        """Return the room, or raise ChatError: 401 once the session expired, 404 once the room is gone.

        Call under ``backend.lock``.
        """
        if now() >= self.token.session_expiration_time:
            raise ChatError(ErrorCode.UNAUTHORIZED, "The chat session has expired", request_id)
        try:
            return self.backend.get_room_by_arn(self.token.room_arn)
        except ResourceNotFoundException:
            raise ChatError(ErrorCode.NOT_FOUND, "The room does not exist", request_id) from None


#: How the emulator refuses a connection for each reason a token cannot connect.
_REFUSALS = {
    ChatTokenErrorReason.UNKNOWN: (ErrorCode.UNAUTHORIZED, "The chat token is not valid"),
    ChatTokenErrorReason.EXPIRED: (ErrorCode.UNAUTHORIZED, "The chat token has expired"),
    ChatTokenErrorReason.USED: (ErrorCode.UNAUTHORIZED, "The chat token has already been used"),
    ChatTokenErrorReason.ROOM_DELETED: (ErrorCode.NOT_FOUND, "The room does not exist"),
}


def admit(token: str | None, region: str | None = None) -> Admission:
    """Use ``token`` to enter its room, or raise ChatError (401 or 404) saying why not.

    Refused: no token, a token no backend issued, a token past its
    ``tokenExpirationTime`` or its session's end, or already used to connect
    (401), a token of a room deleted since (404). At a regional endpoint
    (``region`` given), a token of another region's room is refused too (401)
    and stays unused. A token admitted is marked used: it opens one connection only.
    """
    if not token:
        raise ChatError(ErrorCode.UNAUTHORIZED, "A chat token is required")
    try:
        backend, _ = check_chat_token(token)
        if region is not None and backend.region_name != region:
            raise ChatError(
                ErrorCode.UNAUTHORIZED,
                f"The chat token is not valid in {region}: its room is in {backend.region_name}",
            )
        backend, record = check_chat_token(token, claim=True)
    except ChatTokenError as error:
        raise ChatError(*_REFUSALS[error.reason]) from None
    return Admission(backend, record)
