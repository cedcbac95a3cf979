"""The contract suite: ivschat's documented behaviour, asserted the same way in three modes.

- default: in-process, under ``mock_ivschat``;
- ``--ivschat-endpoint-url URL``: over HTTP against any endpoint (in CI, our server);
- ``--ivschat-live``: against AWS itself, with the caller's credentials.

Options are read from this directory's conftest, so name it on the command line:
``pytest tests/contract --ivschat-live``. Every test names its resources uniquely
and removes them afterwards, so the suite runs in an account that holds others.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from contract_support import Resources, Target

from moto_ivschat import mock_ivschat

MOCK_REGION = "us-east-1"
LIVE_DEFAULT_REGION = "us-east-1"
MOCK_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ivschat-contract", "ivschat contract suite (tests/contract)")
    group.addoption(
        "--ivschat-endpoint-url",
        metavar="URL",
        default=None,
        help="run the contract suite over HTTP against this endpoint (e.g. moto-ivschat-server)",
    )
    group.addoption(
        "--ivschat-live",
        action="store_true",
        default=False,
        help="run the contract suite against AWS with your credentials (creates and deletes resources)",
    )
    group.addoption(
        "--ivschat-region",
        metavar="REGION",
        default=None,
        help=f"region of a live run (default: your AWS config's, else {LIVE_DEFAULT_REGION})",
    )


@pytest.fixture(scope="session")
def target(pytestconfig: pytest.Config) -> Target:
    """The mode chosen by the options; built once, before any test changes the environment."""
    endpoint_url = pytestconfig.getoption("ivschat_endpoint_url", None)
    live = pytestconfig.getoption("ivschat_live", False)
    if endpoint_url and live:
        raise pytest.UsageError("choose one of --ivschat-endpoint-url and --ivschat-live")
    if live:
        session = boto3.session.Session(region_name=pytestconfig.getoption("ivschat_region", None))
        # Resolved now: the credentials are held by the session from here on.
        if session.get_credentials() is None:
            pytest.skip(
                "--ivschat-live needs AWS credentials, and boto3 found none (env, profile, SSO, role)"
            )
        return Target("live", session, session.region_name or LIVE_DEFAULT_REGION)
    session = boto3.session.Session(**MOCK_CREDENTIALS)
    if endpoint_url:
        return Target("endpoint", session, MOCK_REGION, endpoint_url)
    return Target("mock", session, MOCK_REGION)


@pytest.fixture(autouse=True)
def _in_process_mock(target: Target) -> Iterator[None]:
    """In the default mode, each test runs under a fresh ``mock_ivschat``."""
    if target.mode != "mock":
        yield
        return
    with mock_ivschat():
        yield


@pytest.fixture
def ivschat(target: Target) -> Any:
    """An ivschat client of the chosen mode."""
    return target.client("ivschat")


@pytest.fixture
def resources(target: Target) -> Iterator[Resources]:
    made = Resources(target)
    yield made
    made.remove_all()
