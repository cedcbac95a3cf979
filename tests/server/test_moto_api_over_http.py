"""moto's own API over the server: the dashboard's data lists ivschat's resources, reset empties
them, and moto's recorder records ivschat calls and replays them (``/moto-api/recorder/*``)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import pytest
from server_process import ServerProcess, start_server, stop_server


def test_the_dashboard_lists_ivschat_resources(server: ServerProcess) -> None:
    client = server.client()
    room = client.create_room(name="lobby", tags={"team": "chat"})
    client.create_logging_configuration(destinationConfiguration={"s3": {"bucketName": "chat-logs"}})
    data = server.request("GET", "/moto-api/data.json").json()["ivschat"]
    assert [(r["arn"], r["name"], r["tags"], r["region"]) for r in data["Room"]] == [
        (room["arn"], "lobby", {"team": "chat"}, "us-east-1")
    ]
    assert [c["destinationConfiguration"] for c in data["LoggingConfiguration"]] == [
        {"s3": {"bucketName": "chat-logs"}}
    ]
    assert server.request("POST", "/moto-api/reset").status == 200
    assert server.request("GET", "/moto-api/data.json").json()["ivschat"] == {
        "LoggingConfiguration": [],
        "Room": [],
    }
    assert client.list_rooms()["rooms"] == []


@pytest.fixture(scope="module")
def recording_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server of its own, recording to a file of its own."""
    recording = tmp_path_factory.mktemp("recorder") / "moto_recording"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MOTO_RECORDER_FILEPATH", str(recording))
        server = start_server([sys.executable, "-m", "moto_ivschat"])
    yield server
    stop_server(server.process)


def test_the_recorder_records_and_replays_ivschat_calls(recording_server: ServerProcess) -> None:
    server, client = recording_server, recording_server.client()
    assert server.request("POST", "/moto-api/seed?a=7").status == 200
    assert server.request("POST", "/moto-api/recorder/reset-recording").status == 200
    assert server.request("POST", "/moto-api/recorder/start-recording").status == 200
    arn = client.create_room(name="lobby")["arn"]
    client.tag_resource(resourceArn=arn, tags={"team": "chat"})
    assert server.request("POST", "/moto-api/recorder/stop-recording").status == 200
    calls = [
        json.loads(line)
        for line in server.request("GET", "/moto-api/recorder/download-recording").body.splitlines()
    ]
    assert [c["method"] for c in calls] == ["POST", "POST"]
    assert calls[0]["url"].endswith("/CreateRoom")

    assert server.request("POST", "/moto-api/reset").status == 200
    assert server.request("POST", "/moto-api/seed?a=7").status == 200
    assert server.request("POST", "/moto-api/recorder/replay-recording").status == 200
    [room] = client.list_rooms()["rooms"]
    assert (room["arn"], room["name"], room["tags"]) == (arn, "lobby", {"team": "chat"})
