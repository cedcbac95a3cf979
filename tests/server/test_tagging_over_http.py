"""The Resource Groups Tagging API over the server sees ivschat's resources (moto 5.2.2 and later)."""

from __future__ import annotations

import moto
import pytest
from server_process import ServerProcess

from moto_ivschat.moto_compat import RESOURCE_TAGGING_HOOK


def test_the_tagging_api_finds_tags_and_untags_ivschat_resources(server: ServerProcess) -> None:
    client, tagging = server.client(), server.client("resourcegroupstaggingapi")
    room = client.create_room(tags={"team": "chat"})["arn"]
    config = client.create_logging_configuration(
        destinationConfiguration={"s3": {"bucketName": "chat-logs"}}, tags={"team": "logs"}
    )["arn"]
    mappings = tagging.get_resources(ResourceTypeFilters=["ivschat"])["ResourceTagMappingList"]
    if not RESOURCE_TAGGING_HOOK:
        # moto before 5.2.2 has no hook for other services: ivschat is not in its answers.
        assert mappings == [], f"moto {moto.__version__}"
        return
    assert {m["ResourceARN"]: m["Tags"] for m in mappings} == {
        room: [{"Key": "team", "Value": "chat"}],
        config: [{"Key": "team", "Value": "logs"}],
    }
    found = tagging.get_resources(ResourceTypeFilters=["ivschat:logging-configuration"])[
        "ResourceTagMappingList"
    ]
    assert [m["ResourceARN"] for m in found] == [config]
    assert sorted(tagging.get_tag_values(Key="team")["TagValues"]) == ["chat", "logs"]
    assert tagging.tag_resources(ResourceARNList=[room], Tags={"stage": "prod"})["FailedResourcesMap"] == {}
    assert tagging.untag_resources(ResourceARNList=[room], TagKeys=["team"])["FailedResourcesMap"] == {}
    assert client.list_tags_for_resource(resourceArn=room)["tags"] == {"stage": "prod"}


@pytest.mark.skipif(not RESOURCE_TAGGING_HOOK, reason="moto before 5.2.2 has no tagging-API hook")
def test_tag_filters_over_http(server: ServerProcess) -> None:
    client, tagging = server.client(), server.client("resourcegroupstaggingapi")
    chat = client.create_room(tags={"team": "chat", "env": "dev"})["arn"]
    client.create_room(tags={"team": "other"})
    found = tagging.get_resources(TagFilters=[{"Key": "team", "Values": ["chat"]}, {"Key": "env"}])
    assert [m["ResourceARN"] for m in found["ResourceTagMappingList"]] == [chat]
