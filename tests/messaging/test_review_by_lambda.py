"""Message review by a function in moto's Lambda: a suite that creates the room's review
handler as a Lambda function (moto's Lambda without Docker, as a suite configures it) and
queues the function's answers through moto's API."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from importlib.metadata import version
from typing import Any

import boto3
import pytest
import requests
from chat_kit import ACCOUNT, REGION, ChatKit, receive, send
from moto import mock_aws

from moto_ivschat.messaging import register_review_handler

#: moto 5.0.4 added the queue of a simple Lambda's answers; before, it echoes the event.
QUEUED_ANSWERS = tuple(int(part) for part in version("moto").split(".")[:3]) >= (5, 0, 4)
needs_queued_answers = pytest.mark.skipif(
    not QUEUED_ANSWERS, reason="moto before 5.0.4 cannot queue a simple Lambda's answers"
)
HANDLER = "def handler(event, context):\n    return {'ReviewResult': 'ALLOW', 'Content': event['Content']}\n"


@pytest.fixture
def function_arn(chat: ChatKit) -> Iterator[str]:
    """A review function in moto's Lambda, which runs no Docker in this test (the suite's config)."""
    with mock_aws(config={"lambda": {"use_docker": False}}):
        role = boto3.client("iam", region_name=REGION).create_role(
            RoleName="review",
            AssumeRolePolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "lambda.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            ),
        )["Role"]["Arn"]
        code = io.BytesIO()
        with zipfile.ZipFile(code, "w") as archive:
            archive.writestr("index.py", HANDLER)
        function = boto3.client("lambda", region_name=REGION).create_function(
            FunctionName="review",
            Runtime="python3.12",
            Role=role,
            Handler="index.handler",
            Code={"ZipFile": code.getvalue()},
        )
        yield function["FunctionArn"]


def answer_next(*answers: str) -> None:
    """Queue the simple Lambda's next answers, as moto documents it."""
    reply = requests.post(
        "http://motoapi.amazonaws.com/moto-api/static/lambda-simple/response",
        json={"results": list(answers), "region": REGION, "account_id": ACCOUNT},
        timeout=10,
    )
    assert reply.status_code == 201


def reviewed_room(chat: ChatKit, function_arn: str, fallback: str) -> dict[str, Any]:
    return chat.create_room(messageReviewHandler={"uri": function_arn, "fallbackResult": fallback})


@needs_queued_answers
def test_the_function_s_deny_is_applied(chat: ChatKit, function_arn: str) -> None:
    answer_next(json.dumps({"ReviewResult": "DENY", "Attributes": {"Reason": "off topic"}}))
    room = reviewed_room(chat, function_arn, "ALLOW")
    sender = chat.join(room, "alice", capabilities=["SEND_MESSAGE"])
    send(sender, Action="SEND_MESSAGE", Content="buy my stuff", RequestId="r")
    frame = receive(sender)
    assert (frame["Type"], frame["ErrorCode"], frame["RequestId"]) == ("ERROR", 406, "r")
    assert frame["ErrorMessage"] == "The message was denied by the room's message review handler: off topic"


@needs_queued_answers
def test_the_function_s_allow_delivers_its_content_and_attributes(chat: ChatKit, function_arn: str) -> None:
    answer_next(
        json.dumps({"ReviewResult": "ALLOW", "Content": "**** it", "Attributes": {"reviewed": "yes"}})
    )
    room = reviewed_room(chat, function_arn, "DENY")
    client = chat.join(room, capabilities=["SEND_MESSAGE"])
    send(client, Action="SEND_MESSAGE", Content="darn it")
    message = receive(client)
    assert (message["Type"], message["Content"], message["Attributes"]) == (
        "MESSAGE",
        "**** it",
        {"reviewed": "yes"},
    )


@needs_queued_answers
@pytest.mark.parametrize("answer", ["not json", json.dumps({"ReviewResult": "MAYBE"})])
def test_an_answer_that_is_no_review_result_gets_the_fallback(
    chat: ChatKit, function_arn: str, answer: str
) -> None:
    answer_next(answer)
    room = reviewed_room(chat, function_arn, "DENY")
    client = chat.join(room, capabilities=["SEND_MESSAGE"])
    send(client, Action="SEND_MESSAGE", Content="hi")
    assert receive(client)["ErrorCode"] == 406


@pytest.mark.parametrize("fallback", ["ALLOW", "DENY"])
def test_the_simple_lambda_s_default_answer_is_no_review_result(
    chat: ChatKit, function_arn: str, fallback: str
) -> None:
    # With nothing queued, moto's simple Lambda answers with the event it was given.
    room = reviewed_room(chat, function_arn, fallback)
    client = chat.join(room, capabilities=["SEND_MESSAGE"])
    send(client, Action="SEND_MESSAGE", Content="hi")
    assert receive(client)["Type"] == ("MESSAGE" if fallback == "ALLOW" else "ERROR")


@needs_queued_answers
def test_a_registered_callable_wins_over_the_function(chat: ChatKit, function_arn: str) -> None:
    answer_next(json.dumps({"ReviewResult": "DENY"}))
    register_review_handler(function_arn, lambda request: {"ReviewResult": "ALLOW", "Content": "callable"})
    room = reviewed_room(chat, function_arn, "DENY")
    client = chat.join(room, capabilities=["SEND_MESSAGE"])
    send(client, Action="SEND_MESSAGE", Content="hi")
    assert receive(client)["Content"] == "callable"
