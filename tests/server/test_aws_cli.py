"""AWS CLI v1 (``aws --endpoint-url ... ivschat ...``): every one of the 17 commands, and failures."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from aws_cli import AwsCli
from server_process import ACCOUNT, ServerProcess

ROOM_ARN = rf"arn:aws:ivschat:us-east-1:{ACCOUNT}:room/[a-zA-Z0-9]{{12}}"


@pytest.fixture
def aws(server: ServerProcess) -> AwsCli:
    return AwsCli(server.url, "ivschat")


def test_every_command(aws: AwsCli) -> None:
    config = aws(
        "create-logging-configuration",
        "--name=cli-logs",
        '--destination-configuration={"cloudWatchLogs": {"logGroupName": "chat/cli"}}',
    )
    assert config["state"] == "ACTIVE"
    config_arn = config["arn"]
    assert aws("get-logging-configuration", f"--identifier={config_arn}")["name"] == "cli-logs"
    renamed = aws("update-logging-configuration", f"--identifier={config_arn}", "--name=renamed")
    assert renamed["name"] == "renamed"
    listed = aws("list-logging-configurations")["loggingConfigurations"]
    assert [c["arn"] for c in listed] == [config_arn]

    room = aws(
        "create-room",
        "--name=cli-room",
        "--maximum-message-length=100",
        "--logging-configuration-identifiers",
        config_arn,
        "--tags=team=chat",
    )
    arn = room["arn"]
    assert re.fullmatch(ROOM_ARN, arn)
    assert (room["maximumMessageLength"], room["tags"]) == (100, {"team": "chat"})
    assert aws("get-room", f"--identifier={arn}")["loggingConfigurationIdentifiers"] == [config_arn]
    updated = aws(
        "update-room", f"--identifier={arn}", "--name=hall", "--logging-configuration-identifiers", "[]"
    )
    assert (updated["name"], updated["loggingConfigurationIdentifiers"]) == ("hall", [])
    assert [r["arn"] for r in aws("list-rooms", "--name=hall")["rooms"]] == [arn]

    token = aws(
        "create-chat-token",
        f"--room-identifier={arn}",
        "--user-id=alice",
        "--capabilities",
        "SEND_MESSAGE",
        "DELETE_MESSAGE",
        "--session-duration-in-minutes=30",
    )
    assert set(token) == {"token", "tokenExpirationTime", "sessionExpirationTime"}
    event = aws("send-event", f"--room-identifier={arn}", "--event-name=ping", "--attributes=k=v")
    assert len(event["id"]) == 12
    deletion = aws("delete-message", f"--room-identifier={arn}", "--id=abcdEFGH1234", "--reason=spam")
    assert len(deletion["id"]) == 12
    # Commands whose answer is an empty JSON object print nothing.
    assert aws("disconnect-user", f"--room-identifier={arn}", "--user-id=alice", "--reason=bye") is None

    assert aws("tag-resource", f"--resource-arn={arn}", "--tags=env=test") is None
    assert aws("list-tags-for-resource", f"--resource-arn={arn}")["tags"] == {"team": "chat", "env": "test"}
    assert aws("untag-resource", f"--resource-arn={arn}", "--tag-keys", "team") is None
    assert aws("list-tags-for-resource", f"--resource-arn={arn}")["tags"] == {"env": "test"}

    assert aws("delete-room", f"--identifier={arn}") is None
    assert aws("delete-logging-configuration", f"--identifier={config_arn}") is None
    assert aws("list-rooms")["rooms"] == []
    assert aws("list-logging-configurations")["loggingConfigurations"] == []


def test_a_failing_command_names_the_exception(aws: AwsCli) -> None:
    missing = f"arn:aws:ivschat:us-east-1:{ACCOUNT}:room/abcdABCD1234"
    result = aws.run("get-room", f"--identifier={missing}")
    assert result.returncode != 0
    assert "(ResourceNotFoundException) when calling the GetRoom operation" in result.stderr

    result = aws.run("create-room", "--maximum-message-length=501")
    assert result.returncode != 0
    assert "(ValidationException) when calling the CreateRoom operation" in result.stderr
    assert aws("list-rooms")["rooms"] == []


def test_curl_signs_a_call_as_the_readme_shows(server: ServerProcess) -> None:
    curl = shutil.which("curl")
    assert curl is not None, "curl is not on PATH"
    command = [
        curl, "-s", "--aws-sigv4", "aws:amz:us-east-1:ivschat", "--user", "testing:testing",
        "-H", "Content-Type: application/json", "-d", '{"name": "lobby"}', f"{server.url}/CreateRoom",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    room = json.loads(result.stdout)
    assert re.fullmatch(ROOM_ARN, room["arn"])
    assert room["name"] == "lobby"
    assert server.client().get_room(identifier=room["arn"])["name"] == "lobby"
