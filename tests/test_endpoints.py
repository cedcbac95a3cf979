"""Configured endpoints (``AWS_ENDPOINT_URL``, ``AWS_ENDPOINT_URL_IVSCHAT``, a config file's
``endpoint_url``) never take a mocked ivschat call out of the process; an explicit one does."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from moto_ivschat import mock_ivschat

REGION = "us-east-1"


class Listener:
    """An HTTP server on 127.0.0.1 standing in for a real endpoint (LocalStack, a server on 5000)."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        #: The environment variable that names it, if one does.
        self.variable = ""
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                listener.paths.append(self.path)
                body = json.dumps({"arn": "from-the-listener"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_PUT(self) -> None:  # S3 CreateBucket
                listener.paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.stop()


@pytest.fixture(params=["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_IVSCHAT"])
def configured(
    request: pytest.FixtureRequest, listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> Listener:
    """The listener, named by an environment variable as a LocalStack user's shell does."""
    monkeypatch.setenv(request.param, listener.url)
    listener.variable = request.param
    return listener


def _create_room() -> str:
    arn: str = boto3.client("ivschat", region_name=REGION).create_room(name="in-process")["arn"]
    return arn


@mock_ivschat
def _in_decorated_function() -> str:
    return _create_room()


def test_the_decorator_keeps_the_call_in_process(configured: Listener) -> None:
    assert _in_decorated_function().startswith(f"arn:aws:ivschat:{REGION}:123456789012:room/")
    assert configured.paths == []


def test_the_context_manager_keeps_the_call_in_process(configured: Listener) -> None:
    with mock_ivschat():
        assert _create_room().startswith("arn:aws:ivschat:")
        assert len(boto3.client("ivschat", region_name=REGION).list_rooms()["rooms"]) == 1
    assert configured.paths == []


@mock_ivschat
class TestTheClassDecorator:
    def test_keeps_the_call_in_process(self, configured: Listener) -> None:
        assert _create_room().startswith("arn:aws:ivschat:")
        assert configured.paths == []


def test_mock_aws_keeps_ivschat_in_process_but_not_moto_s_own_services(configured: Listener) -> None:
    with mock_aws():
        assert _create_room().startswith("arn:aws:ivschat:")
        boto3.client("s3", region_name=REGION).create_bucket(Bucket="goes-out")
    # moto itself ignores configured endpoints: S3 went to the listener when it was named for all.
    assert configured.paths == (["/goes-out"] if configured.variable == "AWS_ENDPOINT_URL" else [])


def test_a_client_built_before_the_mock_stays_in_process(configured: Listener) -> None:
    client = boto3.client("ivschat", region_name=REGION)
    assert client.meta.endpoint_url == configured.url
    with mock_ivschat():
        assert client.create_room()["arn"].startswith("arn:aws:ivschat:")
    assert configured.paths == []


def test_an_explicit_endpoint_url_is_the_test_s_choice(listener: Listener) -> None:
    with mock_ivschat():
        client = boto3.client("ivschat", region_name=REGION, endpoint_url=listener.url)
        assert client.create_room()["arn"] == "from-the-listener"
    assert listener.paths == ["/CreateRoom"]


def test_a_config_file_endpoint_stays_in_process(
    listener: Listener, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    config.write_text(
        f"[profile dev]\nservices = local\n\n[services local]\nivschat =\n  endpoint_url = {listener.url}\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_PROFILE", "dev")
    with mock_ivschat():
        client = boto3.session.Session().client("ivschat", region_name=REGION)
        assert client.meta.endpoint_url == listener.url
        assert client.create_room()["arn"].startswith("arn:aws:ivschat:")
    assert listener.paths == []


def test_unmocked_calls_still_go_where_they_are_configured(configured: Listener) -> None:
    assert _create_room() == "from-the-listener"
    assert configured.paths == ["/CreateRoom"]


def test_the_fixtures_keep_the_call_in_process(configured: Listener, ivschat_client: Any) -> None:
    assert _create_room().startswith("arn:aws:ivschat:")
    assert ivschat_client.list_rooms()["rooms"][0]["name"] == "in-process"
    assert configured.paths == []
