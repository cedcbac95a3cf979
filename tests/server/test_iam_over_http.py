"""moto's IAM enforcement over the server (``/moto-api/reset-auth``): every operation authorized on
its resource, percent-encoded ARN paths and bodiless requests included; refusals are JSON."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from botocore.exceptions import ClientError
from iam_cases import ELSEWHERE, OPERATIONS, Case, allow, call, cases, client_for, make_user
from server_process import ServerProcess


@pytest.fixture
def arns(server: ServerProcess) -> dict[str, str]:
    client = server.client()
    config = client.create_logging_configuration(destinationConfiguration={"s3": {"bucketName": "chat-logs"}})
    return {"room": client.create_room(name="lobby")["arn"], "config": config["arn"]}


@contextmanager
def enforced(server: ServerProcess) -> Iterator[None]:
    """moto's IAM enforcement on the server, from the next request to the end of the block."""
    assert server.request("POST", "/moto-api/reset-auth", b"0").status == 200
    try:
        yield
    finally:
        assert server.request("POST", "/moto-api/reset-auth", b"inf").status == 200


def _case(arns: dict[str, str], operation: str) -> Case:
    [case] = [case for case in cases(arns["room"], arns["config"]) if case.operation == operation]
    return case


@pytest.mark.parametrize("operation", OPERATIONS)
def test_an_operation_is_allowed_on_its_resource_and_denied_elsewhere(
    server: ServerProcess, arns: dict[str, str], operation: str
) -> None:
    case = _case(arns, operation)
    iam = server.client("iam")
    allowed = client_for(make_user(iam, allow(f"ivschat:{operation}", case.resource)), server.url)
    denied = client_for(make_user(iam, allow(f"ivschat:{operation}", ELSEWHERE)), server.url)
    with enforced(server):
        with pytest.raises(ClientError) as error:
            call(denied, case)
        call(allowed, case)
    response = error.value.response
    assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == (
        "AccessDeniedException",
        403,
    )
    assert response["Error"]["Message"].endswith(f"ivschat:{operation} on resource: {case.resource}")
    assert response["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "application/json"


def test_a_wrong_secret_over_http(server: ServerProcess) -> None:
    credentials = make_user(server.client("iam"), allow("ivschat:*", "*"))
    wrong = client_for({**credentials, "aws_secret_access_key": "wrong"}, server.url)
    with enforced(server):
        with pytest.raises(ClientError) as error:
            wrong.list_rooms()
        assert client_for(credentials, server.url).list_rooms()["rooms"] == []
    assert error.value.response["Error"]["Code"] == "InvalidSignatureException"
