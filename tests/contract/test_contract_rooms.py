"""Contract: CreateRoom, GetRoom, UpdateRoom, DeleteRoom, ListRooms."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError
from contract_support import Resources, Target, assert_each_not_found, error_of, missing_arn, without_metadata

ROOM_FIELDS = {
    "arn",
    "id",
    "name",
    "createTime",
    "updateTime",
    "maximumMessageRatePerSecond",
    "maximumMessageLength",
    "tags",
    "loggingConfigurationIdentifiers",
}


def room_arn(target: Target) -> str:
    return rf"arn:aws(-[a-z]+)*:ivschat:{target.region}:\d{{12}}:room/[a-zA-Z0-9]{{12}}"


def all_rooms(ivschat: Any, **filters: Any) -> list[dict[str, Any]]:
    rooms: list[dict[str, Any]] = []
    while True:
        page = ivschat.list_rooms(**filters)
        rooms += page["rooms"]
        if not page.get("nextToken"):
            return rooms
        filters["nextToken"] = page["nextToken"]


def test_create_room_with_defaults(target: Target, resources: Resources) -> None:
    name = resources.name()
    room = without_metadata(resources.room(name=name))
    assert set(room) == ROOM_FIELDS
    assert re.fullmatch(room_arn(target), room["arn"])
    assert room["arn"].endswith("/" + room["id"])
    assert room["name"] == name
    assert room["maximumMessageRatePerSecond"] == 10
    assert room["maximumMessageLength"] == 500
    assert room["tags"] == {}
    assert room["loggingConfigurationIdentifiers"] == []
    assert isinstance(room["createTime"], datetime)
    assert room["updateTime"] >= room["createTime"]


def test_create_room_with_every_setting(resources: Resources) -> None:
    config = resources.logging_configuration()
    room = resources.room(
        maximumMessageRatePerSecond=5,
        maximumMessageLength=200,
        tags={"team": "chat"},
        loggingConfigurationIdentifiers=[config["arn"]],
    )
    assert room["maximumMessageRatePerSecond"] == 5
    assert room["maximumMessageLength"] == 200
    assert room["tags"] == {"team": "chat"}
    assert room["loggingConfigurationIdentifiers"] == [config["arn"]]


def test_get_room_returns_the_room_as_created(ivschat: Any, resources: Resources) -> None:
    room = without_metadata(resources.room(tags={"k": "v"}))
    assert without_metadata(ivschat.get_room(identifier=room["arn"])) == room


def test_update_room_changes_only_what_it_is_given(ivschat: Any, resources: Resources) -> None:
    room = resources.room(maximumMessageLength=300, tags={"k": "v"})
    new_name = resources.name()
    updated = without_metadata(ivschat.update_room(identifier=room["arn"], name=new_name))
    assert updated["name"] == new_name
    assert updated["maximumMessageLength"] == 300
    assert updated["maximumMessageRatePerSecond"] == 10
    assert updated["createTime"] == room["createTime"]
    assert updated["updateTime"] >= room["updateTime"]
    assert without_metadata(ivschat.get_room(identifier=room["arn"])) == updated


def test_update_room_attaches_and_detaches_logging_configurations(ivschat: Any, resources: Resources) -> None:
    config = resources.logging_configuration()
    room = resources.room()
    attached = ivschat.update_room(identifier=room["arn"], loggingConfigurationIdentifiers=[config["arn"]])
    assert attached["loggingConfigurationIdentifiers"] == [config["arn"]]
    detached = ivschat.update_room(identifier=room["arn"], loggingConfigurationIdentifiers=[])
    assert detached["loggingConfigurationIdentifiers"] == []


def test_delete_room_answers_204_and_the_room_is_gone(ivschat: Any, resources: Resources) -> None:
    room = resources.room()
    deleted = ivschat.delete_room(identifier=room["arn"])
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as raised:
        ivschat.get_room(identifier=room["arn"])
    assert error_of(raised) == (404, "ResourceNotFoundException")


def test_list_rooms_filters_by_name_and_pages_with_next_token(ivschat: Any, resources: Resources) -> None:
    name = resources.name()
    created = {resources.room(name=name)["arn"] for _ in range(3)}
    first = ivschat.list_rooms(name=name, maxResults=2)
    assert len(first["rooms"]) == 2
    assert first["nextToken"]
    listed = all_rooms(ivschat, name=name, maxResults=2)
    assert {room["arn"] for room in listed} == created
    for summary in listed:
        assert summary["name"] == name
        assert "maximumMessageLength" not in summary
        assert "maximumMessageRatePerSecond" not in summary


def test_list_rooms_filters_by_logging_configuration(ivschat: Any, resources: Resources) -> None:
    config = resources.logging_configuration()
    room = resources.room(loggingConfigurationIdentifiers=[config["arn"]])
    resources.room()
    listed = all_rooms(ivschat, loggingConfigurationIdentifier=config["arn"])
    assert [summary["arn"] for summary in listed] == [room["arn"]]
    assert listed[0]["loggingConfigurationIdentifiers"] == [config["arn"]]


def test_an_identifier_must_be_an_arn(ivschat: Any, resources: Resources) -> None:
    room = resources.room()
    with pytest.raises(ClientError) as raised:
        ivschat.get_room(identifier=room["id"])
    assert error_of(raised) == (400, "ValidationException")


def test_a_missing_room_is_not_found(ivschat: Any, resources: Resources) -> None:
    missing = missing_arn(resources.room()["arn"])
    calls = [
        lambda: ivschat.get_room(identifier=missing),
        lambda: ivschat.update_room(identifier=missing, name="x"),
        lambda: ivschat.delete_room(identifier=missing),
    ]
    assert_each_not_found(calls)


@pytest.mark.parametrize(
    "settings",
    [
        {"maximumMessageLength": 501},
        {"maximumMessageRatePerSecond": 101},
        {"name": "spaces are not allowed"},
        {"name": "n" * 129},
    ],
    ids=["message-length-over-500", "rate-over-100", "name-pattern", "name-over-128"],
)
def test_the_service_enforces_what_botocore_does_not(resources: Resources, settings: dict[str, Any]) -> None:
    with pytest.raises(ClientError) as raised:
        resources.room(**settings)
    assert error_of(raised) == (400, "ValidationException")
