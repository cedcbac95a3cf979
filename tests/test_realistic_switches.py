"""The opt-in switches for tests of waiters and retries: logging configurations that pass through
CREATING / UPDATING / DELETING (moto's state manager), and request-rate throttling."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from freezegun import freeze_time
from moto.moto_api import state_manager

from moto_ivschat.ivschat.models import LOGGING_CONFIGURATION_MODEL, IvschatBackend

DESTINATION = {"s3": {"bucketName": "chat-logs"}}


@pytest.fixture
def transitions() -> Iterator[Any]:
    """Sets a transition for the test and removes it afterwards."""
    yield lambda **transition: state_manager.set_transition(LOGGING_CONFIGURATION_MODEL, transition)
    state_manager.unset_transition(LOGGING_CONFIGURATION_MODEL)


def _state(client: Any, arn: str) -> str:
    state: str = client.get_logging_configuration(identifier=arn)["state"]
    return state


def _error(call: Any, **kwargs: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as error:
        call(**kwargs)
    response: dict[str, Any] = error.value.response
    return response


def test_by_default_every_change_is_active_at_once(ivschat_client: Any) -> None:
    config = ivschat_client.create_logging_configuration(destinationConfiguration=DESTINATION)
    assert config["state"] == "ACTIVE"
    updated = ivschat_client.update_logging_configuration(identifier=config["arn"], name="renamed")
    assert updated["state"] == "ACTIVE"
    ivschat_client.delete_logging_configuration(identifier=config["arn"])
    assert _error(ivschat_client.get_logging_configuration, identifier=config["arn"])["Error"]["Code"] == (
        "ResourceNotFoundException"
    )


def test_timed_transitions_follow_the_clock(ivschat_client: Any, transitions: Any) -> None:
    transitions(progression="time", seconds=10)
    with freeze_time("2026-05-01 10:00:00") as clock:
        config = ivschat_client.create_logging_configuration(destinationConfiguration=DESTINATION)
        arn = config["arn"]
        assert config["state"] == "CREATING"
        assert _state(ivschat_client, arn) == "CREATING"
        clock.tick(timedelta(seconds=11))
        assert _state(ivschat_client, arn) == "ACTIVE"

        assert ivschat_client.update_logging_configuration(identifier=arn, name="v2")["state"] == "UPDATING"
        conflict = _error(ivschat_client.update_logging_configuration, identifier=arn, name="v3")
        assert conflict["Error"]["Code"] == "ConflictException"
        assert conflict["ResponseMetadata"]["HTTPStatusCode"] == 409
        assert (conflict["resourceId"], conflict["resourceType"]) == (config["id"], "LOGGING_CONFIGURATION")
        assert _error(ivschat_client.delete_logging_configuration, identifier=arn)["Error"]["Code"] == (
            "ConflictException"
        )
        assert ivschat_client.get_logging_configuration(identifier=arn)["name"] == "v2"
        clock.tick(timedelta(seconds=11))
        assert _state(ivschat_client, arn) == "ACTIVE"

        ivschat_client.delete_logging_configuration(identifier=arn)
        assert _state(ivschat_client, arn) == "DELETING"
        listed = ivschat_client.list_logging_configurations()["loggingConfigurations"]
        assert [(c["arn"], c["state"]) for c in listed] == [(arn, "DELETING")]
        clock.tick(timedelta(seconds=11))
        assert _error(ivschat_client.get_logging_configuration, identifier=arn)["Error"]["Code"] == (
            "ResourceNotFoundException"
        )
        assert ivschat_client.list_logging_configurations()["loggingConfigurations"] == []


def test_manual_transitions_advance_by_reads(ivschat_client: Any, transitions: Any) -> None:
    # moto's convention: the Nth read (Get or List) after a change shows the next state.
    transitions(progression="manual", times=3)
    arn = ivschat_client.create_logging_configuration(destinationConfiguration=DESTINATION)["arn"]
    assert [_state(ivschat_client, arn) for _ in range(4)] == ["CREATING", "CREATING", "ACTIVE", "ACTIVE"]


def test_a_terraform_style_waiter_sees_creating_then_active(ivschat_client: Any, transitions: Any) -> None:
    transitions(progression="manual", times=3)
    arn = ivschat_client.create_logging_configuration(destinationConfiguration=DESTINATION)["arn"]
    seen = []
    while not seen or seen[-1] == "CREATING":
        seen.append(_state(ivschat_client, arn))
        assert len(seen) < 10
    assert seen == ["CREATING", "CREATING", "ACTIVE"]


# -- throttling ------------------------------------------------------------------


def _no_retries(region: str = "us-east-1") -> Any:
    return boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing").client(
        "ivschat", region_name=region, config=Config(retries={"total_max_attempts": 1, "mode": "standard"})
    )


def test_throttling_is_off_by_default(ivschat_client: Any) -> None:
    with freeze_time("2026-05-01 10:00:00"):
        for _ in range(20):
            ivschat_client.list_rooms()


def test_over_the_rate_quota_is_a_throttling_exception(
    ivschat_mock: Any, ivschat_backend: IvschatBackend
) -> None:
    ivschat_backend.throttling = True
    client = _no_retries()
    with freeze_time("2026-05-01 10:00:00") as clock:
        for _ in range(5):
            client.create_room()
        error = _error(client.create_room)
        assert error["Error"]["Code"] == "ThrottlingException"
        assert error["ResponseMetadata"]["HTTPStatusCode"] == 429
        assert (error["resourceId"], error["resourceType"], error["limit"]) == ("123456789012", "ROOM", 5)
        # The quota is per operation, and per account and region.
        assert client.list_rooms()["rooms"]
        assert _no_retries("eu-west-1").create_room()["arn"]
        clock.tick(timedelta(seconds=1))
        assert client.create_room()["arn"]
    # A throttled call changed nothing.
    assert len(ivschat_backend.rooms) == 6


def test_botocore_retries_a_throttled_call_as_against_aws(
    ivschat_mock: Any, ivschat_backend: IvschatBackend
) -> None:
    ivschat_backend.throttling = True
    ivschat_backend.request_rate_quotas["CreateChatToken"] = 5
    client = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing").client(
        "ivschat",
        region_name="us-east-1",
        config=Config(retries={"total_max_attempts": 2, "mode": "standard"}),
    )
    room = client.create_room()
    with freeze_time("2026-05-01 10:00:00"):
        for _ in range(5):
            client.create_chat_token(roomIdentifier=room["arn"], userId="u")
        # Under a frozen clock the quota never refills: every retry is throttled too.
        error = _error(client.create_chat_token, roomIdentifier=room["arn"], userId="u")
    assert error["Error"]["Code"] == "ThrottlingException"
    assert error["ResponseMetadata"]["RetryAttempts"] == 1
    # When time passes while botocore backs off (here: a second per retry), the quota refills and
    # the retried call goes through.
    with freeze_time("2026-05-01 10:01:00") as clock:
        for _ in range(5):
            client.create_chat_token(roomIdentifier=room["arn"], userId="u")

        def a_second_passes(**_: Any) -> None:  # returns None: botocore's own handler decides the delay
            clock.tick(1)

        client.meta.events.register("needs-retry.ivschat.CreateChatToken", a_second_passes)
        answer = client.create_chat_token(roomIdentifier=room["arn"], userId="u")
    assert answer["ResponseMetadata"]["RetryAttempts"] == 1


def test_the_environment_turns_throttling_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTO_IVSCHAT_THROTTLING", "true")
    assert IvschatBackend("us-east-1", "123456789012").throttling is True
