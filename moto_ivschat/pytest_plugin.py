"""pytest fixtures for code that calls ivschat: ``ivschat_mock``, ``ivschat_client``,
``ivschat_backend`` and ``ivschat_chat_url``.

Loaded through the ``pytest11`` entry point: installing moto-ivschat is all it
takes. Importing the module starts nothing and builds no boto3 session.

Fresh state is cheap. One moto mock serves a run of consecutive tests that use
these fixtures: it starts in the first one's setup and stops in the last one's
teardown, before any test that does not use them, so that test runs unmocked as
it would without us (only wider-scoped fixtures set up or torn down between two
users of the fixtures see the mock running). Each test starts with every moto
service empty (what ``POST /moto-api/reset`` does), and gets a new client made
from one boto3 session per pytest process (building a session is what makes
``with mock_aws(): boto3.client(...)`` slow).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.core.config import default_user_config
from moto.core.models import DEFAULT_ACCOUNT_ID, MockAWS
from moto.moto_api._internal.models import moto_api_backend

from .ivschat.models import IvschatBackend, ivschat_backends

REGION = "us-east-1"
FIXTURE = "ivschat_mock"
#: What a test under the fixtures sees in its environment.
FAKE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    # No config or credentials file of the user's is read: a profile there could
    # hold real credentials, or an endpoint_url that sends calls out.
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}
#: Removed from the environment for the test, as is every ``AWS_ENDPOINT_URL*``.
REMOVED_ENVIRONMENT = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN")


class _SharedMock:
    """The moto mock and boto3 session that consecutive fixture users share."""

    def __init__(self) -> None:
        self.mock: MockAWS | None = None
        #: The test that runs after the one being torn down (``None`` at the end).
        self.next_item: pytest.Item | None = None
        self._session: boto3.session.Session | None = None

    def start(self) -> MockAWS:
        """Start the mock unless it runs; either way, empty every moto service."""
        if self.mock is None:
            core = default_user_config.get("core", {}).copy()
            # The fixtures fake credentials per test; moto's own faking would
            # outlive the test, since the mock does.
            core["mock_credentials"] = False
            mock = mock_aws(config={"core": core})
            mock.start()
            self.mock = mock
        moto_api_backend.reset()
        return self.mock

    def stop_unless_next_test_needs_it(self) -> None:
        """Stop the mock if the next test does not use the fixtures (or there is none)."""
        if FIXTURE in getattr(self.next_item, "fixturenames", ()):
            return
        self.stop()

    def stop(self) -> None:
        """Stop the mock, if it runs; moto empties every service as it stops."""
        if self.mock is not None:
            mock, self.mock = self.mock, None
            mock.stop()

    def client(self) -> Any:
        """Return a new ivschat client (us-east-1, fake credentials) from the shared session."""
        if self._session is None:
            self._session = boto3.session.Session(
                aws_access_key_id=FAKE_ENVIRONMENT["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=FAKE_ENVIRONMENT["AWS_SECRET_ACCESS_KEY"],
                aws_session_token=FAKE_ENVIRONMENT["AWS_SESSION_TOKEN"],
                region_name=REGION,
            )
        return self._session.client("ivschat", region_name=REGION)


_SHARED = pytest.StashKey[_SharedMock]()


def pytest_configure(config: pytest.Config) -> None:
    """Give the pytest session its shared mock."""
    config.stash[_SHARED] = _SharedMock()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the shared mock if a run ended early (``-x``, an interrupt)."""
    shared = config.stash.get(_SHARED, None)
    if shared is not None:
        shared.stop()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Tell the fixture, before it is torn down, which test comes next."""
    item.config.stash[_SHARED].next_item = nextitem


def _fake_environment(patch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name in REMOVED_ENVIRONMENT or name.startswith("AWS_ENDPOINT_URL"):
            patch.delenv(name)
    for name, value in FAKE_ENVIRONMENT.items():
        patch.setenv(name, value)


@pytest.fixture
def ivschat_mock(request: pytest.FixtureRequest) -> Iterator[MockAWS]:
    """An active moto mock, ivschat included, with every service empty for this test.

    The environment holds fake credentials (and no profile, config file or
    endpoint override) and ``boto3.DEFAULT_SESSION`` is cleared for the test;
    both are restored afterwards. Do not stop the mock yourself.
    """
    shared = request.config.stash[_SHARED]
    with pytest.MonkeyPatch.context() as patch:
        _fake_environment(patch)
        # Set before the mock starts, so the mock restores this test's value.
        patch.setattr(boto3, "DEFAULT_SESSION", None)
        mock = shared.start()
        yield mock
        shared.stop_unless_next_test_needs_it()


@pytest.fixture
def ivschat_client(ivschat_mock: MockAWS, request: pytest.FixtureRequest) -> Any:
    """A boto3 ``ivschat`` client for us-east-1 under ``ivschat_mock``, new for each test."""
    return request.config.stash[_SHARED].client()


@pytest.fixture
def ivschat_backend(ivschat_mock: MockAWS) -> IvschatBackend:
    """The backend the ``ivschat_client`` calls reach: default account, us-east-1.

    The default account is moto's (``123456789012``, or ``MOTO_ACCOUNT_ID``).
    """
    return ivschat_backends[os.environ.get("MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT_ID)][REGION]


@pytest.fixture
def ivschat_chat_url(ivschat_mock: MockAWS) -> Iterator[str]:
    """The ``ws://127.0.0.1:PORT/`` URL of a Chat Messaging API emulator beside ``ivschat_mock``.

    The emulator sees the state boto3 calls change. At teardown it closes every
    connection and forgets the review handlers registered during the test.
    """
    # Imported here: a pytest run that never chats does not load websockets.
    from .messaging import clear_review_handlers, start_chat_server

    server = start_chat_server()
    try:
        yield server.url
    finally:
        server.stop()
        clear_review_handlers()
