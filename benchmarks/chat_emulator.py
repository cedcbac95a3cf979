"""The Chat Messaging API emulator under load: fan-out cost, a quiet room beside a flooded one, 5,000 sockets.

Run from a checkout, with the project's virtualenv::

    .venv/bin/python benchmarks/chat_emulator.py           # about 1-2 minutes on 2 cores
    .venv/bin/python benchmarks/chat_emulator.py --quick   # a smoke run: smaller, no figures to quote

The emulator runs in a process of its own (``--serve``, started by this script
on 127.0.0.1 and stopped at the end), so that its CPU time is its own: the
process's CPU seconds are read before and after each measured phase. Rooms and
tokens are made through its backend directly.

Clients are of two kinds. The many are raw sockets: they do the WebSocket
handshake (offering ``permessage-deflate``, as browsers do), answer pings and
count the frames they receive, at a small fraction of what a WebSocket
library's parsing would cost, so that the client side does not starve the
server on a small machine. The few that send are ``websockets`` clients.

Figures:

- **fan-out**: 1,000 sockets in one room, 100 messages (10 senders, 10 each,
  at once): the server's CPU seconds until every socket has every frame, with
  the server's compression off and on.
- **quiet room beside a flood**: 1,000 sockets in one room flooded at its
  maximum rate (100 messages a second) while 4 clients in other rooms each
  send a message every 100 ms and time its echo (send to receipt). Flooders
  and echo clients run in a process of their own (``--drive``), so that the
  flooded sockets' reading never delays them.
- **5,000 sockets**: 100 rooms of 50, each room sent 5 events, all held open.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import resource
import statistics
import struct
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from websockets import __version__ as websockets_version
from websockets.asyncio.client import ClientConnection, connect

ACCOUNT = "123456789012"
REGION = "us-east-1"
#: Bounds a phase that goes wrong; each takes seconds.
PHASE_TIMEOUT = 120.0
#: Sockets connecting at once (the server's listen backlog is 100).
CONNECT_CONCURRENCY = 100
#: What browsers offer (Chrome, Firefox, Safari).
BROWSER_EXTENSIONS = "permessage-deflate; client_max_window_bits"


@dataclass
class Settings:
    """How much to measure."""

    fan_out_sockets: int = 1000
    fan_out_messages: int = 100
    flood_sockets: int = 1000
    flood_seconds: float = 10.0
    echo_clients: int = 4
    held_rooms: int = 100
    held_per_room: int = 50
    held_events: int = 5
    held_seconds: float = 5.0


QUICK = Settings(
    fan_out_sockets=200,
    fan_out_messages=20,
    flood_sockets=200,
    flood_seconds=2.0,
    echo_clients=2,
    held_rooms=10,
    held_per_room=20,
    held_events=2,
    held_seconds=1.0,
)
GOALS: list[tuple[str, bool]] = []


def raise_file_limit() -> None:
    """Raise the soft limit of open files to the hard limit: every socket is a descriptor."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


# -- the server process ------------------------------------------------------------


def serve(settings: dict[str, Any]) -> None:
    """Run an emulator and answer commands, one JSON line each on stdin, one JSON line each on stdout."""
    os.environ["MOTO_IVSCHAT_RECORD_LIMIT"] = "100000"
    raise_file_limit()
    from moto_ivschat import ivschat_backends
    from moto_ivschat.messaging import ChatServer

    server = ChatServer(**settings).start()
    backend = ivschat_backends[ACCOUNT][REGION]
    print(json.dumps({"url": server.url}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        op = command["op"]
        if op == "room":
            answer: dict[str, Any] = {"arn": backend.create_room(maximum_message_rate_per_second=100).arn}
        elif op == "tokens":
            tokens = [
                backend.create_chat_token(command["arn"], f"user-{n}", command["capabilities"]).token
                for n in range(command["count"])
            ]
            answer = {"tokens": tokens}
        elif op == "events":
            for n in range(command["count"]):
                for arn in command["rooms"]:
                    backend.send_event(arn, f"bench:{n}")
            answer = {}
        elif op == "usage":
            usage = resource.getrusage(resource.RUSAGE_SELF)
            answer = {"cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss * 1024}
        else:
            break
        print(json.dumps(answer), flush=True)
    server.stop()


class ServerProcess:
    """The emulator's process, driven by JSON lines."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", json.dumps(settings)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.url: str = self._read()["url"]

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the emulator's process ended")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def ask(self, **command: Any) -> dict[str, Any]:
        """Send one command and return its answer."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self._read()

    def room(self) -> str:
        """The ARN of a new room (100 messages a second)."""
        return str(self.ask(op="room")["arn"])

    def tokens(self, arn: str, count: int, capabilities: list[str] | None = None) -> list[str]:
        """``count`` tokens for the room ``arn``."""
        return list(self.ask(op="tokens", arn=arn, count=count, capabilities=capabilities or [])["tokens"])

    def cpu(self) -> float:
        """The process's CPU seconds so far."""
        return float(self.ask(op="usage")["cpu"])

    def stop(self) -> None:
        """Stop the emulator and wait for its process."""
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write(json.dumps({"op": "quit"}) + "\n")
            self.process.stdin.close()
            self.process.wait(30)


# -- raw counting clients ------------------------------------------------------------


@dataclass(eq=False)
class Counter(asyncio.Protocol):
    """A WebSocket client socket that counts the text frames it receives and answers pings."""

    token: str
    host: str
    target: int = 0
    frames: int = 0
    closed: bool = False
    close_code: int | None = None
    opened: asyncio.Future[None] = field(default_factory=lambda: asyncio.get_running_loop().create_future())
    done: asyncio.Future[None] = field(default_factory=lambda: asyncio.get_running_loop().create_future())
    _buffer: bytearray = field(default_factory=bytearray)
    _upgraded: bool = False
    _dropped: bool = False
    _transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write(
            (
                f"GET / HTTP/1.1\r\nHost: {self.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                f"Sec-WebSocket-Protocol: {self.token}\r\n"
                f"Sec-WebSocket-Extensions: {BROWSER_EXTENSIONS}\r\n\r\n"
            ).encode()
        )

    def expect(self, frames: int) -> None:
        """Set ``done`` once ``frames`` text frames arrived in all."""
        self.target = frames
        self._check_done()

    def _check_done(self) -> None:
        if self.target and self.frames >= self.target and not self.done.done():
            self.done.set_result(None)

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer
        buffer += data
        if not self._upgraded:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(buffer[: buffer.find(b"\r\n")])
            del buffer[: end + 4]
            if b" 101 " not in status:
                self.opened.set_exception(RuntimeError(status.decode()))
                return
            self._upgraded = True
            self.opened.set_result(None)
        start = 0
        size = len(buffer)
        while size - start >= 2:
            first, second = buffer[start], buffer[start + 1] & 0x7F
            header = 2
            if second == 126:
                if size - start < 4:
                    break
                (second,) = struct.unpack_from("!H", buffer, start + 2)
                header = 4
            elif second == 127:
                if size - start < 10:
                    break
                (second,) = struct.unpack_from("!Q", buffer, start + 2)
                header = 10
            if size - start < header + second:
                break
            opcode = first & 0x0F
            payload = start + header
            if opcode == 1:
                self.frames += 1
            elif opcode == 9:  # ping: answer with a masked pong (a zero mask leaves it as it is)
                assert self._transport is not None
                self._transport.write(
                    bytes([0x8A, 0x80 | second]) + b"\0\0\0\0" + bytes(buffer[payload : payload + second])
                )
            elif opcode == 8:
                self.close_code = struct.unpack_from("!H", buffer, payload)[0] if second >= 2 else 1005
            start = payload + second
        del buffer[:start]
        self._check_done()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.opened.done():
            self.opened.set_exception(ConnectionError("closed before the upgrade"))
        if not self.done.done() and not self._dropped:
            self.done.set_exception(
                ConnectionError(f"closed with {self.close_code} after {self.frames} frames")
            )
            self.done.exception()  # reported to whoever awaits it, not as never retrieved

    def close(self) -> None:
        """Drop the socket."""
        self._dropped = True
        if self._transport is not None:
            self._transport.abort()


async def open_counters(url: str, tokens: list[str]) -> list[Counter]:
    """Connect a counting socket for each token, ``CONNECT_CONCURRENCY`` at a time."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def one(token: str) -> Counter:
        async with gate:
            _, counter = await loop.create_connection(lambda: Counter(token, f"{host}:{port}"), host, port)
            await counter.opened
            return counter

    return list(await asyncio.gather(*(one(token) for token in tokens)))


async def drain(client: ClientConnection) -> None:
    """Read and drop whatever a sender receives (a sender is a member of its room too)."""
    async for _ in client:
        pass


async def senders(
    server: ServerProcess, arn: str, count: int
) -> tuple[list[ClientConnection], list[asyncio.Task[None]]]:
    """``count`` clients of room ``arn`` that may send, each with a task reading what it receives."""
    clients = [
        await connect(server.url, subprotocols=[token], compression=None, max_size=None)  # type: ignore[list-item]
        for token in server.tokens(arn, count, ["SEND_MESSAGE"])
    ]
    return clients, [asyncio.create_task(drain(client)) for client in clients]


async def close_all(
    clients: list[ClientConnection], tasks: list[asyncio.Task[None]], counters: list[Counter]
) -> None:
    for client in clients:
        await client.close()
    for task in tasks:
        task.cancel()
    for counter in counters:
        counter.close()


def send_message(client: ClientConnection, content: str, request_id: str = "") -> Any:
    return client.send(json.dumps({"Action": "SEND_MESSAGE", "Content": content, "RequestId": request_id}))


# -- phases ------------------------------------------------------------------------


def heading(title: str) -> None:
    print(f"\n{title}", flush=True)


def goal(text: str, met: bool) -> None:
    """Record and print whether a goal is met."""
    GOALS.append((text, met))
    print(f"  -> goal {text}: {'met' if met else 'MISSED'}", flush=True)


@dataclass
class FanOut:
    """What one fan-out run measured."""

    cpu: float
    wall: float
    delivered: bool


async def fan_out(settings: Settings, server_settings: dict[str, Any]) -> FanOut:
    """Every socket of one room gets every message of 10 senders sending at once."""
    server = ServerProcess(server_settings)
    try:
        arn = server.room()
        counters = await open_counters(server.url, server.tokens(arn, settings.fan_out_sockets))
        clients, tasks = await senders(server, arn, 10)
        for counter in counters:
            counter.expect(settings.fan_out_messages)
        cpu, start = server.cpu(), time.perf_counter()
        for n in range(settings.fan_out_messages // len(clients)):
            for i, client in enumerate(clients):
                await send_message(client, f"message {n} of sender {i}")
        delivered = True
        try:
            await asyncio.wait_for(asyncio.gather(*(c.done for c in counters)), PHASE_TIMEOUT)
        except (asyncio.TimeoutError, ConnectionError):
            delivered = False
        result = FanOut(server.cpu() - cpu, time.perf_counter() - start, delivered)
        await close_all(clients, tasks, counters)
        return result
    finally:
        server.stop()


async def echo(client: ClientConnection, until: float, latencies: list[float]) -> None:
    """Send a message every 100 ms (the quota of a connection) and time each one's echo."""
    n = 0
    while time.perf_counter() < until:
        request_id = f"echo-{n}"
        sent = time.perf_counter()
        await send_message(client, "ping", request_id)
        async for data in client:
            frame = json.loads(data)
            if frame.get("RequestId") == request_id:
                latencies.append(time.perf_counter() - sent)
                break
        n += 1
        await asyncio.sleep(max(0.0, sent + 0.1 - time.perf_counter()))


async def flood(clients: list[ClientConnection], until: float) -> None:
    """Send the room's maximum, 100 messages a second, spread over the clients."""
    n = 0
    pause = 1.0 / 100
    next_send = time.perf_counter()
    while time.perf_counter() < until:
        await send_message(clients[n % len(clients)], f"flood {n}")
        n += 1
        next_send += pause
        await asyncio.sleep(max(0.0, next_send - time.perf_counter()))


async def drive(
    url: str, flooder_tokens: list[str], echo_tokens: list[str], seconds: float
) -> dict[str, Any]:
    """Flood one room and time echoes in others (in a process of its own, see ``--drive``)."""
    flooders = [await connect(url, subprotocols=[token], compression=None) for token in flooder_tokens]  # type: ignore[list-item]
    tasks = [asyncio.create_task(drain(client)) for client in flooders]
    echoers = [await connect(url, subprotocols=[token], compression=None) for token in echo_tokens]  # type: ignore[list-item]
    latencies: list[float] = []
    until = time.perf_counter() + seconds
    await asyncio.gather(flood(flooders, until), *(echo(client, until, latencies) for client in echoers))
    for client in echoers:
        await client.close()
    await close_all(flooders, tasks, [])
    return {"latencies": latencies}


async def quiet_beside_flood(settings: Settings) -> tuple[list[float], int, bool]:
    """Echo latencies in quiet rooms while another room is flooded; frames the flooded sockets got; all equal?

    The flooders and the echo clients run in a process of their own, so that
    the flooded sockets' reading never delays them.
    """
    server = ServerProcess({})
    try:
        arn = server.room()
        counters = await open_counters(server.url, server.tokens(arn, settings.flood_sockets))
        plan = {
            "url": server.url,
            "flooder_tokens": server.tokens(arn, 10, ["SEND_MESSAGE"]),
            "echo_tokens": [
                token
                for _ in range(settings.echo_clients)
                for token in server.tokens(server.room(), 1, ["SEND_MESSAGE"])
            ],
            "seconds": settings.flood_seconds,
        }
        cpu, own = server.cpu(), time.process_time()
        driver = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--drive", json.dumps(plan), stdout=subprocess.PIPE
        )
        output, _ = await asyncio.wait_for(driver.communicate(), PHASE_TIMEOUT)
        cpu, own = server.cpu() - cpu, time.process_time() - own
        print(
            f"  CPU per second of flood: server {cpu / settings.flood_seconds:.2f} s, "
            f"flooded sockets {own / settings.flood_seconds:.2f} s"
        )
        await asyncio.sleep(1.0)  # the last frames reach the sockets
        counts = {counter.frames for counter in counters}
        intact = len(counts) == 1 and not any(counter.closed for counter in counters)
        for counter in counters:
            counter.close()
        return json.loads(output)["latencies"], max(counts), intact
    finally:
        server.stop()


async def held(settings: Settings) -> None:
    """5,000 sockets in 100 rooms: connected, each room sent some events, all held."""
    server = ServerProcess({})
    try:
        rooms = [server.room() for _ in range(settings.held_rooms)]
        tokens = [token for arn in rooms for token in server.tokens(arn, settings.held_per_room)]
        start = time.perf_counter()
        counters = await open_counters(server.url, tokens)
        connected = time.perf_counter() - start
        for counter in counters:
            counter.expect(settings.held_events)
        cpu, start = server.cpu(), time.perf_counter()
        server.ask(op="events", rooms=rooms, count=settings.held_events)
        delivered = True
        try:
            await asyncio.wait_for(asyncio.gather(*(c.done for c in counters)), PHASE_TIMEOUT)
        except (asyncio.TimeoutError, ConnectionError):
            delivered = False
        wall, cpu = time.perf_counter() - start, server.cpu() - cpu
        await asyncio.sleep(settings.held_seconds)
        still_open = sum(not counter.closed for counter in counters)
        rss = server.ask(op="usage")["rss"] / 2**20
        print(
            f"  {len(counters)} sockets connected in {connected:.1f} s; server at most {rss:.0f} MiB resident"
        )
        print(
            f"  {settings.held_events} events to each room: every socket had them in {wall:.2f} s, "
            f"{cpu:.2f} s of server CPU"
        )
        print(f"  after {settings.held_seconds:.0f} s more: {still_open} open")
        goal(
            f"{len(counters)} sockets held, every broadcast delivered",
            delivered and still_open == len(counters),
        )
        for counter in counters:
            counter.close()
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="the Chat Messaging API emulator under load")
    parser.add_argument("--quick", action="store_true", help="smaller: a smoke run, not figures")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(json.loads(args.serve))
        return
    if args.drive is not None:
        print(json.dumps(asyncio.run(drive(**json.loads(args.drive)))))
        return
    raise_file_limit()
    asyncio.run(run(QUICK if args.quick else Settings()))


async def run(settings: Settings) -> None:
    started = time.perf_counter()
    print(f"Python {sys.version.split()[0]}, websockets {websockets_version}, {os.cpu_count()} CPUs")

    heading(f"fan-out: {settings.fan_out_sockets} sockets in one room x {settings.fan_out_messages} messages")
    off = await fan_out(settings, {"compression": None})
    on = await fan_out(settings, {"compression": "deflate"})
    print(f"  {'':<24} {'off':>8} {'deflate':>8} {'ratio':>7}")
    print(f"  {'server CPU (s)':<24} {off.cpu:>8.2f} {on.cpu:>8.2f} {on.cpu / off.cpu:>6.2f}x")
    print(f"  {'wall (s)':<24} {off.wall:>8.2f} {on.wall:>8.2f} {on.wall / off.wall:>6.2f}x")
    goal("every frame delivered", off.delivered and on.delivered)
    goal("<= 0.5 s of server CPU without compression", off.cpu <= 0.5)

    heading(
        f"quiet rooms beside a flood: {settings.flood_sockets} sockets, 100 messages/s for "
        f"{settings.flood_seconds:.0f} s; {settings.echo_clients} echo clients in other rooms"
    )
    latencies, frames, intact = await quiet_beside_flood(settings)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(
        f"  echo over {len(latencies)} sends: p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p99 {p99 * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms"
    )
    print(f"  each flooded socket got {frames} frames ({frames / settings.flood_seconds:.0f}/s)")
    goal("every flooded socket got every frame, none dropped", intact)
    goal("echo p99 <= 50 ms", p99 <= 0.050)

    heading(f"held: {settings.held_rooms} rooms x {settings.held_per_room} sockets")
    await held(settings)

    met = sum(ok for _, ok in GOALS)
    print(f"\n{met} of {len(GOALS)} goals met in {time.perf_counter() - started:.0f} s")
    for text, ok in GOALS:
        if not ok:
            print(f"  missed: {text}")


if __name__ == "__main__":
    main()
