"""Property-based fuzz of all 17 operations in process: never a 5xx, every error the service's
JSON error, and no failed call changes anything (the backend is compared before and after)."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from fuzz_requests import FUZZ_SETTINGS, Request
from fuzz_requests import requests as raw_requests
from hypothesis import event, given, settings
from hypothesis import strategies as st

from moto_ivschat import ivschat_backends

ENDPOINT = "https://ivschat.us-east-1.amazonaws.com"
SIGNED = {"Authorization": "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/ivschat/aws4_request"}


def snapshot() -> list[Any]:
    """Everything the backends hold that a call could change (backends that hold nothing left out)."""
    state = []
    for account, regions in ivschat_backends.items():
        for region, backend in regions.items():
            with backend.lock:
                rooms = [
                    (r.to_dict(), list(r.events), list(r.message_deletions), list(r.user_disconnections))
                    for r in backend.rooms
                ]
                configs = [c.to_dict() for c in backend.logging_configurations]
                held = (rooms, configs, sorted(backend.chat_tokens), list(backend.deleted_rooms))
            if any(held):
                state.append((account, region, held))
    return state


@pytest.fixture
def arns(ivschat_client: Any) -> list[str]:
    """A room (tagged, with a logging configuration) and a configuration for requests to name."""
    config = ivschat_client.create_logging_configuration(
        destinationConfiguration={"s3": {"bucketName": "logs"}}
    )
    room = ivschat_client.create_room(tags={"keep": "me"}, loggingConfigurationIdentifiers=[config["arn"]])
    return [room["arn"], config["arn"]]


def send(request: Request) -> requests.Response:
    return requests.request(
        request.method, ENDPOINT + request.path, data=request.body, headers=SIGNED, timeout=10
    )


@settings(FUZZ_SETTINGS, max_examples=400)
@given(data=st.data())
def test_no_request_crashes_and_no_error_changes_anything(arns: list[str], data: st.DataObject) -> None:
    request = data.draw(raw_requests(arns))
    before = snapshot()
    response = send(request)
    event(f"{request.path.split('?')[0].split('/')[1]}: {response.status_code}")
    assert response.status_code < 500, (request, response.text)
    if response.status_code >= 400:
        assert response.headers["Content-Type"] == "application/json"
        assert response.headers["x-amzn-ErrorType"] in (
            "ValidationException",
            "ResourceNotFoundException",
            "ConflictException",
            "ServiceQuotaExceededException",
        ), response.text
        assert isinstance(response.json()["message"], str)
        assert snapshot() == before, request
