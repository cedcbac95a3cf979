"""freezegun end to end: every time the mock gives comes from the frozen clock, and tokens expire by it."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
from freezegun import freeze_time

from moto_ivschat import ChatTokenError, mock_ivschat, sent_events, verify_chat_token

FROZEN = datetime(2020, 1, 1, tzinfo=timezone.utc)


def test_room_times_come_from_the_frozen_clock(ivschat_client: Any) -> None:
    with freeze_time("2020-01-01") as clock:
        room = ivschat_client.create_room(name="a")
        clock.tick(90)
        updated = ivschat_client.update_room(identifier=room["arn"], name="b")
        clock.move_to("2021-06-01 08:30:00")
        ivschat_client.tag_resource(resourceArn=room["arn"], tags={"k": "v"})
        read = ivschat_client.get_room(identifier=room["arn"])
    assert (room["createTime"], room["updateTime"]) == (FROZEN, FROZEN)
    assert (updated["createTime"], updated["updateTime"]) == (FROZEN, FROZEN + timedelta(seconds=90))
    assert (read["createTime"], read["updateTime"]) == (FROZEN, FROZEN + timedelta(seconds=90))


def test_logging_configuration_times_come_from_the_frozen_clock(ivschat_client: Any) -> None:
    with freeze_time("2020-01-01") as clock:
        config = ivschat_client.create_logging_configuration(
            destinationConfiguration={"s3": {"bucketName": "chat-logs"}}
        )
        clock.tick(timedelta(days=1))
        updated = ivschat_client.update_logging_configuration(identifier=config["arn"], name="renamed")
    assert (config["createTime"], config["updateTime"]) == (FROZEN, FROZEN)
    assert updated["updateTime"] == FROZEN + timedelta(days=1)


def test_token_expiries_come_from_the_frozen_clock(ivschat_client: Any) -> None:
    room = ivschat_client.create_room()
    with freeze_time("2020-01-01 10:00:00"):
        token = ivschat_client.create_chat_token(
            roomIdentifier=room["arn"], userId="alice", sessionDurationInMinutes=15
        )
    issued = datetime(2020, 1, 1, 10, tzinfo=timezone.utc)
    assert token["tokenExpirationTime"] == issued + timedelta(hours=1)
    assert token["sessionExpirationTime"] == issued + timedelta(minutes=15)


def test_tick_and_move_to_make_a_token_expire(ivschat_client: Any) -> None:
    room = ivschat_client.create_room()
    with freeze_time("2020-01-01") as clock:
        token = ivschat_client.create_chat_token(roomIdentifier=room["arn"], userId="alice")["token"]
        clock.tick(timedelta(minutes=59))
        assert verify_chat_token(token).user_id == "alice"
        clock.tick(timedelta(minutes=1))
        with pytest.raises(ChatTokenError) as error:
            verify_chat_token(token)
        assert error.value.reason == "EXPIRED"
        clock.move_to("2020-01-01 00:30:00")
        assert verify_chat_token(token).user_id == "alice"


def test_recorded_events_carry_the_frozen_time(ivschat_client: Any) -> None:
    room = ivschat_client.create_room()
    with freeze_time("2020-01-01 00:00:07"):
        ivschat_client.send_event(roomIdentifier=room["arn"], eventName="e")
    assert [e.time for e in sent_events(room["arn"])] == [datetime(2020, 1, 1, 0, 0, 7, tzinfo=timezone.utc)]


def test_a_ticking_clock_moves_on_between_calls(ivschat_client: Any) -> None:
    with freeze_time("2020-01-01", tick=True):
        room = ivschat_client.create_room()
        time.sleep(0.01)  # times have millisecond precision
        updated = ivschat_client.update_room(identifier=room["arn"], name="later")
    assert FROZEN <= room["createTime"] < FROZEN + timedelta(minutes=1)
    assert updated["updateTime"] > room["updateTime"]


@freeze_time("2020-01-01")
def test_a_client_made_under_a_frozen_clock_signs_and_works() -> None:
    with mock_ivschat():
        client = boto3.client("ivschat", region_name="us-east-1")
        room = client.create_room()
        assert client.get_room(identifier=room["arn"])["createTime"] == FROZEN
