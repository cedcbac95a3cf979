"""The opt-in switches on a server: state transitions through moto's state-manager API, and
throttling through the environment the server starts with."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from server_process import ServerProcess, start_server, stop_server

MODEL = "ivschat::logging-configuration"


@pytest.fixture
def manual_transitions(server: ServerProcess) -> Iterator[None]:
    body = json.dumps({"model_name": MODEL, "transition": {"progression": "manual", "times": 2}}).encode()
    assert server.request("POST", "/moto-api/state-manager/set-transition", body).status == 201
    yield
    unset = json.dumps({"model_name": MODEL}).encode()
    assert server.request("POST", "/moto-api/state-manager/unset-transition", unset).status == 201


def test_transitions_set_over_http(server: ServerProcess, manual_transitions: None) -> None:
    client = server.client()
    arn = client.create_logging_configuration(destinationConfiguration={"s3": {"bucketName": "logs"}})["arn"]
    states = [client.get_logging_configuration(identifier=arn)["state"] for _ in range(3)]
    assert states == ["CREATING", "ACTIVE", "ACTIVE"]


def test_throttling_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTO_IVSCHAT_THROTTLING", "true")
    server = start_server([sys.executable, "-m", "moto_ivschat"])
    try:
        client = server.client(config=Config(retries={"total_max_attempts": 1}))
        answers = []
        for _ in range(12):
            try:
                answers.append(client.list_logging_configurations())
            except ClientError as error:
                answers.append(error.response)
        codes = [answer["ResponseMetadata"]["HTTPStatusCode"] for answer in answers]
        # 3 a second: a burst of 12 cannot all pass in the tenth of a second it takes.
        assert codes[:3] == [200, 200, 200]
        throttled = [answer for answer in answers if answer["ResponseMetadata"]["HTTPStatusCode"] == 429]
        assert throttled
        assert {(t["Error"]["Code"], t["limit"]) for t in throttled} == {("ThrottlingException", 3)}
    finally:
        assert stop_server(server.process) == 0
