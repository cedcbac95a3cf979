"""The Chat Messaging API emulator: a WebSocket server on its own thread and event loop.

Clients connect to ``ws://HOST:PORT/`` with a CreateChatToken token as the
WebSocket subprotocol, exactly as to ``wss://edge.ivschat.<region>.amazonaws.com``.
That URL serves the rooms of every region; ``ws://HOST:PORT/<region>`` (or a
``Host`` of ``edge.ivschat.<region>.amazonaws.com``) is the endpoint of one
region, which refuses the tokens of other regions' rooms. The token is checked
when the handshake completes; a refused connection gets an HTTP error status
(401 or 404) with a JSON body ``{"ErrorCode": ..., "ErrorMessage": ...}``
instead of the upgrade.

The server shares ``ivschat_backends`` with the mock (or with the standalone
moto server in the same process) and hears what rooms receive through
``IvschatBackend.room_listeners`` and their deletion through
``room_deletion_listeners``.
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import json
import logging
import re
import threading
import time
from collections import deque
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from ..ivschat.models import IvschatBackend, Room
from ..ivschat.records import RoomRecord
from .admission import admit
from .protocol import ChatError, ErrorCode
from .review import ReviewPool
from .rooms import ChatRooms, Limits, Session

logger = logging.getLogger(__name__)

#: Seconds to wait for a client to answer a close frame.
CLOSE_TIMEOUT = 2.0
#: Defaults of the server's settings (see ``ChatServer``).
WRITE_BUFFER_LIMIT = 1024 * 1024
REQUEST_QUEUE_LIMIT = 32
REQUEST_RATE = 10
REVIEW_WORKERS = 4
#: A region's name, as a path names it (``/eu-west-1``).
_REGION = re.compile(r"[a-z]{2}(?:-[a-z]+)+-\d+")
#: The service's regional endpoint, as a ``Host`` header names it (any port).
_EDGE_HOST = re.compile(r"edge\.ivschat\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?(?::\d+)?", re.IGNORECASE)
_START_TIMEOUT = 30.0
_STOP_TIMEOUT = CLOSE_TIMEOUT + 10.0


class RealClockEventLoop(asyncio.SelectorEventLoop):
    """An event loop on the real monotonic clock, which freezegun does not stop.

    freezegun replaces ``time.monotonic``; a loop reading it would never see
    its timers fall due while a test's clock is frozen. ``clock_gettime`` is
    left alone.
    """

    def time(self) -> float:
        """Return the real monotonic time."""
        return time.clock_gettime(time.CLOCK_MONOTONIC)


class ChatServer:
    """The emulator: ``start()`` it, hand clients its ``url`` (or ``url_for(region)``), ``stop()`` it.

    Binds ``host`` (127.0.0.1 by default) on ``port`` (0: a free port). Settings:

    - ``compression``: ``None`` (the default) or ``"deflate"`` to accept
      permessage-deflate when a client offers it (browsers do).
    - ``write_buffer_limit``: bytes that may wait to be sent to one client; a
      client that lets more wait is closed with 1008.
    - ``request_queue_limit``: requests of one connection that may wait for an
      answer; a request beyond is answered ``ERROR 429`` at once.
    - ``request_rate``: SEND_MESSAGE, DELETE_MESSAGE and DISCONNECT_USER
      requests (each) a connection may make per second; beyond, ``ERROR 429``.
    - ``review_workers``: threads that run review handlers.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        compression: str | None = None,
        write_buffer_limit: int = WRITE_BUFFER_LIMIT,
        request_queue_limit: int = REQUEST_QUEUE_LIMIT,
        request_rate: int = REQUEST_RATE,
        review_workers: int = REVIEW_WORKERS,
    ) -> None:
        if compression not in (None, "deflate"):
            raise ValueError(f"compression is None or 'deflate', not {compression!r}")
        self.host = host
        self.port = port
        self.compression = compression
        self._reviews = ReviewPool(review_workers)
        self._rooms = ChatRooms(Limits(write_buffer_limit, request_queue_limit, request_rate), self._reviews)
        #: The sessions admitted, until their connection is lost.
        self._sessions: dict[ServerConnection, Session] = {}
        #: What the backend handed over, in the order it happened, for the loop to deliver.
        self._handoff: deque[tuple[str, RoomRecord | None]] = deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._start_error: BaseException | None = None

    @property
    def url(self) -> str:
        """Where clients of every region connect (the SDK's ``regionOrUrl``)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"ws://{host}:{self.port}/"

    def url_for(self, region: str) -> str:
        """The endpoint of ``region`` alone: it refuses the tokens of other regions' rooms."""
        if not _REGION.fullmatch(region):
            raise ValueError(f"not a region name: {region!r}")
        return f"{self.url}{region}"

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> ChatServer:
        """Start serving on a background thread; return once the port is bound."""
        if self._thread is not None:
            raise RuntimeError("the chat server is already started")
        self._ready.clear()
        self._start_error = None
        self._thread = threading.Thread(target=self._run, name="ivschat-messaging", daemon=True)
        self._thread.start()
        if not self._ready.wait(_START_TIMEOUT):
            raise RuntimeError("the chat server did not start")
        if self._start_error is not None:
            self._thread.join()
            self._thread = None
            raise self._start_error
        IvschatBackend.room_listeners.append(self._on_record)
        IvschatBackend.room_deletion_listeners.append(self._on_room_deleted)
        return self

    def stop(self) -> None:
        """Close every connection (1001 going away) and stop the thread."""
        if self._thread is None:
            return
        if self._on_record in IvschatBackend.room_listeners:
            IvschatBackend.room_listeners.remove(self._on_record)
        if self._on_room_deleted in IvschatBackend.room_deletion_listeners:
            IvschatBackend.room_deletion_listeners.remove(self._on_room_deleted)
        loop = self._loop
        assert loop is not None
        asyncio.run_coroutine_threadsafe(self._shut_down(), loop).result(_STOP_TIMEOUT)
        loop.call_soon_threadsafe(loop.stop)
        self._thread.join(_STOP_TIMEOUT)
        self._thread = None
        self._reviews.shutdown()

    def __enter__(self) -> ChatServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self) -> None:
        loop = RealClockEventLoop()
        self._loop = loop
        self._loop_thread = threading.get_ident()
        asyncio.set_event_loop(loop)
        try:
            self._server = loop.run_until_complete(self._open())
        except BaseException as exc:  # reported to start()'s caller
            self._start_error = exc
            loop.close()
            self._ready.set()
            return
        self.port = next(iter(self._server.sockets)).getsockname()[1]
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _open(self) -> Server:
        server: Server = await serve(
            self._serve_connection,
            self.host,
            self.port,
            select_subprotocol=_select_token,
            process_response=self._check_token,
            close_timeout=CLOSE_TIMEOUT,
            compression=self.compression,
        )
        return server

    async def _shut_down(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()
        await self._rooms.finish()

    # -- connections -------------------------------------------------------------

    def _check_token(
        self, connection: ServerConnection, request: Request, response: Response
    ) -> Response | None:
        """Admit the handshake's token, or answer the refusal instead of the upgrade."""
        if response.status_code != http.HTTPStatus.SWITCHING_PROTOCOLS:
            return None
        try:
            region = _region_of(request)
            admission = admit(response.headers.get("Sec-WebSocket-Protocol"), region)
        except ChatError as refusal:
            return _refusal(refusal)
        # The client joins its room before the upgrade is sent (nothing runs on the loop
        # in between): whatever the room receives once the client sees it connected,
        # reaches it. It leaves when the connection is lost, served or not.
        session = Session(connection, admission)
        self._sessions[connection] = session
        self._rooms.join(session)
        connection.connection_lost_waiter.add_done_callback(lambda _: self._lost(session))
        return None

    def _lost(self, session: Session) -> None:
        self._sessions.pop(session.connection, None)
        self._rooms.leave(session)

    async def _serve_connection(self, connection: ServerConnection) -> None:
        session = self._sessions[connection]
        try:
            async for data in connection:
                self._rooms.receive(session, data)
        except ConnectionClosed:
            pass

    # -- the control plane -----------------------------------------------------

    def _on_record(self, room: Room, record: RoomRecord) -> None:
        """Room listener: runs under the backend lock, on the caller's thread."""
        self._hand_off(room.arn, record)

    def _on_room_deleted(self, room: Room) -> None:
        """Room deletion listener: runs under the backend lock, on the caller's thread."""
        self._hand_off(room.arn, None)

    def _hand_off(self, room_arn: str, record: RoomRecord | None) -> None:
        """Queue what happened to a room, in the backend's order, and have the loop deliver it.

        On the loop's own thread (a chat client's request) it is delivered at
        once, so that it reaches clients before any answer the request gives next.
        """
        loop = self._loop
        if loop is None:
            return
        self._handoff.append((room_arn, record))
        if threading.get_ident() == self._loop_thread:
            self._take_handoff()
            return
        with contextlib.suppress(RuntimeError):  # stopped meanwhile
            loop.call_soon_threadsafe(self._take_handoff)

    def _take_handoff(self) -> None:
        while self._handoff:
            room_arn, record = self._handoff.popleft()
            try:
                if record is None:
                    self._rooms.room_deleted(room_arn)
                else:
                    self._rooms.deliver(room_arn, record)
            except Exception:  # a record the API could not have made; the next ones still go
                logger.exception("ivschat messaging: could not deliver %r", record)


def _region_of(request: Request) -> str | None:
    """The region a handshake's endpoint names (``None``: every region), or ChatError 404.

    A path ``/<region>`` names it; at ``/``, a ``Host`` of
    ``edge.ivschat.<region>.amazonaws.com`` does. Any other path is not an endpoint.
    """
    path = request.path.partition("?")[0].strip("/")
    if path:
        if not _REGION.fullmatch(path):
            raise ChatError(ErrorCode.NOT_FOUND, f"No chat endpoint at {request.path.partition('?')[0]}")
        return path
    host = _EDGE_HOST.fullmatch(request.headers.get("Host", ""))
    return host.group(1).lower() if host else None


def _select_token(connection: ServerConnection, subprotocols: Sequence[Subprotocol]) -> Subprotocol | None:
    """Echo the token the client offered as its subprotocol (browsers require the echo)."""
    return subprotocols[0] if subprotocols else None


def _refusal(refusal: ChatError) -> Response:
    status = http.HTTPStatus(refusal.code)
    body = json.dumps({"ErrorCode": status.value, "ErrorMessage": refusal.message}).encode()
    headers = Headers(
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("Connection", "close"),
        ]
    )
    return Response(status.value, status.phrase, headers, body)


def start_chat_server(host: str = "127.0.0.1", port: int = 0, **settings: Any) -> ChatServer:
    """Start an emulator on ``host``:``port`` (0: a free port) and return it; ``stop()`` it when done.

    ``settings`` are ``ChatServer``'s. The standalone server calls this for ``--messaging-port N``.
    """
    return ChatServer(host, port, **settings).start()
