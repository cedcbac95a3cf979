"""What happens in rooms: requests of connected clients, and what the room delivers to them.

Everything here runs on the emulator's event loop. The backend's state is read
and changed under its lock, never across an ``await``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from websockets.asyncio.server import ServerConnection, broadcast

from ..ivschat.exceptions import ResourceNotFoundException
from ..ivschat.identifiers import new_id
from ..ivschat.records import MessageRecord, RoomRecord, UserDisconnection, frame, now
from .admission import Admission
from .protocol import (
    DELETE_MESSAGE,
    SEND_MESSAGE,
    ChatError,
    ErrorCode,
    Frame,
    encode,
    error_frame,
    parse_delete_message,
    parse_disconnect_user,
    parse_send_message,
    read_frame,
)
from .review import review

logger = logging.getLogger(__name__)

#: The close code of every connection the service ends (normal closure: the
#: official SDK reports it as a server disconnect and does not reconnect).
NORMAL_CLOSURE = 1000
_ONE_SECOND = timedelta(seconds=1)
#: Errors after which the connection is closed: the session or the room is over.
_FATAL = frozenset({ErrorCode.UNAUTHORIZED, ErrorCode.NOT_FOUND})


@dataclass(eq=False)
class Session:
    """One connected client."""

    connection: ServerConnection
    admission: Admission
    expiry: asyncio.TimerHandle | None = None

    @property
    def user_id(self) -> str:
        """The user the chat token was issued to."""
        return self.admission.token.user_id


class ChatRooms:
    """The connected clients of every room, and the messages they exchange."""

    def __init__(self) -> None:
        self._sessions: dict[str, set[Session]] = {}
        #: When the messages of each room in the last second were sent (backend clock).
        self._sent: dict[str, deque[datetime]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    # -- sessions ------------------------------------------------------------

    def join(self, session: Session) -> None:
        """Add a client to its room, to be closed when its session expires.

        The timer runs on real seconds remaining at connect time (by the backend
        clock); a moved frozen clock is caught by the check on every request.
        """
        self._sessions.setdefault(session.admission.room_arn, set()).add(session)
        remaining = (session.admission.token.session_expiration_time - now()).total_seconds()
        loop = asyncio.get_running_loop()
        session.expiry = loop.call_later(max(remaining, 0.0), self._expire, session)

    def leave(self, session: Session) -> None:
        """Forget a client whose connection closed."""
        if session.expiry is not None:
            session.expiry.cancel()
        room_arn = session.admission.room_arn
        members = self._sessions.get(room_arn)
        if members is not None:
            members.discard(session)
            if not members:
                del self._sessions[room_arn]
                self._sent.pop(room_arn, None)

    def _expire(self, session: Session) -> None:
        error = ChatError(ErrorCode.UNAUTHORIZED, "The chat session has expired")
        self._send(session, error_frame(error, new_id()))
        self._close(session, "Session expired")

    def _close(self, session: Session, reason: str) -> None:
        task = asyncio.get_running_loop().create_task(session.connection.close(NORMAL_CLOSURE, reason))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    def _send(session: Session, frame: dict[str, object]) -> None:
        broadcast([session.connection], encode(frame))

    def _broadcast(self, room_arn: str, frame: dict[str, object]) -> None:
        broadcast([s.connection for s in self._sessions.get(room_arn, ())], encode(frame))

    # -- requests --------------------------------------------------------------

    async def handle(self, session: Session, data: str | bytes) -> None:
        """Answer one frame a client sent: an ERROR frame to it alone if the request is refused."""
        request_id = ""
        try:
            frame = self._admit_request(session.admission, data)
            request_id = frame.request_id
            await self._carry_out(session, frame)
        except ChatError as error:
            self._send(session, error_frame(error, new_id()))
            if error.code in _FATAL:
                await session.connection.close(NORMAL_CLOSURE, error.message)
        except Exception:
            logger.exception("ivschat messaging: request failed")
            internal = ChatError(ErrorCode.INTERNAL_SERVER_ERROR, "Internal error", request_id)
            self._send(session, error_frame(internal, new_id()))

    @staticmethod
    def _admit_request(admission: Admission, data: str | bytes) -> Frame:
        """Read a frame and check the session, the room and the capability it needs."""
        try:
            frame = read_frame(data)
        except ChatError as malformed:
            # An expired session or a deleted room is reported before a bad request.
            with admission.backend.lock:
                admission.current_room(malformed.request_id)
            raise
        with admission.backend.lock:
            admission.current_room(frame.request_id)
        if frame.action not in admission.token.capabilities:
            raise ChatError(
                ErrorCode.FORBIDDEN, f"The chat token lacks the {frame.action} capability", frame.request_id
            )
        return frame

    async def _carry_out(self, session: Session, frame: Frame) -> None:
        if frame.action == SEND_MESSAGE:
            await self._send_message(session, frame)
            return
        # A moderator's request is the backend call it stands for: its record
        # reaches the room's clients through the room listener, as any other.
        admission = session.admission
        backend, room_arn = admission.backend, admission.room_arn
        try:
            if frame.action == DELETE_MESSAGE:
                deletion = parse_delete_message(frame)
                backend.delete_message(room_arn, deletion.message_id, deletion.reason, deletion.request_id)
            else:
                disconnect = parse_disconnect_user(frame)
                backend.disconnect_user(
                    room_arn, disconnect.user_id, disconnect.reason, disconnect.request_id
                )
        except ResourceNotFoundException:
            raise ChatError(ErrorCode.NOT_FOUND, "The room does not exist", frame.request_id) from None

    async def _send_message(self, session: Session, frame: Frame) -> None:
        admission = session.admission
        backend = admission.backend
        received = now()
        with backend.lock:
            room = admission.current_room(frame.request_id)
            maximum_length = room.maximum_message_length
            maximum_rate = room.maximum_message_rate_per_second
            handler = dict(room.message_review_handler or {})
        request = parse_send_message(frame, maximum_length)
        if not self._admit_message(admission.room_arn, maximum_rate, received):
            raise ChatError(
                ErrorCode.TOO_MANY_REQUESTS,
                f"The room allows {maximum_rate} message(s) per second",
                frame.request_id,
            )
        message_id = new_id()
        content, attributes = request.content, request.attributes
        if handler.get("uri"):
            verdict = await review(
                handler,
                {
                    "Content": content,
                    "MessageId": message_id,
                    "RoomArn": admission.room_arn,
                    "Attributes": dict(attributes or {}),
                    "Sender": {
                        "Attributes": dict(admission.token.attributes),
                        "UserId": admission.token.user_id,
                        "Ip": session.connection.remote_address[0],
                    },
                },
                attributes,
                maximum_length,
            )
            if not verdict.allowed:
                denial = "The message was denied by the room's message review handler"
                if verdict.reason:
                    denial = f"{denial}: {verdict.reason}"
                raise ChatError(ErrorCode.NOT_ACCEPTABLE, denial, frame.request_id, message_id)
            content, attributes = verdict.content, verdict.attributes
        message = MessageRecord(
            message_id,
            frame.request_id,
            content,
            attributes,
            admission.token.user_id,
            dict(admission.token.attributes),
            received,
        )
        with backend.lock:
            admission.current_room(frame.request_id)
            # The backend keeps and logs it, then hands it to the room listener.
            backend.deliver_message(admission.room_arn, message)

    def _admit_message(self, room_arn: str, maximum_rate: int, moment: datetime) -> bool:
        """Count a message against the room's ``maximumMessageRatePerSecond`` (all clients together)."""
        sent = self._sent.setdefault(room_arn, deque())
        while sent and moment - sent[0] >= _ONE_SECOND:
            sent.popleft()
        if len(sent) >= maximum_rate:
            return False
        sent.append(moment)
        return True

    # -- deliveries ------------------------------------------------------------

    def deliver(self, room_arn: str, record: RoomRecord) -> None:
        """Send what a room received to its clients; end the sessions a DisconnectUser names."""
        self._broadcast(room_arn, frame(record))
        if isinstance(record, UserDisconnection):
            for session in list(self._sessions.get(room_arn, ())):
                if session.user_id == record.user_id:
                    self._close(session, "Disconnected")

    async def finish_closing(self) -> None:
        """Wait for the closes this class started (at shutdown)."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
