"""What the contract tests share: the target of a run, resource bookkeeping, small helpers."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError


@dataclass(frozen=True)
class Target:
    """Where the suite's calls go: a boto3 session, a region and an optional endpoint."""

    mode: str
    session: boto3.session.Session
    region: str
    endpoint_url: str | None = None

    def client(self, service: str) -> Any:
        return self.session.client(service, region_name=self.region, endpoint_url=self.endpoint_url)


class Resources:
    """Creates one test's uniquely named resources and removes them after it."""

    def __init__(self, target: Target) -> None:
        self.ivschat = target.client("ivschat")
        self.logs = target.client("logs")
        self.prefix = f"contract-{uuid.uuid4().hex[:12]}"
        self._count = 0
        self._undo: list[Callable[[], Any]] = []

    def name(self) -> str:
        """A name no other test or run uses."""
        self._count += 1
        return f"{self.prefix}-{self._count}"

    def room(self, **kwargs: Any) -> dict[str, Any]:
        """CreateRoom (named uniquely unless a name is given); the room is deleted afterwards."""
        room: dict[str, Any] = self.ivschat.create_room(**{"name": self.name(), **kwargs})
        self._undo.append(lambda: self.ivschat.delete_room(identifier=room["arn"]))
        return room

    def log_group(self) -> str:
        """A new CloudWatch Logs group, the destination the suite's logging configurations use."""
        name = f"/contract/{self.name()}"
        self.logs.create_log_group(logGroupName=name)
        self._undo.append(lambda: self.logs.delete_log_group(logGroupName=name))
        return name

    def logging_configuration(self, **kwargs: Any) -> dict[str, Any]:
        """CreateLoggingConfiguration to a new log group; deleted afterwards."""
        if "destinationConfiguration" not in kwargs:
            kwargs["destinationConfiguration"] = {"cloudWatchLogs": {"logGroupName": self.log_group()}}
        config: dict[str, Any] = self.ivschat.create_logging_configuration(**{"name": self.name(), **kwargs})
        self._undo.append(lambda: self.ivschat.delete_logging_configuration(identifier=config["arn"]))
        return config

    def remove_all(self) -> None:
        """Delete in reverse order of creation; what a test deleted itself is skipped."""
        for undo in reversed(self._undo):
            try:
                undo()
            except ClientError as error:
                if error.response["Error"]["Code"] != "ResourceNotFoundException":
                    raise


def missing_arn(arn: str) -> str:
    """A well-formed ARN, in ``arn``'s account and region, of a resource that does not exist."""
    return f"{arn.rsplit('/', 1)[0]}/{uuid.uuid4().hex[:12]}"


def error_of(raised: pytest.ExceptionInfo[ClientError]) -> tuple[int, str]:
    """The HTTP status and error code of a failed call."""
    response = raised.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"]


def assert_each_not_found(calls: list[Callable[[], Any]]) -> None:
    """Each call fails with 404 ResourceNotFoundException."""
    for call in calls:
        with pytest.raises(ClientError) as raised:
            call()
        assert error_of(raised) == (404, "ResourceNotFoundException")


def without_metadata(response: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in response.items() if key != "ResponseMetadata"}
