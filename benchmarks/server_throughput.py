"""moto-ivschat-server against stock ``moto_server``: requests per second with 8 client threads.

Run from a checkout, with the project's virtualenv::

    .venv/bin/python benchmarks/server_throughput.py               # about 30 seconds on 2 cores
    .venv/bin/python benchmarks/server_throughput.py --requests 100 --rounds 1   # a smoke run

Both servers run as processes on 127.0.0.1, started by this script and stopped at
the end. The request mix has the same shape on both: one read of one resource,
ivschat ``GetRoom`` on ours, ``ivs`` ``GetChannel`` on stock ``moto_server`` (moto
does not serve ivschat). As a third figure, ours also serves ``ivs GetChannel``
(through moto's own dispatcher), which separates what the HTTP server gives from
what ivschat's direct route gives.

The client is the same for every figure: 8 threads, each with its own socket,
writing a prepared HTTP/1.1 request and reading the answer by ``Content-Length``.
It keeps a connection open where the server allows (ours does; werkzeug's
development server, under stock ``moto_server``, closes every connection, so
there the client reconnects per request). Requests carry a SigV4-shaped
``Authorization`` header naming the service and region; neither server checks
signatures. Servers are measured in alternating rounds and medians reported, so
load from other processes falls on both alike.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import selectors
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

import boto3

BIN = Path(sys.executable).parent
REGION = "us-east-1"
THREADS = 8
STARTUP_TIMEOUT = 60
STOCK = "stock moto_server, ivs GetChannel"
OURS = "moto-ivschat-server, ivschat GetRoom"
OURS_IVS = "moto-ivschat-server, ivs GetChannel"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_listening(port: int) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def start_stock_moto_server() -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    process = subprocess.Popen(
        [str(BIN / "moto_server"), "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _wait_until_listening(port)
    return process, port


def start_moto_ivschat_server(**environment: str) -> tuple[subprocess.Popen[bytes], int]:
    """moto-ivschat-server on a free port, with ``environment`` added to this process's; it and its port."""
    process = subprocess.Popen(
        [str(BIN / "moto-ivschat-server"), "--port", "0"],
        stdout=subprocess.PIPE,
        env={**os.environ, **environment},
    )
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        line = process.stdout.readline().decode() if selector.select(STARTUP_TIMEOUT) else ""
    match = re.search(r":(\d+)$", line.strip())
    if match is None:
        process.kill()
        raise RuntimeError(f"moto-ivschat-server did not start: {line!r}")
    return process, int(match.group(1))


def _client(service: str, port: int) -> Any:
    return boto3.session.Session().client(
        service,
        endpoint_url=f"http://127.0.0.1:{port}",
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def prepared_request(port: int, service: str, operation: str, members: dict[str, Any]) -> bytes:
    body = json.dumps(members).encode()
    authorization = (
        f"AWS4-HMAC-SHA256 Credential=testing/20240101/{REGION}/{service}/aws4_request, "
        f"SignedHeaders=content-type;host;x-amz-date, Signature={'0' * 64}"
    )
    head = (
        f"POST /{operation} HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        "Content-Type: application/json\r\n"
        "X-Amz-Date: 20240101T000000Z\r\n"
        f"Authorization: {authorization}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def _read_response(stream: IO[bytes]) -> tuple[int, bool]:
    """Read one response; its status and whether the server closes the connection."""
    status = int(stream.readline().split()[1])
    length, close = 0, False
    while (line := stream.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection":
            close = value == b"close"
    stream.read(length)
    return status, close


def _worker(port: int, request: bytes, count: int, failures: list[int]) -> None:
    sock: socket.socket | None = None
    stream: IO[bytes] | None = None
    for _ in range(count):
        if sock is None or stream is None:
            sock = socket.create_connection(("127.0.0.1", port))
            stream = sock.makefile("rb")
        sock.sendall(request)
        status, close = _read_response(stream)
        if status != 200:
            failures.append(status)
        if close:
            stream.close()
            sock.close()
            sock = stream = None
    if sock is not None and stream is not None:
        stream.close()
        sock.close()


def throughput(port: int, request: bytes, per_thread: int) -> float:
    """Requests per second of ``THREADS`` threads sending ``per_thread`` requests each."""
    failures: list[int] = []
    threads = [
        threading.Thread(target=_worker, args=(port, request, per_thread, failures)) for _ in range(THREADS)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{len(failures)} requests failed, e.g. HTTP {failures[0]}")
    return THREADS * per_thread / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=250, help="requests per thread per round")
    parser.add_argument("--rounds", type=int, default=3, help="alternating measuring rounds")
    args = parser.parse_args()

    stock, stock_port = start_stock_moto_server()
    try:
        ours, our_port = start_moto_ivschat_server()
    except BaseException:
        stock.kill()
        raise
    try:
        channel = _client("ivs", stock_port).create_channel(name="bench")["channel"]["arn"]
        our_channel = _client("ivs", our_port).create_channel(name="bench")["channel"]["arn"]
        room = _client("ivschat", our_port).create_room(name="bench")["arn"]
        cases = {
            STOCK: (stock_port, prepared_request(stock_port, "ivs", "GetChannel", {"arn": channel})),
            OURS: (our_port, prepared_request(our_port, "ivschat", "GetRoom", {"identifier": room})),
            OURS_IVS: (our_port, prepared_request(our_port, "ivs", "GetChannel", {"arn": our_channel})),
        }
        results: dict[str, list[float]] = {label: [] for label in cases}
        for port, request in cases.values():
            throughput(port, request, max(args.requests // 5, 10))  # warm-up
        for _ in range(args.rounds):
            for label, (port, request) in cases.items():
                results[label].append(throughput(port, request, args.requests))
    finally:
        for process in (stock, ours):
            process.terminate()
            process.wait(timeout=30)

    print(f"{THREADS} client threads, {THREADS * args.requests} requests a round, medians of {args.rounds}:")
    medians = {label: statistics.median(values) for label, values in results.items()}
    for label, value in medians.items():
        print(f"  {label:<40} {value:8.0f} requests/s")
    print(f"ratio ours / stock:                         {medians[OURS] / medians[STOCK]:8.2f}x")
    print(f"ratio ours (ivs GetChannel) / stock:        {medians[OURS_IVS] / medians[STOCK]:8.2f}x")


if __name__ == "__main__":
    main()
