"""The Resource Groups Tagging API sees ivschat rooms and logging configurations (moto 5.2.2 and
later), in process; on an older moto, a mocked call of that API warns that it does not."""

from __future__ import annotations

import warnings
from typing import Any

import boto3
import moto
import pytest

from moto_ivschat import ivschat_backends
from moto_ivschat.moto_compat import MOTO_VERSION, RESOURCE_TAGGING_HOOK
from moto_ivschat.registration import MotoFeatureWarning

REGION = "us-east-1"
ACCOUNT = "123456789012"
needs_hook = pytest.mark.skipif(
    not RESOURCE_TAGGING_HOOK, reason=f"moto {moto.__version__} has no tagging-API hook (5.2.2 added it)"
)


@pytest.fixture
def tagging(ivschat_mock: Any) -> Any:
    return boto3.client("resourcegroupstaggingapi", region_name=REGION)


@pytest.fixture
def resources(client: Any) -> dict[str, str]:
    """A tagged room, a tagged logging configuration and an untagged room: their ARNs."""
    config = client.create_logging_configuration(
        destinationConfiguration={"s3": {"bucketName": "chat-logs"}}, tags={"team": "chat", "env": "dev"}
    )
    return {
        "room": client.create_room(name="lobby", tags={"team": "chat"})["arn"],
        "config": config["arn"],
        "untagged": client.create_room(name="quiet")["arn"],
    }


def _arns(tagging: Any, **filters: Any) -> set[str]:
    return {m["ResourceARN"] for m in tagging.get_resources(**filters)["ResourceTagMappingList"]}


@needs_hook
def test_get_resources_by_resource_type(tagging: Any, resources: dict[str, str]) -> None:
    # Like moto's other services: a resource without tags is not listed.
    assert (
        _arns(tagging)
        == _arns(tagging, ResourceTypeFilters=["ivschat"])
        == {
            resources["room"],
            resources["config"],
        }
    )
    assert _arns(tagging, ResourceTypeFilters=["ivschat:room"]) == {resources["room"]}
    assert _arns(tagging, ResourceTypeFilters=["ivschat:logging-configuration"]) == {resources["config"]}
    assert _arns(tagging, ResourceTypeFilters=["ivs"]) == set()


@needs_hook
def test_get_resources_by_tag(tagging: Any, resources: dict[str, str]) -> None:
    assert _arns(tagging, TagFilters=[{"Key": "env"}]) == {resources["config"]}
    assert _arns(tagging, TagFilters=[{"Key": "team", "Values": ["chat"]}]) == {
        resources["room"],
        resources["config"],
    }
    assert _arns(tagging, TagFilters=[{"Key": "team", "Values": ["other"]}]) == set()
    [mapping] = tagging.get_resources(ResourceTypeFilters=["ivschat:room"])["ResourceTagMappingList"]
    assert mapping["Tags"] == [{"Key": "team", "Value": "chat"}]


@needs_hook
def test_get_resources_pages(tagging: Any, client: Any) -> None:
    arns = {client.create_room(tags={"n": str(n)})["arn"] for n in range(5)}
    found: set[str] = set()
    kwargs: dict[str, Any] = {"ResourcesPerPage": 2}
    while True:
        page = tagging.get_resources(**kwargs)
        found |= {m["ResourceARN"] for m in page["ResourceTagMappingList"]}
        if not page.get("PaginationToken"):
            break
        client.delete_room(identifier=page["ResourceTagMappingList"][0]["ResourceARN"])  # pages are snapshots
        kwargs["PaginationToken"] = page["PaginationToken"]
    assert found == arns


@needs_hook
def test_tag_keys_and_values(tagging: Any, resources: dict[str, str]) -> None:
    assert set(tagging.get_tag_keys()["TagKeys"]) == {"team", "env"}
    assert set(tagging.get_tag_values(Key="team")["TagValues"]) == {"chat"}
    assert tagging.get_tag_values(Key="env")["TagValues"] == ["dev"]


@needs_hook
def test_tag_and_untag_resources(tagging: Any, client: Any, resources: dict[str, str]) -> None:
    missing = resources["room"][:-1] + ("A" if resources["room"][-1] != "A" else "B")
    result = tagging.tag_resources(
        ResourceARNList=[resources["room"], resources["untagged"], missing], Tags={"stage": "prod"}
    )
    # An ARN no backend holds is reported; it does not end the call.
    assert list(result["FailedResourcesMap"]) == [missing]
    assert client.list_tags_for_resource(resourceArn=resources["room"])["tags"] == {
        "team": "chat",
        "stage": "prod",
    }
    assert client.list_tags_for_resource(resourceArn=resources["untagged"])["tags"] == {"stage": "prod"}
    result = tagging.untag_resources(
        ResourceARNList=[resources["room"], resources["config"]], TagKeys=["team"]
    )
    assert result["FailedResourcesMap"] == {}
    assert client.get_room(identifier=resources["room"])["tags"] == {"stage": "prod"}
    assert client.get_logging_configuration(identifier=resources["config"])["tags"] == {"env": "dev"}


@needs_hook
def test_only_the_callers_account_and_region(tagging: Any, resources: dict[str, str]) -> None:
    ivschat_backends[ACCOUNT]["us-west-2"].create_room(tags={"team": "chat"})
    assert _arns(tagging, ResourceTypeFilters=["ivschat:room"]) == {resources["room"]}
    other = ivschat_backends[ACCOUNT]["us-west-2"].rooms
    [arn] = [room.arn for room in other]
    assert tagging.tag_resources(ResourceARNList=[arn], Tags={"x": "1"})["FailedResourcesMap"].keys() == {arn}


@needs_hook
@pytest.mark.xfail(
    MOTO_VERSION < (5, 2, 4),
    reason="moto 5.2.2-5.2.3 list a service once per account that used it",
    strict=True,
)
def test_each_resource_once_when_two_accounts_use_ivschat(tagging: Any, resources: dict[str, str]) -> None:
    ivschat_backends["111111111111"][REGION].create_room(tags={"team": "chat"})
    mappings = tagging.get_resources(ResourceTypeFilters=["ivschat:room"])["ResourceTagMappingList"]
    assert [m["ResourceARN"] for m in mappings] == [resources["room"]]


@pytest.mark.skipif(RESOURCE_TAGGING_HOOK, reason="moto 5.2.2 and later have the tagging-API hook")
def test_before_moto_522_the_tagging_api_warns_that_it_does_not_see_ivschat(
    tagging: Any, client: Any, resources: dict[str, str]
) -> None:
    with pytest.warns(MotoFeatureWarning, match=r"does not see ivschat .* moto 5\.2\.2 added the hook"):
        mappings = tagging.get_resources()["ResourceTagMappingList"]
    assert [m for m in mappings if ":ivschat:" in m["ResourceARN"]] == []
    with pytest.warns(MotoFeatureWarning):
        failed = tagging.tag_resources(ResourceARNList=[resources["room"]], Tags={"x": "1"})[
            "FailedResourcesMap"
        ]
    assert failed[resources["room"]]["ErrorMessage"] == "Service not yet supported"
    assert client.list_tags_for_resource(resourceArn=resources["room"])["tags"] == {"team": "chat"}


@pytest.mark.skipif(RESOURCE_TAGGING_HOOK, reason="moto 5.2.2 and later have the tagging-API hook")
def test_before_moto_522_a_suite_without_ivschat_resources_hears_nothing(tagging: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", MotoFeatureWarning)
        assert tagging.get_resources()["ResourceTagMappingList"] == []
