"""moto's IAM enforcement, in process: each ivschat call is authorized as AWS authorizes it, on the
resource AWS names, and a refusal is the service's own JSON AccessDeniedException."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
import moto.core
import moto.settings
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from iam_cases import (
    ELSEWHERE,
    OPERATIONS,
    PREFIX,
    REGION,
    Case,
    allow,
    call,
    cases,
    client_for,
    deny,
    make_user,
)

Caller = Callable[..., Any]


@pytest.fixture
def iam(ivschat_mock: Any) -> Any:
    return boto3.client("iam", region_name=REGION)


@pytest.fixture
def arns(client: Any) -> dict[str, str]:
    """A room and a logging configuration, made before IAM is enforced."""
    config = client.create_logging_configuration(destinationConfiguration={"s3": {"bucketName": "chat-logs"}})
    return {"room": client.create_room(name="lobby")["arn"], "config": config["arn"]}


@pytest.fixture
def enforce(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """IAM enforced from ``on()`` to the end of the test (as ``set_initial_no_auth_action_count(0)``)."""

    def on() -> None:
        monkeypatch.setattr(moto.settings, "INITIAL_NO_AUTH_ACTION_COUNT", 0)
        monkeypatch.setattr(moto.core.ActionAuthenticatorMixin, "request_count", 0)

    return on


@pytest.fixture
def as_user(iam: Any, enforce: Callable[[], None]) -> Caller:
    """An ivschat client of a new user with ``statements``; IAM is enforced from then on."""

    def make(*statements: dict[str, Any]) -> Any:
        credentials = make_user(iam, *statements)
        enforce()
        return client_for(credentials)

    return make


def _case(arns: dict[str, str], operation: str) -> Case:
    [case] = [case for case in cases(arns["room"], arns["config"]) if case.operation == operation]
    return case


def _denied(error: pytest.ExceptionInfo[ClientError]) -> str:
    response = error.value.response
    assert response["Error"]["Code"] == "AccessDeniedException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    headers = response["ResponseMetadata"]["HTTPHeaders"]
    assert (headers["content-type"], headers["x-amzn-errortype"]) == (
        "application/json",
        "AccessDeniedException",
    )
    return str(response["Error"]["Message"])


@pytest.mark.parametrize("operation", OPERATIONS)
def test_an_operation_is_allowed_on_its_resource(
    as_user: Caller, arns: dict[str, str], operation: str
) -> None:
    case = _case(arns, operation)
    call(as_user(allow(f"ivschat:{operation}", case.resource)), case)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_an_operation_is_denied_elsewhere(as_user: Caller, arns: dict[str, str], operation: str) -> None:
    case = _case(arns, operation)
    client = as_user(allow(f"ivschat:{operation}", ELSEWHERE))
    with pytest.raises(ClientError) as error:
        call(client, case)
    assert _denied(error).endswith(
        f"is not authorized to perform: ivschat:{operation} on resource: {case.resource}"
    )


@pytest.mark.parametrize("operation", OPERATIONS)
def test_an_explicit_deny_wins(as_user: Caller, arns: dict[str, str], operation: str) -> None:
    client = as_user(allow("ivschat:*", "*"), deny(f"ivschat:{operation}", "*"))
    with pytest.raises(ClientError) as error:
        call(client, _case(arns, operation))
    _denied(error)


def test_a_denied_call_changes_nothing(as_user: Caller, client: Any, arns: dict[str, str]) -> None:
    denied = as_user(allow("ivschat:Get*", "*"))
    with pytest.raises(ClientError):
        denied.update_room(identifier=arns["room"], name="renamed")
    assert denied.get_room(identifier=arns["room"])["name"] == "lobby"


@pytest.mark.parametrize(
    ("operation", "kwargs", "created"),
    [
        ("create_room", {}, "room"),
        (
            "create_logging_configuration",
            {"destinationConfiguration": {"s3": {"bucketName": "logs"}}},
            "logging-configuration",
        ),
    ],
)
def test_creating_with_tags_also_needs_tag_resource(
    iam: Any, enforce: Callable[[], None], operation: str, kwargs: dict[str, Any], created: str
) -> None:
    pattern = f"{PREFIX}:{created}/*"
    action = "ivschat:" + "".join(part.title() for part in operation.split("_"))
    only_create = client_for(make_user(iam, allow(action, pattern)))
    with_tagging = client_for(make_user(iam, allow([action, "ivschat:TagResource"], pattern)))
    enforce()
    getattr(only_create, operation)(**kwargs)  # no tags: no TagResource
    with pytest.raises(ClientError) as error:
        getattr(only_create, operation)(**kwargs, tags={"team": "chat"})
    assert _denied(error).endswith(f"ivschat:TagResource on resource: {pattern}")
    assert getattr(with_tagging, operation)(**kwargs, tags={"team": "chat"})["tags"] == {"team": "chat"}


def test_moto_evaluates_no_condition(as_user: Caller, arns: dict[str, str]) -> None:
    """moto ignores the Condition of identity policies (every 5.x): aws:RequestTag, aws:ResourceTag
    and aws:TagKeys decide nothing. An Allow with a condition allows, a Deny with one denies."""
    client = as_user(
        allow(
            "ivschat:CreateRoom",
            "*",
            Condition={
                "StringEquals": {"aws:RequestTag/team": "chat"},
                "ForAllValues:StringEquals": {"aws:TagKeys": ["team"]},
            },
        ),
        allow("ivschat:TagResource", "*"),
        allow("ivschat:GetRoom", "*"),
        deny("ivschat:GetRoom", "*", Condition={"StringEquals": {"aws:ResourceTag/team": "secret"}}),
    )
    assert client.create_room(tags={"team": "other", "extra": "1"})["tags"] == {"team": "other", "extra": "1"}
    with pytest.raises(ClientError) as error:
        client.get_room(identifier=arns["room"])  # the room has no tag "team"
    _denied(error)


def test_an_assumed_role_is_authorized_by_its_policies(
    iam: Any, enforce: Callable[[], None], arns: dict[str, str]
) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
    }
    role = iam.create_role(RoleName="moderator", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    policy = {"Version": "2012-10-17", "Statement": [allow("ivschat:DisconnectUser", arns["room"])]}
    iam.put_role_policy(RoleName="moderator", PolicyName="moderate", PolicyDocument=json.dumps(policy))
    credentials = boto3.client("sts", region_name=REGION).assume_role(
        RoleArn=role["Arn"], RoleSessionName="bot"
    )["Credentials"]
    enforce()
    client = boto3.session.Session().client(
        "ivschat",
        region_name=REGION,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )
    client.disconnect_user(roomIdentifier=arns["room"], userId="mallory")
    with pytest.raises(ClientError) as error:
        client.send_event(roomIdentifier=arns["room"], eventName="ban")
    assert "assumed-role/moderator/bot is not authorized to perform: ivschat:SendEvent" in _denied(error)


def test_a_wrong_secret_or_an_unknown_key(iam: Any, enforce: Callable[[], None]) -> None:
    credentials = make_user(iam, allow("ivschat:*", "*"))
    enforce()
    wrong = client_for({**credentials, "aws_secret_access_key": "wrong"})
    unknown = client_for({"aws_access_key_id": "AKIAUNKNOWNKEY000000", "aws_secret_access_key": "x"})
    for client, code, message in [
        (wrong, "InvalidSignatureException", "The request signature we calculated does not match"),
        (unknown, "UnrecognizedClientException", "The security token included in the request is invalid."),
    ]:
        with pytest.raises(ClientError) as error:
            client.list_rooms()
        response = error.value.response
        assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == (code, 403)
        assert response["Error"]["Message"].startswith(message)


def test_an_unsigned_call(enforce: Callable[[], None], ivschat_mock: Any) -> None:
    enforce()
    client = boto3.session.Session().client(
        "ivschat", region_name=REGION, config=Config(signature_version=UNSIGNED)
    )
    with pytest.raises(ClientError) as error:
        client.list_rooms()
    assert error.value.response["Error"]["Code"] == "MissingAuthenticationTokenException"


def test_without_enforcement_every_call_passes(arns: dict[str, str]) -> None:
    client = client_for({"aws_access_key_id": "AKIAUNKNOWNKEY000000", "aws_secret_access_key": "x"})
    assert client.get_room(identifier=arns["room"])["name"] == "lobby"
