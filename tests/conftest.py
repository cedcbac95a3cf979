"""Fixtures of the core service tests, on top of the package's own pytest plugin."""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto.core.models import MockAWS

REGION = "us-east-1"


@pytest.fixture(autouse=True)
def _fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials for the tests that start mocks of their own."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "MOTO_ACCOUNT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)


@pytest.fixture
def mocked(ivschat_mock: MockAWS) -> None:
    """The plugin's mock: every moto service empty for the test."""


@pytest.fixture
def client(ivschat_client: Any) -> Any:
    """A boto3 ivschat client under the mock."""
    return ivschat_client


@cache
def _session() -> boto3.session.Session:
    return boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.fixture
def raw_client(ivschat_mock: MockAWS) -> Any:
    """A client that sends whatever it is given: only the mock's own checks apply."""
    return _session().client("ivschat", region_name=REGION, config=Config(parameter_validation=False))
