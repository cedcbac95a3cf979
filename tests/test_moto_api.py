"""moto's own API in process: the dashboard's data (``/moto-api/data.json``) lists ivschat's
resources without keeping them, ``/moto-api/reset`` empties ivschat, and moto's recorder records
and replays ivschat calls."""

from __future__ import annotations

import gc
import json
import weakref
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from moto.moto_api import recorder

from moto_ivschat import ivschat_backends

REGION = "us-east-1"
ACCOUNT = "123456789012"
MOTO_API = "http://motoapi.amazonaws.com/moto-api"


def _data() -> dict[str, Any]:
    data: dict[str, Any] = requests.get(f"{MOTO_API}/data.json", timeout=30).json()["ivschat"]
    return data


def test_the_dashboard_lists_rooms_and_logging_configurations(client: Any) -> None:
    assert _data() == {"LoggingConfiguration": [], "Room": []}
    config = client.create_logging_configuration(
        name="logs", destinationConfiguration={"s3": {"bucketName": "chat-logs"}}
    )
    room = client.create_room(
        name="lobby", tags={"team": "chat"}, loggingConfigurationIdentifiers=[config["arn"]]
    )
    ivschat_backends["210987654321"]["us-west-2"].create_room(name="elsewhere")
    data = _data()
    assert sorted((r["name"], r["account_id"], r["region"]) for r in data["Room"]) == [
        ("elsewhere", "210987654321", "us-west-2"),
        ("lobby", ACCOUNT, REGION),
    ]
    [lobby] = [r for r in data["Room"] if r["name"] == "lobby"]
    assert lobby == {
        **{k: v for k, v in client.get_room(identifier=room["arn"]).items() if k != "ResponseMetadata"},
        "createTime": lobby["createTime"],
        "updateTime": lobby["updateTime"],
        "account_id": ACCOUNT,
        "region": REGION,
    }
    assert lobby["createTime"].endswith("Z")
    [logs] = data["LoggingConfiguration"]
    assert (logs["arn"], logs["state"], logs["destinationConfiguration"]) == (
        config["arn"],
        "ACTIVE",
        {"s3": {"bucketName": "chat-logs"}},
    )
    client.delete_room(identifier=room["arn"])
    assert [r["name"] for r in _data()["Room"]] == ["elsewhere"]


def test_the_dashboard_keeps_no_resource(client: Any, ivschat_backend: Any) -> None:
    ivschat_backend.deleted_room_limit = 0  # the backend keeps no deleted room either
    arn = client.create_room()["arn"]
    assert len(_data()["Room"]) == 1
    kept = weakref.ref(ivschat_backend.get_room(arn))
    client.delete_room(identifier=arn)
    gc.collect()
    assert kept() is None
    assert _data()["Room"] == []


def test_cloudformation_types_are_no_dashboard_entries(client: Any) -> None:
    cloudformation = boto3.client("cloudformation", region_name=REGION)
    room = {"Resources": {"Room": {"Type": "AWS::IVSChat::Room"}}}
    cloudformation.create_stack(StackName="chat", TemplateBody=json.dumps(room))
    assert [len(v) for v in _data().values()] == [0, 1]


def test_reset_empties_ivschat(client: Any) -> None:
    client.create_room()
    assert requests.post(f"{MOTO_API}/reset", timeout=30).status_code == 200
    assert client.list_rooms()["rooms"] == []
    assert _data() == {"LoggingConfiguration": [], "Room": []}


@pytest.fixture
def recording(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """moto's recorder, writing ``moto_recording`` in a directory of the test's own."""
    monkeypatch.chdir(tmp_path)
    recorder.reset_recording()
    yield recorder
    recorder.stop_recording()


def test_the_recorder_records_and_replays_ivschat(client: Any, recording: Any) -> None:
    # Seeded, moto's random source gives the replay the IDs of the recording (ivschat's IDs too).
    requests.post(f"{MOTO_API}/seed?a=42", timeout=30)
    recording.start_recording()
    arn = client.create_room(name="lobby")["arn"]
    client.tag_resource(resourceArn=arn, tags={"team": "chat"})
    client.untag_resource(resourceArn=arn, tagKeys=["none"])
    recording.stop_recording()
    calls = [json.loads(line) for line in recording.download_recording().splitlines()]
    assert [(c["method"], c["url"].split("amazonaws.com")[1].split("/")[1]) for c in calls] == [
        ("POST", "CreateRoom"),
        ("POST", "tags"),
        ("DELETE", "tags"),
    ]

    requests.post(f"{MOTO_API}/reset", timeout=30)
    requests.post(f"{MOTO_API}/seed?a=42", timeout=30)
    recording.replay_recording()
    [room] = client.list_rooms()["rooms"]
    assert (room["arn"], room["name"], room["tags"]) == (arn, "lobby", {"team": "chat"})
