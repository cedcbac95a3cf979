"""A room logs what the control plane sends it, with no chat client and no emulator running,
and the record is there when the call returns."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timezone
from typing import Any

import boto3
from freezegun import freeze_time
from moto import mock_aws

import moto_ivschat  # noqa: F401  (registers ivschat with moto)

REGION = "us-east-1"
ACCOUNT = "123456789012"
NOW = datetime(2026, 5, 1, 8, 15, 30, 456789, tzinfo=timezone.utc)


def _logged_room(ivschat: Any, destination: dict[str, Any]) -> dict[str, Any]:
    config = ivschat.create_logging_configuration(destinationConfiguration=destination)
    room: dict[str, Any] = ivschat.create_room(loggingConfigurationIdentifiers=[config["arn"]])
    return room


def _moderate(ivschat: Any, room: dict[str, Any]) -> list[str]:
    """SendEvent, DeleteMessage, DisconnectUser; returns the IDs of the three events."""
    with freeze_time(NOW):
        event = ivschat.send_event(roomIdentifier=room["arn"], eventName="app:poll", attributes={"q": "tea?"})
        deletion = ivschat.delete_message(roomIdentifier=room["arn"], id="AbCdEf123456", reason="spam")
        ivschat.disconnect_user(roomIdentifier=room["arn"], userId="mallory")
    return [event["id"], deletion["id"]]


def _expected(room: dict[str, Any], ids: list[str], records: list[dict[str, Any]]) -> None:
    """The three records, exactly as a connected client would have received them."""
    send_time = "2026-05-01T08:15:30.456000000Z"
    assert [r["payload"]["Id"] for r in records[:2]] == ids
    assert [{k: v for k, v in r.items() if k != "payload"} for r in records] == [
        {"event_timestamp": "2026-05-01T08:15:30.456Z", "type": "EVENT", "version": "1.0"}
    ] * 3
    assert [{k: v for k, v in r["payload"].items() if k != "Id"} for r in records] == [
        {
            "Type": "EVENT",
            "RequestId": "",
            "Attributes": {"q": "tea?"},
            "EventName": "app:poll",
            "SendTime": send_time,
        },
        {
            "Type": "EVENT",
            "RequestId": "",
            "Attributes": {"MessageID": "AbCdEf123456", "MessageId": "AbCdEf123456", "Reason": "spam"},
            "EventName": "aws:DELETE_MESSAGE",
            "SendTime": send_time,
        },
        {
            "Type": "EVENT",
            "RequestId": "",
            "Attributes": {"UserId": "mallory"},
            "EventName": "aws:DISCONNECT_USER",
            "SendTime": send_time,
        },
    ]


@mock_aws
def test_control_plane_events_reach_an_s3_bucket_before_the_call_returns() -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="chat-logs")
    ivschat = boto3.client("ivschat", region_name=REGION)
    room = _logged_room(ivschat, {"s3": {"bucketName": "chat-logs"}})
    ids = _moderate(ivschat, room)
    objects = s3.list_objects_v2(Bucket="chat-logs")["Contents"]
    prefix = f"AWSLogs/{ACCOUNT}/IVSChatLogs/1.0/{REGION}/room_{room['id']}/2026/05/01/08/"
    assert all(o["Key"].startswith(prefix) for o in objects)
    bodies = [
        gzip.decompress(s3.get_object(Bucket="chat-logs", Key=o["Key"])["Body"].read()) for o in objects
    ]
    # One object per record, named at random within the minute: in the order of the event names.
    _expected(
        room, ids, sorted((json.loads(body) for body in bodies), key=lambda r: r["payload"]["EventName"])
    )


@mock_aws
def test_control_plane_events_reach_cloudwatch_logs_in_order() -> None:
    logs = boto3.client("logs", region_name=REGION)
    logs.create_log_group(logGroupName="/ivs/chat")
    ivschat = boto3.client("ivschat", region_name=REGION)
    room = _logged_room(ivschat, {"cloudWatchLogs": {"logGroupName": "/ivs/chat"}})
    ids = _moderate(ivschat, room)
    events = logs.get_log_events(
        logGroupName="/ivs/chat", logStreamName=f"aws/IVSChatLogs/1.0/room_{room['id']}", startFromHead=True
    )["events"]
    assert {e["timestamp"] for e in events} == {int(NOW.timestamp() * 1000)}
    _expected(room, ids, [json.loads(e["message"]) for e in events])


@mock_aws
def test_control_plane_events_reach_a_firehose_stream() -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="firehose-out")
    boto3.client("firehose", region_name=REGION).create_delivery_stream(
        DeliveryStreamName="chat-stream",
        ExtendedS3DestinationConfiguration={
            "RoleARN": f"arn:aws:iam::{ACCOUNT}:role/firehose",
            "BucketARN": "arn:aws:s3:::firehose-out",
        },
    )
    ivschat = boto3.client("ivschat", region_name=REGION)
    room = _logged_room(ivschat, {"firehose": {"deliveryStreamName": "chat-stream"}})
    ids = _moderate(ivschat, room)
    objects = s3.list_objects_v2(Bucket="firehose-out")["Contents"]
    body = b"".join(s3.get_object(Bucket="firehose-out", Key=o["Key"])["Body"].read() for o in objects)
    records = [json.loads(line) for line in body.decode().splitlines()]
    # One object per record, named at random: in the order of the event names.
    _expected(room, ids, sorted(records, key=lambda r: r["payload"]["EventName"]))


@mock_aws
def test_a_missing_destination_shows_in_the_state_without_a_client_connected() -> None:
    ivschat = boto3.client("ivschat", region_name=REGION)
    room = _logged_room(ivschat, {"s3": {"bucketName": "never-made"}})
    config_arn = room["loggingConfigurationIdentifiers"][0]
    assert ivschat.get_logging_configuration(identifier=config_arn)["state"] == "ACTIVE"
    ivschat.send_event(roomIdentifier=room["arn"], eventName="app:hello")
    assert ivschat.get_logging_configuration(identifier=config_arn)["state"] == "CREATE_FAILED"
