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

(PYTEST_DONT_REWRITE: loaded with the pytest plugin, this module holds no assertion
for pytest to rewrite, and rewriting it would cost every pytest run.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from moto.core.models import MockAWS
    from mypy_boto3_ivschat import IvschatClient

    from .fixture_state import SharedMock
    from .ivschat.models import IvschatBackend

MARKER = "ivschat"
DEFAULT_REGION = "us-east-1"


def pytest_addoption(parser: pytest.Parser) -> None:
    """The project-wide defaults of the fixtures' region and account."""
    parser.addini("ivschat_region", f"region of the ivschat fixtures (default: {DEFAULT_REGION})")
    parser.addini(
        "ivschat_account_id",
        "account of the ivschat fixtures (default: MOTO_ACCOUNT_ID, else moto's 123456789012)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(region=None, account_id=None): the region and account of this test's ivschat fixtures",
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the shared mock and server if a run ended early (``-x``, an interrupt)."""
    shared = config.stash.get(_SHARED, None)
    if shared is not None:
        shared.stop()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Tell the fixture, before it is torn down, which test comes next."""
    shared = item.config.stash.get(_SHARED, None)
    if shared is not None:
        shared.next_item = nextitem


_SHARED = pytest.StashKey["SharedMock"]()


def _shared(config: pytest.Config) -> SharedMock:
    """The pytest session's shared mock, made when a test first uses a fixture."""
    shared = config.stash.get(_SHARED, None)
    if shared is None:
        from .fixture_state import SharedMock

        shared = config.stash[_SHARED] = SharedMock()
    return shared


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
    if (configured := _setting(request, "account_id")) is not None:
        return configured
    from .fixture_state import default_account_id

    return default_account_id()


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

    from .fixture_state import fake_environment

    shared = _shared(request.config)
    with pytest.MonkeyPatch.context() as patch:
        fake_environment(patch, ivschat_region, ivschat_account_id)
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
    client: IvschatClient = _shared(request.config).client(ivschat_region)
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
