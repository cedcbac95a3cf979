"""boto3 with ``endpoint_url``: ivschat and the rest of moto behind one server."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import boto3
import pytest
import requests
from server_process import ACCOUNT, ServerProcess

THREADS = 8
ROOMS_PER_THREAD = 25


def _all_rooms(client: Any) -> list[dict[str, Any]]:
    rooms: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {}
    while True:
        page = client.list_rooms(**kwargs)
        rooms += page["rooms"]
        if "nextToken" not in page:
            return rooms
        kwargs["nextToken"] = page["nextToken"]


def test_a_chat_room_lifecycle(server: ServerProcess) -> None:
    client = server.client()
    s3 = server.client("s3")
    s3.create_bucket(Bucket="chat-logs")
    config = client.create_logging_configuration(
        name="logs", destinationConfiguration={"s3": {"bucketName": "chat-logs"}}
    )
    assert config["state"] == "ACTIVE"
    room = client.create_room(
        name="lobby", maximumMessageLength=200, loggingConfigurationIdentifiers=[config["arn"]]
    )
    assert room["arn"] == f"arn:aws:ivschat:us-east-1:{ACCOUNT}:room/{room['id']}"
    token = client.create_chat_token(
        roomIdentifier=room["arn"], userId="alice", capabilities=["SEND_MESSAGE"]
    )
    assert isinstance(token["token"], str)
    assert token["token"]
    assert isinstance(token["sessionExpirationTime"], datetime)
    assert len(client.send_event(roomIdentifier=room["arn"], eventName="welcome")["id"]) == 12
    assert len(client.delete_message(roomIdentifier=room["arn"], id="abcdEFGH1234")["id"]) == 12
    client.disconnect_user(roomIdentifier=room["arn"], userId="alice")
    updated = client.update_room(identifier=room["arn"], name="hall", loggingConfigurationIdentifiers=[])
    assert (updated["name"], updated["maximumMessageLength"]) == ("hall", 200)
    assert updated["loggingConfigurationIdentifiers"] == []
    assert client.list_rooms(name="hall")["rooms"][0]["arn"] == room["arn"]

    deleted = client.delete_room(identifier=room["arn"])
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    deleted = client.delete_logging_configuration(identifier=config["arn"])
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert client.list_rooms()["rooms"] == []
    assert client.list_logging_configurations()["loggingConfigurations"] == []


def test_errors_arrive_typed(server: ServerProcess) -> None:
    client = server.client()
    missing = f"arn:aws:ivschat:us-east-1:{ACCOUNT}:room/abcdABCD1234"
    with pytest.raises(client.exceptions.ResourceNotFoundException) as missing_room:
        client.get_room(identifier=missing)
    assert missing_room.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert missing_room.value.response["resourceId"] == "abcdABCD1234"
    with pytest.raises(client.exceptions.ValidationException) as too_long:
        client.create_room(maximumMessageLength=501)
    assert too_long.value.response["reason"] == "FIELD_VALIDATION_FAILED"
    assert too_long.value.response["fieldList"][0]["name"] == "maximumMessageLength"


def test_tag_calls_carry_the_arn_percent_encoded_in_the_path(server: ServerProcess) -> None:
    client = server.client()
    urls: list[str] = []
    client.meta.events.register("before-send.ivschat", lambda request, **_: urls.append(request.url))
    room = client.create_room()
    client.tag_resource(resourceArn=room["arn"], tags={"team": "chat", "with space": "v"})
    client.untag_resource(resourceArn=room["arn"], tagKeys=["with space"])
    assert client.list_tags_for_resource(resourceArn=room["arn"])["tags"] == {"team": "chat"}
    encoded = room["arn"].replace(":", "%3A").replace("/", "%2F")
    assert [url.split("?")[0] for url in urls[1:]] == [f"{server.url}/tags/{encoded}"] * 3


def test_other_moto_services_share_the_server(server: ServerProcess) -> None:
    s3 = server.client("s3")
    s3.create_bucket(Bucket="assets")
    s3.put_object(Bucket="assets", Key="a/b c.txt", Body=b"hello", Metadata={"origin-name": "Report"})
    stored = s3.get_object(Bucket="assets", Key="a/b c.txt")
    assert stored["Body"].read() == b"hello"
    # Metadata keys are read back from header names: their case must come back as sent.
    assert stored["Metadata"] == {"origin-name": "Report"}
    # An unsigned request (a presigned URL) still reaches moto's S3.
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "assets", "Key": "a/b c.txt"})
    assert requests.get(url, timeout=30).content == b"hello"

    sqs = server.client("sqs")
    queue = sqs.create_queue(QueueName="events")["QueueUrl"]
    sqs.send_message(QueueUrl=queue, MessageBody="m1")
    assert sqs.receive_message(QueueUrl=queue)["Messages"][0]["Body"] == "m1"

    ivs = server.client("ivs")
    channel = ivs.create_channel(name="stream")["channel"]
    assert ivs.get_channel(arn=channel["arn"])["channel"]["name"] == "stream"


def test_moto_api_reset_empties_ivschat_and_every_other_service(server: ServerProcess) -> None:
    server.client().create_room(name="gone")
    server.client("s3").create_bucket(Bucket="gone")
    reply = server.request("POST", "/moto-api/reset")
    assert reply.status == 200
    assert server.client().list_rooms()["rooms"] == []
    assert server.client("s3").list_buckets()["Buckets"] == []


def test_the_account_comes_from_the_credentials(server: ServerProcess) -> None:
    role = "arn:aws:iam::222222222222:role/chat-admin"
    credentials = server.client("sts").assume_role(RoleArn=role, RoleSessionName="chat-test")["Credentials"]
    other = boto3.session.Session().client(
        "ivschat",
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )
    room = other.create_room(name="elsewhere")
    assert room["arn"].startswith("arn:aws:ivschat:us-east-1:222222222222:room/")
    assert [r["arn"] for r in other.list_rooms()["rooms"]] == [room["arn"]]
    assert server.client().list_rooms()["rooms"] == []


def test_the_account_comes_from_the_moto_header(server: ServerProcess) -> None:
    body = json.dumps({"name": "by-header"}).encode()
    headers = {**server.signed("POST", "/CreateRoom", body), "x-moto-account-id": "333333333333"}
    reply = server.request("POST", "/CreateRoom", body, headers)
    assert reply.status == 200
    assert reply.json()["arn"].startswith("arn:aws:ivschat:us-east-1:333333333333:room/")
    assert server.client().list_rooms()["rooms"] == []


def test_the_region_comes_from_the_credential_scope(server: ServerProcess) -> None:
    europe = boto3.session.Session().client(
        "ivschat",
        endpoint_url=server.url,
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    room = europe.create_room()
    assert room["arn"].startswith(f"arn:aws:ivschat:eu-west-1:{ACCOUNT}:room/")
    assert server.client().list_rooms()["rooms"] == []


def test_requests_share_one_keep_alive_connection(server: ServerProcess) -> None:
    room = server.client().create_room(name="kept")
    body = json.dumps({"identifier": room["arn"]}).encode()
    conn = server.connection()
    try:
        sockets = set()
        for _ in range(3):
            conn.request("POST", "/GetRoom", body=body, headers=server.signed("POST", "/GetRoom", body))
            response = conn.getresponse()
            assert response.version == 11
            assert response.status == 200
            assert json.loads(response.read())["name"] == "kept"
            assert response.getheader("Connection", "").lower() != "close"
            sockets.add(id(conn.sock))
        assert len(sockets) == 1
    finally:
        conn.close()


def test_concurrent_clients_lose_nothing(server: ServerProcess) -> None:
    def create(worker: int) -> list[str]:
        client = server.client()
        return [client.create_room(name=f"w{worker}")["arn"] for _ in range(ROOMS_PER_THREAD)]

    with ThreadPoolExecutor(THREADS) as pool:
        created = [arn for arns in pool.map(create, range(THREADS)) for arn in arns]

    assert len(set(created)) == THREADS * ROOMS_PER_THREAD
    assert sorted(room["arn"] for room in _all_rooms(server.client())) == sorted(created)
