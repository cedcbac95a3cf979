"""Property-based fuzz of all 17 operations over raw HTTP: never a 5xx, always the service's JSON
error, and no failed call changes what the server holds (read back through the API)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fuzz_requests import FUZZ_SETTINGS, Request
from fuzz_requests import requests as raw_requests
from hypothesis import given, settings
from hypothesis import strategies as st
from server_process import Reply, ServerProcess


def snapshot(client: Any) -> Any:
    """Rooms and logging configurations, with their tags, as the API shows them."""
    rooms = client.list_rooms()["rooms"]
    configs = client.list_logging_configurations()["loggingConfigurations"]
    return (
        [{k: v for k, v in r.items() if k != "ResponseMetadata"} for r in rooms],
        [{k: v for k, v in c.items() if k != "ResponseMetadata"} for c in configs],
    )


@pytest.fixture
def arns(server: ServerProcess) -> list[str]:
    client = server.client()
    config = client.create_logging_configuration(destinationConfiguration={"s3": {"bucketName": "logs"}})
    room = client.create_room(tags={"keep": "me"}, loggingConfigurationIdentifiers=[config["arn"]])
    return [room["arn"], config["arn"]]


def send(server: ServerProcess, request: Request) -> Reply:
    headers = server.signed(request.method, request.path, request.body)
    return server.request(request.method, request.path, request.body, headers)


@pytest.fixture
def client(server: ServerProcess) -> Any:
    return server.client()


@settings(FUZZ_SETTINGS, max_examples=150)
@given(data=st.data())
def test_no_request_crashes_and_no_error_changes_anything(
    server: ServerProcess, client: Any, arns: list[str], data: st.DataObject
) -> None:
    request = data.draw(raw_requests(arns))
    before = snapshot(client)
    reply = send(server, request)
    assert reply.status < 500, (request, reply.body)
    if reply.status >= 400:
        assert reply.headers["Content-Type"].startswith("application/json"), reply.body
        assert reply.headers["x-amzn-ErrorType"], reply.body
        assert isinstance(json.loads(reply.body)["message"], str)
        assert snapshot(client) == before, request
