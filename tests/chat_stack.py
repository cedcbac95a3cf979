"""A CloudFormation template written for AWS: a chat room that logs to S3 and has a Lambda
function review its messages, its resources referencing each other; and helpers to read a stack."""

from __future__ import annotations

from typing import Any

CHAT_STACK = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: A chat room that logs to S3 and has a Lambda function review its messages.
Parameters:
  RoomName:
    Type: String
    Default: lobby
  MaximumMessageLength:
    Type: Number
    Default: 200
Resources:
  ChatLogs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "chat-logs-${AWS::AccountId}"
  ReviewerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
  Reviewer:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.11
      Handler: index.handler
      Role: !GetAtt ReviewerRole.Arn
      Code:
        ZipFile: |
          def handler(event, context):
              return {"ReviewResult": "ALLOW", "Content": event["Content"]}
  ReviewerPermission:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !Ref Reviewer
      Principal: ivschat.amazonaws.com
  ChatLogging:
    Type: AWS::IVSChat::LoggingConfiguration
    Properties:
      Name: chat-logs
      DestinationConfiguration:
        S3:
          BucketName: !Ref ChatLogs
      Tags:
        - Key: team
          Value: chat
  Room:
    Type: AWS::IVSChat::Room
    Properties:
      Name: !Ref RoomName
      MaximumMessageLength: !Ref MaximumMessageLength
      MaximumMessageRatePerSecond: 5
      LoggingConfigurationIdentifiers:
        - !Ref ChatLogging
      MessageReviewHandler:
        Uri: !GetAtt Reviewer.Arn
        FallbackResult: DENY
      Tags:
        - Key: team
          Value: chat
Outputs:
  RoomArn:
    Value: !Ref Room
  RoomId:
    Value: !GetAtt Room.Id
  LoggingConfigurationArn:
    Value: !GetAtt ChatLogging.Arn
  LoggingConfigurationId:
    Value: !GetAtt ChatLogging.Id
  LoggingConfigurationState:
    Value: !GetAtt ChatLogging.State
  ReviewerArn:
    Value: !GetAtt Reviewer.Arn
"""


def outputs(cloudformation: Any, stack_name: str) -> dict[str, str]:
    """The stack's outputs, by key."""
    [stack] = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}


def physical_ids(cloudformation: Any, stack_name: str) -> dict[str, str]:
    """The stack's resources: each one's physical ID (the ARN of ours), by logical ID."""
    resources = cloudformation.describe_stack_resources(StackName=stack_name)["StackResources"]
    return {r["LogicalResourceId"]: r.get("PhysicalResourceId", "") for r in resources}


def check_chat_stack(cloudformation: Any, ivschat: Any, lambda_: Any, stack_name: str) -> None:
    """Assert that the chat stack's room and logging configuration are as the template says.

    Its outputs are checked when moto has them: moto computes no outputs for a
    stack made by a change set (``aws cloudformation deploy``).
    """
    ids = physical_ids(cloudformation, stack_name)
    room = ivschat.get_room(identifier=ids["Room"])
    config = ivschat.get_logging_configuration(identifier=ids["ChatLogging"])
    reviewer = lambda_.get_function(FunctionName=ids["Reviewer"])["Configuration"]["FunctionArn"]
    assert (room["name"], room["maximumMessageLength"], room["maximumMessageRatePerSecond"]) == (
        "lobby",
        200,
        5,
    )
    assert room["loggingConfigurationIdentifiers"] == [config["arn"]]
    assert room["messageReviewHandler"] == {"uri": reviewer, "fallbackResult": "DENY"}
    assert room["tags"] == config["tags"] == {"team": "chat"}
    assert config["destinationConfiguration"] == {"s3": {"bucketName": ids["ChatLogs"]}}
    assert (config["name"], config["state"]) == ("chat-logs", "ACTIVE")
    out = outputs(cloudformation, stack_name)
    if out:
        assert out == {
            "RoomArn": room["arn"],
            "RoomId": room["id"],
            "LoggingConfigurationArn": config["arn"],
            "LoggingConfigurationId": config["id"],
            "LoggingConfigurationState": "ACTIVE",
            "ReviewerArn": reviewer,
        }
