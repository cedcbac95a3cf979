"""TagResource, UntagResource and ListTagsForResource on rooms and logging configurations."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

REGION = "us-east-1"
ACCOUNT = "123456789012"


@pytest.fixture(params=["room", "logging-configuration"])
def resource(request: pytest.FixtureRequest, client: Any) -> dict[str, Any]:
    if request.param == "room":
        return client.create_room(tags={"a": "1"})  # type: ignore[no-any-return]
    return client.create_logging_configuration(  # type: ignore[no-any-return]
        destinationConfiguration={"s3": {"bucketName": "logs"}}, tags={"a": "1"}
    )


def _get(client: Any, resource: dict[str, Any]) -> dict[str, Any]:
    if ":room/" in resource["arn"]:
        return client.get_room(identifier=resource["arn"])  # type: ignore[no-any-return]
    return client.get_logging_configuration(identifier=resource["arn"])  # type: ignore[no-any-return]


def test_tag_list_untag(client: Any, resource: dict[str, Any]) -> None:
    arn = resource["arn"]
    assert (
        client.tag_resource(resourceArn=arn, tags={"b": "2", "a": "3"})["ResponseMetadata"]["HTTPStatusCode"]
        == 200
    )
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == {"a": "3", "b": "2"}
    assert _get(client, resource)["tags"] == {"a": "3", "b": "2"}
    client.untag_resource(resourceArn=arn, tagKeys=["a", "not-there"])
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == {"b": "2"}


def test_tag_values_come_back_as_given(client: Any, resource: dict[str, Any]) -> None:
    odd = {"xml": "<RequestId>x</RequestId>", "quote": 'a "b" \\ c', "unicode": "ümlaut ✓"}
    client.tag_resource(resourceArn=resource["arn"], tags=odd)
    assert client.list_tags_for_resource(resourceArn=resource["arn"])["tags"] == {"a": "1", **odd}


def test_at_most_fifty_tags_after_merge(client: Any, resource: dict[str, Any]) -> None:
    arn = resource["arn"]
    client.tag_resource(resourceArn=arn, tags={f"k{i}": "v" for i in range(49)})
    with pytest.raises(ClientError) as exc:
        client.tag_resource(resourceArn=arn, tags={"x": "1", "y": "2"})
    error = exc.value.response
    assert error["Error"]["Code"] == "ValidationException"
    assert [f["name"] for f in error["fieldList"]] == ["tags"]
    assert "x" not in client.list_tags_for_resource(resourceArn=arn)["tags"]
    assert len(client.list_tags_for_resource(resourceArn=arn)["tags"]) == 50


def test_reserved_aws_prefix_is_refused(client: Any, resource: dict[str, Any]) -> None:
    with pytest.raises(ClientError) as exc:
        client.tag_resource(resourceArn=resource["arn"], tags={"aws:owner": "me"})
    assert exc.value.response["Error"]["Code"] == "ValidationException"
    assert client.list_tags_for_resource(resourceArn=resource["arn"])["tags"] == {"a": "1"}


def test_tag_value_and_key_lengths(raw_client: Any) -> None:
    room = raw_client.create_room()
    with pytest.raises(ClientError) as exc:
        raw_client.tag_resource(resourceArn=room["arn"], tags={"k": "v" * 257, "k" * 129: "v"})
    names = sorted(f["name"] for f in exc.value.response["fieldList"])
    assert names == ["tags", "tags.k"]


@pytest.mark.parametrize("kind", ["room", "logging-configuration"])
def test_unknown_arn_is_not_found(client: Any, kind: str) -> None:
    arn = f"arn:aws:ivschat:{REGION}:{ACCOUNT}:{kind}/ABCDEFabcdef"
    for call in (
        lambda: client.list_tags_for_resource(resourceArn=arn),
        lambda: client.tag_resource(resourceArn=arn, tags={"a": "b"}),
        lambda: client.untag_resource(resourceArn=arn, tagKeys=["a"]),
    ):
        with pytest.raises(ClientError) as exc:
            call()
        assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
        assert exc.value.response["resourceId"] == "ABCDEFabcdef"


def test_malformed_arn_is_validation_error(client: Any) -> None:
    with pytest.raises(ClientError) as exc:
        client.list_tags_for_resource(resourceArn="arn:aws:s3:::bucket")
    assert [f["name"] for f in exc.value.response["fieldList"]] == ["resourceArn"]


def test_tags_leave_with_their_resource(client: Any) -> None:
    room = client.create_room(tags={"a": "b"})
    client.delete_room(identifier=room["arn"])
    with pytest.raises(ClientError) as exc:
        client.list_tags_for_resource(resourceArn=room["arn"])
    assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"
