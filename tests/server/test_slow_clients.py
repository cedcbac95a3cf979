"""Silent, slow and bursting clients never keep a normal request waiting.

Every loop here is bounded in count and time, and so is every wait, generously:
2 s to serve a normal request (it takes milliseconds), 30 s for one that comes
behind 1,000 new connections. A connection of a burst that waits a whole second
waited out the kernel's retransmission of a SYN it dropped.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from server_process import ServerProcess, raw_request, read_reply

#: More silent or slow connections than the server has worker threads (16).
CROWD = 20
#: Generous bound on serving one normal request on loopback.
SERVED_WITHIN = 2.0
IDLE_SOCKETS = 1000
#: Generous bound on taking ``IDLE_SOCKETS`` new connections at once, then serving a request.
ACCEPTED_WITHIN = 30.0
BURST_ROUNDS = 20
BURST_SIZE = 32
#: Linux's first retransmission of a dropped SYN comes after this many seconds.
SYN_RETRANSMISSION = 1.0


def _normal_request(server: ServerProcess, within: float = SERVED_WITHIN) -> None:
    """``ListRooms`` on a new connection, which must be answered ``within`` seconds."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=within)
    started = time.monotonic()
    try:
        conn.request("POST", "/ListRooms", body=b"{}", headers=server.signed("POST", "/ListRooms", b"{}"))
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    assert response.status == 200, body
    assert time.monotonic() - started < within
    assert json.loads(body) == {"rooms": []}


@contextlib.contextmanager
def _open_sockets(server: ServerProcess, count: int) -> Iterator[list[socket.socket]]:
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sockets.append(server.raw_connection())
        yield sockets
    finally:
        for sock in sockets:
            sock.close()


@pytest.fixture
def enough_file_descriptors() -> Iterator[None]:
    """Room in this process's open-files limit for ``IDLE_SOCKETS`` sockets (the server raises its own)."""
    resource = pytest.importorskip("resource")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = IDLE_SOCKETS + 256
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        yield
        return
    if hard != resource.RLIM_INFINITY and hard < wanted:
        pytest.skip(f"the open-files limit ({hard}) is below {wanted}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_silent_connections_hold_no_worker(server: ServerProcess) -> None:
    with _open_sockets(server, CROWD) as silent:
        for _ in range(3):
            _normal_request(server)
        # Half a request line, then nothing: still no worker held.
        for sock in silent:
            sock.sendall(b"POST /CreateRoom HT")
        for _ in range(3):
            _normal_request(server)


def test_connections_trickling_headers_hold_no_worker(server: ServerProcess) -> None:
    """Each of ``CROWD`` connections sends one header line at a time, a request never finished."""
    with _open_sockets(server, CROWD) as slow:
        for sock in slow:
            sock.sendall(b"POST /CreateRoom HTTP/1.1\r\nHost: localhost\r\n")
        for line in range(5):
            for sock in slow:
                sock.sendall(f"X-Slow-{line}: still sending\r\n".encode())
            _normal_request(server)
            time.sleep(0.2)


def test_a_thousand_idle_connections_leave_room_for_a_request(
    server: ServerProcess, enough_file_descriptors: None
) -> None:
    with _open_sockets(server, IDLE_SOCKETS) as idle:
        # The kernel queued the burst of new connections; the server takes them in
        # turn, the request's last.
        _normal_request(server, within=ACCEPTED_WITHIN)
        for _ in range(3):
            _normal_request(server)
        # The idle ones are served too, once they speak.
        request = raw_request("POST", "/ListRooms", server.signed("POST", "/ListRooms", b"{}"), b"{}")
        for sock in idle[:: IDLE_SOCKETS // 10]:
            sock.sendall(request)
            assert read_reply(sock).status == 200
        _normal_request(server)


def test_bursts_of_new_connections_are_all_served_at_once(server: ServerProcess) -> None:
    """``BURST_ROUNDS`` rounds of ``BURST_SIZE`` connections opened at the same moment.

    A connection the kernel cannot queue for the server (its listen backlog is full)
    is reset, or its SYN dropped: the client then waits out a retransmission, a
    whole second. None may be reset, and (allowing for a loaded machine) hardly
    any may wait that long.
    """
    request = raw_request("POST", "/ListRooms", server.signed("POST", "/ListRooms", b"{}"), b"{}")
    barrier = threading.Barrier(BURST_SIZE, timeout=60)
    statuses: list[int] = []
    waits: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        for _ in range(BURST_ROUNDS):
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                return
            started = time.monotonic()
            try:
                with server.raw_connection() as sock:
                    sock.sendall(request)
                    status = read_reply(sock).status
                with lock:
                    statuses.append(status)
                    waits.append(time.monotonic() - started)
            except OSError as error:
                with lock:
                    failures.append(repr(error))

    threads = [threading.Thread(target=client) for _ in range(BURST_SIZE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == [], f"{len(failures)} of {BURST_ROUNDS * BURST_SIZE} failed, e.g. {failures[:3]}"
    assert statuses == [200] * (BURST_ROUNDS * BURST_SIZE)
    waited_a_retransmission = [wait for wait in waits if wait >= SYN_RETRANSMISSION]
    assert len(waited_a_retransmission) <= len(waits) // 100, sorted(waits)[-10:]
