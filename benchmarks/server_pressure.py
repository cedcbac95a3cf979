"""moto-ivschat-server under hostile or careless clients, beside stock ``moto_server``.

Run from a checkout, with the project's virtualenv::

    .venv/bin/python benchmarks/server_pressure.py              # about a minute on 2 cores
    .venv/bin/python benchmarks/server_pressure.py --no-stock   # this server only, about 30 seconds

Both servers run as processes on 127.0.0.1, started by this script and stopped at
the end; all traffic stays on loopback, every loop is bounded in count and time.
Three scenes, each measured with the same probe, a normal request (ivschat
``ListRooms`` here, ``ivs ListChannels`` on stock ``moto_server``) on a new
connection, answered within ``PROBE_TIMEOUT`` or counted as not served:

1. 100 slow connections each send a request line, then one header line every
   2 seconds, never finishing, for ``--seconds`` (20): probes go out one after
   another all the while.
2. 1,000 connections are opened and left silent; then 5 probes.
3. 20 rounds of 32 connections opened at the same moment, each sending one
   normal request: how many are served, reset or fail otherwise, and how many
   waited a whole second for the kernel to retransmit a dropped SYN (a full
   listen backlog).
4. Memory under a flood (this server only): 10,000 SendEvents with 1 KB of
   attributes (the documented maximum) into one room, with the room's record
   limit at its default (1,000) and raised to 1,000,000 (in effect none); the
   server's resident memory before, at 1,000 and at 10,000 events.

It asserts nothing and is not part of the test suite.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import itertools
import socket
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from server_throughput import (
    _client,
    _read_response,
    prepared_request,
    start_moto_ivschat_server,
    start_stock_moto_server,
)

SLOW_CONNECTIONS = 100
#: Seconds between two header lines of one slow connection.
SLOW_LINE_INTERVAL = 2.0
IDLE_CONNECTIONS = 1000
IDLE_PROBES = 5
BURST_ROUNDS = 20
BURST_SIZE = 32
#: Seconds a probe waits for its answer before it counts as not served.
PROBE_TIMEOUT = 5.0
#: Linux's first retransmission of a dropped SYN comes after this many seconds.
SYN_RETRANSMISSION = 1.0
#: Events sent in the flood scene, and when its resident memory is read.
FLOOD_CHECKPOINTS = (1_000, 10_000)


@dataclass
class Probes:
    """Latencies of the probes that were answered, and how many were sent."""

    sent: int = 0
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        served = f"{len(self.latencies)}/{self.sent} served"
        if self.failures:
            kinds = collections.Counter(self.failures).most_common()
            served += " (" + ", ".join(f"{count} {kind}" for kind, count in kinds) + ")"
        if not self.latencies:
            return served
        ms = sorted(latency * 1000 for latency in self.latencies)
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        return f"{served}, median {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, max {ms[-1]:.0f} ms"


def _probe(port: int, request: bytes, probes: Probes) -> None:
    """Send one normal request on a new connection; note its latency, or why it failed."""
    probes.sent += 1
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=PROBE_TIMEOUT) as sock:
            sock.sendall(request)
            with sock.makefile("rb") as stream:
                status, _ = _read_response(stream)
    except (OSError, ValueError, IndexError) as error:
        probes.failures.append(type(error).__name__)
        return
    if status == 200:
        probes.latencies.append(time.monotonic() - started)
    else:
        probes.failures.append(f"HTTP {status}")


@contextlib.contextmanager
def _connections(port: int, count: int) -> Iterator[list[socket.socket]]:
    """Up to ``count`` open connections to ``port`` (as many as connect within a few seconds each)."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            try:
                sockets.append(socket.create_connection(("127.0.0.1", port), timeout=PROBE_TIMEOUT))
            except OSError:
                break
        yield sockets
    finally:
        for sock in sockets:
            sock.close()


def slow_headers(port: int, request: bytes, seconds: float) -> tuple[Probes, int]:
    """Probes while ``SLOW_CONNECTIONS`` trickle header lines; and how many of those the server dropped."""
    probes = Probes()
    dropped = 0
    with _connections(port, SLOW_CONNECTIONS) as slow:
        for sock in slow:
            sock.sendall(b"POST /CreateRoom HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        stop = threading.Event()

        def trickle() -> None:
            nonlocal dropped
            live = list(slow)
            pause = SLOW_LINE_INTERVAL / max(len(live), 1)
            for line in itertools.count():
                if stop.wait(pause) or not live:
                    return
                sock = live[line % len(live)]
                try:
                    sock.sendall(f"X-Slow-{line}: still sending\r\n".encode())
                except OSError:
                    live.remove(sock)
                    dropped += 1

        trickler = threading.Thread(target=trickle)
        trickler.start()
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                _probe(port, request, probes)
                time.sleep(0.2)
        finally:
            stop.set()
            trickler.join()
    return probes, dropped + SLOW_CONNECTIONS - len(slow)


def idle_connections(port: int, request: bytes) -> tuple[Probes, int]:
    """Probes while ``IDLE_CONNECTIONS`` connections stay open and silent; and how many opened."""
    probes = Probes()
    with _connections(port, IDLE_CONNECTIONS) as idle:
        for _ in range(IDLE_PROBES):
            _probe(port, request, probes)
        return probes, len(idle)


@dataclass
class Bursts:
    """What became of the burst connections, and the latencies of those served."""

    served: int = 0
    resets: int = 0
    other_failures: int = 0
    latencies: list[float] = field(default_factory=list)

    def summary(self) -> str:
        total = BURST_ROUNDS * BURST_SIZE
        waited = sum(latency >= SYN_RETRANSMISSION for latency in self.latencies)
        ms = sorted(latency * 1000 for latency in self.latencies) or [0.0]
        return (
            f"{self.served}/{total} served, {self.resets} reset, {self.other_failures} other failures; "
            f"{waited} waited >= {SYN_RETRANSMISSION:.0f} s; median {statistics.median(ms):.0f} ms, "
            f"max {ms[-1]:.0f} ms"
        )


def bursts(port: int, request: bytes) -> Bursts:
    """``BURST_ROUNDS`` rounds of ``BURST_SIZE`` connections opened at once, one request each."""
    result = Bursts()
    lock = threading.Lock()
    barrier = threading.Barrier(BURST_SIZE, timeout=60)

    def client() -> None:
        for _ in range(BURST_ROUNDS):
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                return
            started = time.monotonic()
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                    sock.sendall(request)
                    with sock.makefile("rb") as stream:
                        status, _ = _read_response(stream)
                outcome = "served" if status == 200 else "other"
            except (ConnectionResetError, BrokenPipeError):
                outcome = "reset"
            except (OSError, ValueError, IndexError):
                outcome = "other"
            with lock:
                if outcome == "served":
                    result.served += 1
                    result.latencies.append(time.monotonic() - started)
                elif outcome == "reset":
                    result.resets += 1
                else:
                    result.other_failures += 1

    threads = [threading.Thread(target=client) for _ in range(BURST_SIZE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result


def _resident_mib(pid: int) -> float:
    """The resident memory of process ``pid`` (Linux's ``VmRSS``), in MiB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def event_flood(record_limit: int | None) -> list[float]:
    """The server's resident MiB before the flood and at each of ``FLOOD_CHECKPOINTS``."""
    environment = {} if record_limit is None else {"MOTO_IVSCHAT_RECORD_LIMIT": str(record_limit)}
    process, port = start_moto_ivschat_server(**environment)
    try:
        room = _client("ivschat", port).create_room()["arn"]
        event = {"roomIdentifier": room, "eventName": "flood", "attributes": {"a": "x" * 1023}}
        request = prepared_request(port, "ivschat", "SendEvent", event)
        resident, sent = [_resident_mib(process.pid)], 0
        with socket.create_connection(("127.0.0.1", port)) as sock, sock.makefile("rb") as stream:
            for checkpoint in FLOOD_CHECKPOINTS:
                for _ in range(checkpoint - sent):
                    sock.sendall(request)
                    status, _ = _read_response(stream)
                    if status != 200:
                        raise RuntimeError(f"SendEvent answered {status}")
                sent = checkpoint
                resident.append(_resident_mib(process.pid))
        return resident
    finally:
        process.terminate()
        process.wait(timeout=30)


def _raise_open_files_limit() -> None:
    """Room in this process for ``IDLE_CONNECTIONS`` sockets and the rest."""
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = IDLE_CONNECTIONS + SLOW_CONNECTIONS + 256
        if soft != resource.RLIM_INFINITY and soft < wanted:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


def measure(
    label: str, start: Callable[[], tuple[subprocess.Popen[bytes], int]], service: str, seconds: float
) -> None:
    """Start a server with ``start``, put it through the three scenes, print what it did, stop it."""
    process, port = start()
    try:
        if service == "ivschat":
            request = prepared_request(port, "ivschat", "ListRooms", {})
        else:
            _client("ivs", port).create_channel(name="pressure")
            request = prepared_request(port, "ivs", "ListChannels", {})
        print(f"{label}:", flush=True)
        probes, dropped = slow_headers(port, request, seconds)
        print(f"  {SLOW_CONNECTIONS} slow connections for {seconds:.0f} s:  {probes.summary()}", flush=True)
        print(f"      slow connections the server closed or refused: {dropped}", flush=True)
        probes, opened = idle_connections(port, request)
        print(f"  {opened} idle connections open:   {probes.summary()}", flush=True)
        print(
            f"  {BURST_ROUNDS} x {BURST_SIZE} simultaneous connects: {bursts(port, request).summary()}",
            flush=True,
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=20, help="length of the slow-connections scene")
    parser.add_argument("--no-stock", action="store_true", help="measure moto-ivschat-server only")
    args = parser.parse_args()
    _raise_open_files_limit()
    measure("moto-ivschat-server (ivschat ListRooms)", start_moto_ivschat_server, "ivschat", args.seconds)
    if not args.no_stock:
        measure("stock moto_server (ivs ListChannels)", start_stock_moto_server, "ivs", args.seconds)
    print("moto-ivschat-server, memory under a flood of 1 KB SendEvents into one room:", flush=True)
    for label, limit in (("record limit 1,000 (default)", None), ("record limit 1,000,000", 1_000_000)):
        before, *after = event_flood(limit)
        steps = ", ".join(f"{mib:.0f} MiB at {n:,}" for n, mib in zip(FLOOD_CHECKPOINTS, after, strict=True))
        print(f"  {label}: {before:.0f} MiB before, {steps}", flush=True)


if __name__ == "__main__":
    main()
