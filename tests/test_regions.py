"""Regions: the mock serves where IVS Chat is offered and refuses elsewhere, at once and clearly."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from moto_ivschat import ivschat_backends, mock_ivschat

#: Where botocore's endpoint data offers IVS Chat.
OFFERED = [
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-south-1",
    "eu-central-1",
    "eu-west-1",
    "us-east-1",
    "us-west-2",
]
NOT_OFFERED = ["sa-east-1", "xx-fake-1", "af-south-1", "us-gov-west-1", "cn-north-1"]


@pytest.fixture(autouse=True)
def _no_region_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTO_ALLOW_NONEXISTENT_REGION", raising=False)


@pytest.mark.parametrize("region", OFFERED)
@mock_ivschat
def test_every_region_with_ivs_chat_is_served(region: str) -> None:
    room = boto3.client("ivschat", region_name=region).create_room()
    assert room["arn"].startswith(f"arn:aws:ivschat:{region}:123456789012:room/")


@pytest.mark.parametrize("region", NOT_OFFERED)
@mock_ivschat
def test_a_region_without_ivs_chat_is_refused_once_with_the_way_out(region: str) -> None:
    client = boto3.client("ivschat", region_name=region)
    for call, kwargs in (("create_room", {}), ("list_rooms", {}), ("list_logging_configurations", {})):
        with pytest.raises(ClientError) as error:
            getattr(client, call)(**kwargs)
        response = error.value.response
        assert response["Error"]["Code"] == "InvalidSignatureException"
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
        # A 4xx: botocore does not retry it.
        assert response["ResponseMetadata"]["RetryAttempts"] == 0
        message = response["Error"]["Message"]
        assert f"not '{region}'" in message
        assert "us-east-1" in message
        assert "MOTO_ALLOW_NONEXISTENT_REGION=true" in message
    assert region not in ivschat_backends.get("123456789012", {})


@mock_ivschat
def test_the_region_is_refused_before_the_request_is_read() -> None:
    client = boto3.client("ivschat", region_name="sa-east-1")
    with pytest.raises(ClientError) as error:
        client.get_room(identifier="not-an-arn")
    assert error.value.response["Error"]["Code"] == "InvalidSignatureException"


@mock_ivschat
def test_moto_allow_nonexistent_region_allows_any(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTO_ALLOW_NONEXISTENT_REGION", "true")
    room = boto3.client("ivschat", region_name="sa-east-1").create_room(name="anywhere")
    assert room["arn"].startswith("arn:aws:ivschat:sa-east-1:123456789012:room/")
    assert ivschat_backends["123456789012"]["sa-east-1"].get_room(room["arn"]).name == "anywhere"
