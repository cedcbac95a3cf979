"""The Chat Messaging API emulator: a WebSocket server on its own thread and event loop.

Clients connect to ``ws://HOST:PORT/`` with a CreateChatToken token as the
WebSocket subprotocol, exactly as to ``wss://edge.ivschat.<region>.amazonaws.com``.
The token is checked when the handshake completes; a refused connection gets
an HTTP error status (401 or 404) with a JSON body
``{"ErrorCode": ..., "ErrorMessage": ...}`` instead of the upgrade.

The server shares ``ivschat_backends`` with the mock (or with the standalone
moto server in the same process) and hears SendEvent, DeleteMessage and
DisconnectUser through ``IvschatBackend.room_listeners``.
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import json
import threading
import time
from collections.abc import Sequence
from types import TracebackType
from weakref import WeakKeyDictionary

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from ..ivschat.models import IvschatBackend, Room
from ..ivschat.records import RoomRecord
from .admission import Admission, admit
from .protocol import ChatError
from .rooms import ChatRooms, Session

#: Seconds to wait for a client to answer a close frame.
CLOSE_TIMEOUT = 2.0
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
    """The emulator: ``start()`` it, hand clients its ``url``, ``stop()`` it.

    Binds ``host`` (127.0.0.1 by default) on ``port`` (0: a free port).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self._rooms = ChatRooms()
        self._admissions: WeakKeyDictionary[ServerConnection, Admission] = WeakKeyDictionary()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._start_error: BaseException | None = None

    @property
    def url(self) -> str:
        """Where clients connect (the SDK's ``regionOrUrl``)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"ws://{host}:{self.port}/"

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
        return self

    def stop(self) -> None:
        """Close every connection (1001 going away) and stop the thread."""
        if self._thread is None:
            return
        if self._on_record in IvschatBackend.room_listeners:
            IvschatBackend.room_listeners.remove(self._on_record)
        loop = self._loop
        assert loop is not None
        asyncio.run_coroutine_threadsafe(self._shut_down(), loop).result(_STOP_TIMEOUT)
        loop.call_soon_threadsafe(loop.stop)
        self._thread.join(_STOP_TIMEOUT)
        self._thread = None

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
        asyncio.set_event_loop(loop)
        try:
            self._server = loop.run_until_complete(self._open())
        except BaseException as exc:  # reported to start()'s caller
            self._start_error = exc
            loop.close()
            self._ready.set()
            return
        self.port = self._server.sockets[0].getsockname()[1]
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
        )
        return server

    async def _shut_down(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()
        await self._rooms.finish_closing()

    # -- connections -------------------------------------------------------------

    def _check_token(
        self, connection: ServerConnection, request: Request, response: Response
    ) -> Response | None:
        """Admit the handshake's token, or answer the refusal instead of the upgrade."""
        if response.status_code != http.HTTPStatus.SWITCHING_PROTOCOLS:
            return None
        try:
            self._admissions[connection] = admit(response.headers.get("Sec-WebSocket-Protocol"))
        except ChatError as refusal:
            return _refusal(refusal)
        return None

    async def _serve_connection(self, connection: ServerConnection) -> None:
        session = Session(connection, self._admissions.pop(connection))
        self._rooms.join(session)
        try:
            async for data in connection:
                await self._rooms.handle(session, data)
        except ConnectionClosed:
            pass
        finally:
            self._rooms.leave(session)

    # -- the control plane -----------------------------------------------------

    def _on_record(self, room: Room, record: RoomRecord) -> None:
        """Room listener: runs on the caller's thread under the backend lock, so only hands off."""
        loop = self._loop
        if loop is None:
            return
        with contextlib.suppress(RuntimeError):  # stopped meanwhile
            loop.call_soon_threadsafe(self._rooms.deliver, room.arn, record)


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


def start_chat_server(host: str = "127.0.0.1", port: int = 0) -> ChatServer:
    """Start an emulator on ``host``:``port`` (0: a free port) and return it; ``stop()`` it when done.

    The standalone server calls this for ``--messaging-port N``.
    """
    return ChatServer(host, port).start()
