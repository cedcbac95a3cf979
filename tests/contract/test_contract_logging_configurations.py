"""Contract: Create/Get/Update/Delete/ListLoggingConfiguration(s)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError
from contract_support import Resources, Target, assert_each_not_found, error_of, missing_arn, without_metadata


def config_arn(target: Target) -> str:
    return rf"arn:aws(-[a-z]+)*:ivschat:{target.region}:\d{{12}}:logging-configuration/[a-zA-Z0-9]{{12}}"


def all_configs(ivschat: Any) -> list[dict[str, Any]]:
    configs: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {}
    while True:
        page = ivschat.list_logging_configurations(**kwargs)
        configs += page["loggingConfigurations"]
        if not page.get("nextToken"):
            return configs
        kwargs["nextToken"] = page["nextToken"]


def test_create_logging_configuration(target: Target, resources: Resources) -> None:
    group = resources.log_group()
    name = resources.name()
    config = resources.logging_configuration(
        name=name, destinationConfiguration={"cloudWatchLogs": {"logGroupName": group}}, tags={"k": "v"}
    )
    assert re.fullmatch(config_arn(target), config["arn"])
    assert config["arn"].endswith("/" + config["id"])
    assert config["name"] == name
    assert config["destinationConfiguration"] == {"cloudWatchLogs": {"logGroupName": group}}
    assert config["state"] == "ACTIVE"
    assert config["tags"] == {"k": "v"}
    assert isinstance(config["createTime"], datetime)
    assert config["updateTime"] >= config["createTime"]


def test_get_logging_configuration_returns_it_as_created(ivschat: Any, resources: Resources) -> None:
    config = without_metadata(resources.logging_configuration())
    got = without_metadata(ivschat.get_logging_configuration(identifier=config["arn"]))
    assert got == config


def test_update_logging_configuration(ivschat: Any, resources: Resources) -> None:
    config = resources.logging_configuration()
    new_group = resources.log_group()
    new_name = resources.name()
    updated = ivschat.update_logging_configuration(
        identifier=config["arn"],
        name=new_name,
        destinationConfiguration={"cloudWatchLogs": {"logGroupName": new_group}},
    )
    assert updated["name"] == new_name
    assert updated["destinationConfiguration"] == {"cloudWatchLogs": {"logGroupName": new_group}}
    assert updated["state"] == "ACTIVE"
    assert updated["createTime"] == config["createTime"]
    got = ivschat.get_logging_configuration(identifier=config["arn"])
    assert (got["name"], got["destinationConfiguration"]) == (new_name, updated["destinationConfiguration"])


def test_list_logging_configurations_includes_it(ivschat: Any, resources: Resources) -> None:
    config = resources.logging_configuration()
    listed = {summary["arn"]: summary for summary in all_configs(ivschat)}
    assert listed[config["arn"]]["name"] == config["name"]
    assert listed[config["arn"]]["destinationConfiguration"] == config["destinationConfiguration"]


def test_delete_logging_configuration_answers_204(ivschat: Any, resources: Resources) -> None:
    config = resources.logging_configuration()
    deleted = ivschat.delete_logging_configuration(identifier=config["arn"])
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as raised:
        ivschat.get_logging_configuration(identifier=config["arn"])
    assert error_of(raised) == (404, "ResourceNotFoundException")


def test_a_missing_logging_configuration_is_not_found(ivschat: Any, resources: Resources) -> None:
    missing = missing_arn(resources.logging_configuration()["arn"])
    calls = [
        lambda: ivschat.get_logging_configuration(identifier=missing),
        lambda: ivschat.update_logging_configuration(identifier=missing, name="x"),
        lambda: ivschat.delete_logging_configuration(identifier=missing),
        lambda: resources.room(loggingConfigurationIdentifiers=[missing]),
    ]
    assert_each_not_found(calls)


@pytest.mark.parametrize(
    "destination",
    [
        {"s3": {"bucketName": "Upper_Case"}},
        {"cloudWatchLogs": {"logGroupName": "spaces are not allowed"}},
        {"firehose": {"deliveryStreamName": "s" * 65}},
    ],
    ids=["s3-bucket-pattern", "log-group-pattern", "stream-over-64"],
)
def test_destination_names_are_checked(resources: Resources, destination: dict[str, Any]) -> None:
    with pytest.raises(ClientError) as raised:
        resources.logging_configuration(destinationConfiguration=destination)
    assert error_of(raised) == (400, "ValidationException")
