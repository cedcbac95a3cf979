"""What arrives on the wire beyond what boto3 sends: bad bodies, unknown paths, raw errors."""

from __future__ import annotations

from typing import Any

import requests

ENDPOINT = "https://ivschat.us-east-1.amazonaws.com"


def _post(path: str, data: str | bytes) -> requests.Response:
    return requests.post(ENDPOINT + path, data=data, headers={"Content-Type": "application/json"}, timeout=10)


def test_error_shape_on_the_wire(mocked: None) -> None:
    response = _post("/GetRoom", '{"identifier": "nope"}')
    assert response.status_code == 400
    assert response.headers["x-amzn-ErrorType"] == "ValidationException"
    assert response.headers["Content-Type"] == "application/json"
    pattern = "arn:aws:ivschat:[a-z0-9-]+:[0-9]+:room/[a-zA-Z0-9-]+"
    constraint = (
        "Value at 'identifier' failed to satisfy constraint: "
        f"Member must satisfy regular expression pattern: {pattern}"
    )
    # Exactly the members of the model's ValidationException, in its order: no ``Message`` twin.
    assert response.json() == {
        "message": f"1 validation error detected: {constraint}",
        "reason": "FIELD_VALIDATION_FAILED",
        "fieldList": [{"name": "identifier", "message": constraint}],
    }


def test_not_found_carries_the_model_members(mocked: None) -> None:
    response = _post("/GetRoom", '{"identifier": "arn:aws:ivschat:us-east-1:123456789012:room/abcdABCD1234"}')
    assert response.status_code == 404
    assert response.headers["x-amzn-ErrorType"] == "ResourceNotFoundException"
    assert response.json() == {
        "message": "Resource: abcdABCD1234 not found",
        "resourceId": "abcdABCD1234",
        "resourceType": "ROOM",
    }


def test_malformed_json(client: Any) -> None:
    response = _post("/CreateRoom", "{not json")
    assert response.status_code == 400
    assert response.headers["x-amzn-ErrorType"] == "ValidationException"
    assert response.json()["reason"] == "OTHER"
    assert client.list_rooms()["rooms"] == []


def test_body_that_is_not_an_object(client: Any) -> None:
    for body in ("[]", '"room"', "42", "null"):
        response = _post("/CreateRoom", body)
        assert response.status_code == 400, body
        assert response.json()["reason"] == "OTHER"
    assert client.list_rooms()["rooms"] == []


def test_empty_body_is_an_empty_request(client: Any) -> None:
    response = _post("/CreateRoom", "")
    assert response.status_code == 200
    assert response.json()["maximumMessageLength"] == 500


def test_unknown_operation_and_method(mocked: None) -> None:
    for method, path in (
        ("POST", "/CreateChannel"),
        ("GET", "/CreateRoom"),
        ("PUT", "/tags/x"),
        ("POST", "/"),
    ):
        response = requests.request(method, ENDPOINT + path, timeout=10)
        assert response.status_code == 400, (method, path)
        assert response.headers["x-amzn-ErrorType"] == "ValidationException"
        assert response.json()["reason"] == "UNKNOWN_OPERATION"


def test_empty_resource_arn_in_path(mocked: None) -> None:
    response = requests.get(ENDPOINT + "/tags/", timeout=10)
    assert response.status_code == 400
    assert {f["name"] for f in response.json()["fieldList"]} == {"resourceArn"}


def test_unknown_members_are_ignored(client: Any) -> None:
    response = _post("/CreateRoom", '{"name": "r", "futureMember": {"x": 1}}')
    assert response.status_code == 200
    assert response.json()["name"] == "r"
