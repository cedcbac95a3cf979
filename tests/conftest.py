"""Fixtures of the core service tests: a mocked client, with and without botocore's own checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from moto_ivschat import mock_ivschat

REGION = "us-east-1"
ACCOUNT = "123456789012"


@pytest.fixture(autouse=True)
def _fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "MOTO_ACCOUNT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)


@pytest.fixture
def mocked() -> Iterator[None]:
    with mock_ivschat():
        yield


@pytest.fixture
def client(mocked: None) -> Any:
    """A boto3 ivschat client under the mock."""
    return boto3.client("ivschat", region_name=REGION)


@pytest.fixture
def raw_client(mocked: None) -> Any:
    """A client that sends whatever it is given: only the mock's own checks apply."""
    return boto3.client("ivschat", region_name=REGION, config=Config(parameter_validation=False))
