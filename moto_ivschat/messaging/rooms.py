"""What happens in rooms: requests of connected clients, and what rooms send them.

Everything here runs on the emulator's event loop. The backend's state is read
and changed under its lock, never across an ``await``.

A connection's requests wait in a bounded queue that one task answers in
order, so reading the connection (and answering its pings) never waits for a
slow request. Everything a room's clients are sent goes through the room's
outbox, in order: what the room received, and answers to one client. A room
with many clients is written to in chunks, yielding to the loop between
chunks, and frames that queued up meanwhile are written together; no client
is let to have more than ``write_buffer_limit`` bytes waiting to be sent.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from websockets.asyncio.server import ServerConnection, broadcast
from websockets.frames import CloseCode, Opcode
from websockets.frames import Frame as WireFrame
from websockets.protocol import State

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
    error_close_reason,
    error_frame,
    fit_close_reason,
    parse_delete_message,
    parse_disconnect_user,
    parse_send_message,
    read_frame,
)
from .review import ReviewPool, review

logger = logging.getLogger(__name__)

_ONE_SECOND = timedelta(seconds=1)
#: Errors after which the connection is closed: the session or the room is over.
_FATAL = frozenset({ErrorCode.UNAUTHORIZED, ErrorCode.NOT_FOUND})
#: Clients written to before the outbox yields to the loop.
CHUNK = 32
#: At most this many bytes of frames that queued up are written together.
_BATCH_BYTES = 64 * 1024
#: Seconds a slow consumer has to read what was sent before its close frame.
SLOW_CONSUMER_CLOSE_TIMEOUT = 10.0


@dataclass(frozen=True)
class Limits:
    """What each connection may use (the ``ChatServer``'s settings)."""

    #: Bytes that may wait to be sent to a client; beyond, it is closed (1008).
    write_buffer_limit: int
    #: Requests that may wait for an answer; beyond, a request is answered 429 at once.
    request_queue_limit: int
    #: Requests of each action a connection may make in any second; beyond, 429.
    request_rate: int


@dataclass(eq=False)
class Session:
    """One connected client."""

    connection: ServerConnection
    admission: Admission
    expiry: asyncio.TimerHandle | None = None
    #: Requests read and not yet answered, oldest first.
    requests: deque[str | bytes] = field(default_factory=deque)
    #: The task answering ``requests``, while there are any.
    worker: asyncio.Task[None] | None = None
    #: When this connection's requests of each action in the last second came (backend clock).
    recent: dict[str, deque[datetime]] = field(default_factory=dict)
    #: Set once the emulator closes the connection: it is sent nothing more.
    closing: bool = False

    @property
    def user_id(self) -> str:
        """The user the chat token was issued to."""
        return self.admission.token.user_id


@dataclass(frozen=True)
class _Delivery:
    """A text frame for a room's clients (``to`` is ``None``) or one client; ``then`` runs once it is sent."""

    payload: str
    wire: bytes
    to: Session | None = None
    then: Callable[[], None] | None = None


def _delivery(payload: str, to: Session | None = None, then: Callable[[], None] | None = None) -> _Delivery:
    """A delivery of ``payload``, serialized once for every uncompressed connection."""
    return _Delivery(payload, WireFrame(Opcode.TEXT, payload.encode()).serialize(mask=False), to, then)


@dataclass(eq=False)
class _Room:
    """The connected clients of one room, what waits to be sent to them, and its message rate."""

    members: set[Session] = field(default_factory=set)
    outbox: deque[_Delivery] = field(default_factory=deque)
    #: Whether a task is writing the outbox.
    draining: bool = False
    #: When the room's messages of the last second were sent (backend clock).
    sent: deque[datetime] = field(default_factory=deque)


def _within(window: deque[datetime], limit: int, moment: datetime) -> bool:
    """Count an occurrence at ``moment`` if fewer than ``limit`` fell in the second before it."""
    while window and moment - window[0] >= _ONE_SECOND:
        window.popleft()
    if len(window) >= limit:
        return False
    window.append(moment)
    return True


class ChatRooms:
    """The connected clients of every room, and the messages they exchange."""

    def __init__(self, limits: Limits, reviews: ReviewPool) -> None:
        self._limits = limits
        self._reviews = reviews
        self._rooms: dict[str, _Room] = {}
        #: Closes and outbox writers under way (awaited at shutdown).
        self._tasks: set[asyncio.Task[None]] = set()
        #: Request workers (cancelled at shutdown).
        self._workers: set[asyncio.Task[None]] = set()

    def _spawn(
        self, coroutine: Coroutine[Any, Any, None], tasks: set[asyncio.Task[None]]
    ) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coroutine)
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        return task

    # -- sessions ------------------------------------------------------------

    def join(self, session: Session) -> None:
        """Add a client just admitted to its room, to be closed when its session expires.

        The timer runs on real seconds remaining at connect time (by the backend
        clock); a moved frozen clock is caught by the check on every request. A
        room deleted since the admission is handed over after this join, and ends
        the session then.
        """
        admission = session.admission
        self._rooms.setdefault(admission.room_arn, _Room()).members.add(session)
        remaining = (admission.token.session_expiration_time - now()).total_seconds()
        session.expiry = asyncio.get_running_loop().call_later(max(remaining, 0.0), self._expire, session)

    def leave(self, session: Session) -> None:
        """Forget a client whose connection closed (its queued requests are still answered)."""
        if session.expiry is not None:
            session.expiry.cancel()
        room_arn = session.admission.room_arn
        room = self._rooms.get(room_arn)
        if room is not None:
            room.members.discard(session)
            self._forget_if_idle(room_arn, room)

    def _forget_if_idle(self, room_arn: str, room: _Room) -> None:
        if not room.members and not room.draining and self._rooms.get(room_arn) is room:
            del self._rooms[room_arn]

    def _expire(self, session: Session) -> None:
        self._answer(session, ChatError(ErrorCode.UNAUTHORIZED, "The chat session has expired"))

    def _close(self, session: Session, code: int, reason: str) -> None:
        """Close a connection; it is sent nothing more."""
        if session.closing:
            return
        session.closing = True
        self._spawn(session.connection.close(code, reason), self._tasks)

    def _answer(self, session: Session, error: ChatError) -> None:
        """Send the client an ERROR frame; after a fatal one, close it with the error as the reason."""
        then = None
        if error.code in _FATAL:
            reason = error_close_reason(error.code, error.message)
            then = partial(self._close, session, CloseCode.NORMAL_CLOSURE, reason)
        self._post(session.admission.room_arn, _delivery(encode(error_frame(error, new_id())), session, then))

    # -- sending ---------------------------------------------------------------

    def _post(self, room_arn: str, delivery: _Delivery) -> None:
        """Send ``delivery`` after everything the room's outbox holds: at once if it holds nothing."""
        room = self._rooms.get(room_arn)
        if room is None:
            return
        if not room.draining and (delivery.to is not None or len(room.members) <= CHUNK):
            targets = list(room.members) if delivery.to is None else [delivery.to]
            self._write([delivery], targets)
            if delivery.then is not None:
                delivery.then()
            return
        room.outbox.append(delivery)
        if not room.draining:
            room.draining = True
            self._spawn(self._drain(room_arn, room), self._tasks)

    async def _drain(self, room_arn: str, room: _Room) -> None:
        """Write the outbox, in order, CHUNK clients at a time."""
        try:
            while room.outbox:
                batch = self._next_batch(room.outbox)
                first = batch[0]
                targets = list(room.members) if first.to is None else [first.to]
                for start in range(0, len(targets), CHUNK):
                    if start:
                        await asyncio.sleep(0)
                    self._write(batch, targets[start : start + CHUNK])
                if batch[-1].then is not None:
                    batch[-1].then()
        finally:
            room.draining = False
            self._forget_if_idle(room_arn, room)

    @staticmethod
    def _next_batch(outbox: deque[_Delivery]) -> list[_Delivery]:
        """The next deliveries to the same clients, up to ``_BATCH_BYTES``, ending at one with a ``then``."""
        batch = [outbox.popleft()]
        size = len(batch[0].wire)
        while outbox and batch[-1].then is None and outbox[0].to is batch[0].to:
            size += len(outbox[0].wire)
            if size > _BATCH_BYTES:
                break
            batch.append(outbox.popleft())
        return batch

    def _write(self, batch: list[_Delivery], targets: list[Session]) -> None:
        """Write the frames of ``batch`` to each target still open, closing those that read too slowly.

        An uncompressed connection gets the frames serialized once for all in
        one write; a compressed one has them compressed for it alone.
        """
        wire = batch[0].wire if len(batch) == 1 else b"".join(delivery.wire for delivery in batch)
        limit = self._limits.write_buffer_limit
        for session in targets:
            connection = session.connection
            transport = connection.transport
            if session.closing or connection.protocol.state is not State.OPEN or transport.is_closing():
                continue
            waiting = transport.get_write_buffer_size()
            if waiting and waiting + len(wire) > limit:
                self._slow_consumer(session)
            elif connection.protocol.extensions:
                for delivery in batch:
                    broadcast([connection], delivery.payload)
            else:
                transport.write(wire)

    def _slow_consumer(self, session: Session) -> None:
        """Close a client that let more than ``write_buffer_limit`` bytes wait (1008, our choice).

        It is sent nothing more, and has ``SLOW_CONSUMER_CLOSE_TIMEOUT`` to read
        what waits, then the close frame.
        """
        limit = self._limits.write_buffer_limit
        message = f"The client read too slowly: over {limit} bytes waited to be sent"
        session.connection.close_timeout = SLOW_CONSUMER_CLOSE_TIMEOUT
        self._close(
            session,
            CloseCode.POLICY_VIOLATION,
            error_close_reason(ErrorCode.TOO_MANY_REQUESTS, message),
        )

    # -- requests --------------------------------------------------------------

    def receive(self, session: Session, data: str | bytes) -> None:
        """Queue a request to be answered in order; when the queue is full, answer 429 at once."""
        if session.closing:
            return
        limit = self._limits.request_queue_limit
        if len(session.requests) >= limit:
            try:
                request_id = read_frame(data).request_id
            except ChatError as malformed:
                request_id = malformed.request_id
            busy = f"Too many requests wait for an answer: at most {limit} may"
            self._answer(session, ChatError(ErrorCode.TOO_MANY_REQUESTS, busy, request_id))
            return
        session.requests.append(data)
        if session.worker is None:
            session.worker = self._spawn(self._work(session), self._workers)

    async def _work(self, session: Session) -> None:
        """Answer the session's queued requests in order (none once the emulator closes it)."""
        try:
            while session.requests and not session.closing:
                await self.handle(session, session.requests.popleft())
        finally:
            session.worker = None

    async def handle(self, session: Session, data: str | bytes) -> None:
        """Answer one frame a client sent: an ERROR frame to it alone if the request is refused."""
        request_id = ""
        try:
            request = self._admit_request(session, data)
            request_id = request.request_id
            await self._carry_out(session, request)
        except ChatError as error:
            self._answer(session, error)
        except Exception:
            logger.exception("ivschat messaging: request failed")
            self._answer(session, ChatError(ErrorCode.INTERNAL_SERVER_ERROR, "Internal error", request_id))

    def _admit_request(self, session: Session, data: str | bytes) -> Frame:
        """Read a frame and check the session, the room, the capability and the connection's rate."""
        admission = session.admission
        try:
            request = read_frame(data)
        except ChatError as malformed:
            # An expired session or a deleted room is reported before a bad request.
            with admission.backend.lock:
                admission.current_room(malformed.request_id)
            raise
        with admission.backend.lock:
            admission.current_room(request.request_id)
        action = request.action
        if action not in admission.token.capabilities:
            raise ChatError(
                ErrorCode.FORBIDDEN, f"The chat token lacks the {action} capability", request.request_id
            )
        rate = self._limits.request_rate
        if not _within(session.recent.setdefault(action, deque()), rate, now()):
            raise ChatError(
                ErrorCode.TOO_MANY_REQUESTS,
                f"The connection allows {rate} {action} request(s) per second",
                request.request_id,
            )
        return request

    async def _carry_out(self, session: Session, request: Frame) -> None:
        if request.action == SEND_MESSAGE:
            await self._send_message(session, request)
            return
        # A moderator's request is the backend call it stands for: its record
        # reaches the room's clients through the room listener, as any other.
        admission = session.admission
        backend, room_arn = admission.backend, admission.room_arn
        try:
            if request.action == DELETE_MESSAGE:
                deletion = parse_delete_message(request)
                backend.delete_message(room_arn, deletion.message_id, deletion.reason, deletion.request_id)
            else:
                disconnect = parse_disconnect_user(request)
                backend.disconnect_user(
                    room_arn, disconnect.user_id, disconnect.reason, disconnect.request_id
                )
        except ResourceNotFoundException:
            raise ChatError(ErrorCode.NOT_FOUND, "The room does not exist", request.request_id) from None

    async def _send_message(self, session: Session, request: Frame) -> None:
        admission = session.admission
        backend = admission.backend
        received = now()
        with backend.lock:
            room = admission.current_room(request.request_id)
            maximum_length = room.maximum_message_length
            maximum_rate = room.maximum_message_rate_per_second
            handler = dict(room.message_review_handler or {})
        message_request = parse_send_message(request, maximum_length)
        chat_room = self._rooms.get(admission.room_arn)
        if chat_room is not None and not _within(chat_room.sent, maximum_rate, received):
            raise ChatError(
                ErrorCode.TOO_MANY_REQUESTS,
                f"The room allows {maximum_rate} message(s) per second",
                request.request_id,
            )
        message_id = new_id()
        content, attributes = message_request.content, message_request.attributes
        if handler.get("uri"):
            verdict = await review(
                self._reviews,
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
                raise ChatError(ErrorCode.NOT_ACCEPTABLE, denial, request.request_id, message_id)
            content, attributes = verdict.content, verdict.attributes
        message = MessageRecord(
            message_id,
            request.request_id,
            content,
            attributes,
            admission.token.user_id,
            dict(admission.token.attributes),
            received,
        )
        with backend.lock:
            admission.current_room(request.request_id)
            # The backend keeps and logs it, then hands it to the room listener.
            backend.deliver_message(admission.room_arn, message)

    # -- what rooms receive ----------------------------------------------------

    def deliver(self, room_arn: str, record: RoomRecord) -> None:
        """Send what a room received to its clients; end the sessions a DisconnectUser names.

        A disconnected user's connections close with 1001 and the moderator's
        reason as the close reason (AWS's samples read it so).
        """
        then = None
        if isinstance(record, UserDisconnection):
            reason = fit_close_reason(record.reason or "")
            then = partial(self._disconnect, room_arn, record.user_id, reason)
        self._post(room_arn, _delivery(encode(frame(record)), None, then))

    def _disconnect(self, room_arn: str, user_id: str, reason: str) -> None:
        room = self._rooms.get(room_arn)
        for session in list(room.members if room is not None else ()):
            if session.user_id == user_id:
                self._close(session, CloseCode.GOING_AWAY, reason)

    def room_deleted(self, room_arn: str) -> None:
        """Tell every client of a deleted room (ERROR 404), then close them with it as the reason."""
        gone = ChatError(ErrorCode.NOT_FOUND, "The room does not exist")
        reason = error_close_reason(gone.code, gone.message)
        then = partial(self._close_all, room_arn, reason)
        self._post(room_arn, _delivery(encode(error_frame(gone, new_id())), None, then))

    def _close_all(self, room_arn: str, reason: str) -> None:
        room = self._rooms.get(room_arn)
        for session in list(room.members if room is not None else ()):
            self._close(session, CloseCode.NORMAL_CLOSURE, reason)

    async def finish(self) -> None:
        """At shutdown: stop answering requests, and wait for the closes and writes under way."""
        for worker in list(self._workers):
            worker.cancel()
        await asyncio.gather(*self._workers, *self._tasks, return_exceptions=True)
