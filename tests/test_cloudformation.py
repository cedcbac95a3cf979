"""AWS::IVSChat::Room and AWS::IVSChat::LoggingConfiguration in moto's CloudFormation, in process:
stacks, updates in place, change sets, errors, and what moto keeps."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import textwrap
import weakref
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from chat_stack import CHAT_STACK, check_chat_stack, outputs, physical_ids

REGION = "us-east-1"
LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:reviewer"


@pytest.fixture
def cloudformation(ivschat_mock: Any) -> Any:
    return boto3.client("cloudformation", region_name=REGION)


def _template(resources: dict[str, Any], outputs: dict[str, Any] | None = None) -> str:
    """A template of ``resources``, with an output of each value in ``outputs``."""
    values = {name: {"Value": value} for name, value in (outputs or {}).items()}
    return json.dumps({"Resources": resources, **({"Outputs": values} if values else {})})


def _room(**properties: Any) -> dict[str, Any]:
    return {"Type": "AWS::IVSChat::Room", "Properties": properties}


def _logging(**properties: Any) -> dict[str, Any]:
    return {"Type": "AWS::IVSChat::LoggingConfiguration", "Properties": properties}


S3 = {"S3": {"BucketName": "chat-logs"}}


def _failure(cloudformation: Any, call: str, template: str) -> str:
    with pytest.raises(ClientError) as error:
        getattr(cloudformation, call)(StackName="chat", TemplateBody=template)
    assert error.value.response["Error"]["Code"] == "ValidationError"
    return str(error.value.response["Error"]["Message"])


def test_a_template_written_for_aws_deploys_and_deletes(cloudformation: Any, client: Any) -> None:
    cloudformation.create_stack(StackName="chat", TemplateBody=CHAT_STACK, Capabilities=["CAPABILITY_IAM"])
    assert outputs(cloudformation, "chat")["RoomArn"].startswith(
        "arn:aws:ivschat:us-east-1:123456789012:room/"
    )
    check_chat_stack(cloudformation, client, boto3.client("lambda", region_name=REGION), "chat")
    cloudformation.delete_stack(StackName="chat")
    assert client.list_rooms()["rooms"] == []
    assert client.list_logging_configurations()["loggingConfigurations"] == []
    assert boto3.client("s3", region_name=REGION).list_buckets()["Buckets"] == []


@pytest.mark.parametrize(
    ("destination", "expected"),
    [
        ({"S3": {"BucketName": "chat-logs"}}, {"s3": {"bucketName": "chat-logs"}}),
        (
            {"CloudWatchLogs": {"LogGroupName": "chat/logs"}},
            {"cloudWatchLogs": {"logGroupName": "chat/logs"}},
        ),
        ({"Firehose": {"DeliveryStreamName": "chat"}}, {"firehose": {"deliveryStreamName": "chat"}}),
    ],
)
def test_each_destination_of_a_logging_configuration(
    cloudformation: Any, client: Any, destination: dict[str, Any], expected: dict[str, Any]
) -> None:
    cloudformation.create_stack(
        StackName="chat",
        TemplateBody=_template(
            {"Logs": _logging(DestinationConfiguration=destination)}, {"Arn": {"Ref": "Logs"}}
        ),
    )
    config = client.get_logging_configuration(identifier=outputs(cloudformation, "chat")["Arn"])
    assert (config["destinationConfiguration"], config["name"], config["tags"]) == (expected, "", {})


def test_defaults_of_a_room_without_properties(cloudformation: Any, client: Any) -> None:
    cloudformation.create_stack(
        StackName="chat",
        TemplateBody=_template({"Room": {"Type": "AWS::IVSChat::Room"}}, {"Arn": {"Ref": "Room"}}),
    )
    room = client.get_room(identifier=outputs(cloudformation, "chat")["Arn"])
    # No generated name: AWS gives a room the name its template gives it, or none.
    assert (room["name"], room["maximumMessageLength"], room["maximumMessageRatePerSecond"]) == ("", 500, 10)
    assert (room["tags"], room["loggingConfigurationIdentifiers"]) == ({}, [])
    assert "messageReviewHandler" not in room


def test_a_review_handler_falls_back_to_allow_by_default(cloudformation: Any, client: Any) -> None:
    template = _template({"Room": _room(MessageReviewHandler={"Uri": LAMBDA_ARN})}, {"Arn": {"Ref": "Room"}})
    cloudformation.create_stack(StackName="chat", TemplateBody=template)
    room = client.get_room(identifier=outputs(cloudformation, "chat")["Arn"])
    assert room["messageReviewHandler"] == {"uri": LAMBDA_ARN, "fallbackResult": "ALLOW"}


def test_every_property_updates_in_place(cloudformation: Any, client: Any) -> None:
    first = {
        "Logs": _logging(Name="first", DestinationConfiguration=S3, Tags=[{"Key": "a", "Value": "1"}]),
        "Other": _logging(DestinationConfiguration={"CloudWatchLogs": {"LogGroupName": "chat"}}),
        "Room": _room(
            Name="lobby",
            MaximumMessageLength=100,
            MaximumMessageRatePerSecond=2,
            MessageReviewHandler={"Uri": LAMBDA_ARN, "FallbackResult": "DENY"},
            LoggingConfigurationIdentifiers=[{"Ref": "Logs"}],
            Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}],
        ),
    }
    arns = {"Room": {"Ref": "Room"}, "Logs": {"Ref": "Logs"}, "Other": {"Ref": "Other"}}
    cloudformation.create_stack(StackName="chat", TemplateBody=_template(first, arns))
    before = outputs(cloudformation, "chat")
    created = client.get_room(identifier=before["Room"])

    second = {
        "Logs": _logging(
            Name="second", DestinationConfiguration={"Firehose": {"DeliveryStreamName": "chat"}}
        ),
        "Other": first["Other"],
        "Room": _room(
            Name="hall",
            MaximumMessageLength="300",
            MaximumMessageRatePerSecond=50,
            MessageReviewHandler={"Uri": LAMBDA_ARN},
            LoggingConfigurationIdentifiers=[{"Ref": "Other"}, {"Ref": "Logs"}],
            Tags=[{"Key": "b", "Value": "3"}, {"Key": "c", "Value": 4}],
        ),
    }
    cloudformation.update_stack(StackName="chat", TemplateBody=_template(second, arns))
    assert outputs(cloudformation, "chat") == before  # the same resources: updated, not replaced
    room = client.get_room(identifier=before["Room"])
    assert (room["name"], room["maximumMessageLength"], room["maximumMessageRatePerSecond"]) == (
        "hall",
        300,
        50,
    )
    assert room["messageReviewHandler"] == {"uri": LAMBDA_ARN, "fallbackResult": "ALLOW"}
    assert room["loggingConfigurationIdentifiers"] == [before["Other"], before["Logs"]]
    assert room["tags"] == {"b": "3", "c": "4"}
    assert (room["createTime"], room["updateTime"] > created["updateTime"]) == (created["createTime"], True)
    config = client.get_logging_configuration(identifier=before["Logs"])
    assert (config["name"], config["destinationConfiguration"], config["tags"]) == (
        "second",
        {"firehose": {"deliveryStreamName": "chat"}},
        {},
    )


def test_a_removed_property_goes_back_to_its_default(cloudformation: Any, client: Any) -> None:
    full = _room(
        Name="lobby",
        MaximumMessageLength=100,
        MaximumMessageRatePerSecond=2,
        MessageReviewHandler={"Uri": LAMBDA_ARN},
        Tags=[{"Key": "a", "Value": "1"}],
    )
    cloudformation.create_stack(
        StackName="chat", TemplateBody=_template({"Room": full}, {"Arn": {"Ref": "Room"}})
    )
    arn = outputs(cloudformation, "chat")["Arn"]
    cloudformation.update_stack(
        StackName="chat", TemplateBody=_template({"Room": _room()}, {"Arn": {"Ref": "Room"}})
    )
    room = client.get_room(identifier=arn)
    assert (room["name"], room["maximumMessageLength"], room["maximumMessageRatePerSecond"]) == ("", 500, 10)
    assert room["tags"] == {}
    # UpdateRoom removes a handler by an empty URI, and answers it so.
    assert room["messageReviewHandler"]["uri"] == ""


def test_change_sets_create_and_update_in_place(cloudformation: Any, client: Any) -> None:
    template = _template({"Room": _room(Name="lobby")}, {"Arn": {"Ref": "Room"}})
    cloudformation.create_change_set(
        StackName="chat", ChangeSetName="create", TemplateBody=template, ChangeSetType="CREATE"
    )
    assert client.list_rooms()["rooms"] == []  # a change set only describes the change
    cloudformation.execute_change_set(StackName="chat", ChangeSetName="create")
    [room] = client.list_rooms()["rooms"]
    assert (physical_ids(cloudformation, "chat")["Room"], room["name"]) == (room["arn"], "lobby")

    template = _template({"Room": _room(Name="hall")}, {"Arn": {"Ref": "Room"}})
    cloudformation.create_change_set(
        StackName="chat", ChangeSetName="rename", TemplateBody=template, ChangeSetType="UPDATE"
    )
    changes = cloudformation.describe_change_set(StackName="chat", ChangeSetName="rename")["Changes"]
    assert [(c["ResourceChange"]["Action"], c["ResourceChange"]["ResourceType"]) for c in changes] == [
        ("Modify", "AWS::IVSChat::Room")
    ]
    cloudformation.execute_change_set(StackName="chat", ChangeSetName="rename")
    assert [(r["arn"], r["name"]) for r in client.list_rooms()["rooms"]] == [(room["arn"], "hall")]


def test_a_refused_create_fails_the_stack_operation(cloudformation: Any, client: Any) -> None:
    message = _failure(cloudformation, "create_stack", _template({"Room": _room(MaximumMessageLength=501)}))
    assert message == (
        'Resource handler returned message: "1 validation error detected: Value at '
        "'maximumMessageLength' failed to satisfy constraint: Member must have value less than or "
        'equal to 500 (Service: Ivschat, Status Code: 400)" (HandlerErrorCode: InvalidRequest)'
    )
    assert client.list_rooms()["rooms"] == []


def test_a_missing_logging_configuration_is_not_found(cloudformation: Any, client: Any) -> None:
    missing = "arn:aws:ivschat:us-east-1:123456789012:logging-configuration/AbCdEf123456"
    message = _failure(
        cloudformation, "create_stack", _template({"Room": _room(LoggingConfigurationIdentifiers=[missing])})
    )
    assert "Resource: AbCdEf123456 not found (Service: Ivschat, Status Code: 404)" in message
    assert message.endswith("(HandlerErrorCode: NotFound)")


def test_a_logging_configuration_needs_its_destination(cloudformation: Any) -> None:
    message = _failure(cloudformation, "create_stack", _template({"Logs": _logging(Name="logs")}))
    assert "'destinationConfiguration' failed to satisfy constraint: Member must not be null" in message


@pytest.mark.parametrize(
    ("properties", "problem"),
    [
        ({"MaxMessageLength": 10}, "#: extraneous key [MaxMessageLength] is not permitted"),
        (
            {"MessageReviewHandler": {"Url": LAMBDA_ARN}},
            "#/MessageReviewHandler: extraneous key [Url] is not permitted",
        ),
        ({"Tags": {"a": "1"}}, "#/Tags: expected type: JSONArray, found: JSONObject"),
        ({"Tags": [{"Key": "a"}]}, "#/Tags/0: required key [Value] not found"),
        (
            {"Tags": [{"Key": "a", "Value": "1", "Extra": 1}]},
            "#/Tags/0: extraneous key [Extra] is not permitted",
        ),
    ],
)
def test_a_property_the_type_lacks_fails_the_stack(
    cloudformation: Any, client: Any, properties: dict[str, Any], problem: str
) -> None:
    message = _failure(cloudformation, "create_stack", _template({"Room": _room(**properties)}))
    assert message == f"Properties validation failed for resource Room with message: {problem}"
    assert client.list_rooms()["rooms"] == []


def test_properties_that_are_no_object_fail_the_stack(cloudformation: Any) -> None:
    template = json.dumps({"Resources": {"Room": {"Type": "AWS::IVSChat::Room", "Properties": "lobby"}}})
    message = _failure(cloudformation, "create_stack", template)
    assert message.endswith("Room with message: #: expected type: JSONObject, found: String")


def test_a_refused_update_changes_nothing(cloudformation: Any, client: Any) -> None:
    cloudformation.create_stack(StackName="chat", TemplateBody=_template({"Room": _room(Name="lobby")}))
    [room] = client.list_rooms()["rooms"]
    bad = _template(
        {"Room": _room(Name="hall", MaximumMessageRatePerSecond=0, Tags=[{"Key": "a", "Value": "1"}])}
    )
    assert "(HandlerErrorCode: InvalidRequest)" in _failure(cloudformation, "update_stack", bad)
    after = client.get_room(identifier=room["arn"])
    assert (after["name"], after["tags"], after["updateTime"]) == ("lobby", {}, room["updateTime"])


def test_get_att_names_the_attributes_of_each_type(cloudformation: Any) -> None:
    logs = _logging(DestinationConfiguration=S3)
    message = _failure(
        cloudformation,
        "create_stack",
        _template({"Logs": logs, "Room": _room()}, {"Bad": {"Fn::GetAtt": ["Room", "State"]}}),
    )
    assert message == "Template error: resource Room does not support attribute type State in Fn::GetAtt"


def test_a_resource_deleted_outside_the_stack_is_deleted(cloudformation: Any, client: Any) -> None:
    cloudformation.create_stack(
        StackName="chat", TemplateBody=_template({"Room": _room()}, {"Arn": {"Ref": "Room"}})
    )
    client.delete_room(identifier=outputs(cloudformation, "chat")["Arn"])
    cloudformation.delete_stack(StackName="chat")
    [stack] = cloudformation.describe_stacks(
        StackName=cloudformation.list_stacks()["StackSummaries"][0]["StackId"]
    )["Stacks"]
    assert stack["StackStatus"] == "DELETE_COMPLETE"


@pytest.mark.ivschat(region="sa-east-1")
def test_a_region_without_ivs_chat_does_not_know_the_types(ivschat_mock: Any) -> None:
    cloudformation = boto3.client("cloudformation", region_name="sa-east-1")
    with pytest.raises(ClientError) as error:
        cloudformation.create_stack(StackName="chat", TemplateBody=_template({"Room": _room()}))
    assert error.value.response["Error"]["Message"] == (
        "Template format error: Unrecognized resource types: [AWS::IVSChat::Room]"
    )


def test_moto_keeps_no_stack_resource_after_the_stack(cloudformation: Any) -> None:
    from moto.cloudformation.models import cloudformation_backends
    from moto.core.common_models import BaseModel

    cloudformation.create_stack(StackName="chat", TemplateBody=_template({"Room": _room()}))
    [stack] = cloudformation_backends["123456789012"][REGION].stacks.values()
    resource = stack.resource_map["Room"]
    assert not isinstance(resource, BaseModel)  # moto keeps every BaseModel until a reset
    kept = weakref.ref(resource)
    del resource, stack
    cloudformation.delete_stack(StackName="chat")
    gc.collect()
    assert kept() is None


def test_the_types_are_known_when_moto_parsed_a_template_before_ivschat_was_imported() -> None:
    code = """
        import json, os
        os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
        import boto3
        from moto import mock_aws

        with mock_aws():
            cloudformation = boto3.client("cloudformation", region_name="us-east-1")
            queue = {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}
            cloudformation.create_stack(StackName="first", TemplateBody=json.dumps(queue))
            import moto_ivschat

            room = {"Resources": {"Room": {"Type": "AWS::IVSChat::Room", "Properties": {"Name": "late"}}}}
            cloudformation.create_stack(StackName="second", TemplateBody=json.dumps(room))
            print(boto3.client("ivschat", region_name="us-east-1").list_rooms()["rooms"][0]["name"])
    """
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "late"


def test_a_logging_configuration_is_detached_in_one_update_and_removed_in_the_next(
    cloudformation: Any, client: Any
) -> None:
    logs = _logging(DestinationConfiguration=S3)
    cloudformation.create_stack(
        StackName="chat",
        TemplateBody=_template(
            {"Logs": logs, "Room": _room(LoggingConfigurationIdentifiers=[{"Ref": "Logs"}])}
        ),
    )
    # moto removes resources before it updates the others: the room still uses the configuration.
    message = _failure(cloudformation, "update_stack", _template({"Room": _room()}))
    assert message.endswith('(Service: Ivschat, Status Code: 409)" (HandlerErrorCode: ResourceConflict)')
    cloudformation.update_stack(StackName="chat", TemplateBody=_template({"Logs": logs, "Room": _room()}))
    cloudformation.update_stack(StackName="chat", TemplateBody=_template({"Room": _room()}))
    assert client.list_logging_configurations()["loggingConfigurations"] == []
    assert client.list_rooms()["rooms"][0]["loggingConfigurationIdentifiers"] == []
