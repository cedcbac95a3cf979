"""CreateRoom, GetRoom, UpdateRoom, DeleteRoom and ListRooms."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time

REGION = "us-east-1"
ACCOUNT = "123456789012"

LAMBDA = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:review"


def test_create_room_defaults(client: Any) -> None:
    room = client.create_room()
    assert re.fullmatch(r"[a-zA-Z0-9]{12}", room["id"])
    assert room["arn"] == f"arn:aws:ivschat:{REGION}:{ACCOUNT}:room/{room['id']}"
    assert room["maximumMessageRatePerSecond"] == 10
    assert room["maximumMessageLength"] == 500
    assert room["tags"] == {}
    assert room["loggingConfigurationIdentifiers"] == []
    assert "messageReviewHandler" not in room
    assert room["createTime"] == room["updateTime"]
    assert room["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_room_ids_are_unique_and_mix_cases_and_digits(client: Any) -> None:
    ids = {client.create_room()["id"] for _ in range(40)}
    assert len(ids) == 40
    joined = "".join(ids)
    assert re.search("[a-z]", joined)
    assert re.search("[A-Z]", joined)
    assert re.search("[0-9]", joined)


def test_create_room_with_every_member(client: Any) -> None:
    config = client.create_logging_configuration(destinationConfiguration={"s3": {"bucketName": "logs"}})
    room = client.create_room(
        name="lobby-1_a",
        maximumMessageRatePerSecond=100,
        maximumMessageLength=1,
        messageReviewHandler={"uri": LAMBDA, "fallbackResult": "DENY"},
        tags={"team": "video"},
        loggingConfigurationIdentifiers=[config["arn"]],
    )
    fetched = client.get_room(identifier=room["arn"])
    for response in (room, fetched):
        assert response["name"] == "lobby-1_a"
        assert response["maximumMessageRatePerSecond"] == 100
        assert response["maximumMessageLength"] == 1
        assert response["messageReviewHandler"] == {"uri": LAMBDA, "fallbackResult": "DENY"}
        assert response["tags"] == {"team": "video"}
        assert response["loggingConfigurationIdentifiers"] == [config["arn"]]


def test_review_handler_fallback_defaults_to_allow(client: Any) -> None:
    room = client.create_room(messageReviewHandler={"uri": LAMBDA})
    assert room["messageReviewHandler"] == {"uri": LAMBDA, "fallbackResult": "ALLOW"}


def test_review_handler_lambda_of_another_region_is_refused(client: Any) -> None:
    other = f"arn:aws:lambda:eu-west-1:{ACCOUNT}:function:review"
    with pytest.raises(ClientError) as exc:
        client.create_room(messageReviewHandler={"uri": other})
    error = exc.value.response
    assert error["Error"]["Code"] == "ValidationException"
    assert [f["name"] for f in error["fieldList"]] == ["messageReviewHandler.uri"]
    assert client.list_rooms()["rooms"] == []


def test_create_room_with_unknown_logging_configuration_is_not_found(client: Any) -> None:
    arn = f"arn:aws:ivschat:{REGION}:{ACCOUNT}:logging-configuration/ABCDEFabcdef"
    with pytest.raises(ClientError) as exc:
        client.create_room(loggingConfigurationIdentifiers=[arn])
    error = exc.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert error["Error"]["Code"] == "ResourceNotFoundException"
    assert error["resourceId"] == "ABCDEFabcdef"
    assert error["resourceType"] == "LOGGING_CONFIGURATION"
    assert client.list_rooms()["rooms"] == []


def test_get_room_not_found(client: Any) -> None:
    arn = f"arn:aws:ivschat:{REGION}:{ACCOUNT}:room/ABCDEFabcdef"
    with pytest.raises(ClientError) as exc:
        client.get_room(identifier=arn)
    error = exc.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert error["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"] == "ResourceNotFoundException"
    assert error["resourceId"] == "ABCDEFabcdef"
    assert error["resourceType"] == "ROOM"
    assert "message" in error


def test_bare_room_id_is_not_an_identifier(client: Any) -> None:
    room = client.create_room()
    with pytest.raises(ClientError) as exc:
        client.get_room(identifier=room["id"])
    error = exc.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["reason"] == "FIELD_VALIDATION_FAILED"
    assert [f["name"] for f in error["fieldList"]] == ["identifier"]


def test_update_room_changes_only_what_it_is_given(client: Any) -> None:
    with freeze_time("2026-01-01T00:00:00Z") as clock:
        room = client.create_room(name="before", maximumMessageLength=200, tags={"a": "b"})
        clock.tick(5)
        updated = client.update_room(identifier=room["arn"], maximumMessageRatePerSecond=3)
    assert updated["name"] == "before"
    assert updated["maximumMessageLength"] == 200
    assert updated["maximumMessageRatePerSecond"] == 3
    assert updated["tags"] == {"a": "b"}
    assert updated["createTime"] == datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert updated["updateTime"] == datetime(2026, 1, 1, 0, 0, 5, tzinfo=timezone.utc)
    assert client.get_room(identifier=room["arn"])["maximumMessageRatePerSecond"] == 3


def test_update_room_removes_review_handler_with_empty_uri(client: Any) -> None:
    room = client.create_room(messageReviewHandler={"uri": LAMBDA, "fallbackResult": "DENY"})
    updated = client.update_room(identifier=room["arn"], messageReviewHandler={"uri": ""})
    assert updated["messageReviewHandler"] == {"uri": "", "fallbackResult": "ALLOW"}


def test_update_room_detaches_logging_configurations_with_empty_list(client: Any) -> None:
    config = client.create_logging_configuration(destinationConfiguration={"s3": {"bucketName": "logs"}})
    room = client.create_room(loggingConfigurationIdentifiers=[config["arn"]])
    updated = client.update_room(identifier=room["arn"], loggingConfigurationIdentifiers=[])
    assert updated["loggingConfigurationIdentifiers"] == []
    client.delete_logging_configuration(identifier=config["arn"])


def test_failed_update_changes_nothing(client: Any) -> None:
    room = client.create_room(name="keep")
    missing = f"arn:aws:ivschat:{REGION}:{ACCOUNT}:logging-configuration/ABCDEFabcdef"
    with pytest.raises(ClientError):
        client.update_room(identifier=room["arn"], name="changed", loggingConfigurationIdentifiers=[missing])
    after = client.get_room(identifier=room["arn"])
    assert after["name"] == "keep"
    assert after["updateTime"] == room["updateTime"]


def test_delete_room_answers_204_and_removes_it(client: Any) -> None:
    room = client.create_room()
    response = client.delete_room(identifier=room["arn"])
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as exc:
        client.get_room(identifier=room["arn"])
    assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as exc:
        client.delete_room(identifier=room["arn"])
    assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_list_rooms_summary_fields(client: Any) -> None:
    room = client.create_room(name="r", messageReviewHandler={"uri": LAMBDA}, tags={"k": "v"})
    (summary,) = client.list_rooms()["rooms"]
    assert summary == {
        "arn": room["arn"],
        "id": room["id"],
        "name": "r",
        "messageReviewHandler": {"uri": LAMBDA, "fallbackResult": "ALLOW"},
        "createTime": room["createTime"],
        "updateTime": room["updateTime"],
        "tags": {"k": "v"},
        "loggingConfigurationIdentifiers": [],
    }


def test_list_rooms_newest_update_first(client: Any) -> None:
    with freeze_time("2026-01-01") as clock:
        first = client.create_room(name="first")
        clock.tick(1)
        second = client.create_room(name="second")
        clock.tick(1)
        third = client.create_room(name="third")
        clock.tick(1)
        client.update_room(identifier=first["arn"], name="first")
    names = [r["name"] for r in client.list_rooms()["rooms"]]
    assert names == ["first", "third", "second"]
    assert {second["id"], third["id"]} <= {r["id"] for r in client.list_rooms()["rooms"]}


def test_list_rooms_order_survives_a_clock_moved_back(client: Any) -> None:
    with freeze_time("2026-01-02") as clock:
        late = client.create_room(name="late")
        clock.move_to("2026-01-01")
        early = client.create_room(name="early")
    assert [r["id"] for r in client.list_rooms()["rooms"]] == [late["id"], early["id"]]


def test_order_after_a_listing_between_clock_moves(client: Any) -> None:
    with freeze_time("2026-01-01 00:00:10") as clock:
        a = client.create_room(name="a")
        clock.move_to("2026-01-01 00:00:05")
        b = client.create_room(name="b")
        assert [r["id"] for r in client.list_rooms()["rooms"]] == [a["id"], b["id"]]
        clock.move_to("2026-01-01 00:00:07")
        c = client.create_room(name="c")
    assert [r["id"] for r in client.list_rooms()["rooms"]] == [a["id"], c["id"], b["id"]]


def test_same_instant_lists_most_recent_change_first(client: Any) -> None:
    with freeze_time("2026-01-01"):
        ids = [client.create_room()["id"] for _ in range(3)]
    assert [r["id"] for r in client.list_rooms()["rooms"]] == ids[::-1]


def _page_all(client: Any, **kwargs: Any) -> list[dict[str, Any]]:
    rooms: list[dict[str, Any]] = []
    token = None
    while True:
        page = client.list_rooms(**kwargs, **({"nextToken": token} if token else {}))
        rooms += page["rooms"]
        token = page.get("nextToken")
        if not token:
            return rooms


def test_list_rooms_pages_with_next_token(client: Any) -> None:
    created = [client.create_room()["id"] for _ in range(7)]
    first = client.list_rooms(maxResults=3)
    assert len(first["rooms"]) == 3
    assert isinstance(first["nextToken"], str)
    listed = _page_all(client, maxResults=3)
    assert [r["id"] for r in listed] == created[::-1]


def test_list_rooms_default_page_is_fifty(client: Any) -> None:
    for _ in range(51):
        client.create_room()
    page = client.list_rooms()
    assert len(page["rooms"]) == 50
    assert "nextToken" in page
    rest = client.list_rooms(nextToken=page["nextToken"])
    assert len(rest["rooms"]) == 1
    assert "nextToken" not in rest


def test_paging_resumes_after_changes_between_pages(client: Any) -> None:
    ids = [client.create_room()["id"] for _ in range(4)]
    page = client.list_rooms(maxResults=2)
    assert [r["id"] for r in page["rooms"]] == [ids[3], ids[2]]
    client.create_room()  # newer than the cursor: not on later pages
    rest = client.list_rooms(maxResults=2, nextToken=page["nextToken"])
    assert [r["id"] for r in rest["rooms"]] == [ids[1], ids[0]]


@pytest.mark.parametrize("token", ["garbage!", "bm90LWpzb24", "WzEsIDJd" + "x"])
def test_list_rooms_bad_token_is_validation_error(client: Any, token: str) -> None:
    client.create_room()
    with pytest.raises(ClientError) as exc:
        client.list_rooms(nextToken=token)
    error = exc.value.response
    assert error["Error"]["Code"] == "ValidationException"
    assert [f["name"] for f in error["fieldList"]] == ["nextToken"]


@pytest.mark.parametrize("max_results", [0, 51])
def test_list_rooms_max_results_bounds(raw_client: Any, max_results: int) -> None:
    with pytest.raises(ClientError) as exc:
        raw_client.list_rooms(maxResults=max_results)
    assert [f["name"] for f in exc.value.response["fieldList"]] == ["maxResults"]


def test_list_rooms_filters(client: Any) -> None:
    config = client.create_logging_configuration(destinationConfiguration={"s3": {"bucketName": "logs"}})
    other_lambda = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:other"
    plain = client.create_room(name="plain")
    reviewed = client.create_room(name="reviewed", messageReviewHandler={"uri": LAMBDA})
    logged = client.create_room(name="plain", loggingConfigurationIdentifiers=[config["arn"]])
    client.create_room(name="other", messageReviewHandler={"uri": other_lambda})

    def ids(**filters: Any) -> list[str]:
        return [r["id"] for r in _page_all(client, maxResults=1, **filters)]

    assert ids(name="plain") == [logged["id"], plain["id"]]
    assert ids(messageReviewHandlerUri=LAMBDA) == [reviewed["id"]]
    assert ids(loggingConfigurationIdentifier=config["arn"]) == [logged["id"]]
    assert ids(name="plain", loggingConfigurationIdentifier=config["arn"]) == [logged["id"]]
    assert ids(name="nobody") == []


def test_list_rooms_filter_by_unknown_logging_configuration_is_not_found(client: Any) -> None:
    arn = f"arn:aws:ivschat:{REGION}:{ACCOUNT}:logging-configuration/ABCDEFabcdef"
    with pytest.raises(ClientError) as exc:
        client.list_rooms(loggingConfigurationIdentifier=arn)
    assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_room_quota(client: Any) -> None:
    from moto_ivschat import ivschat_backends

    ivschat_backends[ACCOUNT][REGION].room_quota = 2
    client.create_room()
    client.create_room()
    with pytest.raises(ClientError) as exc:
        client.create_room()
    error = exc.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 402
    assert error["Error"]["Code"] == "ServiceQuotaExceededException"
    assert error["limit"] == 2
    assert error["resourceType"] == "ROOM"
    assert len(client.list_rooms()["rooms"]) == 2
