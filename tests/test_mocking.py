"""Registration and the forms of the mock: decorator, class decorator, context manager, mock_aws."""

from __future__ import annotations

import sys
from typing import Any

import boto3
import moto
import moto.backend_index
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

import moto_ivschat
from moto_ivschat import ivschat_backends, mock_ivschat
from moto_ivschat.registration import register

REGION = "us-east-1"
ACCOUNT = "123456789012"


def _rooms() -> int:
    return len(boto3.client("ivschat", region_name=REGION).list_rooms()["rooms"])


def test_registration_is_idempotent_and_patches_no_moto_file() -> None:
    register()
    register()
    names = [name for name, _ in moto.backend_index.backend_url_patterns]
    assert names.count("ivschat") == 1
    assert sys.modules["moto.ivschat"].ivschat_backends is ivschat_backends
    assert moto_ivschat.ivschat_backends is ivschat_backends


@mock_ivschat
def test_function_decorator() -> None:
    boto3.client("ivschat", region_name=REGION).create_room()
    assert _rooms() == 1


@mock_ivschat
class TestClassDecorator:
    def test_first_method_starts_empty(self) -> None:
        assert _rooms() == 0
        boto3.client("ivschat", region_name=REGION).create_room()

    def test_second_method_starts_empty(self) -> None:
        assert _rooms() == 0
        boto3.client("ivschat", region_name=REGION).create_room()


def test_context_manager_resets_on_exit() -> None:
    with mock_ivschat():
        boto3.client("ivschat", region_name=REGION).create_room()
        assert _rooms() == 1
    with mock_ivschat():
        assert _rooms() == 0


def test_mock_aws_serves_ivschat_beside_s3() -> None:
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="chat-logs")
        ivschat = boto3.client("ivschat", region_name=REGION)
        config = ivschat.create_logging_configuration(
            destinationConfiguration={"s3": {"bucketName": "chat-logs"}}
        )
        ivschat.create_room(loggingConfigurationIdentifiers=[config["arn"]])
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["chat-logs"]
        assert _rooms() == 1


def test_regions_are_isolated(client: Any) -> None:
    room = client.create_room()
    west = boto3.client("ivschat", region_name="eu-west-1")
    assert west.list_rooms()["rooms"] == []
    with pytest.raises(ClientError) as exc:
        west.get_room(identifier=room["arn"])
    assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert set(ivschat_backends[ACCOUNT]) >= {"us-east-1", "eu-west-1"}


def test_accounts_are_isolated_by_environment(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    room = client.create_room()
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111122223333")
    other = boto3.client("ivschat", region_name=REGION)
    assert other.list_rooms()["rooms"] == []
    mine = other.create_room()
    assert mine["arn"].startswith("arn:aws:ivschat:us-east-1:111122223333:room/")
    with pytest.raises(ClientError) as exc:
        other.get_room(identifier=room["arn"])
    assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_assumed_role_credentials_select_the_account(client: Any) -> None:
    client.create_room()
    sts = boto3.client("sts", region_name=REGION)
    credentials = sts.assume_role(
        RoleArn="arn:aws:iam::444455556666:role/chat-admin", RoleSessionName="test"
    )["Credentials"]
    other = boto3.client(
        "ivschat",
        region_name=REGION,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )
    assert other.list_rooms()["rooms"] == []
    assert other.create_room()["arn"].split(":")[4] == "444455556666"
    assert len(client.list_rooms()["rooms"]) == 1
