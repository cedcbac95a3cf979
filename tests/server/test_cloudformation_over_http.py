"""CloudFormation over the server: ``aws cloudformation deploy`` of a template written for AWS
deploys it, updates it in place, and deletes it; a refused property fails the deployment."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from aws_cli import AwsCli
from chat_stack import CHAT_STACK, check_chat_stack, outputs, physical_ids
from server_process import ServerProcess


@pytest.fixture
def aws(server: ServerProcess) -> AwsCli:
    return AwsCli(server.url)


@pytest.fixture
def template(tmp_path: Path) -> str:
    path = tmp_path / "chat.yaml"
    path.write_text(CHAT_STACK, encoding="utf-8")
    return str(path)


def _deploy(aws: AwsCli, template: str, *overrides: str) -> subprocess.CompletedProcess[str]:
    args = ["cloudformation", "deploy", "--template-file", template, "--stack-name", "chat"]
    args += ["--capabilities", "CAPABILITY_IAM"]
    if overrides:
        args += ["--parameter-overrides", *overrides]
    return aws.run(*args)


def test_deploy_update_and_delete_a_stack_with_the_cli(
    server: ServerProcess, aws: AwsCli, template: str
) -> None:
    cloudformation, ivschat = server.client("cloudformation"), server.client()
    deployed = _deploy(aws, template)
    assert deployed.returncode == 0, deployed.stderr
    check_chat_stack(cloudformation, ivschat, server.client("lambda"), "chat")
    ids = physical_ids(cloudformation, "chat")

    # The room changes, and its parameters: moto before 5.0.12 updates nothing for parameters alone.
    Path(template).write_text(
        CHAT_STACK.replace("MaximumMessageRatePerSecond: 5", "MaximumMessageRatePerSecond: 8")
    )
    updated = _deploy(aws, template, "RoomName=hall", "MaximumMessageLength=300")
    assert updated.returncode == 0, updated.stderr
    assert physical_ids(cloudformation, "chat") == ids  # updated in place
    room = ivschat.get_room(identifier=ids["Room"])
    assert (room["name"], room["maximumMessageLength"], room["maximumMessageRatePerSecond"]) == (
        "hall",
        300,
        8,
    )

    aws("cloudformation", "delete-stack", "--stack-name", "chat")
    aws("cloudformation", "wait", "stack-delete-complete", "--stack-name", "chat")
    assert ivschat.list_rooms()["rooms"] == []
    assert ivschat.list_logging_configurations()["loggingConfigurations"] == []


def test_a_refused_property_fails_the_deployment(server: ServerProcess, aws: AwsCli, template: str) -> None:
    failed = _deploy(aws, template, "MaximumMessageLength=501")
    assert failed.returncode != 0
    assert "An error occurred (ValidationError) when calling the ExecuteChangeSet operation" in failed.stderr
    assert "Resource handler returned message" in failed.stderr
    assert "Member must have value less than or equal to 500" in failed.stderr
    assert server.client().list_rooms()["rooms"] == []


def test_create_stack_over_http_gives_ref_and_get_att(server: ServerProcess) -> None:
    cloudformation = server.client("cloudformation")
    cloudformation.create_stack(StackName="chat", TemplateBody=CHAT_STACK, Capabilities=["CAPABILITY_IAM"])
    assert outputs(cloudformation, "chat")["LoggingConfigurationState"] == "ACTIVE"
    check_chat_stack(cloudformation, server.client(), server.client("lambda"), "chat")
    cloudformation.delete_stack(StackName="chat")
    assert server.client().list_rooms()["rooms"] == []
