"""Start and stop a ``moto-ivschat-server`` process, and talk to it over HTTP."""

from __future__ import annotations

import http.client
import json
import re
import selectors
import socket
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

REGION = "us-east-1"
ACCOUNT = "123456789012"
CREDENTIALS = Credentials("testing", "testing")
#: Bound on waiting for the server to say where it listens (it prints one line).
STARTUP_TIMEOUT = 60
BIN = Path(sys.executable).parent


@dataclass
class Reply:
    """One HTTP answer, read whole."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class ServerProcess:
    """A running server: its process and URL, and clients that talk to it."""

    process: subprocess.Popen[str]
    url: str
    host: str = field(init=False)
    port: int = field(init=False)

    def __post_init__(self) -> None:
        host, port = self.url.removeprefix("http://").rsplit(":", 1)
        self.host, self.port = host, int(port)

    def client(self, service: str = "ivschat", **kwargs: Any) -> Any:
        """A boto3 client of ``service`` sending to this server."""
        return boto3.session.Session().client(
            service,
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=CREDENTIALS.access_key,
            aws_secret_access_key=CREDENTIALS.secret_key,
            **kwargs,
        )

    def reset(self) -> None:
        """Empty every moto service, as ``POST /moto-api/reset`` does."""
        assert self.request("POST", "/moto-api/reset").status == 200

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=30)

    def request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        connection: http.client.HTTPConnection | None = None,
    ) -> Reply:
        """Send one raw request (on ``connection`` if given, kept open) and read the answer."""
        conn = connection or self.connection()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            if connection is None:
                conn.close()

    def raw_connection(self, timeout: float = 30) -> socket.socket:
        """A plain socket connected to the server, for requests no HTTP client would send."""
        return socket.create_connection((self.host, self.port), timeout=timeout)

    def signed(self, method: str, path: str, body: bytes = b"", service: str = "ivschat") -> dict[str, str]:
        """Headers of a request signed with SigV4 for ``service``, as an SDK sends them."""
        request = AWSRequest(
            method=method,
            url=self.url + path,
            data=body,
            headers={"Content-Type": "application/json"},
        )
        SigV4Auth(CREDENTIALS, service, REGION).add_auth(request)
        return dict(request.headers.items())


def assert_aws_error(reply: Reply, status: int, code: str) -> dict[str, Any]:
    """Check that ``reply`` is an AWS-style JSON error; its body."""
    assert reply.status == status, reply.body
    assert reply.headers["x-amzn-ErrorType"] == code
    assert reply.headers["Content-Type"].startswith("application/json")
    body = reply.json()
    assert "__type" not in body  # the code is in the header, as AWS's rest-json services send it
    assert isinstance(body["message"], str)
    assert body["message"]
    return body


def assert_nothing_lost(server: ServerProcess, room: dict[str, Any]) -> None:
    """Check that ``room`` is still there as created (tagged ``keep: me``), and is the only one."""
    client = server.client()
    assert client.get_room(identifier=room["arn"])["tags"] == {"keep": "me"}
    assert [r["arn"] for r in client.list_rooms()["rooms"]] == [room["arn"]]


def raw_request(
    method: str,
    target: str,
    headers: dict[str, str],
    body: bytes = b"",
    *,
    extra: Sequence[tuple[str, str]] = (),
    version: str = "HTTP/1.1",
) -> bytes:
    """The bytes of one request: ``headers``, then the ``extra`` fields as given (repeats allowed).

    ``Host`` comes first unless given; ``Content-Length`` is added for a body that
    names neither it nor ``Transfer-Encoding``.
    """
    fields = [*headers.items(), *extra]
    names = {name.lower() for name, _ in fields}
    if "host" not in names:
        fields.insert(0, ("Host", "127.0.0.1"))
    if body and not names & {"content-length", "transfer-encoding"}:
        fields.append(("Content-Length", str(len(body))))
    lines = [f"{method} {target} {version}", *(f"{name}: {value}" for name, value in fields), "", ""]
    return "\r\n".join(lines).encode("latin-1") + body


def read_reply(sock: socket.socket) -> Reply:
    """Read one HTTP answer from ``sock``."""
    response = http.client.HTTPResponse(sock)
    try:
        response.begin()
        return Reply(response.status, response.headers, response.read())
    finally:
        response.close()


def start_server(command: list[str]) -> ServerProcess:
    """Start ``command --port 0`` and wait for the line naming the URL it listens on."""
    process = subprocess.Popen([*command, "--port", "0"], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        ready = selector.select(STARTUP_TIMEOUT)
    line = process.stdout.readline() if ready else ""
    match = re.search(r"http://\S+", line)
    if match is None:
        stop_server(process)
        raise RuntimeError(f"the server did not start: {line!r}")
    return ServerProcess(process, match.group(0))


def stop_server(process: subprocess.Popen[str]) -> int:
    """Stop the server as a service manager would (SIGTERM) and return its exit code."""
    process.terminate()
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()
    finally:
        if process.stdout is not None:
            process.stdout.close()
