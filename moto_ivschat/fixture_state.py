"""What the pytest fixtures keep between tests: the shared moto mock, the boto3 session and the
clients no test changed; and the environment each test gets.

Loaded by the plugin when a test first uses a fixture (not with the plugin).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import boto3
    from moto.core.models import MockAWS

FIXTURE = "ivschat_mock"
#: moto's default account (``moto.core.models.DEFAULT_ACCOUNT_ID``), unless ``MOTO_ACCOUNT_ID`` says.
DEFAULT_ACCOUNT_ID = "123456789012"
#: Removed from the environment for the test, as is every ``AWS_ENDPOINT_URL*``.
REMOVED_ENVIRONMENT = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN")
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


class SharedMock:
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
            reset_ivschat()
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
            reset_ivschat()
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


def reset_ivschat() -> None:
    """Empty ivschat in every account and region, and nothing else."""
    from .ivschat.models import ivschat_backends

    for account in list(ivschat_backends.values()):
        account.reset()
    ivschat_backends.clear()


def default_account_id() -> str:
    return os.environ.get("MOTO_ACCOUNT_ID") or DEFAULT_ACCOUNT_ID


def fake_environment(patch: pytest.MonkeyPatch, region: str, account_id: str) -> None:
    if account_id != default_account_id():
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
