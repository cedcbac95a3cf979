"""pytest fixtures for code that calls ivschat: ``ivschat_mock``, ``ivschat_client``,
``ivschat_backend``, ``ivschat_chat_url`` and ``ivschat_server_url``.

Loaded through the ``pytest11`` entry point: installing moto-ivschat is all it
takes. Loading it imports neither moto nor boto3; the fixtures import them when
a test first uses one.

Fresh state is cheap. When no other moto mock is active, one mock serves a run
of consecutive tests that use these fixtures: it starts in the first one's
setup and stops in the last one's teardown, before any test that does not use
them, which then runs unmocked as it would without us. Each test starts with
every moto service empty. Clients come from one boto3 session per pytest process
(building a session is what makes ``with mock_aws(): boto3.client(...)`` slow),
and a client is handed to a later test only if no test changed it: building a
client costs more than the rest of a fresh state together.

When the suite has a moto mock of its own active (a session-wide ``mock_aws``,
say), the fixtures run inside it and leave its state alone: each test starts
with ivschat empty, and every other service keeps what the suite put there.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import boto3
    from moto.core.models import MockAWS
    from mypy_boto3_ivschat import IvschatClient

    from .ivschat.models import IvschatBackend

FIXTURE = "ivschat_mock"
MARKER = "ivschat"
DEFAULT_REGION = "us-east-1"
#: moto's default account (``moto.core.models.DEFAULT_ACCOUNT_ID``), unless ``MOTO_ACCOUNT_ID`` says.
DEFAULT_ACCOUNT_ID = "123456789012"
#: Removed from the environment for the test, as is every ``AWS_ENDPOINT_URL*``.
REMOVED_ENVIRONMENT = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN")
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    """The project-wide defaults of the fixtures' region and account."""
    parser.addini("ivschat_region", f"region of the ivschat fixtures (default: {DEFAULT_REGION})")
    parser.addini(
        "ivschat_account_id",
        f"account of the ivschat fixtures (default: MOTO_ACCOUNT_ID, else {DEFAULT_ACCOUNT_ID})",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Give the pytest session its shared mock; declare the marker."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(region=None, account_id=None): the region and account of this test's ivschat fixtures",
    )
    config.stash[_SHARED] = _SharedMock()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the shared mock and server if a run ended early (``-x``, an interrupt)."""
    shared = config.stash.get(_SHARED, None)
    if shared is not None:
        shared.stop()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Tell the fixture, before it is torn down, which test comes next."""
    item.config.stash[_SHARED].next_item = nextitem


class _SharedMock:
    """The moto mock and boto3 session that consecutive fixture users share."""

    def __init__(self) -> None:
        self.mock: MockAWS | None = None
        #: The test that runs after the one being torn down (``None`` at the end).
        self.next_item: pytest.Item | None = None
        self._session: boto3.session.Session | None = None
        #: Clients no test changed, by region, and those lent to the running test.
        self._idle: dict[str, list[Any]] = {}
        self._lent: list[tuple[str, Any, _Untouched | None]] = []

    def start(self) -> MockAWS:
        """Start the mock unless it runs; each test starts with ivschat (at least) empty.

        With no other mock active, a mock that starts empties every service (moto
        does) and one that was kept running was emptied at the last teardown.
        """
        from .registration import mocks_active

        if self.mock is None:
            from moto import mock_aws
            from moto.core.config import default_user_config

            core = default_user_config.get("core", {}).copy()
            # The fixtures fake credentials per test; moto's own faking would
            # outlive the test, since the mock does.
            core["mock_credentials"] = False
            self.mock = mock_aws(config={"core": core})
            self.mock.start()
        if mocks_active() > 1:
            _reset_ivschat()
        return self.mock

    def finish_test(self) -> None:
        """At a user's teardown: empty what the test changed; keep the mock for a next user."""
        from .registration import mocks_active

        for region, client, untouched in self._lent:
            if untouched is not None and untouched.holds(client):
                self._idle.setdefault(region, []).append(client)
        self._lent.clear()

        if mocks_active() > 1:
            # Another mock owns every other service's state: leave it alone.
            _reset_ivschat()
            self.stop()
        elif FIXTURE in getattr(self.next_item, "fixturenames", ()):
            from moto.moto_api._internal.models import moto_api_backend

            moto_api_backend.reset()
        else:
            self.stop()

    def stop(self) -> None:
        """Stop the mock, if it runs (moto empties every service when the last mock stops)."""
        if self.mock is not None:
            mock, self.mock = self.mock, None
            mock.stop()

    def client(self, region: str) -> Any:
        """An ivschat client of ``region`` (fake credentials) that no test has changed."""
        idle = self._idle.get(region)
        client = idle.pop() if idle else self._new_client(region)
        self._lent.append((region, client, _Untouched.of(client)))
        return client

    def _new_client(self, region: str) -> Any:
        if self._session is None:
            import boto3

            self._session = boto3.session.Session(
                aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
                aws_session_token=FAKE_CREDENTIALS["AWS_SESSION_TOKEN"],
            )
        return self._session.client("ivschat", region_name=region)


class _Untouched:
    """What a test could change on a client, as it was lent: its attributes and event handlers.

    botocore replaces an emitter's lookup cache whenever a handler is registered or
    unregistered (a ``Stubber`` does both), so one identity check tells. Where
    botocore's internals differ, ``of`` gives ``None`` and clients are not reused.
    """

    def __init__(self, attributes: dict[str, Any], handlers: object) -> None:
        self._attributes = attributes
        self._handlers = handlers

    @classmethod
    def of(cls, client: Any) -> _Untouched | None:
        emitter = getattr(client.meta.events, "_emitter", None)
        handlers = getattr(emitter, "_lookup_cache", None)
        return None if handlers is None else cls(dict(vars(client)), handlers)

    def holds(self, client: Any) -> bool:
        """Whether ``client`` is as it was lent (caches it fills itself, like ``exceptions``, aside)."""
        now = vars(client)
        return (
            now.keys() == self._attributes.keys()
            and all(value is None or now[name] is value for name, value in self._attributes.items())
            and client.meta.events._emitter._lookup_cache is self._handlers
        )


_SHARED = pytest.StashKey[_SharedMock]()


def _reset_ivschat() -> None:
    """Empty ivschat in every account and region, and nothing else."""
    from .ivschat.models import ivschat_backends

    for account in list(ivschat_backends.values()):
        account.reset()
    ivschat_backends.clear()


def _setting(request: pytest.FixtureRequest, name: str) -> str | None:
    """A marker's keyword, else the ini option ``ivschat_<name>``."""
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None and marker.kwargs.get(name):
        return str(marker.kwargs[name])
    value = request.config.getini(f"ivschat_{name}")
    return str(value) if value else None


@pytest.fixture
def ivschat_region(request: pytest.FixtureRequest) -> str:
    """The region of the fixtures: ``@pytest.mark.ivschat(region=...)``, else the ``ivschat_region``
    ini option, else us-east-1. Override the fixture to choose otherwise."""
    return _setting(request, "region") or DEFAULT_REGION


@pytest.fixture
def ivschat_account_id(request: pytest.FixtureRequest) -> str:
    """The account of the fixtures: ``@pytest.mark.ivschat(account_id=...)``, else the
    ``ivschat_account_id`` ini option, else ``MOTO_ACCOUNT_ID``, else moto's default."""
    return _setting(request, "account_id") or _default_account_id()


def _default_account_id() -> str:
    return os.environ.get("MOTO_ACCOUNT_ID") or DEFAULT_ACCOUNT_ID


def _fake_environment(patch: pytest.MonkeyPatch, region: str, account_id: str) -> None:
    if account_id != _default_account_id():
        # moto's first choice of account; left unset otherwise, so that the
        # credentials of an assumed role still select theirs.
        patch.setenv("MOTO_ACCOUNT_ID", account_id)
    for name in list(os.environ):
        if name in REMOVED_ENVIRONMENT or name.startswith("AWS_ENDPOINT_URL"):
            patch.delenv(name)
    for name, value in FAKE_CREDENTIALS.items():
        patch.setenv(name, value)
    patch.setenv("AWS_DEFAULT_REGION", region)
    # No config or credentials file of the user's is read: a profile there could
    # hold real credentials, or an endpoint_url that sends calls out.
    patch.setenv("AWS_CONFIG_FILE", os.devnull)
    patch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)


@pytest.fixture
def ivschat_mock(
    request: pytest.FixtureRequest, ivschat_region: str, ivschat_account_id: str
) -> Iterator[MockAWS]:
    """An active moto mock, ivschat included, with ivschat empty for this test.

    Every other moto service is empty too, unless the suite has a moto mock of its
    own active: then its state is left as the suite made it. The environment
    holds fake credentials, the fixtures' region and account (``MOTO_ACCOUNT_ID``),
    and no profile, config file or endpoint override; ``boto3.DEFAULT_SESSION`` is
    cleared. All are restored afterwards. Do not stop the mock yourself.
    """
    import boto3

    shared = request.config.stash[_SHARED]
    with pytest.MonkeyPatch.context() as patch:
        _fake_environment(patch, ivschat_region, ivschat_account_id)
        # Set before the mock starts, so the mock restores this test's value.
        patch.setattr(boto3, "DEFAULT_SESSION", None)
        mock = shared.start()
        yield mock
        shared.finish_test()


@pytest.fixture
def ivschat_client(
    ivschat_mock: MockAWS, ivschat_region: str, request: pytest.FixtureRequest
) -> IvschatClient:
    """A boto3 ``ivschat`` client of the fixtures' region under ``ivschat_mock``, new for each test."""
    client: IvschatClient = request.config.stash[_SHARED].client(ivschat_region)
    return client


@pytest.fixture
def ivschat_backend(ivschat_mock: MockAWS, ivschat_region: str, ivschat_account_id: str) -> IvschatBackend:
    """The backend the ``ivschat_client`` calls reach: the fixtures' account and region."""
    from .ivschat.models import ivschat_backends

    return ivschat_backends[ivschat_account_id][ivschat_region]


@pytest.fixture
def ivschat_chat_url(ivschat_mock: MockAWS) -> Iterator[str]:
    """The ``ws://127.0.0.1:PORT/`` URL of a Chat Messaging API emulator beside ``ivschat_mock``.

    The emulator sees the state boto3 calls change. At teardown it closes every
    connection and forgets the review handlers registered during the test.
    """
    from .messaging import clear_review_handlers, start_chat_server

    server = start_chat_server()
    try:
        yield server.url
    finally:
        server.stop()
        clear_review_handlers()


@pytest.fixture(scope="session")
def _ivschat_server() -> Iterator[Any]:
    """One ``moto-ivschat-server`` for the pytest process, on a free port of 127.0.0.1."""
    from .server import serve_in_thread

    server = serve_in_thread()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def ivschat_server_url(_ivschat_server: Any, ivschat_mock: MockAWS) -> str:
    """``http://127.0.0.1:PORT`` of a live ``moto-ivschat-server`` sharing this test's state.

    For code that must reach ivschat over HTTP (aiobotocore, a subprocess, a
    JavaScript tool): it serves every moto service, from the same state as
    ``ivschat_mock``, so it starts as empty and ``ivschat_backend`` and the
    inspection functions see what its clients did. Needs ``moto-ivschat[server]``.
    """
    url: str = _ivschat_server.url
    return url
