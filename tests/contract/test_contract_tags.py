"""Contract: TagResource, UntagResource, ListTagsForResource, on rooms and logging configurations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError
from contract_support import Resources, assert_each_not_found, error_of, missing_arn, without_metadata

KINDS: dict[str, Callable[[Resources], dict[str, Any]]] = {
    "room": lambda resources: resources.room(tags={"created": "yes"}),
    "logging-configuration": lambda resources: resources.logging_configuration(tags={"created": "yes"}),
}


@pytest.fixture(params=list(KINDS))
def tagged_arn(request: pytest.FixtureRequest, resources: Resources) -> str:
    """The ARN of a new resource of each taggable kind, created with one tag."""
    return KINDS[request.param](resources)["arn"]


def test_tag_list_and_untag(ivschat: Any, tagged_arn: str) -> None:
    assert ivschat.list_tags_for_resource(resourceArn=tagged_arn)["tags"] == {"created": "yes"}
    tagged = ivschat.tag_resource(resourceArn=tagged_arn, tags={"team": "chat", "with space": "v"})
    assert without_metadata(tagged) == {}
    assert ivschat.list_tags_for_resource(resourceArn=tagged_arn)["tags"] == {
        "created": "yes",
        "team": "chat",
        "with space": "v",
    }
    untagged = ivschat.untag_resource(resourceArn=tagged_arn, tagKeys=["created", "with space"])
    assert without_metadata(untagged) == {}
    assert ivschat.list_tags_for_resource(resourceArn=tagged_arn)["tags"] == {"team": "chat"}


def test_tagging_an_existing_key_replaces_its_value(ivschat: Any, tagged_arn: str) -> None:
    ivschat.tag_resource(resourceArn=tagged_arn, tags={"created": "again"})
    assert ivschat.list_tags_for_resource(resourceArn=tagged_arn)["tags"] == {"created": "again"}


def test_tags_show_on_the_resource(ivschat: Any, resources: Resources) -> None:
    room = resources.room()
    ivschat.tag_resource(resourceArn=room["arn"], tags={"team": "chat"})
    assert ivschat.get_room(identifier=room["arn"])["tags"] == {"team": "chat"}


def test_tags_of_a_missing_resource_are_not_found(ivschat: Any, tagged_arn: str) -> None:
    missing = missing_arn(tagged_arn)
    calls = [
        lambda: ivschat.tag_resource(resourceArn=missing, tags={"k": "v"}),
        lambda: ivschat.untag_resource(resourceArn=missing, tagKeys=["k"]),
        lambda: ivschat.list_tags_for_resource(resourceArn=missing),
    ]
    assert_each_not_found(calls)


@pytest.mark.parametrize(
    "tags",
    [
        {f"key{i}": "v" for i in range(51)},
        {"aws:reserved": "v"},
        {"k" * 129: "v"},
        {"k": "v" * 257},
    ],
    ids=["over-50-tags", "aws-prefix", "key-over-128", "value-over-256"],
)
def test_tag_limits(ivschat: Any, tagged_arn: str, tags: dict[str, str]) -> None:
    with pytest.raises(ClientError) as raised:
        ivschat.tag_resource(resourceArn=tagged_arn, tags=tags)
    assert error_of(raised) == (400, "ValidationException")
    assert ivschat.list_tags_for_resource(resourceArn=tagged_arn)["tags"] == {"created": "yes"}
