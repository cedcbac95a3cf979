"""Chat logging into moto's S3, CloudWatch Logs and Firehose, and missing destinations."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timezone
from typing import Any

import pytest
from chat_kit import ACCOUNT, REGION, ChatKit, receive, send
from freezegun import freeze_time

NOW = datetime(2026, 3, 1, 12, 30, 15, 250000)


def logged_room(chat: ChatKit, *destinations: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A room logging to each destination; returns it and its logging configurations' ARNs."""
    arns = [
        chat.ivschat.create_logging_configuration(destinationConfiguration=destination)["arn"]
        for destination in destinations
    ]
    return chat.create_room(loggingConfigurationIdentifiers=arns), arns


def chat_once(chat: ChatKit, room: dict[str, Any]) -> list[dict[str, Any]]:
    """Send a message and an event to the room; return the frames a client received."""
    with freeze_time(NOW):
        client = chat.join(room, "alice", capabilities=["SEND_MESSAGE"])
        send(client, Action="SEND_MESSAGE", Content="for the record", RequestId="r1")
        chat.ivschat.send_event(roomIdentifier=room["arn"], eventName="app:cheer")
        return [receive(client), receive(client)]


def records_of(frames: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The log records the service writes for the frames clients received."""
    return [
        {
            "event_timestamp": "2026-03-01T12:30:15.250Z",
            "type": frame["Type"],
            "version": "1.0",
            "payload": frame,
        }
        for frame in frames
    ]


def state_of(chat: ChatKit, arn: str) -> str:
    state: str = chat.ivschat.get_logging_configuration(identifier=arn)["state"]
    return state


def test_records_go_to_an_s3_bucket(chat: ChatKit) -> None:
    s3 = chat.client("s3")
    s3.create_bucket(Bucket="chat-logs")
    room, [arn] = logged_room(chat, {"s3": {"bucketName": "chat-logs"}})
    frames = chat_once(chat, room)
    prefix = f"AWSLogs/{ACCOUNT}/IVSChatLogs/1.0/{REGION}/room_{room['id']}/2026/03/01/12/"
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="chat-logs")["Contents"])
    assert len(keys) == 2
    for key in keys:
        assert key.startswith(f"{prefix}{ACCOUNT}_IVSChatLogs_1.0_{REGION}_room_{room['id']}_202603011230_")
        assert key.endswith(".log.gz")
    lines = [
        gzip.decompress(s3.get_object(Bucket="chat-logs", Key=key)["Body"].read()).decode() for key in keys
    ]
    assert all(line.endswith("\n") for line in lines)
    records = [json.loads(line) for line in lines]
    assert sorted(records, key=lambda r: r["type"]) == sorted(records_of(frames), key=lambda r: r["type"])
    assert state_of(chat, arn) == "ACTIVE"


def test_records_go_to_cloudwatch_logs(chat: ChatKit) -> None:
    logs = chat.client("logs")
    logs.create_log_group(logGroupName="/ivs/chat")
    room, [arn] = logged_room(chat, {"cloudWatchLogs": {"logGroupName": "/ivs/chat"}})
    frames = chat_once(chat, room)
    stream = f"aws/IVSChatLogs/1.0/room_{room['id']}"
    events = logs.get_log_events(logGroupName="/ivs/chat", logStreamName=stream, startFromHead=True)["events"]
    assert [json.loads(e["message"]) for e in events] == records_of(frames)
    assert {e["timestamp"] for e in events} == {int(NOW.replace(tzinfo=timezone.utc).timestamp() * 1000)}
    assert state_of(chat, arn) == "ACTIVE"


def test_records_go_to_a_firehose_stream(chat: ChatKit) -> None:
    s3 = chat.client("s3")
    s3.create_bucket(Bucket="firehose-out")
    chat.client("firehose").create_delivery_stream(
        DeliveryStreamName="chat-stream",
        ExtendedS3DestinationConfiguration={
            "RoleARN": f"arn:aws:iam::{ACCOUNT}:role/firehose",
            "BucketARN": "arn:aws:s3:::firehose-out",
        },
    )
    room, [arn] = logged_room(chat, {"firehose": {"deliveryStreamName": "chat-stream"}})
    frames = chat_once(chat, room)
    bodies = [
        s3.get_object(Bucket="firehose-out", Key=o["Key"])["Body"].read().decode()
        for o in s3.list_objects_v2(Bucket="firehose-out")["Contents"]
    ]
    records = [json.loads(line) for body in bodies for line in body.splitlines()]
    assert sorted(records, key=lambda r: r["type"]) == sorted(records_of(frames), key=lambda r: r["type"])
    assert state_of(chat, arn) == "ACTIVE"


def test_every_configuration_of_the_room_gets_every_record(chat: ChatKit) -> None:
    chat.client("s3").create_bucket(Bucket="chat-logs")
    logs = chat.client("logs")
    logs.create_log_group(logGroupName="one")
    logs.create_log_group(logGroupName="two")
    room, _ = logged_room(
        chat,
        {"s3": {"bucketName": "chat-logs"}},
        {"cloudWatchLogs": {"logGroupName": "one"}},
        {"cloudWatchLogs": {"logGroupName": "two"}},
    )
    frames = chat_once(chat, room)
    stream = f"aws/IVSChatLogs/1.0/room_{room['id']}"
    for group in ("one", "two"):
        events = logs.get_log_events(logGroupName=group, logStreamName=stream, startFromHead=True)["events"]
        assert [json.loads(e["message"]) for e in events] == records_of(frames)


@pytest.mark.parametrize(
    "destination",
    [
        {"s3": {"bucketName": "no-such-bucket"}},
        {"cloudWatchLogs": {"logGroupName": "no-such-group"}},
        {"firehose": {"deliveryStreamName": "no-such-stream"}},
    ],
)
def test_a_missing_destination_is_reported_in_the_state(chat: ChatKit, destination: dict[str, Any]) -> None:
    room, [arn] = logged_room(chat, destination)
    assert state_of(chat, arn) == "ACTIVE"
    chat_once(chat, room)
    assert state_of(chat, arn) == "CREATE_FAILED"


def test_the_state_recovers_once_the_destination_exists(chat: ChatKit) -> None:
    room, [arn] = logged_room(chat, {"s3": {"bucketName": "later"}})
    chat_once(chat, room)
    assert state_of(chat, arn) == "CREATE_FAILED"
    s3 = chat.client("s3")
    s3.create_bucket(Bucket="later")
    chat_once(chat, room)
    assert state_of(chat, arn) == "ACTIVE"
    assert s3.list_objects_v2(Bucket="later")["KeyCount"] == 2


def test_update_logging_configuration_answers_active_again(chat: ChatKit) -> None:
    chat.client("s3").create_bucket(Bucket="exists")
    room, [arn] = logged_room(chat, {"s3": {"bucketName": "missing"}})
    chat_once(chat, room)
    updated = chat.ivschat.update_logging_configuration(
        identifier=arn, destinationConfiguration={"s3": {"bucketName": "exists"}}
    )
    assert updated["state"] == "ACTIVE"
    assert state_of(chat, arn) == "ACTIVE"


def test_a_bucket_of_another_region_is_not_a_destination(chat: ChatKit) -> None:
    chat.client("s3", "eu-west-1").create_bucket(
        Bucket="far-away", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    room, [arn] = logged_room(chat, {"s3": {"bucketName": "far-away"}})
    chat_once(chat, room)
    assert state_of(chat, arn) == "CREATE_FAILED"


def test_rooms_without_logging_configurations_write_nothing(chat: ChatKit) -> None:
    s3 = chat.client("s3")
    s3.create_bucket(Bucket="chat-logs")
    chat.ivschat.create_logging_configuration(destinationConfiguration={"s3": {"bucketName": "chat-logs"}})
    chat_once(chat, chat.create_room())
    assert s3.list_objects_v2(Bucket="chat-logs")["KeyCount"] == 0
