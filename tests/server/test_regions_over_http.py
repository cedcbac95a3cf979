"""A region without IVS Chat, over the server: an immediate 403 that no client retries."""

from __future__ import annotations

import boto3
import pytest
from aws_cli import AwsCli
from botocore.exceptions import ClientError
from server_process import ServerProcess


@pytest.mark.parametrize("region", ["sa-east-1", "xx-fake-1", "af-south-1", "us-gov-west-1", "cn-north-1"])
def test_boto3_gets_one_403_naming_the_region(server: ServerProcess, region: str) -> None:
    client = boto3.session.Session().client(
        "ivschat",
        endpoint_url=server.url,
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    with pytest.raises(ClientError) as error:
        client.create_room()
    response = error.value.response
    assert response["Error"]["Code"] == "InvalidSignatureException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert response["ResponseMetadata"]["RetryAttempts"] == 0
    assert f"not '{region}'" in response["Error"]["Message"]
    assert "MOTO_ALLOW_NONEXISTENT_REGION=true" in response["Error"]["Message"]
    # The server goes on serving the regions that exist.
    assert server.client().list_rooms()["rooms"] == []


def test_the_aws_cli_fails_at_once_without_retrying(server: ServerProcess) -> None:
    cli = AwsCli(server.url, "ivschat")
    cli.env["AWS_DEFAULT_REGION"] = "sa-east-1"
    result = cli.run("--debug", "list-rooms")
    assert result.returncode != 0
    assert (
        "An error occurred (InvalidSignatureException) when calling the ListRooms operation" in result.stderr
    )
    assert "MOTO_ALLOW_NONEXISTENT_REGION=true" in result.stderr
    assert "Retry needed" not in result.stderr
    assert "Traceback" not in result.stderr.split("An error occurred", 1)[1]
