"""What each ivschat operation is authorized on, and IAM users to call it as (in process or over HTTP)."""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import count
from typing import Any, NamedTuple

import boto3

ACCOUNT = "123456789012"
REGION = "us-east-1"
PREFIX = f"arn:aws:ivschat:{REGION}:{ACCOUNT}"
#: ARNs no resource has: a policy naming them allows nothing that is asked for.
ELSEWHERE = [f"{PREFIX}:room/elsewhere", f"{PREFIX}:logging-configuration/elsewhere"]


class Case(NamedTuple):
    """One call: the operation, its arguments, and the resource IAM is asked about."""

    operation: str
    kwargs: dict[str, Any]
    resource: str


def cases(room: str, config: str) -> list[Case]:
    """A call of every operation on ``room`` or ``config`` (their ARNs)."""
    return [
        Case("CreateRoom", {"name": "new"}, f"{PREFIX}:room/*"),
        Case("GetRoom", {"identifier": room}, room),
        Case("UpdateRoom", {"identifier": room, "name": "renamed"}, room),
        Case("ListRooms", {}, "*"),
        Case("CreateChatToken", {"roomIdentifier": room, "userId": "alice"}, room),
        Case("SendEvent", {"roomIdentifier": room, "eventName": "hello"}, room),
        Case("DeleteMessage", {"roomIdentifier": room, "id": "AbCdEf123456"}, room),
        Case("DisconnectUser", {"roomIdentifier": room, "userId": "alice"}, room),
        Case("ListTagsForResource", {"resourceArn": room}, room),
        Case("TagResource", {"resourceArn": config, "tags": {"a": "1"}}, config),
        Case("UntagResource", {"resourceArn": room, "tagKeys": ["a", "b"]}, room),
        Case(
            "CreateLoggingConfiguration",
            {"destinationConfiguration": {"s3": {"bucketName": "chat-logs"}}},
            f"{PREFIX}:logging-configuration/*",
        ),
        Case("GetLoggingConfiguration", {"identifier": config}, config),
        Case("UpdateLoggingConfiguration", {"identifier": config, "name": "renamed"}, config),
        Case("ListLoggingConfigurations", {}, "*"),
        Case("DeleteLoggingConfiguration", {"identifier": config}, config),
        Case("DeleteRoom", {"identifier": room}, room),
    ]


OPERATIONS = [case.operation for case in cases("room", "config")]


def allow(actions: str | list[str], resource: str | list[str], **extra: Any) -> dict[str, Any]:
    """An Allow statement."""
    return {"Effect": "Allow", "Action": actions, "Resource": resource, **extra}


def deny(actions: str | list[str], resource: str | list[str], **extra: Any) -> dict[str, Any]:
    """A Deny statement."""
    return {"Effect": "Deny", "Action": actions, "Resource": resource, **extra}


_users = count()


def make_user(iam: Any, *statements: dict[str, Any]) -> dict[str, str]:
    """A new IAM user whose one inline policy holds ``statements``: its access key."""
    name = f"user{next(_users)}"
    iam.create_user(UserName=name)
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    iam.put_user_policy(UserName=name, PolicyName="ivschat", PolicyDocument=json.dumps(document))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}


def call(client: Any, case: Case) -> Any:
    """Make the call ``case`` names."""
    names = {operation: name for name, operation in client.meta.method_to_api_mapping.items()}
    method: Callable[..., Any] = getattr(client, names[case.operation])
    return method(**case.kwargs)


def client_for(credentials: dict[str, str], endpoint_url: str | None = None) -> Any:
    """An ivschat client with ``credentials`` (sent to ``endpoint_url`` if given)."""
    return boto3.session.Session().client(
        "ivschat", region_name=REGION, endpoint_url=endpoint_url, **credentials
    )
