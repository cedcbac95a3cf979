"""Create/Get/Update/Delete/ListLoggingConfiguration(s)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

REGION = "us-east-1"
ACCOUNT = "123456789012"
DESTINATIONS = [
    {"s3": {"bucketName": "chat-logs"}},
    {"cloudWatchLogs": {"logGroupName": "/ivs/chat#1"}},
    {"firehose": {"deliveryStreamName": "chat_stream.1"}},
]


@pytest.mark.parametrize("destination", DESTINATIONS)
def test_create_get_each_destination(client: Any, destination: dict[str, Any]) -> None:
    created = client.create_logging_configuration(
        name="logs", destinationConfiguration=destination, tags={"a": "b"}
    )
    assert re.fullmatch(r"[a-zA-Z0-9]{12}", created["id"])
    assert created["arn"] == f"arn:aws:ivschat:{REGION}:{ACCOUNT}:logging-configuration/{created['id']}"
    assert created["state"] == "ACTIVE"
    assert created["destinationConfiguration"] == destination
    assert created["name"] == "logs"
    assert created["tags"] == {"a": "b"}
    assert created["createTime"] == created["updateTime"]
    fetched = client.get_logging_configuration(identifier=created["arn"])
    for key in ("arn", "id", "name", "destinationConfiguration", "state", "tags", "createTime", "updateTime"):
        assert fetched[key] == created[key]


def test_destination_must_have_exactly_one_member(raw_client: Any) -> None:
    for destination in ({}, {**DESTINATIONS[0], **DESTINATIONS[1]}):
        with pytest.raises(ClientError) as exc:
            raw_client.create_logging_configuration(destinationConfiguration=destination)
        error = exc.value.response
        assert error["Error"]["Code"] == "ValidationException"
        assert [f["name"] for f in error["fieldList"]] == ["destinationConfiguration"]
    assert raw_client.list_logging_configurations()["loggingConfigurations"] == []


@pytest.mark.parametrize(
    ("destination", "field"),
    [
        ({"s3": {"bucketName": "UPPER"}}, "destinationConfiguration.s3.bucketName"),
        ({"s3": {"bucketName": "ab"}}, "destinationConfiguration.s3.bucketName"),
        (
            {"cloudWatchLogs": {"logGroupName": "has space"}},
            "destinationConfiguration.cloudWatchLogs.logGroupName",
        ),
        (
            {"firehose": {"deliveryStreamName": "x" * 65}},
            "destinationConfiguration.firehose.deliveryStreamName",
        ),
        ({"firehose": {}}, "destinationConfiguration.firehose.deliveryStreamName"),
    ],
)
def test_destination_names_are_checked(raw_client: Any, destination: dict[str, Any], field: str) -> None:
    with pytest.raises(ClientError) as exc:
        raw_client.create_logging_configuration(destinationConfiguration=destination)
    assert [f["name"] for f in exc.value.response["fieldList"]] == [field]


def test_update_changes_only_what_it_is_given(client: Any) -> None:
    created = client.create_logging_configuration(name="old", destinationConfiguration=DESTINATIONS[0])
    renamed = client.update_logging_configuration(identifier=created["arn"], name="new")
    assert renamed["name"] == "new"
    assert renamed["destinationConfiguration"] == DESTINATIONS[0]
    assert renamed["state"] == "ACTIVE"
    moved = client.update_logging_configuration(
        identifier=created["arn"], destinationConfiguration=DESTINATIONS[2]
    )
    assert moved["name"] == "new"
    assert moved["destinationConfiguration"] == DESTINATIONS[2]
    assert moved["createTime"] == created["createTime"]
    assert moved["updateTime"] >= created["updateTime"]


def test_delete_answers_204(client: Any) -> None:
    created = client.create_logging_configuration(destinationConfiguration=DESTINATIONS[0])
    response = client.delete_logging_configuration(identifier=created["arn"])
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as exc:
        client.get_logging_configuration(identifier=created["arn"])
    error = exc.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert error["resourceId"] == created["id"]
    assert error["resourceType"] == "LOGGING_CONFIGURATION"


def test_delete_in_use_is_conflict(client: Any) -> None:
    created = client.create_logging_configuration(destinationConfiguration=DESTINATIONS[0])
    room = client.create_room(loggingConfigurationIdentifiers=[created["arn"]])
    with pytest.raises(ClientError) as exc:
        client.delete_logging_configuration(identifier=created["arn"])
    error = exc.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert error["Error"]["Code"] == "ConflictException"
    assert error["resourceId"] == created["id"]
    assert client.get_logging_configuration(identifier=created["arn"])["state"] == "ACTIVE"
    client.delete_room(identifier=room["arn"])
    client.delete_logging_configuration(identifier=created["arn"])


def test_one_configuration_serves_many_rooms_and_a_room_at_most_three(raw_client: Any) -> None:
    arns = [
        raw_client.create_logging_configuration(destinationConfiguration=DESTINATIONS[0])["arn"]
        for _ in range(4)
    ]
    for _ in range(2):
        raw_client.create_room(loggingConfigurationIdentifiers=arns[:3])
    with pytest.raises(ClientError) as exc:
        raw_client.create_room(loggingConfigurationIdentifiers=arns)
    assert [f["name"] for f in exc.value.response["fieldList"]] == ["loggingConfigurationIdentifiers"]
    listed = raw_client.list_rooms(loggingConfigurationIdentifier=arns[0])["rooms"]
    assert len(listed) == 2


def test_quota_of_ten(client: Any) -> None:
    for _ in range(10):
        client.create_logging_configuration(destinationConfiguration=DESTINATIONS[0])
    with pytest.raises(ClientError) as exc:
        client.create_logging_configuration(destinationConfiguration=DESTINATIONS[0])
    error = exc.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 402
    assert error["Error"]["Code"] == "ServiceQuotaExceededException"
    assert error["limit"] == 10
    assert len(client.list_logging_configurations()["loggingConfigurations"]) == 10


def test_list_pages_newest_first(client: Any) -> None:
    ids = [
        client.create_logging_configuration(destinationConfiguration=DESTINATIONS[1])["id"] for _ in range(5)
    ]
    first = client.list_logging_configurations(maxResults=2)
    second = client.list_logging_configurations(maxResults=2, nextToken=first["nextToken"])
    third = client.list_logging_configurations(maxResults=2, nextToken=second["nextToken"])
    listed = [c["id"] for page in (first, second, third) for c in page["loggingConfigurations"]]
    assert listed == ids[::-1]
    assert "nextToken" not in third
    summary = first["loggingConfigurations"][0]
    assert set(summary) == {
        "arn",
        "id",
        "name",
        "destinationConfiguration",
        "state",
        "tags",
        "createTime",
        "updateTime",
    }
